#include "tests/faults/fault_harness.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <simdjson.h>

#include "tests/simulator/test_http_client.hpp"
#include "tests/simulator/venue_bodies.hpp"

namespace nimbus::faults {
namespace {

// -- JSON helpers ---------------------------------------------------------------------------------

std::optional<double> number_field(simdjson::dom::element object, std::string_view key) {
  simdjson::dom::element value;
  if (object[key].get(value)) {
    return std::nullopt;
  }
  double number = 0;
  if (value.get(number)) {
    return std::nullopt;
  }
  return number;
}

std::string string_field(simdjson::dom::element object, std::string_view key,
                         std::string fallback) {
  std::string_view text;
  if (object[key].get(text)) {
    return fallback;
  }
  return std::string(text);
}

// The JSON text of a scalar: strings unquoted, numbers and booleans as written.
std::string scalar_text(simdjson::dom::element value) {
  std::string_view text;
  if (!value.get(text)) {
    return std::string(text);
  }
  return simdjson::minify(value);
}

// -- Prometheus text ------------------------------------------------------------------------------

// Parses `{a="x",b="y"}` starting at `at` (the opening brace). False on malformed text.
bool parse_labels(std::string_view line, std::size_t& at, label_set& labels) {
  ++at;
  while (at < line.size() && line[at] != '}') {
    auto equals = line.find('=', at);
    if (equals == std::string_view::npos || equals + 1 >= line.size() || line[equals + 1] != '"') {
      return false;
    }
    std::string key(line.substr(at, equals - at));
    std::string value;
    std::size_t cursor = equals + 2;
    while (cursor < line.size() && line[cursor] != '"') {
      if (line[cursor] == '\\' && cursor + 1 < line.size()) {
        ++cursor;
        value += line[cursor] == 'n' ? '\n' : line[cursor];
      } else {
        value += line[cursor];
      }
      ++cursor;
    }
    if (cursor >= line.size()) {
      return false;
    }
    labels[key] = value;
    at = cursor + 1;
    if (at < line.size() && line[at] == ',') {
      ++at;
    }
  }
  if (at >= line.size()) {
    return false;
  }
  ++at;
  return true;
}

bool labels_match(const label_set& actual, const label_set& required) {
  for (const auto& [key, value] : required) {
    auto found = actual.find(key);
    if (found == actual.end() || found->second != value) {
      return false;
    }
  }
  return true;
}

// -- /proc ----------------------------------------------------------------------------------------

std::optional<pid_t> parent_of(const std::string& pid_text) {
  std::ifstream stat("/proc/" + pid_text + "/stat");
  std::string line;
  if (!std::getline(stat, line)) {
    return std::nullopt;
  }
  // The command name in brackets may contain spaces, so the fields are counted after its end.
  auto name_end = line.rfind(')');
  if (name_end == std::string::npos) {
    return std::nullopt;
  }
  std::istringstream fields(line.substr(name_end + 1));
  std::string state;
  long parent = 0;
  if (!(fields >> state >> parent)) {
    return std::nullopt;
  }
  if (state == "Z") {
    return std::nullopt;  // exited, waiting to be reaped
  }
  return static_cast<pid_t>(parent);
}

std::string executable_of(const std::string& pid_text) {
  char buffer[PATH_MAX] = {};
  auto length = readlink(("/proc/" + pid_text + "/exe").c_str(), buffer, sizeof buffer - 1);
  return length > 0 ? std::string(buffer, static_cast<std::size_t>(length)) : std::string{};
}

std::string canonical_path(const std::string& path) {
  char buffer[PATH_MAX] = {};
  return realpath(path.c_str(), buffer) != nullptr ? std::string(buffer) : path;
}

// Marks every descriptor of this process close-on-exec. service_process spawns the service without
// closing inherited descriptors, and Boost.Asio opens sockets without FD_CLOEXEC. The child would
// then keep copies of the simulators' listening sockets, so connections to a simulator that called
// refuse_connections() would be queued on the child's copy instead of being refused.
void close_descriptors_on_exec() {
  DIR* descriptors = opendir("/proc/self/fd");
  if (descriptors == nullptr) {
    return;
  }
  int own = dirfd(descriptors);
  while (dirent* entry = readdir(descriptors)) {
    int fd = std::atoi(entry->d_name);
    if (fd > 2 && fd != own) {
      fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
    }
  }
  closedir(descriptors);
}

}  // namespace

double healthy_mid(const std::string& venue) {
  static const std::map<std::string, double> mids = {
      {"binance", 64'000}, {"okx", 64'010}, {"bybit", 64'020},  {"gate", 64'030},
      {"kraken", 64'040},  {"htx", 64'050}, {"kucoin", 64'060}, {"bitfinex", 64'070},
  };
  auto found = mids.find(venue);
  if (found == mids.end()) {
    throw std::invalid_argument("venue '" + venue + "' has no healthy mid in the fault suite");
  }
  return found->second;
}

double median(std::vector<double> values) {
  if (values.empty()) {
    throw std::invalid_argument("median of no values");
  }
  std::sort(values.begin(), values.end());
  std::size_t middle = values.size() / 2;
  if (values.size() % 2 == 1) {
    return values[middle];
  }
  return (values[middle - 1] + values[middle]) / 2.0;
}

double elapsed_ms(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

// -- venue_farm -----------------------------------------------------------------------------------

sim::response ticker_at(const std::string& venue, double mid) {
  sim::ticker_values values{
      sim::dec(fmt::format("{:.1f}", mid - 0.5)),
      sim::dec(fmt::format("{:.1f}", mid + 0.5)),
      sim::dec(fmt::format("{:.1f}", mid)),
      sim::dec("12.5"),
      std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now()),
  };
  return sim::ticker_response(venue, test_pair, values);
}

venue_farm::venue_farm(std::vector<std::string> venues) : venues_(std::move(venues)) {
  for (const auto& venue : venues_) {
    simulators_[venue] = std::make_unique<sim::exchange_simulator>();
    serve_healthy(venue);
  }
}

sim::exchange_simulator& venue_farm::simulator(const std::string& venue) {
  auto found = simulators_.find(venue);
  if (found == simulators_.end()) {
    throw std::invalid_argument("venue '" + venue + "' is not in this venue_farm");
  }
  return *found->second;
}

std::string venue_farm::route(const std::string& venue) const {
  return sim::route_for(venue, test_pair);
}

std::string venue_farm::base_url(const std::string& venue) const {
  auto overridden = base_url_overrides_.find(venue);
  if (overridden != base_url_overrides_.end()) {
    return overridden->second;
  }
  return simulators_.at(venue)->base_url();
}

void venue_farm::override_base_url(const std::string& venue, std::string base_url) {
  base_url_overrides_[venue] = std::move(base_url);
}

void venue_farm::serve_mid(const std::string& venue, double mid) {
  serve(venue, ticker_at(venue, mid));
}

void venue_farm::serve(const std::string& venue, sim::response reply) {
  simulator(venue).set_response(route(venue), std::move(reply));
}

std::uint64_t venue_farm::request_count(const std::string& venue) const {
  return simulators_.at(venue)->request_count(route(venue));
}

// -- service_under_test ---------------------------------------------------------------------------

std::string render_config(const service_settings& settings, const venue_farm& farm) {
  std::string yaml =
      fmt::format(R"(log_level: info
defaults:
  poll_interval_ms: {}
  request_timeout_ms: {}
  connect_timeout_ms: {}
  max_quote_age_ms: {}
  min_venues: {}
  outlier_threshold_bps: {}
supervision:
  restart_initial_delay_ms: {}
  restart_max_delay_ms: {}
  restart_multiplier: 2.0
  restart_intensity_max: {}
  restart_intensity_window_s: {}
  failed_cooldown_s: {}
breaker:
  failure_threshold: {}
  open_duration_ms: {}
venues:
)",
                  settings.poll_interval_ms, settings.request_timeout_ms,
                  settings.connect_timeout_ms, settings.max_quote_age_ms, settings.min_venues,
                  settings.outlier_threshold_bps, settings.restart_initial_delay_ms,
                  settings.restart_max_delay_ms, settings.restart_intensity_max,
                  settings.restart_intensity_window_s, settings.failed_cooldown_s,
                  settings.breaker_failure_threshold, settings.breaker_open_duration_ms);
  for (const auto& venue : farm.venues()) {
    yaml += fmt::format("  {}:\n    base_url: {}\n    pairs: [{}]\n", venue, farm.base_url(venue),
                        test_pair);
  }
  return yaml;
}

service_under_test::service_under_test(const service_settings& settings, const venue_farm& farm,
                                       bool with_admin_listener) {
  std::vector<std::string> arguments;
  if (with_admin_listener) {
    admin_port_ = e2e::pick_free_port();
    arguments = {"--admin-listen", "127.0.0.1:" + std::to_string(admin_port_)};
  }
  close_descriptors_on_exec();
  process_ = std::make_unique<service_process>(render_config(settings, farm), arguments);
}

bool service_under_test::wait_until_listening() {
  return process_->wait_until_listening(10s);
}

e2e::http_result service_under_test::kill(const std::string& actor, const std::string& reason) {
  std::string url = fmt::format("http://127.0.0.1:{}/admin/actors/{}/kill", admin_port_, actor);
  if (reason == "user") {
    url += "?reason=user";
  }
  return e2e::http_request("POST", url);
}

// -- reading the REST API -------------------------------------------------------------------------

std::optional<pair_view> read_pair(const service_under_test& service, const std::string& pair) {
  // The two bodies come from one rendered snapshot when the sources body is the same before and
  // after the aggregate request: every render changes its age_ms values.
  e2e::http_result aggregate;
  e2e::http_result sources;
  for (int attempt = 0; attempt < 10; ++attempt) {
    sources = e2e::http_get(service.url("/v1/prices/" + pair + "/sources"));
    aggregate = e2e::http_get(service.url("/v1/prices/" + pair));
    auto sources_after = e2e::http_get(service.url("/v1/prices/" + pair + "/sources"));
    if (sources_after.body == sources.body) {
      break;
    }
  }
  if (aggregate.status != 200 || sources.status != 200) {
    return std::nullopt;
  }

  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(aggregate.body).get(root)) {
    return std::nullopt;
  }
  pair_view view;
  view.price = number_field(root, "price");
  view.venues_used = static_cast<int>(number_field(root, "venues_used").value_or(-1));
  view.status = string_field(root, "status", "<missing>");
  bool stale = true;
  view.stale = root["stale"].get(stale) ? true : stale;
  view.age_ms = number_field(root, "age_ms");

  simdjson::dom::parser sources_parser;
  simdjson::dom::array list;
  if (sources_parser.parse(sources.body)["sources"].get(list)) {
    return std::nullopt;
  }
  for (simdjson::dom::element source : list) {
    source_view entry;
    bool used = false;
    entry.used = !source["used"].get(used) && used;
    entry.reason = string_field(source, "reason", "used");
    entry.age_ms = number_field(source, "age_ms");
    entry.mid = number_field(source, "mid");
    view.sources[string_field(source, "venue", "<missing>")] = entry;
  }
  return view;
}

std::map<std::string, venue_view> read_venues(const service_under_test& service) {
  std::map<std::string, venue_view> venues;
  auto reply = e2e::http_get(service.url("/v1/venues"));
  simdjson::dom::parser parser;
  simdjson::dom::array list;
  if (reply.status != 200 || parser.parse(reply.body)["venues"].get(list)) {
    return venues;
  }
  for (simdjson::dom::element venue : list) {
    venue_view view;
    view.state = string_field(venue, "state", "<missing>");
    view.breaker_state = string_field(venue, "breaker_state", "<missing>");
    simdjson::dom::element last_error;
    view.error_category = venue["last_error"].get(last_error) || last_error.is_null()
                              ? "none"
                              : string_field(last_error, "category", "<missing>");
    if (view.error_category != "none") {
      view.error_detail = string_field(last_error, "detail", "");
      view.venue_code = string_field(last_error, "venue_code", "");
    }
    view.fetches = static_cast<std::int64_t>(number_field(venue, "fetches").value_or(-1));
    view.restarts = static_cast<std::int64_t>(number_field(venue, "restarts").value_or(-1));
    venues[string_field(venue, "venue", "<missing>")] = view;
  }
  return venues;
}

bool all_venues_used(const service_under_test& service, const std::vector<std::string>& venues) {
  auto pair = read_pair(service);
  if (!pair || pair->status != "healthy") {
    return false;
  }
  return std::all_of(venues.begin(), venues.end(), [&](const std::string& venue) {
    auto found = pair->sources.find(venue);
    return found != pair->sources.end() && found->second.used;
  });
}

// -- reading /metrics -----------------------------------------------------------------------------

std::vector<metric_series> read_series(const std::string& exposition, const std::string& name) {
  std::vector<metric_series> series;
  std::istringstream lines(exposition);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line.front() == '#' || !line.starts_with(name)) {
      continue;
    }
    std::size_t at = name.size();
    label_set labels;
    if (at < line.size() && line[at] == '{' && !parse_labels(line, at, labels)) {
      continue;
    }
    if (at >= line.size() || line[at] != ' ') {
      continue;  // another metric whose name starts with `name`
    }
    series.push_back({std::move(labels), std::strtod(line.c_str() + at + 1, nullptr)});
  }
  return series;
}

std::optional<double> metric_value(const std::string& exposition, const std::string& name,
                                   const label_set& labels) {
  for (const auto& entry : read_series(exposition, name)) {
    if (labels_match(entry.labels, labels)) {
      return entry.value;
    }
  }
  return std::nullopt;
}

std::optional<double> read_metric(const service_under_test& service, const std::string& name,
                                  const label_set& labels) {
  auto reply = e2e::http_get(service.url("/metrics"));
  if (reply.status != 200) {
    return std::nullopt;
  }
  return metric_value(reply.body, name, labels);
}

bool wait_for_restart(const service_under_test& service, const std::string& actor,
                      const std::string& reason, double restarts,
                      std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto remaining = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                 std::chrono::steady_clock::now());
  };
  bool counted = poll_until(
      [&] {
        return read_metric(service, "nimbus_actor_restarts_total",
                           {{"actor", actor}, {"reason", reason}}) == restarts;
      },
      remaining());
  if (!counted) {
    return false;
  }
  auto messages = [&] {
    return read_metric(service, "nimbus_actor_messages_total", {{"actor", actor}}).value_or(-1);
  };
  double messages_after_exit = messages();
  return poll_until([&] { return messages() > messages_after_exit; }, remaining());
}

// -- reading the JSON log -------------------------------------------------------------------------

std::vector<std::map<std::string, std::string>> log_entries(const std::string& log_text,
                                                            const std::string& message) {
  std::vector<std::map<std::string, std::string>> entries;
  simdjson::dom::parser parser;
  std::istringstream lines(log_text);
  std::string line;
  while (std::getline(lines, line)) {
    simdjson::dom::object object;
    if (parser.parse(line).get(object)) {
      continue;  // not a log line, e.g. a crash message
    }
    std::map<std::string, std::string> fields;
    for (auto [key, value] : object) {
      fields[std::string(key)] = scalar_text(value);
    }
    if (fields["msg"] == message) {
      entries.push_back(std::move(fields));
    }
  }
  return entries;
}

// -- the process ----------------------------------------------------------------------------------

std::optional<pid_t> find_child_process(const std::string& executable) {
  std::string expected_path = canonical_path(executable);
  pid_t self = getpid();
  std::vector<pid_t> matches;

  DIR* proc = opendir("/proc");
  if (proc == nullptr) {
    return std::nullopt;
  }
  while (dirent* entry = readdir(proc)) {
    std::string name = entry->d_name;
    if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) {
      continue;
    }
    if (parent_of(name) == self && executable_of(name) == expected_path) {
      matches.push_back(static_cast<pid_t>(std::stol(name)));
    }
  }
  closedir(proc);

  if (matches.size() != 1) {
    return std::nullopt;
  }
  return matches.front();
}

std::optional<std::int64_t> resident_memory_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmRSS:")) {
      return std::stoll(line.substr(6));  // "VmRSS:    12345 kB"
    }
  }
  return std::nullopt;
}

// -- api_poller -----------------------------------------------------------------------------------

api_poller::api_poller(std::string base_url, std::vector<std::string> paths, int connections,
                       std::chrono::milliseconds pause, std::chrono::seconds max_duration)
    : base_url_(std::move(base_url)), paths_(std::move(paths)), pause_(pause) {
  auto deadline = std::chrono::steady_clock::now() + max_duration;
  for (int i = 0; i < connections; ++i) {
    threads_.emplace_back([this, deadline] { run(deadline); });
  }
}

api_poller::~api_poller() {
  stop();
}

void api_poller::stop() {
  stopping_ = true;
  for (auto& thread : threads_) {
    if (thread.joinable()) {
      thread.join();
    }
  }
}

std::vector<std::string> api_poller::failure_samples() const {
  std::lock_guard lock(samples_mutex_);
  return samples_;
}

void api_poller::record_failure(std::string description) {
  ++failures_;
  std::lock_guard lock(samples_mutex_);
  if (samples_.size() < 10) {
    samples_.push_back(std::move(description));
  }
}

void api_poller::run(std::chrono::steady_clock::time_point deadline) {
  // One handle per thread: curl keeps its connection open between requests.
  sim::test_http_client client;
  simdjson::dom::parser parser;
  sim::http_request_options options;
  options.timeout = 3s;

  for (std::size_t i = 0; !stopping_ && std::chrono::steady_clock::now() < deadline; ++i) {
    const std::string& path = paths_[i % paths_.size()];
    auto result = client.get(base_url_ + path, options);
    ++responses_;

    if (result.code != CURLE_OK) {
      record_failure(fmt::format("{}: transfer failed: {}", path, result.error));
    } else if (result.status != 200) {
      record_failure(fmt::format("{}: status {}: {:.200}", path, result.status, result.body));
    } else if (simdjson::dom::element root; parser.parse(result.body).get(root)) {
      record_failure(fmt::format("{}: body is not JSON: {:.200}", path, result.body));
    }
    std::this_thread::sleep_for(pause_);
  }
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) {
    text += line + "\n";
  }
  return text;
}

}  // namespace nimbus::faults

#include "pipeline/config.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "pipeline/json_writer.hpp"
#include "pipeline/pair.hpp"

namespace nimbus {
namespace {

const std::vector<std::string> default_pairs = {"BTC-USD", "ETH-USD", "BTC-USDT", "ETH-USDT"};

// Raised inside the loader only; parse_config turns it into a config_error.
struct config_exception {
  std::string message;
};

// Walks one YAML document, tracking the dotted key path so that every error names it and its line.
class config_reader {
 public:
  explicit config_reader(std::string_view source_name) : source_name_(source_name) {}

  [[noreturn]] void fail(const YAML::Node& node, const std::string& key,
                         const std::string& problem) const {
    std::string location = source_name_;
    if (node.IsDefined() && node.Mark().line >= 0) {
      location += fmt::format(":{}", node.Mark().line + 1);
    }
    throw config_exception{fmt::format("{}: {}: {}", location, key, problem)};
  }

  void require_map(const YAML::Node& node, const std::string& key) const {
    if (!node.IsMap()) {
      fail(node, key, "expected a mapping of keys to values");
    }
  }

  // Rejects keys outside allowed, naming the key and the allowed set, and keys given twice, which
  // yaml-cpp accepts although YAML requires unique keys.
  void reject_unknown_keys(const YAML::Node& node, const std::string& path,
                           const std::set<std::string>& allowed) const {
    std::set<std::string> seen;
    for (const auto& entry : node) {
      auto key = entry.first.as<std::string>();
      if (!seen.insert(key).second) {
        fail(entry.first, path.empty() ? key : path + "." + key,
             "duplicate key; keep one of the two entries");
      }
      if (!allowed.contains(key)) {
        std::string allowed_list;
        for (const auto& name : allowed) {
          allowed_list += allowed_list.empty() ? name : ", " + name;
        }
        fail(entry.first, path.empty() ? key : path + "." + key,
             fmt::format("unknown key; allowed keys here are: {}", allowed_list));
      }
    }
  }

  std::int64_t read_integer(const YAML::Node& node, const std::string& key, std::int64_t minimum,
                            std::int64_t maximum, std::string_view unit) const {
    std::int64_t value = 0;
    try {
      value = node.as<std::int64_t>();
    } catch (const YAML::Exception&) {
      fail(node, key,
           fmt::format("invalid value '{}': expected a whole number of {} from {} to {}",
                       scalar_text(node), unit, minimum, maximum));
    }
    if (value < minimum || value > maximum) {
      fail(node, key,
           fmt::format("invalid value {}: allowed range is {} to {} {}", value, minimum, maximum,
                       unit));
    }
    return value;
  }

  double read_number(const YAML::Node& node, const std::string& key, double minimum,
                     double maximum, std::string_view unit) const {
    double value = 0;
    try {
      value = node.as<double>();
    } catch (const YAML::Exception&) {
      fail(node, key,
           fmt::format("invalid value '{}': expected a number of {} from {} to {}",
                       scalar_text(node), unit, minimum, maximum));
    }
    if (!(value >= minimum && value <= maximum)) {
      fail(node, key,
           fmt::format("invalid value {}: allowed range is {} to {} {}", value, minimum, maximum,
                       unit));
    }
    return value;
  }

  bool read_bool(const YAML::Node& node, const std::string& key) const {
    try {
      return node.as<bool>();
    } catch (const YAML::Exception&) {
      fail(node, key, fmt::format("invalid value '{}': expected true or false", scalar_text(node)));
    }
  }

  std::string read_string(const YAML::Node& node, const std::string& key) const {
    if (!node.IsScalar()) {
      fail(node, key, "expected a string");
    }
    return node.as<std::string>();
  }

  milliseconds read_milliseconds(const YAML::Node& node, const std::string& key,
                                 std::int64_t minimum, std::int64_t maximum) const {
    return milliseconds{read_integer(node, key, minimum, maximum, "milliseconds")};
  }

 private:
  static std::string scalar_text(const YAML::Node& node) {
    return node.IsScalar() ? node.Scalar() : std::string("<not a scalar>");
  }

  std::string source_name_;
};

bool is_loopback_host(std::string_view host) {
  if (host == "localhost" || host == "[::1]") {
    return true;
  }
  // Only an IPv4 literal in 127.0.0.0/8: a name such as 127.example.com can resolve anywhere.
  std::string text(host);
  in_addr address{};
  return inet_pton(AF_INET, text.c_str(), &address) == 1 && text.starts_with("127.");
}

// The listener binds the host as given, without resolving names, so only literals are valid.
bool is_ip_literal_or_localhost(const std::string& host) {
  if (host == "localhost") {
    return true;
  }
  std::string literal = host;
  int family = AF_INET;
  if (literal.size() > 2 && literal.front() == '[' && literal.back() == ']') {
    literal = literal.substr(1, literal.size() - 2);
    family = AF_INET6;
  }
  unsigned char buffer[sizeof(in6_addr)];
  return inet_pton(family, literal.c_str(), buffer) == 1;
}

// Validates HOST:PORT (IPv6 hosts in brackets) and returns it unchanged.
std::string read_listen_address(const config_reader& reader, const YAML::Node& node,
                                const std::string& key, bool loopback_only) {
  std::string address = reader.read_string(node, key);
  auto colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == address.size()) {
    reader.fail(node, key,
                fmt::format("invalid address '{}': expected HOST:PORT, e.g. 127.0.0.1:8080",
                            address));
  }
  std::string port_text = address.substr(colon + 1);
  bool numeric = std::all_of(port_text.begin(), port_text.end(),
                             [](char c) { return c >= '0' && c <= '9'; });
  if (!numeric || port_text.size() > 5 || std::stoi(port_text) > 65535) {
    reader.fail(node, key,
                fmt::format("invalid port '{}' in '{}': expected 0 to 65535", port_text, address));
  }
  if (!is_ip_literal_or_localhost(address.substr(0, colon))) {
    reader.fail(node, key,
                fmt::format("invalid address '{}': the host must be an IP address such as "
                            "0.0.0.0, 127.0.0.1 or [::1], or localhost",
                            address));
  }
  if (loopback_only && !is_loopback_host(address.substr(0, colon))) {
    reader.fail(node, key,
                fmt::format("invalid address '{}': the admin listener may only bind a loopback "
                            "address such as 127.0.0.1",
                            address));
  }
  return address;
}

std::string read_base_url(const config_reader& reader, const YAML::Node& node,
                          const std::string& key) {
  std::string url = reader.read_string(node, key);
  auto scheme_end = url.find("://");
  bool known_scheme = url.starts_with("http://") || url.starts_with("https://");
  if (!known_scheme || scheme_end + 3 == url.size() || url[scheme_end + 3] == '/') {
    reader.fail(node, key,
                fmt::format("invalid URL '{}': expected http:// or https:// followed by a host",
                            url));
  }
  while (url.ends_with('/')) {
    url.pop_back();
  }
  return url;
}

void read_venue_timing(const config_reader& reader, const YAML::Node& node,
                       const std::string& path, venue_config& venue) {
  if (auto value = node["poll_interval_ms"]) {
    venue.poll_interval = reader.read_milliseconds(value, path + ".poll_interval_ms", 100, 3'600'000);
  }
  if (auto value = node["request_timeout_ms"]) {
    venue.request_timeout = reader.read_milliseconds(value, path + ".request_timeout_ms", 50, 60'000);
  }
  if (auto value = node["connect_timeout_ms"]) {
    venue.connect_timeout = reader.read_milliseconds(value, path + ".connect_timeout_ms", 10, 60'000);
  }
  if (auto value = node["max_body_bytes"]) {
    venue.max_body_bytes = static_cast<std::size_t>(reader.read_integer(
        value, path + ".max_body_bytes", 1'024, 64 * 1024 * 1024, "bytes"));
  }
}

void read_pair_policy(const config_reader& reader, const YAML::Node& node, const std::string& path,
                      pair_policy& policy) {
  if (auto value = node["max_quote_age_ms"]) {
    policy.max_quote_age = reader.read_milliseconds(value, path + ".max_quote_age_ms", 100, 3'600'000);
  }
  if (auto value = node["min_venues"]) {
    policy.min_venues = static_cast<int>(reader.read_integer(value, path + ".min_venues", 1, 50, "venues"));
  }
  if (auto value = node["outlier_threshold_bps"]) {
    policy.outlier_threshold_bps =
        reader.read_number(value, path + ".outlier_threshold_bps", 1, 10'000, "basis points");
  }
}

void read_defaults(const config_reader& reader, const YAML::Node& node, service_config& config) {
  reader.require_map(node, "defaults");
  reader.reject_unknown_keys(node, "defaults",
                             {"poll_interval_ms", "request_timeout_ms", "connect_timeout_ms",
                              "max_body_bytes", "max_quote_age_ms", "min_venues",
                              "outlier_threshold_bps"});
  read_venue_timing(reader, node, "defaults", config.venue_defaults);
  read_pair_policy(reader, node, "defaults", config.default_policy);
  const auto& defaults = config.venue_defaults;
  if (defaults.connect_timeout > defaults.request_timeout) {
    reader.fail(node, "defaults.connect_timeout_ms",
                fmt::format("invalid value {}: must not exceed request_timeout_ms {}",
                            defaults.connect_timeout.count(), defaults.request_timeout.count()));
  }
}

void read_supervision(const config_reader& reader, const YAML::Node& node,
                      supervision_config& supervision) {
  reader.require_map(node, "supervision");
  reader.reject_unknown_keys(node, "supervision",
                             {"restart_initial_delay_ms", "restart_max_delay_ms",
                              "restart_multiplier", "restart_intensity_max",
                              "restart_intensity_window_s", "failed_cooldown_s"});
  if (auto value = node["restart_initial_delay_ms"]) {
    supervision.restart_initial_delay =
        reader.read_milliseconds(value, "supervision.restart_initial_delay_ms", 1, 600'000);
  }
  if (auto value = node["restart_max_delay_ms"]) {
    supervision.restart_max_delay =
        reader.read_milliseconds(value, "supervision.restart_max_delay_ms", 1, 600'000);
  }
  if (auto value = node["restart_multiplier"]) {
    supervision.restart_multiplier =
        reader.read_number(value, "supervision.restart_multiplier", 1.0, 10.0, "(factor)");
  }
  if (auto value = node["restart_intensity_max"]) {
    supervision.restart_intensity_max = static_cast<int>(
        reader.read_integer(value, "supervision.restart_intensity_max", 1, 1'000, "restarts"));
  }
  if (auto value = node["restart_intensity_window_s"]) {
    supervision.restart_intensity_window = seconds{
        reader.read_integer(value, "supervision.restart_intensity_window_s", 1, 3'600, "seconds")};
  }
  if (auto value = node["failed_cooldown_s"]) {
    supervision.failed_cooldown =
        seconds{reader.read_integer(value, "supervision.failed_cooldown_s", 1, 86'400, "seconds")};
  }
  if (supervision.restart_max_delay < supervision.restart_initial_delay) {
    reader.fail(node, "supervision.restart_max_delay_ms",
                fmt::format("invalid value {}: must not be below restart_initial_delay_ms {}",
                            supervision.restart_max_delay.count(),
                            supervision.restart_initial_delay.count()));
  }
}

void read_breaker(const config_reader& reader, const YAML::Node& node, breaker_config& breaker) {
  reader.require_map(node, "breaker");
  reader.reject_unknown_keys(node, "breaker", {"failure_threshold", "open_duration_ms"});
  if (auto value = node["failure_threshold"]) {
    breaker.failure_threshold = static_cast<int>(
        reader.read_integer(value, "breaker.failure_threshold", 1, 1'000, "failures"));
  }
  if (auto value = node["open_duration_ms"]) {
    breaker.open_duration =
        reader.read_milliseconds(value, "breaker.open_duration_ms", 100, 3'600'000);
  }
}

const known_venue* find_known_venue(const std::vector<known_venue>& venues, std::string_view name) {
  for (const auto& venue : venues) {
    if (venue.name == name) {
      return &venue;
    }
  }
  return nullptr;
}

std::string known_venue_names(const std::vector<known_venue>& venues) {
  std::string names;
  for (const auto& venue : venues) {
    names += names.empty() ? venue.name : ", " + venue.name;
  }
  return names;
}

std::vector<std::string> read_venue_pairs(const config_reader& reader, const YAML::Node& node,
                                          const std::string& path, const known_venue& known) {
  if (!node.IsSequence() || node.size() == 0) {
    reader.fail(node, path, "expected a non-empty list of pairs such as [BTC-USD, ETH-USD]");
  }
  std::vector<std::string> pairs;
  for (const auto& item : node) {
    std::string text = reader.read_string(item, path);
    auto parsed = parse_pair(text);
    if (!parsed) {
      reader.fail(item, path,
                  fmt::format("invalid pair '{}': expected BASE-QUOTE such as BTC-USD", text));
    }
    std::string canonical = parsed->canonical();
    if (!known.supports_pair(canonical)) {
      reader.fail(item, path,
                  fmt::format("venue {} does not quote pair {}; remove it from this list",
                              known.name, canonical));
    }
    if (std::find(pairs.begin(), pairs.end(), canonical) == pairs.end()) {
      pairs.push_back(canonical);
    }
  }
  return pairs;
}

venue_config make_default_venue(const known_venue& known, const venue_config& defaults) {
  venue_config venue = defaults;
  venue.name = known.name;
  venue.base_url = known.default_base_url;
  venue.pairs.clear();
  if (!known.default_pairs.empty()) {
    venue.pairs = known.default_pairs;
    return venue;
  }
  for (const auto& pair : default_pairs) {
    if (known.supports_pair(pair)) {
      venue.pairs.push_back(pair);
    }
  }
  return venue;
}

void read_venues(const config_reader& reader, const YAML::Node& node,
                 const std::vector<known_venue>& known_venues, service_config& config) {
  reader.require_map(node, "venues");
  config.venues.clear();
  std::set<std::string> seen;
  for (const auto& entry : node) {
    auto name = entry.first.as<std::string>();
    std::string path = "venues." + name;
    const known_venue* known = find_known_venue(known_venues, name);
    if (known == nullptr) {
      reader.fail(entry.first, path,
                  fmt::format("unknown venue '{}'; known venues are: {}", name,
                              known_venue_names(known_venues)));
    }
    if (!seen.insert(name).second) {
      reader.fail(entry.first, path,
                  fmt::format("duplicate venue '{}'; list each venue once", name));
    }
    const YAML::Node& body = entry.second;
    venue_config venue = make_default_venue(*known, config.venue_defaults);
    if (body.IsNull()) {
      config.venues.push_back(venue);
      continue;
    }
    reader.require_map(body, path);
    reader.reject_unknown_keys(body, path,
                               {"enabled", "base_url", "poll_interval_ms", "request_timeout_ms",
                                "connect_timeout_ms", "max_body_bytes", "pairs"});
    if (auto value = body["enabled"]) {
      venue.enabled = reader.read_bool(value, path + ".enabled");
    }
    if (auto value = body["base_url"]) {
      venue.base_url = read_base_url(reader, value, path + ".base_url");
    }
    read_venue_timing(reader, body, path, venue);
    if (auto value = body["pairs"]) {
      venue.pairs = read_venue_pairs(reader, value, path + ".pairs", *known);
    }
    if (venue.connect_timeout > venue.request_timeout) {
      reader.fail(body, path + ".connect_timeout_ms",
                  fmt::format("invalid value {}: must not exceed request_timeout_ms {}",
                              venue.connect_timeout.count(), venue.request_timeout.count()));
    }
    config.venues.push_back(venue);
  }
}

void read_pair_policies(const config_reader& reader, const YAML::Node& node,
                        service_config& config) {
  reader.require_map(node, "pairs");
  for (const auto& entry : node) {
    auto text = entry.first.as<std::string>();
    auto parsed = parse_pair(text);
    if (!parsed) {
      reader.fail(entry.first, "pairs." + text,
                  fmt::format("invalid pair '{}': expected BASE-QUOTE such as BTC-USD", text));
    }
    std::string path = "pairs." + parsed->canonical();
    if (config.pair_policies.contains(parsed->canonical())) {
      reader.fail(entry.first, path,
                  fmt::format("duplicate pair '{}': pair names ignore letter case, so list each "
                              "pair once",
                              text));
    }
    reader.require_map(entry.second, path);
    reader.reject_unknown_keys(entry.second, path,
                               {"max_quote_age_ms", "min_venues", "outlier_threshold_bps"});
    pair_policy policy = config.default_policy;
    read_pair_policy(reader, entry.second, path, policy);
    config.pair_policies[parsed->canonical()] = policy;
  }
}

void read_top_level(const config_reader& reader, const YAML::Node& root,
                    const std::vector<known_venue>& known_venues, service_config& config) {
  reader.reject_unknown_keys(root, "",
                             {"listen", "admin_listen", "log_level", "history_size", "defaults",
                              "supervision", "breaker", "venues", "pairs"});
  if (auto value = root["listen"]) {
    config.listen = read_listen_address(reader, value, "listen", false);
  }
  if (auto value = root["admin_listen"]) {
    std::string text = reader.read_string(value, "admin_listen");
    config.admin_listen = text.empty() ? "" : read_listen_address(reader, value, "admin_listen", true);
  }
  if (auto value = root["log_level"]) {
    config.log_level = reader.read_string(value, "log_level");
    static const std::set<std::string> levels = {"debug", "info", "warn", "error"};
    if (!levels.contains(config.log_level)) {
      reader.fail(value, "log_level",
                  fmt::format("invalid value '{}': expected debug, info, warn or error",
                              config.log_level));
    }
  }
  if (auto value = root["history_size"]) {
    config.history_size = static_cast<std::size_t>(
        reader.read_integer(value, "history_size", 1, 1'000'000, "entries"));
  }

  // Defaults come before venues so that every venue inherits them.
  if (auto value = root["defaults"]) {
    read_defaults(reader, value, config);
    for (auto& venue : config.venues) {
      venue = make_default_venue(*find_known_venue(known_venues, venue.name), config.venue_defaults);
    }
  }
  if (auto value = root["supervision"]) {
    read_supervision(reader, value, config.supervision);
  }
  if (auto value = root["breaker"]) {
    read_breaker(reader, value, config.breaker);
  }
  if (auto value = root["venues"]) {
    read_venues(reader, value, known_venues, config);
  }
  if (auto value = root["pairs"]) {
    read_pair_policies(reader, value, config);
  }
}

}  // namespace

const pair_policy& service_config::policy_for(const std::string& canonical_pair) const {
  auto found = pair_policies.find(canonical_pair);
  return found == pair_policies.end() ? default_policy : found->second;
}

std::vector<std::string> service_config::configured_pairs() const {
  std::set<std::string> pairs;
  for (const auto& venue : venues) {
    if (venue.enabled) {
      pairs.insert(venue.pairs.begin(), venue.pairs.end());
    }
  }
  return {pairs.begin(), pairs.end()};
}

std::vector<std::string> service_config::venues_for(const std::string& canonical_pair) const {
  std::vector<std::string> names;
  for (const auto& venue : venues) {
    bool polls_pair =
        std::find(venue.pairs.begin(), venue.pairs.end(), canonical_pair) != venue.pairs.end();
    if (venue.enabled && polls_pair) {
      names.push_back(venue.name);
    }
  }
  return names;
}

service_config default_config(const std::vector<known_venue>& venues) {
  service_config config;
  for (const auto& known : venues) {
    config.venues.push_back(make_default_venue(known, config.venue_defaults));
  }
  return config;
}

config_result parse_config(std::string_view yaml_text, std::string_view source_name,
                           const std::vector<known_venue>& venues) {
  config_reader reader(source_name);
  service_config config = default_config(venues);
  try {
    YAML::Node root = YAML::Load(std::string(yaml_text));
    if (root.IsNull()) {
      return config;
    }
    if (!root.IsMap()) {
      return config_error{fmt::format(
          "{}: expected a YAML mapping at the top level (keys such as listen, venues, pairs)",
          source_name)};
    }
    read_top_level(reader, root, venues, config);
  } catch (const config_exception& error) {
    return config_error{error.message};
  } catch (const YAML::Exception& error) {
    return config_error{fmt::format("{}:{}: invalid YAML: {}", source_name, error.mark.line + 1,
                                    error.msg)};
  }
  auto polled_pairs = config.configured_pairs();
  for (const auto& [pair, policy] : config.pair_policies) {
    if (std::find(polled_pairs.begin(), polled_pairs.end(), pair) == polled_pairs.end()) {
      return config_error{fmt::format(
          "{}: pairs.{}: no enabled venue polls this pair; fix the pair name or add it to a "
          "venue's pairs",
          source_name, pair)};
    }
  }
  if (config.configured_pairs().empty()) {
    return config_error{fmt::format(
        "{}: no enabled venue polls any pair; enable at least one venue under 'venues'",
        source_name)};
  }
  return config;
}

config_result load_config_file(const std::string& path, const std::vector<known_venue>& venues) {
  std::error_code ignored;
  std::ifstream file(path);
  if (!std::filesystem::is_regular_file(path, ignored) || !file) {
    return config_error{fmt::format(
        "{}: cannot read the config file; check the path given by --config or NIMBUS_CONFIG", path)};
  }
  std::stringstream text;
  text << file.rdbuf();
  return parse_config(text.str(), path, venues);
}

}  // namespace nimbus

namespace nimbus {
namespace {

void write_pair_policy(json_writer& json, const pair_policy& policy) {
  json.begin_object()
      .key("max_quote_age_ms").integer(policy.max_quote_age.count())
      .key("min_venues").integer(policy.min_venues)
      .key("outlier_threshold_bps").number(policy.outlier_threshold_bps)
      .end_object();
}

void write_venue(json_writer& json, const venue_config& venue) {
  json.begin_object()
      .key("name").string(venue.name)
      .key("enabled").boolean(venue.enabled)
      .key("base_url").string(venue.base_url)
      .key("poll_interval_ms").integer(venue.poll_interval.count())
      .key("request_timeout_ms").integer(venue.request_timeout.count())
      .key("connect_timeout_ms").integer(venue.connect_timeout.count())
      .key("max_body_bytes").integer(static_cast<std::int64_t>(venue.max_body_bytes))
      .key("pairs").begin_array();
  for (const auto& pair : venue.pairs) {
    json.string(pair);
  }
  json.end_array().end_object();
}

}  // namespace

std::string config_to_json(const service_config& config) {
  std::string out;
  json_writer json(out);
  json.begin_object()
      .key("listen").string(config.listen)
      .key("admin_listen").string(config.admin_listen)
      .key("log_level").string(config.log_level)
      .key("history_size").integer(static_cast<std::int64_t>(config.history_size))
      .key("default_policy");
  write_pair_policy(json, config.default_policy);
  json.key("supervision").begin_object()
      .key("restart_initial_delay_ms").integer(config.supervision.restart_initial_delay.count())
      .key("restart_max_delay_ms").integer(config.supervision.restart_max_delay.count())
      .key("restart_multiplier").number(config.supervision.restart_multiplier)
      .key("restart_intensity_max").integer(config.supervision.restart_intensity_max)
      .key("restart_intensity_window_s").integer(config.supervision.restart_intensity_window.count())
      .key("failed_cooldown_s").integer(config.supervision.failed_cooldown.count())
      .end_object();
  json.key("breaker").begin_object()
      .key("failure_threshold").integer(config.breaker.failure_threshold)
      .key("open_duration_ms").integer(config.breaker.open_duration.count())
      .end_object();
  json.key("venues").begin_array();
  for (const auto& venue : config.venues) {
    write_venue(json, venue);
  }
  json.end_array().key("pairs").begin_object();
  for (const auto& [pair, policy] : config.pair_policies) {
    json.key(pair);
    write_pair_policy(json, policy);
  }
  json.end_object().end_object();
  return out;
}

}  // namespace nimbus

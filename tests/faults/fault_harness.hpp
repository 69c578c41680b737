#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/service_process.hpp"
#include "tests/simulator/exchange_simulator.hpp"

// Shared pieces of the fault-injection suite: per-venue exchange simulators, the service under test
// with its admin listener, readers for the REST API, /metrics and the JSON log, and a background
// client that checks every response it receives.
namespace nimbus::faults {

using namespace std::chrono_literals;
using e2e::service_process;

// The one pair every venue quotes in this suite.
inline constexpr const char* test_pair = "BTC-USDT";

// The mid price a healthy venue quotes. Each venue has its own value, so the reference price names
// which venues the median used.
double healthy_mid(const std::string& venue);

// The median of `values` (the mean of the two middle values for an even count), as the service
// computes the reference price.
double median(std::vector<double> values);

// Polls `condition` every `interval` until it is true or `timeout` passes. Returns the last result.
template <class Condition>
bool poll_until(Condition condition, std::chrono::milliseconds timeout,
                std::chrono::milliseconds interval = 20ms) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) {
      return true;
    }
    std::this_thread::sleep_for(interval);
  }
  return condition();
}

// Milliseconds elapsed since `start`, for timing assertions.
double elapsed_ms(std::chrono::steady_clock::time_point start);

// -- venues ---------------------------------------------------------------------------------------

// One exchange simulator per venue, each serving that venue's BTC-USDT ticker in its wire format.
// Separate servers let a fault that takes a whole server down (refused connections) reach exactly
// one venue, and give per-venue request counts.
class venue_farm {
 public:
  // Starts a simulator per venue, each serving the venue's healthy_mid().
  explicit venue_farm(std::vector<std::string> venues);

  const std::vector<std::string>& venues() const { return venues_; }
  sim::exchange_simulator& simulator(const std::string& venue);

  // The request target the service sends to the venue for test_pair.
  std::string route(const std::string& venue) const;

  // The base_url the service is configured with: the venue's simulator unless overridden.
  std::string base_url(const std::string& venue) const;
  void override_base_url(const std::string& venue, std::string base_url);

  // Serves a ticker with bid mid - 0.5 and ask mid + 0.5.
  void serve_mid(const std::string& venue, double mid);
  void serve_healthy(const std::string& venue) { serve_mid(venue, healthy_mid(venue)); }
  void serve(const std::string& venue, sim::response reply);

  std::uint64_t request_count(const std::string& venue) const;

 private:
  std::vector<std::string> venues_;
  std::map<std::string, std::unique_ptr<sim::exchange_simulator>> simulators_;
  std::map<std::string, std::string> base_url_overrides_;
};

// The successful ticker response of `venue` for test_pair at `mid`.
sim::response ticker_at(const std::string& venue, double mid);

// -- the service under test -----------------------------------------------------------------------

// Configuration values the tests vary. The defaults keep every wait in the suite short.
struct service_settings {
  int poll_interval_ms = 100;
  int request_timeout_ms = 500;
  int connect_timeout_ms = 200;
  int max_quote_age_ms = 1000;
  int min_venues = 3;
  int outlier_threshold_bps = 100;
  int restart_initial_delay_ms = 100;
  int restart_max_delay_ms = 300;
  int restart_intensity_max = 20;
  int restart_intensity_window_s = 30;
  int failed_cooldown_s = 60;
  // High by default, so that a failing venue keeps being polled and heals at the next poll.
  int breaker_failure_threshold = 1000;
  int breaker_open_duration_ms = 30'000;
};

// The YAML configuration for `settings` with every farm venue quoting test_pair.
std::string render_config(const service_settings& settings, const venue_farm& farm);

// The nimbus-signals binary started with a rendered configuration and, when asked, an admin
// listener on a free loopback port.
class service_under_test {
 public:
  service_under_test(const service_settings& settings, const venue_farm& farm,
                     bool with_admin_listener = true);

  // Waits for the public port. False when the process exited or did not listen in time.
  bool wait_until_listening();

  service_process& process() { return *process_; }
  std::string url(const std::string& path) const { return process_->url(path); }
  std::uint16_t admin_port() const { return admin_port_; }

  // POST /admin/actors/{actor}/kill, with ?reason=user when `reason` is "user".
  e2e::http_result kill(const std::string& actor, const std::string& reason);

  bool running() { return process_->running(); }
  std::string log_text() const { return process_->log_text(); }

 private:
  std::uint16_t admin_port_ = 0;
  std::unique_ptr<service_process> process_;
};

// -- reading the REST API -------------------------------------------------------------------------

struct source_view {
  bool used = false;
  std::string reason;  // "used" when the venue is used, else the exclusion reason
  std::optional<double> age_ms;
  std::optional<double> mid;
};

struct pair_view {
  std::optional<double> price;
  int venues_used = 0;
  std::string status;
  bool stale = true;
  std::optional<double> age_ms;
  std::map<std::string, source_view> sources;  // by venue
};

struct venue_view {
  std::string state;
  std::string breaker_state;
  std::string error_category;  // last_error.category, or "none"
  std::string error_detail;    // last_error.detail, or empty
  std::string venue_code;      // last_error.venue_code, or empty
  std::int64_t fetches = 0;
  std::int64_t restarts = 0;
};

// GET /v1/prices/{pair} and its /sources, from the same rendered snapshot unless the snapshot
// changed between the requests ten times in a row. Nullopt when a request fails or is not JSON.
std::optional<pair_view> read_pair(const service_under_test& service,
                                   const std::string& pair = test_pair);

// GET /v1/venues by venue name. Empty when the request fails.
std::map<std::string, venue_view> read_venues(const service_under_test& service);

// Whether every listed venue is used for test_pair and the pair is healthy.
bool all_venues_used(const service_under_test& service, const std::vector<std::string>& venues);

// -- reading /metrics -----------------------------------------------------------------------------

using label_set = std::map<std::string, std::string>;

struct metric_series {
  label_set labels;
  double value = 0;
};

// Every series of the metric `name` in Prometheus text exposition.
std::vector<metric_series> read_series(const std::string& exposition, const std::string& name);

// The value of the first series `name` whose labels include every entry of `labels`, from
// Prometheus text exposition. Nullopt when no line matches.
std::optional<double> metric_value(const std::string& exposition, const std::string& name,
                                   const label_set& labels);

// GET /metrics and metric_value(). Nullopt also when the request fails.
std::optional<double> read_metric(const service_under_test& service, const std::string& name,
                                  const label_set& labels);

// Waits until nimbus_actor_restarts_total{actor,reason} reaches `restarts` and the actor has then
// handled a message: the supervisor counts a restart when the old instance is gone, so a message
// counted afterwards comes from the new one. False when `timeout` passes first.
bool wait_for_restart(const service_under_test& service, const std::string& actor,
                      const std::string& reason, double restarts,
                      std::chrono::milliseconds timeout);

// -- reading the JSON log -------------------------------------------------------------------------

// The fields of every log line whose "msg" is `message`, numbers and booleans as their JSON text.
std::vector<std::map<std::string, std::string>> log_entries(const std::string& log_text,
                                                            const std::string& message);

// -- the process ----------------------------------------------------------------------------------

// The one running child of this test process whose executable is `executable`. Nullopt when there
// is none or more than one.
std::optional<pid_t> find_child_process(const std::string& executable);

// VmRSS from /proc/<pid>/status in KiB. Nullopt when the process is gone.
std::optional<std::int64_t> resident_memory_kib(pid_t pid);

// -- a client that checks every response
// -----------------------------------------------------------

// Clients that each poll the public API on one keep-alive connection from a thread of their own,
// cycling through `paths`. A response counts as failed unless it arrives with status 200 and a body
// that parses as JSON. Each client stops by itself after `max_duration`, so a test that fails
// before calling stop() still ends.
class api_poller {
 public:
  api_poller(std::string base_url, std::vector<std::string> paths, int connections,
             std::chrono::milliseconds pause, std::chrono::seconds max_duration = 120s);
  ~api_poller();

  api_poller(const api_poller&) = delete;
  api_poller& operator=(const api_poller&) = delete;

  void stop();

  std::uint64_t responses() const { return responses_.load(); }
  std::uint64_t failures() const { return failures_.load(); }

  // Up to ten failures, each with its path, curl error or status and the start of the body.
  std::vector<std::string> failure_samples() const;

 private:
  void run(std::chrono::steady_clock::time_point deadline);
  void record_failure(std::string description);

  std::string base_url_;
  std::vector<std::string> paths_;
  std::chrono::milliseconds pause_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> responses_{0};
  std::atomic<std::uint64_t> failures_{0};
  mutable std::mutex samples_mutex_;
  std::vector<std::string> samples_;
  std::vector<std::thread> threads_;
};

// Joins failure samples into one line per failure, for assertion messages.
std::string join_lines(const std::vector<std::string>& lines);

}  // namespace nimbus::faults

#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace nimbus {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Per-pair aggregation policy: staleness limit, minimum venues and outlier threshold.
struct pair_policy {
  milliseconds max_quote_age{10'000};  // quotes older than this are stale and excluded
  int min_venues = 3;                  // fewer fresh, non-outlier venues make the pair degraded
  double outlier_threshold_bps = 100;  // a mid further than this from the median is an outlier
};

struct venue_config {
  std::string name;
  bool enabled = true;
  std::string base_url;
  milliseconds poll_interval{2'000};
  milliseconds request_timeout{3'000};
  milliseconds connect_timeout{1'000};
  std::size_t max_body_bytes = 1 << 20;
  std::vector<std::string> pairs;  // canonical pairs, "BTC-USD"
};

// Restart policy for supervised actors: exponential backoff with full jitter, and an intensity
// limit that marks a venue failed instead of restarting it forever.
struct supervision_config {
  milliseconds restart_initial_delay{100};
  milliseconds restart_max_delay{5'000};
  double restart_multiplier = 2.0;
  int restart_intensity_max = 5;  // restarts allowed within restart_intensity_window
  seconds restart_intensity_window{30};
  seconds failed_cooldown{60};  // how long a failed venue waits before it is tried again
};

struct breaker_config {
  int failure_threshold = 5;         // consecutive failures that open a venue's breaker
  milliseconds open_duration{30'000};  // how long it stays open before one probe request
};

struct service_config {
  std::string listen = "0.0.0.0:8080";
  std::string admin_listen;  // empty: the admin listener is off
  std::string log_level = "info";
  std::size_t history_size = 3'600;  // aggregate prices kept per symbol for GET /prices
  pair_policy default_policy;
  venue_config venue_defaults;  // poll interval, timeouts and body cap shared by all venues
  supervision_config supervision;
  breaker_config breaker;
  std::vector<venue_config> venues;
  std::map<std::string, pair_policy> pair_policies;  // per-pair overrides

  // The policy for a pair: its override when configured, else the defaults.
  const pair_policy& policy_for(const std::string& canonical_pair) const;

  // Every pair at least one enabled venue polls, sorted.
  std::vector<std::string> configured_pairs() const;

  // Enabled venues that poll the pair.
  std::vector<std::string> venues_for(const std::string& canonical_pair) const;
};

// A venue the build supports, as the configuration loader sees it: name, public URL and pairs.
struct known_venue {
  std::string name;
  std::string default_base_url;
  std::function<bool(std::string_view canonical_pair)> supports_pair;
  // Pairs polled when the config names none: the venue's listed markets among BTC-USD, ETH-USD,
  // BTC-USDT and ETH-USDT. Empty means every one of those four that supports_pair accepts.
  std::vector<std::string> default_pairs;
};

// A rejected configuration: one message naming the key, its line and the allowed values.
struct config_error {
  std::string message;
};

using config_result = std::variant<service_config, config_error>;

// The built-in configuration: every known venue polls its default pairs against its real public
// endpoint.
service_config default_config(const std::vector<known_venue>& venues);

// Parses YAML text over the built-in defaults. source_name prefixes every error message.
config_result parse_config(std::string_view yaml_text, std::string_view source_name,
                           const std::vector<known_venue>& venues);

// Reads and parses a YAML file; a missing or unreadable file is a config_error.
config_result load_config_file(const std::string& path, const std::vector<known_venue>& venues);

// Renders the effective configuration as one JSON object, for the start-up log line.
std::string config_to_json(const service_config& config);

}  // namespace nimbus

#pragma once

#include <string>
#include <vector>

#include "pipeline/metrics_registry.hpp"
#include "pipeline/snapshot.hpp"

namespace nimbus {

// Every metric family the service exports, registered once at start-up. The registry is
// thread-safe, so actors and the HTTP threads update their families directly.
struct service_metrics {
  service_metrics();

  metrics::registry registry;

  metrics::family<metrics::gauge>& build_info;
  metrics::family<metrics::counter>& http_requests;
  metrics::family<metrics::histogram>& http_request_duration;
  metrics::family<metrics::counter>& http_bad_requests;
  metrics::family<metrics::counter>& config_errors;

  metrics::family<metrics::counter>& venue_fetches;
  metrics::family<metrics::counter>& venue_fetch_failures;
  metrics::family<metrics::histogram>& venue_fetch_duration;
  metrics::family<metrics::gauge>& venue_last_success;
  metrics::family<metrics::gauge>& venue_up;
  metrics::family<metrics::gauge>& venue_breaker_state;
  metrics::family<metrics::gauge>& venue_quote_age;

  metrics::family<metrics::gauge>& pair_reference_price;
  metrics::family<metrics::gauge>& pair_best_bid;
  metrics::family<metrics::gauge>& pair_best_ask;
  metrics::family<metrics::gauge>& pair_spread;
  metrics::family<metrics::gauge>& pair_dispersion;
  metrics::family<metrics::gauge>& pair_venues_used;
  metrics::family<metrics::gauge>& pair_venues_configured;
  metrics::family<metrics::gauge>& pair_venues_excluded;
  metrics::family<metrics::gauge>& pair_aggregate_age;
  metrics::family<metrics::gauge>& pair_status;
  metrics::family<metrics::counter>& aggregate_updates;

  metrics::family<metrics::counter>& actor_messages;
  metrics::family<metrics::counter>& actor_restarts;

  // Creates every per-venue failure, breaker and restart series at zero, so that rate() counts the
  // first failure or restart instead of a series that appears with it.
  void initialise_series(const std::vector<std::string>& venues,
                         const std::vector<std::string>& actors);

  // Records one HTTP request; method values outside GET and HEAD are folded into "other".
  void observe_request(const std::string& route, std::string_view method, int status,
                       double duration_seconds);

  // Sets every per-pair and per-venue gauge from a snapshot.
  void publish_snapshot(const aggregate_snapshot& snapshot);
};

}  // namespace nimbus

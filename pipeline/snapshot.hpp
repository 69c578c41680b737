#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/aggregation.hpp"
#include "pipeline/fetch_error.hpp"
#include "pipeline/timestamps.hpp"

namespace nimbus {

// A venue's fetch health, as GET /v1/venues reports it.
struct venue_health {
  std::string venue;
  std::string state = "starting";  // starting, ok, failing, open (breaker), failed (supervisor)
  std::string breaker_state = "closed";
  std::optional<timestamp> last_success;
  std::optional<fetch_error> last_error;
  std::optional<timestamp> last_error_at;
  std::int64_t consecutive_failures = 0;
  std::int64_t restarts = 0;
  std::int64_t fetches = 0;
  std::int64_t failures = 0;
};

// One point of the compatibility history: Unix seconds and the USD reference price.
struct history_point {
  double unix_seconds = 0;
  double price = 0;
};

// Recent USD reference prices per symbol ("BTC"), oldest first.
using history_map = std::map<std::string, std::vector<history_point>>;

// Everything the REST API serves, computed by the aggregator and rendered once by the HTTP actor.
struct aggregate_snapshot {
  timestamp generated_at{};
  std::vector<pair_aggregate> pairs;  // sorted by pair
  std::vector<venue_health> venues;   // sorted by venue
  std::shared_ptr<const history_map> history;  // shared: rebuilt only when a point is added
  std::map<std::string, pair_policy> policies;                // per configured pair
};

}  // namespace nimbus

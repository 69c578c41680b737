#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/config.hpp"
#include "pipeline/decimal.hpp"
#include "pipeline/fetch_error.hpp"
#include "pipeline/quote.hpp"
#include "pipeline/timestamps.hpp"

namespace nimbus {

enum class pair_status { healthy, degraded, unavailable };
enum class exclusion_reason { stale, outlier, invalid_quote, error };

std::string_view to_string(pair_status status);
std::string_view to_string(exclusion_reason reason);

// The aggregator's record of one venue for one pair: its latest valid quote and its latest
// failure, either of which may be missing.
struct venue_observation {
  std::string venue;
  std::optional<quote> latest_quote;
  std::optional<fetch_error> latest_error;
  timestamp latest_error_at{};
};

// One venue's line in an aggregate: its quote, age, and whether it was used or why not.
struct venue_source {
  std::string venue;
  std::optional<quote> latest_quote;
  double mid = 0;
  double age_ms = 0;  // now minus the quote's local receive time; 0 without a quote
  bool used = false;
  std::optional<exclusion_reason> reason;
  std::string detail;  // why it was excluded, naming the values
};

// The reference price of one pair and how it was made.
struct pair_aggregate {
  std::string pair;
  pair_status status = pair_status::unavailable;
  bool stale = true;  // no fresh venue: the prices are the last good ones, kept for reference
  std::optional<double> price;  // median of used venues' mids
  std::optional<decimal> best_bid;
  std::optional<decimal> best_ask;
  std::optional<double> spread;          // best ask minus best bid; negative when venues cross
  std::optional<double> dispersion_bps;  // median absolute deviation of mids over the median
  int venues_used = 0;
  int venues_total = 0;
  std::optional<timestamp> as_of;  // receive time of the newest used quote
  std::vector<venue_source> sources;
};

// Aggregates one pair from its venues' observations at time now.
//
// The reference price is the median of the mids of venues whose latest quote is no older than
// policy.max_quote_age. Venues whose mid deviates from that median by more than
// policy.outlier_threshold_bps are excluded and the median is recomputed over the rest. With fewer
// used venues than policy.min_venues the pair is degraded; with none it is unavailable, and the
// previous aggregate's prices are carried over, marked stale.
pair_aggregate aggregate_pair(const std::string& pair,
                              const std::vector<venue_observation>& observations,
                              const pair_policy& policy, timestamp now,
                              const pair_aggregate* previous);

// The median of values; the mean of the two middle values for an even count. values is reordered.
double median_of(std::vector<double>& values);

}  // namespace nimbus

#include "pipeline/aggregation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include <fmt/format.h>

namespace nimbus {
namespace {

double milliseconds_between(timestamp earlier, timestamp later) {
  return std::chrono::duration<double, std::milli>(later - earlier).count();
}

// Classifies a venue as a candidate (fresh quote) or an exclusion with its reason.
venue_source classify(const venue_observation& observation, const pair_policy& policy,
                      timestamp now) {
  venue_source source;
  source.venue = observation.venue;
  source.latest_quote = observation.latest_quote;

  const auto& quote_value = observation.latest_quote;
  if (quote_value) {
    source.mid = quote_value->mid();
    source.age_ms = std::max(0.0, milliseconds_between(quote_value->received_at, now));
  }
  bool fresh = quote_value && source.age_ms <= static_cast<double>(policy.max_quote_age.count());
  if (fresh) {
    return source;
  }

  // No fresh quote: report whether the venue is failing or just quiet.
  const auto& error = observation.latest_error;
  bool error_is_latest =
      error && (!quote_value || observation.latest_error_at >= quote_value->received_at);
  if (error_is_latest) {
    source.reason = error->category == error_category::invalid_quote
                        ? exclusion_reason::invalid_quote
                        : exclusion_reason::error;
    source.detail = fmt::format("{}: {}", to_string(error->category), error->detail);
  } else if (quote_value) {
    source.reason = exclusion_reason::stale;
    source.detail = fmt::format("quote age {:.0f} ms exceeds the maximum {} ms", source.age_ms,
                                policy.max_quote_age.count());
  } else {
    source.reason = exclusion_reason::stale;
    source.detail = "no quote received yet";
  }
  return source;
}

double deviation_bps(double mid, double reference) {
  return std::abs(mid - reference) / reference * 10'000.0;
}

std::vector<double> candidate_mids(const std::vector<venue_source>& sources) {
  std::vector<double> mids;
  for (const auto& source : sources) {
    if (!source.reason) {
      mids.push_back(source.mid);
    }
  }
  return mids;
}

// Excludes candidates further than the threshold from the first-pass median.
void exclude_outliers(std::vector<venue_source>& sources, double first_median,
                      const pair_policy& policy) {
  for (auto& source : sources) {
    if (source.reason) {
      continue;
    }
    double deviation = deviation_bps(source.mid, first_median);
    if (deviation > policy.outlier_threshold_bps) {
      source.reason = exclusion_reason::outlier;
      source.detail = fmt::format("mid {} deviates {:.1f} bps from the median {} (threshold {} bps)",
                                  source.mid, deviation, first_median,
                                  policy.outlier_threshold_bps);
    }
  }
}

// Subtracts in decimal, so that a spread of 64001.5 - 64000.2 prints as 1.3 and not as
// 1.2999999999985448. Falls back to double subtraction when aligning the two exponents would
// overflow 128 bits, which no real price pair comes near.
double exact_difference(const decimal& minuend, const decimal& subtrahend) {
  int common = std::min(minuend.exponent(), subtrahend.exponent());
  int shift = std::max(minuend.exponent(), subtrahend.exponent()) - common;
  if (shift > 18) {
    return minuend.to_double() - subtrahend.to_double();
  }
  __extension__ using wide_int = __int128;
  wide_int left = minuend.mantissa();
  wide_int right = subtrahend.mantissa();
  for (int i = common; i < minuend.exponent(); ++i) {
    left *= 10;
  }
  for (int i = common; i < subtrahend.exponent(); ++i) {
    right *= 10;
  }
  wide_int difference = left - right;
  bool fits = difference <= std::numeric_limits<std::int64_t>::max() &&
              difference >= std::numeric_limits<std::int64_t>::min();
  if (!fits) {
    return minuend.to_double() - subtrahend.to_double();
  }
  auto exact = decimal::parse(std::to_string(static_cast<std::int64_t>(difference)) + "e" +
                              std::to_string(common));
  return exact ? exact->to_double() : minuend.to_double() - subtrahend.to_double();
}

void fill_book(pair_aggregate& aggregate, const std::vector<venue_source>& sources) {
  for (const auto& source : sources) {
    if (!source.used) {
      continue;
    }
    const auto& venue_quote = *source.latest_quote;
    if (venue_quote.bid && (!aggregate.best_bid || *venue_quote.bid > *aggregate.best_bid)) {
      aggregate.best_bid = venue_quote.bid;
    }
    if (venue_quote.ask && (!aggregate.best_ask || *venue_quote.ask < *aggregate.best_ask)) {
      aggregate.best_ask = venue_quote.ask;
    }
    if (!aggregate.as_of || venue_quote.received_at > *aggregate.as_of) {
      aggregate.as_of = venue_quote.received_at;
    }
  }
  if (aggregate.best_bid && aggregate.best_ask) {
    aggregate.spread = exact_difference(*aggregate.best_ask, *aggregate.best_bid);
  }
}

void carry_over_previous(pair_aggregate& aggregate, const pair_aggregate* previous) {
  if (previous == nullptr) {
    return;
  }
  aggregate.price = previous->price;
  aggregate.best_bid = previous->best_bid;
  aggregate.best_ask = previous->best_ask;
  aggregate.spread = previous->spread;
  aggregate.dispersion_bps = previous->dispersion_bps;
  aggregate.as_of = previous->as_of;
}

}  // namespace

std::string_view to_string(pair_status status) {
  switch (status) {
    case pair_status::healthy:
      return "healthy";
    case pair_status::degraded:
      return "degraded";
    case pair_status::unavailable:
      return "unavailable";
  }
  return "unknown";
}

std::string_view to_string(exclusion_reason reason) {
  switch (reason) {
    case exclusion_reason::stale:
      return "stale";
    case exclusion_reason::outlier:
      return "outlier";
    case exclusion_reason::invalid_quote:
      return "invalid_quote";
    case exclusion_reason::error:
      return "error";
  }
  return "unknown";
}

double median_of(std::vector<double>& values) {
  auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  double upper = *middle;
  if (values.size() % 2 == 1) {
    return upper;
  }
  double lower = *std::max_element(values.begin(), middle);
  return (lower + upper) / 2.0;
}

pair_aggregate aggregate_pair(const std::string& pair,
                              const std::vector<venue_observation>& observations,
                              const pair_policy& policy, timestamp now,
                              const pair_aggregate* previous) {
  pair_aggregate aggregate;
  aggregate.pair = pair;
  aggregate.venues_total = static_cast<int>(observations.size());
  for (const auto& observation : observations) {
    aggregate.sources.push_back(classify(observation, policy, now));
  }

  // First pass: the median of every fresh venue, then drop the outliers around it.
  std::vector<double> mids = candidate_mids(aggregate.sources);
  if (mids.empty()) {
    aggregate.status = pair_status::unavailable;
    aggregate.stale = true;
    carry_over_previous(aggregate, previous);
    return aggregate;
  }
  std::vector<venue_source> before_outliers = aggregate.sources;
  exclude_outliers(aggregate.sources, median_of(mids), policy);

  // Second pass: the reference price over the venues that survived. When every venue deviates from
  // the median (two venues that disagree), no majority can name the outlier, so all of them stay in
  // and the pair is reported degraded below.
  std::vector<double> used_mids = candidate_mids(aggregate.sources);
  bool no_majority = used_mids.empty();
  if (no_majority) {
    aggregate.sources = std::move(before_outliers);
    used_mids = candidate_mids(aggregate.sources);
  }
  for (auto& source : aggregate.sources) {
    source.used = !source.reason;
  }
  aggregate.venues_used = static_cast<int>(used_mids.size());
  double reference = median_of(used_mids);
  aggregate.price = reference;

  std::vector<double> deviations;
  for (double mid : used_mids) {
    deviations.push_back(std::abs(mid - reference));
  }
  aggregate.dispersion_bps = median_of(deviations) / reference * 10'000.0;

  fill_book(aggregate, aggregate.sources);
  aggregate.stale = false;
  bool enough_venues = aggregate.venues_used >= policy.min_venues;
  aggregate.status = enough_venues && !no_majority ? pair_status::healthy : pair_status::degraded;
  return aggregate;
}

}  // namespace nimbus

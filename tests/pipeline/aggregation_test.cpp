#include "pipeline/aggregation.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace nimbus {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const timestamp test_now{seconds{1'700'000'000}};

decimal price(const std::string& text) {
  auto parsed = decimal::parse(text);
  EXPECT_TRUE(parsed.has_value()) << "test price '" << text << "' is not a decimal";
  return parsed.value_or(decimal{});
}

// A two-sided book received age ago.
venue_observation book(const std::string& venue, const std::string& bid, const std::string& ask,
                       milliseconds age = milliseconds{500}) {
  quote venue_quote;
  venue_quote.venue = venue;
  venue_quote.pair = "BTC-USD";
  venue_quote.bid = price(bid);
  venue_quote.ask = price(ask);
  venue_quote.received_at = test_now - age;
  return {venue, venue_quote, std::nullopt, {}};
}

// A venue that publishes only a last price, as an aggregator such as CoinGecko does.
venue_observation last_only(const std::string& venue, const std::string& last,
                            milliseconds age = milliseconds{500}) {
  quote venue_quote;
  venue_quote.venue = venue;
  venue_quote.pair = "BTC-USD";
  venue_quote.last = price(last);
  venue_quote.received_at = test_now - age;
  return {venue, venue_quote, std::nullopt, {}};
}

venue_observation with_error(venue_observation observation, error_category category,
                             milliseconds age) {
  observation.latest_error = fetch_error{category, "detail from the fetcher", 0, "", {}, false};
  observation.latest_error_at = test_now - age;
  return observation;
}

pair_policy policy_with(int min_venues, double outlier_threshold_bps = 100) {
  pair_policy policy;
  policy.max_quote_age = milliseconds{10'000};
  policy.min_venues = min_venues;
  policy.outlier_threshold_bps = outlier_threshold_bps;
  return policy;
}

pair_aggregate aggregate(const std::vector<venue_observation>& observations,
                         const pair_policy& policy, const pair_aggregate* previous = nullptr) {
  return aggregate_pair("BTC-USD", observations, policy, test_now, previous);
}

const venue_source& source_of(const pair_aggregate& result, const std::string& venue) {
  auto found = std::find_if(result.sources.begin(), result.sources.end(),
                            [&](const venue_source& source) { return source.venue == venue; });
  if (found == result.sources.end()) {
    ADD_FAILURE() << "no source line for venue " << venue;
    static const venue_source missing;
    return missing;
  }
  return *found;
}

// median_of

struct median_case {
  std::string name;
  std::vector<double> values;
  double expected;
  friend void PrintTo(const median_case& value, std::ostream* out) { *out << value.name; }
};

class MedianOf : public testing::TestWithParam<median_case> {};

TEST_P(MedianOf, ReturnsMiddleValue) {
  std::vector<double> values = GetParam().values;

  double median = median_of(values);

  EXPECT_DOUBLE_EQ(median, GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(Cases, MedianOf,
                         testing::Values(median_case{"One", {7.5}, 7.5},
                                         median_case{"OddUnsorted", {3, 1, 2}, 2},
                                         median_case{"EvenIsMeanOfMiddleTwo", {4, 1, 3, 2}, 2.5},
                                         median_case{"TwoValues", {100, 110}, 105},
                                         median_case{"AllEqual", {5, 5, 5, 5}, 5},
                                         median_case{"DuplicatesInMiddle", {1, 2, 2, 9}, 2}),
                         [](const testing::TestParamInfo<median_case>& case_info) {
                           return case_info.param.name;
                         });

// aggregate_pair: the reference price

TEST(AggregatePair, SingleVenueGivesItsMid) {
  auto result = aggregate({book("alpha", "99.5", "100.5")}, policy_with(1));

  ASSERT_TRUE(result.price.has_value());
  EXPECT_DOUBLE_EQ(*result.price, 100.0);
  EXPECT_EQ(result.venues_used, 1);
  EXPECT_EQ(result.venues_total, 1);
  EXPECT_EQ(result.status, pair_status::healthy);
  EXPECT_FALSE(result.stale);
}

TEST(AggregatePair, EvenCountAveragesMiddleMids) {
  auto result = aggregate({book("alpha", "99.5", "100.5"), book("beta", "100", "101"),
                           book("gamma", "100.5", "101.5"), book("delta", "101", "102")},
                          policy_with(3));

  ASSERT_TRUE(result.price.has_value());
  EXPECT_DOUBLE_EQ(*result.price, 100.75);
  EXPECT_EQ(result.venues_used, 4);
}

TEST(AggregatePair, AllEqualMidsGiveZeroDispersion) {
  auto result = aggregate({book("alpha", "99.5", "100.5"), book("beta", "99.5", "100.5"),
                           book("gamma", "99.5", "100.5")},
                          policy_with(3));

  ASSERT_TRUE(result.price.has_value());
  EXPECT_DOUBLE_EQ(*result.price, 100.0);
  ASSERT_TRUE(result.dispersion_bps.has_value());
  EXPECT_DOUBLE_EQ(*result.dispersion_bps, 0.0);
  EXPECT_EQ(result.status, pair_status::healthy);
}

TEST(AggregatePair, DispersionInBasisPoints) {
  // Mids 100, 101, 102 and 104: the median is 101.5, the absolute deviations 1.5, 0.5, 0.5 and 2.5,
  // and their median 1.0.
  auto result = aggregate({book("alpha", "99.5", "100.5"), book("beta", "100.5", "101.5"),
                           book("gamma", "101.5", "102.5"), book("delta", "103.5", "104.5")},
                          policy_with(3, 1'000));

  ASSERT_TRUE(result.dispersion_bps.has_value());
  EXPECT_NEAR(*result.dispersion_bps, 1.0 / 101.5 * 10'000.0, 1e-9);
}

// aggregate_pair: the book

TEST(AggregatePair, CrossedVenuesReportNegativeSpread) {
  // beta's bid is above alpha's ask: one could buy on alpha and sell on beta.
  auto result = aggregate({book("alpha", "100.00", "100.20"), book("beta", "100.30", "100.50"),
                           book("gamma", "100.10", "100.40")},
                          policy_with(3));

  ASSERT_TRUE(result.best_bid.has_value());
  EXPECT_EQ(result.best_bid->to_string(), "100.3");
  ASSERT_TRUE(result.best_ask.has_value());
  EXPECT_EQ(result.best_ask->to_string(), "100.2");
  ASSERT_TRUE(result.spread.has_value());
  EXPECT_LT(*result.spread, 0.0);
  EXPECT_NEAR(*result.spread, -0.1, 1e-9);
}

TEST(AggregatePair, LastOnlyVenueMidIsLast) {
  auto result = aggregate({book("alpha", "100.00", "100.50"), book("beta", "100.10", "100.40"),
                           last_only("gecko", "100.25")},
                          policy_with(3));

  const auto& gecko = source_of(result, "gecko");
  EXPECT_TRUE(gecko.used);
  EXPECT_DOUBLE_EQ(gecko.mid, 100.25);
  ASSERT_TRUE(result.best_bid.has_value());
  EXPECT_EQ(result.best_bid->to_string(), "100.1");
  ASSERT_TRUE(result.best_ask.has_value());
  EXPECT_EQ(result.best_ask->to_string(), "100.4");
  EXPECT_EQ(result.venues_used, 3);
}

TEST(AggregatePair, AsOfIsNewestUsedQuote) {
  // delta's quote is the newest of all, but it is an outlier and so does not count.
  auto result = aggregate({book("alpha", "99.5", "100.5", milliseconds{3'000}),
                           book("beta", "100", "101", milliseconds{1'000}),
                           book("gamma", "100.5", "101.5", milliseconds{2'000}),
                           book("delta", "149.5", "150.5", milliseconds{100})},
                          policy_with(3));

  ASSERT_TRUE(result.as_of.has_value());
  EXPECT_EQ(*result.as_of, test_now - milliseconds{1'000});
}

// aggregate_pair: outliers and disagreement

TEST(AggregatePair, OutlierExcludedAndMedianRecomputed) {
  // Mids 100, 100.5, 101 and 110: the first median is 100.75, and 110 is 918 bps away from it.
  auto result = aggregate({book("alpha", "99.5", "100.5"), book("beta", "100", "101"),
                           book("gamma", "100.5", "101.5"), book("delta", "109.5", "110.5")},
                          policy_with(3));

  const auto& delta = source_of(result, "delta");
  EXPECT_FALSE(delta.used);
  ASSERT_TRUE(delta.reason.has_value());
  EXPECT_EQ(*delta.reason, exclusion_reason::outlier);
  EXPECT_NE(delta.detail.find("110"), std::string::npos) << delta.detail;
  EXPECT_NE(delta.detail.find("100.75"), std::string::npos) << delta.detail;
  EXPECT_NE(delta.detail.find("100 bps"), std::string::npos) << delta.detail;
  ASSERT_TRUE(result.price.has_value());
  EXPECT_DOUBLE_EQ(*result.price, 100.5);
  EXPECT_EQ(result.venues_used, 3);
  EXPECT_EQ(result.status, pair_status::healthy);
}

TEST(AggregatePair, OutlierSkippedForBestBid) {
  auto result = aggregate({book("alpha", "99.5", "100.5"), book("beta", "100", "101"),
                           book("gamma", "100.5", "101.5"), book("delta", "109.5", "110.5")},
                          policy_with(3));

  ASSERT_TRUE(result.best_bid.has_value());
  EXPECT_EQ(result.best_bid->to_string(), "100.5");
}

TEST(AggregatePair, TwoDisagreeingVenuesBothKeptDegraded) {
  // Each mid is 476 bps from the median 105, so no majority can name the outlier.
  auto result =
      aggregate({book("alpha", "99.5", "100.5"), book("beta", "109.5", "110.5")}, policy_with(2));

  EXPECT_TRUE(source_of(result, "alpha").used);
  EXPECT_FALSE(source_of(result, "alpha").reason.has_value());
  EXPECT_TRUE(source_of(result, "beta").used);
  EXPECT_FALSE(source_of(result, "beta").reason.has_value());
  ASSERT_TRUE(result.price.has_value());
  EXPECT_DOUBLE_EQ(*result.price, 105.0);
  EXPECT_EQ(result.venues_used, 2);
  EXPECT_EQ(result.status, pair_status::degraded);
}

// aggregate_pair: min_venues boundary

struct min_venues_case {
  std::string name;
  int fresh_venues;
  int min_venues;
  pair_status expected;
  friend void PrintTo(const min_venues_case& value, std::ostream* out) { *out << value.name; }
};

class AggregateMinVenues : public testing::TestWithParam<min_venues_case> {};

TEST_P(AggregateMinVenues, SetsStatus) {
  const std::vector<std::string> names = {"alpha", "beta", "gamma", "delta"};
  std::vector<venue_observation> observations;
  for (int i = 0; i < GetParam().fresh_venues; ++i) {
    observations.push_back(book(names[static_cast<std::size_t>(i)], "99.5", "100.5"));
  }

  auto result = aggregate(observations, policy_with(GetParam().min_venues));

  EXPECT_EQ(to_string(result.status), to_string(GetParam().expected));
}

INSTANTIATE_TEST_SUITE_P(
    Boundary, AggregateMinVenues,
    testing::Values(min_venues_case{"EqualIsHealthy", 3, 3, pair_status::healthy},
                    min_venues_case{"OneMoreIsHealthy", 4, 3, pair_status::healthy},
                    min_venues_case{"OneFewerIsDegraded", 2, 3, pair_status::degraded},
                    min_venues_case{"OneOfOneIsHealthy", 1, 1, pair_status::healthy},
                    min_venues_case{"NoneIsUnavailable", 0, 1, pair_status::unavailable}),
    [](const testing::TestParamInfo<min_venues_case>& case_info) { return case_info.param.name; });

TEST(AggregatePair, StaleVenuesNotCounted) {
  auto result = aggregate({book("alpha", "99.5", "100.5"), book("beta", "99.5", "100.5"),
                           book("gamma", "99.5", "100.5", milliseconds{10'001})},
                          policy_with(3));

  EXPECT_EQ(result.venues_used, 2);
  EXPECT_EQ(result.venues_total, 3);
  EXPECT_EQ(result.status, pair_status::degraded);
}

// aggregate_pair: why a venue is excluded

struct exclusion_case {
  std::string name;
  venue_observation observation;
  exclusion_reason expected_reason;
  std::string expected_detail;  // a part of the detail text
  friend void PrintTo(const exclusion_case& value, std::ostream* out) { *out << value.name; }
};

class AggregateExclusion : public testing::TestWithParam<exclusion_case> {};

TEST_P(AggregateExclusion, NamesReason) {
  const auto& param = GetParam();

  auto result =
      aggregate({book("alpha", "99.5", "100.5"), book("beta", "99.5", "100.5"), param.observation},
                policy_with(2));

  const auto& source = source_of(result, param.observation.venue);
  EXPECT_FALSE(source.used);
  ASSERT_TRUE(source.reason.has_value());
  EXPECT_EQ(to_string(*source.reason), to_string(param.expected_reason));
  EXPECT_NE(source.detail.find(param.expected_detail), std::string::npos) << source.detail;
  EXPECT_EQ(result.venues_used, 2);
}

INSTANTIATE_TEST_SUITE_P(
    Reasons, AggregateExclusion,
    testing::Values(
        exclusion_case{"OldQuoteIsStale", book("gamma", "99.5", "100.5", milliseconds{11'000}),
                       exclusion_reason::stale, "quote age 11000 ms exceeds the maximum 10000 ms"},
        exclusion_case{"NoQuoteNoErrorIsStale",
                       venue_observation{"gamma", std::nullopt, std::nullopt, {}},
                       exclusion_reason::stale, "no quote received yet"},
        exclusion_case{"ErrorAfterOldQuoteIsError",
                       with_error(book("gamma", "99.5", "100.5", milliseconds{11'000}),
                                  error_category::timeout, milliseconds{1'000}),
                       exclusion_reason::error, "timeout: detail from the fetcher"},
        exclusion_case{"ErrorWithoutQuoteIsError",
                       with_error(venue_observation{"gamma", std::nullopt, std::nullopt, {}},
                                  error_category::transport, milliseconds{1'000}),
                       exclusion_reason::error, "transport"},
        exclusion_case{"InvalidQuoteErrorIsInvalidQuote",
                       with_error(book("gamma", "99.5", "100.5", milliseconds{11'000}),
                                  error_category::invalid_quote, milliseconds{1'000}),
                       exclusion_reason::invalid_quote, "invalid_quote"},
        exclusion_case{"ErrorBeforeOldQuoteIsStale",
                       with_error(book("gamma", "99.5", "100.5", milliseconds{11'000}),
                                  error_category::timeout, milliseconds{20'000}),
                       exclusion_reason::stale, "quote age 11000 ms"}),
    [](const testing::TestParamInfo<exclusion_case>& case_info) { return case_info.param.name; });

TEST(AggregatePair, FreshQuoteBeforeErrorUsed) {
  // The last poll failed, but the quote before it is still within max_quote_age.
  auto gamma = with_error(book("gamma", "100", "101", milliseconds{2'000}), error_category::timeout,
                          milliseconds{1'000});

  auto result = aggregate({book("alpha", "99.5", "100.5"), book("beta", "99.5", "100.5"), gamma},
                          policy_with(3));

  EXPECT_TRUE(source_of(result, "gamma").used);
  EXPECT_FALSE(source_of(result, "gamma").reason.has_value());
  EXPECT_EQ(result.venues_used, 3);
  EXPECT_EQ(result.status, pair_status::healthy);
}

TEST(AggregatePair, QuoteAtMaxAgeStillFresh) {
  auto result = aggregate({book("alpha", "99.5", "100.5", milliseconds{10'000}),
                           book("beta", "99.5", "100.5", milliseconds{10'001})},
                          policy_with(1));

  EXPECT_TRUE(source_of(result, "alpha").used);
  EXPECT_EQ(source_of(result, "beta").reason, exclusion_reason::stale);
}

TEST(AggregatePair, SourceAgeIsTimeSinceReceive) {
  auto result = aggregate({book("alpha", "99.5", "100.5", milliseconds{1'250})}, policy_with(1));

  EXPECT_DOUBLE_EQ(source_of(result, "alpha").age_ms, 1'250.0);
}

// aggregate_pair: no fresh venue

TEST(AggregatePair, AllStaleCarriesPreviousMarkedStale) {
  auto previous = aggregate(
      {book("alpha", "99.5", "100.5"), book("beta", "100", "101"), book("gamma", "100.5", "101.5")},
      policy_with(3));
  ASSERT_TRUE(previous.price.has_value());

  auto result = aggregate({book("alpha", "99.5", "100.5", milliseconds{20'000}),
                           book("beta", "100", "101", milliseconds{20'000}),
                           book("gamma", "100.5", "101.5", milliseconds{20'000})},
                          policy_with(3), &previous);

  EXPECT_EQ(result.status, pair_status::unavailable);
  EXPECT_TRUE(result.stale);
  EXPECT_EQ(result.venues_used, 0);
  EXPECT_EQ(result.price, previous.price);
  EXPECT_EQ(result.best_bid, previous.best_bid);
  EXPECT_EQ(result.best_ask, previous.best_ask);
  EXPECT_EQ(result.as_of, previous.as_of);
  for (const auto& source : result.sources) {
    EXPECT_FALSE(source.used) << source.venue;
    EXPECT_EQ(source.reason, exclusion_reason::stale) << source.venue;
  }
}

TEST(AggregatePair, AllStaleNoPreviousNoPrice) {
  auto result =
      aggregate({book("alpha", "99.5", "100.5", milliseconds{20'000})}, policy_with(1), nullptr);

  EXPECT_EQ(result.status, pair_status::unavailable);
  EXPECT_TRUE(result.stale);
  EXPECT_FALSE(result.price.has_value());
  EXPECT_FALSE(result.best_bid.has_value());
  EXPECT_FALSE(result.best_ask.has_value());
  EXPECT_FALSE(result.spread.has_value());
  EXPECT_FALSE(result.as_of.has_value());
}

TEST(AggregatePair, NoVenuesIsUnavailable) {
  auto result = aggregate({}, policy_with(1));

  EXPECT_EQ(result.status, pair_status::unavailable);
  EXPECT_EQ(result.venues_total, 0);
  EXPECT_FALSE(result.price.has_value());
}

// What one bad venue can do among three or more good ones. The median bounds its influence: it can
// move the reference price between the good venues' mids, and it can shift the first-pass median
// enough to exclude a good venue at the edge as an outlier. It cannot move the price outside the
// range of the good venues' mids, whatever mid it reports.

TEST(SingleBadVenue, CannotLeaveGoodVenuesRange) {
  const std::vector<std::string> bad_mids = {"0.01", "1",   "99",   "100.2", "100.6",
                                             "101",  "102", "1000", "1e6",   "100.4"};
  const std::vector<double> thresholds = {10, 50, 100, 1'000, 10'000};
  const double lowest_good_mid = 100.0;
  const double highest_good_mid = 101.0;

  for (double threshold : thresholds) {
    for (const auto& bad_mid : bad_mids) {
      auto result = aggregate({book("alpha", "99.5", "100.5"), book("beta", "100", "101"),
                               book("gamma", "100.5", "101.5"), last_only("bad", bad_mid)},
                              policy_with(3, threshold));

      ASSERT_TRUE(result.price.has_value());
      EXPECT_GE(*result.price, lowest_good_mid)
          << "bad mid " << bad_mid << ", threshold " << threshold << " bps";
      EXPECT_LE(*result.price, highest_good_mid)
          << "bad mid " << bad_mid << ", threshold " << threshold << " bps";
    }
  }
}

TEST(SingleBadVenue, CanShiftPriceWithinGoodRange) {
  // Without the bad venue the median of 100, 100.5 and 101 is 100.5.
  auto result = aggregate({book("alpha", "99.5", "100.5"), book("beta", "100", "101"),
                           book("gamma", "100.5", "101.5"), last_only("bad", "100.9")},
                          policy_with(3));

  ASSERT_TRUE(result.price.has_value());
  EXPECT_DOUBLE_EQ(*result.price, 100.7);
}

TEST(SingleBadVenue, CanPushEdgeGoodVenueOut) {
  // A far bad mid moves the first-pass median from 100.5 to 100.75, 75 bps from alpha's 100, which
  // is beyond the 50 bps threshold.
  auto result = aggregate({book("alpha", "99.5", "100.5"), book("beta", "100", "101"),
                           book("gamma", "100.5", "101.5"), last_only("bad", "1000")},
                          policy_with(2, 50));

  EXPECT_EQ(source_of(result, "alpha").reason, exclusion_reason::outlier);
  EXPECT_EQ(source_of(result, "bad").reason, exclusion_reason::outlier);
  ASSERT_TRUE(result.price.has_value());
  EXPECT_DOUBLE_EQ(*result.price, 100.75);
}

TEST(SingleBadVenue, ExcludedWhenFarFromGoodVenues) {
  auto result = aggregate({book("alpha", "99.5", "100.5"), book("beta", "100", "101"),
                           book("gamma", "100.5", "101.5"), last_only("bad", "1000")},
                          policy_with(3));

  EXPECT_EQ(source_of(result, "bad").reason, exclusion_reason::outlier);
  EXPECT_EQ(result.venues_used, 3);
  EXPECT_EQ(result.status, pair_status::healthy);
}

}  // namespace
}  // namespace nimbus

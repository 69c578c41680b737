#include "pipeline/metrics_registry.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace nimbus::metrics {
namespace {

using ::testing::HasSubstr;

constexpr double infinity = std::numeric_limits<double>::infinity();
constexpr double quiet_nan = std::numeric_limits<double>::quiet_NaN();

// ---- counter ----

TEST(Counter, StartsAtZeroAndIncrements) {
  counter fetches;

  fetches.inc();
  fetches.inc(2.5);

  EXPECT_EQ(fetches.value(), 3.5);
}

TEST(Counter, RejectsNegativeIncrement) {
  counter fetches;
  fetches.inc(5);

  EXPECT_THROW(fetches.inc(-1), std::invalid_argument);

  EXPECT_EQ(fetches.value(), 5);
}

TEST(Counter, RejectsNanAndInfiniteIncrement) {
  counter fetches;

  EXPECT_THROW(fetches.inc(quiet_nan), std::invalid_argument);
  EXPECT_THROW(fetches.inc(infinity), std::invalid_argument);

  EXPECT_EQ(fetches.value(), 0);
}

TEST(Counter, NegativeIncrementMessageNamesValue) {
  counter fetches;

  try {
    fetches.inc(-2.5);
    FAIL() << "inc(-2.5) did not throw";
  } catch (const std::invalid_argument& error) {
    EXPECT_THAT(error.what(), HasSubstr("-2.5"));
  }
}

TEST(Counter, AdvanceToRaisesValue) {
  counter cpu_seconds;

  EXPECT_TRUE(cpu_seconds.advance_to(1.5));
  EXPECT_TRUE(cpu_seconds.advance_to(1.5));

  EXPECT_EQ(cpu_seconds.value(), 1.5);
}

TEST(Counter, AdvanceToKeepsValueForLowerTotal) {
  counter cpu_seconds;
  cpu_seconds.advance_to(4);

  EXPECT_FALSE(cpu_seconds.advance_to(3));
  EXPECT_FALSE(cpu_seconds.advance_to(quiet_nan));
  EXPECT_FALSE(cpu_seconds.advance_to(infinity));

  EXPECT_EQ(cpu_seconds.value(), 4);
}

// ---- gauge ----

TEST(Gauge, SetIncDec) {
  gauge venues_used;

  venues_used.set(3);
  venues_used.inc();
  venues_used.dec(2.5);

  EXPECT_EQ(venues_used.value(), 1.5);
}

TEST(Gauge, AcceptsNegativeAndNonFiniteValues) {
  gauge level;

  level.set(-4);
  EXPECT_EQ(level.value(), -4);

  level.set(quiet_nan);
  EXPECT_TRUE(std::isnan(level.value()));
}

TEST(Gauge, SetToCurrentTimeUsesUnixSeconds) {
  gauge last_success;
  const auto before = std::chrono::system_clock::now();

  last_success.set_to_current_time();

  const auto after = std::chrono::system_clock::now();
  const auto seconds = [](auto instant) {
    return std::chrono::duration<double>(instant.time_since_epoch()).count();
  };
  EXPECT_GE(last_success.value(), seconds(before));
  EXPECT_LE(last_success.value(), seconds(after));
}

// ---- histogram ----

std::shared_ptr<const std::vector<double>> bounds_of(std::vector<double> bounds) {
  return std::make_shared<const std::vector<double>>(std::move(bounds));
}

TEST(Histogram, BucketsIncludeTheirUpperBound) {
  histogram latency(bounds_of({0.1, 0.5, 1}));

  latency.observe(0.1);
  latency.observe(0.3);
  latency.observe(1);
  latency.observe(7);

  const histogram_snapshot snap = latency.snapshot();
  EXPECT_THAT(snap.cumulative_counts, ::testing::ElementsAre(1, 2, 3, 4));
  EXPECT_EQ(snap.count, 4u);
  EXPECT_DOUBLE_EQ(snap.sum, 8.4);
}

TEST(Histogram, InfinityLandsInLastBucket) {
  histogram latency(bounds_of({1}));

  latency.observe(infinity);
  latency.observe(-infinity);

  EXPECT_THAT(latency.snapshot().cumulative_counts, ::testing::ElementsAre(1, 2));
}

TEST(Histogram, RejectsNan) {
  histogram latency(bounds_of({1}));

  EXPECT_THROW(latency.observe(quiet_nan), std::invalid_argument);

  EXPECT_EQ(latency.snapshot().count, 0u);
}

TEST(Buckets, LinearBounds) {
  EXPECT_THAT(linear_buckets(1, 2, 3), ::testing::ElementsAre(1, 3, 5));
  EXPECT_THROW(linear_buckets(1, 0, 3), std::invalid_argument);
  EXPECT_THROW(linear_buckets(1, 1, 0), std::invalid_argument);
}

TEST(Buckets, ExponentialBounds) {
  EXPECT_THAT(exponential_buckets(0.01, 10, 3), ::testing::ElementsAre(0.01, 0.1, 1.0));
  EXPECT_THROW(exponential_buckets(0, 2, 3), std::invalid_argument);
  EXPECT_THROW(exponential_buckets(1, 1, 3), std::invalid_argument);
  EXPECT_THROW(exponential_buckets(1, 2, 0), std::invalid_argument);
}

// ---- families ----

TEST(Family, WithReturnsSameChildForSameValues) {
  registry metrics;
  auto& failures = metrics.add_counter("failures_total", "Failures.", {"venue", "category"});

  counter& first = failures.with({"binance", "timeout"});
  counter& again = failures.with({"binance", "timeout"});
  counter& other = failures.with({"binance", "transport"});

  EXPECT_EQ(&first, &again);
  EXPECT_NE(&first, &other);
}

TEST(Family, ChildReferenceSurvivesManyInsertions) {
  registry metrics;
  auto& fetches = metrics.add_counter("fetches_total", "Fetches.", {"venue"});
  counter& binance = fetches.with({"binance"});

  for (int i = 0; i < 1000; ++i) {
    fetches.with({"venue_" + std::to_string(i)});
  }
  binance.inc(7);

  EXPECT_EQ(fetches.with({"binance"}).value(), 7);
  EXPECT_EQ(fetches.size(), 1001u);
}

TEST(Family, WithRejectsWrongLabelCount) {
  registry metrics;
  auto& failures = metrics.add_counter("failures_total", "Failures.", {"venue", "category"});

  EXPECT_THROW(failures.with({"binance"}), std::invalid_argument);
  EXPECT_THROW(failures.with({"binance", "timeout", "extra"}), std::invalid_argument);
  EXPECT_EQ(failures.size(), 0u);
}

TEST(Family, RemoveDropsOneChild) {
  registry metrics;
  auto& up = metrics.add_gauge("venue_up", "Up.", {"venue"});
  up.with({"binance"}).set(1);
  up.with({"kraken"}).set(1);

  EXPECT_TRUE(up.remove({"kraken"}));
  EXPECT_FALSE(up.remove({"kraken"}));

  EXPECT_EQ(up.size(), 1u);
  EXPECT_THAT(metrics.render(), ::testing::Not(HasSubstr("kraken")));
}

TEST(Family, RemoveMatchingDropsEveryChildOfVenue) {
  registry metrics;
  auto& failures = metrics.add_counter("failures_total", "Failures.", {"venue", "category"});
  failures.with({"binance", "timeout"});
  failures.with({"binance", "transport"});
  failures.with({"kraken", "timeout"});

  EXPECT_EQ(failures.remove_matching("venue", "binance"), 2u);

  EXPECT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures.remove_matching("venue", "binance"), 0u);
}

TEST(Family, RemoveMatchingRejectsUnknownLabel) {
  registry metrics;
  auto& failures = metrics.add_counter("failures_total", "Failures.", {"venue"});

  EXPECT_THROW(failures.remove_matching("pair", "BTC-USD"), std::invalid_argument);
}

TEST(Family, RemovedChildIsRecreatedAtZero) {
  registry metrics;
  auto& fetches = metrics.add_counter("fetches_total", "Fetches.", {"venue"});
  fetches.with({"binance"}).inc(9);

  fetches.remove({"binance"});

  EXPECT_EQ(fetches.with({"binance"}).value(), 0);
}

// ---- registration ----

TEST(Registry, RejectsDuplicateFamilyName) {
  registry metrics;
  metrics.add_counter("fetches_total", "Fetches.");

  EXPECT_THROW(metrics.add_counter("fetches_total", "Again."), std::invalid_argument);
  EXPECT_THROW(metrics.add_gauge("fetches_total", "As a gauge."), std::invalid_argument);
}

TEST(Registry, RejectsNameThatCollidesWithHistogramSeries) {
  registry metrics;
  metrics.add_histogram("latency_seconds", "Latency.", {}, {0.1});

  EXPECT_THROW(metrics.add_gauge("latency_seconds_count", "Clash."), std::invalid_argument);
  EXPECT_THROW(metrics.add_counter("latency_seconds_bucket", "Clash."), std::invalid_argument);
}

TEST(Registry, RejectsHistogramWhoseSeriesCollide) {
  registry metrics;
  metrics.add_gauge("latency_seconds_sum", "Sum kept by hand.");

  EXPECT_THROW(metrics.add_histogram("latency_seconds", "Latency.", {}, {0.1}),
               std::invalid_argument);
}

class InvalidMetricName : public ::testing::TestWithParam<const char*> {};

TEST_P(InvalidMetricName, IsRejected) {
  registry metrics;

  EXPECT_THROW(metrics.add_gauge(GetParam(), "Help."), std::invalid_argument);
}

INSTANTIATE_TEST_SUITE_P(Registry, InvalidMetricName,
                         ::testing::Values("", "1st_metric", "nimbus-venue-up", "nimbus venue",
                                           "nimbus_é"));

class InvalidLabelName : public ::testing::TestWithParam<const char*> {};

TEST_P(InvalidLabelName, IsRejected) {
  registry metrics;

  EXPECT_THROW(metrics.add_gauge("venue_up", "Help.", {GetParam()}), std::invalid_argument);
}

INSTANTIATE_TEST_SUITE_P(Registry, InvalidLabelName,
                         ::testing::Values("", "1venue", "__name__", "venue:name", "venue-name"));

TEST(Registry, RejectsDuplicateLabelName) {
  registry metrics;

  EXPECT_THROW(metrics.add_gauge("venue_up", "Up.", {"venue", "venue"}), std::invalid_argument);
}

TEST(Registry, RejectsLeLabelOnHistogram) {
  registry metrics;

  EXPECT_THROW(metrics.add_histogram("latency_seconds", "Latency.", {"le"}, {0.1}),
               std::invalid_argument);
  EXPECT_NO_THROW(metrics.add_gauge("threshold", "A gauge may use le.", {"le"}));
}

TEST(Registry, RejectsInvalidBucketBounds) {
  registry metrics;

  EXPECT_THROW(metrics.add_histogram("a_seconds", "A.", {}, {}), std::invalid_argument);
  EXPECT_THROW(metrics.add_histogram("b_seconds", "B.", {}, {0.5, 0.1}), std::invalid_argument);
  EXPECT_THROW(metrics.add_histogram("c_seconds", "C.", {}, {0.1, 0.1}), std::invalid_argument);
  EXPECT_THROW(metrics.add_histogram("d_seconds", "D.", {}, {0.1, infinity}),
               std::invalid_argument);
  EXPECT_THROW(metrics.add_histogram("e_seconds", "E.", {}, {quiet_nan}), std::invalid_argument);
}

// ---- rendering ----

TEST(Render, WritesHelpTypeAndSamples) {
  registry metrics;
  auto& failures =
      metrics.add_counter("nimbus_venue_fetch_failures_total",
                          "Failed fetches per venue and error category.", {"venue", "category"});
  failures.with({"binance", "timeout"}).inc(3);
  failures.with({"binance", "rate_limited"}).inc();

  EXPECT_EQ(
      metrics.render(),
      "# HELP nimbus_venue_fetch_failures_total Failed fetches per venue and error category.\n"
      "# TYPE nimbus_venue_fetch_failures_total counter\n"
      "nimbus_venue_fetch_failures_total{venue=\"binance\",category=\"rate_limited\"} 1\n"
      "nimbus_venue_fetch_failures_total{venue=\"binance\",category=\"timeout\"} 3\n");
}

TEST(Render, FamiliesFollowRegistrationOrder) {
  registry metrics;
  metrics.add_gauge("zeta", "Registered first.");
  metrics.add_gauge("alpha", "Registered second.");

  const std::string text = metrics.render();

  EXPECT_LT(text.find("# TYPE zeta gauge"), text.find("# TYPE alpha gauge"));
}

TEST(Render, ChildrenSortedByLabelValues) {
  registry metrics;
  auto& price = metrics.add_gauge("price", "Price.", {"pair"});
  price.with({"SOL-USD"}).set(3);
  price.with({"BTC-USD"}).set(1);
  price.with({"ETH-USD"}).set(2);

  EXPECT_EQ(metrics.render(),
            "# HELP price Price.\n"
            "# TYPE price gauge\n"
            "price{pair=\"BTC-USD\"} 1\n"
            "price{pair=\"ETH-USD\"} 2\n"
            "price{pair=\"SOL-USD\"} 3\n");
}

TEST(Render, UnlabelledFamilyStartsAtZero) {
  registry metrics;
  metrics.add_counter("nimbus_config_errors_total", "Configuration errors.");

  EXPECT_THAT(metrics.render(), HasSubstr("\nnimbus_config_errors_total 0\n"));
}

TEST(Render, LabelledFamilyWithoutChildrenWritesOnlyMetadata) {
  registry metrics;
  metrics.add_counter("restarts_total", "Restarts.", {"actor"});

  EXPECT_EQ(metrics.render(),
            "# HELP restarts_total Restarts.\n"
            "# TYPE restarts_total counter\n");
}

TEST(Render, EscapesLabelValues) {
  registry metrics;
  metrics.add_gauge("info", "Info.", {"detail"}).with({"a\\b \"quoted\"\nnext"}).set(1);

  EXPECT_THAT(metrics.render(), HasSubstr("info{detail=\"a\\\\b \\\"quoted\\\"\\nnext\"} 1\n"));
}

TEST(Render, EscapesHelpButNotQuotes) {
  registry metrics;
  metrics.add_gauge("info", "Path C:\\tmp, \"quoted\"\nsecond line.");

  EXPECT_THAT(metrics.render(),
              HasSubstr("# HELP info Path C:\\\\tmp, \"quoted\"\\nsecond line.\n"));
}

TEST(Render, HistogramWritesCumulativeBucketsSumAndCount) {
  registry metrics;
  auto& duration = metrics.add_histogram("nimbus_venue_fetch_duration_seconds", "Fetch duration.",
                                         {"venue"}, {0.1, 0.25, 1});
  auto& kraken = duration.with({"kraken"});
  kraken.observe(0.05);
  kraken.observe(0.25);
  kraken.observe(3);

  EXPECT_EQ(metrics.render(),
            "# HELP nimbus_venue_fetch_duration_seconds Fetch duration.\n"
            "# TYPE nimbus_venue_fetch_duration_seconds histogram\n"
            "nimbus_venue_fetch_duration_seconds_bucket{venue=\"kraken\",le=\"0.1\"} 1\n"
            "nimbus_venue_fetch_duration_seconds_bucket{venue=\"kraken\",le=\"0.25\"} 2\n"
            "nimbus_venue_fetch_duration_seconds_bucket{venue=\"kraken\",le=\"1\"} 2\n"
            "nimbus_venue_fetch_duration_seconds_bucket{venue=\"kraken\",le=\"+Inf\"} 3\n"
            "nimbus_venue_fetch_duration_seconds_sum{venue=\"kraken\"} 3.3\n"
            "nimbus_venue_fetch_duration_seconds_count{venue=\"kraken\"} 3\n");
}

TEST(Render, UnlabelledHistogramPutsOnlyLeInBraces) {
  registry metrics;
  metrics.add_histogram("scrape_seconds", "Scrape time.", {}, {1}).with({}).observe(0.5);

  EXPECT_EQ(metrics.render(),
            "# HELP scrape_seconds Scrape time.\n"
            "# TYPE scrape_seconds histogram\n"
            "scrape_seconds_bucket{le=\"1\"} 1\n"
            "scrape_seconds_bucket{le=\"+Inf\"} 1\n"
            "scrape_seconds_sum 0.5\n"
            "scrape_seconds_count 1\n");
}

TEST(Render, ReusedBufferIsReplacedNotAppended) {
  registry metrics;
  metrics.add_gauge("nimbus_venue_up", "Up.", {"venue"}).with({"binance"}).set(1);
  std::string buffer = "stale text from the previous scrape";
  buffer.reserve(4096);
  const auto capacity = buffer.capacity();

  metrics.render(buffer);

  EXPECT_EQ(buffer, metrics.render());
  EXPECT_EQ(buffer.capacity(), capacity);
}

TEST(Render, RunsHooksBeforeWriting) {
  registry metrics;
  auto& open_fds = metrics.add_gauge("open_fds", "Open descriptors.").with({});
  int calls = 0;
  metrics.add_render_hook([&] {
    ++calls;
    open_fds.set(17);
  });

  const std::string text = metrics.render();

  EXPECT_EQ(calls, 1);
  EXPECT_THAT(text, HasSubstr("\nopen_fds 17\n"));
}

TEST(Render, SeesConcurrentUpdatesWithoutLosingIncrements) {
  registry metrics;
  auto& fetches = metrics.add_counter("fetches_total", "Fetches.", {"venue"});
  auto& duration = metrics.add_histogram("fetch_seconds", "Duration.", {"venue"}, {0.5});
  constexpr int threads = 4;
  constexpr int increments = 20'000;

  std::vector<std::thread> writers;
  for (int t = 0; t < threads; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < increments; ++i) {
        fetches.with({"shared"}).inc();
        duration.with({"venue_" + std::to_string(t)}).observe(0.25);
      }
    });
  }
  std::string buffer;
  for (int i = 0; i < 50; ++i) {
    metrics.render(buffer);
  }
  for (auto& writer : writers) {
    writer.join();
  }

  EXPECT_EQ(fetches.with({"shared"}).value(), threads * increments);
  for (int t = 0; t < threads; ++t) {
    const histogram_snapshot snap = duration.with({"venue_" + std::to_string(t)}).snapshot();
    EXPECT_EQ(snap.count, static_cast<std::uint64_t>(increments)) << "venue_" << t;
    EXPECT_EQ(snap.sum, 0.25 * increments) << "venue_" << t;
  }
}

// ---- value formatting ----

struct format_case {
  const char* name;
  double value;
  const char* expected;
};

class FormatSampleValue : public ::testing::TestWithParam<format_case> {};

TEST_P(FormatSampleValue, MatchesExpectedText) {
  EXPECT_EQ(format_sample_value(GetParam().value), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Values, FormatSampleValue,
    ::testing::Values(format_case{"Zero", 0.0, "0"}, format_case{"One", 1.0, "1"},
                      format_case{"NegativeInteger", -42.0, "-42"},
                      format_case{"MillionWithoutExponent", 1e6, "1000000"},
                      format_case{"TwoToThe53", 9007199254740992.0, "9007199254740992"},
                      format_case{"LargeIntegerBelowCutOff", 1e20, "100000000000000000000"},
                      format_case{"IntegerAtCutOffUsesExponent", 1e21, "1e+21"},
                      format_case{"Price", 63212.97, "63212.97"}, format_case{"Tenth", 0.1, "0.1"},
                      format_case{"SmallRatio", 1.5e-7, "1.5e-07"},
                      format_case{"BucketBoundWithoutExponent", 0.0005, "0.0005"},
                      format_case{"BelowOneTenThousandth", 0.00005, "5e-05"},
                      format_case{"NegativeFraction", -0.25, "-0.25"},
                      format_case{"LargeFraction", 123456789.125, "123456789.125"},
                      format_case{"PositiveInfinity", infinity, "+Inf"},
                      format_case{"NegativeInfinity", -infinity, "-Inf"},
                      format_case{"NotANumber", quiet_nan, "NaN"}),
    [](const auto& test_case) { return std::string(test_case.param.name); });

TEST(FormatSampleValueRoundTrip, RandomDoublesParseBackExactly) {
  std::mt19937_64 generator(20240313);
  std::uniform_real_distribution<double> mantissa(-1.0, 1.0);
  std::uniform_int_distribution<int> exponent(-300, 300);

  for (int i = 0; i < 20'000; ++i) {
    const double value = std::ldexp(mantissa(generator), exponent(generator));

    const std::string text = format_sample_value(value);

    EXPECT_EQ(std::strtod(text.c_str(), nullptr), value) << "formatted as " << text;
  }
}

TEST(Escape, LabelValueAndHelp) {
  EXPECT_EQ(escape_label_value("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
  EXPECT_EQ(escape_help("a\\b\"c\nd"), "a\\\\b\"c\\nd");
}

}  // namespace
}  // namespace nimbus::metrics

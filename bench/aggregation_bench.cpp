// Cost of one aggregate_pair call for a pair quoted by 12 venues: the work the aggregator does for
// every pair each time it publishes a snapshot.

#include <benchmark/benchmark.h>

#include <vector>

#include "bench/bench_support.hpp"
#include "pipeline/aggregation.hpp"

namespace {

using namespace nimbus;

constexpr std::size_t venue_count = 12;

std::vector<venue_observation> fresh_observations(const std::string& pair, timestamp now) {
  std::vector<venue_observation> observations;
  auto venues = bench::market_venues(venue_count);
  for (std::size_t i = 0; i < venues.size(); ++i) {
    venue_observation observation;
    observation.venue = venues[i];
    observation.latest_quote = bench::market_quote(venues[i], i, pair, i, now);
    observations.push_back(std::move(observation));
  }
  return observations;
}

void run_aggregation(benchmark::State& state, const std::vector<venue_observation>& observations,
                     timestamp now) {
  pair_policy policy;
  pair_aggregate previous = aggregate_pair("BTC-USDT", observations, policy, now, nullptr);
  for (auto _ : state) {
    pair_aggregate aggregate = aggregate_pair("BTC-USDT", observations, policy, now, &previous);
    benchmark::DoNotOptimize(aggregate);
  }
  state.SetItemsProcessed(state.iterations());
}

// Every venue fresh and within the outlier threshold: the common case.
void aggregate_12_venues_fresh(benchmark::State& state) {
  timestamp now = bench::utc_now();
  run_aggregation(state, fresh_observations("BTC-USDT", now), now);
}
BENCHMARK(aggregate_12_venues_fresh);

// Two venues stale, one failing and one outlier: exercises the exclusion details, which format
// text for every excluded venue.
void aggregate_12_venues_with_exclusions(benchmark::State& state) {
  timestamp now = bench::utc_now();
  auto observations = fresh_observations("BTC-USDT", now);
  observations[0].latest_quote->received_at = now - std::chrono::seconds{30};
  observations[1].latest_quote.reset();
  fetch_error failure;
  failure.category = error_category::venue_error;
  failure.http_status = 503;
  failure.detail = "HTTP 503: venue under maintenance";
  observations[2].latest_error = failure;
  observations[2].latest_error_at = now;
  observations[2].latest_quote->received_at = now - std::chrono::seconds{20};
  observations[3].latest_quote->bid = decimal::from_integer(70'000);
  observations[3].latest_quote->ask = decimal::from_integer(70'001);
  run_aggregation(state, observations, now);
}
BENCHMARK(aggregate_12_venues_with_exclusions);

}  // namespace

BENCHMARK_MAIN();

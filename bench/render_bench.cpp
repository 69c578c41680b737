// Rendering costs on the serving side: every JSON body of one snapshot (what the HTTP actor does
// for each new snapshot and every 250 ms), and the Prometheus text of GET /metrics (done per
// scrape, on a server thread). Both for markets of 4 and 50 pairs on 12 venues.

#include <benchmark/benchmark.h>

#include <memory>

#include "actors/service_metrics.hpp"
#include "actors/service_state.hpp"
#include "bench/bench_support.hpp"
#include "http/rendered_snapshot.hpp"
#include "http/router.hpp"
#include "pipeline/log.hpp"
#include "pipeline/process_metrics.hpp"

namespace {

using namespace nimbus;

constexpr std::size_t venue_count = 12;

// A market where every venue has just quoted every pair, aggregated by the real service_state.
struct market {
  explicit market(std::size_t pair_count)
      : venues(bench::market_venues(venue_count)),
        pairs(bench::market_pairs(pair_count)),
        state(bench::market_config(venues, pairs)) {
    log::set_level(log::level::warn);  // service_state logs each venue's first quote
    timestamp now = bench::utc_now();
    for (std::size_t v = 0; v < venues.size(); ++v) {
      for (const auto& pair : pairs) {
        state.record_result(venues[v], pair, true, bench::market_quote(venues[v], v, pair, 0, now),
                            std::nullopt, now);
      }
    }
    snapshot = state.aggregate_all(now);
  }

  std::vector<std::string> venues;
  std::vector<std::string> pairs;
  service_state state;
  std::shared_ptr<const aggregate_snapshot> snapshot;
};

void render_snapshot_bodies(benchmark::State& state) {
  market prices(static_cast<std::size_t>(state.range(0)));
  std::size_t body_bytes = 0;
  for (auto _ : state) {
    auto rendered = http::render_snapshot(prices.snapshot, bench::utc_now(), false);
    body_bytes = rendered->prices_body.size();
    benchmark::DoNotOptimize(rendered);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["prices_body_bytes"] = static_cast<double>(body_bytes);
}
BENCHMARK(render_snapshot_bodies)->ArgName("pairs")->Arg(4)->Arg(50);

// The registry as the service fills it: every family initialised, one snapshot published, one
// fetch per venue and one request per public route observed.
void fill_metrics(service_metrics& metrics, const market& prices) {
  std::vector<std::string> actors = {"normaliser", "aggregator", "metrics_publisher", "http"};
  for (const auto& venue : prices.venues) {
    actors.push_back("fetcher_" + venue);
  }
  metrics.initialise_series(prices.venues, actors);
  metrics.publish_snapshot(*prices.snapshot);
  for (const auto& venue : prices.venues) {
    metrics.venue_fetches.with({venue}).inc();
    metrics.venue_fetch_duration.with({venue}).observe(0.12);
  }
  for (const char* route : {"/v1/prices", "/v1/prices/{pair}", "/v1/prices/{pair}/sources",
                            "/v1/venues", "/prices", "/healthz", "/livez", "/readyz", "/metrics"}) {
    metrics.observe_request(route, "GET", 200, 0.0002);
  }
}

// With the process_* series, which read procfs on every render, as the service does.
void render_metrics_text(benchmark::State& state) {
  market prices(static_cast<std::size_t>(state.range(0)));
  service_metrics metrics;
  metrics::process_metrics process(metrics.registry);
  metrics.registry.add_render_hook([&process] { process.refresh(); });
  fill_metrics(metrics, prices);

  std::size_t text_bytes = 0;
  for (auto _ : state) {
    std::string text = metrics.registry.render();
    text_bytes = text.size();
    benchmark::DoNotOptimize(text);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["text_bytes"] = static_cast<double>(text_bytes);
}
BENCHMARK(render_metrics_text)->ArgName("pairs")->Arg(4)->Arg(50);

// The same registry without the procfs reads, to separate their share of the cost.
void render_metrics_text_without_process(benchmark::State& state) {
  market prices(static_cast<std::size_t>(state.range(0)));
  service_metrics metrics;
  fill_metrics(metrics, prices);
  for (auto _ : state) {
    std::string text = metrics.registry.render();
    benchmark::DoNotOptimize(text);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(render_metrics_text_without_process)->ArgName("pairs")->Arg(4)->Arg(50);

// The per-request work of GET /v1/prices/BTC-USD outside Beast and the socket: routing against the
// rendered snapshot and counting the request in the metrics, as the service's handler and
// observer do. Run with 2 threads as well, the number of server threads, to show lock contention.
void route_and_count_request(benchmark::State& state) {
  static market prices(4);
  static service_metrics metrics;
  static auto rendered = http::render_snapshot(prices.snapshot, bench::utc_now(), false);
  http::request_line request{"GET", "/v1/prices/BTC-USD"};
  for (auto _ : state) {
    http::reply reply = http::route_request(request, rendered, nullptr);
    metrics.observe_request(reply.route, request.method, reply.status, 0.0001);
    benchmark::DoNotOptimize(reply);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(route_and_count_request)->Threads(1)->Threads(2)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();

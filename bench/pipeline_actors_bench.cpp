// The path from one fetched body to the snapshot the server responds from, through the real actors:
// normaliser (adapter parse), aggregator (record and aggregate every pair), HTTP actor (render and
// store in the snapshot_slot), with the metrics publisher running beside them as in the service.
// They are wired through a service_state and actor_context as actors/service.cpp does, without
// fetchers and without the supervisor; the benchmark thread plays the fetchers and sends
// fetched_response messages with bodies in each venue's wire format.
//
// pipeline_latency sends one body at a time and waits until the slot holds a snapshot with that
// quote; it reports percentiles. pipeline_throughput sends bursts of bodies and reports quotes per
// second through normaliser and aggregator until the last of them is served.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <thread>
#include <vector>

#include <caf/all.hpp>

#include "actors/actor_context.hpp"
#include "actors/messages.hpp"
#include "actors/pipeline_actors.hpp"
#include "bench/bench_support.hpp"
#include "pipeline/log.hpp"
#include "tests/simulator/venue_bodies.hpp"

namespace {

using namespace nimbus;
using std::chrono::steady_clock;

constexpr std::size_t venue_count = 12;
constexpr std::size_t pair_count = 4;

// One venue-pair's ticker body, rendered once in the venue's wire format.
struct venue_body {
  std::string venue;
  std::string pair;
  std::string body;
};

std::vector<venue_body> market_bodies(const std::vector<std::string>& venues,
                                      const std::vector<std::string>& pairs) {
  std::vector<venue_body> bodies;
  timestamp now = bench::utc_now();
  for (std::size_t v = 0; v < venues.size(); ++v) {
    for (const auto& pair : pairs) {
      quote values = bench::market_quote(venues[v], v, pair, 0, now);
      sim::ticker_values ticker{*values.bid, *values.ask, *values.last, *values.base_volume_24h,
                                now};
      bodies.push_back({venues[v], pair, sim::ticker_body(venues[v], pair, ticker)});
    }
  }
  return bodies;
}

// The actors of one service instance minus the fetchers, and the state they share.
class pipeline {
 public:
  pipeline()
      : venues_(bench::market_venues(venue_count)),
        pairs_(bench::market_pairs(pair_count)),
        bodies_(market_bodies(venues_, pairs_)),
        state_(bench::market_config(venues_, pairs_)),
        context_{state_, metrics_, slot_},
        system_(with_message_types(config_)) {
    timestamp now = bench::utc_now();
    slot_.store(http::render_snapshot(state_.aggregate_all(now), now, false));
    state_.register_actor(normaliser_name, spawn_normaliser(system_, context_));
    state_.register_actor(aggregator_name, spawn_aggregator(system_, context_));
    state_.register_actor(metrics_publisher_name, spawn_metrics_publisher(system_, context_));
    state_.register_actor(http_actor_name, spawn_http_actor(system_, context_));
    normaliser_ = state_.find_actor(normaliser_name);
  }

  ~pipeline() {
    for (const auto& name : state_.actor_names()) {
      caf::anon_send_exit(state_.find_actor(name), caf::exit_reason::user_shutdown);
    }
    system_.await_all_actors_done();
    state_.clear_actors();
  }

  const std::vector<venue_body>& bodies() const { return bodies_; }

  fetched_response response_for(const venue_body& body, timestamp received_at) const {
    fetched_response response;
    response.venue = body.venue;
    response.pair = body.pair;
    response.status = 200;
    response.body = body.body;
    response.received_at = received_at;
    response.duration = std::chrono::milliseconds{40};
    return response;
  }

  void send(fetched_response response) { caf::anon_send(normaliser_, std::move(response)); }

  // Whether the served snapshot contains the quote of `venue` for `pair` received at `marker`.
  bool serves_quote(const std::string& venue, const std::string& pair, timestamp marker) const {
    auto rendered = slot_.load();
    for (const auto& aggregate : rendered->source->pairs) {
      if (aggregate.pair != pair) {
        continue;
      }
      for (const auto& source : aggregate.sources) {
        if (source.venue == venue) {
          return source.used && source.latest_quote && source.latest_quote->received_at == marker;
        }
      }
    }
    return false;
  }

  // Results recorded by the aggregator, as of the served snapshot.
  std::int64_t served_fetches() const {
    // The local keeps the snapshot alive: the HTTP actor may replace it in the slot meanwhile.
    auto rendered = slot_.load();
    std::int64_t total = 0;
    for (const auto& venue : rendered->source->venues) {
      total += venue.fetches;
    }
    return total;
  }

 private:
  static caf::actor_system_config& with_message_types(caf::actor_system_config& config) {
    register_message_types(config);
    return config;
  }

  std::vector<std::string> venues_;
  std::vector<std::string> pairs_;
  std::vector<venue_body> bodies_;
  service_metrics metrics_;
  service_state state_;
  http::snapshot_slot slot_;
  actor_context context_;
  caf::actor_system_config config_;
  caf::actor_system system_;
  // Declared after system_, so the handle is released before the actor system is destroyed.
  caf::actor normaliser_;
};

// Spins until `done` returns true or a deadline passes. It yields between checks, so the actors'
// threads get the cores.
template <class Predicate>
bool wait_until(Predicate done, std::chrono::seconds timeout = std::chrono::seconds{5}) {
  auto deadline = steady_clock::now() + timeout;
  while (!done()) {
    if (steady_clock::now() > deadline) {
      return false;
    }
    std::this_thread::yield();
  }
  return true;
}

double percentile(std::vector<double>& sorted, double fraction) {
  auto index = static_cast<std::size_t>(fraction * static_cast<double>(sorted.size() - 1));
  return sorted[index];
}

void pipeline_latency(benchmark::State& state) {
  log::set_level(log::level::warn);
  pipeline actors;
  std::vector<double> latencies_us;
  std::size_t next = 0;

  for (auto _ : state) {
    const venue_body& body = actors.bodies()[next++ % actors.bodies().size()];
    timestamp marker = bench::utc_now();
    auto started = steady_clock::now();
    actors.send(actors.response_for(body, marker));
    if (!wait_until([&] { return actors.serves_quote(body.venue, body.pair, marker); })) {
      state.SkipWithError(
          ("no snapshot with the quote of " + body.venue + " " + body.pair + " within 5 s")
              .c_str());
      return;
    }
    std::chrono::duration<double> elapsed = steady_clock::now() - started;
    state.SetIterationTime(elapsed.count());
    latencies_us.push_back(elapsed.count() * 1e6);
  }

  std::sort(latencies_us.begin(), latencies_us.end());
  state.counters["p50_us"] = percentile(latencies_us, 0.50);
  state.counters["p90_us"] = percentile(latencies_us, 0.90);
  state.counters["p99_us"] = percentile(latencies_us, 0.99);
  state.counters["max_us"] = latencies_us.back();
}
BENCHMARK(pipeline_latency)->UseManualTime()->MinTime(3.0)->Unit(benchmark::kMicrosecond);

void pipeline_throughput(benchmark::State& state) {
  log::set_level(log::level::warn);
  pipeline actors;
  const auto burst = static_cast<std::size_t>(state.range(0));

  for (auto _ : state) {
    std::vector<fetched_response> responses;
    responses.reserve(burst);
    timestamp received_at = bench::utc_now();
    for (std::size_t i = 0; i < burst; ++i) {
      responses.push_back(
          actors.response_for(actors.bodies()[i % actors.bodies().size()], received_at));
    }
    std::int64_t target = actors.served_fetches() + static_cast<std::int64_t>(burst);

    auto started = steady_clock::now();
    for (auto& response : responses) {
      actors.send(std::move(response));
    }
    if (!wait_until([&] { return actors.served_fetches() >= target; }, std::chrono::seconds{30})) {
      state.SkipWithError("the burst was not served within 30 s");
      return;
    }
    state.SetIterationTime(std::chrono::duration<double>(steady_clock::now() - started).count());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(pipeline_throughput)
    ->ArgName("burst")
    ->Arg(48)
    ->Arg(4'800)
    ->UseManualTime()
    ->MinTime(3.0)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();

#include "tests/observability/contract_metrics.hpp"

#include <string>

#include "pipeline/fetch_error.hpp"

namespace nimbus::metrics::testing {

namespace {

const std::vector<std::string> sample_venues = {"binance", "coinbase", "kraken"};
const std::vector<std::string> sample_pairs = {"BTC-USD", "ETH-USDT"};

void register_build_and_http(registry& registry) {
  registry.add_gauge("nimbus_build_info", "Build metadata; always 1.", {"version", "commit"})
      .with({"0.1.0", "b082fd3c0ffe"})
      .set(1);

  auto& requests = registry.add_counter(
      "nimbus_http_requests_total", "HTTP requests answered, by route, method and status class.",
      {"route", "method", "status_class"});
  requests.with({"/v1/prices", "GET", "2xx"}).inc(1250);
  requests.with({"/v1/prices/{pair}", "GET", "4xx"}).inc(3);
  requests.with({"/readyz", "GET", "5xx"}).inc(2);

  auto& duration = registry.add_histogram("nimbus_http_request_duration_seconds",
                                          "Time to answer an HTTP request, in seconds.", {"route"},
                                          http_request_duration_buckets);
  for (double seconds : {0.0002, 0.0007, 0.004, 0.09, 0.3}) {
    duration.with({"/v1/prices"}).observe(seconds);
  }

  registry
      .add_counter("nimbus_http_bad_requests_total", "Requests rejected before routing, by reason.",
                   {"reason"})
      .with({"header_too_large"})
      .inc();
}

void register_venues(registry& registry) {
  auto& fetches = registry.add_counter(
      "nimbus_venue_fetches_total", "Fetch attempts per venue, failed ones included.", {"venue"});
  auto& failures =
      registry.add_counter("nimbus_venue_fetch_failures_total",
                           "Failed fetches per venue and error category.", {"venue", "category"});
  auto& duration = registry.add_histogram("nimbus_venue_fetch_duration_seconds",
                                          "Time from request start to parsed quote, in seconds.",
                                          {"venue"}, venue_fetch_duration_buckets);
  auto& last_success =
      registry.add_gauge("nimbus_venue_last_success_timestamp_seconds",
                         "Unix time of the venue's last successful fetch.", {"venue"});
  auto& up = registry.add_gauge("nimbus_venue_up",
                                "1 when the venue's latest fetch succeeded, else 0.", {"venue"});
  auto& breaker = registry.add_gauge("nimbus_venue_circuit_breaker_state",
                                     "1 for the venue's current circuit breaker state, else 0.",
                                     {"venue", "state"});
  auto& quote_age = registry.add_gauge("nimbus_venue_quote_age_seconds",
                                       "Age of the venue's latest quote for a pair, in seconds.",
                                       {"venue", "pair"});

  for (const auto& venue : sample_venues) {
    fetches.with({venue}).inc(600);
    for (error_category category : all_error_categories) {
      failures.with({venue, std::string(to_string(category))});
    }
    failures.with({venue, "timeout"}).inc(4);
    duration.with({venue}).observe(0.12);
    last_success.with({venue}).set_to_current_time();
    up.with({venue}).set(1);
    for (const char* state : {"closed", "open", "half_open"}) {
      breaker.with({venue, state}).set(std::string(state) == "closed" ? 1 : 0);
    }
    for (const auto& pair : sample_pairs) {
      quote_age.with({venue, pair}).set(1.25);
    }
  }
}

void register_pairs(registry& registry) {
  auto& reference =
      registry.add_gauge("nimbus_pair_reference_price",
                         "Reference (median mid) price in the quote currency.", {"pair"});
  auto& best_bid = registry.add_gauge(
      "nimbus_pair_best_bid", "Highest bid across used venues, in the quote currency.", {"pair"});
  auto& best_ask = registry.add_gauge(
      "nimbus_pair_best_ask", "Lowest ask across used venues, in the quote currency.", {"pair"});
  auto& spread = registry.add_gauge("nimbus_pair_spread",
                                    "Best ask minus best bid, in the quote currency.", {"pair"});
  auto& dispersion = registry.add_gauge(
      "nimbus_pair_dispersion_ratio",
      "Median absolute deviation of venue mids divided by the median, 0..1.", {"pair"});
  auto& used = registry.add_gauge("nimbus_pair_venues_used",
                                  "Venues whose quotes went into the reference price.", {"pair"});
  auto& configured = registry.add_gauge("nimbus_pair_venues_configured",
                                        "Enabled venues configured for the pair.", {"pair"});
  auto& excluded =
      registry.add_gauge("nimbus_pair_venues_excluded",
                         "Venues left out of the aggregate, by reason.", {"pair", "reason"});
  auto& age = registry.add_gauge("nimbus_pair_aggregate_age_seconds",
                                 "Seconds since the pair's newest used quote.", {"pair"});
  auto& status = registry.add_gauge("nimbus_pair_status",
                                    "1 for the pair's current status, else 0.", {"pair", "status"});
  auto& updates = registry.add_counter("nimbus_aggregate_updates_total",
                                       "Aggregates computed per pair.", {"pair"});

  for (const auto& pair : sample_pairs) {
    reference.with({pair}).set(63212.975);
    best_bid.with({pair}).set(63212.97);
    best_ask.with({pair}).set(63212.98);
    spread.with({pair}).set(0.01);
    dispersion.with({pair}).set(0.00012);
    used.with({pair}).set(3);
    configured.with({pair}).set(4);
    for (const char* reason : {"stale", "outlier", "invalid_quote", "error"}) {
      excluded.with({pair, reason}).set(std::string(reason) == "stale" ? 1 : 0);
    }
    age.with({pair}).set(0.8);
    for (const char* state : {"healthy", "degraded", "unavailable"}) {
      status.with({pair, state}).set(std::string(state) == "healthy" ? 1 : 0);
    }
    updates.with({pair}).inc(1800);
  }
}

void register_actors(registry& registry) {
  auto& messages =
      registry.add_counter("nimbus_actor_messages_total", "Messages handled per actor.", {"actor"});
  auto& restarts =
      registry.add_counter("nimbus_actor_restarts_total",
                           "Actor restarts by the supervisor, by reason.", {"actor", "reason"});
  for (const char* actor : {"fetcher_binance", "normaliser", "aggregator", "http"}) {
    messages.with({actor}).inc(42);
  }
  restarts.with({"fetcher_binance", "kill"}).inc();

  registry.add_counter("nimbus_config_errors_total",
                       "Configuration errors detected since the process started.");
}

}  // namespace

void register_contract_metrics(registry& registry) {
  register_build_and_http(registry);
  register_venues(registry);
  register_pairs(registry);
  register_actors(registry);
}

}  // namespace nimbus::metrics::testing

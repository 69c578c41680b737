#include "actors/service_metrics.hpp"

#include "nimbus/build_info.hpp"

namespace nimbus {
namespace {

const std::vector<double> request_buckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                             0.01,   0.025,   0.05,   0.1,   0.25,   1.0};
const std::vector<double> fetch_buckets = {0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0};

std::string status_class(int status) { return std::to_string(status / 100) + "xx"; }

double seconds_between(timestamp earlier, timestamp later) {
  return std::chrono::duration<double>(later - earlier).count();
}

}  // namespace

service_metrics::service_metrics()
    : build_info(registry.add_gauge("nimbus_build_info",
                                    "Build metadata; the value is always 1.",
                                    {"version", "commit"})),
      http_requests(registry.add_counter("nimbus_http_requests_total",
                                         "HTTP requests served, by route, method and status class.",
                                         {"route", "method", "status_class"})),
      http_request_duration(registry.add_histogram(
          "nimbus_http_request_duration_seconds",
          "Time from a parsed request to its reply being queued, by route.", {"route"},
          request_buckets)),
      http_bad_requests(registry.add_counter(
          "nimbus_http_bad_requests_total",
          "Requests rejected before routing: oversized, malformed or too long.", {"reason"})),
      config_errors(registry.add_counter("nimbus_config_errors_total",
                                         "Configuration files rejected as invalid.")),
      venue_fetches(registry.add_counter("nimbus_venue_fetches_total",
                                         "Ticker requests sent to a venue.", {"venue"})),
      venue_fetch_failures(registry.add_counter(
          "nimbus_venue_fetch_failures_total",
          "Ticker requests that produced no valid quote, by error category.",
          {"venue", "category"})),
      venue_fetch_duration(registry.add_histogram("nimbus_venue_fetch_duration_seconds",
                                                  "Duration of ticker requests to a venue.",
                                                  {"venue"}, fetch_buckets)),
      venue_last_success(registry.add_gauge(
          "nimbus_venue_last_success_timestamp_seconds",
          "Unix time of the venue's last valid quote; 0 before the first.", {"venue"})),
      venue_up(registry.add_gauge("nimbus_venue_up",
                                  "1 while the venue's latest fetch produced a valid quote.",
                                  {"venue"})),
      venue_breaker_state(registry.add_gauge(
          "nimbus_venue_circuit_breaker_state",
          "1 for the venue's current circuit breaker state, 0 for the others.",
          {"venue", "state"})),
      venue_quote_age(registry.add_gauge("nimbus_venue_quote_age_seconds",
                                         "Age of the venue's latest quote for a pair.",
                                         {"venue", "pair"})),
      pair_reference_price(registry.add_gauge(
          "nimbus_pair_reference_price", "Reference price: median of the used venues' mids.",
          {"pair"})),
      pair_best_bid(registry.add_gauge("nimbus_pair_best_bid",
                                       "Highest bid across the used venues.", {"pair"})),
      pair_best_ask(registry.add_gauge("nimbus_pair_best_ask",
                                       "Lowest ask across the used venues.", {"pair"})),
      pair_spread(registry.add_gauge("nimbus_pair_spread",
                                     "Best ask minus best bid, in the quote currency.", {"pair"})),
      pair_dispersion(registry.add_gauge(
          "nimbus_pair_dispersion_ratio",
          "Median absolute deviation of the used venues' mids over the reference price.",
          {"pair"})),
      pair_venues_used(registry.add_gauge("nimbus_pair_venues_used",
                                          "Venues whose quotes made the reference price.",
                                          {"pair"})),
      pair_venues_configured(registry.add_gauge("nimbus_pair_venues_configured",
                                                "Enabled venues configured for the pair.",
                                                {"pair"})),
      pair_venues_excluded(registry.add_gauge("nimbus_pair_venues_excluded",
                                              "Venues left out of the reference price, by reason.",
                                              {"pair", "reason"})),
      pair_aggregate_age(registry.add_gauge(
          "nimbus_pair_aggregate_age_seconds",
          "Age of the newest quote behind the pair's reference price.", {"pair"})),
      pair_status(registry.add_gauge("nimbus_pair_status",
                                     "1 for the pair's current status, 0 for the others.",
                                     {"pair", "status"})),
      aggregate_updates(registry.add_counter("nimbus_aggregate_updates_total",
                                             "Aggregates recomputed for a pair.", {"pair"})),
      actor_messages(registry.add_counter("nimbus_actor_messages_total",
                                          "Messages handled, by actor.", {"actor"})),
      actor_restarts(registry.add_counter("nimbus_actor_restarts_total",
                                          "Actor restarts by the supervisors, by exit reason.",
                                          {"actor", "reason"})) {
  build_info.with({build_info::version, build_info::commit}).set(1);
}

void service_metrics::initialise_series(const std::vector<std::string>& venues,
                                        const std::vector<std::string>& actors) {
  for (const auto& venue : venues) {
    venue_fetches.with({venue});
    for (auto category : all_error_categories) {
      venue_fetch_failures.with({venue, std::string(to_string(category))});
    }
  }
  for (const auto& actor : actors) {
    actor_messages.with({actor});
    for (const char* reason : {"kill", "user", "error", "unknown"}) {
      actor_restarts.with({actor, reason});
    }
  }
}

void service_metrics::observe_request(const std::string& route, std::string_view method,
                                      int status, double duration_seconds) {
  std::string method_label = method == "GET" || method == "HEAD" ? std::string(method) : "other";
  http_requests.with({route, method_label, status_class(status)}).inc();
  http_request_duration.with({route}).observe(duration_seconds);
}

void service_metrics::publish_snapshot(const aggregate_snapshot& snapshot) {
  timestamp now = snapshot.generated_at;
  for (const auto& aggregate : snapshot.pairs) {
    const std::vector<std::string> pair_label = {aggregate.pair};
    if (aggregate.price) {
      pair_reference_price.with(pair_label).set(*aggregate.price);
    }
    if (aggregate.best_bid) {
      pair_best_bid.with(pair_label).set(aggregate.best_bid->to_double());
    }
    if (aggregate.best_ask) {
      pair_best_ask.with(pair_label).set(aggregate.best_ask->to_double());
    }
    if (aggregate.spread) {
      pair_spread.with(pair_label).set(*aggregate.spread);
    }
    if (aggregate.dispersion_bps) {
      pair_dispersion.with(pair_label).set(*aggregate.dispersion_bps / 10'000.0);
    }
    pair_venues_used.with(pair_label).set(aggregate.venues_used);
    pair_venues_configured.with(pair_label).set(aggregate.venues_total);
    if (aggregate.as_of) {
      pair_aggregate_age.with(pair_label).set(seconds_between(*aggregate.as_of, now));
    }
    for (auto status : {nimbus::pair_status::healthy, nimbus::pair_status::degraded,
                        nimbus::pair_status::unavailable}) {
      pair_status.with({aggregate.pair, std::string(to_string(status))})
          .set(aggregate.status == status ? 1 : 0);
    }

    std::map<exclusion_reason, int> excluded = {{exclusion_reason::stale, 0},
                                                {exclusion_reason::outlier, 0},
                                                {exclusion_reason::invalid_quote, 0},
                                                {exclusion_reason::error, 0}};
    for (const auto& source : aggregate.sources) {
      if (source.reason) {
        ++excluded[*source.reason];
      }
      if (source.latest_quote) {
        venue_quote_age.with({source.venue, aggregate.pair})
            .set(seconds_between(source.latest_quote->received_at, now));
      }
    }
    for (const auto& [reason, count] : excluded) {
      pair_venues_excluded.with({aggregate.pair, std::string(to_string(reason))}).set(count);
    }
    aggregate_updates.with(pair_label).inc();
  }

  for (const auto& venue : snapshot.venues) {
    const std::vector<std::string> venue_label = {venue.venue};
    venue_up.with(venue_label).set(venue.state == "ok" ? 1 : 0);
    venue_last_success.with(venue_label)
        .set(venue.last_success ? to_unix_seconds(*venue.last_success) : 0);
    for (std::string state : {"closed", "open", "half_open"}) {
      venue_breaker_state.with({venue.venue, state}).set(venue.breaker_state == state ? 1 : 0);
    }
  }
}

}  // namespace nimbus

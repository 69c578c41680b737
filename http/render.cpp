#include "http/rendered_snapshot.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "pipeline/json_writer.hpp"

namespace nimbus::http {
namespace {

void write_optional_decimal(json_writer& json, const std::optional<decimal>& value) {
  if (value) {
    json.raw(value->to_string());
  } else {
    json.null();
  }
}

void write_optional_number(json_writer& json, const std::optional<double>& value) {
  if (value) {
    json.number(*value);
  } else {
    json.null();
  }
}

void write_optional_time(json_writer& json, const std::optional<timestamp>& value) {
  if (value) {
    json.string(format_rfc3339_milliseconds(*value));
  } else {
    json.null();
  }
}

double age_ms(const std::optional<timestamp>& as_of, timestamp now) {
  if (!as_of) {
    return 0;
  }
  return std::max(0.0, std::chrono::duration<double, std::milli>(now - *as_of).count());
}

void write_pair(json_writer& json, const pair_aggregate& aggregate, timestamp now) {
  json.begin_object().key("pair").string(aggregate.pair).key("price");
  write_optional_number(json, aggregate.price);
  json.key("best_bid");
  write_optional_decimal(json, aggregate.best_bid);
  json.key("best_ask");
  write_optional_decimal(json, aggregate.best_ask);
  json.key("spread");
  write_optional_number(json, aggregate.spread);
  json.key("dispersion_bps");
  write_optional_number(json, aggregate.dispersion_bps);
  json.key("venues_used").integer(aggregate.venues_used);
  json.key("venues_total").integer(aggregate.venues_total);
  json.key("status").string(to_string(aggregate.status));
  json.key("stale").boolean(aggregate.stale);
  json.key("as_of");
  write_optional_time(json, aggregate.as_of);
  json.key("age_ms");
  if (aggregate.as_of) {
    json.integer(static_cast<std::int64_t>(age_ms(aggregate.as_of, now)));
  } else {
    json.null();
  }
  json.end_object();
}

void write_quote(json_writer& json, const quote& venue_quote) {
  json.begin_object().key("bid");
  write_optional_decimal(json, venue_quote.bid);
  json.key("ask");
  write_optional_decimal(json, venue_quote.ask);
  json.key("last");
  write_optional_decimal(json, venue_quote.last);
  json.key("base_volume_24h");
  write_optional_decimal(json, venue_quote.base_volume_24h);
  json.key("venue_time");
  write_optional_time(json, venue_quote.venue_time);
  json.key("received_at").string(format_rfc3339_milliseconds(venue_quote.received_at));
  json.end_object();
}

std::string render_sources(const pair_aggregate& aggregate, timestamp now) {
  std::string body;
  json_writer json(body);
  json.begin_object().key("pair").string(aggregate.pair).key("sources").begin_array();
  for (const auto& source : aggregate.sources) {
    json.begin_object().key("venue").string(source.venue).key("quote");
    if (source.latest_quote) {
      write_quote(json, *source.latest_quote);
      json.key("mid").number(source.mid);
      json.key("age_ms").integer(
          static_cast<std::int64_t>(age_ms(source.latest_quote->received_at, now)));
    } else {
      json.null().key("mid").null().key("age_ms").null();
    }
    json.key("used").boolean(source.used).key("reason");
    if (source.reason) {
      json.string(to_string(*source.reason));
    } else {
      json.null();
    }
    json.key("detail").string(source.detail).end_object();
  }
  json.end_array().end_object();
  return body;
}

void write_error(json_writer& json, const std::optional<fetch_error>& error) {
  if (!error) {
    json.null();
    return;
  }
  json.begin_object()
      .key("category").string(to_string(error->category))
      .key("detail").string(error->detail)
      .key("http_status").integer(error->http_status)
      .key("venue_code").string(error->venue_code)
      .key("transient").boolean(error->transient)
      .end_object();
}

std::string render_venues(const aggregate_snapshot& snapshot) {
  std::string body;
  json_writer json(body);
  json.begin_object().key("venues").begin_array();
  for (const auto& venue : snapshot.venues) {
    json.begin_object()
        .key("venue").string(venue.venue)
        .key("state").string(venue.state)
        .key("breaker_state").string(venue.breaker_state)
        .key("last_success");
    write_optional_time(json, venue.last_success);
    json.key("last_error");
    write_error(json, venue.last_error);
    json.key("last_error_at");
    write_optional_time(json, venue.last_error_at);
    json.key("consecutive_failures").integer(venue.consecutive_failures)
        .key("restarts").integer(venue.restarts)
        .key("fetches").integer(venue.fetches)
        .key("failures").integer(venue.failures)
        .end_object();
  }
  json.end_array().end_object();
  return body;
}

std::string render_readiness(const aggregate_snapshot& snapshot, bool shutting_down,
                             bool& ready) {
  std::string body;
  json_writer json(body);
  ready = !shutting_down && !snapshot.pairs.empty();
  json.begin_object().key("not_ready").begin_array();
  if (shutting_down) {
    json.begin_object().key("pair").null().key("reason").string("shutting down").end_object();
  }
  for (const auto& aggregate : snapshot.pairs) {
    if (aggregate.stale) {
      ready = false;
      json.begin_object()
          .key("pair").string(aggregate.pair)
          .key("reason").string("no fresh aggregate: no venue has a fresh, valid quote")
          .end_object();
    }
  }
  json.end_array().key("status").string(ready ? "ready" : "not_ready").end_object();
  return body;
}

}  // namespace

std::string render_error(int status, std::string_view code, std::string_view message) {
  std::string body;
  json_writer json(body);
  json.begin_object().key("error").begin_object()
      .key("status").integer(status)
      .key("code").string(code)
      .key("message").string(message)
      .end_object().end_object();
  return body;
}

std::string render_history(const aggregate_snapshot& snapshot,
                           const std::vector<std::string>& symbols, std::size_t window) {
  std::string body;
  json_writer json(body);
  json.begin_object().key("symbols").begin_array();
  for (const auto& symbol : symbols) {
    json.string(symbol);
  }
  json.end_array().key("window").integer(static_cast<std::int64_t>(window));
  json.key("data").begin_object();
  for (const auto& symbol : symbols) {
    json.key(symbol).begin_array();
    auto found = snapshot.history->find(symbol);
    if (found != snapshot.history->end()) {
      const auto& points = found->second;
      std::size_t first = points.size() > window ? points.size() - window : 0;
      for (std::size_t i = first; i < points.size(); ++i) {
        json.begin_object()
            .key("timestamp").number(points[i].unix_seconds)
            .key("price").number(points[i].price)
            .end_object();
      }
    }
    json.end_array();
  }
  json.end_object().end_object();
  return body;
}

std::shared_ptr<const rendered_snapshot> render_snapshot(
    std::shared_ptr<const aggregate_snapshot> snapshot, timestamp now, bool shutting_down) {
  auto rendered = std::make_shared<rendered_snapshot>();

  json_writer prices(rendered->prices_body);
  prices.begin_object().key("prices").begin_array();
  for (const auto& aggregate : snapshot->pairs) {
    write_pair(prices, aggregate, now);

    std::string pair_body;
    json_writer single(pair_body);
    write_pair(single, aggregate, now);
    rendered->pair_bodies.emplace(aggregate.pair, std::move(pair_body));
    rendered->sources_bodies.emplace(aggregate.pair, render_sources(aggregate, now));

    rendered->valid_pairs += rendered->valid_pairs.empty() ? aggregate.pair : ", " + aggregate.pair;
  }
  prices.end_array().key("generated_at").string(format_rfc3339_milliseconds(now)).end_object();

  rendered->venues_body = render_venues(*snapshot);
  rendered->readyz_body = render_readiness(*snapshot, shutting_down, rendered->ready);
  for (const auto& [symbol, points] : *snapshot->history) {
    rendered->history_symbols.push_back(symbol);
  }
  rendered->source = std::move(snapshot);
  return rendered;
}

}  // namespace nimbus::http

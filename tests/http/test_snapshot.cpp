#include "test_snapshot.hpp"

#include <chrono>
#include <string>

namespace nimbus::http::test_support {
namespace {

using std::chrono::milliseconds;

decimal price(std::string_view text) {
  return decimal::parse(text).value();
}

quote make_quote(const std::string& venue, const std::string& pair, std::string_view bid,
                 std::string_view ask, milliseconds age) {
  quote venue_quote;
  venue_quote.venue = venue;
  venue_quote.pair = pair;
  venue_quote.bid = price(bid);
  venue_quote.ask = price(ask);
  venue_quote.received_at = snapshot_time() - age;
  return venue_quote;
}

venue_source used_source(const quote& venue_quote) {
  venue_source source;
  source.venue = venue_quote.venue;
  source.latest_quote = venue_quote;
  source.mid = venue_quote.mid();
  source.age_ms =
      std::chrono::duration<double, std::milli>(snapshot_time() - venue_quote.received_at).count();
  source.used = true;
  return source;
}

pair_aggregate make_pair(const std::string& pair, std::string_view bid, std::string_view ask,
                         double mid) {
  auto alpha = make_quote("alpha", pair, bid, ask, milliseconds{400});
  auto beta = make_quote("beta", pair, bid, ask, milliseconds{900});

  pair_aggregate aggregate;
  aggregate.pair = pair;
  aggregate.status = pair_status::healthy;
  aggregate.stale = false;
  aggregate.price = mid;
  aggregate.best_bid = price(bid);
  aggregate.best_ask = price(ask);
  aggregate.spread = price(ask).to_double() - price(bid).to_double();
  aggregate.dispersion_bps = 0;
  aggregate.venues_used = 2;
  aggregate.venues_total = 2;
  aggregate.as_of = alpha.received_at;
  aggregate.sources = {used_source(alpha), used_source(beta)};
  return aggregate;
}

venue_health healthy_venue(const std::string& name) {
  venue_health health;
  health.venue = name;
  health.state = "ok";
  health.last_success = snapshot_time() - milliseconds{400};
  health.fetches = 10;
  return health;
}

}  // namespace

timestamp snapshot_time() {
  return timestamp{std::chrono::seconds{1'700'000'100}};
}

std::shared_ptr<aggregate_snapshot> make_snapshot() {
  auto snapshot = std::make_shared<aggregate_snapshot>();
  snapshot->generated_at = snapshot_time();
  snapshot->pairs = {make_pair("BTC-USD", "99.5", "100.5", 100.0),
                     make_pair("ETH-USD", "1999", "2001", 2'000.0)};
  snapshot->venues = {healthy_venue("alpha"), healthy_venue("beta")};

  auto history = std::make_shared<history_map>();
  (*history)["BTC"] = {{1'700'000'000, 98.0}, {1'700'000'001, 99.0}, {1'700'000'002, 100.0}};
  (*history)["ETH"] = {{1'700'000'001, 1'990.0}, {1'700'000'002, 2'000.0}};
  snapshot->history = history;

  snapshot->policies["BTC-USD"] = pair_policy{};
  snapshot->policies["ETH-USD"] = pair_policy{};
  return snapshot;
}

std::shared_ptr<const rendered_snapshot> render(std::shared_ptr<aggregate_snapshot> snapshot,
                                                bool shutting_down) {
  return render_snapshot(std::move(snapshot), snapshot_time(), shutting_down);
}

}  // namespace nimbus::http::test_support

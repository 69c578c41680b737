// End-to-end tests: the real nimbus-signals binary polls the in-process exchange simulator over
// loopback, and the tests read its REST API, metrics and admin listener.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <map>
#include <string>

#include <fmt/format.h>

#include "tests/e2e/service_process.hpp"
#include "tests/simulator/exchange_simulator.hpp"
#include "tests/simulator/venue_bodies.hpp"

namespace nimbus::e2e {
namespace {

using namespace std::chrono_literals;

struct book {
  std::string bid;
  std::string ask;
  std::string last;
};

timestamp utc_now() {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}

// A ticker response in the venue's own wire format, with synthetic prices.
sim::response ticker(const std::string& venue, const std::string& pair, const book& prices) {
  sim::ticker_values values{sim::dec(prices.bid), sim::dec(prices.ask), sim::dec(prices.last),
                            sim::dec("12.5"), utc_now()};
  return sim::ticker_response(venue, pair, values);
}

// Parses a JSON body; the padded copy lives as long as the returned document.
struct parsed_json {
  simdjson::dom::parser parser;
  simdjson::dom::element root;

  explicit parsed_json(const std::string& text) {
    auto error = parser.parse(text).get(root);
    if (error) {
      throw std::runtime_error("invalid JSON: " + text);
    }
  }
};

double number_at(simdjson::dom::element element, const char* pointer) {
  double value = 0;
  if (element.at_pointer(pointer).get(value)) {
    return -1;
  }
  return value;
}

std::string text_at(simdjson::dom::element element, const char* pointer) {
  std::string_view value;
  if (element.at_pointer(pointer).get(value)) {
    return "<missing>";
  }
  return std::string(value);
}

// A scenario over BTC-USDT on five venues plus BTC-USD on Coinbase.
class PipelineEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const auto& [venue, prices] : std::map<std::string, book>{
             {"binance", {"63999", "64001", "64000"}},
             {"okx", {"64009", "64011", "64010"}},
             {"bybit", {"64019", "64021", "64020"}},
             {"gate", {"69999", "70001", "70000"}}}) {
      simulator_.set_response(sim::venue_route(venue, "BTC-USDT"),
                              ticker(venue, "BTC-USDT", prices));
    }
    simulator_.set_response(sim::venue_route("kucoin", "BTC-USDT"),
                            sim::json_response(503, "<html>maintenance</html>"));
    simulator_.set_response(sim::venue_route("coinbase", "BTC-USD"),
                            ticker("coinbase", "BTC-USD", {"64100.5", "64101.5", "64101"}));
  }

  std::string config_yaml(const std::string& extra = "") const {
    std::string yaml = fmt::format(R"(
log_level: debug
defaults:
  poll_interval_ms: 200
  request_timeout_ms: 1000
  connect_timeout_ms: 500
  max_quote_age_ms: 1500
  min_venues: 3
  outlier_threshold_bps: 100
supervision:
  restart_initial_delay_ms: 50
  restart_max_delay_ms: 500
breaker:
  failure_threshold: 1000
venues:
)");
    for (const char* venue : {"binance", "okx", "bybit", "gate", "kucoin"}) {
      yaml += fmt::format("  {}:\n    base_url: {}\n    pairs: [BTC-USDT]\n", venue,
                          sim::venue_base_url(simulator_.base_url(), venue));
    }
    yaml += fmt::format("  coinbase:\n    base_url: {}\n    pairs: [BTC-USD]\n",
                        sim::venue_base_url(simulator_.base_url(), "coinbase"));
    yaml += "pairs:\n  BTC-USD:\n    min_venues: 1\n";
    return yaml + extra;
  }

  std::unique_ptr<service_process> start_service(std::vector<std::string> args = {}) {
    auto service = std::make_unique<service_process>(config_yaml(), std::move(args));
    EXPECT_TRUE(service->wait_until_listening(10s)) << service->log_text();
    return service;
  }

  bool btc_usdt_has(service_process& service, int venues_used) {
    auto reply = http_get(service.url("/v1/prices/BTC-USDT"));
    if (reply.status != 200) {
      return false;
    }
    parsed_json json(reply.body);
    return number_at(json.root, "/venues_used") == venues_used;
  }

  sim::exchange_simulator simulator_;
};

TEST_F(PipelineEndToEnd, MedianExcludesOutlierAndFailingVenue) {
  auto service = start_service();

  ASSERT_TRUE(eventually([&] { return btc_usdt_has(*service, 3); }, 10s)) << service->log_text();
  auto reply = http_get(service->url("/v1/prices/btc-usdt"));
  parsed_json json(reply.body);

  EXPECT_EQ(reply.status, 200);
  EXPECT_DOUBLE_EQ(number_at(json.root, "/price"), 64010.0);
  EXPECT_EQ(text_at(json.root, "/status"), "healthy");
  EXPECT_EQ(number_at(json.root, "/venues_total"), 5);
  EXPECT_DOUBLE_EQ(number_at(json.root, "/best_bid"), 64019.0);
  EXPECT_DOUBLE_EQ(number_at(json.root, "/best_ask"), 64001.0);
  EXPECT_GE(number_at(json.root, "/age_ms"), 0);
}

TEST_F(PipelineEndToEnd, SourcesNameEachExclusionReason) {
  auto service = start_service();
  ASSERT_TRUE(eventually([&] { return btc_usdt_has(*service, 3); }, 10s)) << service->log_text();

  auto reply = http_get(service->url("/v1/prices/BTC-USDT/sources"));
  parsed_json json(reply.body);
  std::map<std::string, std::string> reasons;
  for (auto source : json.root["sources"].get_array()) {
    std::string_view venue = source["venue"].get_string();
    std::string reason = source["reason"].is_null() ? "used" : std::string(source["reason"].get_string().value());
    reasons[std::string(venue)] = reason;
  }

  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reasons["binance"], "used");
  EXPECT_EQ(reasons["okx"], "used");
  EXPECT_EQ(reasons["bybit"], "used");
  EXPECT_EQ(reasons["gate"], "outlier");
  EXPECT_EQ(reasons["kucoin"], "error");
}

TEST_F(PipelineEndToEnd, VenuesReportLastErrorCategory) {
  auto service = start_service();
  ASSERT_TRUE(eventually([&] { return btc_usdt_has(*service, 3); }, 10s)) << service->log_text();

  auto reply = http_get(service->url("/v1/venues"));
  parsed_json json(reply.body);
  std::map<std::string, std::string> categories;
  for (auto venue : json.root["venues"].get_array()) {
    std::string name(venue["venue"].get_string().value());
    categories[name] = venue["last_error"].is_null()
                           ? "none"
                           : std::string(venue["last_error"]["category"].get_string().value());
  }

  EXPECT_EQ(categories["kucoin"], "http_status");
  EXPECT_EQ(categories["binance"], "none");
}

TEST_F(PipelineEndToEnd, StaleVenueIsDroppedAfterMaxAge) {
  auto service = start_service();
  ASSERT_TRUE(eventually([&] { return btc_usdt_has(*service, 3); }, 10s)) << service->log_text();

  // Bybit stops responding: its last quote ages past max_quote_age_ms and drops out.
  simulator_.set_response(sim::venue_route("bybit", "BTC-USDT"), sim::hang_response(3s));

  ASSERT_TRUE(eventually([&] { return btc_usdt_has(*service, 2); }, 8s)) << service->log_text();
  auto reply = http_get(service->url("/v1/prices/BTC-USDT"));
  parsed_json json(reply.body);
  EXPECT_DOUBLE_EQ(number_at(json.root, "/price"), 64005.0);
  EXPECT_EQ(text_at(json.root, "/status"), "degraded");
}

TEST_F(PipelineEndToEnd, ReadinessFollowsFreshness) {
  auto service = start_service();
  ASSERT_TRUE(eventually([&] { return http_get(service->url("/readyz")).status == 200; }, 10s))
      << service->log_text();

  // Every venue fails: once the quotes age out, no pair has a fresh aggregate.
  simulator_.clear_routes();
  ASSERT_TRUE(eventually([&] { return http_get(service->url("/readyz")).status == 503; }, 8s));
  auto reply = http_get(service->url("/readyz"));
  EXPECT_NE(reply.body.find("BTC-USDT"), std::string::npos) << reply.body;

  // The last reference price stays visible, marked stale.
  auto prices = http_get(service->url("/v1/prices/BTC-USDT"));
  parsed_json json(prices.body);
  EXPECT_EQ(text_at(json.root, "/status"), "unavailable");
  EXPECT_DOUBLE_EQ(number_at(json.root, "/price"), 64010.0);
}

TEST_F(PipelineEndToEnd, CompatibilityEndpointsKeepTheirShape) {
  auto service = start_service();
  ASSERT_TRUE(eventually(
      [&] {
        auto reply = http_get(service->url("/prices?symbol=BTC&window=2"));
        return reply.status == 200 && reply.body.find("\"price\"") != std::string::npos;
      },
      10s))
      << service->log_text();

  auto health = http_get(service->url("/healthz"));
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, R"({"status":"ok"})");

  auto history = http_get(service->url("/prices?symbol=btc&window=2"));
  parsed_json json(history.body);
  EXPECT_EQ(text_at(json.root, "/symbols/0"), "BTC");
  EXPECT_EQ(number_at(json.root, "/window"), 1);  // capped at the points recorded so far
  EXPECT_DOUBLE_EQ(number_at(json.root, "/data/BTC/0/price"), 64101.0);
  EXPECT_GT(number_at(json.root, "/data/BTC/0/timestamp"), 1.7e9);

  auto unknown = http_get(service->url("/prices?symbol=DOGE"));
  EXPECT_EQ(unknown.status, 400);
  EXPECT_NE(unknown.body.find("BTC"), std::string::npos) << unknown.body;
}

TEST_F(PipelineEndToEnd, BadRequestsGetJsonErrors) {
  auto service = start_service();

  auto unknown_pair = http_get(service->url("/v1/prices/DOGE-USD"));
  EXPECT_EQ(unknown_pair.status, 404);
  EXPECT_NE(unknown_pair.body.find("BTC-USDT"), std::string::npos) << unknown_pair.body;

  auto wrong_method = http_request("POST", service->url("/v1/prices"));
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_NE(wrong_method.headers.find("Allow: GET, HEAD"), std::string::npos)
      << wrong_method.headers;

  auto bad_window = http_get(service->url("/prices?window=abc"));
  EXPECT_EQ(bad_window.status, 400);
  EXPECT_NE(bad_window.body.find("window"), std::string::npos) << bad_window.body;

  auto long_target = http_get(service->url("/v1/prices/" + std::string(3000, 'a')));
  EXPECT_EQ(long_target.status, 414);

  auto big_header = http_request("GET", service->url("/v1/prices"),
                                 {"X-Filler: " + std::string(10000, 'x')});
  EXPECT_EQ(big_header.status, 431);

  auto still_serving = http_get(service->url("/livez"));
  EXPECT_EQ(still_serving.status, 200);
}

TEST_F(PipelineEndToEnd, SigtermExitsCleanlyWithinFiveSeconds) {
  auto service = start_service();
  ASSERT_TRUE(eventually([&] { return btc_usdt_has(*service, 3); }, 10s));

  auto started = std::chrono::steady_clock::now();
  auto exit_code = service->terminate(5s);
  auto elapsed = std::chrono::steady_clock::now() - started;

  ASSERT_TRUE(exit_code.has_value()) << service->log_text();
  EXPECT_EQ(*exit_code, 0) << service->log_text();
  EXPECT_LT(elapsed, 5s);
  EXPECT_NE(service->log_text().find("shutdown complete"), std::string::npos);
}

TEST_F(PipelineEndToEnd, KilledAggregatorIsRestartedWhileServing) {
  std::uint16_t admin_port = pick_free_port();
  std::string admin = "127.0.0.1:" + std::to_string(admin_port);
  auto service = start_service({"--admin-listen", admin});
  ASSERT_TRUE(eventually([&] { return btc_usdt_has(*service, 3); }, 10s)) << service->log_text();

  auto killed =
      http_request("POST", "http://" + admin + "/admin/actors/aggregator/kill?reason=user");
  ASSERT_EQ(killed.status, 202) << killed.body;

  // Requests keep succeeding through the restart.
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(http_get(service->url("/v1/prices/BTC-USDT")).status, 200);
  }
  ASSERT_TRUE(eventually(
      [&] {
        auto metrics = http_get(service->url("/metrics"));
        return metrics.body.find(R"(nimbus_actor_restarts_total{actor="aggregator",reason="user"} 1)") !=
               std::string::npos;
      },
      5s))
      << service->log_text();
  EXPECT_TRUE(eventually([&] { return btc_usdt_has(*service, 3); }, 5s));

  // The admin route is not served on the public port.
  auto public_kill = http_request("POST", service->url("/admin/actors/aggregator/kill"));
  EXPECT_EQ(public_kill.status, 405);
}

TEST(ServiceConfig, InvalidConfigExitsWith78) {
  service_process service("defaults:\n  poll_interval_ms: 5\n");
  auto exit_code = service.wait_for_exit(5s);

  ASSERT_TRUE(exit_code.has_value());
  EXPECT_EQ(*exit_code, 78);
  EXPECT_NE(service.log_text().find("poll_interval_ms"), std::string::npos) << service.log_text();
}

TEST(ServiceConfig, NonLoopbackAdminListenerIsRejected) {
  service_process service("", {"--admin-listen", "0.0.0.0:9999"});
  auto exit_code = service.wait_for_exit(5s);

  ASSERT_TRUE(exit_code.has_value());
  EXPECT_EQ(*exit_code, 78);
  EXPECT_NE(service.log_text().find("loopback"), std::string::npos) << service.log_text();
}

}  // namespace
}  // namespace nimbus::e2e

#include "tests/simulator/demo_scenario.hpp"

#include <fstream>
#include <sstream>
#include <variant>

#include <gtest/gtest.h>

#include "adapters/registry.hpp"
#include "tests/simulator/test_http_client.hpp"
#include "tests/simulator/venue_bodies.hpp"

namespace nimbus::sim {
namespace {

using namespace std::chrono_literals;

std::string read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

quote_result parse_reply(const std::string& venue, const std::string& pair,
                         const http_result& reply) {
  parse_context context;
  http_response wire{static_cast<int>(reply.status), reply.body, std::nullopt};
  auto now =
      std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
  return find_adapter(venue)->parse(wire, pair, now, context);
}

TEST(DemoScenario, ServesSyntheticQuotesForEveryQuotablePair) {
  exchange_simulator simulator;
  auto routes = install_demo_routes(simulator, std::make_shared<synthetic_market>(5));
  test_http_client client;

  ASSERT_FALSE(routes.empty());
  for (const auto& route : routes) {
    SCOPED_TRACE(route.venue + " " + route.pair + " " + route.target);
    auto reply = client.get(simulator.base_url() + route.target);

    ASSERT_EQ(reply.code, CURLE_OK) << reply.error;
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.headers["x-simulator-body"], "synthetic");
    auto parsed = parse_reply(route.venue, route.pair, reply);
    ASSERT_TRUE(std::holds_alternative<quote>(parsed))
        << std::get<fetch_error>(parsed).detail << "\nbody: " << reply.body;
    double anchor = synthetic_market::anchor_price(route.pair);
    EXPECT_NEAR(std::get<quote>(parsed).mid(), anchor, anchor * 0.03);
  }
}

TEST(DemoScenario, CoversEveryVenueAndDemoPair) {
  exchange_simulator simulator;

  auto routes = install_demo_routes(simulator, std::make_shared<synthetic_market>(5));

  std::size_t expected = 0;
  for (const venue_adapter* adapter : all_adapters()) {
    for (const auto& pair : demo_pairs) {
      expected += adapter->venue_symbol(pair) ? 1 : 0;
    }
  }
  EXPECT_EQ(routes.size(), expected);
}

TEST(DemoScenario, KeepsVenuesWithSameTargetApart) {
  exchange_simulator simulator;
  install_demo_routes(simulator, std::make_shared<synthetic_market>(5));
  test_http_client client;
  ASSERT_EQ(route_for("binance", "BTC-USDT"), route_for("mexc", "BTC-USDT"));

  auto binance = client.get(venue_base_url(simulator.base_url(), "binance") +
                            route_for("binance", "BTC-USDT"));
  auto mexc =
      client.get(venue_base_url(simulator.base_url(), "mexc") + route_for("mexc", "BTC-USDT"));

  EXPECT_NE(binance.body.find(R"("weightedAvgPrice")"), std::string::npos) << binance.body;
  EXPECT_NE(mexc.body.find(R"("count":null)"), std::string::npos) << mexc.body;
}

TEST(ReplayScenario, ServesRecordedBodiesVerbatim) {
  exchange_simulator simulator;
  auto routes = install_replay_routes(simulator, NIMBUS_DEMO_FIXTURES_DIR);
  test_http_client client;

  std::size_t served = 0;
  for (const auto& route : routes) {
    if (!route.problem.empty()) {
      continue;
    }
    SCOPED_TRACE(route.venue + " " + route.pair + " " + route.target);
    ++served;
    auto reply = client.get(simulator.base_url() + route.target);

    ASSERT_EQ(reply.code, CURLE_OK) << reply.error;
    EXPECT_EQ(reply.headers["x-simulator-body"], "recorded");
    auto parsed = parse_reply(route.venue, route.pair, reply);
    EXPECT_TRUE(std::holds_alternative<quote>(parsed))
        << std::get<fetch_error>(parsed).detail << "\nbody: " << reply.body;
  }

  // Every venue but Bitget has a recorded ticker body; a few rows come from another endpoint than
  // the adapter uses (Binance bookTicker, KuCoin level1, CoinGecko's two-coin query).
  EXPECT_GE(served, 12u);
}

TEST(ReplayScenario, BodyBytesMatchFixtureFile) {
  exchange_simulator simulator;
  install_replay_routes(simulator, NIMBUS_DEMO_FIXTURES_DIR);

  auto reply =
      test_http_client().get(simulator.base_url() + "/kraken/0/public/Ticker?pair=XBTUSDT");

  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, read_file(std::string(NIMBUS_DEMO_FIXTURES_DIR) +
                                  "/recorded/kraken_ticker_xbtusdt.json"));
}

TEST(ReplayScenario, MissingIndexThrows) {
  exchange_simulator simulator;

  EXPECT_THROW(install_replay_routes(simulator, "/nonexistent-folder"), std::runtime_error);
}

}  // namespace
}  // namespace nimbus::sim

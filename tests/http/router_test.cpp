#include "http/router.hpp"

#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "test_snapshot.hpp"

namespace nimbus::http {
namespace {

using test_support::make_snapshot;
using test_support::render;

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// Routes requests against the standard two-pair snapshot and parses JSON bodies.
class RouteRequest : public ::testing::Test {
 protected:
  reply get(std::string_view target) { return route("GET", target); }

  reply route(std::string_view method, std::string_view target) {
    return route_request({method, target}, snapshot_, render_metrics_);
  }

  // Parses a body; the element stays valid until the next call.
  simdjson::dom::element parse(std::string_view body) {
    body_copy_ = std::string(body);
    simdjson::dom::element document;
    auto error = parser_.parse(body_copy_).get(document);
    EXPECT_FALSE(error) << simdjson::error_message(error) << ": " << body;
    return document;
  }

  // Checks the shape {"error":{"code":...,"message":...}} and returns the message.
  std::string error_message(const reply& result, std::string_view expected_code) {
    auto document = parse(result.body());
    simdjson::dom::object error;
    EXPECT_FALSE(document["error"].get(error)) << result.body();
    std::string_view code;
    EXPECT_FALSE(error["code"].get(code)) << result.body();
    EXPECT_EQ(code, expected_code) << result.body();
    std::string_view message;
    EXPECT_FALSE(error["message"].get(message)) << result.body();
    EXPECT_FALSE(message.empty()) << result.body();
    return std::string(message);
  }

  std::shared_ptr<const rendered_snapshot> snapshot_ = render(make_snapshot());
  metrics_renderer render_metrics_ = [] { return std::string("nimbus_up 1\n"); };
  simdjson::dom::parser parser_;
  std::string body_copy_;
};

// Prices

TEST_F(RouteRequest, PricesListsEveryPair) {
  auto result = get("/v1/prices");

  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.route, "/v1/prices");
  EXPECT_EQ(result.content_type, "application/json");
  auto document = parse(result.body());
  simdjson::dom::array prices;
  ASSERT_FALSE(document["prices"].get(prices));
  ASSERT_EQ(prices.size(), 2u);
  std::string_view first_pair;
  ASSERT_FALSE(prices.at(0)["pair"].get(first_pair));
  EXPECT_EQ(first_pair, "BTC-USD");
  std::string_view generated_at;
  EXPECT_FALSE(document["generated_at"].get(generated_at));
}

TEST_F(RouteRequest, PricesIgnoresTrailingSlash) {
  auto result = get("/v1/prices/");

  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.route, "/v1/prices");
}

TEST_F(RouteRequest, PairIsCaseInsensitive) {
  auto result = get("/v1/prices/btc-usd");

  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.route, "/v1/prices/{pair}");
  auto document = parse(result.body());
  std::string_view pair;
  ASSERT_FALSE(document["pair"].get(pair));
  EXPECT_EQ(pair, "BTC-USD");
  double price = 0;
  ASSERT_FALSE(document["price"].get(price));
  EXPECT_DOUBLE_EQ(price, 100.0);
  std::string_view status;
  ASSERT_FALSE(document["status"].get(status));
  EXPECT_EQ(status, "healthy");
}

TEST_F(RouteRequest, PairBodyKeepsExactDecimals) {
  auto result = get("/v1/prices/BTC-USD");

  EXPECT_TRUE(contains(result.body(), R"("best_bid":99.5)")) << result.body();
  EXPECT_TRUE(contains(result.body(), R"("best_ask":100.5)")) << result.body();
}

TEST_F(RouteRequest, PercentEncodedPairFound) {
  auto result = get("/v1/prices/BTC%2DUSD");

  EXPECT_EQ(result.status, 200);
}

TEST_F(RouteRequest, UnknownPairListsValidPairs) {
  auto result = get("/v1/prices/DOGE-USD");

  EXPECT_EQ(result.status, 404);
  EXPECT_EQ(result.route, "/v1/prices/{pair}");
  auto message = error_message(result, "unknown_pair");
  EXPECT_TRUE(contains(message, "DOGE-USD")) << message;
  EXPECT_TRUE(contains(message, "BTC-USD, ETH-USD")) << message;
}

TEST_F(RouteRequest, InvalidPairTextIsNotFound) {
  auto result = get("/v1/prices/not_a_pair");

  EXPECT_EQ(result.status, 404);
  error_message(result, "unknown_pair");
}

TEST_F(RouteRequest, SourcesListsVenues) {
  auto result = get("/v1/prices/eth-usd/sources");

  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.route, "/v1/prices/{pair}/sources");
  auto document = parse(result.body());
  std::string_view pair;
  ASSERT_FALSE(document["pair"].get(pair));
  EXPECT_EQ(pair, "ETH-USD");
  simdjson::dom::array sources;
  ASSERT_FALSE(document["sources"].get(sources));
  ASSERT_EQ(sources.size(), 2u);
  std::string_view venue;
  ASSERT_FALSE(sources.at(0)["venue"].get(venue));
  EXPECT_EQ(venue, "alpha");
  bool used = false;
  ASSERT_FALSE(sources.at(0)["used"].get(used));
  EXPECT_TRUE(used);
  int64_t age_ms = 0;
  ASSERT_FALSE(sources.at(0)["age_ms"].get(age_ms));
  EXPECT_EQ(age_ms, 400);
}

TEST_F(RouteRequest, SourcesOfUnknownPairNotFound) {
  auto result = get("/v1/prices/DOGE-USD/sources");

  EXPECT_EQ(result.status, 404);
  EXPECT_EQ(result.route, "/v1/prices/{pair}/sources");
  error_message(result, "unknown_pair");
}

TEST_F(RouteRequest, VenuesListsHealth) {
  auto result = get("/v1/venues");

  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.route, "/v1/venues");
  auto document = parse(result.body());
  simdjson::dom::array venues;
  ASSERT_FALSE(document["venues"].get(venues));
  ASSERT_EQ(venues.size(), 2u);
  std::string_view state;
  ASSERT_FALSE(venues.at(1)["state"].get(state));
  EXPECT_EQ(state, "ok");
}

// GET /prices, the compatibility history

TEST_F(RouteRequest, HistoryHasDocumentedShape) {
  auto result = get("/prices?symbol=BTC&window=2");

  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.route, "/prices");
  EXPECT_EQ(result.body(),
            R"({"symbols":["BTC"],"window":2,"data":{"BTC":[)"
            R"({"timestamp":1700000001,"price":99},{"timestamp":1700000002,"price":100}]}})");
}

TEST_F(RouteRequest, HistorySymbolIsCaseInsensitive) {
  auto result = get("/prices?symbol=eth&window=1");

  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(
      result.body(),
      R"({"symbols":["ETH"],"window":1,"data":{"ETH":[{"timestamp":1700000002,"price":2000}]}})");
}

TEST_F(RouteRequest, HistoryWindowCappedAtHistorySize) {
  auto result = get("/prices?symbol=BTC&window=1000");

  EXPECT_EQ(result.status, 200);
  auto document = parse(result.body());
  int64_t window = 0;
  ASSERT_FALSE(document["window"].get(window));
  EXPECT_EQ(window, 3);
  simdjson::dom::array points;
  ASSERT_FALSE(document["data"]["BTC"].get(points));
  EXPECT_EQ(points.size(), 3u);
}

TEST_F(RouteRequest, HistoryWithoutParametersListsAllSymbols) {
  auto result = get("/prices");

  EXPECT_EQ(result.status, 200);
  auto document = parse(result.body());
  simdjson::dom::array symbols;
  ASSERT_FALSE(document["symbols"].get(symbols));
  EXPECT_EQ(symbols.size(), 2u);
  simdjson::dom::array eth_points;
  ASSERT_FALSE(document["data"]["ETH"].get(eth_points));
  EXPECT_EQ(eth_points.size(), 2u);
}

TEST_F(RouteRequest, HistoryTimestampsHaveNoExponent) {
  auto result = get("/prices?symbol=BTC&window=3");

  EXPECT_TRUE(contains(result.body(), R"({"timestamp":1700000000,"price":98})")) << result.body();
}

struct bad_query_case {
  std::string name;
  std::string target;
  std::string code;
  std::vector<std::string> message_parts;
  friend void PrintTo(const bad_query_case& value, std::ostream* out) { *out << value.name; }
};

class RouteBadQuery : public RouteRequest, public ::testing::WithParamInterface<bad_query_case> {};

TEST_P(RouteBadQuery, RejectsWithBadRequest) {
  auto result = get(GetParam().target);

  EXPECT_EQ(result.status, 400);
  EXPECT_EQ(result.route, "/prices");
  auto message = error_message(result, GetParam().code);
  for (const auto& part : GetParam().message_parts) {
    EXPECT_TRUE(contains(message, part)) << "expected '" << part << "' in: " << message;
  }
}

INSTANTIATE_TEST_SUITE_P(
    History, RouteBadQuery,
    ::testing::Values(
        bad_query_case{
            "WindowZero", "/prices?symbol=BTC&window=0", "invalid_window", {"window", "'0'"}},
        bad_query_case{
            "WindowNotNumber", "/prices?window=abc", "invalid_window", {"window", "'abc'"}},
        bad_query_case{"WindowNegative", "/prices?window=-1", "invalid_window", {"'-1'"}},
        bad_query_case{"WindowTrailingText", "/prices?window=2x", "invalid_window", {"'2x'"}},
        bad_query_case{"WindowEmpty", "/prices?window=", "invalid_window", {"window"}},
        bad_query_case{"UnknownSymbol",
                       "/prices?symbol=DOGE",
                       "invalid_symbol",
                       {"symbol", "'DOGE'", "BTC, ETH"}},
        bad_query_case{"UnknownParameter",
                       "/prices?symbol=BTC&limit=2",
                       "unknown_parameter",
                       {"'limit'", "symbol and window"}},
        bad_query_case{
            "MalformedEscapeInQuery", "/prices?symbol=%zz", "invalid_query", {"symbol=%zz"}},
        bad_query_case{
            "TruncatedEscapeInQuery", "/prices?symbol=BT%4", "invalid_query", {"symbol=BT%4"}}),
    [](const ::testing::TestParamInfo<bad_query_case>& case_info) { return case_info.param.name; });

// Probes and metrics

TEST_F(RouteRequest, HealthzIsOk) {
  auto result = get("/healthz");

  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.body(), R"({"status":"ok"})");
}

TEST_F(RouteRequest, LivezIsOk) {
  auto result = get("/livez");

  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.route, "/livez");
  EXPECT_EQ(result.body(), R"({"status":"ok"})");
}

TEST_F(RouteRequest, ReadyzReadyWhenAllPairsFresh) {
  auto result = get("/readyz");

  EXPECT_EQ(result.status, 200);
  auto document = parse(result.body());
  std::string_view status;
  ASSERT_FALSE(document["status"].get(status));
  EXPECT_EQ(status, "ready");
  simdjson::dom::array not_ready;
  ASSERT_FALSE(document["not_ready"].get(not_ready));
  EXPECT_EQ(not_ready.size(), 0u);
}

TEST_F(RouteRequest, ReadyzListsStalePairs) {
  auto snapshot = make_snapshot();
  snapshot->pairs[1].stale = true;
  snapshot->pairs[1].status = pair_status::unavailable;
  snapshot_ = render(snapshot);

  auto result = get("/readyz");

  EXPECT_EQ(result.status, 503);
  auto document = parse(result.body());
  simdjson::dom::array not_ready;
  ASSERT_FALSE(document["not_ready"].get(not_ready));
  ASSERT_EQ(not_ready.size(), 1u);
  std::string_view pair;
  ASSERT_FALSE(not_ready.at(0)["pair"].get(pair));
  EXPECT_EQ(pair, "ETH-USD");
}

TEST_F(RouteRequest, ReadyzNotReadyWhenShuttingDown) {
  snapshot_ = render(make_snapshot(), true);

  auto result = get("/readyz");

  EXPECT_EQ(result.status, 503);
  EXPECT_TRUE(contains(result.body(), "shutting down")) << result.body();
}

TEST_F(RouteRequest, ReadyzNotReadyWithoutPairs) {
  auto snapshot = make_snapshot();
  snapshot->pairs.clear();
  snapshot_ = render(snapshot);

  EXPECT_EQ(get("/readyz").status, 503);
}

TEST_F(RouteRequest, MetricsUsesPrometheusTextFormat) {
  auto result = get("/metrics");

  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.route, "/metrics");
  EXPECT_EQ(result.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(result.body(), "nimbus_up 1\n");
}

// Methods and unknown paths

TEST_F(RouteRequest, PostNotAllowed) {
  auto result = route("POST", "/v1/prices");

  EXPECT_EQ(result.status, 405);
  EXPECT_EQ(result.allow, "GET, HEAD");
  auto message = error_message(result, "method_not_allowed");
  EXPECT_TRUE(contains(message, "POST")) << message;
}

TEST_F(RouteRequest, DeleteOnUnknownPathNotAllowed) {
  auto result = route("DELETE", "/nowhere");

  EXPECT_EQ(result.status, 405);
  EXPECT_EQ(result.allow, "GET, HEAD");
}

TEST_F(RouteRequest, HeadAllowed) {
  auto result = route("HEAD", "/v1/prices");

  EXPECT_EQ(result.status, 200);
  EXPECT_FALSE(result.body().empty());
}

TEST_F(RouteRequest, UnknownPathNotFound) {
  auto result = get("/v2/prices");

  EXPECT_EQ(result.status, 404);
  EXPECT_EQ(result.route, "unmatched");
  auto message = error_message(result, "not_found");
  EXPECT_TRUE(contains(message, "/v2/prices")) << message;
}

TEST_F(RouteRequest, MalformedPathEscapeRejected) {
  auto result = get("/v1/prices/BTC%2");

  EXPECT_EQ(result.status, 400);
  EXPECT_EQ(result.route, "/v1/prices/{pair}");
  auto message = error_message(result, "invalid_path");
  EXPECT_TRUE(contains(message, "BTC%2")) << message;
}

TEST_F(RouteRequest, NonHexPathEscapeRejected) {
  auto result = get("/v1/prices/%zzBTC-USD/sources");

  EXPECT_EQ(result.status, 400);
  EXPECT_EQ(result.route, "/v1/prices/{pair}/sources");
}

// Every error body has one shape, and route labels come from a fixed set.

TEST_F(RouteRequest, EveryErrorHasCodeAndMessage) {
  const std::vector<std::pair<std::string, std::string>> requests = {
      {"GET", "/v1/prices/DOGE-USD"}, {"GET", "/prices?window=0"}, {"GET", "/prices?x=1"},
      {"POST", "/v1/prices"},         {"GET", "/nowhere"},         {"GET", "/v1/prices/%"},
      {"GET", "/prices?symbol=XRP"}};

  for (const auto& [method, target] : requests) {
    auto result = route(method, target);
    auto document = parse(result.body());
    simdjson::dom::object root;
    ASSERT_FALSE(document.get(root)) << target;
    EXPECT_EQ(root.size(), 1u) << target << ": " << result.body();
    simdjson::dom::object error;
    ASSERT_FALSE(root["error"].get(error)) << target << ": " << result.body();
    std::string_view code;
    EXPECT_FALSE(error["code"].get(code)) << target << ": " << result.body();
    std::string_view message;
    EXPECT_FALSE(error["message"].get(message)) << target << ": " << result.body();
    int64_t status = 0;
    EXPECT_FALSE(error["status"].get(status)) << target << ": " << result.body();
    EXPECT_EQ(status, result.status) << target;
  }
}

TEST_F(RouteRequest, RouteLabelsAreBounded) {
  const std::set<std::string> known_routes = {
      "/v1/prices", "/v1/prices/{pair}", "/v1/prices/{pair}/sources",
      "/v1/venues", "/prices",           "/healthz",
      "/livez",     "/readyz",           "/metrics",
      "unmatched"};
  const std::vector<std::string> targets = {"/v1/prices",
                                            "/v1/prices/BTC-USD",
                                            "/v1/prices/xyz-abc",
                                            "/v1/prices/QWERTY-ZX/sources",
                                            "/v1/prices/%41%42",
                                            "/v1/venues",
                                            "/prices?symbol=BTC",
                                            "/prices?symbol=QWERTY",
                                            "/healthz",
                                            "/livez",
                                            "/readyz",
                                            "/metrics",
                                            "/QWERTY",
                                            "/v1/QWERTY-ZX"};

  for (const auto& target : targets) {
    auto result = get(target);

    EXPECT_TRUE(known_routes.contains(result.route)) << target << " gave " << result.route;
    EXPECT_FALSE(contains(result.route, "QWERTY")) << target;
    EXPECT_FALSE(contains(result.route, "BTC")) << target;
  }
}

// percent_decode

struct decode_case {
  std::string name;
  std::string input;
  std::optional<std::string> expected;
  friend void PrintTo(const decode_case& value, std::ostream* out) { *out << value.name; }
};

class PercentDecode : public ::testing::TestWithParam<decode_case> {};

TEST_P(PercentDecode, Decodes) {
  EXPECT_EQ(percent_decode(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PercentDecode,
    ::testing::Values(decode_case{"Plain", "BTC-USD", "BTC-USD"},
                      decode_case{"Upper", "%41%42", "AB"}, decode_case{"Lower", "%2d%2D", "--"},
                      decode_case{"AtEnd", "a%20", "a "}, decode_case{"Empty", "", ""},
                      decode_case{"PlusKept", "a+b", "a+b"}, decode_case{"Lone", "%", std::nullopt},
                      decode_case{"OneDigit", "%4", std::nullopt},
                      decode_case{"OneDigitAtEnd", "ab%4", std::nullopt},
                      decode_case{"NonHex", "%g1", std::nullopt}),
    [](const ::testing::TestParamInfo<decode_case>& case_info) { return case_info.param.name; });

}  // namespace
}  // namespace nimbus::http

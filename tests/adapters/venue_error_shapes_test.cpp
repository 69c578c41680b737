// Small inline bodies for cases the fixture files leave out: each venue's generic error shape,
// maintenance codes, and an invalid quote for the venues whose fixtures have none.
#include <string_view>

#include <gtest/gtest.h>

#include "tests/adapters/test_support.hpp"

namespace nimbus::testing {
namespace {

struct shape_case {
  std::string_view name;
  std::string_view venue;
  std::string_view pair;
  int status;
  std::string_view body;
  error_category category;
  std::string_view venue_code;
  bool transient;
};

using enum error_category;

const shape_case shape_cases[] = {
    // Generic venue errors: the venue's own shape with a code that no rule matches.
    {"binance_generic", "binance", "BTC-USDT", 400, R"({"code":-1100,"msg":"Illegal characters"})",
     venue_error, "-1100", false},
    {"coinbase_generic", "coinbase", "BTC-USD", 400, R"({"message":"Invalid product_id"})",
     venue_error, "", false},
    {"kraken_generic", "kraken", "BTC-USD", 200, R"({"error":["EGeneral:Invalid arguments"]})",
     venue_error, "EGeneral:Invalid arguments", false},
    {"kraken_busy", "kraken", "BTC-USD", 200, R"({"error":["EService:Busy"]})", venue_error,
     "EService:Busy", true},
    {"kraken_warning_ignored", "kraken", "BTC-USD", 200,
     R"({"error":["WGeneral:Danger"],"result":{}})", unknown_pair, "", false},
    {"bitstamp_status_error", "bitstamp", "BTC-USD", 400,
     R"({"status":"error","reason":"Invalid request","code":"API0005"})", venue_error, "API0005",
     false},
    {"okx_generic", "okx", "BTC-USDT", 200,
     R"({"code":"50014","msg":"Parameter missing","data":[]})", venue_error, "50014", false},
    {"okx_busy", "okx", "BTC-USDT", 200, R"({"code":"50013","msg":"Systems are busy","data":[]})",
     venue_error, "50013", true},
    {"bybit_generic", "bybit", "BTC-USDT", 200,
     R"({"retCode":10001,"retMsg":"params error","result":{},"time":1726147060461})", venue_error,
     "10001", false},
    {"gemini_generic", "gemini", "BTC-USD", 400,
     R"({"result":"error","reason":"InvalidJson","message":"bad"})", venue_error, "InvalidJson",
     false},
    {"bitfinex_generic", "bitfinex", "BTC-USD", 500, R"(["error",10001,"generic error"])",
     venue_error, "10001", true},
    {"bitfinex_rate_limit_status_200", "bitfinex", "BTC-USD", 200, R"({"error":"ERR_RATE_LIMIT"})",
     rate_limited, "ERR_RATE_LIMIT", true},
    {"kucoin_generic", "kucoin", "BTC-USDT", 200, R"({"code":"400100","msg":"bad"})", venue_error,
     "400100", false},
    {"gate_generic", "gate", "BTC-USDT", 400, R"({"label":"INVALID_PARAM_VALUE","message":"bad"})",
     venue_error, "INVALID_PARAM_VALUE", false},
    {"gate_server_error", "gate", "BTC-USDT", 500, R"({"label":"SERVER_ERROR","message":"oops"})",
     venue_error, "SERVER_ERROR", true},
    {"htx_generic", "htx", "BTC-USDT", 200,
     R"({"status":"error","err-code":"order-limit","err-msg":"limit"})", venue_error, "order-limit",
     false},
    {"cryptocom_generic", "cryptocom", "BTC-USD", 200,
     R"({"id":1,"code":10004,"message":"BAD_REQUEST"})", venue_error, "10004", false},
    {"cryptocom_system_error", "cryptocom", "BTC-USD", 200,
     R"({"id":1,"code":10001,"message":"SYS_ERROR"})", venue_error, "10001", true},
    {"bitget_generic", "bitget", "BTC-USDT", 400,
     R"({"code":"40001","msg":"bad","requestTime":1,"data":null})", venue_error, "40001", false},
    {"mexc_rate_limited", "mexc", "BTC-USDT", 429, "", rate_limited, "", true},
    {"coingecko_status_error", "coingecko", "BTC-USD", 401,
     R"({"status":{"error_code":10002,"error_message":"API Key Missing"}})", venue_error, "10002",
     false},
    // Invalid quotes for venues whose fixtures hold none.
    {"bybit_crossed", "bybit", "BTC-USDT", 200,
     R"({"retCode":0,"retMsg":"OK","result":{"list":[{"symbol":"BTCUSDT","bid1Price":"2","ask1Price":"1","lastPrice":"1","volume24h":"1"}]},"time":1673859087947})",
     invalid_quote, "", true},
    {"kucoin_null_bid", "kucoin", "BTC-USDT", 200,
     R"({"code":"200000","data":{"symbol":"BTC-USDT","buy":null,"sell":"1","last":"1","vol":"1","time":1709897710012}})",
     invalid_quote, "", true},
    {"htx_negative_ask", "htx", "BTC-USDT", 200,
     R"({"status":"ok","ts":1629098174462,"tick":{"close":1,"amount":1,"bid":[1,1],"ask":[-1,1]}})",
     invalid_quote, "", true},
    {"bitget_text_price", "bitget", "BTC-USDT", 200,
     R"({"code":"00000","data":[{"symbol":"BTCUSDT","bidPr":"abc","askPr":"1","lastPr":"1"}]})",
     invalid_quote, "", true},
    // Wrong types are schema errors that name the field.
    {"binance_object_price", "binance", "BTC-USDT", 200,
     R"({"symbol":"BTCUSDT","bidPrice":{},"askPrice":"1"})", schema_mismatch, "", false},
    {"kraken_scalar_side", "kraken", "BTC-USD", 200,
     R"({"error":[],"result":{"XXBTZUSD":{"a":"1","b":["1"],"c":["1"]}}})", schema_mismatch, "",
     false},
    {"kraken_two_pairs", "kraken", "BTC-USD", 200,
     R"({"error":[],"result":{"XXBTZUSD":{},"XETHZUSD":{}}})", schema_mismatch, "", false},
    {"gemini_volume_string", "gemini", "BTC-USD", 200,
     R"({"bid":"1","ask":"2","last":"1","volume":"3"})", schema_mismatch, "", false},
    {"htx_numeric_status", "htx", "BTC-USDT", 200, R"({"status":200,"tick":{}})", schema_mismatch,
     "", false},
};

class VenueErrorShape : public ::testing::TestWithParam<shape_case> {};

TEST_P(VenueErrorShape, GivesExpectedError) {
  const shape_case& expected = GetParam();

  quote_result result = parse_body(expected.venue, expected.body, expected.pair, expected.status);

  const auto* error = std::get_if<fetch_error>(&result);
  ASSERT_NE(error, nullptr) << describe(result);
  EXPECT_EQ(to_string(error->category), to_string(expected.category)) << error->detail;
  EXPECT_EQ(error->venue_code, expected.venue_code);
  EXPECT_EQ(error->transient, expected.transient);
  EXPECT_FALSE(error->detail.empty());
}

INSTANTIATE_TEST_SUITE_P(Venues, VenueErrorShape, ::testing::ValuesIn(shape_cases),
                         [](const ::testing::TestParamInfo<shape_case>& param_info) {
                           return std::string(param_info.param.name);
                         });

TEST(VenueErrorShape, SchemaErrorNamesTheField) {
  quote_result result =
      parse_body("binance", R"({"symbol":"BTCUSDT","bidPrice":{},"askPrice":"1"})", "BTC-USDT");

  const auto* error = std::get_if<fetch_error>(&result);
  ASSERT_NE(error, nullptr) << describe(result);
  EXPECT_EQ(error->detail, "bidPrice is an object, expected a string or number");
}

TEST(VenueErrorShape, EscapedKeysAndValuesAreRead) {
  // Keys and strings with escapes take simdjson's unescaping path instead of the in-place view.
  quote_result result = parse_body(
      "binance", R"({"bid\u0050rice":"1\u002e5","askPrice":"2","symbol":"BTC\u0055SDT"})",
      "BTC-USDT");

  const auto* parsed = std::get_if<quote>(&result);
  ASSERT_NE(parsed, nullptr) << describe(result);
  EXPECT_EQ(text_of(parsed->bid), "1.5");
}

TEST(VenueErrorShape, PastKrakenThrottleRetriesInOneSecond) {
  quote_result result =
      parse_body("kraken", R"({"error":["EService:Throttled:1700000000"]})", "BTC-USD");

  const auto* error = std::get_if<fetch_error>(&result);
  ASSERT_NE(error, nullptr) << describe(result);
  EXPECT_EQ(error->category, error_category::rate_limited);
  ASSERT_TRUE(error->retry_after.has_value());
  EXPECT_EQ(error->retry_after->count(), 1);
}

TEST(VenueErrorShape, RetryAfterHeaderWinsOverVenueDefault) {
  parse_context context;
  std::string body = R"({"error":["EAPI:Rate limit exceeded"]})";
  http_response response{200, body, std::chrono::seconds{42}};

  quote_result result =
      adapter_named("kraken").parse(response, "BTC-USD", fixed_received_at(), context);

  const auto* error = std::get_if<fetch_error>(&result);
  ASSERT_NE(error, nullptr) << describe(result);
  ASSERT_TRUE(error->retry_after.has_value());
  EXPECT_EQ(error->retry_after->count(), 42);
}

}  // namespace
}  // namespace nimbus::testing

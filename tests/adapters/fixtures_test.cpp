// Every venue fixture, recorded or synthetic, parsed by its venue's adapter.
//
// Success cases list the decimal text decimal::to_string() prints and the RFC 3339 text
// format_rfc3339() prints, so a failure shows the exact digits that differ. An empty expectation
// means the field is absent. Error cases list the HTTP status the body came with, the category,
// the venue's code, whether a retry can succeed, the retry delay and a fragment the detail must
// contain, so that the detail is checked to name the offending value.
#include <filesystem>
#include <optional>
#include <set>
#include <string_view>

#include <gtest/gtest.h>

#include "tests/adapters/test_support.hpp"

namespace nimbus::testing {
namespace {

struct quote_case {
  std::string_view venue;
  std::string_view fixture;
  std::string_view pair;
  std::string_view bid;
  std::string_view ask;
  std::string_view last;
  std::string_view base_volume;
  std::string_view venue_time;
};

const quote_case quote_cases[] = {
    // Binance 24-hour ticker: 8-decimal strings lose their trailing zeros.
    {"binance", "ticker_24hr_btcusdt.json", "BTC-USDT", "73267.15", "73345.89", "73346.14",
     "129.21293", "2024-03-13T11:10:44.727Z"},
    // Binance book ticker: no last price, no volume, no time.
    {"binance", "book_ticker_btcusdt.json", "BTC-USDT", "12798.99", "12799", "", "", ""},
    // Coinbase: 9 fractional digits in time, last is "price".
    {"coinbase", "ticker_btc_usd.json", "BTC-USD", "63212.97", "63212.98", "63212.97",
     "4916.94797396", "2026-06-19T16:43:33.016274911Z"},
    // Coinbase: 6 fractional digits in time.
    {"coinbase", "ticker_btc_usdt.json", "BTC-USDT", "73360.34", "73369.19", "73367.8",
     "1207.50668151", "2024-03-13T11:10:41.270099Z"},
    // Kraken: result key XBTUSDT, 24-hour volume is v[1], no time.
    {"kraken", "ticker_xbtusdt.json", "BTC-USDT", "73380.6", "73380.7", "73380.6", "598.03698452",
     ""},
    // Kraken legacy result key XXBTZUSD.
    {"kraken", "synthetic_ticker_xxbtzusd.json", "BTC-USD", "64231.1", "64231.2", "64231.1",
     "3402.25", ""},
    // Bitstamp: integer-looking strings and a seconds timestamp as a string.
    {"bitstamp", "ticker_btcusdt.json", "BTC-USDT", "73353", "73367", "73285", "135.29692054",
     "2024-03-13T11:10:41Z"},
    // OKX: every number is a string, ts in milliseconds; last equals ask.
    {"okx", "ticker_btc_usdt.json", "BTC-USDT", "16839", "16839.1", "16839.1", "5150.98223027",
     "2023-01-04T20:19:20.203Z"},
    // Bybit: last above ask is allowed; the envelope time is the venue time.
    {"bybit", "tickers_spot_btcusdt.json", "BTC-USDT", "20517.96", "20527.77", "20533.13",
     "11801.27771", "2023-01-16T08:51:27.947Z"},
    // Gemini: base volume under volume.BTC, time under volume.timestamp.
    {"gemini", "pubticker_btcusdt.json", "BTC-USDT", "73367.96", "73385.27", "73268.24",
     "3.5434218", "2024-03-13T11:10:45Z"},
    // Bitfinex: bare array of JSON numbers, USDT written UST.
    {"bitfinex", "ticker_tbtcust.json", "BTC-USDT", "73350", "73351", "73350", "2638.4314844", ""},
    // KuCoin 24-hour stats: buy/sell/last/vol.
    {"kucoin", "stats_btc_usdt.json", "BTC-USDT", "67399.9", "67400", "67400", "6442.17728633",
     "2024-03-08T11:35:10.012Z"},
    // KuCoin level-1 book: bestBid/bestAsk/price and no volume.
    {"kucoin", "orderbook_level1_btc_usdt.json", "BTC-USDT", "16542.7", "16542.8", "16542.7", "",
     "2023-01-01T15:03:48.412Z"},
    // Gate: top-level array, no time.
    {"gate", "tickers_btc_usdt.json", "BTC-USDT", "16618.1", "16618.2", "16618.2",
     "3331.1019407569", ""},
    // Gate: the matching ticker is picked out of several.
    {"gate", "synthetic_two_tickers.json", "BTC-USDT", "16618.1", "16618.2", "16618.2",
     "3331.1019407569", ""},
    // HTX: JSON numbers, 17 significant digits in amount, base volume is tick.amount.
    {"htx", "detail_merged_btcusdt.json", "BTC-USDT", "47323.58", "47323.59", "47323.59",
     "17729.513874233984", "2021-08-16T07:16:14.462Z"},
    // Crypto.com: a is the LAST price, b the bid, k the ask.
    {"cryptocom", "tickers_btc_usd.json", "BTC-USD", "63778.69", "63778.7", "63778.9", "3025.0123",
     "2026-06-20T18:52:07.085Z"},
    // Bitget: field names from the v2 spot ticker.
    {"bitget", "synthetic_ticker_btcusdt.json", "BTC-USDT", "73369.83", "73369.84", "73397.77",
     "7729.258925", "2024-03-13T11:10:51.172Z"},
    // MEXC: Binance shape, closeTime as a string.
    {"mexc", "ticker_24hr_btcusdt.json", "BTC-USDT", "73369.83", "73369.84", "73397.77",
     "7729.258925", "2024-03-13T11:10:51.172Z"},
    // CoinGecko: last price only; an integer JSON number; no time when not requested.
    {"coingecko", "simple_price_btc_eth.json", "BTC-USD", "", "", "111580", "", ""},
    {"coingecko", "simple_price_btc_eth.json", "ETH-USD", "", "", "3955.02", "", ""},
    // CoinGecko: usd_24h_vol is quote volume and is not reported as base volume.
    {"coingecko", "synthetic_simple_price_with_volume.json", "BTC-USD", "", "", "64231.12", "",
     "2024-03-13T11:11:05Z"},
};

class FixtureQuote : public ::testing::TestWithParam<quote_case> {};

TEST_P(FixtureQuote, MatchesExpectedText) {
  const quote_case& expected = GetParam();
  std::string body = read_fixture(expected.venue, expected.fixture);

  quote_result result = parse_body(expected.venue, body, expected.pair);

  const auto* parsed = std::get_if<quote>(&result);
  ASSERT_NE(parsed, nullptr) << describe(result);
  EXPECT_EQ(parsed->venue, expected.venue);
  EXPECT_EQ(parsed->pair, expected.pair);
  EXPECT_EQ(text_of(parsed->bid), expected.bid);
  EXPECT_EQ(text_of(parsed->ask), expected.ask);
  EXPECT_EQ(text_of(parsed->last), expected.last);
  EXPECT_EQ(text_of(parsed->base_volume_24h), expected.base_volume);
  EXPECT_EQ(text_of(parsed->venue_time), expected.venue_time);
  EXPECT_EQ(parsed->received_at, fixed_received_at());
}

INSTANTIATE_TEST_SUITE_P(Venues, FixtureQuote, ::testing::ValuesIn(quote_cases),
                         [](const ::testing::TestParamInfo<quote_case>& param_info) {
                           return test_name(std::string(param_info.param.venue) + "_" +
                                            std::string(param_info.param.fixture) + "_" +
                                            std::string(param_info.param.pair));
                         });

TEST(ParseContextReuse, SameBodyGivesEqualQuotes) {
  parse_context context;
  std::string body = read_fixture("binance", "ticker_24hr_btcusdt.json");
  http_response response{200, body, std::nullopt};
  const venue_adapter& binance = adapter_named("binance");

  quote_result first = binance.parse(response, "BTC-USDT", fixed_received_at(), context);
  quote_result second = binance.parse(response, "BTC-USDT", fixed_received_at(), context);

  ASSERT_TRUE(std::holds_alternative<quote>(first)) << describe(first);
  ASSERT_TRUE(std::holds_alternative<quote>(second)) << describe(second);
  EXPECT_EQ(std::get<quote>(first).bid, std::get<quote>(second).bid);
  EXPECT_EQ(std::get<quote>(first).venue_time, std::get<quote>(second).venue_time);
}

TEST(ParseContextReuse, QuoteOutlivesNextParse) {
  parse_context context;
  std::string btc_body = read_fixture("coingecko", "simple_price_btc_eth.json");
  std::string other_body = read_fixture("binance", "ticker_24hr_btcusdt.json");
  http_response btc{200, btc_body, std::nullopt};
  http_response other{200, other_body, std::nullopt};

  quote_result first_quote =
      adapter_named("coingecko").parse(btc, "ETH-USD", fixed_received_at(), context);
  adapter_named("binance").parse(other, "BTC-USDT", fixed_received_at(), context);

  ASSERT_TRUE(std::holds_alternative<quote>(first_quote)) << describe(first_quote);
  EXPECT_EQ(std::get<quote>(first_quote).pair, "ETH-USD");
  EXPECT_EQ(text_of(std::get<quote>(first_quote).last), "3955.02");
}

using enum error_category;

struct error_case {
  std::string_view venue;
  std::string_view fixture;
  std::string_view pair;
  int status;
  std::optional<int> retry_after_header;
  error_category category;
  std::string_view venue_code;
  bool transient;
  std::optional<int> retry_after;
  std::string_view detail_fragment;
};

const error_case error_cases[] = {
    // Binance
    {"binance",
     "error_invalid_symbol.json",
     "BTC-USDX",
     400,
     {},
     unknown_pair,
     "-1121",
     false,
     {},
     "Invalid symbol."},
    {"binance", "synthetic_rate_limited.json", "BTC-USDT", 429, 30, rate_limited, "-1003", true, 30,
     "request weight"},
    {"binance",
     "synthetic_server_busy.json",
     "BTC-USDT",
     503,
     {},
     venue_error,
     "-1008",
     true,
     {},
     "overloaded"},
    {"binance",
     "synthetic_crossed_book.json",
     "BTC-USDT",
     200,
     {},
     invalid_quote,
     "",
     true,
     {},
     "ask 100.1 is below bid 100.2"},
    {"binance",
     "synthetic_missing_bid.json",
     "BTC-USDT",
     200,
     {},
     schema_mismatch,
     "",
     false,
     {},
     "missing field bidPrice"},
    {"binance",
     "synthetic_nan_price.json",
     "BTC-USDT",
     200,
     {},
     invalid_quote,
     "",
     true,
     {},
     "bidPrice \"NaN\" is not a decimal number"},
    {"binance",
     "synthetic_other_symbol.json",
     "BTC-USDT",
     200,
     {},
     unknown_pair,
     "",
     false,
     {},
     "ETHUSDT"},
    // Coinbase
    {"coinbase",
     "error_not_found.json",
     "BTC-USD",
     404,
     {},
     unknown_pair,
     "NotFound",
     false,
     {},
     "NotFound"},
    {"coinbase",
     "synthetic_rate_limited.json",
     "BTC-USD",
     429,
     {},
     rate_limited,
     "",
     true,
     {},
     "Public rate limit exceeded"},
    {"coinbase",
     "synthetic_maintenance.json",
     "BTC-USD",
     503,
     {},
     venue_error,
     "",
     true,
     {},
     "maintenance"},
    {"coinbase",
     "synthetic_crossed_book.json",
     "BTC-USD",
     200,
     {},
     invalid_quote,
     "",
     true,
     {},
     "ask 63212.96 is below bid 63212.97"},
    {"coinbase",
     "synthetic_bad_time.json",
     "BTC-USD",
     200,
     {},
     schema_mismatch,
     "",
     false,
     {},
     "time \"yesterday\""},
    // Kraken
    {"kraken",
     "error_unknown_asset_pair.json",
     "BTC-USDX",
     200,
     {},
     unknown_pair,
     "EQuery:Unknown asset pair",
     false,
     {},
     "EQuery:Unknown asset pair"},
    {"kraken",
     "synthetic_rate_limited.json",
     "BTC-USD",
     200,
     {},
     rate_limited,
     "EAPI:Rate limit exceeded",
     true,
     3,
     "Rate limit exceeded"},
    // The fixed receive time is 40 s before the throttle ends.
    {"kraken",
     "synthetic_throttled.json",
     "BTC-USD",
     200,
     {},
     rate_limited,
     "EService: Throttled: 1710328300",
     true,
     40,
     "Throttled"},
    {"kraken",
     "synthetic_unavailable.json",
     "BTC-USD",
     200,
     {},
     venue_error,
     "EService:Unavailable",
     true,
     {},
     "Unavailable"},
    {"kraken",
     "synthetic_empty_result.json",
     "BTC-USD",
     200,
     {},
     unknown_pair,
     "",
     false,
     {},
     "result is empty"},
    {"kraken",
     "synthetic_crossed_book.json",
     "BTC-USDT",
     200,
     {},
     invalid_quote,
     "",
     true,
     {},
     "ask 73380.5 is below bid 73380.6"},
    // Bitstamp
    {"bitstamp",
     "error_not_found.json",
     "BTC-USDX",
     404,
     {},
     unknown_pair,
     "",
     false,
     {},
     "Not found."},
    {"bitstamp",
     "synthetic_crossed_book.json",
     "BTC-USDT",
     200,
     {},
     invalid_quote,
     "",
     true,
     {},
     "ask 73353 is below bid 73367"},
    {"bitstamp",
     "synthetic_empty_bid.json",
     "BTC-USDT",
     200,
     {},
     invalid_quote,
     "",
     true,
     {},
     "bid is an empty string"},
    // OKX
    {"okx",
     "error_parameter.json",
     "BTC-USDT",
     400,
     {},
     venue_error,
     "51000",
     false,
     {},
     "Parameter param error"},
    {"okx",
     "synthetic_rate_limited.json",
     "BTC-USDT",
     429,
     {},
     rate_limited,
     "50011",
     true,
     2,
     "Requests too frequent."},
    {"okx",
     "synthetic_rate_limited_string_code.json",
     "BTC-USDT",
     200,
     {},
     rate_limited,
     "50011",
     true,
     2,
     "Rate limit reached"},
    {"okx",
     "synthetic_unknown_instrument.json",
     "BTC-USDX",
     200,
     {},
     unknown_pair,
     "51001",
     false,
     {},
     "Instrument ID does not exist"},
    {"okx",
     "synthetic_empty_data.json",
     "BTC-USDT",
     200,
     {},
     unknown_pair,
     "",
     false,
     {},
     "data is empty"},
    {"okx",
     "synthetic_zero_bid.json",
     "BTC-USDT",
     200,
     {},
     invalid_quote,
     "",
     true,
     {},
     "bid 0 is not positive"},
    // Bybit
    {"bybit",
     "error_not_supported_symbols.json",
     "BTC-USDX",
     200,
     {},
     unknown_pair,
     "10001",
     false,
     {},
     "Not supported symbols"},
    {"bybit",
     "synthetic_rate_limited.json",
     "BTC-USDT",
     200,
     {},
     rate_limited,
     "10006",
     true,
     {},
     "Too many visits!"},
    {"bybit",
     "synthetic_timeout.json",
     "BTC-USDT",
     200,
     {},
     venue_error,
     "10016",
     true,
     {},
     "Server error."},
    {"bybit",
     "synthetic_ip_rate_limit.txt",
     "BTC-USDT",
     403,
     {},
     rate_limited,
     "",
     true,
     600,
     "access too frequent"},
    {"bybit",
     "synthetic_other_symbol.json",
     "BTC-USDT",
     200,
     {},
     unknown_pair,
     "",
     false,
     {},
     "ETHUSDT"},
    // Gemini
    {"gemini",
     "error_invalid_symbol.json",
     "GUSD-USD",
     400,
     {},
     unknown_pair,
     "InvalidSymbol",
     false,
     {},
     "GUSDUSD"},
    {"gemini",
     "synthetic_rate_limited.json",
     "BTC-USD",
     429,
     {},
     rate_limited,
     "RateLimit",
     true,
     {},
     "too frequently"},
    {"gemini",
     "synthetic_maintenance.json",
     "BTC-USD",
     503,
     {},
     venue_error,
     "Maintenance",
     true,
     {},
     "maintenance"},
    {"gemini",
     "synthetic_null_ask.json",
     "BTC-USDT",
     200,
     {},
     invalid_quote,
     "",
     true,
     {},
     "ask is null"},
    // Bitfinex
    {"bitfinex",
     "error_symbol_invalid.json",
     "BTC-CAD",
     500,
     {},
     unknown_pair,
     "10020",
     false,
     {},
     "symbol: invalid"},
    {"bitfinex",
     "synthetic_rate_limited.json",
     "BTC-USD",
     429,
     {},
     rate_limited,
     "ERR_RATE_LIMIT",
     true,
     60,
     "ERR_RATE_LIMIT"},
    {"bitfinex",
     "synthetic_empty_array.json",
     "BTC-USD",
     200,
     {},
     unknown_pair,
     "",
     false,
     {},
     "empty"},
    {"bitfinex",
     "synthetic_short_array.json",
     "BTC-USD",
     200,
     {},
     schema_mismatch,
     "",
     false,
     {},
     "ticker array has 3 elements, expected 10"},
    {"bitfinex",
     "synthetic_crossed_book.json",
     "BTC-USDT",
     200,
     {},
     invalid_quote,
     "",
     true,
     {},
     "ask 73351 is below bid 73352"},
    // KuCoin
    {"kucoin",
     "error_too_many_requests.json",
     "BTC-USDT",
     429,
     {},
     rate_limited,
     "429000",
     true,
     {},
     "Too Many Requests"},
    {"kucoin",
     "synthetic_account_rate_limited.json",
     "BTC-USDT",
     429,
     {},
     rate_limited,
     "200002",
     true,
     10,
     "retry later"},
    {"kucoin",
     "synthetic_null_data.json",
     "BTC-USDX",
     200,
     {},
     unknown_pair,
     "",
     false,
     {},
     "data is null"},
    {"kucoin",
     "synthetic_other_error.json",
     "BTC-USDT",
     400,
     {},
     venue_error,
     "400100",
     false,
     {},
     "Parameter error"},
    {"kucoin",
     "synthetic_other_symbol.json",
     "BTC-USDT",
     200,
     {},
     unknown_pair,
     "",
     false,
     {},
     "ETH-USDT"},
    // Gate
    {"gate",
     "error_invalid_currency_pair.json",
     "BTC-USDTT",
     400,
     {},
     unknown_pair,
     "INVALID_CURRENCY_PAIR",
     false,
     {},
     "Invalid currency pair BTC_USDTT"},
    {"gate",
     "synthetic_rate_limited.json",
     "BTC-USDT",
     429,
     {},
     rate_limited,
     "TOO_MANY_REQUESTS",
     true,
     {},
     "Rate limit"},
    {"gate",
     "synthetic_empty_list.json",
     "BTC-USDT",
     200,
     {},
     unknown_pair,
     "",
     false,
     {},
     "body is empty"},
    {"gate",
     "synthetic_one_sided.json",
     "BTC-USDT",
     200,
     {},
     invalid_quote,
     "",
     true,
     {},
     "highest_bid is an empty string"},
    // HTX
    {"htx",
     "error_invalid_symbol.json",
     "BTC-USDX",
     200,
     {},
     unknown_pair,
     "invalid-parameter",
     false,
     {},
     "invalid symbol"},
    {"htx",
     "synthetic_not_found_page.json",
     "BTC-USDT",
     404,
     {},
     http_status,
     "",
     false,
     {},
     "HTTP status 404"},
    {"htx",
     "synthetic_timeout.json",
     "BTC-USDT",
     200,
     {},
     venue_error,
     "timeout",
     true,
     {},
     "Request Timeout"},
    {"htx",
     "synthetic_other_channel.json",
     "BTC-USDT",
     200,
     {},
     unknown_pair,
     "",
     false,
     {},
     "market.ethusdt.detail.merged"},
    // Crypto.com
    {"cryptocom",
     "synthetic_rate_limited.json",
     "BTC-USD",
     429,
     {},
     rate_limited,
     "10006",
     true,
     {},
     "TOO_MANY_REQUESTS"},
    {"cryptocom",
     "synthetic_unknown_instrument.json",
     "BTC-USDX",
     200,
     {},
     unknown_pair,
     "30003",
     false,
     {},
     "SYMBOL_NOT_FOUND"},
    {"cryptocom",
     "synthetic_empty_data.json",
     "BTC-USD",
     200,
     {},
     unknown_pair,
     "",
     false,
     {},
     "result.data is empty"},
    {"cryptocom",
     "synthetic_crossed_book.json",
     "BTC-USD",
     200,
     {},
     invalid_quote,
     "",
     true,
     {},
     "ask 63778.7 is below bid 63778.71"},
    // Bitget
    {"bitget",
     "error_parameter_does_not_exist.json",
     "NOPE-USDT",
     400,
     {},
     unknown_pair,
     "40034",
     false,
     {},
     "Parameter NOPEUSDT does not exist"},
    {"bitget",
     "synthetic_unknown_symbol.json",
     "NOPE-USDT",
     400,
     {},
     unknown_pair,
     "42016",
     false,
     {},
     "NOPEUSDT"},
    {"bitget",
     "synthetic_rate_limited.json",
     "BTC-USDT",
     429,
     {},
     rate_limited,
     "429",
     true,
     {},
     "Too Many Requests"},
    {"bitget",
     "synthetic_empty_data.json",
     "BTC-USDT",
     200,
     {},
     unknown_pair,
     "",
     false,
     {},
     "data is empty"},
    // MEXC
    {"mexc",
     "synthetic_invalid_symbol.json",
     "BTC-USDX",
     400,
     {},
     unknown_pair,
     "-1121",
     false,
     {},
     "Invalid symbol."},
    {"mexc",
     "synthetic_crossed_book.json",
     "BTC-USDT",
     200,
     {},
     invalid_quote,
     "",
     true,
     {},
     "ask 73369.84 is below bid 73369.85"},
    // CoinGecko
    {"coingecko", "error_rate_limit.json", "BTC-USD", 429, 119, rate_limited, "429", true, 119,
     "exceeded the Rate Limit"},
    {"coingecko",
     "synthetic_unknown_id.json",
     "BTC-USD",
     200,
     {},
     unknown_pair,
     "",
     false,
     {},
     "no entry for bitcoin"},
    {"coingecko",
     "synthetic_error_message.json",
     "BTC-USD",
     400,
     {},
     venue_error,
     "",
     false,
     {},
     "invalid vs_currency"},
    {"coingecko",
     "synthetic_zero_price.json",
     "BTC-USD",
     200,
     {},
     invalid_quote,
     "",
     true,
     {},
     "last 0 is not positive"},
};

class FixtureError : public ::testing::TestWithParam<error_case> {};

TEST_P(FixtureError, MatchesExpectedCategory) {
  const error_case& expected = GetParam();
  std::string body = read_fixture(expected.venue, expected.fixture);
  std::optional<std::chrono::seconds> header;
  if (expected.retry_after_header) {
    header = std::chrono::seconds{*expected.retry_after_header};
  }

  quote_result result = parse_body(expected.venue, body, expected.pair, expected.status, header);

  const auto* error = std::get_if<fetch_error>(&result);
  ASSERT_NE(error, nullptr) << describe(result);
  EXPECT_EQ(to_string(error->category), to_string(expected.category)) << error->detail;
  EXPECT_EQ(error->venue_code, expected.venue_code);
  EXPECT_EQ(error->transient, expected.transient);
  EXPECT_EQ(error->http_status, expected.status);
  ASSERT_EQ(error->retry_after.has_value(), expected.retry_after.has_value());
  if (expected.retry_after) {
    EXPECT_EQ(error->retry_after->count(), *expected.retry_after);
  }
  EXPECT_NE(error->detail.find(expected.detail_fragment), std::string::npos)
      << "detail was: " << error->detail;
}

INSTANTIATE_TEST_SUITE_P(Venues, FixtureError, ::testing::ValuesIn(error_cases),
                         [](const ::testing::TestParamInfo<error_case>& param_info) {
                           return test_name(std::string(param_info.param.venue) + "_" +
                                            std::string(param_info.param.fixture));
                         });

TEST(FixtureCoverage, EveryVenueFixtureHasACase) {
  std::set<std::string> covered;
  for (const quote_case& entry : quote_cases) {
    covered.insert(std::string(entry.venue) + "/" + std::string(entry.fixture));
  }
  for (const error_case& entry : error_cases) {
    covered.insert(std::string(entry.venue) + "/" + std::string(entry.fixture));
  }

  for (const venue_adapter* adapter : all_adapters()) {
    std::filesystem::path folder = std::filesystem::path(NIMBUS_FIXTURES_DIR) / adapter->name();
    ASSERT_TRUE(std::filesystem::is_directory(folder)) << folder;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
      std::string key = std::string(adapter->name()) + "/" + entry.path().filename().string();
      EXPECT_TRUE(covered.contains(key)) << "fixture without a test case: " << key;
    }
  }
}

}  // namespace
}  // namespace nimbus::testing

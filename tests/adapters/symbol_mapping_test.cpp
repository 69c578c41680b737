// Canonical pairs to venue symbols and back, request targets, and the pairs a venue rejects.
#include <string_view>

#include <gtest/gtest.h>

#include "tests/adapters/test_support.hpp"

namespace nimbus::testing {
namespace {

struct symbol_case {
  std::string_view venue;
  std::string_view pair;
  std::string_view symbol;
  std::string_view target;
};

const symbol_case symbol_cases[] = {
    {"binance", "BTC-USDT", "BTCUSDT", "/api/v3/ticker/24hr?symbol=BTCUSDT"},
    {"binance", "ETH-BTC", "ETHBTC", "/api/v3/ticker/24hr?symbol=ETHBTC"},
    {"coinbase", "BTC-USD", "BTC-USD", "/products/BTC-USD/ticker"},
    {"kraken", "BTC-USD", "XBTUSD", "/0/public/Ticker?pair=XBTUSD"},
    {"kraken", "ETH-USD", "ETHUSD", "/0/public/Ticker?pair=ETHUSD"},
    {"kraken", "BTC-USDT", "XBTUSDT", "/0/public/Ticker?pair=XBTUSDT"},
    {"kraken", "DOGE-USD", "XDGUSD", "/0/public/Ticker?pair=XDGUSD"},
    {"bitstamp", "BTC-USD", "btcusd", "/api/v2/ticker/btcusd/"},
    {"okx", "BTC-USDT", "BTC-USDT", "/api/v5/market/ticker?instId=BTC-USDT"},
    {"bybit", "BTC-USDT", "BTCUSDT", "/v5/market/tickers?category=spot&symbol=BTCUSDT"},
    {"gemini", "BTC-USD", "btcusd", "/v1/pubticker/btcusd"},
    {"bitfinex", "BTC-USD", "tBTCUSD", "/v2/ticker/tBTCUSD"},
    {"bitfinex", "BTC-USDT", "tBTCUST", "/v2/ticker/tBTCUST"},
    {"bitfinex", "DOGE-USD", "tDOGE:USD", "/v2/ticker/tDOGE:USD"},
    {"kucoin", "BTC-USDT", "BTC-USDT", "/api/v1/market/stats?symbol=BTC-USDT"},
    {"gate", "BTC-USDT", "BTC_USDT", "/api/v4/spot/tickers?currency_pair=BTC_USDT"},
    {"htx", "BTC-USDT", "btcusdt", "/market/detail/merged?symbol=btcusdt"},
    {"cryptocom", "BTC-USD", "BTC_USD", "/exchange/v1/public/get-tickers?instrument_name=BTC_USD"},
    {"bitget", "BTC-USDT", "BTCUSDT", "/api/v2/spot/market/tickers?symbol=BTCUSDT"},
    {"mexc", "BTC-USDT", "BTCUSDT", "/api/v3/ticker/24hr?symbol=BTCUSDT"},
    {"coingecko", "BTC-USD", "bitcoin/usd",
     "/api/v3/simple/price?ids=bitcoin&vs_currencies=usd&include_24hr_vol=true&"
     "include_last_updated_at=true"},
    {"coingecko", "ETH-EUR", "ethereum/eur",
     "/api/v3/simple/price?ids=ethereum&vs_currencies=eur&include_24hr_vol=true&"
     "include_last_updated_at=true"},
};

class SymbolMapping : public ::testing::TestWithParam<symbol_case> {};

TEST_P(SymbolMapping, PairGivesVenueSymbol) {
  const symbol_case& expected = GetParam();

  auto symbol = adapter_named(expected.venue).venue_symbol(expected.pair);

  ASSERT_TRUE(symbol.has_value()) << expected.pair;
  EXPECT_EQ(*symbol, expected.symbol);
}

TEST_P(SymbolMapping, VenueSymbolGivesPair) {
  const symbol_case& expected = GetParam();

  auto pair = adapter_named(expected.venue).canonical_pair(expected.symbol);

  ASSERT_TRUE(pair.has_value()) << expected.symbol;
  EXPECT_EQ(*pair, expected.pair);
}

TEST_P(SymbolMapping, PairGivesRequestTarget) {
  const symbol_case& expected = GetParam();

  EXPECT_EQ(adapter_named(expected.venue).request_target(expected.pair), expected.target);
}

TEST_P(SymbolMapping, LowerCasePairGivesSameSymbol) {
  const symbol_case& expected = GetParam();
  std::string lower(expected.pair);
  for (char& c : lower) {
    c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }

  auto symbol = adapter_named(expected.venue).venue_symbol(lower);

  ASSERT_TRUE(symbol.has_value()) << lower;
  EXPECT_EQ(*symbol, expected.symbol);
}

INSTANTIATE_TEST_SUITE_P(Venues, SymbolMapping, ::testing::ValuesIn(symbol_cases),
                         [](const ::testing::TestParamInfo<symbol_case>& param_info) {
                           return test_name(std::string(param_info.param.venue) + "_" +
                                            std::string(param_info.param.pair));
                         });

struct reverse_case {
  std::string_view venue;
  std::string_view symbol;
  std::string_view pair;  // empty when the symbol must be rejected
};

const reverse_case reverse_cases[] = {
    // Kraken result keys: legacy X/Z-prefixed names and newer plain names.
    {"kraken", "XXBTZUSD", "BTC-USD"},
    {"kraken", "XETHZUSD", "ETH-USD"},
    {"kraken", "XETHXXBT", "ETH-BTC"},
    {"kraken", "XXBTZEUR", "BTC-EUR"},
    {"kraken", "XBTUSDT", "BTC-USDT"},
    {"kraken", "SOLUSD", "SOL-USD"},
    {"kraken", "XDGUSD", "DOGE-USD"},
    {"kraken", "USD", ""},
    // Concatenated symbols split at the longest known quote asset.
    {"binance", "BTCFDUSD", "BTC-FDUSD"},
    {"binance", "ETHBTC", "ETH-BTC"},
    {"binance", "BTCXYZ", ""},
    {"htx", "btcusdt", "BTC-USDT"},
    {"gemini", "ethusd", "ETH-USD"},
    {"bitfinex", "tETHUST", "ETH-USDT"},
    {"bitfinex", "tTESTBTC:TESTUSD", "TESTBTC-TESTUSD"},
    {"bitfinex", "fUSD", ""},
    {"bitfinex", "BTCUSD", ""},
    {"gate", "ETH_USDT", "ETH-USDT"},
    {"gate", "ETHUSDT", ""},
    {"okx", "BTC-USDT-SWAP", ""},
    {"coingecko", "bitcoin/eur", "BTC-EUR"},
    {"coingecko", "tether/usd", ""},
    {"coingecko", "bitcoin/jpy", ""},
};

class ReverseMapping : public ::testing::TestWithParam<reverse_case> {};

TEST_P(ReverseMapping, VenueSymbolGivesPairOrNothing) {
  const reverse_case& expected = GetParam();

  auto pair = adapter_named(expected.venue).canonical_pair(expected.symbol);

  EXPECT_EQ(pair.value_or(""), expected.pair) << expected.symbol;
}

INSTANTIATE_TEST_SUITE_P(Venues, ReverseMapping, ::testing::ValuesIn(reverse_cases),
                         [](const ::testing::TestParamInfo<reverse_case>& param_info) {
                           return test_name(std::string(param_info.param.venue) + "_" +
                                            std::string(param_info.param.symbol));
                         });

TEST(SymbolMapping, EveryVenueRejectsMalformedPairs) {
  for (const venue_adapter* adapter : all_adapters()) {
    for (std::string_view pair : {"", "BTCUSD", "B-USD", "BTC-", "-USD", "BTC-US D", "BTC_USD",
                                  "BTC-USD-SWAP", "BITCOINCASH1-USD"}) {
      EXPECT_FALSE(adapter->venue_symbol(pair).has_value())
          << adapter->name() << " accepted " << pair;
    }
  }
}

TEST(SymbolMapping, CoingeckoRejectsCoinsWithoutKnownId) {
  const venue_adapter& coingecko = adapter_named("coingecko");

  EXPECT_FALSE(coingecko.venue_symbol("PEPE-USD").has_value());
  EXPECT_FALSE(coingecko.venue_symbol("BTC-USDT").has_value());
  EXPECT_FALSE(coingecko.venue_symbol("BTC-JPY").has_value());
}

TEST(SymbolMapping, EveryVenueMapsBitcoinAgainstUsd) {
  for (const venue_adapter* adapter : all_adapters()) {
    auto symbol = adapter->venue_symbol("BTC-USD");

    ASSERT_TRUE(symbol.has_value()) << adapter->name();
    EXPECT_EQ(adapter->canonical_pair(*symbol).value_or(""), "BTC-USD") << adapter->name();
  }
}

}  // namespace
}  // namespace nimbus::testing

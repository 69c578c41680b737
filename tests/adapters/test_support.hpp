#pragma once

#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <variant>

#include <gtest/gtest.h>

#include "adapters/registry.hpp"
#include "adapters/venue_adapter.hpp"
#include "pipeline/fetch_error.hpp"
#include "pipeline/quote.hpp"
#include "pipeline/timestamps.hpp"

namespace nimbus::testing {

// The receive time every test passes to parse(), 2024-03-13T11:11:00Z, so results never depend on
// the clock.
inline timestamp fixed_received_at() {
  return timestamp{std::chrono::seconds{1'710'328'260}};
}

inline std::string fixture_path(std::string_view venue, std::string_view file) {
  return std::string(NIMBUS_FIXTURES_DIR) + "/" + std::string(venue) + "/" + std::string(file);
}

// Reads a fixture byte for byte; fails the calling test when the file is missing.
inline std::string read_fixture(std::string_view venue, std::string_view file) {
  std::ifstream stream(fixture_path(venue, file), std::ios::binary);
  EXPECT_TRUE(stream.good()) << "cannot open fixture " << fixture_path(venue, file);
  std::ostringstream contents;
  contents << stream.rdbuf();
  return contents.str();
}

inline const venue_adapter& adapter_named(std::string_view venue) {
  const venue_adapter* adapter = find_adapter(venue);
  if (adapter == nullptr) {
    ADD_FAILURE() << "no adapter registered as " << venue;
    return *all_adapters().front();
  }
  return *adapter;
}

inline quote_result parse_body(std::string_view venue, std::string_view body, std::string_view pair,
                               int status = 200,
                               std::optional<std::chrono::seconds> retry_after = std::nullopt) {
  parse_context context;
  http_response response{status, body, retry_after};
  return adapter_named(venue).parse(response, pair, fixed_received_at(), context);
}

// Describes a result for failure messages: the quote's prices or the error's category and detail.
inline std::string describe(const quote_result& result) {
  if (const auto* error = std::get_if<fetch_error>(&result)) {
    return "error " + std::string(to_string(error->category)) + ": " + error->detail;
  }
  const auto& parsed = std::get<quote>(result);
  auto text = [](const std::optional<decimal>& value) {
    return value ? value->to_string() : std::string("-");
  };
  return "quote bid " + text(parsed.bid) + " ask " + text(parsed.ask) + " last " +
         text(parsed.last);
}

// A decimal as text, or "" when it is absent, for comparisons with expected text.
inline std::string text_of(const std::optional<decimal>& value) {
  return value ? value->to_string() : std::string();
}

inline std::string text_of(const std::optional<timestamp>& value) {
  return value ? format_rfc3339(*value) : std::string();
}

// A gtest parameter name from free text: letters and digits kept, everything else '_'.
inline std::string test_name(std::string_view text) {
  std::string name;
  for (char c : text) {
    bool alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    name += alphanumeric ? c : '_';
  }
  return name;
}

// One recorded success body per venue, used by the tests that mutate a valid body.
struct venue_sample {
  std::string_view venue;
  std::string_view fixture;
  std::string_view pair;
};

inline constexpr venue_sample venue_samples[] = {
    {"binance", "ticker_24hr_btcusdt.json", "BTC-USDT"},
    {"coinbase", "ticker_btc_usd.json", "BTC-USD"},
    {"kraken", "ticker_xbtusdt.json", "BTC-USDT"},
    {"bitstamp", "ticker_btcusdt.json", "BTC-USDT"},
    {"okx", "ticker_btc_usdt.json", "BTC-USDT"},
    {"bybit", "tickers_spot_btcusdt.json", "BTC-USDT"},
    {"gemini", "pubticker_btcusdt.json", "BTC-USDT"},
    {"bitfinex", "ticker_tbtcust.json", "BTC-USDT"},
    {"kucoin", "stats_btc_usdt.json", "BTC-USDT"},
    {"gate", "tickers_btc_usdt.json", "BTC-USDT"},
    {"htx", "detail_merged_btcusdt.json", "BTC-USDT"},
    {"cryptocom", "tickers_btc_usd.json", "BTC-USD"},
    {"bitget", "synthetic_ticker_btcusdt.json", "BTC-USDT"},
    {"mexc", "ticker_24hr_btcusdt.json", "BTC-USDT"},
    {"coingecko", "simple_price_btc_eth.json", "BTC-USD"},
};

}  // namespace nimbus::testing

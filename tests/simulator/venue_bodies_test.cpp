#include "tests/simulator/venue_bodies.hpp"

#include <chrono>
#include <ostream>
#include <set>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "adapters/registry.hpp"
#include "tests/simulator/demo_scenario.hpp"

namespace nimbus::sim {
namespace {

using namespace std::chrono_literals;

// What each venue's ticker body carries besides bid, ask and last, per its recorded shape.
struct venue_traits {
  bool has_book = true;
  bool has_volume = true;
  std::chrono::nanoseconds time_resolution{0};  // 0: the body has no timestamp
};

venue_traits traits_of(std::string_view venue) {
  if (venue == "kraken" || venue == "gate" || venue == "bitfinex") {
    return {true, true, 0ns};
  }
  if (venue == "bitstamp") {
    return {true, true, 1s};
  }
  if (venue == "coinbase") {
    return {true, true, 1ns};
  }
  if (venue == "coingecko") {
    return {false, false, 1s};
  }
  return {true, true, 1ms};
}

// 2026-01-02T03:04:05.678901234Z, so each venue's rounding of the time is visible.
timestamp sample_time() {
  using namespace std::chrono;
  return sys_days{year{2026} / January / 2} + 3h + 4min + 5s + 678'901'234ns;
}

ticker_values sample_values() {
  return {dec("64000.1"), dec("64000.25"), dec("64000.2"), dec("1234.56789"), sample_time()};
}

struct venue_pair {
  std::string venue;
  std::string pair;
};

void PrintTo(const venue_pair& value, std::ostream* out) {
  *out << value.venue << " " << value.pair;
}

std::vector<venue_pair> quotable_pairs() {
  std::vector<venue_pair> cases;
  for (const std::string& venue : templated_venues()) {
    for (const std::string& pair : demo_pairs) {
      if (find_adapter(venue)->venue_symbol(pair)) {
        cases.push_back({venue, pair});
      }
    }
  }
  return cases;
}

std::string case_name(const ::testing::TestParamInfo<venue_pair>& info) {
  std::string name = info.param.venue + "_" + info.param.pair;
  std::erase(name, '-');
  return name;
}

quote_result parse_with_adapter(std::string_view venue, std::string_view pair,
                                const response& reply) {
  parse_context context;
  http_response wire{reply.status, reply.body, std::nullopt};
  return find_adapter(venue)->parse(wire, pair, sample_time() + 1s, context);
}

class VenueTicker : public ::testing::TestWithParam<venue_pair> {};

TEST_P(VenueTicker, AdapterReadsRenderedValues) {
  const auto& [venue, pair] = GetParam();
  auto values = sample_values();
  auto traits = traits_of(venue);

  auto result = parse_with_adapter(venue, pair, ticker_response(venue, pair, values));

  ASSERT_TRUE(std::holds_alternative<quote>(result))
      << std::get<fetch_error>(result).detail << "\nbody: " << ticker_body(venue, pair, values);
  const auto& parsed = std::get<quote>(result);
  EXPECT_EQ(parsed.last, values.last);
  if (traits.has_book) {
    EXPECT_EQ(parsed.bid, values.bid);
    EXPECT_EQ(parsed.ask, values.ask);
  }
  if (traits.has_volume) {
    EXPECT_EQ(parsed.base_volume_24h, values.base_volume);
  }
  if (traits.time_resolution.count() == 0) {
    EXPECT_FALSE(parsed.venue_time.has_value());
  } else {
    ASSERT_TRUE(parsed.venue_time.has_value());
    auto truncated =
        values.venue_time - values.venue_time.time_since_epoch() % traits.time_resolution;
    EXPECT_EQ(*parsed.venue_time, truncated);
  }
}

TEST_P(VenueTicker, BodyCarriesVenueSymbol) {
  const auto& [venue, pair] = GetParam();

  auto body = ticker_body(venue, pair, sample_values());
  auto symbol = *find_adapter(venue)->venue_symbol(pair);

  // Venues that echo no symbol in the ticker body.
  std::set<std::string> symbol_free = {"coinbase", "bitstamp", "gemini",
                                       "bitfinex", "kraken",   "coingecko"};
  if (!symbol_free.contains(venue)) {
    EXPECT_NE(body.find(symbol), std::string::npos) << "symbol " << symbol << " not in " << body;
  }
}

TEST_P(VenueTicker, RouteIsAdapterTarget) {
  const auto& [venue, pair] = GetParam();

  EXPECT_EQ(route_for(venue, pair), find_adapter(venue)->request_target(pair));
}

INSTANTIATE_TEST_SUITE_P(AllVenues, VenueTicker, ::testing::ValuesIn(quotable_pairs()), case_name);

struct venue_error_case {
  std::string venue;
  venue_error_kind kind;
};

void PrintTo(const venue_error_case& value, std::ostream* out) {
  *out << value.venue << " " << to_string(value.kind);
}

std::vector<venue_error_case> error_cases() {
  std::vector<venue_error_case> cases;
  for (const std::string& venue : templated_venues()) {
    for (auto kind : all_venue_error_kinds) {
      cases.push_back({venue, kind});
    }
  }
  return cases;
}

std::string error_case_name(const ::testing::TestParamInfo<venue_error_case>& info) {
  return info.param.venue + "_" + std::string(to_string(info.param.kind));
}

// The first pair the venue quotes among the demo pairs.
std::string quotable_pair(std::string_view venue) {
  for (const std::string& pair : demo_pairs) {
    if (find_adapter(venue)->venue_symbol(pair)) {
      return pair;
    }
  }
  return "BTC-USDT";
}

class VenueError : public ::testing::TestWithParam<venue_error_case> {};

TEST_P(VenueError, AdapterReportsCategory) {
  const auto& [venue, kind] = GetParam();
  auto pair = quotable_pair(venue);
  auto reply = venue_error_response(venue, kind, pair, sample_time());

  auto result = parse_with_adapter(venue, pair, reply);

  ASSERT_TRUE(std::holds_alternative<fetch_error>(result))
      << "status " << reply.status << " body " << reply.body << " parsed as a quote";
  const auto& error = std::get<fetch_error>(result);
  switch (kind) {
    case venue_error_kind::rate_limited:
      EXPECT_EQ(error.category, error_category::rate_limited) << error.detail;
      break;
    case venue_error_kind::unknown_pair:
      EXPECT_TRUE(error.category == error_category::unknown_pair ||
                  error.category == error_category::venue_error)
          << to_string(error.category) << ": " << error.detail;
      break;
    case venue_error_kind::unavailable:
      EXPECT_TRUE(error.category == error_category::venue_error ||
                  error.category == error_category::http_status)
          << to_string(error.category) << ": " << error.detail;
      EXPECT_TRUE(error.transient) << error.detail;
      break;
  }
}

INSTANTIATE_TEST_SUITE_P(AllVenues, VenueError, ::testing::ValuesIn(error_cases()),
                         error_case_name);

TEST(VenueBodies, EveryRegisteredVenueHasTemplate) {
  std::vector<std::string> registered;
  for (const venue_adapter* adapter : all_adapters()) {
    registered.emplace_back(adapter->name());
  }

  EXPECT_EQ(templated_venues(), registered);
}

TEST(VenueBodies, VenueRouteAddsVenuePrefix) {
  EXPECT_EQ(venue_route("binance", "BTC-USDT"), "/binance/api/v3/ticker/24hr?symbol=BTCUSDT");
  EXPECT_EQ(venue_base_url("http://127.0.0.1:4000", "okx"), "http://127.0.0.1:4000/okx");
}

TEST(VenueBodies, BinancePadsPricesToEightDecimals) {
  auto body = ticker_body("binance", "BTC-USDT", sample_values());

  EXPECT_NE(body.find(R"("bidPrice":"64000.10000000")"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("closeTime":1767323045678)"), std::string::npos) << body;
}

TEST(VenueBodies, KrakenUsesLegacyResultKey) {
  auto body = ticker_body("kraken", "BTC-USD", sample_values());

  EXPECT_NE(body.find(R"("XXBTZUSD":{)"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("b":["64000.10000","1","1.000"])"), std::string::npos) << body;
}

TEST(VenueBodies, CoinbaseTimeHasNanoseconds) {
  auto body = ticker_body("coinbase", "BTC-USD", sample_values());

  EXPECT_NE(body.find(R"("time":"2026-01-02T03:04:05.678901234Z")"), std::string::npos) << body;
}

TEST(VenueBodies, BitfinexSendsNumberArray) {
  auto body = ticker_body("bitfinex", "BTC-USD", sample_values());

  EXPECT_TRUE(body.starts_with("[64000.1,2.55279457,64000.25,")) << body;
}

TEST(VenueBodies, RejectsUnknownVenueAndPair) {
  EXPECT_THROW(ticker_body("nasdaq", "BTC-USD", sample_values()), std::invalid_argument);
  EXPECT_THROW(route_for("okx", "BTC"), std::invalid_argument);
  EXPECT_THROW(
      venue_error_response("nasdaq", venue_error_kind::unavailable, "BTC-USD", sample_time()),
      std::invalid_argument);
}

TEST(VenueBodies, RecordedErrorBodiesKeepRecordedText) {
  auto kraken =
      venue_error_response("kraken", venue_error_kind::unknown_pair, "BTC-USD", sample_time());
  auto bitfinex =
      venue_error_response("bitfinex", venue_error_kind::unknown_pair, "BTC-USD", sample_time());

  EXPECT_TRUE(error_body_is_recorded("kraken", venue_error_kind::unknown_pair));
  EXPECT_EQ(kraken.status, 200);
  EXPECT_EQ(kraken.body, R"({"error":["EQuery:Unknown asset pair"]})");
  EXPECT_EQ(bitfinex.status, 500);
  EXPECT_EQ(bitfinex.body, R"(["error",10020,"symbol: invalid"])");
}

TEST(VenueBodies, RateLimitCarriesRetryAfter) {
  auto reply =
      venue_error_response("binance", venue_error_kind::rate_limited, "BTC-USDT", sample_time());

  ASSERT_EQ(reply.headers.size(), 1u);
  EXPECT_EQ(reply.headers[0].first, "Retry-After");
  EXPECT_EQ(reply.status, 429);
}

TEST(Decimal, DecRejectsInvalidText) {
  EXPECT_EQ(dec("64000.10").to_string(), "64000.1");
  EXPECT_THROW(dec("64,000"), std::invalid_argument);
}

}  // namespace
}  // namespace nimbus::sim

#include "tests/simulator/synthetic_market.hpp"

#include <algorithm>
#include <stdexcept>

#include <gtest/gtest.h>

namespace nimbus::sim {
namespace {

using namespace std::chrono_literals;

timestamp start_time() {
  using namespace std::chrono;
  return sys_days{year{2026} / March / 1};
}

TEST(SyntheticMarket, StaysWithinBoundsOverLongWalk) {
  synthetic_market market(42);
  double anchor = synthetic_market::anchor_price("BTC-USD");

  // Basis and half spread add at most 0.004% and 0.015% on top of the walk's 2%.
  double lowest = anchor * (1 - synthetic_market::max_deviation - 0.0005);
  double highest = anchor * (1 + synthetic_market::max_deviation + 0.0005);
  for (int second = 0; second < 5'000; ++second) {
    auto values = market.quote("kraken", "BTC-USD", start_time() + second * 1s);
    ASSERT_GE(values.bid.to_double(), lowest) << "at second " << second;
    ASSERT_LE(values.ask.to_double(), highest) << "at second " << second;
  }
}

TEST(SyntheticMarket, BookIsTwoSidedWithLastInside) {
  synthetic_market market(7);

  for (int second = 0; second < 300; ++second) {
    auto values = market.quote("binance", "ETH-USDT", start_time() + second * 1s);
    ASSERT_LT(values.bid, values.ask) << "at second " << second;
    ASSERT_GE(values.last, values.bid) << "at second " << second;
    ASSERT_LE(values.last, values.ask) << "at second " << second;
  }
}

TEST(SyntheticMarket, PriceMovesOverTime) {
  synthetic_market market(1);

  auto first = market.quote("okx", "BTC-USDT", start_time());
  auto later = market.quote("okx", "BTC-USDT", start_time() + 120s);

  EXPECT_NE(first.bid, later.bid);
}

TEST(SyntheticMarket, PriceHoldsWithinOneStep) {
  synthetic_market market(1);

  auto first = market.quote("okx", "BTC-USDT", start_time());
  auto same_step = market.quote("okx", "BTC-USDT", start_time() + 500ms);

  EXPECT_EQ(first.bid, same_step.bid);
}

TEST(SyntheticMarket, BestBidBelowBestAskAcrossVenues) {
  synthetic_market market(8);
  const char* venues[] = {"binance", "coinbase",  "kraken",   "bitstamp", "okx",
                          "bybit",   "gemini",    "bitfinex", "kucoin",   "gate",
                          "htx",     "cryptocom", "bitget",   "mexc"};

  for (int second = 0; second < 120; ++second) {
    decimal best_bid = dec("0");
    decimal best_ask = dec("1000000000");
    for (const char* venue : venues) {
      auto values = market.quote(venue, "ETH-USD", start_time() + second * 1s);
      best_bid = std::max(best_bid, values.bid);
      best_ask = std::min(best_ask, values.ask);
    }
    ASSERT_LT(best_bid, best_ask) << "at second " << second;
  }
}

TEST(SyntheticMarket, VenuesQuoteDifferentPrices) {
  synthetic_market market(3);

  auto kraken = market.quote("kraken", "BTC-USD", start_time());
  auto coinbase = market.quote("coinbase", "BTC-USD", start_time());

  EXPECT_NE(kraken.bid, coinbase.bid);
}

TEST(SyntheticMarket, SameSeedGivesSameWalk) {
  synthetic_market first(99);
  synthetic_market second(99);

  auto a = first.quote("gate", "ETH-USDT", start_time() + 0s);
  a = first.quote("gate", "ETH-USDT", start_time() + 300s);
  auto b = second.quote("gate", "ETH-USDT", start_time() + 0s);
  b = second.quote("gate", "ETH-USDT", start_time() + 300s);

  EXPECT_EQ(a.bid, b.bid);
  EXPECT_EQ(a.ask, b.ask);
}

TEST(SyntheticMarket, RejectsPairWithoutAnchor) {
  synthetic_market market(1);

  EXPECT_THROW(market.quote("kraken", "SOL-USD", start_time()), std::invalid_argument);
}

}  // namespace
}  // namespace nimbus::sim

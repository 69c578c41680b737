#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "adapters/registry.hpp"

namespace nimbus {
namespace {

TEST(Registry, ListsVenuesInStableOrder) {
  std::vector<std::string> names;
  for (const venue_adapter* adapter : all_adapters()) {
    names.emplace_back(adapter->name());
  }

  std::vector<std::string> expected = {"binance", "coinbase",  "kraken",   "bitstamp", "okx",
                                       "bybit",   "gemini",    "bitfinex", "kucoin",   "gate",
                                       "htx",     "cryptocom", "bitget",   "mexc",     "coingecko"};
  EXPECT_EQ(names, expected);
}

TEST(Registry, FindsEveryAdapterByName) {
  for (const venue_adapter* adapter : all_adapters()) {
    EXPECT_EQ(find_adapter(adapter->name()), adapter) << adapter->name();
  }
}

TEST(Registry, UnknownOrUpperCaseNameIsNotFound) {
  EXPECT_EQ(find_adapter("nasdaq"), nullptr);
  EXPECT_EQ(find_adapter("Binance"), nullptr);
  EXPECT_EQ(find_adapter(""), nullptr);
}

TEST(Registry, BaseUrlsAreHttps) {
  for (const venue_adapter* adapter : all_adapters()) {
    EXPECT_TRUE(adapter->default_base_url().starts_with("https://")) << adapter->name();
    EXPECT_FALSE(adapter->default_base_url().ends_with("/")) << adapter->name();
  }
}

}  // namespace
}  // namespace nimbus

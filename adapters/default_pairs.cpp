#include <map>

#include "adapters/registry.hpp"

namespace nimbus {

std::vector<std::string> default_pairs(std::string_view venue_name) {
  // Spot markets each venue lists; USD venues quote BTC-USD and ETH-USD, USDT venues BTC-USDT and
  // ETH-USDT, and some list both.
  static const std::map<std::string, std::vector<std::string>, std::less<>> table = {
      {"binance", {"BTC-USDT", "ETH-USDT"}},
      {"coinbase", {"BTC-USD", "ETH-USD", "BTC-USDT", "ETH-USDT"}},
      {"kraken", {"BTC-USD", "ETH-USD", "BTC-USDT", "ETH-USDT"}},
      {"bitstamp", {"BTC-USD", "ETH-USD", "BTC-USDT", "ETH-USDT"}},
      {"okx", {"BTC-USDT", "ETH-USDT"}},
      {"bybit", {"BTC-USDT", "ETH-USDT"}},
      {"gemini", {"BTC-USD", "ETH-USD", "BTC-USDT"}},
      {"bitfinex", {"BTC-USD", "ETH-USD", "BTC-USDT", "ETH-USDT"}},
      {"kucoin", {"BTC-USDT", "ETH-USDT"}},
      {"gate", {"BTC-USDT", "ETH-USDT"}},
      {"htx", {"BTC-USDT", "ETH-USDT"}},
      {"cryptocom", {"BTC-USD", "ETH-USD", "BTC-USDT", "ETH-USDT"}},
      {"bitget", {"BTC-USDT", "ETH-USDT"}},
      {"mexc", {"BTC-USDT", "ETH-USDT"}},
      {"coingecko", {"BTC-USD", "ETH-USD"}},
  };
  auto found = table.find(venue_name);
  return found == table.end() ? std::vector<std::string>{} : found->second;
}

}  // namespace nimbus

#include "adapters/binance_style.hpp"
#include "adapters/venues.hpp"

namespace nimbus {

// MEXC's spot API v3 copies Binance's ticker and error shapes, so one parser serves both. Its
// priceChangePercent is a ratio where Binance's is a percentage, but neither is read here.
const venue_adapter& mexc_adapter() {
  static const adapters::binance_style_adapter adapter{"mexc", "https://api.mexc.com"};
  return adapter;
}

}  // namespace nimbus

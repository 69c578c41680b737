#include "adapters/registry.hpp"

#include <array>

#include "adapters/venues.hpp"

namespace nimbus {
namespace {

const std::array<const venue_adapter*, 15>& adapter_table() {
  static const std::array<const venue_adapter*, 15> table = {
      &binance_adapter(), &coinbase_adapter(), &kraken_adapter(),    &bitstamp_adapter(),
      &okx_adapter(),     &bybit_adapter(),    &gemini_adapter(),    &bitfinex_adapter(),
      &kucoin_adapter(),  &gate_adapter(),     &htx_adapter(),       &cryptocom_adapter(),
      &bitget_adapter(),  &mexc_adapter(),     &coingecko_adapter(),
  };
  return table;
}

}  // namespace

std::span<const venue_adapter* const> all_adapters() {
  return adapter_table();
}

const venue_adapter* find_adapter(std::string_view venue_name) {
  for (const venue_adapter* adapter : adapter_table()) {
    if (adapter->name() == venue_name) {
      return adapter;
    }
  }
  return nullptr;
}

}  // namespace nimbus

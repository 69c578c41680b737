#pragma once

#include "adapters/venue_adapter.hpp"

// One factory per venue. Each returns a process-wide stateless instance; registry.cpp lists them.
namespace nimbus {

const venue_adapter& binance_adapter();
const venue_adapter& coinbase_adapter();  // Coinbase Exchange, not Coinbase Advanced Trade
const venue_adapter& kraken_adapter();
const venue_adapter& bitstamp_adapter();
const venue_adapter& okx_adapter();
const venue_adapter& bybit_adapter();
const venue_adapter& gemini_adapter();
const venue_adapter& bitfinex_adapter();
const venue_adapter& kucoin_adapter();
const venue_adapter& gate_adapter();
const venue_adapter& htx_adapter();
const venue_adapter& cryptocom_adapter();
const venue_adapter& bitget_adapter();
const venue_adapter& mexc_adapter();
const venue_adapter& coingecko_adapter();

}  // namespace nimbus

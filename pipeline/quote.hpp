#pragma once

#include <optional>
#include <string>

#include "pipeline/decimal.hpp"
#include "pipeline/timestamps.hpp"

namespace nimbus {

// One venue's top of book for one pair, normalised from the venue's own format.
//
// Book venues fill bid and ask (and usually last). An aggregator such as CoinGecko publishes only a
// last price, so bid and ask stay empty there. validate_quote() enforces that a quote has either a
// two-sided book or a last price.
struct quote {
  std::string venue;  // registry name, "binance"
  std::string pair;   // canonical pair, "BTC-USDT"
  std::optional<decimal> bid;
  std::optional<decimal> ask;
  std::optional<decimal> last;
  std::optional<decimal> base_volume_24h;
  std::optional<timestamp> venue_time;  // the venue's own timestamp, absent when it sends none
  timestamp received_at;                // local receive time

  // Mid price: (bid + ask) / 2 for a two-sided book, else the last price.
  double mid() const;
};

}  // namespace nimbus

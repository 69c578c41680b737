#pragma once

// Shared set-up for the benchmarks: a market of N pairs on V venues, the configuration that polls
// it, and synthetic quotes with consistent prices across venues, so that aggregation gets a healthy
// market rather than outliers.

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/config.hpp"
#include "pipeline/quote.hpp"
#include "pipeline/snapshot.hpp"
#include "pipeline/timestamps.hpp"

namespace nimbus::bench {

// The pairs of an N-pair market: BTC-USDT, ETH-USDT, BTC-USD and ETH-USD first (the pairs of the
// default configuration), then made-up pairs SYN05-USDT, SYN06-USDT and so on.
std::vector<std::string> market_pairs(std::size_t count);

// The first `count` registered venues whose adapter maps any BASE-QUOTE pair, in registry order.
// Throws std::invalid_argument when fewer venues qualify.
std::vector<std::string> market_venues(std::size_t count);

// A configuration in which each of `venues` polls every one of `pairs` at the default intervals.
service_config market_config(const std::vector<std::string>& venues,
                             const std::vector<std::string>& pairs);

// The reference price of a pair in the synthetic market: BTC 64,000, ETH 3,100, SYNnn nn * 10.
double reference_price(const std::string& pair);

// A venue's two-sided quote for a pair: the reference price shifted by a small fixed per-venue
// basis (well under the default 100 bps outlier threshold), with a 1 bps spread. `sequence` moves
// the price by one tick, so that successive quotes differ.
quote market_quote(const std::string& venue, std::size_t venue_index, const std::string& pair,
                   std::size_t sequence, timestamp received_at);

// The wall clock as the service reads it.
timestamp utc_now();

}  // namespace nimbus::bench

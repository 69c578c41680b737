#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/venue_adapter.hpp"

namespace nimbus {

// Every venue adapter in this build, in a stable order. Adding a venue is one adapter file, its
// fixtures and one line in registry.cpp.
std::span<const venue_adapter* const> all_adapters();

// The adapter registered under a lower-case venue name, or nullptr.
const venue_adapter* find_adapter(std::string_view venue_name);

// The pairs among BTC-USD, ETH-USD, BTC-USDT and ETH-USDT that the venue lists as spot markets,
// which the default configuration polls. An adapter maps symbols by rule, so it would also build a
// request for a pair the venue does not list. This table keeps the default config to real markets.
std::vector<std::string> default_pairs(std::string_view venue_name);

}  // namespace nimbus

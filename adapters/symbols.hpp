#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "pipeline/pair.hpp"

// Helpers for turning canonical pairs into venue symbols and back. Their strings are symbols and
// asset codes, which up to 15 characters fit std::string's small-string buffer without allocating.
namespace nimbus::adapters {

std::string to_lower(std::string_view text);
std::string to_upper(std::string_view text);

bool equals_ignore_case(std::string_view lhs, std::string_view rhs);
bool starts_with_ignore_case(std::string_view text, std::string_view prefix);
bool contains_ignore_case(std::string_view text, std::string_view needle);

// "BTC" + separator + "USDT", each part upper- or lower-cased: joined(p, "-", false) is "BTC-USDT".
std::string joined(const pair& codes, std::string_view separator, bool lower_case);

// Splits "BTC_USDT" or "btc-usdt" at separator into a canonical pair.
std::optional<pair> split_at(std::string_view symbol, char separator);

// Splits a symbol without separator, "BTCUSDT" or "btcusd", at the longest known quote asset it
// ends with (USDT before USD). Returns nullopt when no known quote asset fits.
std::optional<pair> split_concatenated(std::string_view symbol);

}  // namespace nimbus::adapters

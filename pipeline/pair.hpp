#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nimbus {

// A trading pair in canonical form: upper-case base and quote asset codes, "BTC-USD".
struct pair {
  std::string base;
  std::string quote;

  std::string canonical() const { return base + "-" + quote; }

  friend bool operator==(const pair&, const pair&) = default;
};

// Parses "BASE-QUOTE" in any letter case ("btc-usd" gives BTC-USD). Asset codes are 2 to 10 ASCII
// letters or digits; anything else returns nullopt.
std::optional<pair> parse_pair(std::string_view text);

}  // namespace nimbus

#include "adapters/symbols.hpp"

#include <array>

namespace nimbus::adapters {
namespace {

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

char upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

// Quote assets that concatenated symbols end with on the venues this build supports. A code that
// ends with another comes first, so "BTCFDUSD" splits as BTC + FDUSD rather than BTCFD + USD.
constexpr std::array<std::string_view, 19> known_quote_assets = {
    "FDUSD", "USDT", "USDC", "TUSD", "BUSD", "USDD", "DAI", "USD", "EUR", "GBP",
    "JPY",   "TRY",  "BRL",  "AUD",  "CAD",  "CHF",  "BTC", "ETH", "BNB",
};

}  // namespace

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = lower(c);
  }
  return out;
}

std::string to_upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = upper(c);
  }
  return out;
}

bool equals_ignore_case(std::string_view lhs, std::string_view rhs) {
  if (lhs.size() != rhs.size()) {
    return false;
  }
  for (std::size_t i = 0; i < lhs.size(); ++i) {
    if (lower(lhs[i]) != lower(rhs[i])) {
      return false;
    }
  }
  return true;
}

bool starts_with_ignore_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && equals_ignore_case(text.substr(0, prefix.size()), prefix);
}

bool contains_ignore_case(std::string_view text, std::string_view needle) {
  if (needle.size() > text.size()) {
    return false;
  }
  for (std::size_t i = 0; i + needle.size() <= text.size(); ++i) {
    if (equals_ignore_case(text.substr(i, needle.size()), needle)) {
      return true;
    }
  }
  return false;
}

std::string joined(const pair& codes, std::string_view separator, bool lower_case) {
  std::string symbol;
  symbol.reserve(codes.base.size() + separator.size() + codes.quote.size());
  symbol += codes.base;
  symbol += separator;
  symbol += codes.quote;
  return lower_case ? to_lower(symbol) : to_upper(symbol);
}

std::optional<pair> split_at(std::string_view symbol, char separator) {
  auto position = symbol.find(separator);
  if (position == std::string_view::npos) {
    return std::nullopt;
  }
  std::string canonical(symbol);
  canonical[position] = '-';
  return parse_pair(canonical);
}

std::optional<pair> split_concatenated(std::string_view symbol) {
  for (std::string_view quote_asset : known_quote_assets) {
    if (symbol.size() <= quote_asset.size()) {
      continue;
    }
    std::string_view tail = symbol.substr(symbol.size() - quote_asset.size());
    if (!equals_ignore_case(tail, quote_asset)) {
      continue;
    }
    std::string canonical(symbol.substr(0, symbol.size() - quote_asset.size()));
    canonical += '-';
    canonical += quote_asset;
    if (auto codes = parse_pair(canonical)) {
      return codes;
    }
  }
  return std::nullopt;
}

}  // namespace nimbus::adapters

#include "pipeline/pair.hpp"

namespace nimbus {
namespace {

std::optional<std::string> parse_asset(std::string_view text) {
  if (text.size() < 2 || text.size() > 10) {
    return std::nullopt;
  }
  std::string asset;
  for (char c : text) {
    if (c >= 'a' && c <= 'z') {
      asset.push_back(static_cast<char>(c - 'a' + 'A'));
    } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      asset.push_back(c);
    } else {
      return std::nullopt;
    }
  }
  return asset;
}

}  // namespace

std::optional<pair> parse_pair(std::string_view text) {
  auto dash = text.find('-');
  if (dash == std::string_view::npos) {
    return std::nullopt;
  }
  auto base = parse_asset(text.substr(0, dash));
  auto quote = parse_asset(text.substr(dash + 1));
  if (!base || !quote) {
    return std::nullopt;
  }
  return pair{*base, *quote};
}

}  // namespace nimbus

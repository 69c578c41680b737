#include "pipeline/quote_validation.hpp"

#include <string>
#include <string_view>

namespace nimbus {
namespace {

fetch_error invalid_quote(std::string detail) {
  fetch_error error;
  error.category = error_category::invalid_quote;
  error.detail = std::move(detail);
  // A bad quote reflects the market or the venue at one moment; the next poll can be valid.
  error.transient = true;
  return error;
}

std::optional<fetch_error> check_positive(const std::optional<decimal>& price,
                                          std::string_view name) {
  if (!price || (!price->is_zero() && !price->is_negative())) {
    return std::nullopt;
  }
  return invalid_quote(std::string(name) + " " + price->to_string() + " is not positive");
}

}  // namespace

std::optional<fetch_error> validate_quote(const quote& candidate) {
  for (auto [price, name] : {std::pair{&candidate.bid, "bid"}, std::pair{&candidate.ask, "ask"},
                             std::pair{&candidate.last, "last"}}) {
    if (auto error = check_positive(*price, name)) {
      return error;
    }
  }

  if (candidate.base_volume_24h && candidate.base_volume_24h->is_negative()) {
    return invalid_quote("base volume " + candidate.base_volume_24h->to_string() + " is negative");
  }

  if (candidate.bid && !candidate.ask) {
    return invalid_quote("one-sided book: bid " + candidate.bid->to_string() + " has no ask");
  }
  if (candidate.ask && !candidate.bid) {
    return invalid_quote("one-sided book: ask " + candidate.ask->to_string() + " has no bid");
  }
  if (!candidate.bid && !candidate.last) {
    return invalid_quote("quote has neither a bid and ask nor a last price");
  }

  if (candidate.bid && *candidate.ask < *candidate.bid) {
    return invalid_quote("ask " + candidate.ask->to_string() + " is below bid " +
                         candidate.bid->to_string());
  }
  return std::nullopt;
}

}  // namespace nimbus

#pragma once

#include <optional>

#include "pipeline/fetch_error.hpp"
#include "pipeline/quote.hpp"

namespace nimbus {

// Checks the invariants a quote must meet before it reaches aggregation. Each price present is
// positive, the volume is not negative, bid and ask come together, and the book is not crossed,
// although an ask equal to the bid is allowed. A quote needs a two-sided book or a last price. A
// last price outside bid..ask is allowed because the book may have moved since the last trade.
// Returns an invalid_quote error that names the offending values, or nullopt for a valid quote.
std::optional<fetch_error> validate_quote(const quote& candidate);

}  // namespace nimbus

#pragma once

#include <optional>

#include "pipeline/fetch_error.hpp"
#include "pipeline/quote.hpp"

namespace nimbus {

// Checks the invariants every quote meets before it reaches aggregation: each price present is
// positive, the volume is not negative, bid and ask come together, the book is not crossed (ask
// equal to bid is allowed), and there is a two-sided book or a last price. A last price outside
// bid..ask is allowed because venues publish the last trade, which the book may have moved past.
// Returns an invalid_quote error that names the offending values, or nullopt for a valid quote.
std::optional<fetch_error> validate_quote(const quote& candidate);

}  // namespace nimbus

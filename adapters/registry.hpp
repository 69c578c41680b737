#pragma once

#include <span>
#include <string_view>

#include "adapters/venue_adapter.hpp"

namespace nimbus {

// Every venue adapter this build knows, in a stable order. Adding a venue is one adapter file, its
// fixtures and one line in registry.cpp.
std::span<const venue_adapter* const> all_adapters();

// The adapter registered under a lower-case venue name, or nullptr.
const venue_adapter* find_adapter(std::string_view venue_name);

}  // namespace nimbus

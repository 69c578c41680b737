#include "adapters/venue_adapter.hpp"

namespace nimbus {

simdjson::padded_string_view parse_context::padded(std::string_view body) {
  // Keep the capacity between calls so steady-state parsing does not allocate.
  buffer_.reserve(body.size() + simdjson::SIMDJSON_PADDING);
  buffer_.assign(body.data(), body.size());
  return simdjson::padded_string_view(buffer_.data(), buffer_.size(), buffer_.capacity());
}

}  // namespace nimbus

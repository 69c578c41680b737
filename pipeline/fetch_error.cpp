#include "pipeline/fetch_error.hpp"

namespace nimbus {

std::string_view to_string(error_category category) {
  switch (category) {
    case error_category::http_status:
      return "http_status";
    case error_category::rate_limited:
      return "rate_limited";
    case error_category::venue_error:
      return "venue_error";
    case error_category::malformed_body:
      return "malformed_body";
    case error_category::schema_mismatch:
      return "schema_mismatch";
    case error_category::invalid_quote:
      return "invalid_quote";
    case error_category::unknown_pair:
      return "unknown_pair";
    case error_category::timeout:
      return "timeout";
    case error_category::transport:
      return "transport";
  }
  return "unknown";
}

}  // namespace nimbus

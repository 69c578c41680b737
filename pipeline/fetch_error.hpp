#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace nimbus {

// The reason a venue produced no quote. The category is a bounded set so that it can be a metric label;
// the detail is free text for logs and the /v1/venues endpoint.
enum class error_category {
  http_status,      // a non-2xx status with no recognised venue error body
  rate_limited,     // HTTP 429 or 418, or the venue's own rate-limit code
  venue_error,      // the venue's documented error shape, also inside HTTP 200 bodies
  malformed_body,   // not JSON, truncated, an HTML page, empty
  schema_mismatch,  // JSON, but a field is missing or has the wrong type
  invalid_quote,    // zero, negative or non-finite price, empty side, ask below bid
  unknown_pair,     // the venue does not list the pair
  timeout,          // no complete response within the request timeout
  transport,        // connection refused or reset, DNS failure, TLS failure, body too large
};

inline constexpr error_category all_error_categories[] = {
    error_category::http_status,     error_category::rate_limited,   error_category::venue_error,
    error_category::malformed_body,  error_category::schema_mismatch, error_category::invalid_quote,
    error_category::unknown_pair,    error_category::timeout,         error_category::transport,
};

std::string_view to_string(error_category category);

struct fetch_error {
  error_category category = error_category::malformed_body;
  std::string detail;      // names the offending value, e.g. "ask 63212.97 is below bid 63212.98"
  int http_status = 0;     // 0 when no response arrived
  std::string venue_code;  // the venue's own code, e.g. "-1121", "EQuery:Unknown asset pair"
  std::optional<std::chrono::seconds> retry_after;  // from Retry-After or the venue's own signal
  bool transient = false;  // true when retrying later can succeed: rate limits, maintenance, 5xx
};

}  // namespace nimbus

#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <simdjson.h>

#include "pipeline/fetch_error.hpp"
#include "pipeline/quote.hpp"
#include "pipeline/timestamps.hpp"

namespace nimbus {

// The parts of an HTTP response an adapter reads. The body need not be padded: parse_context copies
// it into a buffer with SIMDJSON_PADDING spare bytes.
struct http_response {
  int status = 0;
  std::string_view body;
  std::optional<std::chrono::seconds> retry_after;  // the Retry-After header, when present
};

// Per-thread parsing state. simdjson values are views into the parser's buffer, so an adapter copies
// everything it needs into the quote before the next parse.
class parse_context {
 public:
  simdjson::ondemand::parser& parser() { return parser_; }

  // Copies body into the reused padded buffer and returns a view simdjson can iterate.
  simdjson::padded_string_view padded(std::string_view body);

 private:
  simdjson::ondemand::parser parser_;
  std::string buffer_;
};

using quote_result = std::variant<quote, fetch_error>;

// One venue's public REST ticker: symbol mapping, request target and response parsing. Adapters are
// stateless and thread-safe; all mutable state lives in parse_context.
class venue_adapter {
 public:
  virtual ~venue_adapter() = default;

  // Registry name in lower case: "binance", "coinbase", "kraken".
  virtual std::string_view name() const = 0;

  // Scheme and host of the real public API, "https://api.binance.com".
  virtual std::string_view default_base_url() const = 0;

  // The venue's symbol for a canonical pair ("BTC-USD" gives "XBTUSD" on Kraken), or nullopt when the
  // venue cannot quote that pair.
  virtual std::optional<std::string> venue_symbol(std::string_view canonical_pair) const = 0;

  // The canonical pair for one of the venue's symbols ("XXBTZUSD" gives "BTC-USD" on Kraken), or
  // nullopt when the symbol does not follow the venue's naming. The inverse of venue_symbol().
  virtual std::optional<std::string> canonical_pair(std::string_view /*venue_symbol*/) const {
    return std::nullopt;
  }

  // A phrase naming the pairs venue_symbol() accepts, for usage errors: "any BASE-QUOTE pair ...".
  virtual std::string_view supported_pairs() const {
    return "any BASE-QUOTE pair with asset codes of 2 to 10 letters or digits, e.g. BTC-USDT";
  }

  // Path and query of the ticker request for one pair, "/api/v3/ticker/24hr?symbol=BTCUSDT".
  // Precondition: venue_symbol(canonical_pair) has a value.
  virtual std::string request_target(std::string_view canonical_pair) const = 0;

  // Turns a response into a quote or a typed error. Never throws and never reads out of bounds,
  // whatever the bytes.
  virtual quote_result parse(const http_response& response, std::string_view canonical_pair,
                             timestamp received_at, parse_context& context) const = 0;
};

}  // namespace nimbus

#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pipeline/decimal.hpp"
#include "pipeline/timestamps.hpp"
#include "tests/simulator/response.hpp"

// Venue wire formats for the exchange simulator: each venue's ticker success body and its error
// responses, rendered from values a test chooses. The shapes (envelope, field names and order,
// string-versus-number types) are copied from responses recorded from the real venues. Fields the
// service does not read get plausible values derived from the quote.
namespace nimbus::sim {

// The top of book a venue reports for one pair.
struct ticker_values {
  decimal bid;
  decimal ask;
  decimal last;
  decimal base_volume;   // traded in the last 24 hours, in the base asset
  timestamp venue_time;  // rendered only by venues whose body has a timestamp
};

// Parses decimal text such as "64000.10" for test literals. Throws std::invalid_argument on text
// that decimal::parse rejects.
decimal dec(std::string_view text);

// The request target the service sends for one pair: find_adapter(venue)->request_target(pair).
// Throws std::invalid_argument for an unknown venue or a pair the venue cannot quote.
std::string route_for(std::string_view venue, std::string_view canonical_pair);

// The path prefix that keeps one venue's routes apart from another's on a shared simulator:
// "/binance". Binance and MEXC, for one, request the same path and query, so a simulator that
// plays several venues at once serves each under its prefix, and the service's configuration
// gives each venue base_url = simulator base URL + prefix (see venue_base_url).
std::string venue_prefix(std::string_view venue);

// venue_prefix(venue) + route_for(venue, pair): "/binance/api/v3/ticker/24hr?symbol=BTCUSDT".
std::string venue_route(std::string_view venue, std::string_view canonical_pair);

// The base_url for the venue in the service's configuration: "http://127.0.0.1:PORT/binance".
std::string venue_base_url(std::string_view simulator_base_url, std::string_view venue);

// Registered venues that have a ticker template here, in registry order.
std::vector<std::string> templated_venues();

// The venue's ticker success body for the pair, in the shape its request target returns (Binance's
// 24hr ticker or bookTicker, KuCoin's stats or level1, CoinGecko's simple price with the options
// the target requests). Throws std::invalid_argument for an unknown venue or unsupported pair.
std::string ticker_body(std::string_view venue, std::string_view canonical_pair,
                        const ticker_values& values);

// ticker_body() as the 200 response the venue sends.
response ticker_response(std::string_view venue, std::string_view canonical_pair,
                         const ticker_values& values);

enum class venue_error_kind {
  unavailable,   // maintenance or overload: retrying later can succeed
  rate_limited,  // the venue's request limit was hit
  unknown_pair,  // the venue does not list the requested symbol
};

// Every kind, for tables of test cases.
inline constexpr venue_error_kind all_venue_error_kinds[] = {
    venue_error_kind::unavailable, venue_error_kind::rate_limited, venue_error_kind::unknown_pair};

std::string_view to_string(venue_error_kind kind);

// The venue's error response for `kind`: HTTP status, headers (Retry-After where the venue sends
// it) and body. Some venues send errors with HTTP 200 and a code in the body (Kraken, Bybit, HTX,
// OKX's business errors); others use 4xx/5xx. `now` fills the timestamps some error envelopes
// carry. Throws std::invalid_argument for an unknown venue.
response venue_error_response(std::string_view venue, venue_error_kind kind,
                              std::string_view canonical_pair, timestamp now);

// Whether venue_error_response(venue, kind, ...) copies a body recorded from the venue (true) or is
// modelled on the venue's documented error envelope because no recording of that case exists.
bool error_body_is_recorded(std::string_view venue, venue_error_kind kind);

}  // namespace nimbus::sim

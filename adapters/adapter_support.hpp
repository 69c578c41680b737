#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "adapters/json_fields.hpp"
#include "adapters/symbols.hpp"
#include "adapters/venue_adapter.hpp"
#include "pipeline/fetch_error.hpp"
#include "pipeline/quote.hpp"

// Building blocks that every venue adapter shares: turning HTTP statuses and venue error bodies
// into fetch_error values, and captured JSON text into a validated quote.
namespace nimbus::adapters {

bool is_success_status(int status);

// Text from a body, cut to a readable length, with control characters replaced by '?', in double
// quotes: "\"NaN\"". Error details use it so that one bad body cannot flood a log line.
std::string quoted_text(std::string_view text);

// An error of category with the response's HTTP status and Retry-After, transient when retrying
// the same request can succeed (see docs/venues.md for the table).
fetch_error make_error(error_category category, std::string detail, const http_response& response);

// The error for a response that carries no recognised venue error: 429 and 418 become
// rate_limited, other non-2xx statuses http_status. Precondition: the status is not 2xx.
fetch_error status_error(const http_response& response);

// An empty or whitespace-only body: a status error for non-2xx, else malformed_body.
std::optional<fetch_error> check_body_not_blank(const http_response& response);

// The error for a body that simdjson rejected, or a status error when the status is not 2xx
// because then the status explains the failure better than the body does.
fetch_error body_error(const http_response& response, simdjson::error_code code);

// The error for valid JSON whose top level is not the expected kind.
fetch_error root_error(const http_response& response, root_kind root, std::string_view expected);

// A venue's own error, as read from its error body.
struct venue_error_info {
  error_category category = error_category::venue_error;
  std::string venue_code;  // "-1121", "EQuery:Unknown asset pair", "INVALID_CURRENCY_PAIR"
  std::string_view message;
  bool transient = false;
  std::optional<std::chrono::seconds> default_retry_after;  // used when no Retry-After arrived
};

// Builds the error for a venue error body, then applies what the HTTP status adds: 429 and 418
// force rate_limited, a 5xx makes a venue_error transient, and Retry-After wins over the default.
fetch_error venue_error(const http_response& response, std::string_view canonical_pair,
                        venue_error_info info);

// An unknown_pair error for a 2xx body that has no entry for the pair.
fetch_error pair_missing(const http_response& response, std::string_view canonical_pair,
                         std::string_view reason);

// An unknown_pair error for a pair that venue_symbol() rejects, when parse() is called anyway.
fetch_error unsupported_pair(const http_response& response, std::string_view venue,
                             std::string_view canonical_pair);

// A schema_mismatch error; detail names the field and what was wrong with it.
fetch_error schema_error(const http_response& response, std::string detail);

// The venue's code as text: a string's content or a number's token.
std::string code_text(const json_scalar& code);

// Captured price and volume fields of one ticker.
struct ticker_fields {
  json_scalar bid;
  json_scalar ask;
  json_scalar last;
  json_scalar volume;
};

// The venue's names for those fields, used in error details.
struct ticker_field_names {
  std::string_view bid;
  std::string_view ask;
  std::string_view last;
  std::string_view volume;
};

// The prices a venue publishes. A book venue must send bid and ask and may omit last, while an
// aggregator such as CoinGecko sends only last.
enum class price_source { book, last_only };

// Converts captured fields into a quote and validates it with validate_quote(). A missing
// required price is schema_mismatch; a null, empty or non-numeric price is invalid_quote; a
// missing, null or empty volume leaves base_volume_24h empty.
quote_result make_quote(const http_response& response, std::string_view venue,
                        std::string_view canonical_pair, timestamp received_at,
                        const ticker_fields& fields, const ticker_field_names& names,
                        price_source source, std::optional<timestamp> venue_time);

// Venue time readers. Each leaves time empty for a missing, null or "" field and returns nullopt on
// success, or a schema_mismatch error naming the field. Accepted instants lie in 2000..2199 UTC;
// anything outside is treated as a broken field rather than a time.
std::optional<fetch_error> read_unix_milliseconds(const http_response& response,
                                                  const json_scalar& field, std::string_view name,
                                                  std::optional<timestamp>& time);
std::optional<fetch_error> read_unix_seconds(const http_response& response,
                                             const json_scalar& field, std::string_view name,
                                             std::optional<timestamp>& time);
std::optional<fetch_error> read_unix_nanoseconds(const http_response& response,
                                                 const json_scalar& field, std::string_view name,
                                                 std::optional<timestamp>& time);
std::optional<fetch_error> read_iso8601(const http_response& response, const json_scalar& field,
                                        std::string_view name, std::optional<timestamp>& time);

// The ticker chosen from a venue's array of tickers. Entry is a struct of json_scalar fields with
// at least a `symbol` member.
template <typename Entry>
struct ticker_selection {
  Entry selected;
  bool found = false;
  std::size_t count = 0;            // tickers in the array
  json_scalar first_symbol;         // for the error when none matches
  bool not_array = false;           // the field holding the tickers is not an array
  bool entry_not_object = false;    // some element is not an object
  bool only_entry_unnamed = false;  // the first ticker has no symbol field
};

// Counts one ticker read from the array and keeps it when its symbol matches.
template <typename Entry>
void record_candidate(ticker_selection<Entry>& selection, const Entry& candidate,
                      std::string_view venue_symbol) {
  ++selection.count;
  if (selection.count == 1) {
    selection.first_symbol = candidate.symbol;
    selection.only_entry_unnamed = !candidate.symbol.present();
    if (selection.only_entry_unnamed) {
      selection.selected = candidate;
    }
  }
  bool matches =
      candidate.symbol.is_string() && equals_ignore_case(candidate.symbol.text, venue_symbol);
  if (matches && !selection.found) {
    selection.selected = candidate;
    selection.found = true;
  }
}

// Reads an array of ticker objects with capture(key, value, entry) and keeps the first one whose
// symbol equals venue_symbol, ignoring case. Venues that filter by symbol send one ticker, but some
// send the whole market; a lone ticker without a symbol field is kept as well.
template <typename Entry, typename Capture>
simdjson::error_code select_ticker(simdjson::ondemand::value& value, std::string_view venue_symbol,
                                   ticker_selection<Entry>& selection, Capture&& capture) {
  bool is_array = false;
  auto error = visit_array(value, is_array, [&](std::size_t, simdjson::ondemand::value& element) {
    Entry candidate;
    bool is_object = false;
    auto element_error = visit_object(
        element, is_object, [&](std::string_view key, simdjson::ondemand::value& field_value) {
          return capture(key, field_value, candidate);
        });
    if (element_error) {
      return element_error;
    }
    if (!is_object) {
      selection.entry_not_object = true;
      return simdjson::SUCCESS;
    }
    record_candidate(selection, candidate, venue_symbol);
    return simdjson::SUCCESS;
  });
  selection.not_array = !is_array;
  return error;
}

// The error for a selection that produced no ticker, or nullopt when selection contains one. name
// is the field that contains the array, "data" or "result.list".
template <typename Entry>
std::optional<fetch_error> check_selection(const http_response& response,
                                           std::string_view canonical_pair,
                                           const ticker_selection<Entry>& selection,
                                           std::string_view name) {
  if (selection.not_array) {
    return schema_error(response, std::string(name) + " is not an array");
  }
  if (selection.entry_not_object) {
    return schema_error(response, std::string(name) + " contains a value that is not an object");
  }
  if (selection.found || (selection.count == 1 && selection.only_entry_unnamed)) {
    return std::nullopt;
  }
  if (selection.count == 0) {
    return pair_missing(response, canonical_pair, std::string(name) + " is empty");
  }
  std::string first =
      selection.first_symbol.is_string() ? quoted_text(selection.first_symbol.text) : "no symbol";
  std::string tickers =
      std::to_string(selection.count) + (selection.count == 1 ? " ticker" : " tickers");
  return pair_missing(
      response, canonical_pair,
      std::string(name) + " has " + tickers + ", none for this pair; the first is " + first);
}

}  // namespace nimbus::adapters

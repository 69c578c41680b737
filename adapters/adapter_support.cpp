#include "adapters/adapter_support.hpp"

#include <charconv>
#include <cstdint>

#include "pipeline/quote_validation.hpp"

namespace nimbus::adapters {
namespace {

using kind = json_scalar::kind;

// Long enough for any price, code or venue message worth reading; longer text is cut.
constexpr std::size_t max_quoted_length = 120;

// Venue times outside 2000-01-01 .. 2200-01-01 UTC are rejected. The upper bound also keeps the
// nanosecond count inside int64_t, which ends in 2262.
constexpr std::int64_t earliest_unix_seconds = 946'684'800;
constexpr std::int64_t latest_unix_seconds = 7'258'118'400;

bool is_blank(std::string_view text) {
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
      return false;
    }
  }
  return true;
}

bool is_transient_status(int status) {
  return status >= 500 || status == 408;
}

bool is_rate_limit_status(int status) {
  return status == 429 || status == 418;
}

std::string body_excerpt(std::string_view body) {
  if (is_blank(body)) {
    return "an empty body";
  }
  return "body " + quoted_text(body);
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

// The field's text when it is a non-empty string or a number. Otherwise nullopt, with error set
// when the field has the wrong type.
std::optional<std::string_view> time_text(const http_response& response, const json_scalar& field,
                                          std::string_view name,
                                          std::optional<fetch_error>& error) {
  bool empty_string = field.type == kind::string && field.text.empty();
  if (field.type == kind::missing || field.type == kind::null || empty_string) {
    return std::nullopt;
  }
  if (field.type != kind::string && field.type != kind::number) {
    error = schema_error(response, std::string(name) + " is " + std::string(describe(field.type)) +
                                       ", expected a string or number");
    return std::nullopt;
  }
  return field.text;
}

fetch_error bad_time(const http_response& response, std::string_view name, std::string_view text,
                     std::string_view expected) {
  return schema_error(response, std::string(name) + " " + quoted_text(text) + " is not " +
                                    std::string(expected) + " between 2000 and 2199");
}

std::optional<fetch_error> read_scaled_integer_time(const http_response& response,
                                                    const json_scalar& field, std::string_view name,
                                                    std::int64_t units_per_second,
                                                    std::string_view expected,
                                                    std::optional<timestamp>& time) {
  std::optional<fetch_error> error;
  auto text = time_text(response, field, name, error);
  if (!text) {
    return error;
  }
  auto value = parse_integer(*text);
  if (!value || *value < earliest_unix_seconds * units_per_second ||
      *value >= latest_unix_seconds * units_per_second) {
    return bad_time(response, name, *text, expected);
  }
  auto since_epoch = std::chrono::nanoseconds{*value * (1'000'000'000 / units_per_second)};
  time = timestamp{since_epoch};
  return std::nullopt;
}

// Reads one price. Returns an error for a missing required field or a value that is not a decimal.
std::optional<fetch_error> read_price(const http_response& response, const json_scalar& field,
                                      std::string_view name, bool required,
                                      std::optional<decimal>& price) {
  switch (field.type) {
    case kind::missing:
      if (required) {
        return schema_error(response, "missing field " + std::string(name));
      }
      return std::nullopt;
    case kind::null:
      return make_error(error_category::invalid_quote, std::string(name) + " is null", response);
    case kind::string:
    case kind::number:
      break;
    default:
      return schema_error(response, std::string(name) + " is " + std::string(describe(field.type)) +
                                        ", expected a string or number");
  }
  if (field.text.empty()) {
    return make_error(error_category::invalid_quote, std::string(name) + " is an empty string",
                      response);
  }
  price = decimal::parse(field.text);
  if (!price) {
    return make_error(
        error_category::invalid_quote,
        std::string(name) + " " + quoted_text(field.text) + " is not a decimal number", response);
  }
  return std::nullopt;
}

// Reads the base volume, which is optional: missing, null and "" leave it empty.
std::optional<fetch_error> read_volume(const http_response& response, const json_scalar& field,
                                       std::string_view name, std::optional<decimal>& volume) {
  if (field.type == kind::missing || field.type == kind::null ||
      (field.type == kind::string && field.text.empty())) {
    return std::nullopt;
  }
  return read_price(response, field, name, false, volume);
}

}  // namespace

bool is_success_status(int status) {
  return status >= 200 && status <= 299;
}

std::string quoted_text(std::string_view text) {
  std::string out = "\"";
  std::size_t length = text.size() < max_quoted_length ? text.size() : max_quoted_length;
  for (std::size_t i = 0; i < length; ++i) {
    auto byte = static_cast<unsigned char>(text[i]);
    out += byte < 0x20 || byte == 0x7f ? '?' : text[i];
  }
  if (length < text.size()) {
    out += "...";
  }
  out += '"';
  return out;
}

fetch_error make_error(error_category category, std::string detail, const http_response& response) {
  fetch_error error;
  error.category = category;
  error.detail = std::move(detail);
  error.http_status = response.status;
  error.retry_after = response.retry_after;
  switch (category) {
    case error_category::rate_limited:
    case error_category::malformed_body:  // usually a cut connection or a proxy's error page
    case error_category::invalid_quote:   // a momentary market state such as a crossed book
    case error_category::timeout:
    case error_category::transport:
      error.transient = true;
      break;
    case error_category::http_status:
      error.transient = is_transient_status(response.status);
      break;
    case error_category::venue_error:
    case error_category::schema_mismatch:
    case error_category::unknown_pair:
      error.transient = false;
      break;
  }
  return error;
}

fetch_error status_error(const http_response& response) {
  std::string status = "HTTP status " + std::to_string(response.status);
  if (is_rate_limit_status(response.status)) {
    return make_error(error_category::rate_limited,
                      status + " (rate limited) with " + body_excerpt(response.body), response);
  }
  return make_error(error_category::http_status, status + " with " + body_excerpt(response.body),
                    response);
}

std::optional<fetch_error> check_body_not_blank(const http_response& response) {
  if (!is_blank(response.body)) {
    return std::nullopt;
  }
  if (!is_success_status(response.status)) {
    return status_error(response);
  }
  return make_error(error_category::malformed_body, "empty body", response);
}

fetch_error body_error(const http_response& response, simdjson::error_code code) {
  if (!is_success_status(response.status)) {
    return status_error(response);
  }
  if (code == simdjson::SCALAR_DOCUMENT_AS_VALUE) {
    return make_error(error_category::malformed_body,
                      "body is not a JSON object or array: " + quoted_text(response.body),
                      response);
  }
  return make_error(error_category::malformed_body,
                    "body is not valid JSON (" + std::string(simdjson::error_message(code)) +
                        "): " + quoted_text(response.body),
                    response);
}

fetch_error root_error(const http_response& response, root_kind root, std::string_view expected) {
  if (!is_success_status(response.status)) {
    return status_error(response);
  }
  std::string_view actual = root == root_kind::object ? "an object" : "an array";
  return schema_error(response,
                      "body is " + std::string(actual) + ", expected " + std::string(expected));
}

fetch_error venue_error(const http_response& response, std::string_view canonical_pair,
                        venue_error_info info) {
  std::string description;
  if (!info.venue_code.empty()) {
    description = "code " + quoted_text(info.venue_code);
  }
  if (!info.message.empty() || info.venue_code.empty()) {
    description += description.empty() ? "" : ": ";
    description += quoted_text(info.message);
  }
  std::string detail;
  switch (info.category) {
    case error_category::unknown_pair:
      detail = "venue does not list " + std::string(canonical_pair) + ": " + description;
      break;
    case error_category::rate_limited:
      detail = "rate limited by the venue: " + description;
      break;
    default:
      detail = "venue error " + description;
      break;
  }

  fetch_error error = make_error(info.category, std::move(detail), response);
  if (is_rate_limit_status(response.status)) {
    error.category = error_category::rate_limited;
  }
  error.venue_code = std::move(info.venue_code);
  error.transient =
      error.category == error_category::rate_limited || info.transient ||
      (error.category == error_category::venue_error && is_transient_status(response.status));
  if (!error.retry_after && error.category == error_category::rate_limited) {
    error.retry_after = info.default_retry_after;
  }
  return error;
}

fetch_error pair_missing(const http_response& response, std::string_view canonical_pair,
                         std::string_view reason) {
  return make_error(
      error_category::unknown_pair,
      "response has no ticker for " + std::string(canonical_pair) + ": " + std::string(reason),
      response);
}

fetch_error unsupported_pair(const http_response& response, std::string_view venue,
                             std::string_view canonical_pair) {
  return make_error(error_category::unknown_pair,
                    std::string(venue) + " cannot quote pair " + quoted_text(canonical_pair),
                    response);
}

fetch_error schema_error(const http_response& response, std::string detail) {
  return make_error(error_category::schema_mismatch, std::move(detail), response);
}

std::string code_text(const json_scalar& code) {
  if (code.type == kind::string || code.type == kind::number || code.type == kind::boolean) {
    return std::string(code.text);
  }
  return std::string(describe(code.type));
}

quote_result make_quote(const http_response& response, std::string_view venue,
                        std::string_view canonical_pair, timestamp received_at,
                        const ticker_fields& fields, const ticker_field_names& names,
                        price_source source, std::optional<timestamp> venue_time) {
  quote result;
  bool book = source == price_source::book;
  if (book) {
    if (auto error = read_price(response, fields.bid, names.bid, true, result.bid)) {
      return *std::move(error);
    }
    if (auto error = read_price(response, fields.ask, names.ask, true, result.ask)) {
      return *std::move(error);
    }
  }
  if (auto error = read_price(response, fields.last, names.last, !book, result.last)) {
    return *std::move(error);
  }
  if (auto error = read_volume(response, fields.volume, names.volume, result.base_volume_24h)) {
    return *std::move(error);
  }

  result.venue_time = venue_time;
  result.received_at = received_at;
  if (auto error = validate_quote(result)) {
    error->http_status = response.status;
    return *std::move(error);
  }

  // Only a valid quote pays for its strings. Names and pairs of up to 15 characters fit
  // std::string's small-string buffer, so they do not allocate.
  result.venue = venue;
  result.pair = canonical_pair;
  return result;
}

std::optional<fetch_error> read_unix_milliseconds(const http_response& response,
                                                  const json_scalar& field, std::string_view name,
                                                  std::optional<timestamp>& time) {
  return read_scaled_integer_time(response, field, name, 1'000, "a Unix time in milliseconds",
                                  time);
}

std::optional<fetch_error> read_unix_nanoseconds(const http_response& response,
                                                 const json_scalar& field, std::string_view name,
                                                 std::optional<timestamp>& time) {
  return read_scaled_integer_time(response, field, name, 1'000'000'000,
                                  "a Unix time in nanoseconds", time);
}

std::optional<fetch_error> read_unix_seconds(const http_response& response,
                                             const json_scalar& field, std::string_view name,
                                             std::optional<timestamp>& time) {
  std::optional<fetch_error> error;
  auto text = time_text(response, field, name, error);
  if (!text) {
    return error;
  }
  auto seconds = decimal::parse(*text);
  if (!seconds || *seconds < decimal::from_integer(earliest_unix_seconds) ||
      *seconds >= decimal::from_integer(latest_unix_seconds)) {
    return bad_time(response, name, *text, "a Unix time in seconds");
  }
  time = from_unix_seconds(*seconds);
  return std::nullopt;
}

std::optional<fetch_error> read_iso8601(const http_response& response, const json_scalar& field,
                                        std::string_view name, std::optional<timestamp>& time) {
  std::optional<fetch_error> error;
  auto text = time_text(response, field, name, error);
  if (!text) {
    return error;
  }
  // Check the year before parse_iso8601 converts it, because years past 2262 overflow the
  // nanosecond count.
  auto year = parse_integer(text->substr(0, 4));
  if (field.type != kind::string || text->size() < 4 || !year || *year < 2000 || *year > 2199) {
    return bad_time(response, name, *text, "an ISO-8601 time");
  }
  auto parsed = parse_iso8601(*text);
  if (!parsed) {
    return bad_time(response, name, *text, "an ISO-8601 time");
  }
  time = *parsed;
  return std::nullopt;
}

}  // namespace nimbus::adapters

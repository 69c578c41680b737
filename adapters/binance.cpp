#include <array>

#include "adapters/adapter_support.hpp"
#include "adapters/binance_style.hpp"
#include "adapters/venues.hpp"

namespace nimbus {
namespace adapters {
namespace {

struct binance_body {
  json_scalar code;
  json_scalar message;
  json_scalar symbol;
  json_scalar close_time;
  ticker_fields ticker;

  std::array<field_slot, 8> slots() {
    return {{{"code", &code},
             {"msg", &message},
             {"symbol", &symbol},
             {"closeTime", &close_time},
             {"bidPrice", &ticker.bid},
             {"askPrice", &ticker.ask},
             {"lastPrice", &ticker.last},
             {"volume", &ticker.volume}}};
  }
};

constexpr ticker_field_names binance_names{"bidPrice", "askPrice", "lastPrice", "volume"};

// Codes from the Binance spot error list: -1003 is TOO_MANY_REQUESTS, -1121 is "Invalid symbol.",
// and the server-side failures of the 10xx group are worth retrying.
fetch_error classify_error(const http_response& response, std::string_view canonical_pair,
                           const binance_body& body) {
  venue_error_info info;
  info.venue_code = code_text(body.code);
  info.message = body.message.text;
  if (info.venue_code == "-1003") {
    info.category = error_category::rate_limited;
  } else if (info.venue_code == "-1121") {
    info.category = error_category::unknown_pair;
  } else if (info.venue_code == "-1000" || info.venue_code == "-1001" ||
             info.venue_code == "-1004" || info.venue_code == "-1006" ||
             info.venue_code == "-1007" || info.venue_code == "-1008") {
    info.transient = true;
  }
  return venue_error(response, canonical_pair, std::move(info));
}

}  // namespace

std::optional<std::string> binance_style_adapter::venue_symbol(
    std::string_view canonical_pair) const {
  auto codes = parse_pair(canonical_pair);
  if (!codes) {
    return std::nullopt;
  }
  return joined(*codes, "", false);
}

std::optional<std::string> binance_style_adapter::canonical_pair(
    std::string_view venue_symbol) const {
  auto codes = split_concatenated(venue_symbol);
  if (!codes) {
    return std::nullopt;
  }
  return codes->canonical();
}

std::string binance_style_adapter::request_target(std::string_view canonical_pair) const {
  return "/api/v3/ticker/24hr?symbol=" + venue_symbol(canonical_pair).value_or("");
}

quote_result binance_style_adapter::parse(const http_response& response,
                                          std::string_view canonical_pair, timestamp received_at,
                                          parse_context& context) const {
  if (auto error = check_body_not_blank(response)) {
    return *std::move(error);
  }
  auto symbol = venue_symbol(canonical_pair);
  if (!symbol) {
    return unsupported_pair(response, name(), canonical_pair);
  }

  binance_body body;
  auto slots = body.slots();
  root_kind root{};
  auto error = parse_body(
      context, response.body, root,
      [&](std::string_view key, simdjson::ondemand::value& value) {
        return capture_field(key, value, slots);
      },
      skip_element);
  if (error) {
    return body_error(response, error);
  }
  if (root != root_kind::object) {
    return root_error(response, root, "an object");
  }

  if (body.code.present()) {
    return classify_error(response, canonical_pair, body);
  }
  if (!is_success_status(response.status)) {
    return status_error(response);
  }
  if (body.symbol.is_string() && !equals_ignore_case(body.symbol.text, *symbol)) {
    return pair_missing(response, canonical_pair, "symbol is " + quoted_text(body.symbol.text));
  }

  std::optional<timestamp> venue_time;
  if (auto time_error =
          read_unix_milliseconds(response, body.close_time, "closeTime", venue_time)) {
    return *std::move(time_error);
  }
  return make_quote(response, name(), canonical_pair, received_at, body.ticker, binance_names,
                    price_source::book, venue_time);
}

}  // namespace adapters

const venue_adapter& binance_adapter() {
  static const adapters::binance_style_adapter adapter{"binance", "https://api.binance.com"};
  return adapter;
}

}  // namespace nimbus

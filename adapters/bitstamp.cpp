#include <array>

#include "adapters/adapter_support.hpp"
#include "adapters/venues.hpp"

namespace nimbus {
namespace adapters {
namespace {

// Bitstamp, GET /api/v2/ticker/btcusd/: bid, ask, last, volume (base asset, 24 hours) and timestamp
// in Unix seconds, all as strings. Newer responses add "pair": "BTC/USD". An unknown pair's ticker
// route returns HTTP 404 {"message": "Not found."}; other endpoints report errors as
// {"status": "error", "reason": ..., "code": ...}.
struct bitstamp_body {
  json_scalar message;
  json_scalar status;
  json_scalar reason;
  json_scalar code;
  json_scalar pair_name;
  json_scalar time;
  ticker_fields ticker;

  std::array<field_slot, 10> slots() {
    return {{{"message", &message},
             {"status", &status},
             {"reason", &reason},
             {"code", &code},
             {"pair", &pair_name},
             {"timestamp", &time},
             {"bid", &ticker.bid},
             {"ask", &ticker.ask},
             {"last", &ticker.last},
             {"volume", &ticker.volume}}};
  }
};

constexpr ticker_field_names bitstamp_names{"bid", "ask", "last", "volume"};

bool is_error_body(const bitstamp_body& body) {
  bool status_error = body.status.is_string() && body.status.text == "error";
  bool message_only = body.message.is_string() && !body.ticker.bid.present();
  return status_error || message_only;
}

fetch_error classify_error(const http_response& response, std::string_view canonical_pair,
                           const bitstamp_body& body) {
  venue_error_info info;
  info.message = body.message.is_string() ? body.message.text : body.reason.text;
  if (body.code.present()) {
    info.venue_code = code_text(body.code);
  }
  // The ticker route exists for every listed pair, so a 404 there means the pair is unknown.
  if (response.status == 404) {
    info.category = error_category::unknown_pair;
  }
  return venue_error(response, canonical_pair, std::move(info));
}

class bitstamp_adapter_impl final : public venue_adapter {
 public:
  std::string_view name() const override { return "bitstamp"; }
  std::string_view default_base_url() const override { return "https://www.bitstamp.net"; }

  std::optional<std::string> venue_symbol(std::string_view canonical_pair) const override {
    auto codes = parse_pair(canonical_pair);
    if (!codes) {
      return std::nullopt;
    }
    return joined(*codes, "", true);
  }

  std::optional<std::string> canonical_pair(std::string_view symbol) const override {
    auto codes = split_concatenated(symbol);
    if (!codes) {
      return std::nullopt;
    }
    return codes->canonical();
  }

  std::string request_target(std::string_view canonical_pair) const override {
    return "/api/v2/ticker/" + venue_symbol(canonical_pair).value_or("") + "/";
  }

  quote_result parse(const http_response& response, std::string_view canonical_pair,
                     timestamp received_at, parse_context& context) const override {
    if (auto error = check_body_not_blank(response)) {
      return *std::move(error);
    }
    auto codes = parse_pair(canonical_pair);
    if (!codes) {
      return unsupported_pair(response, name(), canonical_pair);
    }

    bitstamp_body body;
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

    if (is_error_body(body)) {
      return classify_error(response, canonical_pair, body);
    }
    if (!is_success_status(response.status)) {
      return status_error(response);
    }
    // An old API version returned unknown pairs with the BTC/USD ticker, so check the pair
    // whenever the body names it.
    if (body.pair_name.is_string() &&
        !equals_ignore_case(body.pair_name.text, joined(*codes, "/", false))) {
      return pair_missing(response, canonical_pair, "pair is " + quoted_text(body.pair_name.text));
    }

    std::optional<timestamp> venue_time;
    if (auto time_error = read_unix_seconds(response, body.time, "timestamp", venue_time)) {
      return *std::move(time_error);
    }
    return make_quote(response, name(), canonical_pair, received_at, body.ticker, bitstamp_names,
                      price_source::book, venue_time);
  }
};

}  // namespace
}  // namespace adapters

const venue_adapter& bitstamp_adapter() {
  static const adapters::bitstamp_adapter_impl adapter;
  return adapter;
}

}  // namespace nimbus

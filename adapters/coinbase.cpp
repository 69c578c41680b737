#include <array>

#include "adapters/adapter_support.hpp"
#include "adapters/venues.hpp"

namespace nimbus {
namespace adapters {
namespace {

// Coinbase Exchange, GET /products/BTC-USD/ticker: bid, ask, price (the last trade), volume (base
// asset, 24 hours) and time as ISO-8601 with 6 or 9 fractional digits. Errors are {"message":...}
// with no code: "NotFound" for an unknown product, "Public rate limit exceeded" with HTTP 429.
struct coinbase_body {
  json_scalar message;
  json_scalar time;
  ticker_fields ticker;

  std::array<field_slot, 6> slots() {
    return {{{"message", &message},
             {"time", &time},
             {"bid", &ticker.bid},
             {"ask", &ticker.ask},
             {"price", &ticker.last},
             {"volume", &ticker.volume}}};
  }
};

constexpr ticker_field_names coinbase_names{"bid", "ask", "price", "volume"};

fetch_error classify_error(const http_response& response, std::string_view canonical_pair,
                           const coinbase_body& body) {
  venue_error_info info;
  std::string_view message = body.message.text;
  info.message = message;
  // The message doubles as the code when it is a single word such as "NotFound".
  if (message.find(' ') == std::string_view::npos) {
    info.venue_code = std::string(message);
  }
  if (equals_ignore_case(message, "NotFound")) {
    info.category = error_category::unknown_pair;
  } else if (contains_ignore_case(message, "rate limit")) {
    info.category = error_category::rate_limited;
  } else if (contains_ignore_case(message, "maintenance") || response.status == 503) {
    info.transient = true;
  }
  return venue_error(response, canonical_pair, std::move(info));
}

class coinbase_adapter_impl final : public venue_adapter {
 public:
  std::string_view name() const override { return "coinbase"; }
  std::string_view default_base_url() const override { return "https://api.exchange.coinbase.com"; }

  std::optional<std::string> venue_symbol(std::string_view canonical_pair) const override {
    auto codes = parse_pair(canonical_pair);
    if (!codes) {
      return std::nullopt;
    }
    return joined(*codes, "-", false);
  }

  std::optional<std::string> canonical_pair(std::string_view symbol) const override {
    auto codes = split_at(symbol, '-');
    if (!codes) {
      return std::nullopt;
    }
    return codes->canonical();
  }

  std::string request_target(std::string_view canonical_pair) const override {
    return "/products/" + venue_symbol(canonical_pair).value_or("") + "/ticker";
  }

  quote_result parse(const http_response& response, std::string_view canonical_pair,
                     timestamp received_at, parse_context& context) const override {
    if (auto error = check_body_not_blank(response)) {
      return *std::move(error);
    }
    if (!venue_symbol(canonical_pair)) {
      return unsupported_pair(response, name(), canonical_pair);
    }

    coinbase_body body;
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

    if (body.message.is_string() && !body.ticker.bid.present()) {
      return classify_error(response, canonical_pair, body);
    }
    if (!is_success_status(response.status)) {
      return status_error(response);
    }

    std::optional<timestamp> venue_time;
    if (auto time_error = read_iso8601(response, body.time, "time", venue_time)) {
      return *std::move(time_error);
    }
    return make_quote(response, name(), canonical_pair, received_at, body.ticker, coinbase_names,
                      price_source::book, venue_time);
  }
};

}  // namespace
}  // namespace adapters

const venue_adapter& coinbase_adapter() {
  static const adapters::coinbase_adapter_impl adapter;
  return adapter;
}

}  // namespace nimbus

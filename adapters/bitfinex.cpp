#include <array>

#include "adapters/adapter_support.hpp"
#include "adapters/venues.hpp"

namespace nimbus {
namespace adapters {
namespace {

// Bitfinex v2, GET /v2/ticker/tBTCUSD, returns a bare array of numbers: [BID, BID_SIZE, ASK,
// ASK_SIZE, DAILY_CHANGE, DAILY_CHANGE_RELATIVE, LAST_PRICE, VOLUME (base asset), HIGH, LOW], with
// no timestamp. Errors are arrays too, ["error", 10020, "symbol: invalid"] sent with HTTP 500, so
// the first element decides. The rate limit returns {"error": "ERR_RATE_LIMIT"}.
constexpr std::size_t ticker_length = 10;
constexpr std::size_t bid_index = 0;
constexpr std::size_t ask_index = 2;
constexpr std::size_t last_index = 6;
constexpr std::size_t volume_index = 7;

constexpr ticker_field_names bitfinex_names{"BID", "ASK", "LAST_PRICE", "VOLUME"};

// Bitfinex blocks an IP that exceeds the rate limit for 60 seconds and sends no Retry-After.
constexpr std::chrono::seconds rate_limit_default_retry{60};

struct bitfinex_body {
  std::array<json_scalar, ticker_length> elements;
  std::size_t count = 0;
  json_scalar object_error;
};

fetch_error classify_array_error(const http_response& response, std::string_view canonical_pair,
                                 const bitfinex_body& body) {
  venue_error_info info;
  info.venue_code = code_text(body.elements[1]);
  info.message = body.elements[2].text;
  // 10020 is Bitfinex's "request parameters" error; its message names the parameter.
  if (info.venue_code == "10020" && contains_ignore_case(info.message, "symbol")) {
    info.category = error_category::unknown_pair;
  }
  return venue_error(response, canonical_pair, std::move(info));
}

fetch_error classify_object_error(const http_response& response, std::string_view canonical_pair,
                                  const bitfinex_body& body) {
  venue_error_info info;
  info.venue_code = code_text(body.object_error);
  if (info.venue_code == "ERR_RATE_LIMIT") {
    info.category = error_category::rate_limited;
    info.default_retry_after = rate_limit_default_retry;
  }
  return venue_error(response, canonical_pair, std::move(info));
}

// Bitfinex writes USDT as UST.
std::string_view to_bitfinex_asset(std::string_view code) {
  return code == "USDT" ? "UST" : code;
}
std::string_view from_bitfinex_asset(std::string_view code) {
  return code == "UST" ? "USDT" : code;
}

class bitfinex_adapter_impl final : public venue_adapter {
 public:
  std::string_view name() const override { return "bitfinex"; }
  std::string_view default_base_url() const override { return "https://api-pub.bitfinex.com"; }

  // Trading symbols are "t" + BASE + QUOTE when both codes have three letters, "tBTCUSD", and
  // "t" + BASE + ":" + QUOTE otherwise, "tDOGE:USD".
  std::optional<std::string> venue_symbol(std::string_view canonical_pair) const override {
    auto codes = parse_pair(canonical_pair);
    if (!codes) {
      return std::nullopt;
    }
    std::string_view base = to_bitfinex_asset(codes->base);
    std::string_view quote = to_bitfinex_asset(codes->quote);
    std::string symbol = "t";
    symbol += base;
    if (base.size() != 3 || quote.size() != 3) {
      symbol += ':';
    }
    symbol += quote;
    return symbol;
  }

  std::optional<std::string> canonical_pair(std::string_view symbol) const override {
    if (symbol.size() < 2 || symbol.front() != 't') {
      return std::nullopt;
    }
    symbol.remove_prefix(1);
    std::string_view base;
    std::string_view quote;
    if (auto colon = symbol.find(':'); colon != std::string_view::npos) {
      base = symbol.substr(0, colon);
      quote = symbol.substr(colon + 1);
    } else if (symbol.size() == 6) {
      base = symbol.substr(0, 3);
      quote = symbol.substr(3);
    } else {
      return std::nullopt;
    }
    auto codes = parse_pair(std::string(from_bitfinex_asset(base)) + "-" +
                            std::string(from_bitfinex_asset(quote)));
    if (!codes) {
      return std::nullopt;
    }
    return codes->canonical();
  }

  std::string request_target(std::string_view canonical_pair) const override {
    return "/v2/ticker/" + venue_symbol(canonical_pair).value_or("");
  }

  quote_result parse(const http_response& response, std::string_view canonical_pair,
                     timestamp received_at, parse_context& context) const override {
    if (auto error = check_body_not_blank(response)) {
      return *std::move(error);
    }
    if (!venue_symbol(canonical_pair)) {
      return unsupported_pair(response, name(), canonical_pair);
    }

    bitfinex_body body;
    root_kind root{};
    auto error = parse_body(
        context, response.body, root,
        [&](std::string_view key, simdjson::ondemand::value& value) {
          if (key == "error") {
            return read_scalar(value, body.object_error);
          }
          return simdjson::SUCCESS;
        },
        [&](std::size_t index, simdjson::ondemand::value& element) {
          body.count = index + 1;
          if (index < ticker_length) {
            return read_scalar(element, body.elements[index]);
          }
          return simdjson::SUCCESS;
        });
    if (error) {
      return body_error(response, error);
    }

    if (root == root_kind::object) {
      if (body.object_error.present()) {
        return classify_object_error(response, canonical_pair, body);
      }
      return root_error(response, root, "an array");
    }
    bool error_array = body.elements[0].is_string() && body.elements[0].text == "error";
    if (error_array) {
      return classify_array_error(response, canonical_pair, body);
    }
    if (!is_success_status(response.status)) {
      return status_error(response);
    }
    if (auto shape_error = check_shape(response, canonical_pair, body)) {
      return *std::move(shape_error);
    }

    ticker_fields ticker{body.elements[bid_index], body.elements[ask_index],
                         body.elements[last_index], body.elements[volume_index]};
    return make_quote(response, name(), canonical_pair, received_at, ticker, bitfinex_names,
                      price_source::book, std::nullopt);
  }

 private:
  static std::optional<fetch_error> check_shape(const http_response& response,
                                                std::string_view canonical_pair,
                                                const bitfinex_body& body) {
    // Bitfinex returns HTTP 200 [] for symbols it does not know on some endpoints.
    if (body.count == 0) {
      return pair_missing(response, canonical_pair, "the ticker array is empty");
    }
    if (body.count != ticker_length) {
      return schema_error(response, "ticker array has " + std::to_string(body.count) +
                                        " elements, expected " + std::to_string(ticker_length));
    }
    return std::nullopt;
  }
};

}  // namespace
}  // namespace adapters

const venue_adapter& bitfinex_adapter() {
  static const adapters::bitfinex_adapter_impl adapter;
  return adapter;
}

}  // namespace nimbus

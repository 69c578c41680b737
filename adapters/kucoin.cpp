#include <array>

#include "adapters/adapter_support.hpp"
#include "adapters/venues.hpp"

namespace nimbus {
namespace adapters {
namespace {

// KuCoin, GET /api/v1/market/stats?symbol=BTC-USDT, returns {"code":"200000","data":{...}} with buy
// (bid), sell (ask), last, vol (base asset, 24 hours) as strings and time in Unix milliseconds as a
// number. Any code other than "200000" is an error with a msg. The level-1 order book endpoint,
// /api/v1/market/orderbook/level1, uses bestBid, bestAsk and price instead and has no volume; its
// bodies are accepted too so that either endpoint can be configured.
struct kucoin_body {
  json_scalar code;
  json_scalar message;
  json_scalar data;  // the kind of data; its members land in the fields below
  json_scalar symbol;
  json_scalar time;
  ticker_fields ticker;
  ticker_fields level1;
};

constexpr ticker_field_names stats_names{"buy", "sell", "last", "vol"};
constexpr ticker_field_names level1_names{"bestBid", "bestAsk", "price", "vol"};

// KuCoin's per-account limit (code 200002) blocks the endpoint for 10 seconds.
constexpr std::chrono::seconds account_limit_default_retry{10};

simdjson::error_code read_data(simdjson::ondemand::value& value, kucoin_body& body) {
  if (auto error = read_scalar(value, body.data)) {
    return error;
  }
  std::array<field_slot, 9> slots{{{"symbol", &body.symbol},
                                   {"time", &body.time},
                                   {"buy", &body.ticker.bid},
                                   {"sell", &body.ticker.ask},
                                   {"last", &body.ticker.last},
                                   {"vol", &body.ticker.volume},
                                   {"bestBid", &body.level1.bid},
                                   {"bestAsk", &body.level1.ask},
                                   {"price", &body.level1.last}}};
  bool is_object = false;
  return visit_object(value, is_object,
                      [&](std::string_view key, simdjson::ondemand::value& member) {
                        return capture_field(key, member, slots);
                      });
}

// 429000 is KuCoin's overload protection, which allows an immediate retry; 200002 is the
// per-account endpoint limit.
fetch_error classify_error(const http_response& response, std::string_view canonical_pair,
                           const kucoin_body& body) {
  venue_error_info info;
  info.venue_code = code_text(body.code);
  info.message = body.message.text;
  if (info.venue_code == "429000") {
    info.category = error_category::rate_limited;
  } else if (info.venue_code == "200002") {
    info.category = error_category::rate_limited;
    info.default_retry_after = account_limit_default_retry;
  }
  return venue_error(response, canonical_pair, std::move(info));
}

class kucoin_adapter_impl final : public venue_adapter {
 public:
  std::string_view name() const override { return "kucoin"; }
  std::string_view default_base_url() const override { return "https://api.kucoin.com"; }

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
    return "/api/v1/market/stats?symbol=" + venue_symbol(canonical_pair).value_or("");
  }

  quote_result parse(const http_response& response, std::string_view canonical_pair,
                     timestamp received_at, parse_context& context) const override {
    if (auto error = check_body_not_blank(response)) {
      return *std::move(error);
    }
    auto symbol = venue_symbol(canonical_pair);
    if (!symbol) {
      return unsupported_pair(response, name(), canonical_pair);
    }

    kucoin_body body;
    root_kind root{};
    auto error = parse_body(
        context, response.body, root,
        [&](std::string_view key, simdjson::ondemand::value& value) {
          if (key == "code" || key == "msg") {
            return read_scalar(value, key == "code" ? body.code : body.message);
          }
          if (key == "data") {
            return read_data(value, body);
          }
          return simdjson::SUCCESS;
        },
        skip_element);
    if (error) {
      return body_error(response, error);
    }
    if (root != root_kind::object) {
      return root_error(response, root, "an object");
    }

    if (body.code.present() && body.code.text != "200000") {
      return classify_error(response, canonical_pair, body);
    }
    if (!is_success_status(response.status)) {
      return status_error(response);
    }
    if (auto shape_error = check_shape(response, canonical_pair, *symbol, body)) {
      return *std::move(shape_error);
    }

    std::optional<timestamp> venue_time;
    if (auto time_error = read_unix_milliseconds(response, body.time, "time", venue_time)) {
      return *std::move(time_error);
    }
    bool level1 = !body.ticker.bid.present() && body.level1.bid.present();
    if (level1) {
      body.level1.volume = body.ticker.volume;
      return make_quote(response, name(), canonical_pair, received_at, body.level1, level1_names,
                        price_source::book, venue_time);
    }
    return make_quote(response, name(), canonical_pair, received_at, body.ticker, stats_names,
                      price_source::book, venue_time);
  }

 private:
  static std::optional<fetch_error> check_shape(const http_response& response,
                                                std::string_view canonical_pair,
                                                std::string_view symbol, const kucoin_body& body) {
    if (!body.data.present()) {
      return schema_error(response, "missing field data");
    }
    if (body.data.type == json_scalar::kind::null) {
      return pair_missing(response, canonical_pair, "data is null");
    }
    if (body.data.type != json_scalar::kind::object) {
      return schema_error(
          response, "data is " + std::string(describe(body.data.type)) + ", expected an object");
    }
    if (body.symbol.is_string() && !equals_ignore_case(body.symbol.text, symbol)) {
      return pair_missing(response, canonical_pair, "symbol is " + quoted_text(body.symbol.text));
    }
    return std::nullopt;
  }
};

}  // namespace
}  // namespace adapters

const venue_adapter& kucoin_adapter() {
  static const adapters::kucoin_adapter_impl adapter;
  return adapter;
}

}  // namespace nimbus

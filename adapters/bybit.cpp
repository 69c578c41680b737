#include <array>

#include "adapters/adapter_support.hpp"
#include "adapters/venues.hpp"

namespace nimbus {
namespace adapters {
namespace {

// Bybit v5, GET /v5/market/tickers?category=spot&symbol=BTCUSDT, returns
// {"retCode":0,"retMsg":"OK","result":{"category":"spot","list":[{...}]},"time":ms} with bid1Price,
// ask1Price, lastPrice and volume24h (base asset) as strings. The tickers carry no time of their
// own, so the envelope's server time is used. Business errors come with HTTP 200 and a non-zero
// retCode, and then result is an empty object.
struct bybit_entry {
  json_scalar symbol;
  ticker_fields ticker;
};

struct bybit_body {
  json_scalar code;
  json_scalar message;
  json_scalar time;
  bool has_result = false;
  bool result_not_object = false;
  bool has_list = false;
  ticker_selection<bybit_entry> selection;
};

constexpr ticker_field_names bybit_names{"bid1Price", "ask1Price", "lastPrice", "volume24h"};

// Bybit's per-IP limit returns HTTP 403 "access too frequent" and asks clients to wait at least
// 10 minutes before the IP is released.
constexpr std::chrono::seconds ip_ban_default_retry{600};

simdjson::error_code capture_entry(std::string_view key, simdjson::ondemand::value& value,
                                   bybit_entry& entry) {
  std::array<field_slot, 5> slots{{{"symbol", &entry.symbol},
                                   {"bid1Price", &entry.ticker.bid},
                                   {"ask1Price", &entry.ticker.ask},
                                   {"lastPrice", &entry.ticker.last},
                                   {"volume24h", &entry.ticker.volume}}};
  return capture_field(key, value, slots);
}

simdjson::error_code read_result(simdjson::ondemand::value& value, std::string_view symbol,
                                 bybit_body& body) {
  body.has_result = true;
  bool is_object = false;
  auto error =
      visit_object(value, is_object, [&](std::string_view key, simdjson::ondemand::value& member) {
        if (key != "list") {
          return simdjson::SUCCESS;
        }
        body.has_list = true;
        return select_ticker(member, symbol, body.selection, capture_entry);
      });
  body.result_not_object = !is_object;
  return error;
}

// Codes from the Bybit v5 error list: 10006 "Too many visits!" is the per-UID rate limit, 10001
// is a parameter error that means an unknown pair when its message names the symbol, and 10016
// is a server timeout.
fetch_error classify_error(const http_response& response, std::string_view canonical_pair,
                           const bybit_body& body) {
  venue_error_info info;
  info.venue_code = code_text(body.code);
  info.message = body.message.text;
  if (info.venue_code == "10006") {
    info.category = error_category::rate_limited;
  } else if (info.venue_code == "10001" && contains_ignore_case(info.message, "symbol")) {
    info.category = error_category::unknown_pair;
  } else if (info.venue_code == "10016") {
    info.transient = true;
  }
  return venue_error(response, canonical_pair, std::move(info));
}

std::optional<fetch_error> check_ip_ban(const http_response& response) {
  if (response.status != 403 || !contains_ignore_case(response.body, "too frequent")) {
    return std::nullopt;
  }
  venue_error_info info;
  info.category = error_category::rate_limited;
  info.message = "HTTP 403 access too frequent";
  info.default_retry_after = ip_ban_default_retry;
  return venue_error(response, "", std::move(info));
}

class bybit_adapter_impl final : public venue_adapter {
 public:
  std::string_view name() const override { return "bybit"; }
  std::string_view default_base_url() const override { return "https://api.bybit.com"; }

  std::optional<std::string> venue_symbol(std::string_view canonical_pair) const override {
    auto codes = parse_pair(canonical_pair);
    if (!codes) {
      return std::nullopt;
    }
    return joined(*codes, "", false);
  }

  std::optional<std::string> canonical_pair(std::string_view symbol) const override {
    auto codes = split_concatenated(symbol);
    if (!codes) {
      return std::nullopt;
    }
    return codes->canonical();
  }

  std::string request_target(std::string_view canonical_pair) const override {
    return "/v5/market/tickers?category=spot&symbol=" + venue_symbol(canonical_pair).value_or("");
  }

  quote_result parse(const http_response& response, std::string_view canonical_pair,
                     timestamp received_at, parse_context& context) const override {
    if (auto error = check_body_not_blank(response)) {
      return *std::move(error);
    }
    if (auto error = check_ip_ban(response)) {
      return *std::move(error);
    }
    auto symbol = venue_symbol(canonical_pair);
    if (!symbol) {
      return unsupported_pair(response, name(), canonical_pair);
    }

    bybit_body body;
    std::array<field_slot, 3> slots{
        {{"retCode", &body.code}, {"retMsg", &body.message}, {"time", &body.time}}};
    root_kind root{};
    auto error = parse_body(
        context, response.body, root,
        [&](std::string_view key, simdjson::ondemand::value& value) {
          if (key == "result") {
            return read_result(value, *symbol, body);
          }
          return capture_field(key, value, slots);
        },
        skip_element);
    if (error) {
      return body_error(response, error);
    }
    if (root != root_kind::object) {
      return root_error(response, root, "an object");
    }

    if (body.code.present() && body.code.text != "0") {
      return classify_error(response, canonical_pair, body);
    }
    if (!is_success_status(response.status)) {
      return status_error(response);
    }
    if (auto shape_error = check_shape(response, canonical_pair, body)) {
      return *std::move(shape_error);
    }

    std::optional<timestamp> venue_time;
    if (auto time_error = read_unix_milliseconds(response, body.time, "time", venue_time)) {
      return *std::move(time_error);
    }
    return make_quote(response, name(), canonical_pair, received_at, body.selection.selected.ticker,
                      bybit_names, price_source::book, venue_time);
  }

 private:
  static std::optional<fetch_error> check_shape(const http_response& response,
                                                std::string_view canonical_pair,
                                                const bybit_body& body) {
    if (!body.has_result) {
      return schema_error(response, "missing field result");
    }
    if (body.result_not_object) {
      return schema_error(response, "result is not an object");
    }
    if (!body.has_list) {
      return schema_error(response, "missing field result.list");
    }
    return check_selection(response, canonical_pair, body.selection, "result.list");
  }
};

}  // namespace
}  // namespace adapters

const venue_adapter& bybit_adapter() {
  static const adapters::bybit_adapter_impl adapter;
  return adapter;
}

}  // namespace nimbus

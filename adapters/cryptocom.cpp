#include <array>

#include "adapters/adapter_support.hpp"
#include "adapters/venues.hpp"

namespace nimbus {
namespace adapters {
namespace {

// Crypto.com Exchange v1, GET /exchange/v1/public/get-tickers?instrument_name=BTC_USD, returns
// {"id":..,"method":"public/get-tickers","code":0,"result":{"data":[{...}]}}. Ticker keys are
// single letters: i is the instrument, b the bid, k the ask, a the LAST trade (not the ask), v
// the base volume over 24 hours and t the Unix time in milliseconds. Errors set a non-zero code
// and a message.
struct cryptocom_entry {
  json_scalar symbol;
  json_scalar time;
  ticker_fields ticker;
};

struct cryptocom_body {
  json_scalar code;
  json_scalar message;
  bool has_result = false;
  bool result_not_object = false;
  bool has_data = false;
  ticker_selection<cryptocom_entry> selection;
};

constexpr ticker_field_names cryptocom_names{"b", "k", "a", "v"};

simdjson::error_code capture_entry(std::string_view key, simdjson::ondemand::value& value,
                                   cryptocom_entry& entry) {
  std::array<field_slot, 6> slots{{{"i", &entry.symbol},
                                   {"t", &entry.time},
                                   {"b", &entry.ticker.bid},
                                   {"k", &entry.ticker.ask},
                                   {"a", &entry.ticker.last},
                                   {"v", &entry.ticker.volume}}};
  return capture_field(key, value, slots);
}

simdjson::error_code read_result(simdjson::ondemand::value& value, std::string_view symbol,
                                 cryptocom_body& body) {
  body.has_result = true;
  bool is_object = false;
  auto error =
      visit_object(value, is_object, [&](std::string_view key, simdjson::ondemand::value& member) {
        if (key != "data") {
          return simdjson::SUCCESS;
        }
        body.has_data = true;
        return select_ticker(member, symbol, body.selection, capture_entry);
      });
  body.result_not_object = !is_object;
  return error;
}

// Codes from the Crypto.com Exchange response-code table: 10006 TOO_MANY_REQUESTS, 30003
// SYMBOL_NOT_FOUND, and 10001 SYS_ERROR, which is worth retrying.
fetch_error classify_error(const http_response& response, std::string_view canonical_pair,
                           const cryptocom_body& body) {
  venue_error_info info;
  info.venue_code = code_text(body.code);
  info.message = body.message.text;
  if (info.venue_code == "10006") {
    info.category = error_category::rate_limited;
  } else if (info.venue_code == "30003") {
    info.category = error_category::unknown_pair;
  } else if (info.venue_code == "10001") {
    info.transient = true;
  }
  return venue_error(response, canonical_pair, std::move(info));
}

class cryptocom_adapter_impl final : public venue_adapter {
 public:
  std::string_view name() const override { return "cryptocom"; }
  std::string_view default_base_url() const override { return "https://api.crypto.com"; }

  std::optional<std::string> venue_symbol(std::string_view canonical_pair) const override {
    auto codes = parse_pair(canonical_pair);
    if (!codes) {
      return std::nullopt;
    }
    return joined(*codes, "_", false);
  }

  std::optional<std::string> canonical_pair(std::string_view symbol) const override {
    auto codes = split_at(symbol, '_');
    if (!codes) {
      return std::nullopt;
    }
    return codes->canonical();
  }

  std::string request_target(std::string_view canonical_pair) const override {
    return "/exchange/v1/public/get-tickers?instrument_name=" +
           venue_symbol(canonical_pair).value_or("");
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

    cryptocom_body body;
    root_kind root{};
    auto error = parse_body(
        context, response.body, root,
        [&](std::string_view key, simdjson::ondemand::value& value) {
          if (key == "code" || key == "message") {
            return read_scalar(value, key == "code" ? body.code : body.message);
          }
          if (key == "result") {
            return read_result(value, *symbol, body);
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

    if (body.code.present() && body.code.text != "0") {
      return classify_error(response, canonical_pair, body);
    }
    if (!is_success_status(response.status)) {
      return status_error(response);
    }
    if (auto shape_error = check_shape(response, canonical_pair, body)) {
      return *std::move(shape_error);
    }

    const cryptocom_entry& entry = body.selection.selected;
    std::optional<timestamp> venue_time;
    if (auto time_error = read_unix_milliseconds(response, entry.time, "t", venue_time)) {
      return *std::move(time_error);
    }
    return make_quote(response, name(), canonical_pair, received_at, entry.ticker, cryptocom_names,
                      price_source::book, venue_time);
  }

 private:
  static std::optional<fetch_error> check_shape(const http_response& response,
                                                std::string_view canonical_pair,
                                                const cryptocom_body& body) {
    if (!body.has_result) {
      return schema_error(response, "missing field result");
    }
    if (body.result_not_object) {
      return schema_error(response, "result is not an object");
    }
    if (!body.has_data) {
      return schema_error(response, "missing field result.data");
    }
    return check_selection(response, canonical_pair, body.selection, "result.data");
  }
};

}  // namespace
}  // namespace adapters

const venue_adapter& cryptocom_adapter() {
  static const adapters::cryptocom_adapter_impl adapter;
  return adapter;
}

}  // namespace nimbus

#include <array>

#include "adapters/adapter_support.hpp"
#include "adapters/venues.hpp"

namespace nimbus {
namespace adapters {
namespace {

// Bitget v2, GET /api/v2/spot/market/tickers?symbol=BTCUSDT, returns
// {"code":"00000","msg":"success","requestTime":ms,"data":[{...}]} with bidPr, askPr, lastPr,
// baseVolume and ts (Unix milliseconds), all strings. Errors come with HTTP 400, a code other than
// "00000" and "data":null.
struct bitget_entry {
  json_scalar symbol;
  json_scalar time;
  ticker_fields ticker;
};

struct bitget_body {
  json_scalar code;
  json_scalar message;
  bool has_data = false;
  ticker_selection<bitget_entry> selection;
};

constexpr ticker_field_names bitget_names{"bidPr", "askPr", "lastPr", "baseVolume"};

simdjson::error_code capture_entry(std::string_view key, simdjson::ondemand::value& value,
                                   bitget_entry& entry) {
  std::array<field_slot, 6> slots{{{"symbol", &entry.symbol},
                                   {"ts", &entry.time},
                                   {"bidPr", &entry.ticker.bid},
                                   {"askPr", &entry.ticker.ask},
                                   {"lastPr", &entry.ticker.last},
                                   {"baseVolume", &entry.ticker.volume}}};
  return capture_field(key, value, slots);
}

// Bitget reports an unknown symbol as 40034 "Parameter ... does not exist" or 42016 "symbol ... is
// Invalid or not supported". "429" is its code for too many requests.
fetch_error classify_error(const http_response& response, std::string_view canonical_pair,
                           const bitget_body& body) {
  venue_error_info info;
  info.venue_code = code_text(body.code);
  info.message = body.message.text;
  if (info.venue_code == "40034" || info.venue_code == "42016") {
    info.category = error_category::unknown_pair;
  } else if (info.venue_code == "429") {
    info.category = error_category::rate_limited;
  }
  return venue_error(response, canonical_pair, std::move(info));
}

class bitget_adapter_impl final : public venue_adapter {
 public:
  std::string_view name() const override { return "bitget"; }
  std::string_view default_base_url() const override { return "https://api.bitget.com"; }

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
    return "/api/v2/spot/market/tickers?symbol=" + venue_symbol(canonical_pair).value_or("");
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

    bitget_body body;
    root_kind root{};
    auto error = parse_body(
        context, response.body, root,
        [&](std::string_view key, simdjson::ondemand::value& value) {
          if (key == "code" || key == "msg") {
            return read_scalar(value, key == "code" ? body.code : body.message);
          }
          if (key == "data") {
            body.has_data = true;
            return select_ticker(value, *symbol, body.selection, capture_entry);
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

    if (body.code.present() && body.code.text != "00000") {
      return classify_error(response, canonical_pair, body);
    }
    if (!is_success_status(response.status)) {
      return status_error(response);
    }
    if (!body.has_data) {
      return schema_error(response, "missing field data");
    }
    if (auto selection_error = check_selection(response, canonical_pair, body.selection, "data")) {
      return *std::move(selection_error);
    }

    const bitget_entry& entry = body.selection.selected;
    std::optional<timestamp> venue_time;
    if (auto time_error = read_unix_milliseconds(response, entry.time, "ts", venue_time)) {
      return *std::move(time_error);
    }
    return make_quote(response, name(), canonical_pair, received_at, entry.ticker, bitget_names,
                      price_source::book, venue_time);
  }
};

}  // namespace
}  // namespace adapters

const venue_adapter& bitget_adapter() {
  static const adapters::bitget_adapter_impl adapter;
  return adapter;
}

}  // namespace nimbus

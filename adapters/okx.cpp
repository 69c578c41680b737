#include <array>

#include "adapters/adapter_support.hpp"
#include "adapters/venues.hpp"

namespace nimbus {
namespace adapters {
namespace {

// OKX v5, GET /api/v5/market/ticker?instId=BTC-USDT, returns {"code":"0","msg":"","data":[{...}]}
// with bidPx, askPx, last, vol24h (base asset for spot) and ts (Unix milliseconds), all strings.
// Errors keep the envelope with a code other than "0" and an empty data array. The code is a
// string in current responses and a number in some older ones.
struct okx_entry {
  json_scalar symbol;
  json_scalar time;
  ticker_fields ticker;
};

struct okx_body {
  json_scalar code;
  json_scalar message;
  bool has_data = false;
  ticker_selection<okx_entry> selection;
};

constexpr ticker_field_names okx_names{"bidPx", "askPx", "last", "vol24h"};

// OKX rate limits count requests per 2-second window (20 requests per 2 s for market tickers).
constexpr std::chrono::seconds rate_limit_default_retry{2};

simdjson::error_code capture_entry(std::string_view key, simdjson::ondemand::value& value,
                                   okx_entry& entry) {
  std::array<field_slot, 6> slots{{{"instId", &entry.symbol},
                                   {"ts", &entry.time},
                                   {"bidPx", &entry.ticker.bid},
                                   {"askPx", &entry.ticker.ask},
                                   {"last", &entry.ticker.last},
                                   {"vol24h", &entry.ticker.volume}}};
  return capture_field(key, value, slots);
}

bool is_error_code(const json_scalar& code) {
  return code.present() && !((code.is_string() || code.is_number()) && code.text == "0");
}

// Codes from the OKX v5 error list: 50011 is the rate limit, 51001 "Instrument ID does not
// exist"; 50001 (service unavailable), 50004 (endpoint timeout), 50013 (system busy) and 50026
// (system error) clear by themselves.
fetch_error classify_error(const http_response& response, std::string_view canonical_pair,
                           const okx_body& body) {
  venue_error_info info;
  info.venue_code = code_text(body.code);
  info.message = body.message.text;
  if (info.venue_code == "50011") {
    info.category = error_category::rate_limited;
    info.default_retry_after = rate_limit_default_retry;
  } else if (info.venue_code == "51001") {
    info.category = error_category::unknown_pair;
  } else if (info.venue_code == "50001" || info.venue_code == "50004" ||
             info.venue_code == "50013" || info.venue_code == "50026") {
    info.transient = true;
  }
  return venue_error(response, canonical_pair, std::move(info));
}

class okx_adapter_impl final : public venue_adapter {
 public:
  std::string_view name() const override { return "okx"; }
  std::string_view default_base_url() const override { return "https://www.okx.com"; }

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
    return "/api/v5/market/ticker?instId=" + venue_symbol(canonical_pair).value_or("");
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

    okx_body body;
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

    if (is_error_code(body.code)) {
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

    const okx_entry& entry = body.selection.selected;
    std::optional<timestamp> venue_time;
    if (auto time_error = read_unix_milliseconds(response, entry.time, "ts", venue_time)) {
      return *std::move(time_error);
    }
    return make_quote(response, name(), canonical_pair, received_at, entry.ticker, okx_names,
                      price_source::book, venue_time);
  }
};

}  // namespace
}  // namespace adapters

const venue_adapter& okx_adapter() {
  static const adapters::okx_adapter_impl adapter;
  return adapter;
}

}  // namespace nimbus

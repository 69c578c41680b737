#include <array>

#include "adapters/adapter_support.hpp"
#include "adapters/venues.hpp"

namespace nimbus {
namespace adapters {
namespace {

// Gate v4, GET /api/v4/spot/tickers?currency_pair=BTC_USDT, returns a top-level ARRAY of tickers
// with highest_bid, lowest_ask, last and base_volume as strings and no timestamp. Errors are an
// OBJECT {"label":"INVALID_CURRENCY_PAIR","message":...} sent with HTTP 4xx, so the body's JSON
// kind tells success from failure.
struct gate_entry {
  json_scalar symbol;
  ticker_fields ticker;
};

struct gate_body {
  json_scalar label;
  json_scalar message;
  ticker_selection<gate_entry> selection;
};

constexpr ticker_field_names gate_names{"highest_bid", "lowest_ask", "last", "base_volume"};

simdjson::error_code capture_entry(std::string_view key, simdjson::ondemand::value& value,
                                   gate_entry& entry) {
  std::array<field_slot, 5> slots{{{"currency_pair", &entry.symbol},
                                   {"highest_bid", &entry.ticker.bid},
                                   {"lowest_ask", &entry.ticker.ask},
                                   {"last", &entry.ticker.last},
                                   {"base_volume", &entry.ticker.volume}}};
  return capture_field(key, value, slots);
}

// Labels from Gate's v4 error list: INVALID_CURRENCY_PAIR for an unknown pair, TOO_MANY_REQUESTS
// for the rate limit, SERVER_ERROR for a failure on Gate's side.
fetch_error classify_error(const http_response& response, std::string_view canonical_pair,
                           const gate_body& body) {
  venue_error_info info;
  info.venue_code = code_text(body.label);
  info.message = body.message.text;
  if (info.venue_code == "INVALID_CURRENCY_PAIR") {
    info.category = error_category::unknown_pair;
  } else if (info.venue_code == "TOO_MANY_REQUESTS") {
    info.category = error_category::rate_limited;
  } else if (info.venue_code == "SERVER_ERROR") {
    info.transient = true;
  }
  return venue_error(response, canonical_pair, std::move(info));
}

class gate_adapter_impl final : public venue_adapter {
 public:
  std::string_view name() const override { return "gate"; }
  std::string_view default_base_url() const override { return "https://api.gateio.ws"; }

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
    return "/api/v4/spot/tickers?currency_pair=" + venue_symbol(canonical_pair).value_or("");
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

    gate_body body;
    std::array<field_slot, 2> slots{{{"label", &body.label}, {"message", &body.message}}};
    root_kind root{};
    auto error = parse_body_with_array_root(context, response.body, root, body, slots, *symbol);
    if (error) {
      return body_error(response, error);
    }

    if (root == root_kind::object) {
      if (body.label.present()) {
        return classify_error(response, canonical_pair, body);
      }
      return root_error(response, root, "an array of tickers");
    }
    if (!is_success_status(response.status)) {
      return status_error(response);
    }
    if (auto selection_error = check_selection(response, canonical_pair, body.selection, "body")) {
      return *std::move(selection_error);
    }
    return make_quote(response, name(), canonical_pair, received_at, body.selection.selected.ticker,
                      gate_names, price_source::book, std::nullopt);
  }

 private:
  // The array root is visited element by element, so the ticker selection runs per element
  // rather than through select_ticker(), which expects the array as one value.
  static simdjson::error_code parse_body_with_array_root(parse_context& context,
                                                         std::string_view text, root_kind& root,
                                                         gate_body& body,
                                                         const std::array<field_slot, 2>& slots,
                                                         std::string_view symbol) {
    auto& selection = body.selection;
    return parse_body(
        context, text, root,
        [&](std::string_view key, simdjson::ondemand::value& value) {
          return capture_field(key, value, slots);
        },
        [&](std::size_t, simdjson::ondemand::value& element) {
          gate_entry candidate;
          bool is_object = false;
          auto element_error = visit_object(
              element, is_object, [&](std::string_view key, simdjson::ondemand::value& value) {
                return capture_entry(key, value, candidate);
              });
          if (element_error) {
            return element_error;
          }
          if (!is_object) {
            selection.entry_not_object = true;
            return simdjson::SUCCESS;
          }
          record_candidate(selection, candidate, symbol);
          return simdjson::SUCCESS;
        });
  }
};

}  // namespace
}  // namespace adapters

const venue_adapter& gate_adapter() {
  static const adapters::gate_adapter_impl adapter;
  return adapter;
}

}  // namespace nimbus

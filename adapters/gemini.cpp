#include <array>

#include "adapters/adapter_support.hpp"
#include "adapters/venues.hpp"

namespace nimbus {
namespace adapters {
namespace {

// Gemini v1, GET /v1/pubticker/btcusd: bid, ask, last and a volume object keyed by asset code,
// {"BTC": base volume, "USD": quote volume, "timestamp": Unix milliseconds}. Errors are
// {"result":"error","reason":"InvalidSymbol","message":...}.
struct gemini_body {
  json_scalar result;
  json_scalar reason;
  json_scalar message;
  json_scalar time;
  bool volume_not_object = false;
  ticker_fields ticker;

  std::array<field_slot, 6> slots() {
    return {{{"result", &result},
             {"reason", &reason},
             {"message", &message},
             {"bid", &ticker.bid},
             {"ask", &ticker.ask},
             {"last", &ticker.last}}};
  }
};

constexpr ticker_field_names gemini_names{"bid", "ask", "last", "volume.<base asset>"};

simdjson::error_code read_volume(simdjson::ondemand::value& value, std::string_view base_asset,
                                 gemini_body& body) {
  bool is_object = false;
  auto error =
      visit_object(value, is_object, [&](std::string_view key, simdjson::ondemand::value& member) {
        if (key == "timestamp") {
          return read_scalar(member, body.time);
        }
        if (equals_ignore_case(key, base_asset)) {
          return read_scalar(member, body.ticker.volume);
        }
        return simdjson::SUCCESS;
      });
  body.volume_not_object = !is_object;
  return error;
}

// Reasons from Gemini's error list: InvalidSymbol, RateLimit (HTTP 429), Maintenance (HTTP 503)
// and System, a failure on Gemini's side.
fetch_error classify_error(const http_response& response, std::string_view canonical_pair,
                           const gemini_body& body) {
  venue_error_info info;
  info.venue_code = code_text(body.reason);
  info.message = body.message.text;
  if (info.venue_code == "InvalidSymbol") {
    info.category = error_category::unknown_pair;
  } else if (starts_with_ignore_case(info.venue_code, "RateLimit")) {
    info.category = error_category::rate_limited;
  } else if (info.venue_code == "Maintenance" || info.venue_code == "System") {
    info.transient = true;
  }
  return venue_error(response, canonical_pair, std::move(info));
}

class gemini_adapter_impl final : public venue_adapter {
 public:
  std::string_view name() const override { return "gemini"; }
  std::string_view default_base_url() const override { return "https://api.gemini.com"; }

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
    return "/v1/pubticker/" + venue_symbol(canonical_pair).value_or("");
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

    gemini_body body;
    auto slots = body.slots();
    root_kind root{};
    auto error = parse_body(
        context, response.body, root,
        [&](std::string_view key, simdjson::ondemand::value& value) {
          if (key == "volume") {
            return read_volume(value, codes->base, body);
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

    if (body.result.is_string() && body.result.text == "error") {
      return classify_error(response, canonical_pair, body);
    }
    if (!is_success_status(response.status)) {
      return status_error(response);
    }
    if (body.volume_not_object) {
      return schema_error(response, "volume is not an object");
    }

    std::optional<timestamp> venue_time;
    if (auto time_error =
            read_unix_milliseconds(response, body.time, "volume.timestamp", venue_time)) {
      return *std::move(time_error);
    }
    return make_quote(response, name(), canonical_pair, received_at, body.ticker, gemini_names,
                      price_source::book, venue_time);
  }
};

}  // namespace
}  // namespace adapters

const venue_adapter& gemini_adapter() {
  static const adapters::gemini_adapter_impl adapter;
  return adapter;
}

}  // namespace nimbus

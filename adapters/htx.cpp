#include <array>

#include "adapters/adapter_support.hpp"
#include "adapters/venues.hpp"

namespace nimbus {
namespace adapters {
namespace {

// HTX (formerly Huobi), GET /market/detail/merged?symbol=btcusdt, returns
// {"ch":"market.btcusdt.detail.merged","status":"ok","ts":ms,"tick":{...}} with JSON numbers:
// tick.bid = [price, size], tick.ask = [price, size], tick.close (last), tick.amount (base volume;
// tick.vol is the quote volume). Errors are in the body, usually with HTTP 200:
// {"status":"error","err-code":"invalid-parameter","err-msg":"invalid symbol"}.
struct htx_body {
  json_scalar status;
  json_scalar error_code;
  json_scalar error_message;
  json_scalar channel;
  json_scalar time;
  bool has_tick = false;
  std::string_view shape_problem;
  ticker_fields ticker;

  std::array<field_slot, 5> slots() {
    return {{{"status", &status},
             {"err-code", &error_code},
             {"err-msg", &error_message},
             {"ch", &channel},
             {"ts", &time}}};
  }
};

constexpr ticker_field_names htx_names{"tick.bid[0]", "tick.ask[0]", "tick.close", "tick.amount"};

simdjson::error_code read_side(simdjson::ondemand::value& value, std::string_view member,
                               json_scalar& price, htx_body& body) {
  std::array<json_scalar, 1> elements;
  std::size_t count = 0;
  bool is_array = false;
  auto error = capture_elements(value, is_array, elements, count);
  if (!is_array && body.shape_problem.empty()) {
    body.shape_problem = member;
  }
  price = elements[0];
  return error;
}

simdjson::error_code read_tick(simdjson::ondemand::value& value, htx_body& body) {
  body.has_tick = true;
  bool is_object = false;
  auto error =
      visit_object(value, is_object, [&](std::string_view key, simdjson::ondemand::value& member) {
        if (key == "bid") {
          return read_side(member, "tick.bid", body.ticker.bid, body);
        }
        if (key == "ask") {
          return read_side(member, "tick.ask", body.ticker.ask, body);
        }
        if (key == "close") {
          return read_scalar(member, body.ticker.last);
        }
        if (key == "amount") {
          return read_scalar(member, body.ticker.volume);
        }
        return simdjson::SUCCESS;
      });
  if (!is_object && body.shape_problem.empty()) {
    body.shape_problem = "tick";
  }
  return error;
}

// HTX err-code values: invalid-parameter, bad-request or base-symbol-error with a message about the
// symbol mean an unknown pair. timeout and gateway-internal-error are failures that clear by
// themselves, and so is any error whose message mentions "maintain".
fetch_error classify_error(const http_response& response, std::string_view canonical_pair,
                           const htx_body& body) {
  venue_error_info info;
  info.venue_code = body.error_code.present() ? code_text(body.error_code)
                                              : "status " + std::string(body.status.text);
  info.message = body.error_message.text;
  bool symbol_code = info.venue_code == "invalid-parameter" || info.venue_code == "bad-request" ||
                     info.venue_code == "base-symbol-error";
  if (symbol_code && contains_ignore_case(info.message, "symbol")) {
    info.category = error_category::unknown_pair;
  } else if (contains_ignore_case(info.venue_code, "timeout") ||
             info.venue_code == "gateway-internal-error" ||
             contains_ignore_case(info.message, "maintain")) {
    info.transient = true;
  }
  return venue_error(response, canonical_pair, std::move(info));
}

// True when channel is "market.<symbol>.detail.merged" for this symbol.
bool channel_matches(std::string_view channel, std::string_view symbol) {
  constexpr std::string_view prefix = "market.";
  constexpr std::string_view suffix = ".detail.merged";
  if (channel.size() != prefix.size() + symbol.size() + suffix.size() ||
      !channel.starts_with(prefix) || !channel.ends_with(suffix)) {
    return false;
  }
  return equals_ignore_case(channel.substr(prefix.size(), symbol.size()), symbol);
}

class htx_adapter_impl final : public venue_adapter {
 public:
  std::string_view name() const override { return "htx"; }
  std::string_view default_base_url() const override { return "https://api.huobi.pro"; }

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
    return "/market/detail/merged?symbol=" + venue_symbol(canonical_pair).value_or("");
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

    htx_body body;
    auto slots = body.slots();
    root_kind root{};
    auto error = parse_body(
        context, response.body, root,
        [&](std::string_view key, simdjson::ondemand::value& value) {
          if (key == "tick") {
            return read_tick(value, body);
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

    // A wrong path returns a Spring-style page whose status is the HTTP status as a number.
    bool status_text = body.status.is_string();
    if (status_text && body.status.text != "ok") {
      return classify_error(response, canonical_pair, body);
    }
    if (!is_success_status(response.status)) {
      return status_error(response);
    }
    if (auto shape_error = check_shape(response, canonical_pair, *symbol, body)) {
      return *std::move(shape_error);
    }

    std::optional<timestamp> venue_time;
    if (auto time_error = read_unix_milliseconds(response, body.time, "ts", venue_time)) {
      return *std::move(time_error);
    }
    return make_quote(response, name(), canonical_pair, received_at, body.ticker, htx_names,
                      price_source::book, venue_time);
  }

 private:
  static std::optional<fetch_error> check_shape(const http_response& response,
                                                std::string_view canonical_pair,
                                                std::string_view symbol, const htx_body& body) {
    if (!body.status.is_string()) {
      return schema_error(response, body.status.present()
                                        ? "status is " + std::string(describe(body.status.type)) +
                                              ", expected a string"
                                        : "missing field status");
    }
    if (body.channel.is_string() && !channel_matches(body.channel.text, symbol)) {
      return pair_missing(response, canonical_pair, "ch is " + quoted_text(body.channel.text));
    }
    if (!body.has_tick) {
      return schema_error(response, "missing field tick");
    }
    if (!body.shape_problem.empty()) {
      return schema_error(response,
                          std::string(body.shape_problem) + " is not the expected array or object");
    }
    return std::nullopt;
  }
};

}  // namespace
}  // namespace adapters

const venue_adapter& htx_adapter() {
  static const adapters::htx_adapter_impl adapter;
  return adapter;
}

}  // namespace nimbus

#include <algorithm>
#include <array>
#include <charconv>

#include "adapters/adapter_support.hpp"
#include "adapters/venues.hpp"

namespace nimbus {
namespace adapters {
namespace {

// Kraken, GET /0/public/Ticker?pair=XBTUSD, returns {"error":[],"result":{"XXBTZUSD":{...}}}. The
// result key is Kraken's internal pair name, which differs from the request (XXBTZUSD for XBTUSD,
// XBTUSDT for XBTUSDT), so the single key is taken as it is. In the ticker, a = [ask, whole lot
// volume, lot volume], b = [bid, ...], c = [last, lot volume] and v = [today, last 24 hours] in the
// base asset. There is no timestamp. Errors are "E<category>:<message>" strings in error[], sent
// with HTTP 200; entries starting with 'W' are warnings.
struct kraken_body {
  json_scalar first_error;
  bool errors_not_array = false;
  bool has_result = false;
  bool result_not_object = false;
  std::size_t result_count = 0;
  std::string_view result_key;
  std::string_view shape_problem;  // the first ticker member that is not the expected kind
  ticker_fields ticker;
};

constexpr ticker_field_names kraken_names{"b[0]", "a[0]", "c[0]", "v[1]"};

// Kraken's REST call counter at the Starter tier decays by 0.33 per second, so after a rate-limit
// error one more call is allowed roughly 3 s later.
constexpr std::chrono::seconds rate_limit_default_retry{3};

struct asset_alias {
  std::string_view canonical;
  std::string_view kraken;
};

constexpr std::array<asset_alias, 2> asset_aliases = {{{"BTC", "XBT"}, {"DOGE", "XDG"}}};

std::string_view to_kraken_asset(std::string_view code) {
  for (const asset_alias& alias : asset_aliases) {
    if (code == alias.canonical) {
      return alias.kraken;
    }
  }
  return code;
}

std::string_view from_kraken_asset(std::string_view code) {
  for (const asset_alias& alias : asset_aliases) {
    if (code == alias.kraken) {
      return alias.canonical;
    }
  }
  return code;
}

std::optional<pair> kraken_pair(std::string_view base, std::string_view quote) {
  std::string canonical(from_kraken_asset(base));
  canonical += '-';
  canonical += from_kraken_asset(quote);
  return parse_pair(canonical);
}

// Quote assets of Kraken's newer names such as XBTUSDT and SOLEUR, longest first.
constexpr std::array<std::string_view, 12> kraken_quote_assets = {
    "USDT", "USDC", "USD", "EUR", "GBP", "CAD", "JPY", "CHF", "AUD", "DAI", "XBT", "ETH"};

std::optional<pair> split_kraken_symbol(std::string_view symbol) {
  std::string upper = to_upper(symbol);
  std::string_view text = upper;

  // Legacy names are two four-letter assets, each prefixed with X (crypto) or Z (fiat): XXBTZUSD.
  bool legacy =
      text.size() == 8 && (text[0] == 'X' || text[0] == 'Z') && (text[4] == 'X' || text[4] == 'Z');
  if (legacy) {
    return kraken_pair(text.substr(1, 3), text.substr(5, 3));
  }

  for (std::string_view quote_asset : kraken_quote_assets) {
    if (text.size() > quote_asset.size() && text.ends_with(quote_asset)) {
      return kraken_pair(text.substr(0, text.size() - quote_asset.size()), quote_asset);
    }
  }
  return std::nullopt;
}

simdjson::error_code read_ticker_array(simdjson::ondemand::value& value, std::string_view member,
                                       std::size_t index, json_scalar& target, kraken_body& body) {
  std::array<json_scalar, 2> elements;
  std::size_t count = 0;
  bool is_array = false;
  auto error = capture_elements(value, is_array, elements, count);
  if (!is_array && body.shape_problem.empty()) {
    body.shape_problem = member;
  }
  target = elements[index];
  return error;
}

simdjson::error_code read_ticker(simdjson::ondemand::value& value, kraken_body& body) {
  bool is_object = false;
  auto error =
      visit_object(value, is_object, [&](std::string_view key, simdjson::ondemand::value& member) {
        if (key == "a") {
          return read_ticker_array(member, "a", 0, body.ticker.ask, body);
        }
        if (key == "b") {
          return read_ticker_array(member, "b", 0, body.ticker.bid, body);
        }
        if (key == "c") {
          return read_ticker_array(member, "c", 0, body.ticker.last, body);
        }
        if (key == "v") {
          return read_ticker_array(member, "v", 1, body.ticker.volume, body);
        }
        return simdjson::SUCCESS;
      });
  if (!is_object && body.shape_problem.empty()) {
    body.shape_problem = "the ticker";
  }
  return error;
}

simdjson::error_code read_errors(simdjson::ondemand::value& value, kraken_body& body) {
  bool is_array = false;
  auto error = visit_array(value, is_array, [&](std::size_t, simdjson::ondemand::value& element) {
    json_scalar entry;
    if (auto entry_error = read_scalar(element, entry)) {
      return entry_error;
    }
    bool is_error = entry.is_string() && !entry.text.empty() &&
                    (entry.text.front() == 'E' || entry.text.front() == 'e');
    if (is_error && !body.first_error.present()) {
      body.first_error = entry;
    }
    return simdjson::SUCCESS;
  });
  body.errors_not_array = !is_array;
  return error;
}

simdjson::error_code read_result(simdjson::ondemand::value& value, kraken_body& body) {
  body.has_result = true;
  bool is_object = false;
  auto error =
      visit_object(value, is_object, [&](std::string_view key, simdjson::ondemand::value& ticker) {
        ++body.result_count;
        if (body.result_count > 1) {
          return simdjson::SUCCESS;
        }
        body.result_key = key;
        return read_ticker(ticker, body);
      });
  body.result_not_object = !is_object;
  return error;
}

// "EService: Throttled: 1710328265" carries the Unix time when calls are allowed again.
std::optional<std::chrono::seconds> throttled_until(std::string_view message,
                                                    timestamp received_at) {
  auto colon = message.rfind(':');
  if (colon == std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view digits = message.substr(colon + 1);
  while (!digits.empty() && digits.front() == ' ') {
    digits.remove_prefix(1);
  }
  std::int64_t until = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), until);
  if (error != std::errc{} || end != digits.data() + digits.size() || until < 0) {
    return std::nullopt;
  }
  auto now = std::chrono::duration_cast<std::chrono::seconds>(received_at.time_since_epoch());
  auto wait = std::chrono::seconds{until} - now;

  // A time already past still means "throttled", so retry after a second. A day or more ahead is
  // not a plausible throttle and is ignored.
  if (wait > std::chrono::hours{24}) {
    return std::nullopt;
  }
  return std::max(wait, std::chrono::seconds{1});
}

// Splits "EService: Throttled: 1710328265" into category "EService" and message "Throttled: ...",
// dropping the space some messages have after the colon.
std::pair<std::string_view, std::string_view> split_error(std::string_view text) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos) {
    return {text, {}};
  }
  std::string_view message = text.substr(colon + 1);
  while (!message.empty() && message.front() == ' ') {
    message.remove_prefix(1);
  }
  return {text.substr(0, colon), message};
}

fetch_error classify_error(const http_response& response, std::string_view canonical_pair,
                           timestamp received_at, std::string_view text) {
  auto [category, message] = split_error(text);
  // The whole string is Kraken's code; it already contains the message.
  venue_error_info info;
  info.venue_code = std::string(text);

  // Reports from 2017 spell it "Unkown", so both spellings count.
  bool query_error = equals_ignore_case(category, "EQuery");
  bool service_error = equals_ignore_case(category, "EService");
  if (query_error && (starts_with_ignore_case(message, "Unknown asset pair") ||
                      starts_with_ignore_case(message, "Unkown asset pair"))) {
    info.category = error_category::unknown_pair;
  } else if (equals_ignore_case(category, "EAPI") &&
             starts_with_ignore_case(message, "Rate limit exceeded")) {
    info.category = error_category::rate_limited;
    info.default_retry_after = rate_limit_default_retry;
  } else if (service_error && starts_with_ignore_case(message, "Throttled")) {
    info.category = error_category::rate_limited;
    info.default_retry_after = throttled_until(message, received_at);
  } else if (service_error && (starts_with_ignore_case(message, "Unavailable") ||
                               starts_with_ignore_case(message, "Busy") ||
                               starts_with_ignore_case(message, "Deadline elapsed"))) {
    info.transient = true;
  } else if (equals_ignore_case(category, "EGeneral") &&
             starts_with_ignore_case(message, "Internal error")) {
    info.transient = true;
  }
  return venue_error(response, canonical_pair, std::move(info));
}

class kraken_adapter_impl final : public venue_adapter {
 public:
  std::string_view name() const override { return "kraken"; }
  std::string_view default_base_url() const override { return "https://api.kraken.com"; }

  std::optional<std::string> venue_symbol(std::string_view canonical_pair) const override {
    auto codes = parse_pair(canonical_pair);
    if (!codes) {
      return std::nullopt;
    }
    std::string symbol(to_kraken_asset(codes->base));
    symbol += to_kraken_asset(codes->quote);
    return symbol;
  }

  std::optional<std::string> canonical_pair(std::string_view symbol) const override {
    auto codes = split_kraken_symbol(symbol);
    if (!codes) {
      return std::nullopt;
    }
    return codes->canonical();
  }

  std::string request_target(std::string_view canonical_pair) const override {
    return "/0/public/Ticker?pair=" + venue_symbol(canonical_pair).value_or("");
  }

  quote_result parse(const http_response& response, std::string_view canonical_pair,
                     timestamp received_at, parse_context& context) const override {
    if (auto error = check_body_not_blank(response)) {
      return *std::move(error);
    }
    if (!venue_symbol(canonical_pair)) {
      return unsupported_pair(response, name(), canonical_pair);
    }

    kraken_body body;
    root_kind root{};
    auto error = parse_body(
        context, response.body, root,
        [&](std::string_view key, simdjson::ondemand::value& value) {
          if (key == "error") {
            return read_errors(value, body);
          }
          if (key == "result") {
            return read_result(value, body);
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

    if (body.first_error.present()) {
      return classify_error(response, canonical_pair, received_at, body.first_error.text);
    }
    if (!is_success_status(response.status)) {
      return status_error(response);
    }
    if (auto shape_error = check_shape(response, canonical_pair, body)) {
      return *std::move(shape_error);
    }
    return make_quote(response, name(), canonical_pair, received_at, body.ticker, kraken_names,
                      price_source::book, std::nullopt);
  }

 private:
  static std::optional<fetch_error> check_shape(const http_response& response,
                                                std::string_view canonical_pair,
                                                const kraken_body& body) {
    if (body.errors_not_array) {
      return schema_error(response, "error is not an array");
    }
    if (!body.has_result) {
      return schema_error(response, "missing field result");
    }
    if (body.result_not_object) {
      return schema_error(response, "result is not an object");
    }
    if (body.result_count == 0) {
      return pair_missing(response, canonical_pair, "result is empty");
    }
    if (body.result_count > 1) {
      return schema_error(response,
                          "result has " + std::to_string(body.result_count) + " pairs, expected 1");
    }
    if (!body.shape_problem.empty()) {
      return schema_error(response, "result." + std::string(body.result_key) + " member " +
                                        std::string(body.shape_problem) +
                                        " is not the expected array or object");
    }
    return std::nullopt;
  }
};

}  // namespace
}  // namespace adapters

const venue_adapter& kraken_adapter() {
  static const adapters::kraken_adapter_impl adapter;
  return adapter;
}

}  // namespace nimbus

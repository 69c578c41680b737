#include <array>

#include "adapters/adapter_support.hpp"
#include "adapters/venues.hpp"

namespace nimbus {
namespace adapters {
namespace {

// CoinGecko is an aggregator, not a venue with a book: GET /api/v3/simple/price?ids=bitcoin&
// vs_currencies=usd&include_24hr_vol=true&include_last_updated_at=true returns
// {"bitcoin":{"usd":64231.12,"usd_24h_vol":...,"last_updated_at":1710328265}} with JSON numbers.
// It publishes a last price only. usd_24h_vol is volume in the quote currency, so it is not used
// as base volume. The rate limit returns HTTP 429
// {"status":{"error_code":429,"error_message":...}} with a Retry-After header.
struct coin_id {
  std::string_view code;
  std::string_view id;
};

constexpr std::array<coin_id, 7> coin_ids = {{{"BTC", "bitcoin"},
                                              {"ETH", "ethereum"},
                                              {"SOL", "solana"},
                                              {"XRP", "ripple"},
                                              {"ADA", "cardano"},
                                              {"DOGE", "dogecoin"},
                                              {"LTC", "litecoin"}}};

constexpr std::array<std::string_view, 2> vs_currencies = {"USD", "EUR"};

struct coingecko_body {
  bool has_coin = false;
  bool coin_not_object = false;
  json_scalar time;
  json_scalar error_code;
  json_scalar error_message;
  json_scalar error_text;
  ticker_fields ticker;
};

std::optional<std::string_view> id_for(std::string_view code) {
  for (const coin_id& coin : coin_ids) {
    if (equals_ignore_case(code, coin.code)) {
      return coin.id;
    }
  }
  return std::nullopt;
}

std::optional<std::string_view> code_for(std::string_view id) {
  for (const coin_id& coin : coin_ids) {
    if (id == coin.id) {
      return coin.code;
    }
  }
  return std::nullopt;
}

bool is_vs_currency(std::string_view code) {
  for (std::string_view currency : vs_currencies) {
    if (equals_ignore_case(code, currency)) {
      return true;
    }
  }
  return false;
}

simdjson::error_code read_coin(simdjson::ondemand::value& value, std::string_view vs_currency,
                               coingecko_body& body) {
  body.has_coin = true;
  bool is_object = false;
  auto error =
      visit_object(value, is_object, [&](std::string_view key, simdjson::ondemand::value& member) {
        if (key == vs_currency) {
          return read_scalar(member, body.ticker.last);
        }
        if (key == "last_updated_at") {
          return read_scalar(member, body.time);
        }
        return simdjson::SUCCESS;
      });
  body.coin_not_object = !is_object;
  return error;
}

simdjson::error_code read_status(simdjson::ondemand::value& value, coingecko_body& body) {
  std::array<field_slot, 2> slots{
      {{"error_code", &body.error_code}, {"error_message", &body.error_message}}};
  bool is_object = false;
  return visit_object(value, is_object,
                      [&](std::string_view key, simdjson::ondemand::value& member) {
                        return capture_field(key, member, slots);
                      });
}

fetch_error classify_error(const http_response& response, std::string_view canonical_pair,
                           const coingecko_body& body) {
  venue_error_info info;
  if (body.error_code.present()) {
    info.venue_code = code_text(body.error_code);
    info.message = body.error_message.text;
  } else {
    info.message = body.error_text.text;
  }
  if (info.venue_code == "429") {
    info.category = error_category::rate_limited;
  }
  return venue_error(response, canonical_pair, std::move(info));
}

class coingecko_adapter_impl final : public venue_adapter {
 public:
  std::string_view name() const override { return "coingecko"; }
  std::string_view default_base_url() const override { return "https://api.coingecko.com"; }

  std::string_view supported_pairs() const override {
    return "BTC, ETH, SOL, XRP, ADA, DOGE or LTC against USD or EUR, e.g. BTC-USD";
  }

  // The symbol is "<coin id>/<vs currency>", "bitcoin/usd", because CoinGecko names coins by id.
  std::optional<std::string> venue_symbol(std::string_view canonical_pair) const override {
    auto codes = parse_pair(canonical_pair);
    if (!codes) {
      return std::nullopt;
    }
    auto id = id_for(codes->base);
    if (!id || !is_vs_currency(codes->quote)) {
      return std::nullopt;
    }
    return std::string(*id) + "/" + to_lower(codes->quote);
  }

  std::optional<std::string> canonical_pair(std::string_view symbol) const override {
    auto slash = symbol.find('/');
    if (slash == std::string_view::npos) {
      return std::nullopt;
    }
    auto code = code_for(symbol.substr(0, slash));
    std::string_view vs_currency = symbol.substr(slash + 1);
    if (!code || !is_vs_currency(vs_currency)) {
      return std::nullopt;
    }
    return std::string(*code) + "-" + to_upper(vs_currency);
  }

  std::string request_target(std::string_view canonical_pair) const override {
    auto symbol = venue_symbol(canonical_pair).value_or("/");
    auto slash = symbol.find('/');
    return "/api/v3/simple/price?ids=" + symbol.substr(0, slash) +
           "&vs_currencies=" + symbol.substr(slash + 1) +
           "&include_24hr_vol=true&include_last_updated_at=true";
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
    std::string_view symbol_text = *symbol;
    auto slash = symbol_text.find('/');
    std::string_view id = symbol_text.substr(0, slash);
    std::string_view vs_currency = symbol_text.substr(slash + 1);

    coingecko_body body;
    root_kind root{};
    auto error = parse_body(
        context, response.body, root,
        [&](std::string_view key, simdjson::ondemand::value& value) {
          if (key == id) {
            return read_coin(value, vs_currency, body);
          }
          if (key == "status") {
            return read_status(value, body);
          }
          if (key == "error") {
            return read_scalar(value, body.error_text);
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

    if (body.error_code.present() || body.error_text.present()) {
      return classify_error(response, canonical_pair, body);
    }
    if (!is_success_status(response.status)) {
      return status_error(response);
    }
    if (auto shape_error = check_shape(response, canonical_pair, id, vs_currency, body)) {
      return *std::move(shape_error);
    }

    std::optional<timestamp> venue_time;
    if (auto time_error = read_unix_seconds(response, body.time, "last_updated_at", venue_time)) {
      return *std::move(time_error);
    }
    ticker_field_names names{"", "", vs_currency, ""};
    return make_quote(response, name(), canonical_pair, received_at, body.ticker, names,
                      price_source::last_only, venue_time);
  }

 private:
  static std::optional<fetch_error> check_shape(const http_response& response,
                                                std::string_view canonical_pair,
                                                std::string_view id, std::string_view vs_currency,
                                                const coingecko_body& body) {
    // CoinGecko returns {} for ids it does not know.
    if (!body.has_coin) {
      return pair_missing(response, canonical_pair, "no entry for " + std::string(id));
    }
    if (body.coin_not_object) {
      return schema_error(response, std::string(id) + " is not an object");
    }
    if (!body.ticker.last.present()) {
      return pair_missing(response, canonical_pair,
                          std::string(id) + " has no " + std::string(vs_currency) + " price");
    }
    return std::nullopt;
  }
};

}  // namespace
}  // namespace adapters

const venue_adapter& coingecko_adapter() {
  static const adapters::coingecko_adapter_impl adapter;
  return adapter;
}

}  // namespace nimbus

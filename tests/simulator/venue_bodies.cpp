#include "tests/simulator/venue_bodies.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <functional>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "adapters/registry.hpp"
#include "pipeline/pair.hpp"

namespace nimbus::sim {
namespace {

// Values for the fields the service does not read, derived from the quote so that a body stays
// self-consistent (high above low, quote volume near base volume times price).
struct derived_fields {
  double open = 0;
  double high = 0;
  double low = 0;
  double change = 0;
  double change_ratio = 0;
  double quote_volume = 0;
  double weighted_average = 0;
  std::int64_t time_ms = 0;
};

derived_fields derive(const ticker_values& values) {
  derived_fields fields;
  double last = values.last.to_double();
  fields.open = last * 0.985;
  fields.high = std::max(values.ask.to_double(), last) * 1.012;
  fields.low = std::min(values.bid.to_double(), last) * 0.978;
  fields.change = last - fields.open;
  fields.change_ratio = fields.open > 0 ? fields.change / fields.open : 0;
  fields.quote_volume = values.base_volume.to_double() * last;
  fields.weighted_average = (fields.high + fields.low) / 2;
  fields.time_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(values.venue_time.time_since_epoch())
          .count();
  return fields;
}

// The exact decimal, with trailing zeros added up to `fraction_digits` as venues that print fixed
// precision do ("64000.1" with 8 gives "64000.10000000"). Longer fractions are kept, never rounded.
std::string padded(const decimal& value, int fraction_digits) {
  std::string text = value.to_string();
  auto point = text.find('.');
  int present = point == std::string::npos ? 0 : static_cast<int>(text.size() - point - 1);
  if (present >= fraction_digits) {
    return text;
  }
  if (point == std::string::npos) {
    text += '.';
  }
  text.append(static_cast<std::size_t>(fraction_digits - present), '0');
  return text;
}

std::string fixed(double value, int fraction_digits) {
  return fmt::format("{:.{}f}", value, fraction_digits);
}

std::string plain(const decimal& value) {
  return value.to_string();
}

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

// The ISO-8601 UTC text Coinbase sends, with nanoseconds: "2026-06-19T16:43:33.016274911Z".
std::string iso8601_nanoseconds(timestamp instant) {
  using namespace std::chrono;
  auto day = floor<days>(instant);
  year_month_day date{day};
  hh_mm_ss<nanoseconds> time{instant - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                     time.hours().count(), time.minutes().count(), time.seconds().count(),
                     time.subseconds().count());
}

struct venue_request {
  std::string_view venue;
  pair codes;
  std::string symbol;  // the venue's symbol, from the adapter
  std::string target;  // the adapter's request target
};

using body_renderer = std::function<std::string(const venue_request&, const ticker_values&)>;

std::string binance_body(const venue_request& request, const ticker_values& v) {
  if (request.target.find("/bookTicker") != std::string::npos) {
    return fmt::format(
        R"({{"symbol":"{}","bidPrice":"{}","bidQty":"0.50000000","askPrice":"{}","askQty":"0.48210000"}})",
        request.symbol, padded(v.bid, 8), padded(v.ask, 8));
  }
  auto d = derive(v);
  return fmt::format(
      R"({{"symbol":"{}","priceChange":"{}","priceChangePercent":"{}","weightedAvgPrice":"{}",)"
      R"("prevClosePrice":"{}","lastPrice":"{}","lastQty":"0.00610000","bidPrice":"{}",)"
      R"("bidQty":"0.11775000","askPrice":"{}","askQty":"0.00010000","openPrice":"{}",)"
      R"("highPrice":"{}","lowPrice":"{}","volume":"{}","quoteVolume":"{}","openTime":{},)"
      R"("closeTime":{},"firstId":28389293,"lastId":28407382,"count":18090}})",
      request.symbol, fixed(d.change, 8), fixed(d.change_ratio * 100, 3),
      fixed(d.weighted_average, 8), fixed(d.open, 8), padded(v.last, 8), padded(v.bid, 8),
      padded(v.ask, 8), fixed(d.open, 8), fixed(d.high, 8), fixed(d.low, 8),
      padded(v.base_volume, 8), fixed(d.quote_volume, 8), d.time_ms - 86'400'000, d.time_ms);
}

// MEXC copies Binance's 24hr ticker without weightedAvgPrice, lastQty and the trade ids, prints
// prices without padding, gives priceChangePercent as a ratio and sends count as null.
std::string mexc_body(const venue_request& request, const ticker_values& v) {
  auto d = derive(v);
  return fmt::format(
      R"({{"symbol":"{}","priceChange":"{}","priceChangePercent":"{}","prevClosePrice":"{}",)"
      R"("lastPrice":"{}","bidPrice":"{}","bidQty":"10.010045","askPrice":"{}",)"
      R"("askQty":"6.337532","openPrice":"{}","highPrice":"{}","lowPrice":"{}","volume":"{}",)"
      R"("quoteVolume":"{}","openTime":{},"closeTime":{},"count":null}})",
      request.symbol, fixed(d.change, 2), fixed(d.change_ratio, 4), fixed(d.open, 2), plain(v.last),
      plain(v.bid), plain(v.ask), fixed(d.open, 2), fixed(d.high, 2), fixed(d.low, 2),
      plain(v.base_volume), fixed(d.quote_volume, 2), d.time_ms - 86'400'000, d.time_ms);
}

std::string coinbase_body(const venue_request&, const ticker_values& v) {
  return fmt::format(R"({{"ask":"{}","bid":"{}","volume":"{}","trade_id":1040406588,"price":"{}",)"
                     R"("size":"0.00782662","time":"{}","rfq_volume":"31.625279"}})",
                     plain(v.ask), plain(v.bid), plain(v.base_volume), plain(v.last),
                     iso8601_nanoseconds(v.venue_time));
}

// Kraken's result key is its internal pair name: legacy X/Z-prefixed names for the old pairs,
// plain concatenation for newer ones such as XBTUSDT.
std::string kraken_result_key(const venue_request& request) {
  static const std::map<std::string, std::string, std::less<>> legacy_names = {
      {"BTC-USD", "XXBTZUSD"},
      {"ETH-USD", "XETHZUSD"},
      {"BTC-EUR", "XXBTZEUR"},
      {"ETH-EUR", "XETHZEUR"}};
  auto legacy = legacy_names.find(request.codes.canonical());
  return legacy != legacy_names.end() ? legacy->second : request.symbol;
}

std::string kraken_body(const venue_request& request, const ticker_values& v) {
  auto d = derive(v);
  return fmt::format(
      R"({{"error":[],"result":{{"{}":{{"a":["{}","1","1.000"],"b":["{}","1","1.000"],)"
      R"("c":["{}","0.00160710"],"v":["{}","{}"],"p":["{}","{}"],"t":[6405,21103],)"
      R"("l":["{}","{}"],"h":["{}","{}"],"o":"{}"}}}}}})",
      kraken_result_key(request), padded(v.ask, 5), padded(v.bid, 5), padded(v.last, 5),
      fixed(v.base_volume.to_double() * 0.28, 8), padded(v.base_volume, 8),
      fixed(d.weighted_average, 5), fixed(d.weighted_average, 5), fixed(d.low, 5), fixed(d.low, 5),
      fixed(d.high, 5), fixed(d.high, 5), fixed(d.open, 5));
}

std::string bitstamp_body(const venue_request&, const ticker_values& v) {
  auto d = derive(v);
  return fmt::format(
      R"({{"timestamp":"{}","open":"{}","high":"{}","low":"{}","last":"{}","volume":"{}",)"
      R"("vwap":"{}","bid":"{}","ask":"{}","side":"0","open_24":"{}","percent_change_24":"{}"}})",
      d.time_ms / 1000, fixed(d.open, 0), fixed(d.high, 0), fixed(d.low, 0), plain(v.last),
      plain(v.base_volume), fixed(d.weighted_average, 0), plain(v.bid), plain(v.ask),
      fixed(d.open, 0), fixed(d.change_ratio * 100, 2));
}

std::string okx_body(const venue_request& request, const ticker_values& v) {
  auto d = derive(v);
  return fmt::format(
      R"({{"code":"0","msg":"","data":[{{"instType":"SPOT","instId":"{}","last":"{}",)"
      R"("lastSz":"0.31226082","askPx":"{}","askSz":"5.93754444","bidPx":"{}","bidSz":"0.16038",)"
      R"("open24h":"{}","high24h":"{}","low24h":"{}","volCcy24h":"{}","vol24h":"{}","ts":"{}",)"
      R"("sodUtc0":"{}","sodUtc8":"{}"}}]}})",
      request.symbol, plain(v.last), plain(v.ask), plain(v.bid), fixed(d.open, 1), fixed(d.high, 1),
      fixed(d.low, 1), fixed(d.quote_volume, 8), plain(v.base_volume), d.time_ms, fixed(d.open, 1),
      fixed(d.open, 1));
}

std::string bybit_body(const venue_request& request, const ticker_values& v) {
  auto d = derive(v);
  return fmt::format(
      R"({{"retCode":0,"retMsg":"OK","result":{{"category":"spot","list":[{{"symbol":"{}",)"
      R"("bid1Price":"{}","bid1Size":"2","ask1Price":"{}","ask1Size":"1.862172","lastPrice":"{}",)"
      R"("prevPrice24h":"{}","price24hPcnt":"{}","highPrice24h":"{}","lowPrice24h":"{}",)"
      R"("turnover24h":"{}","volume24h":"{}","usdIndexPrice":"{}"}}]}},"retExtInfo":{{}},)"
      R"("time":{}}})",
      request.symbol, plain(v.bid), plain(v.ask), plain(v.last), fixed(d.open, 2),
      fixed(d.change_ratio, 4), fixed(d.high, 2), fixed(d.low, 2), fixed(d.quote_volume, 8),
      plain(v.base_volume), fixed(v.last.to_double(), 8), d.time_ms);
}

std::string gemini_body(const venue_request& request, const ticker_values& v) {
  auto d = derive(v);
  if (request.target.find("/v2/") != std::string::npos) {
    return fmt::format(R"({{"symbol":"{}","open":"{}","high":"{}","low":"{}","close":"{}",)"
                       R"("changes":["{}","{}"],"bid":"{}","ask":"{}"}})",
                       upper(request.symbol), fixed(d.open, 2), fixed(d.high, 2), fixed(d.low, 2),
                       plain(v.last), fixed(d.open, 2), plain(v.last), plain(v.bid), plain(v.ask));
  }
  return fmt::format(
      R"({{"bid":"{}","ask":"{}","last":"{}","volume":{{"{}":"{}","{}":"{}","timestamp":{}}}}})",
      plain(v.bid), plain(v.ask), plain(v.last), request.codes.base, plain(v.base_volume),
      request.codes.quote, fixed(d.quote_volume, 9), d.time_ms);
}

std::string bitfinex_body(const venue_request&, const ticker_values& v) {
  auto d = derive(v);
  return fmt::format("[{},2.55279457,{},6.36068263,{},{},{},{},{},{}]", plain(v.bid), plain(v.ask),
                     fixed(d.change, 0), fixed(d.change_ratio, 8), plain(v.last),
                     plain(v.base_volume), fixed(d.high, 0), fixed(d.low, 0));
}

std::string kucoin_body(const venue_request& request, const ticker_values& v) {
  if (request.target.find("/level1") != std::string::npos) {
    return fmt::format(
        R"({{"code":"200000","data":{{"time":{},"sequence":"4400250097","price":"{}",)"
        R"("size":"0.00001554","bestBid":"{}","bestBidSize":"1.96581687","bestAsk":"{}",)"
        R"("bestAskSize":"3.32688824"}}}})",
        derive(v).time_ms, plain(v.last), plain(v.bid), plain(v.ask));
  }
  auto d = derive(v);
  return fmt::format(
      R"({{"code":"200000","data":{{"time":{},"symbol":"{}","buy":"{}","sell":"{}",)"
      R"("changeRate":"{}","changePrice":"{}","high":"{}","low":"{}","vol":"{}","volValue":"{}",)"
      R"("last":"{}","averagePrice":"{}","takerFeeRate":"0.001","makerFeeRate":"0.001",)"
      R"("takerCoefficient":"1","makerCoefficient":"1"}}}})",
      d.time_ms, request.symbol, plain(v.bid), plain(v.ask), fixed(d.change_ratio, 4),
      fixed(d.change, 1), fixed(d.high, 1), fixed(d.low, 1), plain(v.base_volume),
      fixed(d.quote_volume, 9), plain(v.last), fixed(d.weighted_average, 8));
}

std::string gate_body(const venue_request& request, const ticker_values& v) {
  auto d = derive(v);
  return fmt::format(
      R"([{{"currency_pair":"{}","last":"{}","lowest_ask":"{}","highest_bid":"{}",)"
      R"("change_percentage":"{}","base_volume":"{}","quote_volume":"{}","high_24h":"{}",)"
      R"("low_24h":"{}"}}])",
      request.symbol, plain(v.last), plain(v.ask), plain(v.bid), fixed(d.change_ratio * 100, 2),
      plain(v.base_volume), fixed(d.quote_volume, 6), fixed(d.high, 1), fixed(d.low, 1));
}

std::string htx_body(const venue_request& request, const ticker_values& v) {
  auto d = derive(v);
  return fmt::format(
      R"({{"ch":"market.{}.detail.merged","status":"ok","ts":{},"tick":{{"id":271006617773,)"
      R"("version":271006617773,"open":{},"close":{},"low":{},"high":{},"amount":{},"vol":{},)"
      R"("count":549488,"bid":[{},1.55321],"ask":[{},0.06133773059609383]}}}})",
      request.symbol, d.time_ms, fixed(d.open, 2), plain(v.last), fixed(d.low, 2), fixed(d.high, 2),
      plain(v.base_volume), fmt::format("{:.15E}", d.quote_volume), plain(v.bid), plain(v.ask));
}

std::string cryptocom_body(const venue_request& request, const ticker_values& v) {
  auto d = derive(v);
  return fmt::format(
      R"({{"id":-1,"method":"public/get-tickers","code":0,"result":{{"data":[{{"i":"{}","h":"{}",)"
      R"("l":"{}","a":"{}","v":"{}","vv":"{}","c":"{}","b":"{}","k":"{}","oi":"0","t":{}}}]}}}})",
      request.symbol, fixed(d.high, 2), fixed(d.low, 2), plain(v.last), plain(v.base_volume),
      fixed(d.quote_volume, 2), fixed(d.change_ratio, 4), plain(v.bid), plain(v.ask), d.time_ms);
}

// NOTE: no Bitget success body was recorded. This body follows the field list of Bitget's v2 spot
// tickers documentation (bidPr, askPr, lastPr, baseVolume, ts as a millisecond string).
std::string bitget_body(const venue_request& request, const ticker_values& v) {
  auto d = derive(v);
  return fmt::format(
      R"({{"code":"00000","msg":"success","requestTime":{},"data":[{{"symbol":"{}",)"
      R"("high24h":"{}","open":"{}","lastPr":"{}","low24h":"{}","quoteVolume":"{}",)"
      R"("baseVolume":"{}","usdtVolume":"{}","ts":"{}","bidPr":"{}","askPr":"{}",)"
      R"("bidSz":"0.0663","askSz":"0.0119","openUtc":"{}","changeUtc24h":"{}","change24h":"{}"}}]}})",
      d.time_ms, request.symbol, fixed(d.high, 2), fixed(d.open, 2), plain(v.last), fixed(d.low, 2),
      fixed(d.quote_volume, 4), plain(v.base_volume), fixed(d.quote_volume, 4), d.time_ms,
      plain(v.bid), plain(v.ask), fixed(d.open, 2), fixed(d.change_ratio, 5),
      fixed(d.change_ratio, 5));
}

// The value of `name` in the query of `target`, or empty.
std::string query_value(std::string_view target, std::string_view name) {
  auto query = target.find('?');
  while (query != std::string_view::npos) {
    auto start = query + 1;
    auto end = target.find('&', start);
    auto item = target.substr(start, end == std::string_view::npos ? end : end - start);
    if (item.starts_with(name) && item.size() > name.size() && item[name.size()] == '=') {
      return std::string(item.substr(name.size() + 1));
    }
    query = end;
  }
  return {};
}

// CoinGecko keys its response by coin id and vs currency, and adds volume (in the vs currency) and
// the update time only when the request includes them.
std::string coingecko_body(const venue_request& request, const ticker_values& v) {
  auto d = derive(v);
  std::string coin_id = query_value(request.target, "ids");
  std::string vs_currency = query_value(request.target, "vs_currencies");
  std::string fields = fmt::format(R"("{}":{})", vs_currency, plain(v.last));
  if (query_value(request.target, "include_24hr_vol") == "true") {
    fields += fmt::format(R"(,"{}_24h_vol":{})", vs_currency, fixed(d.quote_volume, 6));
  }
  if (query_value(request.target, "include_last_updated_at") == "true") {
    fields += fmt::format(R"(,"last_updated_at":{})", d.time_ms / 1000);
  }
  return fmt::format(R"({{"{}":{{{}}}}})", coin_id, fields);
}

const std::map<std::string, body_renderer, std::less<>>& renderers() {
  static const std::map<std::string, body_renderer, std::less<>> table = {
      {"binance", binance_body},   {"coinbase", coinbase_body}, {"kraken", kraken_body},
      {"bitstamp", bitstamp_body}, {"okx", okx_body},           {"bybit", bybit_body},
      {"gemini", gemini_body},     {"bitfinex", bitfinex_body}, {"kucoin", kucoin_body},
      {"gate", gate_body},         {"htx", htx_body},           {"cryptocom", cryptocom_body},
      {"bitget", bitget_body},     {"mexc", mexc_body},         {"coingecko", coingecko_body},
  };
  return table;
}

venue_request describe_request(std::string_view venue, std::string_view canonical_pair) {
  const venue_adapter* adapter = find_adapter(venue);
  if (adapter == nullptr) {
    throw std::invalid_argument("unknown venue '" + std::string(venue) +
                                "'; use a name from the adapter registry, such as binance");
  }
  auto codes = parse_pair(canonical_pair);
  auto symbol = adapter->venue_symbol(canonical_pair);
  if (!codes || !symbol) {
    throw std::invalid_argument("venue '" + std::string(venue) + "' cannot quote pair '" +
                                std::string(canonical_pair) + "'");
  }
  return {adapter->name(), *codes, *symbol, adapter->request_target(canonical_pair)};
}

}  // namespace

decimal dec(std::string_view text) {
  auto value = decimal::parse(text);
  if (!value) {
    throw std::invalid_argument("invalid decimal '" + std::string(text) +
                                "'; write digits with an optional fraction, such as 64000.10");
  }
  return *value;
}

std::string route_for(std::string_view venue, std::string_view canonical_pair) {
  return describe_request(venue, canonical_pair).target;
}

std::string venue_prefix(std::string_view venue) {
  // Built by appending: GCC 12 at -O3 raises a false -Wrestrict on "/" + std::string(venue).
  std::string prefix(1, '/');
  prefix += venue;
  return prefix;
}

std::string venue_route(std::string_view venue, std::string_view canonical_pair) {
  return venue_prefix(venue) + route_for(venue, canonical_pair);
}

std::string venue_base_url(std::string_view simulator_base_url, std::string_view venue) {
  return std::string(simulator_base_url) + venue_prefix(venue);
}

std::vector<std::string> templated_venues() {
  std::vector<std::string> names;
  for (const venue_adapter* adapter : all_adapters()) {
    if (renderers().contains(adapter->name())) {
      names.emplace_back(adapter->name());
    }
  }
  return names;
}

std::string ticker_body(std::string_view venue, std::string_view canonical_pair,
                        const ticker_values& values) {
  auto request = describe_request(venue, canonical_pair);
  auto renderer = renderers().find(request.venue);
  if (renderer == renderers().end()) {
    throw std::invalid_argument("venue '" + std::string(venue) +
                                "' has no ticker template in the exchange simulator");
  }
  return renderer->second(request, values);
}

response ticker_response(std::string_view venue, std::string_view canonical_pair,
                         const ticker_values& values) {
  return json_response(200, ticker_body(venue, canonical_pair, values));
}

}  // namespace nimbus::sim

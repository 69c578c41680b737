#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <stdexcept>
#include <utility>
#include <vector>

#include "adapters/registry.hpp"
#include "tests/simulator/venue_bodies.hpp"

namespace nimbus::sim {
namespace {

// One venue's response to one error case. The body may contain $SYMBOL (the venue's symbol for the
// pair), $SYMBOL_UPPER and $TIME_MS (milliseconds since the epoch), filled in per request.
struct error_template {
  using header_list = std::vector<std::pair<std::string, std::string>>;

  error_template(int status_code, std::string_view body_text, bool recorded_body = false,
                 header_list extra_headers = {})
      : status(status_code),
        body(body_text),
        recorded(recorded_body),
        headers(std::move(extra_headers)) {}

  int status;
  std::string_view body;
  bool recorded;  // the body is a copy of a recorded response, not modelled on the envelope
  header_list headers;
};

using venue_error_table = std::map<venue_error_kind, error_template>;

// Bodies marked recorded copy a response recorded from the venue, with only the symbol and the
// timestamp replaced. The others keep the venue's recorded or documented error envelope and its
// documented code for that case, because no response of that case was recorded.
const std::map<std::string, venue_error_table, std::less<>>& error_tables() {
  using enum venue_error_kind;
  static const std::map<std::string, venue_error_table, std::less<>> tables = {
      {"binance",
       {{unavailable,
         {503,
          R"({"code":-1001,"msg":"Internal error; unable to process your request. Please try again."})"}},
        {rate_limited,
         {429,
          R"({"code":-1003,"msg":"Too much request weight used; current limit is 6000 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API."})",
          false,
          {{"Retry-After", "60"}}}},
        {unknown_pair, {400, R"({"code":-1121,"msg":"Invalid symbol."})", true}}}},
      {"mexc",
       {{unavailable,
         {503,
          R"({"code":-1001,"msg":"Internal error; unable to process your request. Please try again."})"}},
        {rate_limited,
         {429, R"({"code":429,"msg":"Too Many Requests"})", false, {{"Retry-After", "10"}}}},
        {unknown_pair, {400, R"({"code":-1121,"msg":"Invalid symbol."})"}}}},
      {"coinbase",
       {{unavailable, {503, R"({"message":"GDAX is currently under maintenance"})"}},
        {rate_limited, {429, R"({"message":"Public rate limit exceeded"})"}},
        {unknown_pair, {404, R"({ "message": "NotFound" })", true}}}},
      {"kraken",
       {{unavailable, {200, R"({"error":["EService:Unavailable"]})"}},
        {rate_limited, {200, R"({"error":["EAPI:Rate limit exceeded"]})"}},
        {unknown_pair, {200, R"({"error":["EQuery:Unknown asset pair"]})", true}}}},
      {"bitstamp",
       {{unavailable, {503, R"({"message": "Service unavailable."})"}},
        {rate_limited, {429, R"({"message": "Too many requests."})"}},
        {unknown_pair, {404, R"({"message": "Not found."})", true}}}},
      {"okx",
       {{unavailable,
         {503,
          R"({"code":"50001","data":[],"msg":"Service temporarily unavailable. Please try again later."})"}},
        {rate_limited, {429, R"({"msg":"Requests too frequent.","code":"50011"})"}},
        {unknown_pair,
         {200, R"({"code":"51001","data":[],"msg":"Instrument ID does not exist"})"}}}},
      {"bybit",
       {{unavailable,
         {200,
          R"({"retCode":10016,"retMsg":"Internal server error.","result":{},"retExtInfo":{},"time":$TIME_MS})"}},
        {rate_limited,
         {200,
          R"({"retCode":10006,"retMsg":"Too many visits!","result":{},"retExtInfo":{},"time":$TIME_MS})",
          false,
          {{"X-Bapi-Limit", "600"}, {"X-Bapi-Limit-Status", "0"}}}},
        {unknown_pair,
         {200,
          R"({"retCode":10001,"retMsg":"Not supported symbols","result":{},"retExtInfo":{},"time":$TIME_MS})",
          true}}}},
      {"gemini",
       {{unavailable,
         {503,
          R"({"result":"error","reason":"Maintenance","message":"The exchange is down for maintenance"})"}},
        {rate_limited,
         {429,
          R"({"result":"error","reason":"RateLimit","message":"Requests were made too frequently"})"}},
        {unknown_pair,
         {400,
          R"({"result":"error","reason":"InvalidSymbol","message":"Received unsupported symbol '$SYMBOL_UPPER'"})",
          true}}}},
      {"bitfinex",
       {{unavailable, {503, R"(["error",20060,"maintenance"])"}},
        {rate_limited, {429, R"({"error": "ERR_RATE_LIMIT"})"}},
        {unknown_pair, {500, R"(["error",10020,"symbol: invalid"])", true}}}},
      {"kucoin",
       {{unavailable, {503, R"({"code":"500000","msg":"Internal Server Error"})"}},
        {rate_limited, {429, R"({"code":"429000","msg":"Too Many Requests"})", true}},
        {unknown_pair, {200, R"({"code":"900001","msg":"symbol not exists"})"}}}},
      {"gate",
       {{unavailable, {503, R"({"label":"SERVER_ERROR","message":"Internal server error"})"}},
        {rate_limited,
         {429, R"({"label":"TOO_MANY_REQUESTS","message":"Request Rate limit Exceeded"})"}},
        {unknown_pair,
         {400, R"({"label":"INVALID_CURRENCY_PAIR","message":"Invalid currency pair $SYMBOL"})",
          true}}}},
      {"htx",
       {{unavailable,
         {200,
          R"({"ts":$TIME_MS,"status":"error","err-code":"gateway-internal-error","err-msg":"Failed to load data. Try again later."})"}},
        {rate_limited,
         {429,
          R"({"ts":$TIME_MS,"status":"error","err-code":"too-many-requests","err-msg":"Too many requests"})"}},
        {unknown_pair,
         {200,
          R"({"ts":$TIME_MS,"status":"error","err-code":"invalid-parameter","err-msg":"invalid symbol"})",
          true}}}},
      {"cryptocom",
       {{unavailable,
         {500, R"({"id":-1,"method":"public/get-tickers","code":10001,"message":"SYS_ERROR"})"}},
        {rate_limited,
         {429,
          R"({"id":-1,"method":"public/get-tickers","code":10006,"message":"TOO_MANY_REQUESTS"})"}},
        {unknown_pair,
         {400,
          R"({"id":-1,"method":"public/get-tickers","code":10004,"message":"BAD_REQUEST"})"}}}},
      {"bitget",
       {{unavailable,
         {503,
          R"({"code":"45001","msg":"System maintenance","requestTime":$TIME_MS,"data":null})"}},
        {rate_limited,
         {429, R"({"code":"429","msg":"Too Many Requests","requestTime":$TIME_MS,"data":null})"}},
        {unknown_pair,
         {400,
          R"({"code":"40034","msg":"Parameter $SYMBOL does not exist","requestTime":$TIME_MS,"data":null})",
          true}}}},
      {"coingecko",
       {{unavailable,
         {503, R"({"status":{"error_code":503,"error_message":"Service Unavailable"}})"}},
        {rate_limited,
         {429,
          R"({"status":{"error_code":429,"error_message":"You've exceeded the Rate Limit. Please visit https://www.coingecko.com/en/api/pricing to subscribe to our API plans for higher rate limits."}})",
          true,
          {{"retry-after", "119"}}}},
        // CoinGecko responds to unknown coin ids with an empty object and HTTP 200.
        {unknown_pair, {200, "{}"}}}},
  };
  return tables;
}

const error_template& find_template(std::string_view venue, venue_error_kind kind) {
  auto table = error_tables().find(venue);
  if (table == error_tables().end()) {
    throw std::invalid_argument("venue '" + std::string(venue) +
                                "' has no error bodies in the exchange simulator");
  }
  return table->second.at(kind);
}

void replace_all(std::string& text, std::string_view placeholder, std::string_view value) {
  for (auto at = text.find(placeholder); at != std::string::npos;
       at = text.find(placeholder, at + value.size())) {
    text.replace(at, placeholder.size(), value);
  }
}

// The venue's symbol for the pair, or the pair without its dash when the venue does not list it
// (the unknown_pair case usually requests exactly such a pair).
std::string symbol_for(std::string_view venue, std::string_view canonical_pair) {
  const venue_adapter* adapter = find_adapter(venue);
  if (adapter != nullptr) {
    if (auto symbol = adapter->venue_symbol(canonical_pair)) {
      return *symbol;
    }
  }
  std::string symbol(canonical_pair);
  std::erase(symbol, '-');
  return symbol;
}

}  // namespace

std::string_view to_string(venue_error_kind kind) {
  switch (kind) {
    case venue_error_kind::unavailable:
      return "unavailable";
    case venue_error_kind::rate_limited:
      return "rate_limited";
    case venue_error_kind::unknown_pair:
      return "unknown_pair";
  }
  return "unknown";
}

response venue_error_response(std::string_view venue, venue_error_kind kind,
                              std::string_view canonical_pair, timestamp now) {
  const error_template& chosen = find_template(venue, kind);

  std::string symbol = symbol_for(venue, canonical_pair);
  std::string symbol_upper = symbol;
  std::transform(symbol_upper.begin(), symbol_upper.end(), symbol_upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  auto time_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();

  std::string body(chosen.body);
  replace_all(body, "$SYMBOL_UPPER", symbol_upper);
  replace_all(body, "$SYMBOL", symbol);
  replace_all(body, "$TIME_MS", std::to_string(time_ms));

  response reply = json_response(chosen.status, std::move(body));
  reply.headers = chosen.headers;
  return reply;
}

bool error_body_is_recorded(std::string_view venue, venue_error_kind kind) {
  return find_template(venue, kind).recorded;
}

}  // namespace nimbus::sim

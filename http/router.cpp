#include "http/router.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "pipeline/pair.hpp"

namespace nimbus::http {
namespace {

constexpr std::string_view prices_prefix = "/v1/prices/";
constexpr std::string_view sources_suffix = "/sources";

reply error_reply(int status, std::string route, std::string_view code, std::string message) {
  reply result;
  result.status = status;
  result.route = std::move(route);
  result.owned_body = render_error(status, code, message);
  return result;
}

reply shared_reply(const std::string& route, const std::string& body,
                   const std::shared_ptr<const rendered_snapshot>& snapshot, int status = 200) {
  reply result;
  result.status = status;
  result.route = route;
  result.body_view = body;
  result.snapshot = snapshot;
  return result;
}

reply text_reply(std::string route, std::string body, std::string content_type) {
  reply result;
  result.route = std::move(route);
  result.owned_body = std::move(body);
  result.content_type = std::move(content_type);
  return result;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// Splits "a=1&b=2" into decoded pairs; nullopt names the first malformed parameter.
std::optional<std::vector<std::pair<std::string, std::string>>> parse_query(
    std::string_view query, std::string& bad_parameter) {
  std::vector<std::pair<std::string, std::string>> parameters;
  while (!query.empty()) {
    auto ampersand = query.find('&');
    std::string_view item = query.substr(0, ampersand);
    query = ampersand == std::string_view::npos ? std::string_view{} : query.substr(ampersand + 1);
    if (item.empty()) {
      continue;
    }
    auto equals = item.find('=');
    auto name = percent_decode(item.substr(0, equals));
    auto value = percent_decode(equals == std::string_view::npos ? std::string_view{}
                                                                   : item.substr(equals + 1));
    if (!name || !value) {
      bad_parameter = std::string(item);
      return std::nullopt;
    }
    parameters.emplace_back(std::move(*name), std::move(*value));
  }
  return parameters;
}

std::string upper_case(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    }
  }
  return text;
}

std::string join(const std::vector<std::string>& items) {
  std::string joined;
  for (const auto& item : items) {
    joined += joined.empty() ? item : ", " + item;
  }
  return joined;
}

reply route_history(std::string_view query,
                    const std::shared_ptr<const rendered_snapshot>& snapshot) {
  const std::string route = "/prices";
  std::string bad_parameter;
  auto parameters = parse_query(query, bad_parameter);
  if (!parameters) {
    return error_reply(400, route, "invalid_query",
                       fmt::format("malformed query parameter '{}'", bad_parameter));
  }

  const auto& supported = snapshot->history_symbols;
  std::vector<std::string> symbols = supported;
  std::size_t history_capacity = 0;
  for (const auto& [symbol, points] : *snapshot->source->history) {
    history_capacity = std::max(history_capacity, points.size());
  }
  std::size_t window = history_capacity;

  for (const auto& [name, value] : *parameters) {
    if (name == "symbol") {
      std::string symbol = upper_case(value);
      if (std::find(supported.begin(), supported.end(), symbol) == supported.end()) {
        return error_reply(400, route, "invalid_symbol",
                           fmt::format("query parameter 'symbol': unknown symbol '{}'; supported "
                                       "symbols are: {}",
                                       value, join(supported)));
      }
      symbols = {symbol};
    } else if (name == "window") {
      std::size_t parsed = 0;
      auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), parsed);
      if (error != std::errc{} || end != value.data() + value.size() || parsed == 0) {
        return error_reply(400, route, "invalid_window",
                           fmt::format("query parameter 'window': invalid value '{}'; expected a "
                                       "whole number of points from 1 up",
                                       value));
      }
      window = parsed;
    } else {
      return error_reply(400, route, "unknown_parameter",
                         fmt::format("unknown query parameter '{}'; supported parameters are "
                                     "symbol and window",
                                     name));
    }
  }
  window = std::min(window, history_capacity);
  return text_reply(route, render_history(*snapshot->source, symbols, window), "application/json");
}

reply route_pair(std::string_view rest, const std::shared_ptr<const rendered_snapshot>& snapshot) {
  bool wants_sources = rest.ends_with(sources_suffix);
  if (wants_sources) {
    rest.remove_suffix(sources_suffix.size());
  }
  std::string route = wants_sources ? "/v1/prices/{pair}/sources" : "/v1/prices/{pair}";

  // A broken %XX escape makes the URL itself invalid, so it is a bad request, not an unknown pair.
  auto decoded = percent_decode(rest);
  if (!decoded) {
    return error_reply(400, route, "invalid_path",
                       fmt::format("malformed percent-encoding in pair '{}'; write each escaped "
                                   "byte as % followed by two hex digits",
                                   rest));
  }
  auto parsed = parse_pair(*decoded);
  const auto& bodies = wants_sources ? snapshot->sources_bodies : snapshot->pair_bodies;
  auto found = parsed ? bodies.find(parsed->canonical()) : bodies.end();
  if (found == bodies.end()) {
    return error_reply(
        404, route, "unknown_pair",
        fmt::format("unknown pair '{}'; valid pairs are: {}", *decoded, snapshot->valid_pairs));
  }
  return shared_reply(route, found->second, snapshot);
}

bool is_read_method(std::string_view method) { return method == "GET" || method == "HEAD"; }

}  // namespace

std::optional<std::string> percent_decode(std::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      decoded += text[i];
      continue;
    }
    if (i + 2 >= text.size()) {
      return std::nullopt;
    }
    int high = hex_value(text[i + 1]);
    int low = hex_value(text[i + 2]);
    if (high < 0 || low < 0) {
      return std::nullopt;
    }
    decoded += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return decoded;
}

reply route_request(const request_line& request,
                    const std::shared_ptr<const rendered_snapshot>& snapshot,
                    const metrics_renderer& render_metrics) {
  std::string_view target = request.target;
  auto question = target.find('?');
  std::string_view path = target.substr(0, question);
  std::string_view query =
      question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);

  // Every route is read-only, so one method check covers them all.
  if (!is_read_method(request.method)) {
    reply result = error_reply(405, "unmatched", "method_not_allowed",
                               fmt::format("method {} is not allowed; this API accepts GET and HEAD",
                                           request.method));
    result.allow = "GET, HEAD";
    return result;
  }

  if (path == "/livez") {
    return text_reply("/livez", R"({"status":"ok"})", "application/json");
  }
  if (path == "/healthz") {
    return text_reply("/healthz", R"({"status":"ok"})", "application/json");
  }
  if (path == "/metrics") {
    return text_reply("/metrics", render_metrics ? render_metrics() : std::string{},
                      "text/plain; version=0.0.4; charset=utf-8");
  }
  if (path == "/readyz") {
    return shared_reply("/readyz", snapshot->readyz_body, snapshot, snapshot->ready ? 200 : 503);
  }
  if (path == "/v1/prices" || path == "/v1/prices/") {
    return shared_reply("/v1/prices", snapshot->prices_body, snapshot);
  }
  if (path.starts_with(prices_prefix)) {
    return route_pair(path.substr(prices_prefix.size()), snapshot);
  }
  if (path == "/v1/venues") {
    return shared_reply("/v1/venues", snapshot->venues_body, snapshot);
  }
  if (path == "/prices") {
    return route_history(query, snapshot);
  }
  return error_reply(404, "unmatched", "not_found",
                     fmt::format("no route for path '{}'; see /v1/prices, /v1/venues, /readyz, "
                                 "/metrics",
                                 path));
}

}  // namespace nimbus::http

#include "adapters/normalise_command.hpp"

#include <charconv>
#include <chrono>
#include <istream>
#include <iterator>
#include <optional>
#include <ostream>
#include <string_view>

#include "adapters/registry.hpp"
#include "pipeline/json_writer.hpp"
#include "pipeline/pair.hpp"

namespace nimbus {
namespace {

constexpr std::string_view usage_text =
    "usage: nimbus-signals normalise --venue NAME --pair BASE-QUOTE [--status CODE] "
    "[--retry-after SECONDS] < body.json\n"
    "  Parses one venue response body from standard input and prints the quote or the error as "
    "one JSON object.\n"
    "  --venue NAME           registry name of the venue, e.g. binance\n"
    "  --pair BASE-QUOTE      canonical pair, e.g. BTC-USDT\n"
    "  --status CODE          HTTP status of the response, 100..599 (default 200)\n"
    "  --retry-after SECONDS  value of the response's Retry-After header, whole seconds\n"
    "  Exit status: 0 for a quote, 2 for a venue or body error, 64 for a usage error.\n";

struct normalise_options {
  std::string venue;
  std::string pair;
  int status = 200;
  std::optional<std::chrono::seconds> retry_after;
  bool help = false;
};

std::optional<long long> parse_whole_number(std::string_view text) {
  long long value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

std::string venue_list() {
  std::string names;
  for (const venue_adapter* adapter : all_adapters()) {
    names += names.empty() ? "" : ", ";
    names += adapter->name();
  }
  return names;
}

// Stores one flag's value; returns an error message or an empty string.
std::string apply_flag(std::string_view flag, std::string_view value, normalise_options& options) {
  if (flag == "--venue") {
    options.venue = value;
  } else if (flag == "--pair") {
    options.pair = value;
  } else if (flag == "--status") {
    auto status = parse_whole_number(value);
    if (!status || *status < 100 || *status > 599) {
      return "invalid --status \"" + std::string(value) + "\": expected an HTTP status 100..599";
    }
    options.status = static_cast<int>(*status);
  } else if (flag == "--retry-after") {
    auto seconds = parse_whole_number(value);
    if (!seconds || *seconds < 0) {
      return "invalid --retry-after \"" + std::string(value) +
             "\": expected a whole number of seconds, 0 or more";
    }
    options.retry_after = std::chrono::seconds{*seconds};
  } else {
    return "unknown option \"" + std::string(flag) + "\"";
  }
  return {};
}

// Reads "--flag value" and "--flag=value" words; returns an error message or an empty string.
std::string parse_options(const std::vector<std::string>& args, normalise_options& options) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view word = args[i];
    if (word == "--help" || word == "-h") {
      options.help = true;
      return {};
    }
    auto equals = word.find('=');
    if (word.starts_with("--") && equals != std::string_view::npos) {
      if (auto error = apply_flag(word.substr(0, equals), word.substr(equals + 1), options);
          !error.empty()) {
        return error;
      }
      continue;
    }
    if (i + 1 >= args.size()) {
      return word.starts_with("--") ? "option \"" + std::string(word) + "\" needs a value"
                                    : "unexpected argument \"" + std::string(word) + "\"";
    }
    if (auto error = apply_flag(word, args[i + 1], options); !error.empty()) {
      return error;
    }
    ++i;
  }
  if (options.venue.empty()) {
    return "missing --venue; valid venues: " + venue_list();
  }
  if (options.pair.empty()) {
    return "missing --pair, e.g. --pair BTC-USD";
  }
  return {};
}

void append_optional_decimal(json_writer& writer, std::string_view key,
                             const std::optional<decimal>& value) {
  writer.key(key);
  if (value) {
    writer.raw(value->to_string());
  } else {
    writer.null();
  }
}

std::string render_quote(const quote& result) {
  std::string text;
  json_writer writer(text);
  writer.begin_object();
  writer.key("venue").string(result.venue);
  writer.key("pair").string(result.pair);
  append_optional_decimal(writer, "bid", result.bid);
  append_optional_decimal(writer, "ask", result.ask);
  append_optional_decimal(writer, "last", result.last);
  append_optional_decimal(writer, "base_volume_24h", result.base_volume_24h);
  writer.key("venue_time");
  if (result.venue_time) {
    writer.string(format_rfc3339(*result.venue_time));
  } else {
    writer.null();
  }
  writer.key("received_at").string(format_rfc3339(result.received_at));
  writer.end_object();
  return text;
}

std::string render_error(std::string_view venue, std::string_view pair, const fetch_error& error) {
  std::string text;
  json_writer writer(text);
  writer.begin_object();
  writer.key("venue").string(venue);
  writer.key("pair").string(pair);
  writer.key("error").begin_object();
  writer.key("category").string(to_string(error.category));
  writer.key("detail").string(error.detail);
  writer.key("http_status").integer(error.http_status);
  writer.key("venue_code");
  if (error.venue_code.empty()) {
    writer.null();
  } else {
    writer.string(error.venue_code);
  }
  writer.key("retry_after_seconds");
  if (error.retry_after) {
    writer.integer(error.retry_after->count());
  } else {
    writer.null();
  }
  writer.key("transient").boolean(error.transient);
  writer.end_object();
  writer.end_object();
  return text;
}

int usage_error(std::ostream& err, std::string_view message) {
  err << "normalise: " << message << "\n" << usage_text;
  return normalise_exit_usage;
}

}  // namespace

int run_normalise_command(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                          std::ostream& err) {
  normalise_options options;
  if (auto error = parse_options(args, options); !error.empty()) {
    return usage_error(err, error);
  }
  if (options.help) {
    out << usage_text;
    return normalise_exit_quote;
  }

  const venue_adapter* adapter = find_adapter(options.venue);
  if (adapter == nullptr) {
    return usage_error(err,
                       "unknown venue \"" + options.venue + "\"; valid venues: " + venue_list());
  }
  auto canonical = parse_pair(options.pair);
  if (!canonical || !adapter->venue_symbol(canonical->canonical())) {
    return usage_error(err, std::string(adapter->name()) + " cannot quote pair \"" + options.pair +
                                "\"; it supports " + std::string(adapter->supported_pairs()));
  }
  std::string pair = canonical->canonical();

  std::string body{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  http_response response{options.status, body, options.retry_after};
  auto received_at =
      std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
  parse_context context;
  quote_result result = adapter->parse(response, pair, received_at, context);

  if (const auto* parsed = std::get_if<quote>(&result)) {
    out << render_quote(*parsed) << "\n";
    return normalise_exit_quote;
  }
  out << render_error(adapter->name(), pair, std::get<fetch_error>(result)) << "\n";
  return normalise_exit_fetch_error;
}

}  // namespace nimbus

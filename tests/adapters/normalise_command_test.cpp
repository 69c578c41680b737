// run_normalise_command() called directly: output JSON, exit codes and usage errors.
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "adapters/normalise_command.hpp"
#include "tests/adapters/test_support.hpp"

namespace nimbus::testing {
namespace {

struct command_run {
  int exit_code = -1;
  std::string out;
  std::string err;
};

command_run run(const std::vector<std::string>& args, std::string_view body = "") {
  std::istringstream in{std::string(body)};
  std::ostringstream out;
  std::ostringstream err;
  command_run result;
  result.exit_code = run_normalise_command(args, in, out, err);
  result.out = out.str();
  result.err = err.str();
  return result;
}

// Parses the command's output with simdjson, which also checks UTF-8; fails the test when the
// output is not one JSON object followed by a newline.
simdjson::dom::element parse_output(simdjson::dom::parser& parser, const std::string& out) {
  EXPECT_FALSE(out.empty());
  EXPECT_EQ(out.back(), '\n');
  simdjson::dom::element root;
  auto error = parser.parse(out).get(root);
  EXPECT_EQ(error, simdjson::SUCCESS) << simdjson::error_message(error) << " in " << out;
  return root;
}

std::string raw_number(const std::string& out, std::string_view key) {
  // Prices must be printed exactly as decimal::to_string() prints them, which a JSON parser
  // would hide by converting to double, so the raw text is cut out of the output.
  std::string marker = "\"" + std::string(key) + "\":";
  auto start = out.find(marker);
  if (start == std::string::npos) {
    return "<missing>";
  }
  start += marker.size();
  auto end = out.find_first_of(",}", start);
  return out.substr(start, end - start);
}

TEST(NormaliseCommand, PrintsQuoteWithExactDecimals) {
  std::string body = read_fixture("binance", "ticker_24hr_btcusdt.json");

  command_run result = run({"--venue", "binance", "--pair", "BTC-USDT"}, body);

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(raw_number(result.out, "bid"), "73267.15");
  EXPECT_EQ(raw_number(result.out, "ask"), "73345.89");
  EXPECT_EQ(raw_number(result.out, "last"), "73346.14");
  EXPECT_EQ(raw_number(result.out, "base_volume_24h"), "129.21293");
  simdjson::dom::parser parser;
  auto root = parse_output(parser, result.out);
  EXPECT_EQ(std::string_view(root["venue"]), "binance");
  EXPECT_EQ(std::string_view(root["pair"]), "BTC-USDT");
  EXPECT_EQ(std::string_view(root["venue_time"]), "2024-03-13T11:10:44.727Z");
  std::string_view received_at = root["received_at"];
  EXPECT_TRUE(parse_iso8601(received_at).has_value()) << received_at;
}

TEST(NormaliseCommand, PrintsNullForAbsentFields) {
  std::string body = read_fixture("coingecko", "simple_price_btc_eth.json");

  command_run result = run({"--venue=coingecko", "--pair=eth-usd"}, body);

  EXPECT_EQ(result.exit_code, 0) << result.err;
  simdjson::dom::parser parser;
  auto root = parse_output(parser, result.out);
  EXPECT_EQ(std::string_view(root["pair"]), "ETH-USD");
  EXPECT_TRUE(root["bid"].is_null());
  EXPECT_TRUE(root["ask"].is_null());
  EXPECT_TRUE(root["base_volume_24h"].is_null());
  EXPECT_TRUE(root["venue_time"].is_null());
  EXPECT_EQ(raw_number(result.out, "last"), "3955.02");
}

TEST(NormaliseCommand, PrintsErrorObjectAndExitsTwo) {
  std::string body = read_fixture("coingecko", "error_rate_limit.json");

  command_run result =
      run({"--venue", "coingecko", "--pair", "BTC-USD", "--status", "429", "--retry-after", "119"},
          body);

  EXPECT_EQ(result.exit_code, 2);
  simdjson::dom::parser parser;
  auto root = parse_output(parser, result.out);
  auto error = root["error"];
  EXPECT_EQ(std::string_view(error["category"]), "rate_limited");
  EXPECT_EQ(int64_t(error["http_status"]), 429);
  EXPECT_EQ(std::string_view(error["venue_code"]), "429");
  EXPECT_EQ(int64_t(error["retry_after_seconds"]), 119);
  EXPECT_TRUE(bool(error["transient"]));
  EXPECT_NE(std::string_view(error["detail"]).find("Rate Limit"), std::string_view::npos);
}

TEST(NormaliseCommand, ErrorWithoutCodePrintsNulls) {
  command_run result = run({"--venue", "okx", "--pair", "BTC-USDT"}, "");

  EXPECT_EQ(result.exit_code, 2);
  simdjson::dom::parser parser;
  auto root = parse_output(parser, result.out);
  EXPECT_EQ(std::string_view(root["error"]["category"]), "malformed_body");
  EXPECT_TRUE(root["error"]["venue_code"].is_null());
  EXPECT_TRUE(root["error"]["retry_after_seconds"].is_null());
}

TEST(NormaliseCommand, EscapesAnyBytesInDetail) {
  std::string body = "<html>\"quoted\" back\\slash \x01\x1f tab\t \xff\xfe bytes";

  command_run result = run({"--venue", "kraken", "--pair", "BTC-USD", "--status", "200"}, body);

  EXPECT_EQ(result.exit_code, 2);
  simdjson::dom::parser parser;
  auto root = parse_output(parser, result.out);
  std::string_view detail = root["error"]["detail"];
  EXPECT_NE(detail.find("\"quoted\" back\\slash"), std::string_view::npos) << detail;
}

TEST(NormaliseCommand, EscapesVenueMessages) {
  std::string body = R"({"code":-1121,"msg":"bad \"symbol\" \u0007 \\ é"})";

  command_run result = run({"--venue", "binance", "--pair", "BTC-USDT", "--status", "400"}, body);

  EXPECT_EQ(result.exit_code, 2);
  simdjson::dom::parser parser;
  auto root = parse_output(parser, result.out);
  EXPECT_EQ(std::string_view(root["error"]["category"]), "unknown_pair");
  std::string_view detail = root["error"]["detail"];
  EXPECT_NE(detail.find("bad \"symbol\" ? \\ é"), std::string_view::npos) << detail;
}

TEST(NormaliseCommand, UnknownVenueListsValidVenues) {
  command_run result = run({"--venue", "nasdaq", "--pair", "BTC-USD"});

  EXPECT_EQ(result.exit_code, 64);
  EXPECT_TRUE(result.out.empty());
  EXPECT_NE(result.err.find("unknown venue \"nasdaq\""), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("binance, coinbase, kraken"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("coingecko"), std::string::npos) << result.err;
}

TEST(NormaliseCommand, UnsupportedPairNamesSupportedPairs) {
  command_run result = run({"--venue", "coingecko", "--pair", "PEPE-USD"});

  EXPECT_EQ(result.exit_code, 64);
  EXPECT_NE(result.err.find("coingecko cannot quote pair \"PEPE-USD\""), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("BTC, ETH"), std::string::npos) << result.err;
}

TEST(NormaliseCommand, MalformedPairIsUsageError) {
  command_run result = run({"--venue", "binance", "--pair", "BTCUSDT"});

  EXPECT_EQ(result.exit_code, 64);
  EXPECT_NE(result.err.find("BASE-QUOTE"), std::string::npos) << result.err;
}

TEST(NormaliseCommand, MissingFlagsAreUsageErrors) {
  command_run no_venue = run({"--pair", "BTC-USD"});
  command_run no_pair = run({"--venue", "binance"});
  command_run no_value = run({"--venue"});

  EXPECT_EQ(no_venue.exit_code, 64);
  EXPECT_NE(no_venue.err.find("missing --venue"), std::string::npos) << no_venue.err;
  EXPECT_EQ(no_pair.exit_code, 64);
  EXPECT_NE(no_pair.err.find("missing --pair"), std::string::npos) << no_pair.err;
  EXPECT_EQ(no_value.exit_code, 64);
  EXPECT_NE(no_value.err.find("needs a value"), std::string::npos) << no_value.err;
}

TEST(NormaliseCommand, InvalidNumbersAreUsageErrors) {
  command_run bad_status = run({"--venue", "binance", "--pair", "BTC-USDT", "--status", "20x"});
  command_run big_status = run({"--venue", "binance", "--pair", "BTC-USDT", "--status", "600"});
  command_run negative = run({"--venue", "binance", "--pair", "BTC-USDT", "--retry-after", "-1"});
  command_run unknown = run({"--venue", "binance", "--pair", "BTC-USDT", "--verbose", "1"});

  EXPECT_EQ(bad_status.exit_code, 64);
  EXPECT_NE(bad_status.err.find("invalid --status \"20x\""), std::string::npos);
  EXPECT_EQ(big_status.exit_code, 64);
  EXPECT_EQ(negative.exit_code, 64);
  EXPECT_NE(negative.err.find("invalid --retry-after"), std::string::npos);
  EXPECT_EQ(unknown.exit_code, 64);
  EXPECT_NE(unknown.err.find("unknown option \"--verbose\""), std::string::npos);
}

TEST(NormaliseCommand, HelpPrintsUsage) {
  command_run result = run({"--help"});

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("usage: nimbus-signals normalise"), std::string::npos);
}

}  // namespace
}  // namespace nimbus::testing

#include "pipeline/config.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <simdjson.h>

namespace nimbus {
namespace {

using std::chrono::milliseconds;

// Two made-up venues: alpha quotes BTC-USD and ETH-USD, beta quotes BTC-USDT.
std::vector<known_venue> test_venues() {
  auto quotes_any_of = [](std::vector<std::string> pairs) {
    return [pairs](std::string_view pair) {
      return std::find(pairs.begin(), pairs.end(), pair) != pairs.end();
    };
  };
  return {
      {"alpha", "https://api.alpha.example", quotes_any_of({"BTC-USD", "ETH-USD"}), {}},
      {"beta", "https://api.beta.example", quotes_any_of({"BTC-USDT"}), {}},
  };
}

config_result parse(std::string_view yaml_text) {
  return parse_config(yaml_text, "test.yaml", test_venues());
}

// The parsed configuration; fails the test with the loader's message when it was rejected.
service_config parse_valid(std::string_view yaml_text) {
  auto result = parse(yaml_text);
  if (const auto* error = std::get_if<config_error>(&result)) {
    ADD_FAILURE() << "rejected: " << error->message;
    return {};
  }
  return std::get<service_config>(result);
}

// The loader's message; fails the test when the configuration was accepted.
std::string rejection_of(std::string_view yaml_text) {
  auto result = parse(yaml_text);
  if (!std::holds_alternative<config_error>(result)) {
    ADD_FAILURE() << "accepted:\n" << yaml_text;
    return {};
  }
  return std::get<config_error>(result).message;
}

const venue_config* find_venue(const service_config& config, const std::string& name) {
  for (const auto& venue : config.venues) {
    if (venue.name == name) {
      return &venue;
    }
  }
  return nullptr;
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// Defaults

TEST(ParseConfig, EmptyTextGivesDefaults) {
  auto config = parse_valid("");

  EXPECT_EQ(config.listen, "0.0.0.0:8080");
  EXPECT_EQ(config.admin_listen, "");
  EXPECT_EQ(config.log_level, "info");
  EXPECT_EQ(config.history_size, 3'600u);
  EXPECT_EQ(config.default_policy.max_quote_age, milliseconds{10'000});
  EXPECT_EQ(config.default_policy.min_venues, 3);
  EXPECT_DOUBLE_EQ(config.default_policy.outlier_threshold_bps, 100);
  EXPECT_EQ(config.breaker.failure_threshold, 5);
  EXPECT_TRUE(config.pair_policies.empty());
}

TEST(ParseConfig, EmptyTextPollsEveryKnownVenue) {
  auto config = parse_valid("");

  ASSERT_EQ(config.venues.size(), 2u);
  const auto* alpha = find_venue(config, "alpha");
  ASSERT_NE(alpha, nullptr);
  EXPECT_EQ(alpha->base_url, "https://api.alpha.example");
  EXPECT_EQ(alpha->pairs, (std::vector<std::string>{"BTC-USD", "ETH-USD"}));
  EXPECT_TRUE(alpha->enabled);
  const auto* beta = find_venue(config, "beta");
  ASSERT_NE(beta, nullptr);
  EXPECT_EQ(beta->pairs, (std::vector<std::string>{"BTC-USDT"}));
}

TEST(DefaultConfig, UsesVenueDefaultPairsWhenGiven) {
  auto venues = test_venues();
  venues[0].default_pairs = {"ETH-USD"};

  auto config = default_config(venues);

  ASSERT_EQ(config.venues.size(), 2u);
  EXPECT_EQ(config.venues[0].pairs, (std::vector<std::string>{"ETH-USD"}));
  EXPECT_EQ(config.venues[1].pairs, (std::vector<std::string>{"BTC-USDT"}));
}

TEST(DefaultConfig, MatchesEmptyText) {
  auto config = default_config(test_venues());

  EXPECT_EQ(config_to_json(config), config_to_json(parse_valid("")));
}

TEST(ParseConfig, CommentsOnlyGiveDefaults) {
  auto config = parse_valid("# nothing configured\n");

  EXPECT_EQ(config.venues.size(), 2u);
}

// Rejections

TEST(ParseConfig, RejectsUnknownTopLevelKey) {
  auto message = rejection_of("listen: \"127.0.0.1:9000\"\ncolour: blue\n");

  EXPECT_TRUE(contains(message, "colour")) << message;
  EXPECT_TRUE(contains(message, "test.yaml:2")) << message;
  EXPECT_TRUE(contains(message, "allowed keys")) << message;
}

TEST(ParseConfig, RejectsUnknownNestedKey) {
  auto message = rejection_of("defaults:\n  poll_interval_ms: 500\n  poll_intervall_ms: 500\n");

  EXPECT_TRUE(contains(message, "defaults.poll_intervall_ms")) << message;
  EXPECT_TRUE(contains(message, "test.yaml:3")) << message;
}

TEST(ParseConfig, RejectsUnknownVenueListingKnownOnes) {
  auto message = rejection_of("venues:\n  gamma: {}\n");

  EXPECT_TRUE(contains(message, "gamma")) << message;
  EXPECT_TRUE(contains(message, "alpha, beta")) << message;
  EXPECT_TRUE(contains(message, "test.yaml:2")) << message;
}

struct range_case {
  std::string name;
  std::string yaml;
  std::string key;
  std::string value;
  std::string range;
  friend void PrintTo(const range_case& value, std::ostream* out) { *out << value.name; }
};

class ParseConfigRange : public testing::TestWithParam<range_case> {};

TEST_P(ParseConfigRange, RejectsOutOfRangeValue) {
  auto message = rejection_of(GetParam().yaml);

  EXPECT_TRUE(contains(message, GetParam().key)) << message;
  EXPECT_TRUE(contains(message, "invalid value " + GetParam().value)) << message;
  EXPECT_TRUE(contains(message, GetParam().range)) << message;
}

INSTANTIATE_TEST_SUITE_P(
    Values, ParseConfigRange,
    testing::Values(range_case{"PollIntervalTooShort", "defaults:\n  poll_interval_ms: 5\n",
                               "defaults.poll_interval_ms", "5", "100 to 3600000 milliseconds"},
                    range_case{"MinVenuesZero", "defaults:\n  min_venues: 0\n",
                               "defaults.min_venues", "0", "1 to 50 venues"},
                    range_case{"OutlierThresholdZero", "defaults:\n  outlier_threshold_bps: 0\n",
                               "defaults.outlier_threshold_bps", "0", "1 to 10000 basis points"},
                    range_case{"RestartMultiplierBelowOne",
                               "supervision:\n  restart_multiplier: 0.5\n",
                               "supervision.restart_multiplier", "0.5", "1 to 10"},
                    range_case{"VenuePollIntervalTooShort",
                               "venues:\n  alpha:\n    poll_interval_ms: 99\n",
                               "venues.alpha.poll_interval_ms", "99", "100 to 3600000"},
                    range_case{"PairMinVenuesTooMany", "pairs:\n  BTC-USD:\n    min_venues: 51\n",
                               "pairs.BTC-USD.min_venues", "51", "1 to 50"},
                    range_case{"HistorySizeZero", "history_size: 0\n", "history_size", "0",
                               "1 to 1000000 entries"},
                    range_case{"BreakerThresholdZero", "breaker:\n  failure_threshold: 0\n",
                               "breaker.failure_threshold", "0", "1 to 1000"}),
    [](const testing::TestParamInfo<range_case>& case_info) { return case_info.param.name; });

TEST(ParseConfig, RejectsNonNumericValue) {
  auto message = rejection_of("defaults:\n  min_venues: three\n");

  EXPECT_TRUE(contains(message, "defaults.min_venues")) << message;
  EXPECT_TRUE(contains(message, "'three'")) << message;
  EXPECT_TRUE(contains(message, "whole number")) << message;
}

TEST(ParseConfig, RejectsFractionForWholeNumber) {
  auto message = rejection_of("defaults:\n  poll_interval_ms: 250.5\n");

  EXPECT_TRUE(contains(message, "'250.5'")) << message;
}

TEST(ParseConfig, RejectsInvalidLogLevel) {
  auto message = rejection_of("log_level: verbose\n");

  EXPECT_TRUE(contains(message, "'verbose'")) << message;
  EXPECT_TRUE(contains(message, "debug, info, warn or error")) << message;
}

TEST(ParseConfig, RejectsInvalidPair) {
  auto message = rejection_of("venues:\n  alpha:\n    pairs: [BTCUSD]\n");

  EXPECT_TRUE(contains(message, "venues.alpha.pairs")) << message;
  EXPECT_TRUE(contains(message, "invalid pair 'BTCUSD'")) << message;
}

TEST(ParseConfig, RejectsPairVenueDoesNotQuote) {
  auto message = rejection_of("venues:\n  beta:\n    pairs: [ETH-USD]\n");

  EXPECT_TRUE(contains(message, "venue beta does not quote pair ETH-USD")) << message;
}

TEST(ParseConfig, RejectsEmptyPairList) {
  auto message = rejection_of("venues:\n  alpha:\n    pairs: []\n");

  EXPECT_TRUE(contains(message, "non-empty list")) << message;
}

TEST(ParseConfig, RejectsInvalidPairOverride) {
  auto message = rejection_of("pairs:\n  BTC/USD:\n    min_venues: 2\n");

  EXPECT_TRUE(contains(message, "invalid pair 'BTC/USD'")) << message;
}

struct address_case {
  std::string name;
  std::string yaml;
  std::string expected;  // a part of the message
  friend void PrintTo(const address_case& value, std::ostream* out) { *out << value.name; }
};

class ParseConfigAddress : public testing::TestWithParam<address_case> {};

TEST_P(ParseConfigAddress, RejectsAddress) {
  auto message = rejection_of(GetParam().yaml);

  EXPECT_TRUE(contains(message, GetParam().expected)) << message;
}

INSTANTIATE_TEST_SUITE_P(
    Listeners, ParseConfigAddress,
    testing::Values(
        address_case{"AdminOnAllInterfaces", "admin_listen: \"0.0.0.0:9091\"\n",
                     "invalid address '0.0.0.0:9091'"},
        address_case{"AdminOnPublicAddress", "admin_listen: \"10.1.2.3:9091\"\n",
                     "loopback address"},
        address_case{"AdminOnHostNameStartingWith127", "admin_listen: \"127.example.com:9091\"\n",
                     "must be an IP address"},
        address_case{"ListenOnHostName", "listen: \"example.com:8080\"\n",
                     "must be an IP address"},
        address_case{"ListenPortTooLarge", "listen: \"0.0.0.0:99999\"\n", "invalid port '99999'"},
        address_case{"ListenPortNotNumeric", "listen: \"0.0.0.0:http\"\n", "invalid port 'http'"},
        address_case{"ListenWithoutPort", "listen: \"0.0.0.0\"\n", "expected HOST:PORT"},
        address_case{"ListenEmptyPort", "listen: \"0.0.0.0:\"\n", "expected HOST:PORT"},
        address_case{"ListenWithoutHost", "listen: \":8080\"\n", "expected HOST:PORT"}),
    [](const testing::TestParamInfo<address_case>& case_info) { return case_info.param.name; });

TEST(ParseConfig, AcceptsLoopbackAdminListen) {
  EXPECT_EQ(parse_valid("admin_listen: \"127.0.0.1:9091\"\n").admin_listen, "127.0.0.1:9091");
  EXPECT_EQ(parse_valid("admin_listen: \"[::1]:9091\"\n").admin_listen, "[::1]:9091");
  EXPECT_EQ(parse_valid("admin_listen: \"localhost:9091\"\n").admin_listen, "localhost:9091");
  EXPECT_EQ(parse_valid("admin_listen: \"\"\n").admin_listen, "");
}

TEST(ParseConfig, AcceptsListenPortZero) {
  EXPECT_EQ(parse_valid("listen: \"127.0.0.1:0\"\n").listen, "127.0.0.1:0");
}

TEST(ParseConfig, RejectsBaseUrlWithoutScheme) {
  auto message = rejection_of("venues:\n  alpha:\n    base_url: api.alpha.example\n");

  EXPECT_TRUE(contains(message, "venues.alpha.base_url")) << message;
  EXPECT_TRUE(contains(message, "invalid URL 'api.alpha.example'")) << message;
}

TEST(ParseConfig, RejectsBaseUrlWithoutHost) {
  auto message = rejection_of("venues:\n  alpha:\n    base_url: \"http://\"\n");

  EXPECT_TRUE(contains(message, "invalid URL 'http://'")) << message;
}

TEST(ParseConfig, BaseUrlLosesTrailingSlash) {
  auto config = parse_valid("venues:\n  alpha:\n    base_url: \"http://127.0.0.1:9000/\"\n");

  ASSERT_NE(find_venue(config, "alpha"), nullptr);
  EXPECT_EQ(find_venue(config, "alpha")->base_url, "http://127.0.0.1:9000");
}

TEST(ParseConfig, RejectsVenueConnectAboveRequest) {
  auto message =
      rejection_of("venues:\n  alpha:\n    request_timeout_ms: 500\n    connect_timeout_ms: 800\n");

  EXPECT_TRUE(contains(message, "venues.alpha.connect_timeout_ms")) << message;
  EXPECT_TRUE(contains(message, "invalid value 800")) << message;
  EXPECT_TRUE(contains(message, "request_timeout_ms 500")) << message;
}

TEST(ParseConfig, RejectsDefaultConnectAboveRequest) {
  auto message = rejection_of("defaults:\n  request_timeout_ms: 500\n  connect_timeout_ms: 800\n");

  EXPECT_TRUE(contains(message, "defaults.connect_timeout_ms")) << message;
  EXPECT_TRUE(contains(message, "invalid value 800")) << message;
}

TEST(ParseConfig, RejectsRestartMaxDelayBelowInitial) {
  auto message =
      rejection_of("supervision:\n  restart_initial_delay_ms: 500\n  restart_max_delay_ms: 100\n");

  EXPECT_TRUE(contains(message, "supervision.restart_max_delay_ms")) << message;
}

TEST(ParseConfig, RejectsDuplicateVenue) {
  auto message = rejection_of("venues:\n  alpha: {}\n  alpha:\n    enabled: false\n");

  EXPECT_TRUE(contains(message, "venues.alpha")) << message;
  EXPECT_TRUE(contains(message, "duplicate")) << message;
  EXPECT_TRUE(contains(message, "test.yaml:3")) << message;
}

TEST(ParseConfig, RejectsDuplicateKey) {
  auto message = rejection_of("listen: \"127.0.0.1:9000\"\nlisten: \"127.0.0.1:9001\"\n");

  EXPECT_TRUE(contains(message, "listen")) << message;
  EXPECT_TRUE(contains(message, "duplicate")) << message;
}

TEST(ParseConfig, RejectsSamePairOverriddenTwice) {
  auto message =
      rejection_of("pairs:\n  BTC-USD:\n    min_venues: 2\n  btc-usd:\n    min_venues: 4\n");

  EXPECT_TRUE(contains(message, "pairs.BTC-USD")) << message;
  EXPECT_TRUE(contains(message, "duplicate")) << message;
}

TEST(ParseConfig, RejectsConfigWithoutEnabledVenue) {
  auto message = rejection_of("venues:\n  alpha:\n    enabled: false\n");

  EXPECT_TRUE(contains(message, "no enabled venue")) << message;
}

TEST(ParseConfig, RejectsInvalidYamlWithLine) {
  auto message = rejection_of("listen: \"127.0.0.1:9000\"\ndefaults: [unclosed\n");

  EXPECT_TRUE(contains(message, "invalid YAML")) << message;
  EXPECT_TRUE(contains(message, "test.yaml:")) << message;
}

TEST(ParseConfig, RejectsTopLevelList) {
  auto message = rejection_of("- listen\n- venues\n");

  EXPECT_TRUE(contains(message, "top level")) << message;
}

// Accepted configurations

TEST(ParseConfig, PairOverrideApplied) {
  auto config = parse_valid("pairs:\n  btc-usd:\n    min_venues: 2\n");

  const auto& btc = config.policy_for("BTC-USD");
  EXPECT_EQ(btc.min_venues, 2);
  EXPECT_EQ(btc.max_quote_age, config.default_policy.max_quote_age);
  EXPECT_DOUBLE_EQ(btc.outlier_threshold_bps, config.default_policy.outlier_threshold_bps);
}

TEST(ParseConfig, PolicyForFallsBackToDefaults) {
  auto config = parse_valid("defaults:\n  min_venues: 4\npairs:\n  BTC-USD:\n    min_venues: 2\n");

  EXPECT_EQ(config.policy_for("ETH-USD").min_venues, 4);
  EXPECT_EQ(config.policy_for("DOGE-USD").min_venues, 4);
}

TEST(ParseConfig, PairOverrideStartsFromDefaults) {
  auto config =
      parse_valid("pairs:\n  BTC-USD:\n    min_venues: 2\ndefaults:\n  max_quote_age_ms: 5000\n");

  EXPECT_EQ(config.policy_for("BTC-USD").max_quote_age, milliseconds{5'000});
  EXPECT_EQ(config.policy_for("BTC-USD").min_venues, 2);
}

TEST(ParseConfig, VenuesKeyLimitsVenueSet) {
  auto config = parse_valid("venues:\n  beta: {}\n");

  ASSERT_EQ(config.venues.size(), 1u);
  EXPECT_EQ(config.venues[0].name, "beta");
  EXPECT_EQ(config.venues[0].pairs, (std::vector<std::string>{"BTC-USDT"}));
  EXPECT_EQ(config.venues[0].base_url, "https://api.beta.example");
}

TEST(ParseConfig, VenueWithNullBodyTakesDefaults) {
  auto config = parse_valid("venues:\n  alpha:\n");

  ASSERT_EQ(config.venues.size(), 1u);
  EXPECT_EQ(config.venues[0].pairs, (std::vector<std::string>{"BTC-USD", "ETH-USD"}));
}

TEST(ParseConfig, DefaultsApplyToAllVenues) {
  auto config = parse_valid("defaults:\n  poll_interval_ms: 500\n  max_body_bytes: 4096\n");

  ASSERT_EQ(config.venues.size(), 2u);
  for (const auto& venue : config.venues) {
    EXPECT_EQ(venue.poll_interval, milliseconds{500}) << venue.name;
    EXPECT_EQ(venue.max_body_bytes, 4'096u) << venue.name;
  }
}

TEST(ParseConfig, DefaultsApplyToListedVenues) {
  auto config = parse_valid(
      "venues:\n  alpha:\n    request_timeout_ms: 4000\ndefaults:\n  poll_interval_ms: 500\n");

  const auto* alpha = find_venue(config, "alpha");
  ASSERT_NE(alpha, nullptr);
  EXPECT_EQ(alpha->poll_interval, milliseconds{500});
  EXPECT_EQ(alpha->request_timeout, milliseconds{4'000});
}

TEST(ParseConfig, VenueSettingsOverrideDefaults) {
  auto config = parse_valid(
      "defaults:\n  poll_interval_ms: 500\nvenues:\n  alpha:\n    poll_interval_ms: 30000\n"
      "    base_url: \"http://127.0.0.1:9000\"\n    pairs: [eth-usd]\n  beta: {}\n");

  const auto* alpha = find_venue(config, "alpha");
  ASSERT_NE(alpha, nullptr);
  EXPECT_EQ(alpha->poll_interval, milliseconds{30'000});
  EXPECT_EQ(alpha->base_url, "http://127.0.0.1:9000");
  EXPECT_EQ(alpha->pairs, (std::vector<std::string>{"ETH-USD"}));
  const auto* beta = find_venue(config, "beta");
  ASSERT_NE(beta, nullptr);
  EXPECT_EQ(beta->poll_interval, milliseconds{500});
}

TEST(ParseConfig, ReadsSupervisionAndBreaker) {
  auto config = parse_valid(
      "supervision:\n  restart_initial_delay_ms: 50\n  restart_max_delay_ms: 800\n"
      "  restart_multiplier: 1.5\n  restart_intensity_max: 7\n  restart_intensity_window_s: 10\n"
      "  failed_cooldown_s: 20\nbreaker:\n  failure_threshold: 2\n  open_duration_ms: 1500\n");

  EXPECT_EQ(config.supervision.restart_initial_delay, milliseconds{50});
  EXPECT_EQ(config.supervision.restart_max_delay, milliseconds{800});
  EXPECT_DOUBLE_EQ(config.supervision.restart_multiplier, 1.5);
  EXPECT_EQ(config.supervision.restart_intensity_max, 7);
  EXPECT_EQ(config.supervision.restart_intensity_window, std::chrono::seconds{10});
  EXPECT_EQ(config.supervision.failed_cooldown, std::chrono::seconds{20});
  EXPECT_EQ(config.breaker.failure_threshold, 2);
  EXPECT_EQ(config.breaker.open_duration, milliseconds{1'500});
}

// configured_pairs and venues_for

TEST(ServiceConfig, ConfiguredPairsSortedAndUnique) {
  auto config = parse_valid("");

  EXPECT_EQ(config.configured_pairs(),
            (std::vector<std::string>{"BTC-USD", "BTC-USDT", "ETH-USD"}));
}

TEST(ServiceConfig, VenuesForListsPollingVenues) {
  auto config = parse_valid("");

  EXPECT_EQ(config.venues_for("BTC-USD"), (std::vector<std::string>{"alpha"}));
  EXPECT_EQ(config.venues_for("BTC-USDT"), (std::vector<std::string>{"beta"}));
  EXPECT_TRUE(config.venues_for("DOGE-USD").empty());
}

TEST(ServiceConfig, DisabledVenueLeavesPairsAndVenues) {
  auto config = parse_valid("venues:\n  alpha:\n    enabled: false\n  beta: {}\n");

  EXPECT_EQ(config.configured_pairs(), (std::vector<std::string>{"BTC-USDT"}));
  EXPECT_TRUE(config.venues_for("BTC-USD").empty());
}

// Files

TEST(LoadConfigFile, MissingFileNamesPath) {
  const std::string path = "/nonexistent-nimbus-dir/nimbus.yaml";

  auto result = load_config_file(path, test_venues());

  ASSERT_TRUE(std::holds_alternative<config_error>(result));
  EXPECT_TRUE(contains(std::get<config_error>(result).message, path))
      << std::get<config_error>(result).message;
}

TEST(LoadConfigFile, ErrorNamesFileAndLine) {
  const std::string path = testing::TempDir() + "nimbus_config_test.yaml";
  {
    std::ofstream file(path);
    file << "log_level: debug\nhistory_size: bad\n";
  }

  auto result = load_config_file(path, test_venues());
  std::filesystem::remove(path);

  ASSERT_TRUE(std::holds_alternative<config_error>(result));
  EXPECT_TRUE(contains(std::get<config_error>(result).message, path + ":2"))
      << std::get<config_error>(result).message;
}

TEST(LoadConfigFile, ReadsValidFile) {
  const std::string path = testing::TempDir() + "nimbus_config_valid_test.yaml";
  {
    std::ofstream file(path);
    file << "log_level: debug\n";
  }

  auto result = load_config_file(path, test_venues());
  std::filesystem::remove(path);

  ASSERT_TRUE(std::holds_alternative<service_config>(result));
  EXPECT_EQ(std::get<service_config>(result).log_level, "debug");
}

// config_to_json

TEST(ConfigToJson, ParsesAsJson) {
  auto config = parse_valid(
      "admin_listen: \"127.0.0.1:9091\"\npairs:\n  BTC-USD:\n    min_venues: 2\n"
      "venues:\n  alpha:\n    base_url: \"http://127.0.0.1:9000/\\\"quoted\\\"\"\n");
  std::string json = config_to_json(config);

  simdjson::dom::parser parser;
  simdjson::dom::element document;
  auto error = parser.parse(json).get(document);

  ASSERT_FALSE(error) << simdjson::error_message(error) << "\n" << json;
  std::string_view listen;
  ASSERT_FALSE(document["listen"].get(listen));
  EXPECT_EQ(listen, "0.0.0.0:8080");
  simdjson::dom::array venues;
  ASSERT_FALSE(document["venues"].get(venues));
  EXPECT_EQ(venues.size(), 1u);
  std::string_view base_url;
  ASSERT_FALSE(venues.at(0)["base_url"].get(base_url));
  EXPECT_EQ(base_url, "http://127.0.0.1:9000/\"quoted\"");
  int64_t min_venues = 0;
  ASSERT_FALSE(document["pairs"]["BTC-USD"]["min_venues"].get(min_venues));
  EXPECT_EQ(min_venues, 2);
  double multiplier = 0;
  ASSERT_FALSE(document["supervision"]["restart_multiplier"].get(multiplier));
  EXPECT_DOUBLE_EQ(multiplier, 2.0);
}

}  // namespace
}  // namespace nimbus

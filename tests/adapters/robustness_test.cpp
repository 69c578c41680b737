// Hostile input for every adapter: each fixture cut at every byte, fixtures with random bytes
// flipped, other venues' bodies and random garbage. Whatever the bytes, parse() must return a quote
// that passes validate_quote() or an error with a category an adapter may produce and a detail.
// The random generator has a fixed seed, so a failure reproduces.
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pipeline/quote_validation.hpp"
#include "tests/adapters/test_support.hpp"

namespace nimbus::testing {
namespace {

constexpr std::uint32_t seed = 20240313;
constexpr int flips_per_fixture = 400;
constexpr int garbage_bodies = 300;

struct fixture_file {
  std::string venue;
  std::string name;
  std::string body;
};

std::vector<fixture_file> all_venue_fixtures() {
  std::vector<fixture_file> files;
  for (const venue_adapter* adapter : all_adapters()) {
    std::filesystem::path folder = std::filesystem::path(NIMBUS_FIXTURES_DIR) / adapter->name();
    if (!std::filesystem::is_directory(folder)) {
      continue;
    }
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
      std::string name = entry.path().filename().string();
      files.push_back({std::string(adapter->name()), name, read_fixture(adapter->name(), name)});
    }
  }
  return files;
}

bool is_whitespace_only(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// Checks one result; returns a description of what is wrong, or an empty string.
std::string check_result(const quote_result& result) {
  if (const auto* parsed = std::get_if<quote>(&result)) {
    if (auto error = validate_quote(*parsed)) {
      return "a quote that fails validation: " + error->detail;
    }
    return {};
  }
  const auto& error = std::get<fetch_error>(result);
  if (error.category == error_category::timeout || error.category == error_category::transport) {
    return "category " + std::string(to_string(error.category)) + ", which only fetchers set";
  }
  if (error.detail.empty()) {
    return "an error without detail";
  }
  return {};
}

class AdapterRobustness : public ::testing::TestWithParam<venue_sample> {
 protected:
  quote_result parse(std::string_view body, std::string_view pair, int status = 200) {
    http_response response{status, body, std::nullopt};
    return adapter_named(GetParam().venue).parse(response, pair, fixed_received_at(), context_);
  }

  parse_context context_;
};

TEST_P(AdapterRobustness, TruncatedOwnFixturesNeverGiveAQuote) {
  for (const fixture_file& file : all_venue_fixtures()) {
    if (file.venue != GetParam().venue) {
      continue;
    }
    for (std::size_t length = 0; length < file.body.size(); ++length) {
      std::string_view cut = std::string_view(file.body).substr(0, length);

      quote_result result = parse(cut, GetParam().pair);

      std::string problem = check_result(result);
      ASSERT_TRUE(problem.empty()) << file.name << " cut at " << length << ": " << problem;
      bool only_whitespace_dropped = is_whitespace_only(file.body.substr(length));
      if (!only_whitespace_dropped) {
        ASSERT_TRUE(std::holds_alternative<fetch_error>(result))
            << file.name << " cut at " << length << " gave " << describe(result);
      }
    }
  }
}

TEST_P(AdapterRobustness, FlippedBytesGiveAQuoteOrAnError) {
  std::mt19937 random(seed);
  for (const fixture_file& file : all_venue_fixtures()) {
    if (file.body.empty()) {
      continue;
    }
    std::uniform_int_distribution<std::size_t> position(0, file.body.size() - 1);
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_int_distribution<int> flips(1, 4);
    for (int round = 0; round < flips_per_fixture; ++round) {
      std::string mutated = file.body;
      int count = flips(random);
      for (int i = 0; i < count; ++i) {
        mutated[position(random)] = static_cast<char>(byte(random));
      }

      quote_result result = parse(mutated, GetParam().pair);

      std::string problem = check_result(result);
      ASSERT_TRUE(problem.empty())
          << file.venue << "/" << file.name << " round " << round << ": " << problem;
    }
  }
}

TEST_P(AdapterRobustness, RandomGarbageIsAnError) {
  std::mt19937 random(seed + 1);
  std::uniform_int_distribution<int> length(0, 512);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> status(100, 599);
  for (int round = 0; round < garbage_bodies; ++round) {
    std::string garbage(static_cast<std::size_t>(length(random)), '\0');
    for (char& c : garbage) {
      c = static_cast<char>(byte(random));
    }

    quote_result result = parse(garbage, GetParam().pair, status(random));

    std::string problem = check_result(result);
    ASSERT_TRUE(problem.empty()) << "round " << round << ": " << problem;
    EXPECT_TRUE(std::holds_alternative<fetch_error>(result))
        << "round " << round << " gave " << describe(result);
  }
}

TEST_P(AdapterRobustness, StructuredGarbageGivesAQuoteOrAnError) {
  // JSON-shaped noise reaches deeper than random bytes, which rarely get past the tokenizer.
  std::mt19937 random(seed + 2);
  const std::vector<std::string_view> pieces = {"{",
                                                "}",
                                                "[",
                                                "]",
                                                ",",
                                                ":",
                                                "\"bid\"",
                                                "\"ask\"",
                                                "\"data\"",
                                                "\"result\"",
                                                "\"code\"",
                                                "\"error\"",
                                                "\"list\"",
                                                "\"tick\"",
                                                "\"volume\"",
                                                "\"a\"",
                                                "\"b\"",
                                                "\"1\"",
                                                "\"0\"",
                                                "\"-1\"",
                                                "\"NaN\"",
                                                "\"\"",
                                                "1e400",
                                                "-0",
                                                "0.1",
                                                "18446744073709551616",
                                                "null",
                                                "true",
                                                "\"BTCUSDT\"",
                                                "\"BTC-USDT\"",
                                                "\"error\"",
                                                "\"timestamp\"",
                                                "\"ts\"",
                                                "\"time\"",
                                                "99999999999999999999",
                                                "\"2024-03-13T11:10:41.270099Z\"",
                                                "\"\\u0000\"",
                                                " "};
  std::uniform_int_distribution<std::size_t> piece(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(1, 60);
  for (int round = 0; round < garbage_bodies; ++round) {
    std::string body;
    int count = length(random);
    for (int i = 0; i < count; ++i) {
      body += pieces[piece(random)];
    }

    quote_result result = parse(body, GetParam().pair);

    std::string problem = check_result(result);
    ASSERT_TRUE(problem.empty()) << "body " << body << ": " << problem;
  }
}

INSTANTIATE_TEST_SUITE_P(Venues, AdapterRobustness, ::testing::ValuesIn(venue_samples),
                         [](const ::testing::TestParamInfo<venue_sample>& param_info) {
                           return std::string(param_info.param.venue);
                         });

}  // namespace
}  // namespace nimbus::testing

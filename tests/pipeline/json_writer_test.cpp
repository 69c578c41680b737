#include "pipeline/json_writer.hpp"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <simdjson.h>

namespace nimbus {
namespace {

std::string json_string(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

std::string json_number(double value) {
  std::string out;
  append_json_number(out, value);
  return out;
}

// The string value of a JSON string literal, as a conforming parser reads it.
std::string parsed_string(const std::string& literal) {
  simdjson::dom::parser parser;
  std::string_view value;
  auto error = parser.parse(literal).get(value);
  EXPECT_FALSE(error) << simdjson::error_message(error) << ": " << literal;
  return std::string(value);
}

// append_json_string

struct string_case {
  std::string name;
  std::string input;
  std::string expected;
  friend void PrintTo(const string_case& value, std::ostream* out) { *out << value.name; }
};

class AppendJsonString : public testing::TestWithParam<string_case> {};

TEST_P(AppendJsonString, Escapes) {
  EXPECT_EQ(json_string(GetParam().input), GetParam().expected);
}

TEST_P(AppendJsonString, ParsesAsValidJson) {
  std::string literal = json_string(GetParam().input);

  simdjson::dom::parser parser;
  std::string_view value;
  auto error = parser.parse(literal).get(value);

  EXPECT_FALSE(error) << simdjson::error_message(error) << ": " << literal;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, AppendJsonString,
    testing::Values(
        string_case{"Plain", "BTC-USD", R"("BTC-USD")"}, string_case{"Empty", "", R"("")"},
        string_case{"Quote", R"(say "hi")", R"("say \"hi\"")"},
        string_case{"Backslash", R"(a\b)", R"("a\\b")"},
        string_case{"Newline", "a\nb", R"("a\nb")"},
        string_case{"CarriageReturn", "a\rb", R"("a\rb")"}, string_case{"Tab", "a\tb", R"("a\tb")"},
        string_case{"Nul", std::string("a\0b", 3), R"("a\u0000b")"},
        string_case{"ControlOne", "\x01", R"("\u0001")"},
        string_case{"ControlUnitSeparator", "\x1f", R"("\u001f")"},
        string_case{"Delete", "\x7f", "\"\x7f\""},
        string_case{"TwoByteUtf8", "caf\xc3\xa9", "\"caf\xc3\xa9\""},
        string_case{"ThreeByteUtf8",
                    "\xe2\x82\xac"
                    "5",
                    "\"\xe2\x82\xac"
                    "5\""},
        string_case{"FourByteUtf8", "\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\""},
        string_case{"InvalidLeadByte",
                    "a\xff"
                    "b",
                    R"("a\ufffdb")"},
        string_case{"LoneContinuation", "\x80", R"("\ufffd")"},
        string_case{"TruncatedSequence", "\xe2\x82", R"("\ufffd\ufffd")"},
        string_case{"OverlongSlash", "\xc0\xaf", R"("\ufffd\ufffd")"},
        string_case{"Surrogate", "\xed\xa0\x80", R"("\ufffd\ufffd\ufffd")"},
        string_case{"AboveUnicodeRange", "\xf4\x90\x80\x80", R"("\ufffd\ufffd\ufffd\ufffd")"},
        string_case{"InvalidThenValid", "\xff\xc3\xa9", "\"\\ufffd\xc3\xa9\""}),
    [](const testing::TestParamInfo<string_case>& case_info) { return case_info.param.name; });

TEST(AppendJsonString, RoundTripsThroughParser) {
  const std::string text = "quote \" backslash \\ tab \t bell \x07 euro \xe2\x82\xac";

  EXPECT_EQ(parsed_string(json_string(text)), text);
}

TEST(AppendJsonString, AppendsToExistingText) {
  std::string out = "prefix:";

  append_json_string(out, "x");

  EXPECT_EQ(out, R"(prefix:"x")");
}

// append_json_number

struct number_case {
  std::string name;
  double value;
  std::string expected;
  friend void PrintTo(const number_case& value, std::ostream* out) { *out << value.name; }
};

class AppendJsonNumber : public testing::TestWithParam<number_case> {};

TEST_P(AppendJsonNumber, WritesShortestText) {
  EXPECT_EQ(json_number(GetParam().value), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, AppendJsonNumber,
    testing::Values(
        number_case{"Zero", 0.0, "0"}, number_case{"NegativeZero", -0.0, "-0"},
        number_case{"Integer", 100.0, "100"}, number_case{"OneTenth", 0.1, "0.1"},
        number_case{"Price", 64231.12, "64231.12"}, number_case{"Negative", -0.25, "-0.25"},
        number_case{"OneThird", 1.0 / 3.0, "0.3333333333333333"},
        number_case{"Timestamp", 1'700'000'000.0, "1700000000"},
        number_case{"RoundPrice", 100'000.0, "100000"},
        number_case{"LargestExactInteger", 9'007'199'254'740'992.0, "9007199254740992"},
        number_case{"NegativeRound", -2'000'000.0, "-2000000"}, number_case{"Large", 1e21, "1e+21"},
        number_case{"Small", 1.5e-7, "1.5e-07"}, number_case{"Subnormal", 5e-324, "5e-324"},
        number_case{"NaN", std::numeric_limits<double>::quiet_NaN(), "null"},
        number_case{"Infinity", std::numeric_limits<double>::infinity(), "null"},
        number_case{"NegativeInfinity", -std::numeric_limits<double>::infinity(), "null"}),
    [](const testing::TestParamInfo<number_case>& case_info) { return case_info.param.name; });

TEST(AppendJsonNumber, RoundTripsExactly) {
  const std::vector<double> values = {0.1 + 0.2,
                                      64231.120000000003,
                                      1.0 / 7.0,
                                      std::numeric_limits<double>::max(),
                                      std::numeric_limits<double>::min(),
                                      123456789.0123};

  for (double value : values) {
    std::string text = json_number(value);

    EXPECT_EQ(std::strtod(text.c_str(), nullptr), value) << text;
  }
}

// json_writer

TEST(JsonWriter, SeparatesObjectMembersWithCommas) {
  std::string out;
  json_writer json(out);

  json.begin_object().key("a").integer(1).key("b").string("x").key("c").null().end_object();

  EXPECT_EQ(out, R"({"a":1,"b":"x","c":null})");
}

TEST(JsonWriter, NestsArraysAndObjects) {
  std::string out;
  json_writer json(out);

  json.begin_object().key("a").begin_array().integer(1).integer(2);
  json.begin_object().key("b").boolean(true).key("c").boolean(false).end_object();
  json.begin_array().end_array().end_array();
  json.key("d").begin_object().key("e").number(0.5).end_object();
  json.key("f").string("g").end_object();

  EXPECT_EQ(out, R"({"a":[1,2,{"b":true,"c":false},[]],"d":{"e":0.5},"f":"g"})");
}

TEST(JsonWriter, WritesEmptyContainers) {
  std::string out;
  json_writer json(out);

  json.begin_object().key("a").begin_array().end_array().key("b").begin_object().end_object();
  json.end_object();

  EXPECT_EQ(out, R"({"a":[],"b":{}})");
}

TEST(JsonWriter, SeparatesTopLevelArrayItems) {
  std::string out;
  json_writer json(out);

  json.begin_array().begin_object().end_object().begin_object().end_object().end_array();

  EXPECT_EQ(out, "[{},{}]");
}

TEST(JsonWriter, WritesRawValueInPlace) {
  std::string out;
  json_writer json(out);

  json.begin_array().raw("64231.12").raw("0.00001831").end_array();

  EXPECT_EQ(out, "[64231.12,0.00001831]");
}

TEST(JsonWriter, EscapesKeys) {
  std::string out;
  json_writer json(out);

  json.begin_object().key("a\"b").integer(1).end_object();

  EXPECT_EQ(out, R"({"a\"b":1})");
}

TEST(JsonWriter, WritesIntegerExtremes) {
  std::string out;
  json_writer json(out);

  json.begin_array()
      .integer(std::numeric_limits<std::int64_t>::min())
      .integer(std::numeric_limits<std::int64_t>::max())
      .end_array();

  EXPECT_EQ(out, "[-9223372036854775808,9223372036854775807]");
}

TEST(JsonWriter, NonFiniteNumberMemberStaysValid) {
  std::string out;
  json_writer json(out);

  json.begin_object().key("price").number(std::nan("")).key("next").integer(2).end_object();

  EXPECT_EQ(out, R"({"price":null,"next":2})");
}

}  // namespace
}  // namespace nimbus

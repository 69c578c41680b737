// Venue time formats: Unix milliseconds, seconds (whole or fractional), nanoseconds and ISO-8601,
// both through the pipeline functions and through the adapters' field readers that bound them.
#include <gtest/gtest.h>

#include "adapters/adapter_support.hpp"
#include "pipeline/timestamps.hpp"

namespace nimbus {
namespace {

TEST(Timestamps, MillisecondsFormatWithTheirDigits) {
  EXPECT_EQ(format_rfc3339(from_unix_milliseconds(1710328244727)), "2024-03-13T11:10:44.727Z");
  EXPECT_EQ(format_rfc3339(from_unix_milliseconds(1710328245000)), "2024-03-13T11:10:45Z");
}

TEST(Timestamps, FractionalSecondsKeepNanoseconds) {
  auto seconds = decimal::parse("1710328265.9690602");

  EXPECT_EQ(format_rfc3339(from_unix_seconds(*seconds)), "2024-03-13T11:11:05.9690602Z");
}

TEST(Timestamps, WholeSecondsFormatWithoutFraction) {
  EXPECT_EQ(format_rfc3339(from_unix_seconds(decimal::from_integer(1710328241))),
            "2024-03-13T11:10:41Z");
}

TEST(Timestamps, NanosecondsFormatWithNineDigits) {
  EXPECT_EQ(format_rfc3339(from_unix_nanoseconds(1710328241123456789)),
            "2024-03-13T11:10:41.123456789Z");
}

TEST(Timestamps, IsoWithSixAndNineDigitsParses) {
  auto micro = parse_iso8601("2024-03-13T11:10:41.270099Z");
  auto nano = parse_iso8601("2026-06-19T16:43:33.016274911Z");

  ASSERT_TRUE(micro.has_value());
  ASSERT_TRUE(nano.has_value());
  EXPECT_EQ(format_rfc3339(*micro), "2024-03-13T11:10:41.270099Z");
  EXPECT_EQ(format_rfc3339(*nano), "2026-06-19T16:43:33.016274911Z");
}

TEST(Timestamps, IsoOffsetIsConvertedToUtc) {
  auto shifted = parse_iso8601("2024-03-13T13:10:41+02:00");

  ASSERT_TRUE(shifted.has_value());
  EXPECT_EQ(format_rfc3339(*shifted), "2024-03-13T11:10:41Z");
}

TEST(Timestamps, IsoRejectsMalformedText) {
  for (std::string_view text :
       {"", "2024-03-13", "2024-03-13T11:10:41", "2024-13-13T11:10:41Z", "2024-02-30T11:10:41Z",
        "2024-03-13T11:10:41.Z", "2024-03-13T11:10:41Zjunk", "yesterday"}) {
    EXPECT_FALSE(parse_iso8601(text).has_value()) << "accepted " << text;
  }
}

TEST(Timestamps, MillisecondFormatHasThreeDigits) {
  EXPECT_EQ(format_rfc3339_milliseconds(from_unix_milliseconds(1710328245000)),
            "2024-03-13T11:10:45.000Z");
}

// The adapters' field readers.

using adapters::json_scalar;

http_response ok_response() {
  return http_response{200, "{}", std::nullopt};
}

json_scalar number(std::string_view text) {
  return {json_scalar::kind::number, text};
}
json_scalar string(std::string_view text) {
  return {json_scalar::kind::string, text};
}

TEST(VenueTimeField, MillisecondsAsNumberOrString) {
  std::optional<timestamp> from_number;
  std::optional<timestamp> from_string;

  auto number_error = adapters::read_unix_milliseconds(ok_response(), number("1710328244727"),
                                                       "closeTime", from_number);
  auto string_error = adapters::read_unix_milliseconds(ok_response(), string("1710328244727"),
                                                       "closeTime", from_string);

  EXPECT_FALSE(number_error.has_value());
  EXPECT_FALSE(string_error.has_value());
  EXPECT_EQ(from_number, from_string);
  EXPECT_EQ(format_rfc3339(*from_number), "2024-03-13T11:10:44.727Z");
}

TEST(VenueTimeField, MissingNullOrEmptyLeavesTimeEmpty) {
  std::optional<timestamp> time;

  auto missing = adapters::read_unix_milliseconds(ok_response(), {}, "ts", time);
  auto null =
      adapters::read_unix_milliseconds(ok_response(), {json_scalar::kind::null, {}}, "ts", time);
  auto empty = adapters::read_unix_seconds(ok_response(), string(""), "timestamp", time);

  EXPECT_FALSE(missing.has_value());
  EXPECT_FALSE(null.has_value());
  EXPECT_FALSE(empty.has_value());
  EXPECT_FALSE(time.has_value());
}

TEST(VenueTimeField, OutOfRangeMillisecondsAreSchemaErrors) {
  for (std::string_view text : {"0", "-1", "99999999999999999", "1710328244727.5", "17e11", "x"}) {
    std::optional<timestamp> time;

    auto error = adapters::read_unix_milliseconds(ok_response(), number(text), "ts", time);

    ASSERT_TRUE(error.has_value()) << "accepted " << text;
    EXPECT_EQ(error->category, error_category::schema_mismatch);
    EXPECT_NE(error->detail.find("ts"), std::string::npos) << error->detail;
  }
}

TEST(VenueTimeField, WrongTypeIsSchemaError) {
  std::optional<timestamp> time;

  auto error = adapters::read_unix_milliseconds(ok_response(), {json_scalar::kind::object, {}},
                                                "closeTime", time);

  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->detail, "closeTime is an object, expected a string or number");
}

TEST(VenueTimeField, SecondsAcceptFractions) {
  std::optional<timestamp> time;

  auto error =
      adapters::read_unix_seconds(ok_response(), string("1710328265.9690602"), "timestamp", time);

  EXPECT_FALSE(error.has_value());
  EXPECT_EQ(format_rfc3339(*time), "2024-03-13T11:11:05.9690602Z");
}

TEST(VenueTimeField, SecondsRejectHugeExponent) {
  std::optional<timestamp> time;

  auto error = adapters::read_unix_seconds(ok_response(), number("1e30"), "timestamp", time);

  EXPECT_TRUE(error.has_value());
}

TEST(VenueTimeField, NanosecondsAsNumber) {
  std::optional<timestamp> time;

  auto error =
      adapters::read_unix_nanoseconds(ok_response(), number("1710328241123456789"), "ts", time);

  EXPECT_FALSE(error.has_value());
  EXPECT_EQ(format_rfc3339(*time), "2024-03-13T11:10:41.123456789Z");
}

TEST(VenueTimeField, IsoRejectsYearsOutsideRange) {
  for (std::string_view text :
       {"9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "1999-12-31T23:59:59Z"}) {
    std::optional<timestamp> time;

    auto error = adapters::read_iso8601(ok_response(), string(text), "time", time);

    EXPECT_TRUE(error.has_value()) << "accepted " << text;
  }
}

TEST(VenueTimeField, IsoMustBeAString) {
  std::optional<timestamp> time;

  auto error = adapters::read_iso8601(ok_response(), number("2024"), "time", time);

  EXPECT_TRUE(error.has_value());
}

}  // namespace
}  // namespace nimbus

// The exact decimal that every adapter parses prices and volumes into.
#include <string_view>

#include <gtest/gtest.h>

#include "pipeline/decimal.hpp"

namespace nimbus {
namespace {

struct decimal_case {
  std::string_view text;
  std::string_view printed;
};

const decimal_case round_trips[] = {
    {"73267.15000000", "73267.15"},
    {"73350", "73350"},
    {"111580", "111580"},
    {"0.00001831", "0.00001831"},
    {"1.831e-05", "0.00001831"},
    {"5.587285592033827E8", "558728559.2033827"},
    {"8.266551922141494E8", "826655192.2141494"},
    {"0.06133773059609383", "0.06133773059609383"},
    {"17729.513874233984", "17729.513874233984"},
    {"69755.00", "69755"},
    {"0", "0"},
    {"-0", "0"},
    {"0.0", "0"},
    {"-12.5", "-12.5"},
    {"007.50", "7.5"},
    {"1e3", "1000"},
    {"1E+2", "100"},
    {"48050.0", "48050"},
};

class DecimalRoundTrip : public ::testing::TestWithParam<decimal_case> {};

TEST_P(DecimalRoundTrip, PrintsShortestExactText) {
  auto value = decimal::parse(GetParam().text);

  ASSERT_TRUE(value.has_value()) << GetParam().text;
  EXPECT_EQ(value->to_string(), GetParam().printed);
}

INSTANTIATE_TEST_SUITE_P(Texts, DecimalRoundTrip, ::testing::ValuesIn(round_trips));

TEST(Decimal, RejectsTextThatIsNotANumber) {
  for (std::string_view text : {"", "NaN", "nan", "Infinity", "-Infinity", "+1", " 1", "1 ", "1.",
                                ".5", "1e", "1e+", "--1", "1.2.3", "0x10", "1,5", "abc", "-"}) {
    EXPECT_FALSE(decimal::parse(text).has_value()) << "accepted \"" << text << "\"";
  }
}

TEST(Decimal, RejectsExponentsOutOfRange) {
  EXPECT_FALSE(decimal::parse("1e400").has_value());
  EXPECT_FALSE(decimal::parse("1e-400").has_value());
  EXPECT_FALSE(decimal::parse("1e99999").has_value());
}

TEST(Decimal, RoundsBeyondEighteenDigitsHalfAwayFromZero) {
  // 1 and 17 fraction digits fill the 18 kept digits; the 18th fraction digit decides rounding.
  EXPECT_EQ(decimal::parse("1.000000000000000005")->to_string(), "1.00000000000000001");
  EXPECT_EQ(decimal::parse("1.000000000000000004")->to_string(), "1");
  EXPECT_EQ(decimal::parse("-1.000000000000000005")->to_string(), "-1.00000000000000001");
  EXPECT_EQ(decimal::parse("18446744073709551616")->to_string(), "18446744073709551600");
}

TEST(Decimal, EqualValuesCompareEqual) {
  EXPECT_EQ(*decimal::parse("73267.15000000"), *decimal::parse("73267.15"));
  EXPECT_EQ(*decimal::parse("1e3"), *decimal::parse("1000"));
}

TEST(Decimal, OrdersByValue) {
  EXPECT_LT(*decimal::parse("100.1"), *decimal::parse("100.2"));
  EXPECT_LT(*decimal::parse("99.99"), *decimal::parse("100"));
  EXPECT_LT(*decimal::parse("-5"), *decimal::parse("-4.5"));
  EXPECT_LT(*decimal::parse("-1"), *decimal::parse("0"));
  EXPECT_GT(*decimal::parse("0.06133773059609383"), *decimal::parse("0.06133773059609382"));
}

TEST(Decimal, ReportsSignAndZero) {
  EXPECT_TRUE(decimal::parse("0.000")->is_zero());
  EXPECT_TRUE(decimal::parse("-0.5")->is_negative());
  EXPECT_FALSE(decimal::parse("0.5")->is_negative());
}

TEST(Decimal, ConvertsToNearestDouble) {
  EXPECT_DOUBLE_EQ(decimal::parse("64231.12")->to_double(), 64231.12);
  EXPECT_DOUBLE_EQ(decimal::from_integer(-7).to_double(), -7.0);
}

}  // namespace
}  // namespace nimbus

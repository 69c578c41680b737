#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nimbus {

// An exact base-10 number, value = mantissa * 10^exponent, kept normalised (no trailing zeros in the
// mantissa) so that equal values compare equal and print identically. Venue prices are decimal text,
// and a binary double would turn "64231.12" into 64231.120000000003 when printed back.
class decimal {
 public:
  // The most significant digits kept; longer inputs are rounded half away from zero. 18 digits fit in
  // int64_t and cover every price and size the recorded venue responses contain.
  static constexpr int max_digits = 18;

  // Exponents outside this range are rejected by parse(); they are far beyond any price or volume.
  static constexpr int min_exponent = -40;
  static constexpr int max_exponent = 40;

  constexpr decimal() = default;

  // Parses JSON-number text or a numeric string: optional '-', digits, optional fraction, optional
  // exponent with 'e' or 'E'. Leading zeros are accepted because numeric strings carry them; spaces,
  // '+', "NaN", "Infinity" and empty text are rejected with nullopt.
  static std::optional<decimal> parse(std::string_view text);

  static decimal from_integer(std::int64_t value);

  std::int64_t mantissa() const { return mantissa_; }
  int exponent() const { return exponent_; }

  bool is_zero() const { return mantissa_ == 0; }
  bool is_negative() const { return mantissa_ < 0; }

  double to_double() const;

  // Prints plain decimal notation without an exponent: "64231.12", "0.00001831", "111580".
  std::string to_string() const;

  friend bool operator==(const decimal&, const decimal&) = default;
  friend std::strong_ordering operator<=>(const decimal& lhs, const decimal& rhs);

  // Lets serialisers such as CAF's inspectors read and write the exact representation.
  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f, decimal& x) {
    return f(x.mantissa_, x.exponent_);
  }

 private:
  constexpr decimal(std::int64_t mantissa, int exponent) : mantissa_(mantissa), exponent_(exponent) {}

  static decimal normalised(std::int64_t mantissa, int exponent);

  std::int64_t mantissa_ = 0;
  int exponent_ = 0;
};

}  // namespace nimbus

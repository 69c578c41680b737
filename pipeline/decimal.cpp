#include "pipeline/decimal.hpp"

#include <cmath>
#include <cstdlib>

namespace nimbus {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int count_digits(std::int64_t value) {
  int digits = 1;
  while (value >= 10) {
    value /= 10;
    ++digits;
  }
  return digits;
}

// Reads an optional sign and digits of an exponent; returns false on an empty or oversized exponent.
bool parse_exponent(std::string_view text, int& exponent) {
  bool negative = false;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty() || text.size() > 4) {
    return false;
  }
  int value = 0;
  for (char c : text) {
    if (!is_digit(c)) {
      return false;
    }
    value = value * 10 + (c - '0');
  }
  exponent = negative ? -value : value;
  return true;
}

}  // namespace

decimal decimal::normalised(std::int64_t mantissa, int exponent) {
  if (mantissa == 0) {
    return decimal{};
  }
  while (mantissa % 10 == 0) {
    mantissa /= 10;
    ++exponent;
  }
  return decimal{mantissa, exponent};
}

decimal decimal::from_integer(std::int64_t value) { return normalised(value, 0); }

std::optional<decimal> decimal::parse(std::string_view text) {
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }

  // Split into integer digits, fraction digits and exponent text.
  std::size_t position = 0;
  while (position < text.size() && is_digit(text[position])) {
    ++position;
  }
  std::string_view integer_digits = text.substr(0, position);
  std::string_view fraction_digits;
  if (position < text.size() && text[position] == '.') {
    std::size_t fraction_start = ++position;
    while (position < text.size() && is_digit(text[position])) {
      ++position;
    }
    fraction_digits = text.substr(fraction_start, position - fraction_start);
    if (fraction_digits.empty()) {
      return std::nullopt;
    }
  }
  if (integer_digits.empty()) {
    return std::nullopt;
  }
  int exponent = 0;
  if (position < text.size()) {
    if (text[position] != 'e' && text[position] != 'E') {
      return std::nullopt;
    }
    if (!parse_exponent(text.substr(position + 1), exponent)) {
      return std::nullopt;
    }
  }

  // Accumulate significant digits, skipping leading zeros and rounding past max_digits.
  std::int64_t mantissa = 0;
  int kept_digits = 0;
  int dropped_integer_digits = 0;
  int fraction_digits_kept = 0;
  bool round_up = false;
  bool rounding_decided = false;
  auto take_digit = [&](char c, bool in_fraction) {
    if (kept_digits == 0 && c == '0') {
      if (in_fraction) {
        ++fraction_digits_kept;
      }
      return;
    }
    if (kept_digits < max_digits) {
      mantissa = mantissa * 10 + (c - '0');
      ++kept_digits;
      if (in_fraction) {
        ++fraction_digits_kept;
      }
      return;
    }
    if (!rounding_decided) {
      round_up = c >= '5';
      rounding_decided = true;
    }
    if (!in_fraction) {
      ++dropped_integer_digits;
    }
  };
  for (char c : integer_digits) {
    take_digit(c, false);
  }
  for (char c : fraction_digits) {
    take_digit(c, true);
  }
  if (round_up) {
    ++mantissa;
  }

  int value_exponent = exponent + dropped_integer_digits - fraction_digits_kept;
  decimal result = normalised(negative ? -mantissa : mantissa, value_exponent);
  if (!result.is_zero() &&
      (result.exponent_ < min_exponent || result.exponent_ > max_exponent)) {
    return std::nullopt;
  }
  return result;
}

double decimal::to_double() const {
  // strtod rounds correctly, which multiplying by a power of ten would not.
  std::string text = std::to_string(mantissa_) + "e" + std::to_string(exponent_);
  return std::strtod(text.c_str(), nullptr);
}

std::string decimal::to_string() const {
  if (mantissa_ == 0) {
    return "0";
  }
  std::string digits = std::to_string(mantissa_ < 0 ? -mantissa_ : mantissa_);
  std::string sign = mantissa_ < 0 ? "-" : "";
  if (exponent_ >= 0) {
    return sign + digits + std::string(static_cast<std::size_t>(exponent_), '0');
  }

  auto fraction_length = static_cast<std::size_t>(-exponent_);
  if (digits.size() <= fraction_length) {
    return sign + "0." + std::string(fraction_length - digits.size(), '0') + digits;
  }
  std::size_t point = digits.size() - fraction_length;
  return sign + digits.substr(0, point) + "." + digits.substr(point);
}

std::strong_ordering operator<=>(const decimal& lhs, const decimal& rhs) {
  if (lhs.is_negative() != rhs.is_negative()) {
    return lhs.is_negative() ? std::strong_ordering::less : std::strong_ordering::greater;
  }
  if (lhs.is_zero() || rhs.is_zero()) {
    return lhs.mantissa_ <=> rhs.mantissa_;
  }

  // Same sign, both non-zero: compare magnitudes, then flip for negatives.
  std::int64_t lhs_abs = std::llabs(lhs.mantissa_);
  std::int64_t rhs_abs = std::llabs(rhs.mantissa_);
  int lhs_order = count_digits(lhs_abs) + lhs.exponent_;
  int rhs_order = count_digits(rhs_abs) + rhs.exponent_;
  std::strong_ordering magnitude = lhs_order <=> rhs_order;
  if (magnitude == std::strong_ordering::equal) {
    // Equal orders of magnitude: align both mantissas to the smaller exponent. The shift is at most
    // max_digits places, so the product fits in 128 bits.
    int common = lhs.exponent_ < rhs.exponent_ ? lhs.exponent_ : rhs.exponent_;
    __extension__ __int128 lhs_aligned = lhs_abs;
    __extension__ __int128 rhs_aligned = rhs_abs;
    for (int i = common; i < lhs.exponent_; ++i) {
      lhs_aligned *= 10;
    }
    for (int i = common; i < rhs.exponent_; ++i) {
      rhs_aligned *= 10;
    }
    magnitude = lhs_aligned <=> rhs_aligned;
  }
  if (lhs.is_negative()) {
    return 0 <=> magnitude;
  }
  return magnitude;
}

}  // namespace nimbus

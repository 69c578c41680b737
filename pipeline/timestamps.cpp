#include "pipeline/timestamps.hpp"

#include <cstdio>

namespace nimbus {
namespace {

using std::chrono::days;
using std::chrono::nanoseconds;

bool read_digits(std::string_view text, std::size_t position, std::size_t count, int& value) {
  if (position + count > text.size()) {
    return false;
  }
  value = 0;
  for (std::size_t i = position; i < position + count; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return false;
    }
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

bool expect_char(std::string_view text, std::size_t position, char expected) {
  return position < text.size() && text[position] == expected;
}

struct civil_fields {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

std::optional<civil_fields> parse_civil(std::string_view text) {
  civil_fields fields;
  bool shaped = read_digits(text, 0, 4, fields.year) && expect_char(text, 4, '-') &&
                read_digits(text, 5, 2, fields.month) && expect_char(text, 7, '-') &&
                read_digits(text, 8, 2, fields.day) &&
                (expect_char(text, 10, 'T') || expect_char(text, 10, 't') ||
                 expect_char(text, 10, ' ')) &&
                read_digits(text, 11, 2, fields.hour) && expect_char(text, 13, ':') &&
                read_digits(text, 14, 2, fields.minute) && expect_char(text, 16, ':') &&
                read_digits(text, 17, 2, fields.second);
  if (!shaped || fields.hour > 23 || fields.minute > 59 || fields.second > 60) {
    return std::nullopt;
  }
  return fields;
}

}  // namespace

timestamp from_unix_seconds(const decimal& seconds) {
  // Split into whole seconds and a fraction, so that fractional inputs such as
  // "1710328265.9690602" keep their digits down to the nanosecond. Smaller digits are dropped.
  std::int64_t mantissa = seconds.mantissa();
  int exponent = seconds.exponent();
  if (exponent >= 0) {
    for (int i = 0; i < exponent; ++i) {
      mantissa *= 10;
    }
    return timestamp{std::chrono::seconds{mantissa}};
  }
  if (exponent < -decimal::max_digits) {
    return timestamp{};
  }

  std::int64_t scale = 1;
  for (int i = 0; i < -exponent; ++i) {
    scale *= 10;
  }
  std::int64_t whole = mantissa / scale;
  std::int64_t fraction = mantissa % scale;
  __extension__ using wide_int = __int128;
  auto nanos = static_cast<std::int64_t>(static_cast<wide_int>(fraction) * 1000000000 / scale);
  return timestamp{std::chrono::seconds{whole}} + nanoseconds{nanos};
}

timestamp from_unix_milliseconds(std::int64_t milliseconds) {
  return timestamp{std::chrono::milliseconds{milliseconds}};
}

timestamp from_unix_nanoseconds(std::int64_t nanoseconds_since_epoch) {
  return timestamp{nanoseconds{nanoseconds_since_epoch}};
}

std::optional<timestamp> parse_iso8601(std::string_view text) {
  auto fields = parse_civil(text);
  // Nanoseconds since 1970 in int64 cover 1678 to 2262; years outside would overflow.
  if (!fields || fields->year < 1678 || fields->year > 2261) {
    return std::nullopt;
  }
  std::chrono::year_month_day date{std::chrono::year{fields->year},
                                   std::chrono::month{static_cast<unsigned>(fields->month)},
                                   std::chrono::day{static_cast<unsigned>(fields->day)}};
  if (!date.ok()) {
    return std::nullopt;
  }

  std::size_t position = 19;
  std::int64_t fraction_nanos = 0;
  if (expect_char(text, position, '.')) {
    ++position;
    int digits = 0;
    std::int64_t scale = 100'000'000;
    while (position < text.size() && text[position] >= '0' && text[position] <= '9') {
      if (digits < 9) {
        fraction_nanos += (text[position] - '0') * scale;
        scale /= 10;
      }
      ++digits;
      ++position;
    }
    if (digits == 0) {
      return std::nullopt;
    }
  }

  std::int64_t offset_seconds = 0;
  if (expect_char(text, position, 'Z') || expect_char(text, position, 'z')) {
    ++position;
  } else if (expect_char(text, position, '+') || expect_char(text, position, '-')) {
    int sign = text[position] == '-' ? -1 : 1;
    int offset_hours = 0;
    int offset_minutes = 0;
    if (!read_digits(text, position + 1, 2, offset_hours) || !expect_char(text, position + 3, ':') ||
        !read_digits(text, position + 4, 2, offset_minutes)) {
      return std::nullopt;
    }
    offset_seconds = sign * (offset_hours * 3600 + offset_minutes * 60);
    position += 6;
  } else {
    return std::nullopt;
  }
  if (position != text.size()) {
    return std::nullopt;
  }

  auto day_start = std::chrono::sys_days{date};
  auto local = day_start + std::chrono::hours{fields->hour} + std::chrono::minutes{fields->minute} +
               std::chrono::seconds{fields->second};
  return timestamp{local - std::chrono::seconds{offset_seconds}} + nanoseconds{fraction_nanos};
}

std::string format_rfc3339_milliseconds(timestamp instant) {
  auto milliseconds = std::chrono::floor<std::chrono::milliseconds>(instant);
  auto day = std::chrono::floor<days>(milliseconds);
  std::chrono::year_month_day date{day};
  std::chrono::hh_mm_ss time{milliseconds - day};
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", int{date.year()},
                unsigned{date.month()}, unsigned{date.day()}, static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()),
                static_cast<int>(time.subseconds().count()));
  return buffer;
}

std::string format_rfc3339(timestamp instant) {
  auto day = std::chrono::floor<days>(instant);
  std::chrono::year_month_day date{day};
  std::chrono::hh_mm_ss time{instant - day};
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d", int{date.year()},
                unsigned{date.month()}, unsigned{date.day()}, static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()));
  std::string text = buffer;
  auto nanos = time.subseconds().count();
  if (nanos != 0) {
    char fraction[16];
    std::snprintf(fraction, sizeof fraction, ".%09lld", static_cast<long long>(nanos));
    std::string digits = fraction;
    while (digits.back() == '0') {
      digits.pop_back();
    }
    text += digits;
  }
  return text + "Z";
}

double to_unix_seconds(timestamp instant) {
  return std::chrono::duration<double>(instant.time_since_epoch()).count();
}

}  // namespace nimbus

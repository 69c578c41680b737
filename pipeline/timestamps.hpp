#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "pipeline/decimal.hpp"

namespace nimbus {

// A UTC instant with nanosecond resolution; venues send up to nine fractional digits.
using timestamp = std::chrono::sys_time<std::chrono::nanoseconds>;

timestamp from_unix_seconds(const decimal& seconds);
timestamp from_unix_milliseconds(std::int64_t milliseconds);
timestamp from_unix_nanoseconds(std::int64_t nanoseconds);

// Parses ISO-8601 / RFC 3339 UTC text such as "2024-03-13T11:10:41.270099Z", with 0 to 9 fractional
// digits and a 'Z' or numeric offset. Returns nullopt for anything else.
std::optional<timestamp> parse_iso8601(std::string_view text);

// Formats as RFC 3339 UTC with exactly three fractional digits: "2024-03-13T11:10:41.270Z".
std::string format_rfc3339_milliseconds(timestamp instant);

// Formats as RFC 3339 UTC with the fractional digits needed, up to nine: "...:41.270099Z".
std::string format_rfc3339(timestamp instant);

double to_unix_seconds(timestamp instant);

}  // namespace nimbus

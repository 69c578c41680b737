#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace nimbus::log {

enum class level { debug, info, warn, error };

// Parses "debug", "info", "warn" or "error"; false for anything else.
bool parse_level(std::string_view text, level& out);

void set_level(level minimum);

struct field {
  std::string_view key;
  std::variant<std::string_view, std::int64_t, double, bool> value;

  field(std::string_view k, std::string_view v) : key(k), value(v) {}
  field(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
  field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  field(std::string_view k, std::int64_t v) : key(k), value(v) {}
  field(std::string_view k, int v) : key(k), value(std::int64_t{v}) {}
  field(std::string_view k, double v) : key(k), value(v) {}
  field(std::string_view k, bool v) : key(k), value(v) {}
};

// Writes one JSON object per line to stdout: {"ts":..., "level":..., "msg":..., fields...}.
// A field whose value is already JSON text goes through write_raw instead.
void write(level severity, std::string_view message, std::initializer_list<field> fields = {});

// Like write, with one extra field whose value is JSON text inserted as is, e.g. the config.
void write_raw(level severity, std::string_view message, std::string_view key,
               std::string_view json_value);

inline void debug(std::string_view m, std::initializer_list<field> f = {}) { write(level::debug, m, f); }
inline void info(std::string_view m, std::initializer_list<field> f = {}) { write(level::info, m, f); }
inline void warn(std::string_view m, std::initializer_list<field> f = {}) { write(level::warn, m, f); }
inline void error(std::string_view m, std::initializer_list<field> f = {}) { write(level::error, m, f); }

}  // namespace nimbus::log

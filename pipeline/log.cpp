#include "pipeline/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>

#include "pipeline/json_writer.hpp"
#include "pipeline/timestamps.hpp"

namespace nimbus::log {
namespace {

std::atomic<level> minimum_level{level::info};
std::mutex output_mutex;

std::string_view level_name(level severity) {
  switch (severity) {
    case level::debug:
      return "debug";
    case level::info:
      return "info";
    case level::warn:
      return "warn";
    case level::error:
      return "error";
  }
  return "info";
}

void begin_line(std::string& line, level severity, std::string_view message) {
  auto now = std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
  line += "{\"ts\":";
  append_json_string(line, format_rfc3339_milliseconds(now));
  line += ",\"level\":";
  append_json_string(line, level_name(severity));
  line += ",\"msg\":";
  append_json_string(line, message);
}

void emit(std::string& line) {
  line += "}\n";
  std::lock_guard lock(output_mutex);
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
}

}  // namespace

bool parse_level(std::string_view text, level& out) {
  for (level candidate : {level::debug, level::info, level::warn, level::error}) {
    if (text == level_name(candidate)) {
      out = candidate;
      return true;
    }
  }
  return false;
}

void set_level(level minimum) { minimum_level = minimum; }

void write(level severity, std::string_view message, std::initializer_list<field> fields) {
  if (severity < minimum_level.load()) {
    return;
  }
  std::string line;
  begin_line(line, severity, message);
  for (const auto& item : fields) {
    line += ',';
    append_json_string(line, item.key);
    line += ':';
    if (auto text = std::get_if<std::string_view>(&item.value)) {
      append_json_string(line, *text);
    } else if (auto integer = std::get_if<std::int64_t>(&item.value)) {
      line += std::to_string(*integer);
    } else if (auto number = std::get_if<double>(&item.value)) {
      append_json_number(line, *number);
    } else {
      line += std::get<bool>(item.value) ? "true" : "false";
    }
  }
  emit(line);
}

void write_raw(level severity, std::string_view message, std::string_view key,
               std::string_view json_value) {
  if (severity < minimum_level.load()) {
    return;
  }
  std::string line;
  begin_line(line, severity, message);
  line += ',';
  append_json_string(line, key);
  line += ':';
  line += json_value;
  emit(line);
}

}  // namespace nimbus::log

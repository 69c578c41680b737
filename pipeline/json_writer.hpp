#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nimbus {

// Appends s to out as a JSON string literal. Control characters are escaped and bytes that are not
// valid UTF-8 become U+FFFD, so text copied from a venue's body can never break the document.
void append_json_string(std::string& out, std::string_view s);

// Appends the shortest decimal text that reads back as the same double, without an exponent for
// whole numbers up to 2^53. Non-finite values are written as null because JSON has no NaN or
// Infinity.
void append_json_number(std::string& out, double value);

// A streaming writer for one JSON document. It inserts commas itself; the caller keeps the
// begin/end calls balanced.
class json_writer {
 public:
  explicit json_writer(std::string& out) : out_(out) {}

  json_writer& begin_object();
  json_writer& end_object();
  json_writer& begin_array();
  json_writer& end_array();
  json_writer& key(std::string_view name);

  json_writer& string(std::string_view value);
  json_writer& number(double value);
  json_writer& integer(std::int64_t value);
  json_writer& boolean(bool value);
  json_writer& null();

  // Writes pre-rendered JSON text as one value, e.g. an exact decimal "64231.12".
  json_writer& raw(std::string_view json_text);

 private:
  void before_value();

  std::string& out_;
  std::vector<bool> first_in_scope_;
  bool after_key_ = false;
};

}  // namespace nimbus

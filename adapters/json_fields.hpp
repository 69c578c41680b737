#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

#include <simdjson.h>

#include "adapters/venue_adapter.hpp"

namespace nimbus::adapters {

// One JSON value seen during a single pass over a body: its kind and, for strings and numbers, its
// text. A string's text is unescaped, a number's text is its raw token, so "0.1" keeps every digit.
// The text views the parser's buffers and stays valid until the parser's next document.
struct json_scalar {
  enum class kind : std::uint8_t { missing, string, number, boolean, null, object, array };

  kind type = kind::missing;
  std::string_view text;

  bool present() const { return type != kind::missing; }
  bool is_string() const { return type == kind::string; }
  bool is_number() const { return type == kind::number; }
};

// The JSON name of a kind, for error details: "a string", "an object".
std::string_view describe(json_scalar::kind type);

// Records a value's kind and text. Objects and arrays are recorded by kind only and left unread,
// so the caller may still descend into them.
simdjson::error_code read_scalar(simdjson::ondemand::value& value, json_scalar& out);

// Copies body into the context's padded buffer and starts an On-Demand document over it with the
// context's reused parser.
simdjson::error_code start_document(parse_context& context, std::string_view body,
                                    simdjson::ondemand::document& document);

// True when nothing but whitespace follows the part of the document read so far. On-Demand reads
// lazily, so trailing bytes such as "{...}}" are only caught by asking.
bool at_document_end(simdjson::ondemand::document& document);

// Reads a member's key. A key without escapes is viewed in place in the padded buffer; only keys
// with a backslash are unescaped into the parser's string buffer.
simdjson::error_code read_key(simdjson::ondemand::field& field, std::string_view& key);

// Calls visit(key, value) for each member of object, in body order, and returns the first error
// that simdjson or visit reports. Members that visit leaves unread are skipped.
template <typename Visitor>
simdjson::error_code for_each_field(simdjson::ondemand::object& object, Visitor&& visit) {
  for (auto field_result : object) {
    simdjson::ondemand::field field;
    if (auto error = std::move(field_result).get(field)) {
      return error;
    }
    std::string_view key;
    if (auto error = read_key(field, key)) {
      return error;
    }
    if (auto error = visit(key, field.value())) {
      return error;
    }
  }
  return simdjson::SUCCESS;
}

// Calls visit(index, value) for each element of array and returns the first error.
template <typename Visitor>
simdjson::error_code for_each_element(simdjson::ondemand::array& array, Visitor&& visit) {
  std::size_t index = 0;
  for (auto element_result : array) {
    simdjson::ondemand::value element;
    if (auto error = std::move(element_result).get(element)) {
      return error;
    }
    if (auto error = visit(index, element)) {
      return error;
    }
    ++index;
  }
  return simdjson::SUCCESS;
}

// Opens value as an object and visits its members; a value of another kind is left unread and
// reported through is_object = false.
template <typename Visitor>
simdjson::error_code visit_object(simdjson::ondemand::value& value, bool& is_object,
                                  Visitor&& visit) {
  simdjson::ondemand::json_type type;
  if (auto error = value.type().get(type)) {
    return error;
  }
  is_object = type == simdjson::ondemand::json_type::object;
  if (!is_object) {
    return simdjson::SUCCESS;
  }
  simdjson::ondemand::object object;
  if (auto error = value.get_object().get(object)) {
    return error;
  }
  return for_each_field(object, std::forward<Visitor>(visit));
}

// Opens value as an array and visits its elements; see visit_object.
template <typename Visitor>
simdjson::error_code visit_array(simdjson::ondemand::value& value, bool& is_array,
                                 Visitor&& visit) {
  simdjson::ondemand::json_type type;
  if (auto error = value.type().get(type)) {
    return error;
  }
  is_array = type == simdjson::ondemand::json_type::array;
  if (!is_array) {
    return simdjson::SUCCESS;
  }
  simdjson::ondemand::array array;
  if (auto error = value.get_array().get(array)) {
    return error;
  }
  return for_each_element(array, std::forward<Visitor>(visit));
}

// A field visitor for roots or containers whose members are not needed: it leaves them unread.
inline simdjson::error_code skip_field(std::string_view, simdjson::ondemand::value&) {
  return simdjson::SUCCESS;
}

// An element visitor that leaves every element unread.
inline simdjson::error_code skip_element(std::size_t, simdjson::ondemand::value&) {
  return simdjson::SUCCESS;
}

// The kind of value at the top of a body.
enum class root_kind : std::uint8_t { object, array };

// Parses body as exactly one JSON object or array: visits the members of an object root with
// on_field or the elements of an array root with on_element, then checks that nothing but
// whitespace follows. A scalar root such as "123" is reported as SCALAR_DOCUMENT_AS_VALUE.
template <typename FieldVisitor, typename ElementVisitor>
simdjson::error_code parse_body(parse_context& context, std::string_view body, root_kind& root,
                                FieldVisitor&& on_field, ElementVisitor&& on_element) {
  simdjson::ondemand::document document;
  if (auto error = start_document(context, body, document)) {
    return error;
  }
  simdjson::ondemand::value value;
  if (auto error = document.get_value().get(value)) {
    return error;
  }

  bool is_object = false;
  if (auto error = visit_object(value, is_object, std::forward<FieldVisitor>(on_field))) {
    return error;
  }
  if (is_object) {
    root = root_kind::object;
  } else {
    bool is_array = false;
    if (auto error = visit_array(value, is_array, std::forward<ElementVisitor>(on_element))) {
      return error;
    }
    if (!is_array) {
      return simdjson::SCALAR_DOCUMENT_AS_VALUE;
    }
    root = root_kind::array;
  }

  if (!at_document_end(document)) {
    return simdjson::TRAILING_CONTENT;
  }
  return simdjson::SUCCESS;
}

// Captures value into the slot whose key matches; other keys are left unread.
struct field_slot {
  std::string_view key;
  json_scalar* target;
};

template <std::size_t N>
simdjson::error_code capture_field(std::string_view key, simdjson::ondemand::value& value,
                                   const std::array<field_slot, N>& slots) {
  for (const field_slot& slot : slots) {
    if (slot.key == key) {
      return read_scalar(value, *slot.target);
    }
  }
  return simdjson::SUCCESS;
}

// Captures the first elements of an array into targets, in order, and counts all elements.
template <std::size_t N>
simdjson::error_code capture_elements(simdjson::ondemand::value& value, bool& is_array,
                                      std::array<json_scalar, N>& targets, std::size_t& count) {
  count = 0;
  return visit_array(value, is_array, [&](std::size_t index, simdjson::ondemand::value& element) {
    count = index + 1;
    if (index < N) {
      return read_scalar(element, targets[index]);
    }
    return simdjson::SUCCESS;
  });
}

}  // namespace nimbus::adapters

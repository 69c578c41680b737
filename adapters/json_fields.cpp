#include "adapters/json_fields.hpp"

namespace nimbus::adapters {
namespace {

using simdjson::ondemand::json_type;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::size_t skip_digits(std::string_view text, std::size_t position) {
  while (position < text.size() && is_digit(text[position])) {
    ++position;
  }
  return position;
}

// JSON number grammar (RFC 8259): -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?. On-Demand does not
// check a number token until it is converted, and raw tokens are never converted here.
bool is_json_number(std::string_view token) {
  std::size_t position = 0;
  if (position < token.size() && token[position] == '-') {
    ++position;
  }
  if (position >= token.size() || !is_digit(token[position])) {
    return false;
  }
  if (token[position] == '0') {
    ++position;
  } else {
    position = skip_digits(token, position);
  }
  if (position < token.size() && token[position] == '.') {
    std::size_t fraction_start = ++position;
    position = skip_digits(token, position);
    if (position == fraction_start) {
      return false;
    }
  }
  if (position < token.size() && (token[position] == 'e' || token[position] == 'E')) {
    ++position;
    if (position < token.size() && (token[position] == '+' || token[position] == '-')) {
      ++position;
    }
    std::size_t exponent_start = position;
    position = skip_digits(token, position);
    if (position == exponent_start) {
      return false;
    }
  }
  return position == token.size();
}

std::string_view trim_trailing_whitespace(std::string_view token) {
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t' || token.back() == '\n' ||
                            token.back() == '\r')) {
    token.remove_suffix(1);
  }
  return token;
}

}  // namespace

std::string_view describe(json_scalar::kind type) {
  switch (type) {
    case json_scalar::kind::missing:
      return "missing";
    case json_scalar::kind::string:
      return "a string";
    case json_scalar::kind::number:
      return "a number";
    case json_scalar::kind::boolean:
      return "a boolean";
    case json_scalar::kind::null:
      return "null";
    case json_scalar::kind::object:
      return "an object";
    case json_scalar::kind::array:
      return "an array";
  }
  return "unknown";
}

simdjson::error_code read_scalar(simdjson::ondemand::value& value, json_scalar& out) {
  json_type type;
  if (auto error = value.type().get(type)) {
    return error;
  }
  switch (type) {
    case json_type::string: {
      // Most venue strings have no escapes, so they are viewed in place; stage 1 has already
      // rejected unclosed strings, raw control characters and invalid UTF-8.
      std::string_view token = trim_trailing_whitespace(value.raw_json_token());
      bool quoted = token.size() >= 2 && token.front() == '"' && token.back() == '"';
      if (quoted && token.find('\\') == std::string_view::npos) {
        out = {json_scalar::kind::string, token.substr(1, token.size() - 2)};
        return simdjson::SUCCESS;
      }
      std::string_view text;
      if (auto error = value.get_string().get(text)) {
        return error;
      }
      out = {json_scalar::kind::string, text};
      return simdjson::SUCCESS;
    }
    case json_type::number: {
      // The raw token keeps the venue's exact digits; converting to double would round them.
      std::string_view token = trim_trailing_whitespace(value.raw_json_token());
      if (!is_json_number(token)) {
        return simdjson::NUMBER_ERROR;
      }
      out = {json_scalar::kind::number, token};
      return simdjson::SUCCESS;
    }
    case json_type::boolean: {
      bool flag = false;
      if (auto error = value.get_bool().get(flag)) {
        return error;
      }
      out = {json_scalar::kind::boolean, flag ? "true" : "false"};
      return simdjson::SUCCESS;
    }
    case json_type::null: {
      bool is_null = false;
      if (auto error = value.is_null().get(is_null)) {
        return error;
      }
      if (!is_null) {
        return simdjson::N_ATOM_ERROR;
      }
      out = {json_scalar::kind::null, {}};
      return simdjson::SUCCESS;
    }
    case json_type::object:
      out = {json_scalar::kind::object, {}};
      return simdjson::SUCCESS;
    case json_type::array:
      out = {json_scalar::kind::array, {}};
      return simdjson::SUCCESS;
  }
  return simdjson::INCORRECT_TYPE;
}

simdjson::error_code read_key(simdjson::ondemand::field& field, std::string_view& key) {
  // raw() points just past the opening quote. Stage 1 guarantees a closing quote, so the scan
  // stops inside the document.
  const char* start = field.key().raw();
  const char* end = start;
  while (*end != '"' && *end != '\\') {
    ++end;
  }
  if (*end == '"') {
    key = std::string_view(start, static_cast<std::size_t>(end - start));
    return simdjson::SUCCESS;
  }
  return field.unescaped_key().get(key);
}

simdjson::error_code start_document(parse_context& context, std::string_view body,
                                    simdjson::ondemand::document& document) {
  return context.parser().iterate(context.padded(body)).get(document);
}

bool at_document_end(simdjson::ondemand::document& document) {
  // current_location() reports OUT_OF_BOUNDS once every token has been consumed.
  const char* location = nullptr;
  return document.current_location().get(location) == simdjson::OUT_OF_BOUNDS;
}

}  // namespace nimbus::adapters

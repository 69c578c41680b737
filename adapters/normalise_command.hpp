#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace nimbus {

// Exit codes of `nimbus-signals normalise`.
inline constexpr int normalise_exit_quote = 0;        // the body produced a quote
inline constexpr int normalise_exit_fetch_error = 2;  // the body produced a typed error
inline constexpr int normalise_exit_usage = 64;       // EX_USAGE: bad flags, venue or pair

// Runs `normalise`: parses one venue response body read from `in` with the named venue's adapter
// and prints one JSON object on `out`, either the quote or the error. args are the words after
// "normalise": --venue NAME --pair BASE-QUOTE [--status CODE] [--retry-after SECONDS]. Usage
// errors go to `err`.
int run_normalise_command(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                          std::ostream& err);

}  // namespace nimbus

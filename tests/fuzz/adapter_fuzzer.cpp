// libFuzzer target for one venue adapter; NIMBUS_FUZZ_VENUE names the venue at compile time. Each
// input is parsed as a body with a success status, a rate-limit status and a server-error status,
// and every result is checked against the adapter contract. A violation aborts, which libFuzzer
// reports as a crash with the input that caused it.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "adapters/registry.hpp"
#include "pipeline/quote_validation.hpp"

#ifndef NIMBUS_FUZZ_VENUE
#error "NIMBUS_FUZZ_VENUE must name the venue to fuzz, e.g. -DNIMBUS_FUZZ_VENUE=\"binance\""
#endif

namespace {

using nimbus::error_category;
using nimbus::fetch_error;
using nimbus::quote;

[[noreturn]] void fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "%s adapter contract violated: %s: %.*s\n", NIMBUS_FUZZ_VENUE, what,
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

void check(const nimbus::quote_result& result, int status) {
  if (const auto* parsed = std::get_if<quote>(&result)) {
    if (status < 200 || status > 299) {
      fail("a quote from a non-2xx response", parsed->pair);
    }
    if (auto error = nimbus::validate_quote(*parsed)) {
      fail("a quote that fails validation", error->detail);
    }
    return;
  }
  const auto& error = std::get<fetch_error>(result);
  if (error.category == error_category::timeout || error.category == error_category::transport) {
    fail("a fetch-only category", nimbus::to_string(error.category));
  }
  if (error.detail.empty()) {
    fail("an error without detail", nimbus::to_string(error.category));
  }
  if (error.http_status != status) {
    fail("an error with the wrong HTTP status", error.detail);
  }
}

const nimbus::venue_adapter& fuzzed_adapter() {
  static const nimbus::venue_adapter* adapter = nimbus::find_adapter(NIMBUS_FUZZ_VENUE);
  if (adapter == nullptr) {
    fail("no adapter registered under this name", NIMBUS_FUZZ_VENUE);
  }
  return *adapter;
}

// A pair every venue quotes: BTC-USDT, or BTC-USD where USDT is not offered (CoinGecko).
const std::string& fuzzed_pair() {
  static const std::string pair =
      fuzzed_adapter().venue_symbol("BTC-USDT") ? "BTC-USDT" : "BTC-USD";
  return pair;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // One context for the whole run, as a fetcher reuses its context across responses.
  static nimbus::parse_context context;
  const nimbus::timestamp received_at{std::chrono::seconds{1'710'328'260}};
  std::string_view body(reinterpret_cast<const char*>(data), size);

  for (int status : {200, 429, 503}) {
    nimbus::http_response response{status, body, std::nullopt};
    nimbus::quote_result result =
        fuzzed_adapter().parse(response, fuzzed_pair(), received_at, context);
    check(result, status);
  }
  return 0;
}

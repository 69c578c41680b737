#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace nimbus::sim {

// Faults a response can carry. Each one describes what the simulator does on the wire instead of
// sending the response normally; `latency` on the response still applies before it starts.

// Sends the normal response.
struct no_fault {};

// Holds the connection open and sends nothing for `hold`, then closes it. stop() closes it sooner.
struct hang {
  std::chrono::milliseconds hold{30'000};
};

// Sends the status line and headers with the full Content-Length, then only the first
// `body_bytes_sent` bytes of the body, then closes the connection (FIN), so the client gets a
// truncated transfer (curl: CURLE_PARTIAL_FILE).
struct close_mid_body {
  std::uint64_t body_bytes_sent = 0;
};

// Resets the connection (SO_LINGER 0, then close) after reading the request, without sending any
// byte of the response, so the client gets ECONNRESET (curl: CURLE_RECV_ERROR).
struct reset_connection {};

// Sends the whole response, status line and headers included, `bytes_per_tick` bytes every
// `interval`.
struct drip {
  std::size_t bytes_per_tick = 1;
  std::chrono::milliseconds interval{100};
};

using fault = std::variant<no_fault, hang, close_mid_body, reset_connection, drip>;

// One scripted HTTP response. Content-Length is always set from the body; the server adds
// `Connection: close` itself when it closes the connection after the response.
struct response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, sent in this order
  std::string body;

  // When set, the body is this many bytes generated in 64 KiB chunks while sending (see
  // generated_body_chunk), and `body` is ignored. Used for oversized-body tests without holding
  // the whole body in memory.
  std::optional<std::uint64_t> generated_body_bytes;

  std::chrono::milliseconds latency{0};  // delay between reading the request and responding
  bool close_connection = false;         // closes the connection after this response
  fault fault_mode = no_fault{};
};

// The request a response_handler builds a response for.
struct request_info {
  std::string method;
  std::string target;  // path and query exactly as sent
  std::uint64_t sequence =
      0;  // 1 for the first request to this target since the last reset_counts()
  std::chrono::steady_clock::time_point received_at;
};

// Builds a response for each request. Runs on the simulator's I/O thread, so it must be quick and
// must synchronise access to anything it shares with the test.
using response_handler = std::function<response(const request_info&)>;

// One step of a per-target script. A step becomes active when the previous one ends (the first one
// when the script is set) and ends after `requests` requests, or once `duration` has passed since
// it became active, whichever comes first. The last step never ends; every earlier step needs at
// least one of the two limits.
struct script_step {
  response reply;
  std::optional<std::uint64_t> requests;
  std::optional<std::chrono::milliseconds> duration;
};

// Convenience constructors for the common cases.

// A JSON response with the given status and body.
response json_response(int status, std::string body);

// A response with status 302 whose Location is the request target itself, so a client that
// follows redirects loops until its redirect limit.
response redirect_loop(const std::string& target);

// A 200 response whose body is `size_bytes` of generated, valid JSON: {"padding":"xxx...x"}.
// Sizes below 14 bytes produce a truncated prefix of that text.
response large_body(std::uint64_t size_bytes);

// The generated body of large_body(): `length` bytes starting at `offset`, written to `out`.
void generated_body_chunk(std::uint64_t total_size, std::uint64_t offset, std::size_t length,
                          std::string& out);

// A response that hangs for `hold` (see hang).
response hang_response(std::chrono::milliseconds hold = std::chrono::seconds{30});

// A response that resets the connection (see reset_connection).
response reset_response();

// `reply` sent as a drip of `bytes_per_tick` bytes every `interval` (see drip).
response drip_response(response reply, std::size_t bytes_per_tick,
                       std::chrono::milliseconds interval);

// `reply` whose body is cut after `body_bytes_sent` bytes (see close_mid_body).
response truncated_response(response reply, std::uint64_t body_bytes_sent);

}  // namespace nimbus::sim

#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace nimbus::http::test_support {

// One parsed HTTP/1.1 response.
struct http_reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  std::string header(const std::string& lower_case_name) const;
};

// A blocking TCP client on 127.0.0.1 that writes raw request bytes and reads responses, so tests
// can send what a library client would refuse to: oversized headers, malformed request lines. Every
// read waits at most the given timeout.
class test_connection {
 public:
  explicit test_connection(std::uint16_t port);
  ~test_connection();

  test_connection(const test_connection&) = delete;
  test_connection& operator=(const test_connection&) = delete;

  bool connected() const { return fd_ >= 0; }

  void send(std::string_view bytes);

  // Reads one response. For a response to HEAD pass head_request, because such a response carries
  // Content-Length without a body. nullopt when the connection closed or timed out first.
  std::optional<http_reply> read_reply(bool head_request = false,
                                       std::chrono::milliseconds timeout = std::chrono::seconds{5});

  // Waits until the server closes the connection; false if it is still open after timeout.
  bool wait_for_close(std::chrono::milliseconds timeout);

  // Bytes received but not yet consumed by read_reply.
  const std::string& pending() const { return buffer_; }

 private:
  // Reads more bytes into buffer_; false on close, error or timeout.
  bool receive(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  std::string buffer_;
};

// Whether a new TCP connection to 127.0.0.1:port is accepted.
bool accepts_connections(std::uint16_t port);

}  // namespace nimbus::http::test_support

#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <curl/curl.h>

namespace nimbus::sim {

struct http_request_options {
  std::chrono::milliseconds timeout{5'000};  // whole transfer (CURLOPT_TIMEOUT_MS)
  std::chrono::milliseconds connect_timeout{2'000};
  bool follow_redirects = false;
  long max_redirects = 5;

  // Aborts the transfer (CURLE_WRITE_ERROR) once more body bytes than this have arrived.
  std::optional<std::uint64_t> max_body_bytes;

  // False counts body bytes without storing them, for very large bodies.
  bool keep_body = true;
};

// What one transfer produced. `code` is CURLE_OK on success; the other fields hold whatever
// arrived before a failure.
struct http_result {
  CURLcode code = CURLE_OK;
  std::string error;  // curl's error buffer text
  long status = 0;
  std::map<std::string, std::string> headers;  // lower-case names, the last value of each
  std::string body;
  std::uint64_t body_bytes = 0;
  std::chrono::steady_clock::duration elapsed{};
  long new_connections = 0;  // CURLINFO_NUM_CONNECTS: connections this transfer opened
};

// A blocking libcurl client for tests. One easy handle is reused across requests, so consecutive
// requests to one host share a keep-alive connection as the service's fetchers do.
class test_http_client {
 public:
  test_http_client();
  ~test_http_client();

  test_http_client(const test_http_client&) = delete;
  test_http_client& operator=(const test_http_client&) = delete;

  http_result get(const std::string& url, const http_request_options& options = {});

 private:
  CURL* handle_ = nullptr;
};

}  // namespace nimbus::sim

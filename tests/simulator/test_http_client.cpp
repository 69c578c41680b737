#include "tests/simulator/test_http_client.hpp"

#include <algorithm>
#include <cctype>
#include <mutex>
#include <stdexcept>
#include <string_view>

namespace nimbus::sim {
namespace {

struct transfer_state {
  const http_request_options* options = nullptr;
  http_result* result = nullptr;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto& state = *static_cast<transfer_state*>(user);
  std::size_t bytes = size * count;
  state.result->body_bytes += bytes;
  if (state.options->max_body_bytes && state.result->body_bytes > *state.options->max_body_bytes) {
    return 0;  // makes curl abort with CURLE_WRITE_ERROR
  }
  if (state.options->keep_body) {
    state.result->body.append(data, bytes);
  }
  return bytes;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto& state = *static_cast<transfer_state*>(user);
  std::string_view line(data, size * count);

  // A new status line starts a new header block (after a redirect), so the previous one is dropped.
  if (line.starts_with("HTTP/")) {
    state.result->headers.clear();
    return line.size();
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos) {
    return line.size();
  }
  std::string name(line.substr(0, colon));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto value = line.substr(colon + 1);
  auto first = value.find_first_not_of(" \t");
  auto last = value.find_last_not_of(" \t\r\n");
  state.result->headers[name] =
      first == std::string_view::npos ? "" : std::string(value.substr(first, last - first + 1));
  return line.size();
}

}  // namespace

test_http_client::test_http_client() {
  static std::once_flag global_init;
  std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  handle_ = curl_easy_init();
  if (handle_ == nullptr) {
    throw std::runtime_error("curl_easy_init failed; libcurl could not allocate a handle");
  }
}

test_http_client::~test_http_client() {
  curl_easy_cleanup(handle_);
}

http_result test_http_client::get(const std::string& url, const http_request_options& options) {
  http_result result;
  transfer_state state{&options, &result};
  char error_buffer[CURL_ERROR_SIZE] = {};

  curl_easy_setopt(handle_, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle_, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle_, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout.count()));
  curl_easy_setopt(handle_, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options.connect_timeout.count()));
  curl_easy_setopt(handle_, CURLOPT_FOLLOWLOCATION, options.follow_redirects ? 1L : 0L);
  curl_easy_setopt(handle_, CURLOPT_MAXREDIRS, options.max_redirects);
  curl_easy_setopt(handle_, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(handle_, CURLOPT_WRITEDATA, &state);
  curl_easy_setopt(handle_, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(handle_, CURLOPT_HEADERDATA, &state);
  curl_easy_setopt(handle_, CURLOPT_ERRORBUFFER, error_buffer);

  auto started = std::chrono::steady_clock::now();
  result.code = curl_easy_perform(handle_);
  result.elapsed = std::chrono::steady_clock::now() - started;

  result.error = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(result.code);
  curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &result.status);
  curl_easy_getinfo(handle_, CURLINFO_NUM_CONNECTS, &result.new_connections);

  // The handle outlives this call, so it must not keep pointers into this frame.
  curl_easy_setopt(handle_, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(handle_, CURLOPT_WRITEDATA, nullptr);
  curl_easy_setopt(handle_, CURLOPT_HEADERDATA, nullptr);
  return result;
}

}  // namespace nimbus::sim

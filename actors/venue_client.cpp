#include "actors/venue_client.hpp"

#include <charconv>
#include <mutex>

#include <curl/curl.h>
#include <fmt/format.h>

#include "nimbus/build_info.hpp"

namespace nimbus {
namespace {

struct transfer_state {
  std::string* body = nullptr;
  std::size_t max_body_bytes = 0;
  bool body_too_large = false;
  std::optional<std::chrono::seconds> retry_after;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* state = static_cast<transfer_state*>(user);
  std::size_t bytes = size * count;
  if (state->body->size() + bytes > state->max_body_bytes) {
    state->body_too_large = true;
    return 0;  // makes curl abort the transfer with CURLE_WRITE_ERROR
  }
  state->body->append(data, bytes);
  return bytes;
}

// Reads Retry-After when given in seconds; the HTTP-date form is ignored because no venue in the
// registry sends it.
std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* state = static_cast<transfer_state*>(user);
  std::size_t bytes = size * count;
  std::string_view line(data, bytes);
  constexpr std::string_view name = "retry-after:";
  if (line.size() > name.size()) {
    bool matches = true;
    for (std::size_t i = 0; i < name.size(); ++i) {
      char c = line[i];
      if (c >= 'A' && c <= 'Z') {
        c = static_cast<char>(c - 'A' + 'a');
      }
      if (c != name[i]) {
        matches = false;
        break;
      }
    }
    if (matches) {
      std::string_view value = line.substr(name.size());
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
        value.remove_prefix(1);
      }
      long long seconds = 0;
      auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
      if (error == std::errc{} && seconds >= 0 && seconds <= 86'400) {
        state->retry_after = std::chrono::seconds{seconds};
      }
    }
  }
  return bytes;
}

fetch_error transport_failure(CURLcode code, const transfer_state& state, const char* message,
                              const venue_config& venue) {
  fetch_error error;
  error.transient = true;
  if (state.body_too_large) {
    error.category = error_category::transport;
    error.detail = fmt::format("response body exceeds max_body_bytes {}; raise it if the venue "
                               "legitimately sends more",
                               venue.max_body_bytes);
    return error;
  }
  if (code == CURLE_OPERATION_TIMEDOUT) {
    error.category = error_category::timeout;
    error.detail = fmt::format("no complete response within {} ms: {}",
                               venue.request_timeout.count(), message);
    return error;
  }
  error.category = error_category::transport;
  error.detail = fmt::format("{} ({})", message, curl_easy_strerror(code));
  return error;
}

}  // namespace

void initialise_curl() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

venue_client::venue_client(const venue_config& venue)
    : venue_(venue),
      curl_(curl_easy_init()),
      user_agent_(fmt::format("nimbus-signals/{} (+price service)", build_info::version)) {}

venue_client::~venue_client() {
  if (curl_ != nullptr) {
    curl_easy_cleanup(static_cast<CURL*>(curl_));
  }
}

fetch_outcome venue_client::get(const std::string& path_and_query) {
  fetch_outcome outcome;
  auto* curl = static_cast<CURL*>(curl_);
  if (curl == nullptr) {
    outcome.transport_error = fetch_error{error_category::transport, "curl_easy_init failed", 0,
                                          "", std::nullopt, true};
    return outcome;
  }

  transfer_state state{&outcome.body, venue_.max_body_bytes, false, std::nullopt};
  char error_buffer[CURL_ERROR_SIZE] = {};
  std::string url = venue_.base_url + path_and_query;

  // Options are set on every call because curl_easy_reset is not used. The handle and its
  // connection cache persist, which keeps the connection to the venue open.
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(venue_.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(venue_.request_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // every encoding curl supports, gzip too
  curl_easy_setopt(curl, CURLOPT_USERAGENT, user_agent_.c_str());
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 3L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(venue_.max_body_bytes));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &state);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &state);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  // A venue too slow to send 1 byte per second for 5 seconds is treated as stalled.
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 5L);

  auto started = std::chrono::steady_clock::now();
  CURLcode code = curl_easy_perform(curl);
  outcome.duration = std::chrono::steady_clock::now() - started;

  if (code == CURLE_FILESIZE_EXCEEDED) {
    state.body_too_large = true;
  }
  if (code != CURLE_OK) {
    const char* message = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
    outcome.transport_error = transport_failure(code, state, message, venue_);
    return outcome;
  }

  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  outcome.status = static_cast<int>(status);
  outcome.retry_after = state.retry_after;
  return outcome;
}

}  // namespace nimbus

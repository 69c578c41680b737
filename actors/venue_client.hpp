#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "pipeline/config.hpp"
#include "pipeline/fetch_error.hpp"

namespace nimbus {

// The outcome of one HTTP GET: a response (any status) or a transport failure.
struct fetch_outcome {
  int status = 0;
  std::string body;
  std::optional<std::chrono::seconds> retry_after;
  std::optional<fetch_error> transport_error;  // set when no complete response arrived
  std::chrono::nanoseconds duration{0};
};

// A blocking libcurl client for one venue. It keeps one easy handle, so the connection to the venue
// is reused across polls. Every request has a connect and a total timeout and a body size cap.
// Not thread-safe: one client per fetcher actor, which runs on its own thread.
class venue_client {
 public:
  explicit venue_client(const venue_config& venue);
  ~venue_client();

  venue_client(const venue_client&) = delete;
  venue_client& operator=(const venue_client&) = delete;

  fetch_outcome get(const std::string& path_and_query);

 private:
  venue_config venue_;
  void* curl_ = nullptr;  // CURL*, kept opaque so the header does not pull in curl.h
  std::string user_agent_;
};

// Initialises libcurl once per process; call before starting any fetcher thread.
void initialise_curl();

}  // namespace nimbus

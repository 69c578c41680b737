#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace nimbus::e2e {

// The real nimbus-signals binary, started as a child process on an ephemeral port.
class service_process {
 public:
  // Writes config_yaml to a temporary file and starts the binary with it plus extra_args.
  service_process(const std::string& config_yaml, std::vector<std::string> extra_args = {});
  ~service_process();

  service_process(const service_process&) = delete;
  service_process& operator=(const service_process&) = delete;

  // Waits until the port file appears; false when the process exited or the deadline passed.
  bool wait_until_listening(std::chrono::milliseconds timeout);

  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string url(const std::string& path) const;

  // Sends SIGTERM and waits; returns the exit code, or nullopt when it did not exit in time.
  std::optional<int> terminate(std::chrono::milliseconds timeout);

  // Waits for the process to exit by itself (for start-up failures).
  std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);

  bool running();
  std::string log_text() const;

 private:
  std::string directory_;
  std::string port_file_;
  std::string log_file_;
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::uint16_t port_ = 0;
};

// A free TCP port on 127.0.0.1, found by binding port 0 and closing the socket again.
std::uint16_t pick_free_port();

struct http_result {
  long status = 0;  // 0 when the request failed at the transport level
  std::string body;
  std::string headers;
};

// Sends one request with libcurl. extra_headers are "Name: value" lines.
http_result http_request(const std::string& method, const std::string& url,
                         const std::vector<std::string>& extra_headers = {},
                         std::chrono::milliseconds timeout = std::chrono::milliseconds{3000});

inline http_result http_get(const std::string& url) { return http_request("GET", url); }

// Polls condition every 50 ms until it is true or timeout passes.
template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) {
      return true;
    }
    struct timespec pause = {0, 50'000'000};
    nanosleep(&pause, nullptr);
  }
  return condition();
}

}  // namespace nimbus::e2e

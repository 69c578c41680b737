#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

namespace nimbus::faults {

// A minimal HTTP/1.1 server on 127.0.0.1 for the one fault the exchange simulator cannot play: a
// connection reset in the middle of the body. It responds to every request with `body` and closes
// the connection. While resetting, it sends the headers with the full Content-Length and half of
// the body, waits until the peer has acknowledged those bytes, and closes with SO_LINGER 0 so that
// the peer gets RST instead of FIN (curl: CURLE_RECV_ERROR). Connections are served one at a time.
class reset_server {
 public:
  explicit reset_server(std::string body);
  ~reset_server();

  reset_server(const reset_server&) = delete;
  reset_server& operator=(const reset_server&) = delete;

  std::string base_url() const;

  void set_resetting(bool resetting) { resetting_ = resetting; }
  std::uint64_t requests() const { return requests_.load(); }

 private:
  void serve();
  void respond(int connection);

  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::string body_;
  std::atomic<bool> resetting_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> requests_{0};
  std::thread thread_;
};

}  // namespace nimbus::faults

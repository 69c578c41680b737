#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "http/router.hpp"

namespace nimbus::http {

// Limits that protect the server from slow or oversized clients.
struct server_limits {
  std::size_t max_header_bytes = 8 * 1024;  // larger headers get 431
  std::size_t max_target_bytes = 2 * 1024;  // longer request targets get 414
  std::size_t max_body_bytes = 16 * 1024;   // the API takes no request bodies
  std::chrono::seconds read_timeout{10};    // the first request of a connection, and each write
  std::chrono::seconds idle_timeout{30};    // each later request on a keep-alive connection
  int max_requests_per_connection = 10'000;
};

// Produces the reply for one request; called on the server's threads.
using request_handler = std::function<reply(const request_line& request)>;

// Called after every response, for metrics: route label, method, status and handling time.
using request_observer =
    std::function<void(const std::string& route, std::string_view method, int status,
                       std::chrono::nanoseconds duration)>;

// Called for each request rejected before routing (oversized or malformed), for metrics.
using rejection_observer = std::function<void(std::string_view reason)>;

struct server_options {
  std::string address = "0.0.0.0";
  std::uint16_t port = 8080;
  int threads = 2;
  server_limits limits;
};

// An HTTP/1.1 keep-alive server (Boost.Beast) that passes every request to a handler. It owns its
// io_context and threads.
class server {
 public:
  server(server_options options, request_handler handler, request_observer on_request,
         rejection_observer on_rejection);
  ~server();

  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Binds and starts accepting. Throws boost::system::system_error when the address cannot be bound
  // (a start-up failure).
  void start();

  // The bound port, useful after binding port 0.
  std::uint16_t port() const { return bound_port_; }

  // Stops accepting and lets each connection finish its request in flight, then closes it.
  void stop_accepting();

  // Waits up to timeout for open connections to finish, then stops the threads.
  void shutdown(std::chrono::milliseconds timeout);

  int open_connections() const { return open_connections_.load(); }

  // Connections tracked for stop_accepting(); closed ones are dropped on the next accept.
  std::size_t tracked_sessions() {
    std::lock_guard lock(sessions_mutex_);
    return sessions_.size();
  }

 private:
  class session;
  void do_accept();
  void on_accept(boost::system::error_code error, boost::asio::ip::tcp::socket socket);

  server_options options_;
  request_handler handler_;
  request_observer on_request_;
  rejection_observer on_rejection_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer accept_retry_timer_;
  std::atomic<std::uint64_t> accept_failures_{0};
  std::vector<std::thread> threads_;
  std::atomic<bool> draining_{false};
  // Sessions are tracked weakly so that stop_accepting() can close idle keep-alive connections.
  std::mutex sessions_mutex_;
  std::vector<std::weak_ptr<session>> sessions_;
  std::atomic<int> open_connections_{0};
  std::uint16_t bound_port_ = 0;
};

// Splits "HOST:PORT" or "[V6]:PORT" into host and port; nullopt when malformed.
std::optional<std::pair<std::string, std::uint16_t>> split_host_port(const std::string& address);

}  // namespace nimbus::http

#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tests/simulator/response.hpp"
#include "tests/simulator/route_table.hpp"

namespace nimbus::sim {

struct simulator_options {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;  // 0 picks a free port

  // A keep-alive connection with no request for this long is closed, so a client must cope with a
  // server that drops idle connections.
  std::chrono::milliseconds idle_timeout{30'000};

  // A request whose headers or body exceed this many bytes closes the connection without a
  // response.
  std::size_t max_request_bytes = 64 * 1024;
};

// An HTTP/1.1 server on loopback that plays venue REST APIs for tests. Routes are keyed by the
// exact request target. Each returns a fixed response, follows a script or calls a handler, and
// any response can carry a fault (latency, hang, truncated body, reset, drip). The server runs its
// own io_context on one thread, so it never competes with the code under test for threads.
//
// Every public member function is thread-safe and may be called while requests are in flight.
// refuse_connections(), accept_connections() and stop() wait for the I/O thread; calling them from
// a response_handler runs them inline instead.
class exchange_simulator {
 public:
  // Binds and starts serving. Throws boost::system::system_error when the address cannot be bound.
  explicit exchange_simulator(simulator_options options = {});

  // Calls stop().
  ~exchange_simulator();

  exchange_simulator(const exchange_simulator&) = delete;
  exchange_simulator& operator=(const exchange_simulator&) = delete;

  std::uint16_t port() const { return port_; }

  // "http://127.0.0.1:PORT", the base_url to give a venue in the service's configuration.
  std::string base_url() const;

  // Routes: the latest call for a target replaces its earlier route. See route_table.
  void set_response(std::string target, response reply);
  void set_script(std::string target, std::vector<script_step> steps);
  void set_handler(std::string target, response_handler handler);
  void remove_route(const std::string& target);
  void clear_routes();

  // Requests received per exact target, including targets without a route. A request counts as
  // soon as it has been read, before its response (and any latency or fault) starts.
  std::uint64_t request_count(std::string_view target) const;
  std::uint64_t total_request_count() const;
  void reset_counts();

  // Waits until `target` has received at least `count` requests; false when `timeout` passes first.
  bool wait_for_requests(std::string_view target, std::uint64_t count,
                         std::chrono::milliseconds timeout) const;

  // TCP connections accepted since start; with keep-alive, several requests share one.
  std::uint64_t accepted_connections() const { return accepted_connections_.load(); }

  // Connections open right now.
  std::size_t open_connections() const;

  // Closes the listening socket and every open connection, but keeps the port bound (not
  // listening), so new connections are refused (ECONNREFUSED) and the port stays ours.
  void refuse_connections();

  // Listens again on the same port after refuse_connections().
  void accept_connections();

  // Closes the listener and every connection (hung and dripping ones too) and joins the I/O thread.
  // It does not wait for holds or drips to finish: the tests require it to return within 1 s with
  // such clients open. Later calls do nothing.
  void stop();

 private:
  class impl;

  // Declared before impl_ so that they outlive the I/O objects that refer to them.
  route_table routes_;
  std::atomic<std::uint64_t> accepted_connections_{0};
  std::uint16_t port_ = 0;
  std::unique_ptr<impl> impl_;
};

}  // namespace nimbus::sim

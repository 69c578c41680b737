#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "tests/simulator/exchange_simulator.hpp"
#include "tests/simulator/route_table.hpp"

namespace nimbus::sim::detail {

// What a session shares with the server that accepted it. All referenced objects outlive the
// session's I/O.
struct session_context {
  route_table& routes;
  const simulator_options& options;
  std::atomic<std::size_t>& open_connections;
};

// The bytes of one response on the wire: serialized header, then the body from a string or
// generated on the fly, up to a send limit that can stop short of the declared length.
class response_payload {
 public:
  response_payload(std::shared_ptr<const response> reply, bool keep_alive);

  bool done() const { return sent_ >= send_limit_; }

  // The next at most `max_bytes` bytes to send, as up to two pieces (the rest of the header and the
  // start of the body) so that one write can carry both. The views stay valid until the next call.
  std::array<std::string_view, 2> next(std::size_t max_bytes);

  void consume(std::size_t bytes) { sent_ += bytes; }

 private:
  std::shared_ptr<const response> reply_;
  std::string head_;
  std::uint64_t body_size_ = 0;
  std::uint64_t send_limit_ = 0;
  std::uint64_t sent_ = 0;
  std::string chunk_;  // the current piece of a generated body

  std::string_view next_body_piece(std::size_t max_bytes);
};

// One accepted connection: read a request, resolve its route, play the response and its fault,
// then read the next request while keep-alive holds. Runs only on the simulator's I/O thread.
class simulator_session : public std::enable_shared_from_this<simulator_session> {
 public:
  simulator_session(session_context context, boost::asio::ip::tcp::socket socket);
  ~simulator_session();

  void start() { do_read(); }

  // Closes the connection now, whatever it is doing; pending operations complete as aborted.
  void abort();

 private:
  void do_read();
  void on_read(boost::beast::error_code error, std::size_t bytes);

  void answer(std::shared_ptr<const response> reply);
  void play_fault();
  void do_hang();
  void do_reset();

  void do_write();
  void on_write(boost::beast::error_code error, std::size_t bytes);
  void on_sent();

  void close_gracefully();

  session_context context_;
  boost::beast::tcp_stream stream_;
  boost::asio::steady_timer timer_;  // latency, hang and drip waits
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;

  std::shared_ptr<const response> reply_;
  std::optional<response_payload> payload_;
  bool keep_alive_ = false;
  bool closed_ = false;
};

}  // namespace nimbus::sim::detail

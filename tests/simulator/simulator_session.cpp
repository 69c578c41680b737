#include "tests/simulator/simulator_session.hpp"

#include <algorithm>
#include <exception>
#include <sstream>

#include <boost/asio/write.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "pipeline/json_writer.hpp"

namespace nimbus::sim::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

// Writes of a plain response go out in pieces of this size, which bounds the buffer a generated
// body needs.
constexpr std::size_t write_chunk_bytes = 64 * 1024;

std::string serialize_head(const response& reply, std::uint64_t body_size, bool keep_alive) {
  bhttp::response<bhttp::empty_body> head;
  head.version(11);
  head.result(static_cast<unsigned>(reply.status));
  head.set(bhttp::field::server, "nimbus-exchange-simulator");
  if (!reply.content_type.empty()) {
    head.set(bhttp::field::content_type, reply.content_type);
  }
  for (const auto& [name, value] : reply.headers) {
    head.insert(name, value);
  }
  head.set(bhttp::field::content_length, std::to_string(body_size));
  head.set(bhttp::field::connection, keep_alive ? "keep-alive" : "close");

  std::ostringstream text;
  text << head.base();
  return text.str();
}

std::shared_ptr<const response> handler_failure(const std::string& target, const char* what) {
  response reply;
  reply.status = 500;
  reply.body = R"({"error":"response handler threw","target":)";
  append_json_string(reply.body, target);
  reply.body += R"(,"what":)";
  append_json_string(reply.body, what);
  reply.body += "}";
  return std::make_shared<const response>(std::move(reply));
}

}  // namespace

response_payload::response_payload(std::shared_ptr<const response> reply, bool keep_alive)
    : reply_(std::move(reply)) {
  body_size_ = reply_->generated_body_bytes.value_or(reply_->body.size());
  head_ = serialize_head(*reply_, body_size_, keep_alive);

  std::uint64_t body_to_send = body_size_;
  if (const auto* cut = std::get_if<close_mid_body>(&reply_->fault_mode)) {
    body_to_send = std::min(body_size_, cut->body_bytes_sent);
  }
  send_limit_ = head_.size() + body_to_send;
}

std::array<std::string_view, 2> response_payload::next(std::size_t max_bytes) {
  std::string_view head;
  if (sent_ < head_.size()) {
    std::size_t length =
        std::min<std::uint64_t>({max_bytes, head_.size() - sent_, send_limit_ - sent_});
    head = std::string_view(head_).substr(sent_, length);
  }
  return {head, next_body_piece(max_bytes - head.size())};
}

std::string_view response_payload::next_body_piece(std::size_t max_bytes) {
  std::uint64_t position = std::max<std::uint64_t>(sent_, head_.size());
  std::size_t length =
      std::min<std::uint64_t>(max_bytes, send_limit_ - std::min(position, send_limit_));
  if (length == 0) {
    return {};
  }

  std::uint64_t body_offset = position - head_.size();
  if (!reply_->generated_body_bytes) {
    return std::string_view(reply_->body).substr(body_offset, length);
  }
  generated_body_chunk(body_size_, body_offset, length, chunk_);
  return chunk_;
}

simulator_session::simulator_session(session_context context, asio::ip::tcp::socket socket)
    : context_(context), stream_(std::move(socket)), timer_(stream_.get_executor()) {
  ++context_.open_connections;

  // Each write is a whole response or a deliberate drip step, so Nagle's algorithm would only add
  // a delayed-ACK wait (about 40 ms) between the header and body of keep-alive responses.
  beast::error_code ignored;
  stream_.socket().set_option(asio::ip::tcp::no_delay(true), ignored);
}

simulator_session::~simulator_session() {
  --context_.open_connections;
}

void simulator_session::abort() {
  closed_ = true;
  timer_.cancel();
  beast::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  stream_.socket().close(ignored);
}

void simulator_session::do_read() {
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(context_.options.max_request_bytes));
  parser_->body_limit(context_.options.max_request_bytes);

  stream_.expires_after(context_.options.idle_timeout);
  bhttp::async_read(stream_, buffer_, *parser_,
                    beast::bind_front_handler(&simulator_session::on_read, shared_from_this()));
}

void simulator_session::on_read(beast::error_code error, std::size_t) {
  if (closed_) {
    return;
  }
  if (error) {
    // End of stream, idle timeout, an oversized or malformed request: no response is due.
    abort();
    return;
  }

  // Faults may take longer than the idle timeout (a hang, a slow drip), so writes have no deadline.
  stream_.expires_never();

  const auto& request = parser_->get();
  keep_alive_ = request.keep_alive();
  auto decision =
      context_.routes.resolve(std::string_view(request.method_string()),
                              std::string_view(request.target()), route_table::clock::now());
  if (decision.handler) {
    try {
      decision.reply = std::make_shared<const response>(decision.handler(decision.info));
    } catch (const std::exception& failure) {
      decision.reply = handler_failure(decision.info.target, failure.what());
    }
  }
  answer(std::move(decision.reply));
}

void simulator_session::answer(std::shared_ptr<const response> reply) {
  reply_ = std::move(reply);
  keep_alive_ = keep_alive_ && !reply_->close_connection;

  if (reply_->latency.count() <= 0) {
    play_fault();
    return;
  }
  timer_.expires_after(reply_->latency);
  timer_.async_wait([self = shared_from_this()](beast::error_code error) {
    if (!error && !self->closed_) {
      self->play_fault();
    }
  });
}

void simulator_session::play_fault() {
  if (std::holds_alternative<hang>(reply_->fault_mode)) {
    do_hang();
    return;
  }
  if (std::holds_alternative<reset_connection>(reply_->fault_mode)) {
    do_reset();
    return;
  }
  payload_.emplace(reply_, keep_alive_);
  do_write();
}

void simulator_session::do_hang() {
  timer_.expires_after(std::get<hang>(reply_->fault_mode).hold);
  timer_.async_wait([self = shared_from_this()](beast::error_code error) {
    if (!error) {
      self->abort();
    }
  });
}

void simulator_session::do_reset() {
  // A zero linger time makes close() send RST instead of FIN, as a crashed proxy would.
  beast::error_code ignored;
  stream_.socket().set_option(asio::socket_base::linger(true, 0), ignored);
  closed_ = true;
  timer_.cancel();
  stream_.socket().close(ignored);
}

void simulator_session::do_write() {
  const auto* slow = std::get_if<drip>(&reply_->fault_mode);
  auto pieces = payload_->next(slow ? slow->bytes_per_tick : write_chunk_bytes);
  std::array<asio::const_buffer, 2> buffers = {asio::buffer(pieces[0].data(), pieces[0].size()),
                                               asio::buffer(pieces[1].data(), pieces[1].size())};
  asio::async_write(stream_, buffers,
                    beast::bind_front_handler(&simulator_session::on_write, shared_from_this()));
}

void simulator_session::on_write(beast::error_code error, std::size_t bytes) {
  if (closed_) {
    return;
  }
  if (error) {
    // The client went away, for instance after its own body limit or timeout.
    abort();
    return;
  }

  payload_->consume(bytes);
  if (payload_->done()) {
    on_sent();
    return;
  }

  const auto* slow = std::get_if<drip>(&reply_->fault_mode);
  if (!slow) {
    do_write();
    return;
  }
  timer_.expires_after(slow->interval);
  timer_.async_wait([self = shared_from_this()](beast::error_code wait_error) {
    if (!wait_error && !self->closed_) {
      self->do_write();
    }
  });
}

void simulator_session::on_sent() {
  payload_.reset();
  if (std::holds_alternative<close_mid_body>(reply_->fault_mode) || !keep_alive_) {
    close_gracefully();
    return;
  }
  do_read();
}

void simulator_session::close_gracefully() {
  // Shutting down the send side first delivers a FIN after the data, so the client reads every
  // byte that was sent before it reads the end of the stream.
  closed_ = true;
  beast::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  stream_.socket().close(ignored);
}

}  // namespace nimbus::sim::detail

#include "http/server.hpp"

#include <list>
#include <mutex>
#include <optional>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace nimbus::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;

// One client connection: read a request, route it, write the reply, repeat while keep-alive holds.
class server::session : public std::enable_shared_from_this<session> {
 public:
  session(server& owner, tcp::socket socket) : owner_(owner), stream_(std::move(socket)) {
    ++owner_.open_connections_;
  }

  ~session() { --owner_.open_connections_; }

  void start() {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&session::do_read, shared_from_this()));
  }

  // Closes the connection if it is waiting for a request; a request in flight finishes first.
  void close_if_idle() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) {
        self->do_close();
      }
    });
  }

 private:
  void do_read() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(owner_.options_.limits.max_header_bytes));
    parser_->body_limit(owner_.options_.limits.max_body_bytes);

    // The first request of a connection gets the read timeout; later ones the idle timeout.
    const auto& limits = owner_.options_.limits;
    stream_.expires_after(requests_served_ == 0 ? limits.read_timeout : limits.idle_timeout);
    busy_ = false;
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code error, std::size_t) {
    busy_ = true;
    // A client that hangs up part-way through a request is gone, not malformed.
    if (error == bhttp::error::end_of_stream || error == bhttp::error::partial_message ||
        error == beast::error::timeout || error == asio::error::operation_aborted) {
      return do_close();
    }
    if (error == bhttp::error::header_limit) {
      return reject(431, "header_too_large",
                    "request headers exceed the limit; send smaller headers");
    }
    if (error == bhttp::error::body_limit) {
      return reject(413, "body_too_large", "request body exceeds the limit; this API takes none");
    }
    if (error.category() == beast::error_code(bhttp::error::bad_target).category()) {
      return reject(400, "malformed_request", "malformed HTTP request: " + error.message());
    }
    if (error) {
      return do_close();
    }

    const auto& request = parser_->get();
    if (request.target().size() > owner_.options_.limits.max_target_bytes) {
      return reject(414, "target_too_long", "request target exceeds the limit; shorten the URL");
    }
    handle(request);
  }

  void handle(const bhttp::request<bhttp::string_body>& request) {
    auto started = std::chrono::steady_clock::now();
    std::string_view method{request.method_string().data(), request.method_string().size()};
    std::string_view target{request.target().data(), request.target().size()};

    reply_ = owner_.handler_({method, target});

    bool keep_alive = request.keep_alive() && !owner_.draining_ &&
                      ++requests_served_ < owner_.options_.limits.max_requests_per_connection;
    write_reply(keep_alive, method == "HEAD", request.version());

    if (owner_.on_request_) {
      owner_.on_request_(reply_->route, method, reply_->status,
                         std::chrono::steady_clock::now() - started);
    }
  }

  void reject(int status, std::string_view code, const std::string& message) {
    if (owner_.on_rejection_) {
      owner_.on_rejection_(code);
    }
    reply_.emplace();
    reply_->status = status;
    reply_->route = "rejected";
    reply_->owned_body = render_error(status, code, message);
    // After a framing error the stream position is unknown, so the connection closes.
    write_reply(false, false, 11);
    if (owner_.on_request_) {
      owner_.on_request_(reply_->route, "other", status, std::chrono::nanoseconds{0});
    }
  }

  void write_reply(bool keep_alive, bool head_only, unsigned version) {
    std::string_view body = reply_->body();
    response_.emplace();
    response_->version(version);
    response_->result(static_cast<unsigned>(reply_->status));
    response_->set(bhttp::field::server, "nimbus-signals");
    response_->set(bhttp::field::content_type, reply_->content_type);
    response_->set(bhttp::field::cache_control, "no-store");
    if (!reply_->allow.empty()) {
      response_->set(bhttp::field::allow, reply_->allow);
    }
    response_->keep_alive(keep_alive);
    if (head_only) {
      response_->body() = bhttp::span_body<const char>::value_type{};
      response_->content_length(body.size());
    } else {
      response_->body() = bhttp::span_body<const char>::value_type{body.data(), body.size()};
      response_->prepare_payload();
    }

    stream_.expires_after(owner_.options_.limits.read_timeout);
    bhttp::async_write(stream_, *response_,
                       beast::bind_front_handler(&session::on_write, shared_from_this(),
                                                 keep_alive));
  }

  void on_write(bool keep_alive, beast::error_code error, std::size_t) {
    if (error || !keep_alive) {
      return do_close();
    }
    response_.reset();
    reply_.reset();
    do_read();
  }

  void do_close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
  }

  server& owner_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<reply> reply_;
  std::optional<bhttp::response<bhttp::span_body<const char>>> response_;
  int requests_served_ = 0;
  bool busy_ = false;

  friend class server;
};

std::optional<std::pair<std::string, std::uint16_t>> split_host_port(const std::string& address) {
  auto colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return std::nullopt;
  }
  std::string host = address.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "localhost") {
    host = "127.0.0.1";
  }
  unsigned long port = 0;
  try {
    std::size_t used = 0;
    port = std::stoul(address.substr(colon + 1), &used);
    if (used != address.size() - colon - 1 || port > 65535) {
      return std::nullopt;
    }
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return std::make_pair(host, static_cast<std::uint16_t>(port));
}

server::server(server_options options, request_handler handler, request_observer on_request,
               rejection_observer on_rejection)
    : options_(std::move(options)),
      handler_(std::move(handler)),
      on_request_(std::move(on_request)),
      on_rejection_(std::move(on_rejection)),
      acceptor_(asio::make_strand(io_)),
      accept_retry_timer_(acceptor_.get_executor()) {}

server::~server() { shutdown(std::chrono::milliseconds{0}); }

void server::start() {
  tcp::endpoint endpoint{asio::ip::make_address(options_.address), options_.port};
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  bound_port_ = acceptor_.local_endpoint().port();

  do_accept();
  for (int i = 0; i < options_.threads; ++i) {
    threads_.emplace_back([this] { io_.run(); });
  }
}

void server::do_accept() {
  acceptor_.async_accept(asio::make_strand(io_),
                         beast::bind_front_handler(&server::on_accept, this));
}

void server::on_accept(boost::system::error_code error, tcp::socket socket) {
  if (error == asio::error::operation_aborted || !acceptor_.is_open()) {
    return;
  }
  if (!error) {
    socket.set_option(tcp::no_delay(true), error);
    auto connection = std::make_shared<session>(*this, std::move(socket));
    {
      // Dropping closed sessions here keeps the list as long as the open connections, instead of
      // growing by one entry per connection for the life of the process.
      std::lock_guard lock(sessions_mutex_);
      std::erase_if(sessions_, [](const std::weak_ptr<session>& weak) { return weak.expired(); });
      sessions_.push_back(connection);
    }
    connection->start();
    do_accept();
    return;
  }

  // Accepting fails when the process runs out of file descriptors (EMFILE). Retrying at once would
  // spin a core while the error lasts, so the next attempt waits a little.
  ++accept_failures_;
  if (on_rejection_) {
    on_rejection_("accept_failed");
  }
  accept_retry_timer_.expires_after(std::chrono::milliseconds{100});
  accept_retry_timer_.async_wait([this](boost::system::error_code timer_error) {
    if (!timer_error && acceptor_.is_open()) {
      do_accept();
    }
  });
}

void server::stop_accepting() {
  draining_ = true;
  asio::post(acceptor_.get_executor(), [this] {
    beast::error_code ignored;
    acceptor_.close(ignored);
  });

  std::lock_guard lock(sessions_mutex_);
  for (auto& weak : sessions_) {
    if (auto connection = weak.lock()) {
      connection->close_if_idle();
    }
  }
  sessions_.clear();
}

void server::shutdown(std::chrono::milliseconds timeout) {
  if (threads_.empty()) {
    return;
  }
  stop_accepting();
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (open_connections_ > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
  io_.stop();
  for (auto& thread : threads_) {
    thread.join();
  }
  threads_.clear();
}

}  // namespace nimbus::http

#include "tests/simulator/exchange_simulator.hpp"

#include <functional>
#include <future>
#include <list>
#include <mutex>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "tests/simulator/simulator_session.hpp"

namespace nimbus::sim {

namespace asio = boost::asio;
using tcp = boost::asio::ip::tcp;

// The I/O side: the io_context, its thread, the acceptor and the open sessions. Everything except
// the constructor and run_on_io() runs on the I/O thread.
class exchange_simulator::impl {
 public:
  impl(exchange_simulator& owner, simulator_options options)
      : owner_(owner),
        options_(std::move(options)),
        acceptor_(io_),
        accept_retry_timer_(io_),
        work_(io_.get_executor()) {
    endpoint_ = tcp::endpoint(asio::ip::make_address(options_.address), options_.port);
    bind_without_listening();
    endpoint_ = acceptor_.local_endpoint();
    start_listening();
    thread_ = std::thread([this] { io_.run(); });
  }

  ~impl() { stop(); }

  std::uint16_t port() const { return endpoint_.port(); }
  std::size_t open_connections() const { return open_connections_.load(); }

  void refuse_connections() {
    run_on_io([this] {
      if (!stopped_) {
        close_listener_and_sessions();
        bind_without_listening();
      }
    });
  }

  void accept_connections() {
    run_on_io([this] {
      if (!stopped_ && !listening_) {
        start_listening();
      }
    });
  }

  void stop() {
    run_on_io([this] {
      if (stopped_.exchange(true)) {
        return;
      }
      close_listener_and_sessions();

      // With the guard gone, run() returns as soon as the aborted operations have completed;
      // every completion handler gets its error and starts nothing new.
      work_.reset();
    });

    // Called from a response handler, the I/O thread ends after the handler returns; it cannot
    // join itself.
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) {
      thread_.join();
    }
  }

 private:
  // Runs `step` on the I/O thread and waits for it, or runs it inline when already there.
  void run_on_io(const std::function<void()>& step) {
    if (io_.get_executor().running_in_this_thread()) {
      step();
      return;
    }

    std::lock_guard lock(control_mutex_);
    if (stopped_) {
      return;  // the I/O thread may have finished and would never run the step
    }
    std::promise<void> finished;
    auto done = finished.get_future();
    asio::post(io_, [&] {
      step();
      finished.set_value();
    });
    done.wait();
  }

  // Binds the port without listening, so connection attempts are refused (the kernel replies to SYN
  // with RST) while no other socket can take the port.
  void bind_without_listening() {
    acceptor_.open(endpoint_.protocol());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(endpoint_);
    listening_ = false;
  }

  void start_listening() {
    acceptor_.listen(asio::socket_base::max_listen_connections);
    listening_ = true;
    do_accept();
  }

  void close_listener_and_sessions() {
    listening_ = false;
    accept_retry_timer_.cancel();
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    for (auto& tracked : sessions_) {
      if (auto session = tracked.lock()) {
        session->abort();
      }
    }
    sessions_.clear();
  }

  void do_accept() {
    acceptor_.async_accept([this](boost::system::error_code error, tcp::socket socket) {
      on_accept(error, std::move(socket));
    });
  }

  void on_accept(boost::system::error_code error, tcp::socket socket) {
    if (!listening_ || stopped_ || error == asio::error::operation_aborted) {
      return;
    }
    if (error) {
      // Out of file descriptors and similar: try again shortly instead of spinning.
      accept_retry_timer_.expires_after(std::chrono::milliseconds(50));
      accept_retry_timer_.async_wait([this](boost::system::error_code wait_error) {
        if (!wait_error && listening_) {
          do_accept();
        }
      });
      return;
    }

    ++owner_.accepted_connections_;
    sessions_.remove_if([](const auto& tracked) { return tracked.expired(); });
    auto session = std::make_shared<detail::simulator_session>(
        detail::session_context{owner_.routes_, options_, open_connections_}, std::move(socket));
    sessions_.push_back(session);
    session->start();
    do_accept();
  }

  exchange_simulator& owner_;
  const simulator_options options_;

  // Declared before io_ so that sessions destroyed along with the io_context can still count down.
  std::atomic<std::size_t> open_connections_{0};

  asio::io_context io_;
  tcp::acceptor acceptor_;
  asio::steady_timer accept_retry_timer_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  tcp::endpoint endpoint_;
  std::list<std::weak_ptr<detail::simulator_session>> sessions_;
  bool listening_ = false;
  std::atomic<bool> stopped_{false};
  std::mutex control_mutex_;  // one control step from a test thread at a time
  std::thread thread_;
};

exchange_simulator::exchange_simulator(simulator_options options)
    : impl_(std::make_unique<impl>(*this, std::move(options))) {
  port_ = impl_->port();
}

exchange_simulator::~exchange_simulator() {
  stop();
}

std::string exchange_simulator::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

void exchange_simulator::set_response(std::string target, response reply) {
  routes_.set_response(std::move(target), std::move(reply));
}

void exchange_simulator::set_script(std::string target, std::vector<script_step> steps) {
  routes_.set_script(std::move(target), std::move(steps));
}

void exchange_simulator::set_handler(std::string target, response_handler handler) {
  routes_.set_handler(std::move(target), std::move(handler));
}

void exchange_simulator::remove_route(const std::string& target) {
  routes_.remove(target);
}

void exchange_simulator::clear_routes() {
  routes_.clear();
}

std::uint64_t exchange_simulator::request_count(std::string_view target) const {
  return routes_.request_count(target);
}

std::uint64_t exchange_simulator::total_request_count() const {
  return routes_.total_request_count();
}

void exchange_simulator::reset_counts() {
  routes_.reset_counts();
}

bool exchange_simulator::wait_for_requests(std::string_view target, std::uint64_t count,
                                           std::chrono::milliseconds timeout) const {
  return routes_.wait_for_requests(target, count, timeout);
}

std::size_t exchange_simulator::open_connections() const {
  return impl_->open_connections();
}

void exchange_simulator::refuse_connections() {
  impl_->refuse_connections();
}

void exchange_simulator::accept_connections() {
  impl_->accept_connections();
}

void exchange_simulator::stop() {
  impl_->stop();
}

}  // namespace nimbus::sim

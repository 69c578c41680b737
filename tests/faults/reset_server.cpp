#include "tests/faults/reset_server.hpp"

#include <arpa/inet.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <system_error>

#include <fmt/format.h>

namespace nimbus::faults {
namespace {

using namespace std::chrono_literals;

// Reads until the end of the request headers, because the service sends GET requests without a
// body.
bool read_request(int connection) {
  std::string request;
  char buffer[4096];
  auto deadline = std::chrono::steady_clock::now() + 2s;
  while (request.find("\r\n\r\n") == std::string::npos) {
    pollfd readable{connection, POLLIN, 0};
    if (std::chrono::steady_clock::now() > deadline || poll(&readable, 1, 100) < 0) {
      return false;
    }
    if ((readable.revents & POLLIN) == 0) {
      continue;
    }
    auto received = recv(connection, buffer, sizeof buffer, 0);
    if (received <= 0) {
      return false;
    }
    request.append(buffer, static_cast<std::size_t>(received));
  }
  return true;
}

void send_all(int connection, std::string_view bytes) {
  while (!bytes.empty()) {
    auto sent = send(connection, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent <= 0) {
      return;
    }
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
}

// Waits until the peer has acknowledged every byte sent, so that the RST that follows cannot
// discard the partial body still queued in the kernel.
void wait_until_sent(int connection) {
  auto deadline = std::chrono::steady_clock::now() + 1s;
  int queued = 1;
  while (std::chrono::steady_clock::now() < deadline) {
    if (ioctl(connection, SIOCOUTQ, &queued) != 0 || queued == 0) {
      return;
    }
    pollfd idle{connection, 0, 0};
    poll(&idle, 1, 5);
  }
}

}  // namespace

reset_server::reset_server(std::string body) : body_(std::move(body)) {
  listener_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (listener_ < 0 ||
      bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      listen(listener_, 16) != 0) {
    throw std::system_error(errno, std::generic_category(), "reset_server could not listen");
  }
  socklen_t length = sizeof address;
  getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { serve(); });
}

reset_server::~reset_server() {
  stopping_ = true;
  thread_.join();
  close(listener_);
}

std::string reset_server::base_url() const {
  return fmt::format("http://127.0.0.1:{}", port_);
}

void reset_server::serve() {
  while (!stopping_) {
    pollfd incoming{listener_, POLLIN, 0};
    if (poll(&incoming, 1, 50) <= 0 || (incoming.revents & POLLIN) == 0) {
      continue;
    }
    int connection = accept(listener_, nullptr, nullptr);
    if (connection < 0) {
      continue;
    }
    respond(connection);
  }
}

void reset_server::respond(int connection) {
  if (!read_request(connection)) {
    close(connection);
    return;
  }
  ++requests_;

  std::string headers = fmt::format(
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n"
      "Connection: close\r\n\r\n",
      body_.size());
  if (!resetting_) {
    send_all(connection, headers + body_);
    shutdown(connection, SHUT_WR);
    close(connection);
    return;
  }

  send_all(connection, headers + body_.substr(0, body_.size() / 2));
  wait_until_sent(connection);
  linger reset{1, 0};
  setsockopt(connection, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  close(connection);
}

}  // namespace nimbus::faults

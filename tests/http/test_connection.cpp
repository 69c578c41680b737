#include "test_connection.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

namespace nimbus::http::test_support {
namespace {

int connect_loopback(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    return -1;
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::string lower_case(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

int milliseconds_until(std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return static_cast<int>(std::max<std::int64_t>(0, left.count()));
}

}  // namespace

std::string http_reply::header(const std::string& lower_case_name) const {
  auto found = headers.find(lower_case_name);
  return found == headers.end() ? std::string{} : found->second;
}

test_connection::test_connection(std::uint16_t port) : fd_(connect_loopback(port)) {}

test_connection::~test_connection() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

void test_connection::send(std::string_view bytes) {
  while (!bytes.empty()) {
    auto written = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (written <= 0) {
      return;  // the server closed the connection; the next read reports it
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
}

bool test_connection::receive(std::chrono::steady_clock::time_point deadline) {
  pollfd descriptor{fd_, POLLIN, 0};
  if (::poll(&descriptor, 1, milliseconds_until(deadline)) <= 0) {
    return false;
  }
  char chunk[16 * 1024];
  auto received = ::recv(fd_, chunk, sizeof chunk, 0);
  if (received <= 0) {
    return false;
  }
  buffer_.append(chunk, static_cast<std::size_t>(received));
  return true;
}

std::optional<http_reply> test_connection::read_reply(bool head_request,
                                                      std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::size_t header_end = std::string::npos;
  while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!receive(deadline)) {
      return std::nullopt;
    }
  }

  // Status line "HTTP/1.1 200 OK", then one "Name: value" per line.
  http_reply reply;
  std::string head = buffer_.substr(0, header_end);
  auto line_end = head.find("\r\n");
  std::string status_line = head.substr(0, line_end);
  if (status_line.size() < 12 || !status_line.starts_with("HTTP/1.")) {
    return std::nullopt;
  }
  reply.status = std::stoi(status_line.substr(9, 3));
  while (line_end != std::string::npos) {
    auto next = head.find("\r\n", line_end + 2);
    std::string line = head.substr(line_end + 2, next - line_end - 2);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      auto value_start = line.find_first_not_of(' ', colon + 1);
      reply.headers[lower_case(line.substr(0, colon))] =
          value_start == std::string::npos ? std::string{} : line.substr(value_start);
    }
    line_end = next;
  }
  buffer_.erase(0, header_end + 4);

  std::size_t body_length = 0;
  if (!head_request && !reply.header("content-length").empty()) {
    body_length = std::stoul(reply.header("content-length"));
  }
  while (buffer_.size() < body_length) {
    if (!receive(deadline)) {
      return std::nullopt;
    }
  }
  reply.body = buffer_.substr(0, body_length);
  buffer_.erase(0, body_length);
  return reply;
}

bool test_connection::wait_for_close(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd descriptor{fd_, POLLIN, 0};
    if (::poll(&descriptor, 1, milliseconds_until(deadline)) <= 0) {
      continue;
    }
    char chunk[4096];
    auto received = ::recv(fd_, chunk, sizeof chunk, 0);
    if (received <= 0) {
      return true;  // an orderly close, or a reset
    }
    if (received > 0) {
      buffer_.append(chunk, static_cast<std::size_t>(received));
    }
  }
  return false;
}

bool accepts_connections(std::uint16_t port) {
  int fd = connect_loopback(port);
  if (fd < 0) {
    return false;
  }
  ::close(fd);
  return true;
}

}  // namespace nimbus::http::test_support

#include "http/server.hpp"

#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "test_connection.hpp"
#include "test_snapshot.hpp"

namespace nimbus::http {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using test_support::accepts_connections;
using test_support::test_connection;

struct observed_request {
  std::string route;
  std::string method;
  int status = 0;
};

std::string get_request(std::string_view target, std::string_view extra_headers = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
         std::string(extra_headers) + "\r\n";
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// Runs the real server on 127.0.0.1 with an ephemeral port, routing to the standard test snapshot,
// and records what the observers see.
class Server : public ::testing::Test {
 protected:
  void TearDown() override {
    if (server_) {
      server_->shutdown(seconds{2});
    }
  }

  void start(server_limits limits = {}) {
    server_options options;
    options.address = "127.0.0.1";
    options.port = 0;
    options.threads = 2;
    options.limits = limits;
    server_ = std::make_unique<server>(
        options, [this](const request_line& request) { return handle(request); },
        [this](const std::string& route, std::string_view method, int status,
               std::chrono::nanoseconds) {
          std::lock_guard lock(mutex_);
          requests_.push_back({route, std::string(method), status});
        },
        [this](std::string_view reason) {
          std::lock_guard lock(mutex_);
          rejections_.emplace_back(reason);
        });
    server_->start();
    ASSERT_NE(server_->port(), 0);
  }

  reply handle(const request_line& request) {
    if (request.target == "/slow") {
      slow_entered_.set_value();
      slow_release_.wait();
    }
    return route_request(request, snapshot_, [] { return std::string("nimbus_up 1\n"); });
  }

  // Polls condition every 10 ms until it is true or timeout passes.
  template <class Condition>
  bool wait_until(Condition condition, milliseconds timeout = milliseconds{3'000}) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
      if (std::chrono::steady_clock::now() >= deadline) {
        return false;
      }
      std::this_thread::sleep_for(milliseconds{10});
    }
    return true;
  }

  std::vector<observed_request> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  std::vector<std::string> rejections() {
    std::lock_guard lock(mutex_);
    return rejections_;
  }

  std::shared_ptr<const rendered_snapshot> snapshot_ =
      test_support::render(test_support::make_snapshot());
  std::unique_ptr<server> server_;
  std::promise<void> slow_entered_;
  std::shared_future<void> slow_release_;
  std::mutex mutex_;
  std::vector<observed_request> requests_;
  std::vector<std::string> rejections_;
};

TEST_F(Server, KeepAliveServesTwoRequests) {
  start();
  test_connection connection(server_->port());
  ASSERT_TRUE(connection.connected());

  connection.send(get_request("/healthz"));
  auto first = connection.read_reply();
  connection.send(get_request("/v1/prices/btc-usd"));
  auto second = connection.read_reply();

  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(first->body, R"({"status":"ok"})");
  EXPECT_NE(first->header("connection"), "close");
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->status, 200);
  EXPECT_TRUE(contains(second->body, R"("pair":"BTC-USD")")) << second->body;
  EXPECT_EQ(second->header("content-type"), "application/json");
  EXPECT_EQ(server_->open_connections(), 1);
}

TEST_F(Server, HeadSendsContentLengthWithoutBody) {
  start();
  test_connection connection(server_->port());
  connection.send(get_request("/v1/prices"));
  auto full = connection.read_reply();
  ASSERT_TRUE(full.has_value());

  connection.send("HEAD /v1/prices HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  auto head = connection.read_reply(true);
  // A body after the HEAD response would be read here in place of the next status line.
  connection.send(get_request("/healthz"));
  auto next = connection.read_reply();

  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->header("content-length"), std::to_string(full->body.size()));
  ASSERT_TRUE(next.has_value()) << "unexpected bytes: " << connection.pending();
  EXPECT_EQ(next->body, R"({"status":"ok"})");
}

TEST_F(Server, HeaderOver8KiBGets431) {
  start();
  test_connection connection(server_->port());

  connection.send(get_request("/healthz", "X-Fill: " + std::string(9 * 1024, 'a') + "\r\n"));
  auto reply = connection.read_reply();

  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 431);
  EXPECT_TRUE(contains(reply->body, R"("code":"header_too_large")")) << reply->body;
  EXPECT_TRUE(connection.wait_for_close(seconds{2}));
  EXPECT_TRUE(wait_until([&] { return rejections().size() == 1; }));
  EXPECT_EQ(rejections().at(0), "header_too_large");
}

TEST_F(Server, HugeHeaderStillGets431) {
  // The server stops reading at the limit, so most of these bytes are still unread when it closes.
  start();
  test_connection connection(server_->port());

  connection.send(get_request("/healthz", "X-Fill: " + std::string(256 * 1024, 'a') + "\r\n"));
  auto reply = connection.read_reply();

  ASSERT_TRUE(reply.has_value()) << "connection closed before the 431 response arrived";
  EXPECT_EQ(reply->status, 431);
}

TEST_F(Server, BodyOver16KiBGets413) {
  start();
  test_connection connection(server_->port());

  connection.send("POST /v1/prices HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 20000\r\n\r\n" +
                  std::string(20'000, 'b'));
  auto reply = connection.read_reply();

  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 413);
  EXPECT_TRUE(contains(reply->body, R"("code":"body_too_large")")) << reply->body;
}

TEST_F(Server, PipelinedRequestsAnsweredInOrder) {
  start();
  test_connection connection(server_->port());

  connection.send(get_request("/livez") + get_request("/v1/prices/eth-usd"));
  auto first = connection.read_reply();
  auto second = connection.read_reply();

  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->body, R"({"status":"ok"})");
  ASSERT_TRUE(second.has_value());
  EXPECT_TRUE(contains(second->body, R"("pair":"ETH-USD")")) << second->body;
}

TEST_F(Server, Http10RequestAnsweredAndClosed) {
  start();
  test_connection connection(server_->port());

  connection.send("GET /healthz HTTP/1.0\r\n\r\n");
  auto reply = connection.read_reply();

  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200);
  EXPECT_TRUE(connection.wait_for_close(seconds{2}));
}

TEST_F(Server, TargetOver2KiBGets414) {
  start();
  test_connection connection(server_->port());

  connection.send(get_request("/healthz?pad=" + std::string(3 * 1024, 'a')));
  auto reply = connection.read_reply();

  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 414);
  EXPECT_TRUE(contains(reply->body, R"("code":"target_too_long")")) << reply->body;
  EXPECT_TRUE(connection.wait_for_close(seconds{2}));
  EXPECT_TRUE(wait_until([&] { return rejections().size() == 1; }));
  EXPECT_EQ(rejections().at(0), "target_too_long");
}

TEST_F(Server, TargetOfExactly2KiBServed) {
  start();
  test_connection connection(server_->port());
  std::string target = "/healthz?pad=";
  target += std::string(2 * 1024 - target.size(), 'a');

  connection.send(get_request(target));
  auto reply = connection.read_reply();

  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 200);
}

struct malformed_case {
  std::string name;
  std::string bytes;
  friend void PrintTo(const malformed_case& value, std::ostream* out) { *out << value.name; }
};

class ServerMalformedRequest : public Server,
                               public ::testing::WithParamInterface<malformed_case> {};

TEST_P(ServerMalformedRequest, Gets400AndClose) {
  start();
  test_connection connection(server_->port());

  connection.send(GetParam().bytes);
  auto reply = connection.read_reply();

  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 400);
  EXPECT_TRUE(contains(reply->body, R"("code":"malformed_request")")) << reply->body;
  EXPECT_TRUE(connection.wait_for_close(seconds{2}));
}

INSTANTIATE_TEST_SUITE_P(
    RequestLines, ServerMalformedRequest,
    ::testing::Values(malformed_case{"BadVersion", "GET /healthz HTTX/1.1\r\n\r\n"},
                      malformed_case{"NoVersion", "NOT A REQUEST\r\n\r\n"},
                      malformed_case{"DoubleSpace", "GET  /healthz HTTP/1.1\r\n\r\n"},
                      malformed_case{"ControlBytes", "\x01\x02\x03 / HTTP/1.1\r\n\r\n"},
                      malformed_case{"HeaderWithoutColon",
                                     "GET /healthz HTTP/1.1\r\nBad Header\r\n\r\n"}),
    [](const ::testing::TestParamInfo<malformed_case>& case_info) { return case_info.param.name; });

TEST_F(Server, IdleConnectionClosedAfterTimeout) {
  server_limits limits;
  limits.idle_timeout = seconds{1};
  start(limits);
  test_connection connection(server_->port());
  connection.send(get_request("/healthz"));
  ASSERT_TRUE(connection.read_reply().has_value());
  auto idle_since = std::chrono::steady_clock::now();

  bool closed = connection.wait_for_close(seconds{5});
  auto idle_for = std::chrono::steady_clock::now() - idle_since;

  EXPECT_TRUE(closed);
  // Time is under test here: the close must come from the 1 s timer, not sooner.
  EXPECT_GE(idle_for, milliseconds{800});
  EXPECT_LT(idle_for, seconds{4});
  EXPECT_TRUE(wait_until([&] { return server_->open_connections() == 0; }));
}

TEST_F(Server, ClientConnectionCloseHonoured) {
  start();
  test_connection connection(server_->port());

  connection.send(get_request("/healthz", "Connection: close\r\n"));
  auto reply = connection.read_reply();

  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->header("connection"), "close");
  EXPECT_TRUE(connection.wait_for_close(seconds{2}));
}

TEST_F(Server, PostGets405WithAllowHeader) {
  start();
  test_connection connection(server_->port());

  connection.send("POST /v1/prices HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n");
  auto reply = connection.read_reply();

  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 405);
  EXPECT_EQ(reply->header("allow"), "GET, HEAD");
}

TEST_F(Server, ShutdownClosesIdleClients) {
  start();
  test_connection keep_alive(server_->port());
  keep_alive.send(get_request("/healthz"));
  ASSERT_TRUE(keep_alive.read_reply().has_value());
  test_connection silent(server_->port());
  ASSERT_TRUE(wait_until([&] { return server_->open_connections() == 2; }));
  auto port = server_->port();

  server_->stop_accepting();
  auto shutdown_started = std::chrono::steady_clock::now();
  server_->shutdown(seconds{5});
  auto shutdown_took = std::chrono::steady_clock::now() - shutdown_started;

  EXPECT_LT(shutdown_took, seconds{3}) << "idle connections were not closed by stop_accepting";
  EXPECT_EQ(server_->open_connections(), 0);
  EXPECT_TRUE(keep_alive.wait_for_close(seconds{1}));
  EXPECT_TRUE(silent.wait_for_close(seconds{1}));
  EXPECT_FALSE(accepts_connections(port));
}

TEST_F(Server, RequestInFlightFinishesDuringDrain) {
  std::promise<void> release;
  slow_release_ = release.get_future().share();
  auto entered = slow_entered_.get_future();
  start();
  test_connection connection(server_->port());
  connection.send(get_request("/slow"));
  ASSERT_EQ(entered.wait_for(seconds{3}), std::future_status::ready);

  server_->stop_accepting();
  release.set_value();
  auto reply = connection.read_reply();

  // /slow is no route of the API, so once released the router returns 404.
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 404);
  EXPECT_EQ(reply->header("connection"), "close");
  EXPECT_TRUE(connection.wait_for_close(seconds{2}));
}

TEST_F(Server, ObserverSeesRouteMethodAndStatus) {
  start();
  test_connection connection(server_->port());

  connection.send(get_request("/v1/prices/btc-usd"));
  ASSERT_TRUE(connection.read_reply().has_value());
  connection.send(get_request("/nowhere"));
  ASSERT_TRUE(connection.read_reply().has_value());
  connection.send("HEAD /v1/venues HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  ASSERT_TRUE(connection.read_reply(true).has_value());

  ASSERT_TRUE(wait_until([&] { return requests().size() == 3; }));
  auto seen = requests();
  EXPECT_EQ(seen[0].route, "/v1/prices/{pair}");
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].status, 200);
  EXPECT_EQ(seen[1].route, "unmatched");
  EXPECT_EQ(seen[1].status, 404);
  EXPECT_EQ(seen[2].route, "/v1/venues");
  EXPECT_EQ(seen[2].method, "HEAD");
  EXPECT_EQ(seen[2].status, 200);
}

TEST_F(Server, ClosedConnectionsAreForgotten) {
  start();

  for (int i = 0; i < 50; ++i) {
    test_connection connection(server_->port());
    connection.send(get_request("/healthz", "Connection: close\r\n"));
    ASSERT_TRUE(connection.read_reply().has_value()) << "connection " << i;
    ASSERT_TRUE(connection.wait_for_close(seconds{2})) << "connection " << i;
  }
  ASSERT_TRUE(wait_until([&] { return server_->open_connections() == 0; }));
  test_connection last(server_->port());
  last.send(get_request("/healthz"));
  ASSERT_TRUE(last.read_reply().has_value());

  // Only the open connection is still tracked for stop_accepting, not the 50 closed ones.
  EXPECT_LE(server_->tracked_sessions(), 1u);
}

TEST(SplitHostPort, ParsesAddresses) {
  EXPECT_EQ(split_host_port("127.0.0.1:8080"),
            std::make_pair(std::string("127.0.0.1"), std::uint16_t{8080}));
  EXPECT_EQ(split_host_port("[::1]:0"), std::make_pair(std::string("::1"), std::uint16_t{0}));
  EXPECT_EQ(split_host_port("localhost:9091"),
            std::make_pair(std::string("127.0.0.1"), std::uint16_t{9091}));
  EXPECT_FALSE(split_host_port("127.0.0.1").has_value());
  EXPECT_FALSE(split_host_port("127.0.0.1:70000").has_value());
  EXPECT_FALSE(split_host_port("127.0.0.1:80x").has_value());
  EXPECT_FALSE(split_host_port(":8080").has_value());
}

}  // namespace
}  // namespace nimbus::http

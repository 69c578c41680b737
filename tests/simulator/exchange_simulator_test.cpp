#include "tests/simulator/exchange_simulator.hpp"

#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/simulator/test_http_client.hpp"

namespace nimbus::sim {
namespace {

using namespace std::chrono_literals;
using std::chrono::duration_cast;
using std::chrono::milliseconds;

milliseconds elapsed_ms(const http_result& result) {
  return duration_cast<milliseconds>(result.elapsed);
}

// Polls `condition` every 10 ms until it is true or `timeout` passes.
template <typename Condition>
bool eventually(Condition condition, milliseconds timeout = 5s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) {
      return true;
    }
    std::this_thread::sleep_for(10ms);
  }
  return condition();
}

class ExchangeSimulator : public ::testing::Test {
 protected:
  std::string url(const std::string& target) const { return simulator_.base_url() + target; }

  exchange_simulator simulator_;
  test_http_client client_;
};

TEST_F(ExchangeSimulator, BindsLoopbackPort) {
  EXPECT_NE(simulator_.port(), 0);
  EXPECT_EQ(simulator_.base_url(), "http://127.0.0.1:" + std::to_string(simulator_.port()));
}

TEST_F(ExchangeSimulator, ServesStatusHeadersAndBody) {
  auto reply = json_response(429, R"({"code":-1003})");
  reply.headers.emplace_back("Retry-After", "7");
  simulator_.set_response("/api/v3/ticker/24hr?symbol=BTCUSDT", reply);

  auto result = client_.get(url("/api/v3/ticker/24hr?symbol=BTCUSDT"));

  ASSERT_EQ(result.code, CURLE_OK) << result.error;
  EXPECT_EQ(result.status, 429);
  EXPECT_EQ(result.body, R"({"code":-1003})");
  EXPECT_EQ(result.headers["retry-after"], "7");
  EXPECT_EQ(result.headers["content-type"], "application/json");
  EXPECT_EQ(result.headers["content-length"], "14");
}

TEST_F(ExchangeSimulator, RoutesByExactQuery) {
  simulator_.set_response("/t?symbol=BTCUSDT", json_response(200, "btc"));

  auto other_query = client_.get(url("/t?symbol=ETHUSDT"));
  auto no_query = client_.get(url("/t"));

  EXPECT_EQ(other_query.status, 404);
  EXPECT_EQ(no_query.status, 404);
  EXPECT_EQ(simulator_.request_count("/t?symbol=ETHUSDT"), 1u);
  EXPECT_EQ(simulator_.request_count("/t?symbol=BTCUSDT"), 0u);
}

TEST_F(ExchangeSimulator, UnknownTargetReturnsJson404) {
  auto result = client_.get(url("/v5/market/tickers?category=spot"));

  ASSERT_EQ(result.code, CURLE_OK) << result.error;
  EXPECT_EQ(result.status, 404);
  EXPECT_EQ(result.headers["content-type"], "application/json");
  EXPECT_NE(result.body.find(R"("target":"/v5/market/tickers?category=spot")"), std::string::npos)
      << result.body;
}

TEST_F(ExchangeSimulator, KeepAliveReusesOneConnection) {
  simulator_.set_response("/ticker", json_response(200, "{}"));

  long connections_opened = 0;
  for (int i = 0; i < 5; ++i) {
    auto result = client_.get(url("/ticker"));
    ASSERT_EQ(result.code, CURLE_OK) << "request " << i << ": " << result.error;
    connections_opened += result.new_connections;
  }

  EXPECT_EQ(connections_opened, 1);
  EXPECT_EQ(simulator_.accepted_connections(), 1u);
  EXPECT_EQ(simulator_.request_count("/ticker"), 5u);
}

TEST_F(ExchangeSimulator, CloseConnectionForcesNewConnection) {
  auto reply = json_response(200, "{}");
  reply.close_connection = true;
  simulator_.set_response("/ticker", reply);

  auto first = client_.get(url("/ticker"));
  auto second = client_.get(url("/ticker"));

  EXPECT_EQ(first.headers["connection"], "close");
  EXPECT_EQ(second.new_connections, 1);
  EXPECT_EQ(simulator_.accepted_connections(), 2u);
}

TEST_F(ExchangeSimulator, ScriptFailsThenHeals) {
  simulator_.set_script("/ticker", {{json_response(503, "down"), 3, std::nullopt},
                                    {json_response(200, "up"), std::nullopt, std::nullopt}});

  std::vector<long> statuses;
  for (int i = 0; i < 5; ++i) {
    statuses.push_back(client_.get(url("/ticker")).status);
  }

  EXPECT_EQ(statuses, (std::vector<long>{503, 503, 503, 200, 200}));
}

TEST_F(ExchangeSimulator, ScriptChangesOverTime) {
  auto set_at = std::chrono::steady_clock::now();
  simulator_.set_script("/ticker", {{json_response(503, "down"), std::nullopt, 300ms},
                                    {json_response(200, "up"), std::nullopt, std::nullopt}});

  EXPECT_EQ(client_.get(url("/ticker")).status, 503);
  bool healed = eventually([&] { return client_.get(url("/ticker")).status == 200; });

  ASSERT_TRUE(healed);
  EXPECT_GE(std::chrono::steady_clock::now() - set_at, 300ms);
}

TEST_F(ExchangeSimulator, HandlerBuildsEachResponse) {
  simulator_.set_handler("/ticker", [](const request_info& info) {
    return json_response(200, info.method + " " + std::to_string(info.sequence));
  });

  client_.get(url("/ticker"));
  auto second = client_.get(url("/ticker"));

  EXPECT_EQ(second.body, "GET 2");
}

TEST_F(ExchangeSimulator, ThrowingHandlerGives500) {
  simulator_.set_handler("/ticker", [](const request_info&) -> response {
    throw std::runtime_error("price feed not ready");
  });

  auto result = client_.get(url("/ticker"));

  EXPECT_EQ(result.status, 500);
  EXPECT_NE(result.body.find("price feed not ready"), std::string::npos) << result.body;
}

TEST_F(ExchangeSimulator, LatencyDelaysResponse) {
  auto reply = json_response(200, "{}");
  reply.latency = 300ms;
  simulator_.set_response("/slow", reply);

  auto result = client_.get(url("/slow"));

  ASSERT_EQ(result.code, CURLE_OK) << result.error;
  EXPECT_GE(elapsed_ms(result), 290ms);
  EXPECT_LT(elapsed_ms(result), 3s);
}

TEST_F(ExchangeSimulator, HangOutlastsClientTimeout) {
  simulator_.set_response("/hang", hang_response(10s));
  simulator_.set_response("/ok", json_response(200, "{}"));
  http_request_options options;
  options.timeout = 300ms;

  auto result = client_.get(url("/hang"), options);

  EXPECT_EQ(result.code, CURLE_OPERATION_TIMEDOUT) << result.error;
  EXPECT_LT(elapsed_ms(result), 3s);
  EXPECT_EQ(test_http_client().get(url("/ok")).status, 200);
}

TEST_F(ExchangeSimulator, HangClosesAfterHold) {
  simulator_.set_response("/hang", hang_response(200ms));

  auto result = client_.get(url("/hang"));

  EXPECT_EQ(result.code, CURLE_GOT_NOTHING) << result.error;
  EXPECT_GE(elapsed_ms(result), 190ms);
}

TEST_F(ExchangeSimulator, CloseMidBodyGivesPartialFile) {
  simulator_.set_response("/cut",
                          truncated_response(json_response(200, std::string(1000, 'a')), 100));

  auto result = client_.get(url("/cut"));

  EXPECT_EQ(result.code, CURLE_PARTIAL_FILE) << result.error;
  EXPECT_EQ(result.headers["content-length"], "1000");
  EXPECT_EQ(result.body_bytes, 100u);
}

TEST_F(ExchangeSimulator, ResetGivesReceiveError) {
  simulator_.set_response("/reset", reset_response());

  auto result = client_.get(url("/reset"));

  EXPECT_EQ(result.code, CURLE_RECV_ERROR) << result.error;
  EXPECT_NE(result.error.find("reset"), std::string::npos) << result.error;
}

TEST_F(ExchangeSimulator, DripDeliversWholeBodySlowly) {
  std::string body(200, 'd');
  simulator_.set_response("/drip", drip_response(json_response(200, body), 50, 50ms));

  auto result = client_.get(url("/drip"));

  // The header is over 100 bytes, so at 50 bytes per 50 ms the response needs at least 6 ticks.
  ASSERT_EQ(result.code, CURLE_OK) << result.error;
  EXPECT_EQ(result.body, body);
  EXPECT_GE(elapsed_ms(result), 250ms);
  EXPECT_LT(elapsed_ms(result), 5s);
}

TEST_F(ExchangeSimulator, DripOutlastsClientTimeout) {
  simulator_.set_response("/drip",
                          drip_response(json_response(200, std::string(500, 'd')), 1, 100ms));
  http_request_options options;
  options.timeout = 400ms;

  auto result = client_.get(url("/drip"), options);

  EXPECT_EQ(result.code, CURLE_OPERATION_TIMEDOUT) << result.error;
}

TEST_F(ExchangeSimulator, LargeBodyStreamsDeclaredSize) {
  const std::uint64_t size = 50ull * 1024 * 1024;
  simulator_.set_response("/large", large_body(size));
  http_request_options options;
  options.keep_body = false;
  options.timeout = 30s;

  auto result = client_.get(url("/large"), options);

  ASSERT_EQ(result.code, CURLE_OK) << result.error;
  EXPECT_EQ(result.headers["content-length"], std::to_string(size));
  EXPECT_EQ(result.body_bytes, size);
}

TEST_F(ExchangeSimulator, LargeBodyAbortedByClientFreesConnection) {
  simulator_.set_response("/large", large_body(50ull * 1024 * 1024));
  http_request_options options;
  options.max_body_bytes = 1024 * 1024;

  {
    test_http_client capped_client;
    auto result = capped_client.get(url("/large"), options);
    EXPECT_EQ(result.code, CURLE_WRITE_ERROR) << result.error;
  }

  EXPECT_TRUE(eventually([&] { return simulator_.open_connections() == 0; }))
      << simulator_.open_connections() << " connections still open";
}

TEST_F(ExchangeSimulator, RedirectLoopHitsMaxRedirects) {
  simulator_.set_response("/loop", redirect_loop("/loop"));
  http_request_options options;
  options.follow_redirects = true;
  options.max_redirects = 5;

  auto result = client_.get(url("/loop"), options);

  EXPECT_EQ(result.code, CURLE_TOO_MANY_REDIRECTS) << result.error;
  EXPECT_EQ(simulator_.request_count("/loop"), 6u);
}

TEST_F(ExchangeSimulator, RefusesConnectionsThenRecovers) {
  simulator_.set_response("/ticker", json_response(200, "{}"));
  auto port = simulator_.port();

  simulator_.refuse_connections();
  auto refused = test_http_client().get(url("/ticker"));
  simulator_.accept_connections();
  auto recovered = test_http_client().get(url("/ticker"));

  EXPECT_EQ(refused.code, CURLE_COULDNT_CONNECT) << refused.error;
  ASSERT_EQ(recovered.code, CURLE_OK) << recovered.error;
  EXPECT_EQ(recovered.status, 200);
  EXPECT_EQ(simulator_.port(), port);
}

TEST_F(ExchangeSimulator, RefuseClosesKeepAliveConnections) {
  simulator_.set_response("/ticker", json_response(200, "{}"));
  ASSERT_EQ(client_.get(url("/ticker")).status, 200);

  simulator_.refuse_connections();
  auto result = client_.get(url("/ticker"));

  EXPECT_EQ(result.code, CURLE_COULDNT_CONNECT) << result.error;
  EXPECT_TRUE(eventually([&] { return simulator_.open_connections() == 0; }));
}

TEST_F(ExchangeSimulator, RouteChangesWhileServing) {
  simulator_.set_response("/ticker", json_response(200, "a"));
  std::atomic<bool> done = false;
  std::thread scripter([&] {
    for (int i = 0; i < 500 && !done; ++i) {
      simulator_.set_response("/ticker", json_response(200, i % 2 == 0 ? "b" : "a"));
      std::this_thread::sleep_for(1ms);
    }
  });

  int failures = 0;
  for (int i = 0; i < 50; ++i) {
    auto result = client_.get(url("/ticker"));
    if (result.code != CURLE_OK || result.status != 200 ||
        (result.body != "a" && result.body != "b")) {
      ++failures;
    }
  }
  done = true;
  scripter.join();

  EXPECT_EQ(failures, 0);
  EXPECT_EQ(simulator_.request_count("/ticker"), 50u);
}

// Fetches `target` on its own client in the background.
std::future<http_result> fetch_async(const std::string& url, milliseconds timeout) {
  return std::async(std::launch::async, [url, timeout] {
    http_request_options options;
    options.timeout = timeout;
    return test_http_client().get(url, options);
  });
}

TEST(ExchangeSimulatorStop, ReturnsPromptlyWithHungAndDrippingClients) {
  exchange_simulator simulator;
  simulator.set_response("/hang", hang_response(60s));
  simulator.set_response("/drip", drip_response(json_response(200, std::string(1000, 'd')), 1, 1s));
  std::vector<std::future<http_result>> clients;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(fetch_async(simulator.base_url() + "/hang", 30s));
  }
  clients.push_back(fetch_async(simulator.base_url() + "/drip", 30s));
  ASSERT_TRUE(simulator.wait_for_requests("/hang", 3, 5s));
  ASSERT_TRUE(simulator.wait_for_requests("/drip", 1, 5s));

  auto stop_started = std::chrono::steady_clock::now();
  simulator.stop();
  auto stop_took = std::chrono::steady_clock::now() - stop_started;

  EXPECT_LT(stop_took, 1s);
  for (auto& client : clients) {
    ASSERT_EQ(client.wait_for(5s), std::future_status::ready);
    auto result = client.get();
    EXPECT_NE(result.code, CURLE_OK);
    EXPECT_LT(elapsed_ms(result), 10s);
  }
}

TEST(ExchangeSimulatorStop, DestructorStopsWithHungClient) {
  std::future<http_result> client;
  auto destroy_started = std::chrono::steady_clock::now();
  {
    exchange_simulator simulator;
    simulator.set_response("/hang", hang_response(60s));
    client = fetch_async(simulator.base_url() + "/hang", 30s);
    ASSERT_TRUE(simulator.wait_for_requests("/hang", 1, 5s));
    destroy_started = std::chrono::steady_clock::now();
  }
  auto destroy_took = std::chrono::steady_clock::now() - destroy_started;

  EXPECT_LT(destroy_took, 1s);
  ASSERT_EQ(client.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(client.get().code, CURLE_GOT_NOTHING);
}

TEST(ExchangeSimulatorStop, StopTwiceIsHarmless) {
  exchange_simulator simulator;

  simulator.stop();
  simulator.stop();
  simulator.refuse_connections();
  simulator.accept_connections();

  auto result = test_http_client().get(simulator.base_url() + "/any");
  EXPECT_EQ(result.code, CURLE_COULDNT_CONNECT) << result.error;
}

}  // namespace
}  // namespace nimbus::sim

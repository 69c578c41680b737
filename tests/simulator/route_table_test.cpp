#include "tests/simulator/route_table.hpp"

#include <stdexcept>

#include <gtest/gtest.h>

namespace nimbus::sim {
namespace {

using namespace std::chrono_literals;
using clock = route_table::clock;

int status_of(route_table& table, std::string_view target, clock::time_point now) {
  auto decision = table.resolve("GET", target, now);
  return decision.reply ? decision.reply->status : -1;
}

TEST(RouteTable, UnknownTargetGetsJsonNotFound) {
  route_table table;

  auto decision = table.resolve("GET", "/nowhere?x=\"1\"", clock::now());

  ASSERT_NE(decision.reply, nullptr);
  EXPECT_EQ(decision.reply->status, 404);
  EXPECT_EQ(decision.reply->content_type, "application/json");
  EXPECT_EQ(decision.reply->body,
            R"({"error":"no route for this target","target":"/nowhere?x=\"1\""})");
}

TEST(RouteTable, CountsRequestsPerExactTarget) {
  route_table table;
  table.set_response("/a?symbol=X", json_response(200, "{}"));

  table.resolve("GET", "/a?symbol=X", clock::now());
  table.resolve("GET", "/a?symbol=X", clock::now());
  table.resolve("GET", "/a?symbol=Y", clock::now());

  EXPECT_EQ(table.request_count("/a?symbol=X"), 2u);
  EXPECT_EQ(table.request_count("/a?symbol=Y"), 1u);
  EXPECT_EQ(table.request_count("/a"), 0u);
  EXPECT_EQ(table.total_request_count(), 3u);
}

TEST(RouteTable, ResetCountsRestartsSequence) {
  route_table table;
  table.resolve("GET", "/a", clock::now());

  table.reset_counts();
  auto decision = table.resolve("GET", "/a", clock::now());

  EXPECT_EQ(decision.info.sequence, 1u);
  EXPECT_EQ(table.total_request_count(), 1u);
}

TEST(RouteTable, ScriptAdvancesByRequestCount) {
  route_table table;
  table.set_script("/t", {{json_response(503, "{}"), 2, std::nullopt},
                          {json_response(429, "{}"), 1, std::nullopt},
                          {json_response(200, "{}"), std::nullopt, std::nullopt}});
  auto now = clock::now();

  EXPECT_EQ(status_of(table, "/t", now), 503);
  EXPECT_EQ(status_of(table, "/t", now), 503);
  EXPECT_EQ(status_of(table, "/t", now), 429);
  EXPECT_EQ(status_of(table, "/t", now), 200);
  EXPECT_EQ(status_of(table, "/t", now), 200);
}

TEST(RouteTable, ScriptAdvancesByElapsedTime) {
  route_table table;
  auto start = clock::now();
  table.set_script("/t", {{json_response(503, "{}"), std::nullopt, 1000ms},
                          {json_response(500, "{}"), std::nullopt, 1000ms},
                          {json_response(200, "{}"), std::nullopt, std::nullopt}});

  EXPECT_EQ(status_of(table, "/t", start), 503);
  EXPECT_EQ(status_of(table, "/t", start + 1500ms), 500);

  // The second step ends 2 s after the script was set, not 1 s after its first request.
  EXPECT_EQ(status_of(table, "/t", start + 2100ms), 200);
}

TEST(RouteTable, ScriptSkipsStepsThatExpiredUnseen) {
  route_table table;
  auto start = clock::now();
  table.set_script("/t", {{json_response(503, "{}"), std::nullopt, 100ms},
                          {json_response(500, "{}"), std::nullopt, 100ms},
                          {json_response(200, "{}"), std::nullopt, std::nullopt}});

  EXPECT_EQ(status_of(table, "/t", start + 5s), 200);
}

TEST(RouteTable, ScriptLastStepRepeatsPastItsLimit) {
  route_table table;
  table.set_script("/t", {{json_response(503, "{}"), 1, std::nullopt},
                          {json_response(200, "{}"), 1, std::nullopt}});
  auto now = clock::now();

  status_of(table, "/t", now);

  EXPECT_EQ(status_of(table, "/t", now), 200);
  EXPECT_EQ(status_of(table, "/t", now), 200);
}

TEST(RouteTable, RejectsScriptStepWithoutEnd) {
  route_table table;

  EXPECT_THROW(table.set_script("/t", {{json_response(503, "{}"), std::nullopt, std::nullopt},
                                       {json_response(200, "{}"), std::nullopt, std::nullopt}}),
               std::invalid_argument);
  EXPECT_THROW(table.set_script("/t", {}), std::invalid_argument);
}

TEST(RouteTable, HandlerReceivesSequenceAndTarget) {
  route_table table;
  table.set_handler("/h", [](const request_info& info) {
    return json_response(200, std::to_string(info.sequence) + " " + info.target);
  });

  table.resolve("GET", "/h", clock::now());
  auto decision = table.resolve("GET", "/h", clock::now());

  ASSERT_TRUE(decision.handler);
  EXPECT_EQ(decision.reply, nullptr);
  EXPECT_EQ(decision.handler(decision.info).body, "2 /h");
}

TEST(RouteTable, LatestRouteReplacesEarlier) {
  route_table table;
  table.set_script("/t", {{json_response(503, "{}"), 5, std::nullopt},
                          {json_response(200, "{}"), std::nullopt, std::nullopt}});

  table.set_response("/t", json_response(418, "{}"));

  EXPECT_EQ(status_of(table, "/t", clock::now()), 418);
}

TEST(RouteTable, RemovedRouteReturnsNotFound) {
  route_table table;
  table.set_response("/t", json_response(200, "{}"));

  table.remove("/t");

  EXPECT_EQ(status_of(table, "/t", clock::now()), 404);
}

TEST(RouteTable, WaitForRequestsTimesOutWhenShort) {
  route_table table;
  table.resolve("GET", "/t", clock::now());

  EXPECT_TRUE(table.wait_for_requests("/t", 1, 10ms));
  EXPECT_FALSE(table.wait_for_requests("/t", 2, 10ms));
}

TEST(GeneratedBody, IsValidJsonOfExactSize) {
  std::string body;
  std::string chunk;
  const std::uint64_t size = 200'000;
  for (std::uint64_t offset = 0; offset < size; offset += 65'536) {
    generated_body_chunk(size, offset,
                         static_cast<std::size_t>(std::min<std::uint64_t>(65'536, size - offset)),
                         chunk);
    body += chunk;
  }

  ASSERT_EQ(body.size(), size);
  EXPECT_TRUE(body.starts_with(R"({"padding":"xxx)"));
  EXPECT_TRUE(body.ends_with(R"(xxx"})"));
  EXPECT_EQ(body.find_first_not_of('x', 12), size - 2);
}

TEST(GeneratedBody, SmallestSizeIsEmptyPadding) {
  std::string chunk;

  generated_body_chunk(14, 0, 14, chunk);

  EXPECT_EQ(chunk, R"({"padding":""})");
}

}  // namespace
}  // namespace nimbus::sim

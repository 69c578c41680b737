#include "pipeline/circuit_breaker.hpp"

#include <chrono>

#include <gtest/gtest.h>

namespace nimbus {
namespace {

using std::chrono::milliseconds;
using state = circuit_breaker::state;

const circuit_breaker::clock::time_point start{std::chrono::hours{1}};
const milliseconds open_duration{30'000};

circuit_breaker make_breaker(int failure_threshold = 3) {
  return circuit_breaker{breaker_config{failure_threshold, open_duration}};
}

// Records failure_threshold failures at start, which opens the breaker.
circuit_breaker open_breaker() {
  auto breaker = make_breaker();
  for (int i = 0; i < 3; ++i) {
    breaker.record_failure(start);
  }
  return breaker;
}

TEST(CircuitBreaker, StartsClosedAndAllows) {
  auto breaker = make_breaker();

  EXPECT_EQ(breaker.current_state(start), state::closed);
  EXPECT_TRUE(breaker.allow_request(start));
  EXPECT_TRUE(breaker.allow_request(start));
}

TEST(CircuitBreaker, StaysClosedBelowThreshold) {
  auto breaker = make_breaker(3);

  breaker.record_failure(start);
  breaker.record_failure(start);

  EXPECT_EQ(breaker.current_state(start), state::closed);
  EXPECT_EQ(breaker.consecutive_failures(), 2);
  EXPECT_TRUE(breaker.allow_request(start));
}

TEST(CircuitBreaker, OpensAtThreshold) {
  auto breaker = make_breaker(3);

  breaker.record_failure(start);
  breaker.record_failure(start);
  breaker.record_failure(start);

  EXPECT_EQ(breaker.current_state(start), state::open);
  EXPECT_EQ(breaker.reopens_at(), start + open_duration);
}

TEST(CircuitBreaker, OpenRejectsUntilDurationPasses) {
  auto breaker = open_breaker();

  EXPECT_FALSE(breaker.allow_request(start));
  EXPECT_FALSE(breaker.allow_request(start + open_duration - milliseconds{1}));
  EXPECT_EQ(breaker.current_state(start + open_duration - milliseconds{1}), state::open);
}

TEST(CircuitBreaker, HalfOpenAfterDuration) {
  auto breaker = open_breaker();

  EXPECT_EQ(breaker.current_state(start + open_duration), state::half_open);
}

TEST(CircuitBreaker, HalfOpenAllowsExactlyOneProbe) {
  auto breaker = open_breaker();
  auto probe_time = start + open_duration;

  EXPECT_TRUE(breaker.allow_request(probe_time));
  EXPECT_FALSE(breaker.allow_request(probe_time));
  EXPECT_FALSE(breaker.allow_request(probe_time + milliseconds{10'000}));
  EXPECT_EQ(breaker.current_state(probe_time), state::half_open);
}

TEST(CircuitBreaker, ProbeSuccessCloses) {
  auto breaker = open_breaker();
  auto probe_time = start + open_duration;
  ASSERT_TRUE(breaker.allow_request(probe_time));

  breaker.record_success();

  EXPECT_EQ(breaker.current_state(probe_time), state::closed);
  EXPECT_EQ(breaker.consecutive_failures(), 0);
  EXPECT_TRUE(breaker.allow_request(probe_time));
  EXPECT_TRUE(breaker.allow_request(probe_time));
}

TEST(CircuitBreaker, ProbeFailureReopens) {
  auto breaker = open_breaker();
  auto probe_time = start + open_duration + milliseconds{5};
  ASSERT_TRUE(breaker.allow_request(probe_time));

  breaker.record_failure(probe_time);

  EXPECT_EQ(breaker.current_state(probe_time), state::open);
  EXPECT_FALSE(breaker.allow_request(probe_time));
  EXPECT_EQ(breaker.reopens_at(), probe_time + open_duration);
  EXPECT_TRUE(breaker.allow_request(probe_time + open_duration));
}

TEST(CircuitBreaker, FailureAfterRecoveryCountsFromZero) {
  auto breaker = open_breaker();
  auto probe_time = start + open_duration;
  ASSERT_TRUE(breaker.allow_request(probe_time));
  breaker.record_success();
  breaker.record_failure(probe_time);
  ASSERT_EQ(breaker.current_state(probe_time), state::closed);

  EXPECT_EQ(breaker.consecutive_failures(), 1);
}

TEST(CircuitBreaker, SuccessResetsFailureCount) {
  auto breaker = make_breaker(3);

  breaker.record_failure(start);
  breaker.record_failure(start);
  breaker.record_success();
  breaker.record_failure(start);
  breaker.record_failure(start);

  EXPECT_EQ(breaker.consecutive_failures(), 2);
  EXPECT_EQ(breaker.current_state(start), state::closed);
}

TEST(CircuitBreaker, StateNames) {
  EXPECT_EQ(to_string(state::closed), "closed");
  EXPECT_EQ(to_string(state::open), "open");
  EXPECT_EQ(to_string(state::half_open), "half_open");
}

}  // namespace
}  // namespace nimbus

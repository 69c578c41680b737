#include "pipeline/restart_policy.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include <gtest/gtest.h>

namespace nimbus {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const restart_policy::clock::time_point start{std::chrono::hours{1}};
constexpr unsigned fixed_seed = 42;

supervision_config backoff_config() {
  supervision_config config;
  config.restart_initial_delay = milliseconds{100};
  config.restart_max_delay = milliseconds{5'000};
  config.restart_multiplier = 2.0;
  config.restart_intensity_max = 1'000;  // high enough that these tests never hit it
  config.restart_intensity_window = seconds{30};
  config.failed_cooldown = seconds{60};
  return config;
}

// The ceiling of the attempt-th consecutive restart, counting from 0.
double expected_ceiling_ms(int attempt) {
  return std::min(100.0 * std::pow(2.0, attempt), 5'000.0);
}

TEST(RestartPolicy, DelaysStayWithinCeiling) {
  restart_policy policy(backoff_config(), fixed_seed);

  for (int attempt = 0; attempt < 20; ++attempt) {
    auto decision = policy.next_restart(start + milliseconds{attempt});

    EXPECT_FALSE(decision.failed) << "attempt " << attempt;
    EXPECT_GE(decision.delay.count(), 0) << "attempt " << attempt;
    EXPECT_LE(static_cast<double>(decision.delay.count()), expected_ceiling_ms(attempt))
        << "attempt " << attempt;
  }
}

TEST(RestartPolicy, CeilingGrowsThenCaps) {
  // The largest of many jittered delays approaches the ceiling from below, so over 400 seeded
  // policies each attempt's maximum lands within 5 % of it.
  constexpr int attempts = 9;
  std::vector<long> largest(attempts, 0);
  for (unsigned seed = 1; seed <= 400; ++seed) {
    restart_policy policy(backoff_config(), seed);
    for (int attempt = 0; attempt < attempts; ++attempt) {
      auto delay = policy.next_restart(start).delay.count();
      largest[static_cast<std::size_t>(attempt)] =
          std::max<long>(largest[static_cast<std::size_t>(attempt)], delay);
    }
  }

  for (int attempt = 0; attempt < attempts; ++attempt) {
    auto observed = static_cast<double>(largest[static_cast<std::size_t>(attempt)]);
    EXPECT_LE(observed, expected_ceiling_ms(attempt)) << "attempt " << attempt;
    EXPECT_GE(observed, 0.95 * expected_ceiling_ms(attempt)) << "attempt " << attempt;
  }
}

TEST(RestartPolicy, MaxBackoffIsConfiguredCap) {
  restart_policy policy(backoff_config(), fixed_seed);

  EXPECT_EQ(policy.max_backoff(), milliseconds{5'000});
}

TEST(RestartPolicy, SameSeedGivesSameDelays) {
  restart_policy first(backoff_config(), fixed_seed);
  restart_policy second(backoff_config(), fixed_seed);

  for (int attempt = 0; attempt < 8; ++attempt) {
    EXPECT_EQ(first.next_restart(start).delay, second.next_restart(start).delay)
        << "attempt " << attempt;
  }
}

supervision_config intensity_config() {
  auto config = backoff_config();
  config.restart_intensity_max = 3;
  config.restart_intensity_window = seconds{30};
  config.failed_cooldown = seconds{60};
  return config;
}

TEST(RestartPolicy, IntensityLimitReturnsFailedWithCooldown) {
  restart_policy policy(intensity_config(), fixed_seed);

  for (int crash = 0; crash < 3; ++crash) {
    EXPECT_FALSE(policy.next_restart(start + seconds{crash}).failed) << "crash " << crash;
  }
  auto decision = policy.next_restart(start + seconds{3});

  EXPECT_TRUE(decision.failed);
  EXPECT_EQ(decision.delay, milliseconds{60'000});
}

TEST(RestartPolicy, CrashesOutsideWindowDoNotCount) {
  restart_policy policy(intensity_config(), fixed_seed);

  for (int crash = 0; crash < 10; ++crash) {
    auto decision = policy.next_restart(start + seconds{31 * crash});

    EXPECT_FALSE(decision.failed) << "crash " << crash;
  }
}

TEST(RestartPolicy, BackoffStartsSmallAfterCooldown) {
  restart_policy policy(intensity_config(), fixed_seed);
  for (int crash = 0; crash < 4; ++crash) {
    policy.next_restart(start + seconds{crash});
  }

  auto decision = policy.next_restart(start + seconds{70});

  EXPECT_FALSE(decision.failed);
  EXPECT_LE(decision.delay, milliseconds{100});
}

TEST(RestartPolicy, ResetStartsBackoffSmallAgain) {
  restart_policy policy(backoff_config(), fixed_seed);
  for (int attempt = 0; attempt < 10; ++attempt) {
    policy.next_restart(start);
  }

  policy.reset();

  for (unsigned sample = 0; sample < 20; ++sample) {
    EXPECT_LE(policy.next_restart(start).delay, milliseconds{100}) << "sample " << sample;
    policy.reset();
  }
}

TEST(RestartPolicy, ResetForgetsCrashesForIntensity) {
  restart_policy policy(intensity_config(), fixed_seed);
  for (int crash = 0; crash < 3; ++crash) {
    policy.next_restart(start);
  }

  policy.reset();

  EXPECT_FALSE(policy.next_restart(start).failed);
}

}  // namespace
}  // namespace nimbus

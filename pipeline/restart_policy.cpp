#include "pipeline/restart_policy.hpp"

#include <algorithm>
#include <cmath>

namespace nimbus {

restart_policy::decision restart_policy::next_restart(clock::time_point now) {
  crashes_.push_back(now);
  while (!crashes_.empty() && now - crashes_.front() > config_.restart_intensity_window) {
    crashes_.pop_front();
  }
  if (static_cast<int>(crashes_.size()) > config_.restart_intensity_max) {
    crashes_.clear();
    attempt_ = 0;
    return {std::chrono::duration_cast<std::chrono::milliseconds>(config_.failed_cooldown), true};
  }

  // Full jitter: a uniform delay between zero and the exponential ceiling, so that actors that
  // crashed together do not restart together.
  double ceiling = static_cast<double>(config_.restart_initial_delay.count()) *
                   std::pow(config_.restart_multiplier, attempt_);
  ceiling = std::min(ceiling, static_cast<double>(config_.restart_max_delay.count()));
  ++attempt_;
  std::uniform_real_distribution<double> jitter(0.0, ceiling);
  return {std::chrono::milliseconds{static_cast<std::int64_t>(jitter(random_))}, false};
}

}  // namespace nimbus

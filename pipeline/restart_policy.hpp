#pragma once

#include <chrono>
#include <deque>
#include <random>

#include "pipeline/config.hpp"

namespace nimbus {

// Decides when a supervised actor restarts: exponential backoff with full jitter, and an intensity
// limit. More than restart_intensity_max restarts within restart_intensity_window give up for
// failed_cooldown instead of restarting at once.
class restart_policy {
 public:
  using clock = std::chrono::steady_clock;

  struct decision {
    std::chrono::milliseconds delay{0};
    bool failed = false;  // the intensity limit was hit: delay is the cool-down
  };

  explicit restart_policy(supervision_config config, unsigned seed = std::random_device{}())
      : config_(config), random_(seed) {}

  // Records a crash at now and returns how long to wait before the restart.
  decision next_restart(clock::time_point now);

  // The largest delay next_restart can return outside a cool-down: the backoff cap.
  std::chrono::milliseconds max_backoff() const { return config_.restart_max_delay; }

  // Forgets earlier crashes after an actor has run well, so the backoff starts small again.
  void reset() {
    attempt_ = 0;
    crashes_.clear();
  }

 private:
  supervision_config config_;
  std::mt19937 random_;
  int attempt_ = 0;
  std::deque<clock::time_point> crashes_;
};

}  // namespace nimbus

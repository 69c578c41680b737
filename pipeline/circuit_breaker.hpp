#pragma once

#include <chrono>
#include <string_view>

#include "pipeline/config.hpp"

namespace nimbus {

// A per-venue circuit breaker. Closed: every poll is sent. After failure_threshold consecutive
// failures it opens and no request is sent for open_duration. Then it is half-open: exactly one
// probe request is allowed; success closes it, failure opens it again.
class circuit_breaker {
 public:
  enum class state { closed, open, half_open };
  using clock = std::chrono::steady_clock;

  explicit circuit_breaker(breaker_config config) : config_(config) {}

  // Whether a request may be sent now. In half-open state only the first caller gets true until
  // record_success or record_failure reports the probe's outcome.
  bool allow_request(clock::time_point now);

  void record_success();
  void record_failure(clock::time_point now);

  state current_state(clock::time_point now) const;
  int consecutive_failures() const { return consecutive_failures_; }

  // When an open breaker lets the next probe through.
  clock::time_point reopens_at() const { return opened_at_ + config_.open_duration; }

 private:
  breaker_config config_;
  state state_ = state::closed;
  int consecutive_failures_ = 0;
  bool probe_in_flight_ = false;
  clock::time_point opened_at_{};
};

std::string_view to_string(circuit_breaker::state value);

}  // namespace nimbus

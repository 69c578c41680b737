#include "pipeline/circuit_breaker.hpp"

namespace nimbus {

bool circuit_breaker::allow_request(clock::time_point now) {
  switch (current_state(now)) {
    case state::closed:
      return true;
    case state::open:
      return false;
    case state::half_open:
      if (probe_in_flight_) {
        return false;
      }
      state_ = state::half_open;
      probe_in_flight_ = true;
      return true;
  }
  return false;
}

void circuit_breaker::record_success() {
  state_ = state::closed;
  consecutive_failures_ = 0;
  probe_in_flight_ = false;
}

void circuit_breaker::record_failure(clock::time_point now) {
  ++consecutive_failures_;
  bool probe_failed = probe_in_flight_;
  probe_in_flight_ = false;
  if (probe_failed || consecutive_failures_ >= config_.failure_threshold) {
    state_ = state::open;
    opened_at_ = now;
  }
}

circuit_breaker::state circuit_breaker::current_state(clock::time_point now) const {
  if (state_ == state::open && now >= reopens_at()) {
    return state::half_open;
  }
  return state_;
}

std::string_view to_string(circuit_breaker::state value) {
  switch (value) {
    case circuit_breaker::state::closed:
      return "closed";
    case circuit_breaker::state::open:
      return "open";
    case circuit_breaker::state::half_open:
      return "half_open";
  }
  return "unknown";
}

}  // namespace nimbus

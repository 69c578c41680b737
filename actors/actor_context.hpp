#pragma once

#include <atomic>

#include "actors/service_metrics.hpp"
#include "actors/service_state.hpp"
#include "http/snapshot_slot.hpp"

namespace nimbus {

// The objects every actor of one service instance shares. It outlives the actor system, so a restarted
// actor finds the same state, metrics and snapshot slot as the one it replaces.
struct actor_context {
  service_state& state;
  service_metrics& metrics;
  http::snapshot_slot& slot;
  std::atomic<bool> shutting_down{false};
};

}  // namespace nimbus

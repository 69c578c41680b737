#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "actors/actor_context.hpp"

namespace nimbus {

// One supervised child: its directory name and how to start a fresh instance.
struct child_spec {
  std::string name;
  std::function<caf::actor()> start;
  std::optional<std::string> venue;  // set for fetchers: hitting the intensity limit fails the venue
};

// Spawns a one-for-one supervisor: each child that exits abnormally is restarted after a backoff
// with full jitter (restart_policy), without touching its siblings. A child that exceeds the
// restart intensity limit waits out the cool-down, and a fetcher's venue is marked failed meanwhile.
// When the supervisor exits, it takes its children down with it.
caf::actor spawn_supervisor(caf::actor_system& system, actor_context& context, std::string name,
                            std::vector<child_spec> children);

// The bounded label for an exit reason: kill, user, error or unknown.
std::string exit_reason_label(const caf::error& reason);

// Sends an exit message with any reason; CAF 0.17's anon_send_exit only takes exit_reason values.
void send_exit(const caf::actor& target, caf::error reason);

// The user-defined exit reason the admin endpoint sends with ?reason=user.
caf::error user_exit_reason();

}  // namespace nimbus

#pragma once

#include <caf/all.hpp>

#include "actors/actor_context.hpp"
#include "pipeline/config.hpp"

namespace nimbus {

// Directory names under which the pipeline actors find each other. A restarted actor registers
// under the same name, so senders always reach the live instance.
inline constexpr const char* normaliser_name = "normaliser";
inline constexpr const char* aggregator_name = "aggregator";
inline constexpr const char* metrics_publisher_name = "metrics_publisher";
inline constexpr const char* http_actor_name = "http";

std::string fetcher_name(const std::string& venue);

// Spawns a venue's fetcher on its own thread (detached), because libcurl calls block.
caf::actor spawn_fetcher(caf::actor_system& system, actor_context& context, venue_config venue);

caf::actor spawn_normaliser(caf::actor_system& system, actor_context& context);
caf::actor spawn_aggregator(caf::actor_system& system, actor_context& context);
caf::actor spawn_metrics_publisher(caf::actor_system& system, actor_context& context);
caf::actor spawn_http_actor(caf::actor_system& system, actor_context& context);

}  // namespace nimbus

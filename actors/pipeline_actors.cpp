#include "actors/pipeline_actors.hpp"

#include <memory>

#include "actors/messages.hpp"
#include "actors/venue_client.hpp"
#include "adapters/registry.hpp"
#include "http/rendered_snapshot.hpp"
#include "pipeline/log.hpp"

namespace nimbus {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// How often the aggregator re-evaluates staleness without new quotes, and how often the HTTP actor
// refreshes age_ms in the rendered bodies.
constexpr milliseconds aggregation_tick{500};
constexpr milliseconds render_tick{250};

timestamp utc_now() {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}

// Sends to the actor registered under name. A message to an actor that is being restarted is
// dropped, because the next poll or tick makes up for it.
template <class Self, class... Ts>
void send_to(Self* self, actor_context& context, const std::string& name, Ts&&... xs) {
  if (auto target = context.state.find_actor(name)) {
    self->send(target, std::forward<Ts>(xs)...);
  }
}

// -- fetcher ------------------------------------------------------------------------------------

struct fetcher_state {
  venue_config venue;
  const venue_adapter* adapter = nullptr;
  std::unique_ptr<venue_client> client;
  metrics::counter* messages = nullptr;
};

fetched_response fetch_pair(fetcher_state& state, const std::string& pair) {
  fetched_response response;
  response.venue = state.venue.name;
  response.pair = pair;
  fetch_outcome outcome = state.client->get(state.adapter->request_target(pair));
  response.received_at = utc_now();
  response.duration = outcome.duration;
  if (outcome.transport_error) {
    response.transport_failed = true;
    response.transport_error = *outcome.transport_error;
    return response;
  }
  response.status = outcome.status;
  response.body = std::move(outcome.body);
  response.retry_after_seconds = outcome.retry_after ? outcome.retry_after->count() : -1;
  return response;
}

milliseconds next_poll_delay(actor_context& context, const venue_config& venue) {
  auto now = steady_clock::now();
  auto not_before = context.state.next_poll_not_before(venue.name);
  auto delay = venue.poll_interval;
  if (not_before > now + delay) {
    delay = std::chrono::ceil<milliseconds>(not_before - now);
  }
  return delay;
}

caf::behavior fetcher_actor(caf::stateful_actor<fetcher_state>* self, actor_context* context,
                            venue_config venue) {
  self->state.venue = venue;
  self->state.adapter = find_adapter(venue.name);
  self->state.client = std::make_unique<venue_client>(venue);
  self->state.messages = &context->metrics.actor_messages.with({fetcher_name(venue.name)});
  self->send(self, poll_atom::value);

  return {
      [=](poll_atom) {
        auto& state = self->state;
        state.messages->inc();
        for (const auto& pair : state.venue.pairs) {
          if (!context->state.allow_request(state.venue.name, steady_clock::now())) {
            break;
          }
          send_to(self, *context, normaliser_name, fetch_pair(state, pair));
        }
        self->delayed_send(self, next_poll_delay(*context, state.venue), poll_atom::value);
      },
  };
}

// -- normaliser ---------------------------------------------------------------------------------

struct normaliser_state {
  parse_context parser;
  metrics::counter* messages = nullptr;
};

venue_result normalise(parse_context& parser, const fetched_response& response) {
  venue_result result;
  result.venue = response.venue;
  result.pair = response.pair;
  result.received_at = response.received_at;
  result.duration = response.duration;
  if (response.transport_failed) {
    result.error = response.transport_error;
    return result;
  }

  const venue_adapter* adapter = find_adapter(response.venue);
  http_response http{response.status, response.body, std::nullopt};
  if (response.retry_after_seconds >= 0) {
    http.retry_after = std::chrono::seconds{response.retry_after_seconds};
  }
  auto parsed = adapter->parse(http, response.pair, response.received_at, parser);
  if (auto* value = std::get_if<quote>(&parsed)) {
    result.ok = true;
    result.value = std::move(*value);
  } else {
    result.error = std::get<fetch_error>(std::move(parsed));
  }
  return result;
}

caf::behavior normaliser_actor(caf::stateful_actor<normaliser_state>* self,
                               actor_context* context) {
  self->state.messages = &context->metrics.actor_messages.with({normaliser_name});
  return {
      [=](const fetched_response& response) {
        self->state.messages->inc();
        venue_result result = normalise(self->state.parser, response);
        send_to(self, *context, metrics_publisher_name, result);
        send_to(self, *context, aggregator_name, std::move(result));
      },
  };
}

// -- aggregator ---------------------------------------------------------------------------------

struct aggregator_state {
  // CAF 0.17 constructs a state from the actor pointer when the state type allows it. As a C++20
  // aggregate this struct allowed it: publish_pending was initialised from the non-null pointer,
  // so it started true and every snapshot waited for the 500 ms tick. The declared constructor
  // makes the struct a non-aggregate, so CAF default-constructs it.
  aggregator_state() = default;

  bool publish_pending = false;
  metrics::counter* messages = nullptr;
};

static_assert(!std::is_constructible_v<aggregator_state, caf::stateful_actor<aggregator_state>*>,
              "CAF must default-construct aggregator_state");

template <class Self>
void publish(Self* self, actor_context& context) {
  snapshot_message message{context.state.aggregate_all(utc_now())};
  send_to(self, context, metrics_publisher_name, message);
  send_to(self, context, http_actor_name, std::move(message));
}

caf::behavior aggregator_actor(caf::stateful_actor<aggregator_state>* self,
                               actor_context* context) {
  self->state.messages = &context->metrics.actor_messages.with({aggregator_name});
  self->send(self, tick_atom::value);
  return {
      [=](const venue_result& result) {
        self->state.messages->inc();
        std::optional<quote> value;
        std::optional<fetch_error> error;
        if (result.ok) {
          value = result.value;
        } else {
          error = result.error;
        }
        context->state.record_result(result.venue, result.pair, result.ok, value, error,
                                     result.received_at);
        // Results that arrive together are coalesced into one snapshot: the publish message
        // queues behind them.
        if (!self->state.publish_pending) {
          self->state.publish_pending = true;
          self->send(self, publish_atom::value);
        }
      },
      [=](publish_atom) {
        self->state.messages->inc();
        self->state.publish_pending = false;
        publish(self, *context);
      },
      [=](tick_atom) {
        self->state.messages->inc();
        publish(self, *context);
        self->delayed_send(self, aggregation_tick, tick_atom::value);
      },
  };
}

// -- metrics publisher --------------------------------------------------------------------------

struct metrics_publisher_state {
  metrics::counter* messages = nullptr;
};

void count_fetch(service_metrics& metrics, const venue_result& result) {
  metrics.venue_fetches.with({result.venue}).inc();
  metrics.venue_fetch_duration.with({result.venue})
      .observe(std::chrono::duration<double>(result.duration).count());
  if (!result.ok) {
    metrics.venue_fetch_failures.with({result.venue, std::string(to_string(result.error.category))})
        .inc();
  }
}

caf::behavior metrics_publisher_actor(caf::stateful_actor<metrics_publisher_state>* self,
                                      actor_context* context) {
  self->state.messages = &context->metrics.actor_messages.with({metrics_publisher_name});
  return {
      [=](const venue_result& result) {
        self->state.messages->inc();
        count_fetch(context->metrics, result);
      },
      [=](const snapshot_message& message) {
        self->state.messages->inc();
        context->metrics.publish_snapshot(*message.snapshot);
      },
  };
}

// -- HTTP actor ---------------------------------------------------------------------------------

struct http_actor_state {
  std::shared_ptr<const aggregate_snapshot> latest;
  metrics::counter* messages = nullptr;
};

// Marks pairs whose newest quote has aged past the pair's maximum as stale, so that the API never
// presents old prices as fresh even while the aggregator is down.
std::shared_ptr<const aggregate_snapshot> expire_stale_pairs(
    const std::shared_ptr<const aggregate_snapshot>& snapshot, timestamp now) {
  std::shared_ptr<aggregate_snapshot> copy;
  for (std::size_t i = 0; i < snapshot->pairs.size(); ++i) {
    const auto& aggregate = snapshot->pairs[i];
    auto policy = snapshot->policies.find(aggregate.pair);
    if (aggregate.stale || !aggregate.as_of || policy == snapshot->policies.end() ||
        now - *aggregate.as_of <= policy->second.max_quote_age) {
      continue;
    }
    if (!copy) {
      copy = std::make_shared<aggregate_snapshot>(*snapshot);
    }
    copy->pairs[i].stale = true;
    copy->pairs[i].status = pair_status::unavailable;
  }
  return copy ? copy : snapshot;
}

void render_latest(http_actor_state& state, actor_context& context) {
  if (!state.latest) {
    return;
  }
  timestamp now = utc_now();
  context.slot.store(
      http::render_snapshot(expire_stale_pairs(state.latest, now), now, context.shutting_down));
}

caf::behavior http_actor(caf::stateful_actor<http_actor_state>* self, actor_context* context) {
  self->state.messages = &context->metrics.actor_messages.with({http_actor_name});
  // A restarted HTTP actor continues from the snapshot the server is still serving.
  if (auto current = context->slot.load()) {
    self->state.latest = current->source;
  }
  self->send(self, tick_atom::value);
  return {
      [=](const snapshot_message& message) {
        self->state.messages->inc();
        self->state.latest = message.snapshot;
        render_latest(self->state, *context);
      },
      [=](tick_atom) {
        self->state.messages->inc();
        render_latest(self->state, *context);
        self->delayed_send(self, render_tick, tick_atom::value);
      },
  };
}

}  // namespace

std::string fetcher_name(const std::string& venue) { return "fetcher_" + venue; }

caf::actor spawn_fetcher(caf::actor_system& system, actor_context& context, venue_config venue) {
  return system.spawn<caf::detached>(fetcher_actor, &context, std::move(venue));
}

caf::actor spawn_normaliser(caf::actor_system& system, actor_context& context) {
  return system.spawn(normaliser_actor, &context);
}

caf::actor spawn_aggregator(caf::actor_system& system, actor_context& context) {
  return system.spawn(aggregator_actor, &context);
}

caf::actor spawn_metrics_publisher(caf::actor_system& system, actor_context& context) {
  return system.spawn(metrics_publisher_actor, &context);
}

caf::actor spawn_http_actor(caf::actor_system& system, actor_context& context) {
  return system.spawn(http_actor, &context);
}

void register_message_types(caf::actor_system_config& config) {
  config.add_message_type<fetched_response>("fetched_response");
  config.add_message_type<venue_result>("venue_result");
  config.add_message_type<snapshot_message>("snapshot_message");
}

}  // namespace nimbus

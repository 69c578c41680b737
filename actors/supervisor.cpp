#include "actors/supervisor.hpp"

#include <map>

#include "actors/messages.hpp"
#include "pipeline/log.hpp"
#include "pipeline/restart_policy.hpp"

namespace nimbus {
namespace {

using steady_clock = std::chrono::steady_clock;

// Error category atom of exit reasons this service sends itself.
constexpr caf::atom_value nimbus_category = caf::atom("nimbus");

struct supervised_child {
  child_spec spec;
  caf::actor handle;
  restart_policy policy;
  steady_clock::time_point started_at{};
};

struct supervisor_state {
  std::string name;
  std::map<std::string, supervised_child> children;
  std::map<caf::actor_addr, std::string> names_by_address;
  // Shared with the exit hook, which may run after the state is gone.
  std::shared_ptr<std::map<std::string, caf::actor>> live = std::make_shared<std::map<std::string, caf::actor>>();
};

void start_child(caf::stateful_actor<supervisor_state>* self, actor_context& context,
                 supervised_child& child) {
  child.handle = child.spec.start();
  child.started_at = steady_clock::now();
  self->monitor(child.handle);
  self->state.names_by_address[child.handle.address()] = child.spec.name;
  (*self->state.live)[child.spec.name] = child.handle;
  context.state.register_actor(child.spec.name, child.handle);
}

void on_child_down(caf::stateful_actor<supervisor_state>* self, actor_context& context,
                   const caf::down_msg& message) {
  auto found = self->state.names_by_address.find(message.source);
  if (found == self->state.names_by_address.end()) {
    return;
  }
  std::string name = found->second;
  self->state.names_by_address.erase(found);
  if (context.shutting_down || !message.reason) {
    return;
  }

  auto& child = self->state.children.at(name);
  auto now = steady_clock::now();
  std::string reason = exit_reason_label(message.reason);
  context.metrics.actor_restarts.with({name, reason}).inc();

  // A child that ran well for longer than the backoff cap starts its backoff afresh.
  if (now - child.started_at > std::chrono::seconds{30}) {
    child.policy.reset();
  }
  auto decision = child.policy.next_restart(now);
  log::error("actor exited; restart scheduled",
             {{"actor", name},
              {"supervisor", self->state.name},
              {"reason", reason},
              {"error", caf::to_string(message.reason)},
              {"delay_ms", static_cast<std::int64_t>(decision.delay.count())},
              {"intensity_limit_hit", decision.failed}});
  if (decision.failed && child.spec.venue) {
    context.state.set_venue_state(*child.spec.venue, "failed");
  }
  self->delayed_send(self, decision.delay, restart_atom::value, name);
}

caf::behavior supervisor_actor(caf::stateful_actor<supervisor_state>* self,
                               actor_context* context, std::string name,
                               std::vector<child_spec> children) {
  self->state.name = name;
  for (auto& spec : children) {
    std::string child_name = spec.name;
    self->state.children.emplace(
        child_name, supervised_child{std::move(spec), {}, restart_policy{
                                                            context->state.config().supervision}});
    start_child(self, *context, self->state.children.at(child_name));
  }

  self->set_down_handler(
      [=](caf::down_msg& message) { on_child_down(self, *context, message); });

  // Children are monitored, not linked, so the supervisor forwards its own exit to them.
  self->attach_functor([live = self->state.live](const caf::error& reason) {
    for (auto& [child_name, handle] : *live) {
      send_exit(handle, reason ? reason : caf::error{caf::exit_reason::user_shutdown});
    }
  });

  return {
      [=](restart_atom, const std::string& child_name) {
        auto& child = self->state.children.at(child_name);
        start_child(self, *context, child);
        if (child.spec.venue) {
          context->state.record_restart(*child.spec.venue);
        }
        log::info("actor restarted", {{"actor", child_name}, {"supervisor", self->state.name}});
      },
  };
}

}  // namespace

void send_exit(const caf::actor& target, caf::error reason) {
  if (!target) {
    return;
  }
  target->enqueue(nullptr, caf::make_message_id(),
                  caf::make_message(caf::exit_msg{target->address(), std::move(reason)}), nullptr);
}

caf::error user_exit_reason() { return caf::error{std::uint8_t{1}, nimbus_category}; }

std::string exit_reason_label(const caf::error& reason) {
  if (reason == caf::exit_reason::kill) {
    return "kill";
  }
  if (reason.category() == nimbus_category) {
    return "user";
  }
  if (reason == caf::exit_reason::unhandled_exception) {
    return "error";
  }
  return "unknown";
}

caf::actor spawn_supervisor(caf::actor_system& system, actor_context& context, std::string name,
                            std::vector<child_spec> children) {
  return system.spawn(supervisor_actor, &context, std::move(name), std::move(children));
}

}  // namespace nimbus

#include "actors/service.hpp"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>

#include <caf/all.hpp>

#include "actors/actor_context.hpp"
#include "actors/messages.hpp"
#include "actors/pipeline_actors.hpp"
#include "actors/supervisor.hpp"
#include "actors/venue_client.hpp"
#include "http/server.hpp"
#include "pipeline/log.hpp"
#include "pipeline/process_metrics.hpp"

namespace nimbus {
namespace {

using std::chrono::milliseconds;

// The whole stop sequence must finish within 5 seconds; these shares leave a margin.
constexpr milliseconds readiness_propagation_delay{1'000};
constexpr milliseconds drain_timeout{1'500};
constexpr milliseconds actor_stop_timeout{2'000};

timestamp utc_now() {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}

std::vector<child_spec> fetcher_children(caf::actor_system& system, actor_context& context) {
  std::vector<child_spec> children;
  for (const auto& venue : context.state.config().venues) {
    if (!venue.enabled) {
      continue;
    }
    children.push_back({fetcher_name(venue.name),
                        [&system, &context, venue] { return spawn_fetcher(system, context, venue); },
                        venue.name});
  }
  return children;
}

caf::actor start_actors(caf::actor_system& system, actor_context& context) {
  std::vector<child_spec> pipeline = {
      {normaliser_name, [&] { return spawn_normaliser(system, context); }, std::nullopt},
      {aggregator_name, [&] { return spawn_aggregator(system, context); }, std::nullopt},
      {metrics_publisher_name, [&] { return spawn_metrics_publisher(system, context); },
       std::nullopt},
      {http_actor_name, [&] { return spawn_http_actor(system, context); }, std::nullopt},
      {"venue_supervisor",
       [&] {
         return spawn_supervisor(system, context, "venue_supervisor",
                                 fetcher_children(system, context));
       },
       std::nullopt},
  };
  return spawn_supervisor(system, context, "root_supervisor", std::move(pipeline));
}

// Routes the admin listener: POST /admin/actors/{name}/kill[?reason=user].
http::reply route_admin(const http::request_line& request, caf::actor_system& system,
                        actor_context& context) {
  constexpr std::string_view prefix = "/admin/actors/";
  constexpr std::string_view suffix = "/kill";
  std::string_view target = request.target;
  auto question = target.find('?');
  std::string_view path = target.substr(0, question);
  std::string_view query = question == std::string_view::npos ? "" : target.substr(question + 1);

  http::reply reply;
  reply.route = "/admin/actors/{name}/kill";
  if (!path.starts_with(prefix) || !path.ends_with(suffix) ||
      path.size() <= prefix.size() + suffix.size()) {
    reply.status = 404;
    reply.route = "unmatched";
    reply.owned_body = http::render_error(404, "not_found",
                                          "admin routes: POST /admin/actors/{name}/kill");
    return reply;
  }
  if (request.method != "POST") {
    reply.status = 405;
    reply.allow = "POST";
    reply.owned_body = http::render_error(405, "method_not_allowed", "use POST");
    return reply;
  }

  std::string name(path.substr(prefix.size(), path.size() - prefix.size() - suffix.size()));
  caf::actor target_actor = context.state.find_actor(name);
  if (!target_actor) {
    std::string names;
    for (const auto& known : context.state.actor_names()) {
      names += names.empty() ? known : ", " + known;
    }
    reply.status = 404;
    reply.owned_body =
        http::render_error(404, "unknown_actor",
                           "unknown actor '" + name + "'; known actors are: " + names);
    return reply;
  }
  if (!query.empty() && query != "reason=user" && query != "reason=kill") {
    reply.status = 400;
    reply.owned_body = http::render_error(400, "invalid_reason",
                                          "query must be reason=kill or reason=user, or empty");
    return reply;
  }
  bool user_reason = query == "reason=user";
  send_exit(target_actor, user_reason ? user_exit_reason() : caf::error{caf::exit_reason::kill});
  log::warn("actor killed through the admin listener",
            {{"actor", name}, {"reason", user_reason ? "user" : "kill"}});
  (void)system;
  reply.status = 202;
  reply.owned_body = R"({"status":"exit sent"})";
  return reply;
}

http::server_options server_options_for(const std::string& address) {
  auto host_port = http::split_host_port(address);
  http::server_options options;
  options.address = host_port->first;
  options.port = host_port->second;
  return options;
}

// Binds a listener; on failure logs which address and flag to change and returns false.
bool start_listener(http::server& listener, const std::string& address, std::string_view flag) {
  try {
    listener.start();
    return true;
  } catch (const boost::system::system_error& error) {
    log::error("cannot bind the listener; free the port or choose another address",
               {{"address", address}, {"flag", flag}, {"error", error.code().message()}});
    return false;
  }
}

void write_port_file(const std::string& path, std::uint16_t port) {
  if (path.empty()) {
    return;
  }
  std::string temporary = path + ".tmp";
  {
    std::ofstream file(temporary);
    file << port << "\n";
    if (!file) {
      log::error("cannot write the port file; check that its folder exists and is writable",
                 {{"path", path}});
      return;
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    log::error("cannot move the port file into place", {{"path", path}});
  }
}

// Blocks SIGTERM and SIGINT in every thread started afterwards, so that only sigwait receives them.
sigset_t block_shutdown_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

}  // namespace

int run_service(const service_config& config, const run_options& options) {
  sigset_t signals = block_shutdown_signals();
  auto started = std::chrono::steady_clock::now();
  initialise_curl();

  service_metrics metrics;
  metrics::process_metrics process(metrics.registry);
  metrics.registry.add_render_hook([&process] { process.refresh(); });
  service_state state(config);
  std::vector<std::string> venue_names;
  std::vector<std::string> actor_names = {normaliser_name, aggregator_name, metrics_publisher_name,
                                          http_actor_name, "venue_supervisor"};
  for (const auto& venue : config.venues) {
    if (venue.enabled) {
      venue_names.push_back(venue.name);
      actor_names.push_back(fetcher_name(venue.name));
    }
  }
  metrics.initialise_series(venue_names, actor_names);
  http::snapshot_slot slot;
  actor_context context{state, metrics, slot};

  // Serve a snapshot with every configured pair from the first request on: not ready, no prices.
  slot.store(http::render_snapshot(state.aggregate_all(utc_now()), utc_now(), false));

  caf::actor_system_config actor_config;
  register_message_types(actor_config);
  caf::actor_system system{actor_config};

  auto render_metrics = [&metrics] { return metrics.registry.render(); };
  http::server public_server(
      server_options_for(config.listen),
      [&slot, render_metrics](const http::request_line& request) {
        return http::route_request(request, slot.load(), render_metrics);
      },
      [&metrics](const std::string& route, std::string_view method, int status,
                 std::chrono::nanoseconds duration) {
        metrics.observe_request(route, method, status,
                                std::chrono::duration<double>(duration).count());
      },
      [&metrics](std::string_view reason) {
        metrics.http_bad_requests.with({std::string(reason)}).inc();
      });
  if (!start_listener(public_server, config.listen, "--listen")) {
    return 1;
  }

  std::unique_ptr<http::server> admin_server;
  if (!config.admin_listen.empty()) {
    admin_server = std::make_unique<http::server>(
        server_options_for(config.admin_listen),
        [&system, &context](const http::request_line& request) {
          return route_admin(request, system, context);
        },
        nullptr, nullptr);
    if (!start_listener(*admin_server, config.admin_listen, "--admin-listen")) {
      return 1;
    }
    log::warn("admin listener enabled", {{"address", config.admin_listen},
                                          {"port", static_cast<int>(admin_server->port())}});
  }

  // Actors start only once both listeners are bound: a bind failure then throws before any
  // fetcher thread exists, so the process exits with the error instead of waiting on them.
  caf::actor root = start_actors(system, context);

  write_port_file(options.port_file, public_server.port());
  log::info("service started",
            {{"listen", config.listen},
             {"port", static_cast<int>(public_server.port())},
             {"startup_ms", std::chrono::duration<double, std::milli>(
                                std::chrono::steady_clock::now() - started)
                                .count()}});

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  log::info("shutdown started", {{"signal", signal_number == SIGTERM ? "SIGTERM" : "SIGINT"}});

  // Readiness goes first, so load balancers stop sending before the listener closes.
  context.shutting_down = true;
  if (auto current = slot.load()) {
    slot.store(http::render_snapshot(current->source, utc_now(), true));
  }
  // Keep serving for a moment with /readyz at 503, so that load balancers and Kubernetes
  // endpoints see the pod leave before its listener closes.
  std::this_thread::sleep_for(readiness_propagation_delay);
  public_server.stop_accepting();
  public_server.shutdown(drain_timeout);
  if (admin_server) {
    admin_server->shutdown(milliseconds{0});
  }

  caf::anon_send_exit(root, caf::exit_reason::user_shutdown);
  // A fetcher blocked in a request finishes it first; the deadline bounds that wait so that the
  // process still exits within its shutdown budget.
  std::atomic<bool> actors_done{false};
  std::thread waiter([&system, &actors_done] {
    system.await_all_actors_done();
    actors_done = true;
  });
  auto deadline = std::chrono::steady_clock::now() + actor_stop_timeout;
  while (!actors_done && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds{10});
  }
  if (!actors_done) {
    log::warn("actors did not stop within the shutdown budget; exiting without them",
              {{"timeout_ms", static_cast<std::int64_t>(actor_stop_timeout.count())}});
    std::fflush(stdout);
    std::_Exit(0);
  }
  waiter.join();
  state.clear_actors();
  root = nullptr;
  log::info("shutdown complete");
  return 0;
}

}  // namespace nimbus

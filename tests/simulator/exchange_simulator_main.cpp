// exchange-simulator: serves venue ticker responses on loopback for the offline demo and for tests
// that run the real service binary. Logs one JSON object per line on stdout.

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <boost/system/system_error.hpp>

#include "pipeline/json_writer.hpp"
#include "pipeline/timestamps.hpp"
#include "tests/simulator/demo_scenario.hpp"
#include "tests/simulator/venue_bodies.hpp"

namespace {

using namespace nimbus;

struct command_line {
  std::string listen = "127.0.0.1:0";
  std::string port_file;
  std::string venues_yaml;
  std::string scenario = "demo";
  std::string fixtures_dir = NIMBUS_DEMO_FIXTURES_DIR;
  std::uint64_t seed = 0;  // 0 picks a random seed
};

void log_line(std::string_view level, std::string_view message,
              const std::function<void(json_writer&)>& add_fields = {}) {
  std::string line;
  json_writer json(line);
  json.begin_object();
  json.key("ts").string(format_rfc3339_milliseconds(
      std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now())));
  json.key("level").string(level);
  json.key("msg").string(message);
  if (add_fields) {
    add_fields(json);
  }
  json.end_object();
  std::cout << line << std::endl;
}

// Splits "HOST:PORT"; throws CLI::ValidationError naming the value otherwise.
sim::simulator_options parse_listen(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    throw CLI::ValidationError(
        "--listen", "invalid value '" + listen + "': expected HOST:PORT, such as 127.0.0.1:0");
  }
  sim::simulator_options options;
  options.address = listen.substr(0, colon);
  try {
    int port = std::stoi(listen.substr(colon + 1));
    if (port < 0 || port > 65535) {
      throw std::out_of_range("port");
    }
    options.port = static_cast<std::uint16_t>(port);
  } catch (const std::exception&) {
    throw CLI::ValidationError(
        "--listen", "invalid port in '" + listen + "': expected a number from 0 to 65535");
  }
  return options;
}

// Blocks SIGTERM and SIGINT in every thread, so that main can wait for them with sigwait.
sigset_t block_stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  // A shell starts background jobs with SIGINT ignored, and sigwait never receives an ignored
  // signal.
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  return signals;
}

std::vector<sim::scenario_route> install_scenario(sim::exchange_simulator& simulator,
                                                  const command_line& options) {
  if (options.scenario == "replay") {
    return sim::install_replay_routes(simulator, options.fixtures_dir);
  }
  std::uint64_t seed = options.seed != 0 ? options.seed : std::random_device{}();
  return sim::install_demo_routes(simulator, std::make_shared<sim::synthetic_market>(seed));
}

void log_skipped_routes(const std::vector<sim::scenario_route>& routes) {
  for (const auto& route : routes) {
    if (route.problem.empty()) {
      continue;
    }
    log_line("warn", "recorded body not served", [&](json_writer& json) {
      json.key("venue").string(route.venue);
      json.key("pair").string(route.pair);
      json.key("target").string(route.target);
      json.key("error").string(route.problem);
    });
  }
}

// Writes to a temporary name and renames, so a reader polling for the file never reads it partly
// written.
void write_file_atomically(const std::string& path, const std::string& content) {
  std::string temporary = path + ".tmp";
  {
    std::ofstream file(temporary, std::ios::trunc);
    file << content;
    if (!file) {
      throw std::runtime_error("cannot write '" + temporary + "'; check the folder exists");
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    throw std::runtime_error("cannot rename '" + temporary + "' to '" + path + "'");
  }
}

// The `venues` section of a service configuration that points every served venue at this
// simulator, under its prefix, with the pairs it serves.
std::string venues_yaml(const std::vector<sim::scenario_route>& routes,
                        const std::string& simulator_base_url) {
  std::vector<std::string> venue_order;
  std::map<std::string, std::vector<std::string>> pairs_by_venue;
  for (const auto& route : routes) {
    if (!route.problem.empty()) {
      continue;
    }
    auto& pairs = pairs_by_venue[route.venue];
    if (pairs.empty()) {
      venue_order.push_back(route.venue);
    }
    if (std::find(pairs.begin(), pairs.end(), route.pair) == pairs.end()) {
      pairs.push_back(route.pair);
    }
  }

  std::string yaml = "venues:\n";
  for (const auto& venue : venue_order) {
    yaml += "  " + venue + ":\n";
    yaml += "    enabled: true\n";
    yaml += "    base_url: " + sim::venue_base_url(simulator_base_url, venue) + "\n";
    yaml += "    pairs: [";
    for (std::size_t i = 0; i < pairs_by_venue[venue].size(); ++i) {
      yaml += (i == 0 ? "" : ", ") + pairs_by_venue[venue][i];
    }
    yaml += "]\n";
  }
  return yaml;
}

int run(const command_line& options) {
  sigset_t stop_signals = block_stop_signals();
  sim::exchange_simulator simulator(parse_listen(options.listen));
  auto routes = install_scenario(simulator, options);
  log_skipped_routes(routes);

  std::size_t served = 0;
  for (const auto& route : routes) {
    served += route.problem.empty() ? 1 : 0;
  }
  std::string listen =
      parse_listen(options.listen).address + ":" + std::to_string(simulator.port());

  // The port file comes last, so that a script which waits for it finds the YAML written too.
  if (!options.venues_yaml.empty()) {
    write_file_atomically(options.venues_yaml, venues_yaml(routes, "http://" + listen));
  }
  if (!options.port_file.empty()) {
    write_file_atomically(options.port_file, std::to_string(simulator.port()) + "\n");
  }
  log_line("info", "exchange simulator started", [&](json_writer& json) {
    json.key("listen").string(listen);
    json.key("venue_base_url").string("http://" + listen + "/<venue>");
    json.key("scenario").string(options.scenario);
    json.key("routes").integer(static_cast<std::int64_t>(served));
    json.key("prices").string(options.scenario == "demo" ? "synthetic" : "recorded");
  });

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);

  simulator.stop();
  log_line("info", "exchange simulator stopped", [&](json_writer& json) {
    json.key("signal").string(signal_number == SIGTERM ? "SIGTERM" : "SIGINT");
    json.key("requests").integer(static_cast<std::int64_t>(simulator.total_request_count()));
  });
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  command_line options;
  CLI::App app{
      "Serves venue ticker responses on loopback. The demo scenario quotes synthetic, "
      "current-looking prices in each venue's recorded wire format; replay serves the recorded "
      "bodies verbatim."};
  app.add_option("--listen", options.listen, "HOST:PORT to listen on; port 0 picks a free port")
      ->capture_default_str();
  app.add_option("--port-file", options.port_file,
                 "File to write the bound port to once listening");
  app.add_option("--venues-yaml", options.venues_yaml,
                 "File to write a service configuration 'venues' section to, pointing every "
                 "served venue at this simulator");
  app.add_option("--scenario", options.scenario, "Which responses to serve")
      ->check(CLI::IsMember({"demo", "replay"}))
      ->capture_default_str();
  app.add_option("--fixtures-dir", options.fixtures_dir,
                 "Folder with recorded.tsv and recorded/ for the replay scenario")
      ->capture_default_str();
  app.add_option("--seed", options.seed, "Seed of the synthetic price walk; 0 picks one at random")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  try {
    return run(options);
  } catch (const CLI::ValidationError& failure) {
    return app.exit(failure);
  } catch (const std::exception& failure) {
    log_line("error", "exchange simulator failed",
             [&](json_writer& json) { json.key("error").string(failure.what()); });
    return 1;
  }
}

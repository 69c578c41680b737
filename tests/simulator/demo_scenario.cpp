#include "tests/simulator/demo_scenario.hpp"

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "adapters/registry.hpp"
#include "tests/simulator/venue_bodies.hpp"

namespace nimbus::sim {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    throw std::runtime_error("cannot read '" + path +
                             "'; check --fixtures-dir points at tests/fixtures/demo");
  }
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> fields;
  std::istringstream stream(line);
  std::string field;
  while (std::getline(stream, field, '\t')) {
    fields.push_back(field);
  }
  return fields;
}

timestamp wall_clock_now() {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}

}  // namespace

std::vector<scenario_route> install_demo_routes(exchange_simulator& simulator,
                                                std::shared_ptr<synthetic_market> market) {
  std::vector<scenario_route> installed;
  for (const std::string& venue : templated_venues()) {
    const venue_adapter* adapter = find_adapter(venue);
    for (const std::string& pair : demo_pairs) {
      if (!adapter->venue_symbol(pair)) {
        continue;
      }

      std::string target = venue_route(venue, pair);
      simulator.set_handler(target, [market, venue, pair](const request_info&) {
        auto reply = ticker_response(venue, pair, market->quote(venue, pair, wall_clock_now()));
        reply.headers.emplace_back(body_source_header, "synthetic");
        return reply;
      });
      installed.push_back({venue, pair, target, "synthetic", ""});
    }
  }
  return installed;
}

std::vector<scenario_route> install_replay_routes(exchange_simulator& simulator,
                                                  const std::string& demo_fixtures_dir) {
  std::istringstream index(read_file(demo_fixtures_dir + "/recorded.tsv"));
  std::vector<scenario_route> routes;
  std::string line;
  while (std::getline(index, line)) {
    if (line.empty() || line.starts_with('#')) {
      continue;
    }
    auto fields = split_tabs(line);
    if (fields.size() != 4) {
      throw std::runtime_error("recorded.tsv: expected 4 tab-separated fields in line '" + line +
                               "'");
    }

    const std::string& recorded_target = fields[2];
    scenario_route route{fields[0], fields[1], venue_prefix(fields[0]) + recorded_target,
                         "recorded", ""};
    const venue_adapter* adapter = find_adapter(route.venue);
    if (adapter == nullptr || !adapter->venue_symbol(route.pair)) {
      route.problem = "venue is not registered or cannot quote the pair";
    } else if (adapter->request_target(route.pair) != recorded_target) {
      route.problem = "the adapter requests " + adapter->request_target(route.pair);
    }
    if (route.problem.empty()) {
      auto reply = json_response(200, read_file(demo_fixtures_dir + "/recorded/" + fields[3]));
      reply.headers.emplace_back(body_source_header, "recorded");
      simulator.set_response(route.target, std::move(reply));
    }
    routes.push_back(std::move(route));
  }
  return routes;
}

}  // namespace nimbus::sim

// nimbus-bench-market: an exchange simulator for load benchmarks that serves a market of N pairs
// on V venues, where the exchange-simulator binary's demo scenario serves only four pairs. Pairs
// beyond the first four are made up (SYN05-USDT, ...), so only venues whose adapter maps any
// BASE-QUOTE pair take part. Each response is rendered at request time in the venue's wire format,
// with prices consistent across venues. It writes the configuration's venues section that points
// every venue at it, then serves until SIGTERM or SIGINT.

#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "bench/bench_support.hpp"
#include "tests/simulator/exchange_simulator.hpp"
#include "tests/simulator/venue_bodies.hpp"

namespace {

using namespace nimbus;

struct command_line {
  std::size_t pairs = 50;
  std::size_t venues = 12;
  std::string port_file;
  std::string venues_yaml;
};

// Written under a temporary name and renamed, so a reader polling for the file never reads it
// empty.
void write_file_atomically(const std::string& path, const std::string& text) {
  std::string temporary = path + ".tmp";
  {
    std::ofstream file(temporary, std::ios::trunc);
    file << text;
    if (!file) {
      throw std::runtime_error("failed to write '" + temporary +
                               "'; check that its folder exists and is writable");
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    throw std::runtime_error("failed to rename '" + temporary + "' to '" + path +
                             "'; check that the folder is writable");
  }
}

std::string venues_yaml(const std::vector<std::string>& venues,
                        const std::vector<std::string>& pairs, const std::string& base_url) {
  std::string yaml = "venues:\n";
  for (const auto& venue : venues) {
    yaml += "  " + venue + ":\n";
    yaml += "    base_url: " + sim::venue_base_url(base_url, venue) + "\n";
    yaml += "    pairs: [";
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      yaml += (i == 0 ? "" : ", ") + pairs[i];
    }
    yaml += "]\n";
  }
  return yaml;
}

void install_routes(sim::exchange_simulator& simulator, const std::vector<std::string>& venues,
                    const std::vector<std::string>& pairs) {
  for (std::size_t v = 0; v < venues.size(); ++v) {
    for (const auto& pair : pairs) {
      std::string venue = venues[v];
      simulator.set_handler(
          sim::venue_route(venue, pair), [venue, v, pair](const sim::request_info& request) {
            timestamp now = bench::utc_now();
            quote values = bench::market_quote(venue, v, pair, request.sequence, now);
            sim::ticker_values ticker{*values.bid, *values.ask, *values.last,
                                      *values.base_volume_24h, now};
            return sim::ticker_response(venue, pair, ticker);
          });
    }
  }
}

int run(const command_line& options) {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto venues = bench::market_venues(options.venues);
  auto pairs = bench::market_pairs(options.pairs);
  sim::exchange_simulator simulator;
  install_routes(simulator, venues, pairs);
  if (!options.venues_yaml.empty()) {
    write_file_atomically(options.venues_yaml, venues_yaml(venues, pairs, simulator.base_url()));
  }
  if (!options.port_file.empty()) {
    write_file_atomically(options.port_file, std::to_string(simulator.port()) + "\n");
  }
  std::cout << R"({"level":"info","msg":"bench market started","venues":)" << venues.size()
            << R"(,"pairs":)" << pairs.size() << R"(,"base_url":")" << simulator.base_url() << "\"}"
            << std::endl;

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  simulator.stop();
  std::cout << R"({"level":"info","msg":"bench market stopped","requests":)"
            << simulator.total_request_count() << "}" << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  command_line options;
  CLI::App app{
      "Serves a synthetic market of N pairs on V venues on 127.0.0.1 for load benchmarks."};
  app.add_option("--pairs", options.pairs, "Number of pairs, from 1; the first four are real")
      ->check(CLI::Range(1, 500))
      ->capture_default_str();
  app.add_option("--venues", options.venues, "Number of venues, from 1")
      ->check(CLI::Range(1, 14))
      ->capture_default_str();
  app.add_option("--port-file", options.port_file,
                 "File to write the bound port to once listening");
  app.add_option("--venues-yaml", options.venues_yaml,
                 "File to write the configuration's venues section to, pointing every venue here");
  CLI11_PARSE(app, argc, argv);

  try {
    return run(options);
  } catch (const std::exception& failure) {
    std::cerr << "nimbus-bench-market: " << failure.what() << "\n";
    return 1;
  }
}

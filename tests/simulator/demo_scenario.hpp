#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tests/simulator/exchange_simulator.hpp"
#include "tests/simulator/synthetic_market.hpp"

namespace nimbus::sim {

// The pairs the demo serves for every venue that can quote them.
inline const std::vector<std::string> demo_pairs = {"BTC-USD", "ETH-USD", "BTC-USDT", "ETH-USDT"};

// The response header that marks a body as synthetic or recorded.
inline constexpr std::string_view body_source_header = "X-Simulator-Body";

// One route a scenario installed, or could not install.
struct scenario_route {
  std::string venue;
  std::string pair;
  std::string target;       // the route on the simulator, under the venue's prefix
  std::string body_source;  // "synthetic" or "recorded"
  std::string problem;      // why the route was skipped; empty when it was installed
};

// For every registered venue with a template and each demo pair it can quote, routes
// venue_route(venue, pair) to a handler that renders the venue's ticker body with the market's
// current synthetic prices, marked `X-Simulator-Body: synthetic`. Returns the installed routes.
// The service reaches them with each venue's base_url set to venue_base_url().
std::vector<scenario_route> install_demo_routes(exchange_simulator& simulator,
                                                std::shared_ptr<synthetic_market> market);

// Serves the recorded bodies listed in `demo_fixtures_dir`/recorded.tsv verbatim, marked
// `X-Simulator-Body: recorded`, at their recorded targets under the venue's prefix. A row whose
// target differs from the adapter's request target for its pair, or whose venue is not
// registered, is skipped and returned with its problem. Throws std::runtime_error when the index or
// a body cannot be read.
std::vector<scenario_route> install_replay_routes(exchange_simulator& simulator,
                                                  const std::string& demo_fixtures_dir);

}  // namespace nimbus::sim

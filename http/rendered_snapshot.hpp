#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/snapshot.hpp"

namespace nimbus::http {

// JSON bodies rendered once per snapshot and shared by every request until the next one.
struct rendered_snapshot {
  std::shared_ptr<const aggregate_snapshot> source;
  std::string prices_body;                           // GET /v1/prices
  std::map<std::string, std::string> pair_bodies;    // GET /v1/prices/{pair}, keyed by canonical pair
  std::map<std::string, std::string> sources_bodies; // GET /v1/prices/{pair}/sources
  std::string venues_body;                           // GET /v1/venues
  bool ready = false;                                // every configured pair has a fresh aggregate
  std::string readyz_body;
  std::string valid_pairs;  // "BTC-USD, ETH-USD", for error messages
  std::vector<std::string> history_symbols;  // "BTC", "ETH": symbols GET /prices accepts
};

// Renders every body of a snapshot. now sets age_ms; shutting_down forces readiness off.
std::shared_ptr<const rendered_snapshot> render_snapshot(
    std::shared_ptr<const aggregate_snapshot> snapshot, timestamp now, bool shutting_down);

// Renders the body of GET /prices for the given symbols and window.
std::string render_history(const aggregate_snapshot& snapshot,
                           const std::vector<std::string>& symbols, std::size_t window);

// Renders {"error":{"code":...,"message":...}}.
std::string render_error(int status, std::string_view code, std::string_view message);

}  // namespace nimbus::http

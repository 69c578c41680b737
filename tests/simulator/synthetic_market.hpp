#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <string_view>

#include "pipeline/timestamps.hpp"
#include "tests/simulator/venue_bodies.hpp"

namespace nimbus::sim {

// Made-up but current-looking prices for the offline demo: each pair's reference price follows a
// bounded random walk (mean-reverting, never more than max_deviation from its anchor), and each
// venue quotes it with its own small fixed basis and spread. These are synthetic numbers, not
// market data.
class synthetic_market {
 public:
  // The walk's step: the reference moves once per second of wall time.
  static constexpr std::chrono::seconds step{1};

  // The farthest the reference strays from its anchor, as a fraction of the anchor (2%).
  static constexpr double max_deviation = 0.02;

  explicit synthetic_market(std::uint64_t seed);

  // The anchor the walk of a pair reverts to: BTC 64,000 and ETH 3,100 against USD, with USDT
  // pairs 0.02% higher. Throws std::invalid_argument for other base assets.
  static double anchor_price(std::string_view canonical_pair);

  // The venue's quote for the pair at `now`, advancing the walk to `now` first. Prices have two
  // decimals, volumes eight. Thread-safe.
  ticker_values quote(std::string_view venue, std::string_view canonical_pair, timestamp now);

 private:
  struct walk {
    double offset = 0;  // fraction of the anchor, within +-max_deviation
    timestamp last_step{};
  };

  double advance(walk& state, timestamp now);

  std::mutex mutex_;
  std::mt19937_64 random_;
  std::map<std::string, walk, std::less<>> walks_;
};

}  // namespace nimbus::sim

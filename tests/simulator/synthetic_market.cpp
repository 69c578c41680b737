#include "tests/simulator/synthetic_market.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>

#include <fmt/format.h>

namespace nimbus::sim {
namespace {

// Per-step volatility and pull towards the anchor. With these, one step moves the price by about
// 0.03% and a deviation decays by half in roughly 35 steps.
constexpr double step_volatility = 0.0003;
constexpr double reversion_per_step = 0.02;

// A walk that was not asked for a long time restarts near its anchor rather than replaying hours
// of steps.
constexpr int max_steps_per_update = 600;

// A stable number in [0, 1) per venue, so each venue keeps the same basis, spread and volume.
double venue_fraction(std::string_view venue, std::uint64_t salt) {
  auto hash = std::hash<std::string_view>{}(venue) ^ (salt * 0x9e3779b97f4a7c15ULL);
  hash ^= hash >> 33;
  hash *= 0xff51afd7ed558ccdULL;
  hash ^= hash >> 33;
  return static_cast<double>(hash % 1'000'000) / 1'000'000.0;
}

decimal rounded(double value, int fraction_digits) {
  return dec(fmt::format("{:.{}f}", value, fraction_digits));
}

}  // namespace

synthetic_market::synthetic_market(std::uint64_t seed) : random_(seed) {}

double synthetic_market::anchor_price(std::string_view canonical_pair) {
  double usd_price = 0;
  if (canonical_pair.starts_with("BTC-")) {
    usd_price = 64'000;
  } else if (canonical_pair.starts_with("ETH-")) {
    usd_price = 3'100;
  } else {
    throw std::invalid_argument("no synthetic anchor price for pair '" +
                                std::string(canonical_pair) + "'; use BTC or ETH pairs");
  }
  return canonical_pair.ends_with("-USDT") ? usd_price * 1.0002 : usd_price;
}

double synthetic_market::advance(walk& state, timestamp now) {
  auto steps = (now - state.last_step) / step;
  if (steps <= 0) {
    return state.offset;
  }
  state.last_step += steps * step;
  if (steps > max_steps_per_update) {
    state.offset = 0;
    steps = max_steps_per_update;
  }

  std::normal_distribution<double> shock(0.0, step_volatility);
  for (long i = 0; i < steps; ++i) {
    state.offset += -reversion_per_step * state.offset + shock(random_);
    state.offset = std::clamp(state.offset, -max_deviation, max_deviation);
  }
  return state.offset;
}

ticker_values synthetic_market::quote(std::string_view venue, std::string_view canonical_pair,
                                      timestamp now) {
  double anchor = anchor_price(canonical_pair);
  double offset = 0;
  {
    std::lock_guard lock(mutex_);
    auto found = walks_.find(canonical_pair);
    if (found == walks_.end()) {
      found = walks_.emplace(std::string(canonical_pair), walk{0, now}).first;
    }
    offset = advance(found->second, now);
  }

  // A basis of up to +-0.4 bp and a spread of 1 to 3 bp per venue show some dispersion, while
  // every venue's bid stays below every other venue's ask (bases differ by less than the sum of
  // two half spreads), so the cross-venue best bid and ask are not crossed.
  double basis = (venue_fraction(venue, 1) - 0.5) * 0.00008;
  double half_spread = (1.0 + 2.0 * venue_fraction(venue, 2)) * 0.0001 / 2;
  double mid = anchor * (1 + offset + basis);
  double volume_scale = canonical_pair.starts_with("BTC-") ? 1'000 : 15'000;

  ticker_values values;
  values.bid = rounded(mid * (1 - half_spread), 2);
  values.ask = rounded(mid * (1 + half_spread), 2);
  values.last = rounded(mid * (1 + half_spread * (venue_fraction(venue, 3) - 0.5)), 2);
  values.base_volume = rounded(volume_scale * (1 + 4 * venue_fraction(venue, 4)), 8);
  values.venue_time = now;

  // Rounding to cents can close a very narrow spread; keep the book one cent wide at least.
  if (values.ask <= values.bid) {
    values.ask = rounded(values.bid.to_double() + 0.01, 2);
  }
  return values;
}

}  // namespace nimbus::sim

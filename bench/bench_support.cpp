#include "bench/bench_support.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "adapters/registry.hpp"
#include "pipeline/pair.hpp"

namespace nimbus::bench {
namespace {

decimal price_decimal(double value) {
  // Six fractional digits keep a 1 bps spread visible on the cheapest synthetic pair (SYN05, 50).
  auto parsed = decimal::parse(fmt::format("{:.6f}", value));
  if (!parsed) {
    throw std::logic_error(fmt::format("cannot represent price {} as a decimal", value));
  }
  return *parsed;
}

}  // namespace

std::vector<std::string> market_pairs(std::size_t count) {
  std::vector<std::string> pairs = {"BTC-USDT", "ETH-USDT", "BTC-USD", "ETH-USD"};
  if (count <= pairs.size()) {
    pairs.resize(count);
    return pairs;
  }
  for (std::size_t number = pairs.size() + 1; pairs.size() < count; ++number) {
    pairs.push_back(fmt::format("SYN{:02}-USDT", number));
  }
  return pairs;
}

std::vector<std::string> market_venues(std::size_t count) {
  std::vector<std::string> venues;
  for (const venue_adapter* adapter : all_adapters()) {
    if (venues.size() == count) {
      break;
    }
    // CoinGecko names coins by id, so it cannot quote made-up pairs.
    if (adapter->venue_symbol("SYN05-USDT") && adapter->venue_symbol("BTC-USD")) {
      venues.emplace_back(adapter->name());
    }
  }
  if (venues.size() < count) {
    throw std::invalid_argument(fmt::format(
        "only {} registered venues map any BASE-QUOTE pair, but {} were requested; lower the "
        "venue count",
        venues.size(), count));
  }
  return venues;
}

service_config market_config(const std::vector<std::string>& venues,
                             const std::vector<std::string>& pairs) {
  service_config config;
  for (const auto& name : venues) {
    venue_config venue = config.venue_defaults;
    venue.name = name;
    venue.base_url = "http://127.0.0.1:9";  // never contacted: the benchmarks run no fetchers
    venue.pairs = pairs;
    config.venues.push_back(std::move(venue));
  }
  return config;
}

double reference_price(const std::string& pair) {
  auto codes = parse_pair(pair);
  if (!codes) {
    throw std::invalid_argument("invalid pair '" + pair + "'; expected BASE-QUOTE");
  }
  if (codes->base == "BTC") {
    return 64'000.0;
  }
  if (codes->base == "ETH") {
    return 3'100.0;
  }
  if (codes->base.starts_with("SYN")) {
    return 10.0 * std::stoi(codes->base.substr(3));
  }
  throw std::invalid_argument("no synthetic reference price for pair '" + pair +
                              "'; use a pair from market_pairs()");
}

quote market_quote(const std::string& venue, std::size_t venue_index, const std::string& pair,
                   std::size_t sequence, timestamp received_at) {
  double reference = reference_price(pair);
  // Venues sit 0 to 11 bps apart and the price walks one 0.1 bps tick per sequence number, cycling
  // every 100 ticks, so every quote stays far inside the outlier threshold.
  double basis = static_cast<double>(venue_index % 12) * 1e-4;
  double walk = static_cast<double>(sequence % 100) * 1e-5;
  double mid = reference * (1.0 + basis + walk);
  double half_spread = reference * 0.5e-4;

  quote result;
  result.venue = venue;
  result.pair = pair;
  result.bid = price_decimal(mid - half_spread);
  result.ask = price_decimal(mid + half_spread);
  result.last = result.bid;
  result.base_volume_24h = decimal::from_integer(1'000);
  result.venue_time = received_at;
  result.received_at = received_at;
  return result;
}

timestamp utc_now() {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}

}  // namespace nimbus::bench

// Checks the repository's config/nimbus.yaml against the venues this build really supports.
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "adapters/registry.hpp"
#include "pipeline/config.hpp"

namespace nimbus {
namespace {

// Built the way the service builds its venue list, from the adapter registry.
std::vector<known_venue> registry_known_venues() {
  std::vector<known_venue> venues;
  for (const venue_adapter* adapter : all_adapters()) {
    venues.push_back(
        {std::string(adapter->name()), std::string(adapter->default_base_url()),
         [adapter](std::string_view pair) { return adapter->venue_symbol(pair).has_value(); },
         default_pairs(adapter->name())});
  }
  return venues;
}

TEST(RepositoryConfig, ParsesWithRegistry) {
  auto result = load_config_file(NIMBUS_REPOSITORY_CONFIG, registry_known_venues());

  ASSERT_TRUE(std::holds_alternative<service_config>(result))
      << std::get<config_error>(result).message;
  const auto& config = std::get<service_config>(result);
  EXPECT_FALSE(config.venues.empty());
  EXPECT_FALSE(config.configured_pairs().empty());
  EXPECT_TRUE(config.admin_listen.empty());
}

TEST(RepositoryConfig, DefaultsMatchBuiltInDefaults) {
  // The file documents every default next to its key, so its values equal the built-in ones.
  auto venues = registry_known_venues();
  auto result = load_config_file(NIMBUS_REPOSITORY_CONFIG, venues);
  ASSERT_TRUE(std::holds_alternative<service_config>(result))
      << std::get<config_error>(result).message;
  const auto& config = std::get<service_config>(result);
  auto built_in = default_config(venues);

  EXPECT_EQ(config.listen, built_in.listen);
  EXPECT_EQ(config.log_level, built_in.log_level);
  EXPECT_EQ(config.history_size, built_in.history_size);
  EXPECT_EQ(config.default_policy.max_quote_age, built_in.default_policy.max_quote_age);
  EXPECT_EQ(config.default_policy.min_venues, built_in.default_policy.min_venues);
  EXPECT_EQ(config.venue_defaults.poll_interval, built_in.venue_defaults.poll_interval);
  EXPECT_EQ(config.breaker.failure_threshold, built_in.breaker.failure_threshold);
}

}  // namespace
}  // namespace nimbus

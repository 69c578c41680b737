#include "app/cli.hpp"

#include <iostream>
#include <optional>
#include <tuple>

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "actors/service.hpp"
#include "adapters/registry.hpp"
#include "nimbus/build_info.hpp"
#include "pipeline/log.hpp"

namespace nimbus {
namespace {

struct serve_flags {
  std::string config_path;
  std::string listen;
  std::string log_level;
  std::string admin_listen;
  std::string port_file;
  bool check_config = false;
  bool version = false;
};

void add_flags(CLI::App& app, serve_flags& flags) {
  app.add_option("--config", flags.config_path,
                 "YAML configuration file; without it the built-in default config is used")
      ->envname("NIMBUS_CONFIG");
  app.add_option("--listen", flags.listen,
                 "HOST:PORT of the public HTTP listener (API, probes, /metrics); port 0 picks a "
                 "free port [default: 0.0.0.0:8080, or listen in the config]")
      ->envname("NIMBUS_LISTEN");
  app.add_option("--log-level", flags.log_level,
                 "minimum log level: debug, info, warn or error [default: info]")
      ->envname("NIMBUS_LOG_LEVEL");
  app.add_option("--admin-listen", flags.admin_listen,
                 "loopback HOST:PORT of the admin listener (actor kill endpoint for chaos tests); "
                 "off unless set")
      ->envname("NIMBUS_ADMIN_LISTEN");
  app.add_option("--port-file", flags.port_file,
                 "file to write the bound public port to once listening (for tests)");
  app.add_flag("--check-config", flags.check_config,
               "validate the configuration, print it as JSON and exit (0 valid, 78 invalid)");
  app.add_flag("--version", flags.version, "print the version and build commit, then exit");
}

// Re-validates flag values through the config parser, so flags and file share one set of checks.
// Flag values are quoted into YAML below, so characters that could end the quoted scalar are
// rejected first.
std::optional<config_error> reject_unsafe_flag(const std::string& value, std::string_view flag,
                                               std::string_view variable) {
  for (char c : value) {
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) {
      return config_error{fmt::format(
          "{} (or {}): invalid value '{}': quotes, backslashes and control characters are not "
          "allowed",
          flag, variable, value)};
    }
  }
  return std::nullopt;
}

config_result apply_flags(service_config config, const serve_flags& flags,
                          const std::vector<known_venue>& venues) {
  for (auto [value, flag, variable] :
       {std::tuple{&flags.listen, "--listen", "NIMBUS_LISTEN"},
        std::tuple{&flags.log_level, "--log-level", "NIMBUS_LOG_LEVEL"},
        std::tuple{&flags.admin_listen, "--admin-listen", "NIMBUS_ADMIN_LISTEN"}}) {
    if (auto error = reject_unsafe_flag(*value, flag, variable)) {
      return *error;
    }
  }
  std::string overrides;
  if (!flags.listen.empty()) {
    overrides += "listen: \"" + flags.listen + "\"\n";
  }
  if (!flags.log_level.empty()) {
    overrides += "log_level: \"" + flags.log_level + "\"\n";
  }
  if (!flags.admin_listen.empty()) {
    overrides += "admin_listen: \"" + flags.admin_listen + "\"\n";
  }
  if (overrides.empty()) {
    return config;
  }
  auto parsed = parse_config(overrides, "command line or environment", venues);
  if (auto* error = std::get_if<config_error>(&parsed)) {
    return *error;
  }
  const auto& checked = std::get<service_config>(parsed);
  if (!flags.listen.empty()) {
    config.listen = checked.listen;
  }
  if (!flags.log_level.empty()) {
    config.log_level = checked.log_level;
  }
  if (!flags.admin_listen.empty()) {
    config.admin_listen = checked.admin_listen;
  }
  return config;
}

config_result load_effective_config(const serve_flags& flags,
                                    const std::vector<known_venue>& venues) {
  config_result loaded = flags.config_path.empty() ? config_result{default_config(venues)}
                                                   : load_config_file(flags.config_path, venues);
  if (auto* error = std::get_if<config_error>(&loaded)) {
    return *error;
  }
  return apply_flags(std::get<service_config>(std::move(loaded)), flags, venues);
}

}  // namespace

std::vector<known_venue> registry_venues() {
  std::vector<known_venue> venues;
  for (const venue_adapter* adapter : all_adapters()) {
    venues.push_back({std::string(adapter->name()), std::string(adapter->default_base_url()),
                      [adapter](std::string_view pair) {
                        return adapter->venue_symbol(pair).has_value();
                      },
                      default_pairs(adapter->name())});
  }
  return venues;
}

int run_serve_command(int argc, char** argv) {
  CLI::App app{"nimbus-signals: real-time crypto reference prices from many venues.\n"
               "Subcommand: nimbus-signals normalise --venue NAME --pair BASE-QUOTE "
               "[--status CODE] < body.json"};
  serve_flags flags;
  add_flags(app, flags);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    int code = app.exit(error);
    return code == 0 ? 0 : exit_usage;
  }

  if (flags.version) {
    std::cout << "nimbus-signals " << build_info::version << " (commit " << build_info::commit
              << ")\n";
    return 0;
  }

  auto venues = registry_venues();
  auto loaded = load_effective_config(flags, venues);
  if (auto* error = std::get_if<config_error>(&loaded)) {
    log::error("invalid configuration; the service did not start", {{"error", error->message}});
    return exit_config;
  }
  const auto& config = std::get<service_config>(loaded);
  if (flags.check_config) {
    std::cout << config_to_json(config) << "\n";
    return 0;
  }

  log::level level = log::level::info;
  log::parse_level(config.log_level, level);
  log::set_level(level);
  log::write_raw(log::level::info, "effective configuration", "config", config_to_json(config));
  try {
    return run_service(config, {flags.port_file});
  } catch (const std::exception& error) {
    log::error("service failed to start", {{"error", error.what()}});
    return 1;
  }
}

}  // namespace nimbus

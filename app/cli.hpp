#pragma once

#include <string>
#include <vector>

#include "pipeline/config.hpp"

namespace nimbus {

// Process exit codes, following sysexits.h.
inline constexpr int exit_usage = 64;
inline constexpr int exit_config = 78;

// The venues this build supports, as the configuration loader needs them.
std::vector<known_venue> registry_venues();

// Parses the serve command line (flags, then environment, then config file, then defaults), and
// runs the service or prints what was asked for. Returns the process exit code.
int run_serve_command(int argc, char** argv);

}  // namespace nimbus

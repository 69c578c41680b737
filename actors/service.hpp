#pragma once

#include <string>

#include "pipeline/config.hpp"

namespace nimbus {

struct run_options {
  std::string port_file;  // when set, the bound public port is written here once listening
};

// Runs the service until SIGTERM or SIGINT and returns the process exit code. On a signal the
// service turns /readyz to 503, stops accepting, finishes requests in flight, stops the actors and
// returns 0.
int run_service(const service_config& config, const run_options& options);

}  // namespace nimbus

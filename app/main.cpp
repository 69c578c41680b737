// nimbus-signals: serves reference crypto prices aggregated from many venues. All logic lives in
// the nimbus_* libraries; this file only parses the command line.
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "actors/service.hpp"
#include "adapters/normalise_command.hpp"
#include "app/cli.hpp"

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "normalise") {
    std::vector<std::string> args(argv + 2, argv + argc);
    return nimbus::run_normalise_command(args, std::cin, std::cout, std::cerr);
  }
  return nimbus::run_serve_command(argc, argv);
}

// findbuch: one command-line tool with subcommands. Thin on purpose: all logic lives in the
// libraries the tests link too. Errors map to exit codes here and nowhere else.
#include <cstdlib>
#include <iostream>

#include "cli/command.hpp"
#include "cli/run.hpp"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return findbuch::cli::run(args, std::cout, std::cerr);
}

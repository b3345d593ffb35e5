// findbuch: one command-line tool with subcommands. Thin on purpose: all logic lives in the
// libraries the tests link too. Errors map to exit codes in cli::run and nowhere else.
#include <iostream>
#include <string>
#include <vector>

#include "cli/huge_pages.hpp"
#include "cli/run.hpp"

int main(int argc, char** argv) {
  findbuch::cli::restart_with_huge_page_malloc(argv);
  findbuch::cli::reuse_large_allocations();
  const std::vector<std::string> args(argv + 1, argv + argc);
  return findbuch::cli::run(args, std::cout, std::cerr);
}

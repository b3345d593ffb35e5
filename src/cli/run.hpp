#pragma once
#include <iosfwd>
#include <string>
#include <vector>

namespace findbuch::cli {

/// Runs `findbuch ARGS…`; returns the exit code: 0 ok, 1 failure, 2 usage.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace findbuch::cli

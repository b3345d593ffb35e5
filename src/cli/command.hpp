#pragma once
// Subcommands as classes (ARCHITECTURE.md example 6): add_options declares, setup() parses
// without I/O, run() works. Shared option groups are composed here, not copied per command.
#include <boost/program_options.hpp>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "store/workspace.hpp"

namespace findbuch::cli {

namespace po = boost::program_options;

/// What every command gets: where the archive is, where to write, and "today".
struct Context {
  std::filesystem::path archive;
  std::ostream& out;
  std::ostream& err;
  Date today;
  std::string command_line;  ///< for the audit log and the lock holder's description

  std::unique_ptr<Workspace> open(Workspace::Mode mode) const;
};

class Command {
 public:
  virtual ~Command() = default;
  virtual std::string_view name() const = 0;
  /// One line for `findbuch help`.
  virtual std::string_view summary() const = 0;
  /// Positional arguments as shown in usage, e.g. "SIG FIELD VALUE".
  virtual std::string_view arguments() const { return ""; }
  /// A few lines of explanation and examples for `findbuch COMMAND --help`.
  virtual std::string_view details() const { return ""; }
  virtual void add_options(po::options_description& options,
                           po::positional_options_description& positional) = 0;
  /// Reads parsed options; throws UsageError for missing or malformed arguments. No I/O.
  virtual void setup(const po::variables_map& vm) = 0;
  /// Returns the exit code (0 ok, 1 failure).
  virtual int run(Context& ctx) = 0;
};

/// The registry: every subcommand, in the order `help` lists them.
std::vector<std::unique_ptr<Command>> make_commands();

/// Helpers for setup(): a required positional or option value.
std::string required(const po::variables_map& vm, const char* name, const char* what);

}  // namespace findbuch::cli

#include "cli/run.hpp"

#include <cstdlib>
#include <iostream>

#include "cli/command.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "core/version.hpp"

namespace findbuch::cli {
namespace {

void print_overview(std::ostream& out, const std::vector<std::unique_ptr<Command>>& commands) {
  out << "findbuch " << kVersion
      << " — archive catalogue, digitisation and finding aids\n\n"
         "Usage: findbuch COMMAND [OPTIONS] [ARGS]\n\nCommands:\n";
  for (const auto& c : commands) {
    std::string name(c->name());
    name.resize(10, ' ');
    out << "  " << name << c->summary() << "\n";
  }
  out << "\nEvery command takes --archive DIR (default: $FINDBUCH_ARCHIVE, else ./archive).\n"
         "`findbuch COMMAND --help` shows a command's options.\n";
}

po::options_description common_options() {
  po::options_description common("Common options");
  common.add_options()("archive", po::value<std::string>(), "archive workspace directory")(
      "today", po::value<std::string>(), "evaluate access as of this day (YYYY-MM-DD)")(
      "help,h", "show this help");
  return common;
}

void print_command_help(std::ostream& out, Command& c, const po::options_description& options) {
  out << "Usage: findbuch " << c.name();
  if (!c.arguments().empty()) out << " " << c.arguments();
  out << " [OPTIONS]\n\n" << c.summary() << "\n";
  if (!c.details().empty()) out << "\n" << c.details() << "\n";
  out << "\n" << options;
}

std::filesystem::path default_archive() {
  if (const char* env = std::getenv("FINDBUCH_ARCHIVE"); env && *env) return env;
  return "archive";
}

std::vector<std::string> command_names(const std::vector<std::unique_ptr<Command>>& commands) {
  std::vector<std::string> names;
  for (const auto& c : commands) names.emplace_back(c->name());
  return names;
}

}  // namespace

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  auto commands = make_commands();
  if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    if (args.size() >= 2 && args[0] == "help") {
      for (auto& c : commands) {
        if (c->name() != args[1]) continue;
        po::options_description options(std::string(c->name()) + " options");
        po::positional_options_description positional;
        c->add_options(options, positional);
        options.add(common_options());
        print_command_help(out, *c, options);
        return 0;
      }
      const std::string best = nearest_match(args[1], command_names(commands));
      err << "findbuch: no command '" << args[1] << "'";
      if (!best.empty()) err << "; did you mean '" << best << "'?";
      err << "\nSee `findbuch help` for the list of commands.\n";
      return 2;
    }
    print_overview(args.empty() ? err : out, commands);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version" || args[0] == "version") {
    out << "findbuch " << kVersion << "\n";
    return 0;
  }

  Command* command = nullptr;
  for (auto& c : commands)
    if (c->name() == args[0]) command = c.get();
  if (!command) {
    const std::string best = nearest_match(args[0], command_names(commands));
    err << "findbuch: unknown command '" << args[0] << "'";
    if (!best.empty()) err << "; did you mean '" << best << "'?";
    err << "\nSee `findbuch help` for the list of commands.\n";
    return 2;
  }

  try {
    po::options_description options(std::string(command->name()) + " options");
    po::positional_options_description positional;
    command->add_options(options, positional);
    options.add(common_options());
    po::variables_map vm;
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    try {
      po::store(po::command_line_parser(rest).options(options).positional(positional).run(), vm);
      po::notify(vm);
    } catch (const po::error& e) {
      throw UsageError(e.what());
    }
    if (vm.count("help")) {
      print_command_help(out, *command, options);
      return 0;
    }
    command->setup(vm);

    Date today = SystemClock().today();
    if (vm.count("today")) {
      auto d = Date::parse_iso(vm["today"].as<std::string>());
      if (!d)
        throw UsageError("--today: expected YYYY-MM-DD, got '" + vm["today"].as<std::string>() +
                         "'");
      today = *d;
    }
    std::string line = "findbuch";
    for (const auto& a : args)
      line += a.find_first_of(" \t'\"") == std::string::npos ? " " + a : " \"" + a + "\"";
    Context ctx{vm.count("archive") ? std::filesystem::path(vm["archive"].as<std::string>())
                                    : default_archive(),
                out, err, today, line};
    return command->run(ctx);
  } catch (const UsageError& e) {
    err << "findbuch " << command->name() << ": " << e.what() << "\n"
        << "See `findbuch " << command->name() << " --help`.\n";
    return 2;
  } catch (const Error& e) {
    err << "findbuch " << command->name() << ": error: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    err << "findbuch " << command->name() << ": internal error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace findbuch::cli

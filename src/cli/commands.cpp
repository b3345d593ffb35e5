#include "cli/command.hpp"

#include "cli/commands.hpp"
#include "core/error.hpp"

namespace findbuch::cli {

std::unique_ptr<Workspace> Context::open(Workspace::Mode mode) const {
  return Workspace::open(archive, mode, command_line);
}

std::string required(const po::variables_map& vm, const char* name, const char* what) {
  if (!vm.count(name) || vm[name].as<std::string>().empty())
    throw UsageError(std::string("missing ") + what);
  return vm[name].as<std::string>();
}

std::vector<std::unique_ptr<Command>> make_commands() {
  std::vector<std::unique_ptr<Command>> c;
  c.push_back(make_init_command());
  c.push_back(make_import_command());
  c.push_back(make_show_command());
  c.push_back(make_tree_command());
  c.push_back(make_set_command());
  c.push_back(make_move_command());
  c.push_back(make_log_command());
  c.push_back(make_access_command());
  c.push_back(make_ingest_command());
  c.push_back(make_fixity_command());
  c.push_back(make_clean_command());
  c.push_back(make_tile_command());
  c.push_back(make_export_command());
  c.push_back(make_index_command());
  c.push_back(make_search_command());
  return c;
}

}  // namespace findbuch::cli

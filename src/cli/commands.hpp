#pragma once
// Factories of the subcommands; each lives in its own cmd_*.cpp.
#include <memory>

#include "cli/command.hpp"

namespace findbuch::cli {

std::unique_ptr<Command> make_init_command();
std::unique_ptr<Command> make_import_command();
std::unique_ptr<Command> make_show_command();
std::unique_ptr<Command> make_tree_command();
std::unique_ptr<Command> make_set_command();
std::unique_ptr<Command> make_move_command();
std::unique_ptr<Command> make_log_command();
std::unique_ptr<Command> make_access_command();
std::unique_ptr<Command> make_ingest_command();
std::unique_ptr<Command> make_fixity_command();
std::unique_ptr<Command> make_clean_command();
std::unique_ptr<Command> make_tile_command();
std::unique_ptr<Command> make_export_command();
std::unique_ptr<Command> make_index_command();
std::unique_ptr<Command> make_search_command();

}  // namespace findbuch::cli

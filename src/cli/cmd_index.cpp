#include <ostream>

#include "cli/commands.hpp"
#include "search/search_index.hpp"

namespace findbuch::cli {
namespace {

class IndexCommand final : public Command {
 public:
  std::string_view name() const override { return "index"; }
  std::string_view summary() const override {
    return "build the search indexes (public and internal) from the catalogue";
  }
  std::string_view arguments() const override { return ""; }
  std::string_view details() const override {
    return "The public index holds only what the access policy makes public as of --today\n"
           "(redacted units as stubs: Signatur, level, Laufzeit); the internal one everything.\n"
           "Each is built anew and switched in at once: searches keep working meanwhile.\n"
           "Example: findbuch index";
  }
  void add_options(po::options_description& o, po::positional_options_description&) override {
    o.add_options()("full", "rebuild completely (every run does so for now)");
  }
  void setup(const po::variables_map&) override {}
  int run(Context& ctx) override {
    auto ws = ctx.open(Workspace::Mode::Write);
    for (const auto kind : {search::IndexKind::Public, search::IndexKind::Internal}) {
      const search::IndexReport r = search::build_index(*ws, kind, ctx.today);
      ctx.out << search::index_name(kind) << ": " << r.documents << " units";
      if (kind == search::IndexKind::Public) {
        ctx.out << " (" << r.stubs << " closed, as stubs; " << r.left_out << " not public)";
      }
      ctx.out << "\n";
    }
    return 0;
  }
};

}  // namespace

std::unique_ptr<Command> make_index_command() {
  return std::make_unique<IndexCommand>();
}

}  // namespace findbuch::cli

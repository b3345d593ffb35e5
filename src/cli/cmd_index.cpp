#include <ostream>

#include "cli/commands.hpp"
#include "search/search_index.hpp"

namespace findbuch::cli {
namespace {

class IndexCommand final : public Command {
 public:
  std::string_view name() const override { return "index"; }
  std::string_view summary() const override {
    return "build or update the search indexes (public and internal) from the catalogue";
  }
  std::string_view arguments() const override { return ""; }
  std::string_view details() const override {
    return "The public index holds only what the access policy makes public as of --today\n"
           "(redacted units as stubs: Signatur, level, Laufzeit); the internal one everything.\n"
           "A run writes what changed since the last one: changed units and their subtrees,\n"
           "new pages, protection periods that ended. --full (or changed protection rules or\n"
           "language lists) builds each index anew and switches to it at once: searches keep\n"
           "working meanwhile.\n"
           "Example: findbuch index";
  }
  void add_options(po::options_description& o, po::positional_options_description&) override {
    o.add_options()("full", "build anew instead of updating");
  }
  void setup(const po::variables_map& vm) override { full_ = vm.count("full") != 0; }
  int run(Context& ctx) override {
    auto ws = ctx.open(Workspace::Mode::Write);
    const std::vector<search::IndexKind> kinds = {search::IndexKind::Public,
                                                  search::IndexKind::Internal};
    const auto reports = search::update_indexes(*ws, ctx.today, full_);
    for (std::size_t i = 0; i < kinds.size(); ++i) {
      const search::IndexKind kind = kinds[i];
      const search::IndexReport& r = reports[i];
      ctx.out << search::index_name(kind) << ": " << (r.full ? "built, " : "updated, ")
              << r.documents << (r.documents == 1 ? " unit" : " units")
              << (r.full ? "" : " written");
      if (kind == search::IndexKind::Public) {
        ctx.out << " (" << r.stubs << " closed, as stubs; " << r.left_out << " not public)";
      }
      if (r.removed > 0) ctx.out << ", " << r.removed << " removed";
      ctx.out << "\n";
    }
    return 0;
  }

 private:
  bool full_ = false;
};

}  // namespace

std::unique_ptr<Command> make_index_command() {
  return std::make_unique<IndexCommand>();
}

}  // namespace findbuch::cli

#include <ostream>

#include "cli/commands.hpp"
#include "store/masters.hpp"

namespace findbuch::cli {
namespace {

class FixityCommand final : public Command {
 public:
  std::string_view name() const override { return "fixity"; }
  std::string_view summary() const override {
    return "re-hash the masters and report missing or changed files (exit 1)";
  }
  void add_options(po::options_description& o, po::positional_options_description&) override {
    o.add_options()("bestand", po::value<std::string>(), "only the masters of this unit's tree");
  }
  void setup(const po::variables_map& vm) override {
    if (vm.count("bestand")) bestand_ = vm["bestand"].as<std::string>();
  }
  int run(Context& ctx) override {
    auto ws = ctx.open(Workspace::Mode::Read);
    Masters masters(ws->catalogue().db(), ws->dir());
    std::size_t checked = 0;
    std::vector<std::int64_t> ids;
    if (!bestand_.empty()) collect(ws->catalogue(), ws->catalogue().require(bestand_).id, ids);
    const auto problems = masters.check_fixity(bestand_.empty() ? nullptr : &ids, &checked);
    for (const auto& p : problems)
      ctx.out << p.master.path << " (" << p.master.original_name << "): " << p.problem << "\n";
    ctx.out << checked << " masters checked, " << problems.size() << " problems\n";
    return problems.empty() ? 0 : 1;
  }

 private:
  static void collect(Catalogue& cat, std::int64_t id, std::vector<std::int64_t>& out) {
    out.push_back(id);
    for (const auto& c : cat.children(id)) collect(cat, c.id, out);
  }
  std::string bestand_;
};

}  // namespace

std::unique_ptr<Command> make_fixity_command() {
  return std::make_unique<FixityCommand>();
}

}  // namespace findbuch::cli

#include <ostream>

#include "cli/commands.hpp"
#include "core/error.hpp"

namespace findbuch::cli {
namespace {

class MoveCommand final : public Command {
 public:
  std::string_view name() const override { return "move"; }
  std::string_view summary() const override {
    return "move a unit and everything below it; Signaturen never change";
  }
  std::string_view arguments() const override { return "SIG --to PARENT [--before SIG]"; }
  std::string_view details() const override {
    return "--to / moves to the top of the Tektonik.\n"
           "Example: findbuch move \"C 5.63\" --to \"C 5\" --before \"C 5.66\"";
  }
  void add_options(po::options_description& o, po::positional_options_description& p) override {
    o.add_options()("signatur", po::value<std::string>(), "the unit to move")(
        "to", po::value<std::string>(), "the new parent's Signatur (/ for the top)")(
        "before", po::value<std::string>(), "place before this sibling (default: at the end)");
    p.add("signatur", 1);
  }
  void setup(const po::variables_map& vm) override {
    signatur_ = required(vm, "signatur", "the Signatur (SIG) of the unit to move");
    to_ = required(vm, "to", "--to PARENT");
    if (vm.count("before")) before_ = vm["before"].as<std::string>();
  }
  int run(Context& ctx) override {
    auto ws = ctx.open(Workspace::Mode::Write);
    Catalogue& cat = ws->catalogue();
    Transaction tx(cat.db());
    const Unit u = cat.require(signatur_);
    const std::int64_t parent = to_ == "/" ? 0 : cat.require(to_).id;
    std::optional<std::int64_t> before;
    if (!before_.empty()) before = cat.require(before_).id;
    if (before && *before == u.id) throw InputError("--before names the unit itself");
    cat.move(u, parent, before, ctx.command_line);
    tx.commit();
    ctx.out << "Moved " << u.signatur << " under " << (to_ == "/" ? "the top" : to_);
    if (before) ctx.out << ", before " << before_;
    ctx.out << "\n";
    return 0;
  }

 private:
  std::string signatur_, to_, before_;
};

}  // namespace

std::unique_ptr<Command> make_move_command() {
  return std::make_unique<MoveCommand>();
}

}  // namespace findbuch::cli

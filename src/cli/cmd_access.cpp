#include <ostream>

#include "cli/commands.hpp"
#include "cli/json_output.hpp"

namespace findbuch::cli {
namespace {

std::string opens_on_text(const AccessDecision& d) {
  if (d.opens_on) return d.opens_on->iso();
  if (d.rule == "structure") return "always open";
  if (d.rule == "zwischenarchiv") return "never while in the Zwischenarchiv";
  return "not computable (dates missing)";
}

class AccessCommand final : public Command {
 public:
  std::string_view name() const override { return "access"; }
  std::string_view summary() const override {
    return "is a unit open? when does it open, and which rule decided";
  }
  std::string_view arguments() const override { return "SIG"; }
  std::string_view details() const override {
    return "Protection periods (ArchivG NRW § 7 defaults, configurable in findbuch.json):\n"
           "general 30 years after the latest date; personal data 10 years after death, else\n"
           "100 after birth, else 60 after the latest date; secrecy 60; embargo date; a\n"
           "recorded shortening. --today YYYY-MM-DD evaluates on another day.";
  }
  void add_options(po::options_description& o, po::positional_options_description& p) override {
    o.add_options()("signatur", po::value<std::string>(), "Signatur of the unit")("json",
                                                                                  "print as JSON");
    p.add("signatur", 1);
  }
  void setup(const po::variables_map& vm) override {
    signatur_ = required(vm, "signatur", "the Signatur (SIG) of the unit");
    json_ = vm.count("json") > 0;
  }
  int run(Context& ctx) override {
    auto ws = ctx.open(Workspace::Mode::Read);
    Catalogue& cat = ws->catalogue();
    const Unit u = cat.require(signatur_);
    const AccessDecision d = ws->access(u, ctx.today);
    if (json_) {
      ctx.out << access_json(u, d, ctx.today).dump(2) << "\n";
      return 0;
    }
    ctx.out << u.signatur << "  " << u.title << "\n"
            << "  Status:     " << (d.open ? "open (offen)" : "closed (gesperrt)") << " am "
            << ctx.today.iso() << "\n"
            << "  Opens on:   " << opens_on_text(d) << "\n"
            << "  Rule:       " << d.rule << " — " << d.reason << "\n"
            << "  Public:     " << visibility_key(d.visibility) << "\n";
    return 0;
  }

 private:
  std::string signatur_;
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> make_access_command() {
  return std::make_unique<AccessCommand>();
}

}  // namespace findbuch::cli

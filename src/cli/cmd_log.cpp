#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/commands.hpp"
#include "core/error.hpp"

namespace findbuch::cli {
namespace {

class LogCommand final : public Command {
 public:
  std::string_view name() const override { return "log"; }
  std::string_view summary() const override {
    return "show the audit log (when, what, old → new), newest first";
  }
  std::string_view arguments() const override { return "[SIG]"; }
  void add_options(po::options_description& o, po::positional_options_description& p) override {
    o.add_options()("signatur", po::value<std::string>(), "only this unit")(
        "limit", po::value<int>()->default_value(50), "at most this many entries")("json",
                                                                                   "print as JSON");
    p.add("signatur", 1);
  }
  void setup(const po::variables_map& vm) override {
    if (vm.count("signatur")) signatur_ = vm["signatur"].as<std::string>();
    limit_ = vm["limit"].as<int>();
    if (limit_ <= 0) throw UsageError("--limit must be positive");
    json_ = vm.count("json") > 0;
  }
  int run(Context& ctx) override {
    auto ws = ctx.open(Workspace::Mode::Read);
    Catalogue& cat = ws->catalogue();
    std::optional<std::int64_t> id;
    if (!signatur_.empty()) id = cat.require(signatur_).id;
    const auto entries = cat.log(id, limit_);
    if (json_) {
      nlohmann::json j = nlohmann::json::array();
      for (const auto& e : entries)
        j.push_back({{"at", e.at},
                     {"signatur", e.signatur},
                     {"action", e.action},
                     {"field", e.field},
                     {"old", e.old_value},
                     {"new", e.new_value},
                     {"source", e.source}});
      ctx.out << j.dump(2) << "\n";
      return 0;
    }
    for (const auto& e : entries) {
      ctx.out << e.at << "  " << e.signatur << "  " << e.action;
      if (!e.field.empty()) ctx.out << " " << e.field;
      if (e.action == "create")
        ctx.out << ": \"" << e.new_value << "\"";
      else
        ctx.out << ": \"" << e.old_value << "\" → \"" << e.new_value << "\"";
      if (!e.source.empty()) ctx.out << "  (" << e.source << ")";
      ctx.out << "\n";
    }
    return 0;
  }

 private:
  std::string signatur_;
  int limit_ = 50;
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> make_log_command() {
  return std::make_unique<LogCommand>();
}

}  // namespace findbuch::cli

#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/commands.hpp"
#include "core/error.hpp"

namespace findbuch::cli {
namespace {

class TreeCommand final : public Command {
 public:
  std::string_view name() const override { return "tree"; }
  std::string_view summary() const override {
    return "print the Tektonik, or the tree below one unit";
  }
  std::string_view arguments() const override { return "[SIG]"; }
  void add_options(po::options_description& o, po::positional_options_description& p) override {
    o.add_options()("signatur", po::value<std::string>(), "start at this unit")(
        "depth", po::value<int>()->default_value(3), "levels to show (0 = unlimited)")(
        "json", "print as JSON");
    p.add("signatur", 1);
  }
  void setup(const po::variables_map& vm) override {
    if (vm.count("signatur")) signatur_ = vm["signatur"].as<std::string>();
    depth_ = vm["depth"].as<int>();
    if (depth_ < 0) throw UsageError("--depth must be 0 (unlimited) or more");
    if (depth_ == 0) depth_ = 1 << 20;
    json_ = vm.count("json") > 0;
  }
  int run(Context& ctx) override {
    auto ws = ctx.open(Workspace::Mode::Read);
    Catalogue& cat = ws->catalogue();
    if (signatur_.empty()) {
      nlohmann::json roots = nlohmann::json::array();
      for (const auto& r : cat.children(0)) {
        if (json_)
          roots.push_back(node_json(cat, r, 1));
        else
          print(ctx.out, cat, r, 0, 1);
      }
      if (json_) ctx.out << roots.dump(2) << "\n";
      return 0;
    }
    const Unit u = cat.require(signatur_);
    const UnitSummary top{u.id, u.signatur, u.level, u.title, u.laufzeit.text, -1};
    if (json_)
      ctx.out << node_json(cat, top, 0).dump(2) << "\n";
    else
      print(ctx.out, cat, top, 0, 0);
    return 0;
  }

 private:
  void print(std::ostream& out, Catalogue& cat, const UnitSummary& s, int indent, int depth) {
    out << std::string(static_cast<std::size_t>(indent) * 2, ' ') << s.signatur << "  " << s.title;
    if (!s.laufzeit.empty()) out << "  (" << s.laufzeit << ")";
    if (depth >= depth_ && s.child_count > 0) out << "  [+" << s.child_count << "]";
    out << "\n";
    if (depth >= depth_) return;
    for (const auto& c : cat.children(s.id)) print(out, cat, c, indent + 1, depth + 1);
  }

  nlohmann::json node_json(Catalogue& cat, const UnitSummary& s, int depth) {
    nlohmann::json j = {{"signatur", s.signatur},
                        {"level", level_info(s.level).key},
                        {"title", s.title},
                        {"laufzeit", s.laufzeit}};
    if (depth >= depth_) {
      j["child_count"] =
          s.child_count < 0 ? static_cast<std::int64_t>(cat.children(s.id).size()) : s.child_count;
      return j;
    }
    nlohmann::json kids = nlohmann::json::array();
    for (const auto& c : cat.children(s.id)) kids.push_back(node_json(cat, c, depth + 1));
    j["children"] = kids;
    return j;
  }

  std::string signatur_;
  int depth_ = 3;
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> make_tree_command() {
  return std::make_unique<TreeCommand>();
}

}  // namespace findbuch::cli

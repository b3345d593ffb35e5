#include <ostream>

#include "catalogue/fields.hpp"
#include "cli/commands.hpp"
#include "cli/json_output.hpp"
#include "store/masters.hpp"

namespace findbuch::cli {
namespace {

class ShowCommand final : public Command {
 public:
  std::string_view name() const override { return "show"; }
  std::string_view summary() const override { return "show one unit of description"; }
  std::string_view arguments() const override { return "SIG"; }
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
    const auto ancestors = cat.ancestors(u);
    const AccessDecision access = ws->access(u, ctx.today);
    const auto children = cat.children(u.id);
    const auto pages = Masters(cat.db(), ws->dir()).pages(u.id);
    if (json_) {
      nlohmann::json j = unit_json(u);
      nlohmann::json path = nlohmann::json::array();
      for (const auto& a : ancestors)
        path.push_back({{"signatur", a.signatur}, {"title", a.title}});
      j["path"] = path;
      j["children"] = children.size();
      j["access"] = access_json(u, access, ctx.today);
      nlohmann::json page_list = nlohmann::json::array();
      for (const auto& p : pages) page_list.push_back(page_json(p));
      j["pages"] = page_list;
      ctx.out << j.dump(2) << "\n";
      return 0;
    }
    ctx.out << u.signatur << "  " << u.title << "\n";
    if (!ancestors.empty()) {
      ctx.out << "  Tektonik: ";
      for (std::size_t i = 0; i < ancestors.size(); ++i)
        ctx.out << (i ? " › " : "") << ancestors[i].signatur << " " << ancestors[i].title;
      ctx.out << "\n";
    }
    for (const auto& f : field_table()) {
      if (f.key == "signatur" || f.key == "title") continue;
      std::string value = f.get(u);
      if (f.key == "level") value = std::string(level_info(u.level).german);
      if (f.key == "laufzeit" && !u.laufzeit.normal.empty() && u.laufzeit.normal != value)
        value += "  [" + u.laufzeit.normal + "]";
      if (value.empty()) continue;
      std::string label(f.label);
      label += ":";
      // Pad by characters, not bytes, so umlauts in labels keep the column straight.
      std::size_t width = 0;
      for (unsigned char ch : label) width += (ch & 0xC0) != 0x80;
      ctx.out << "  " << label << std::string(width < 24 ? 24 - width : 1, ' ') << value << "\n";
    }
    ctx.out << "  Zugang:                 " << access_summary(access) << " — " << access.reason
            << "\n";
    if (!children.empty()) ctx.out << "  Untereinheiten:         " << children.size() << "\n";
    if (!pages.empty()) ctx.out << "  Seiten:                 " << pages.size() << "\n";
    for (const auto& p : pages) {
      const auto& t = p.master.tech;
      ctx.out << "    " << p.sequence << "  " << p.master.original_name << "  " << t.format << " "
              << t.compression << ", " << t.width << "×" << t.height << ", " << t.bits_per_sample
              << " bit × " << t.samples_per_pixel << " " << t.colour_space;
      if (t.ppi > 0) ctx.out << ", " << static_cast<int>(t.ppi + 0.5) << " ppi";
      ctx.out << ", sha256 " << p.master.sha256.substr(0, 12) << "…\n";
    }
    return 0;
  }

 private:
  std::string signatur_;
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> make_show_command() {
  return std::make_unique<ShowCommand>();
}

}  // namespace findbuch::cli

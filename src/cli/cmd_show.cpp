#include <algorithm>
#include <cstdio>
#include <ostream>

#include "catalogue/fields.hpp"
#include "cli/commands.hpp"
#include "cli/json_output.hpp"
#include "store/derivatives.hpp"
#include "store/masters.hpp"

namespace findbuch::cli {
namespace {

// "deskew −1.31° (confidence 53), page 2410×3380 at 35,41, background paper 243": what was done.
std::string history_summary(const nlohmann::json& history) {
  std::string out;
  for (const auto& s : history.value("stages", nlohmann::json::array())) {
    const std::string name = s.value("name", "");
    std::string item;
    if (name == "deskew") {
      char text[96];
      std::snprintf(text, sizeof text, "deskew %+.2f° (confidence %.0f)%s",
                    s.value("skew_deg", 0.0), s.value("confidence", 0.0),
                    s.value("applied", false) ? "" : " not applied");
      item = text;
    } else if (name == "page") {
      item = s.value("found", false) && s.contains("box")
                 ? "page " + std::to_string(s["box"][2].get<int>()) + "×" +
                       std::to_string(s["box"][3].get<int>()) + " at " +
                       std::to_string(s["box"][0].get<int>()) + "," +
                       std::to_string(s["box"][1].get<int>())
                 : "page: no sheet found";
    } else if (name == "split") {
      item = s.value("split", false) ? "split at x=" + std::to_string(s.value("fold_x", 0))
                                     : "not a spread";
    } else if (name == "background") {
      item = "background paper " + std::to_string(s.value("paper_level", 0));
    } else if (name == "despeckle") {
      item = "despeckle " + std::to_string(s.value("removed", 0)) + " specks";
    } else if (name == "binarise") {
      item = "binarise";
    } else if (name == "rotate") {
      item = "rotate " + s["params"].value("degrees", nlohmann::json(0)).dump() + "°";
    } else {
      continue;  // save stages are the files themselves
    }
    if (s.contains("part")) item += " [p" + std::to_string(s["part"].get<int>()) + "]";
    out += (out.empty() ? "" : ", ") + item;
  }
  return out;
}

void print_derivatives(std::ostream& out, const std::vector<Derivative>& derivatives) {
  std::string pipeline;
  const bool split = std::any_of(derivatives.begin(), derivatives.end(),
                                 [](const Derivative& d) { return d.part > 1; });
  for (const auto& d : derivatives) {
    if (d.pipeline != pipeline) {
      pipeline = d.pipeline;
      const auto history = nlohmann::json::parse(d.history, nullptr, false);
      out << "       " << d.pipeline << ": " << history_summary(history) << "\n";
    }
    out << "         " << d.role << (split ? " p" + std::to_string(d.part) : "") << "  " << d.path
        << "  " << d.format << " " << d.width << "×" << d.height << "\n";
  }
}

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
    Derivatives derivatives(cat.db());
    if (json_) {
      nlohmann::json j = unit_json(u);
      nlohmann::json path = nlohmann::json::array();
      for (const auto& a : ancestors)
        path.push_back({{"signatur", a.signatur}, {"title", a.title}});
      j["path"] = path;
      j["children"] = children.size();
      j["access"] = access_json(u, access, ctx.today);
      nlohmann::json page_list = nlohmann::json::array();
      for (const auto& p : pages)
        page_list.push_back(page_json(p, derivatives.of_master(p.master.id)));
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
      print_derivatives(ctx.out, derivatives.of_master(p.master.id));
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

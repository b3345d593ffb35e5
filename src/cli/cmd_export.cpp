#include <ostream>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "exchange/html/export_html.hpp"
#include "exchange/iiif/export_iiif.hpp"

namespace findbuch::cli {
namespace {

namespace fs = std::filesystem;

class ExportCommand final : public Command {
 public:
  std::string_view name() const override { return "export"; }
  std::string_view summary() const override {
    return "publish the public part of the archive for portals and viewers (iiif, html)";
  }
  std::string_view arguments() const override { return "FORMAT --out DIR"; }
  std::string_view details() const override {
    return "iiif: IIIF Presentation 3.0 manifests of the digitised units the access policy\n"
           "makes public, a collection per Bestand (collections/<Bestand>.json) and one of\n"
           "them all (collections/index.json), and those units' image tiles (images/), for\n"
           "serving as is under the workspace's iiif base URL.\n"
           "html: static finding aids, public content only: index.html (the Tektonik),\n"
           "findbuch/<Bestand>.html per Bestand (introduction, classification, units;\n"
           "closed units as \"gesperrt bis\" stubs) and findbuch.css, linked relatively (works\n"
           "copied and offline), served as is under the workspace's public_base_url.\n"
           "--bestand: iiif only the units below it; html only its finding aid (and an\n"
           "index.html listing just it).\n"
           "DIR is replaced as a whole.\n"
           "Examples: findbuch export iiif --bestand \"D 1.3\" --out public/iiif\n"
           "          findbuch export html --out public/site";
  }
  void add_options(po::options_description& o, po::positional_options_description& p) override {
    o.add_options()("format", po::value<std::string>(), "iiif or html")(
        "out", po::value<std::string>(), "the folder to write")("bestand", po::value<std::string>(),
                                                                "only this Bestand (Signatur)");
    p.add("format", 1);
  }
  void setup(const po::variables_map& vm) override {
    format_ = required(vm, "format", "the FORMAT (iiif or html)");
    if (format_ != "iiif" && format_ != "html") {
      throw UsageError("unknown export format " + in_quotes(format_) + " (use iiif or html)");
    }
    out_ = required(vm, "out", "the output folder (--out DIR)");
    if (vm.count("bestand")) bestand_ = vm["bestand"].as<std::string>();
  }
  int run(Context& ctx) override {
    auto ws = ctx.open(Workspace::Mode::Read);
    std::optional<Unit> bestand;
    if (bestand_) bestand = ws->catalogue().require(*bestand_);
    if (format_ == "html") return run_html(ctx, *ws, bestand);
    const IiifExportReport r = export_iiif(*ws, bestand, out_, ctx.today);
    ctx.out << "wrote " << out_.string() << ": " << r.manifests << " manifests, " << r.collections
            << " collections, " << r.images << " images";
    if (r.not_public) ctx.out << "; " << r.not_public << " digitised units not public";
    ctx.out << "\n";
    for (const auto& sig : r.untiled) {
      ctx.err << "left out: " << sig << " has pages without tiles (ingest them again)\n";
    }
    return 0;
  }

 private:
  int run_html(Context& ctx, Workspace& ws, const std::optional<Unit>& bestand) {
    const HtmlExportReport r = export_html(ws, bestand, out_, ctx.today);
    ctx.out << "wrote " << out_.string() << ": index.html and " << r.finding_aids
            << (r.finding_aids == 1 ? " finding aid" : " finding aids") << " with " << r.units
            << " units, " << r.stubs << " closed units as stubs, " << r.digitised
            << " linked to IIIF manifests\n";
    return 0;
  }

  std::string format_;
  fs::path out_;
  std::optional<std::string> bestand_;
};

}  // namespace

std::unique_ptr<Command> make_export_command() {
  return std::make_unique<ExportCommand>();
}

}  // namespace findbuch::cli

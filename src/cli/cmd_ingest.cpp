#include <unistd.h>

#include <cmath>
#include <iostream>
#include <optional>
#include <ostream>

#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "core/error.hpp"
#include "pipeline/ingest.hpp"

namespace findbuch::cli {
namespace {

class IngestCommand final : public Command {
 public:
  std::string_view name() const override { return "ingest"; }
  std::string_view summary() const override {
    return "attach scanned pages to a unit as preservation masters and clean them";
  }
  std::string_view arguments() const override { return "SIG PATH..."; }
  std::string_view details() const override {
    return "Files or folders (their files in natural order). Masters are copied unchanged into\n"
           "the workspace, stored once per content, with SHA-256 and technical metadata; then\n"
           "the cleaning pipeline makes each page's derivatives (default: the workspace's\n"
           "default_pipeline, akten; --pipeline none keeps the masters as they are), and the\n"
           "page viewers show is tiled for zooming (IIIF level 0, under iiif/; the workspace's\n"
           "\"iiif\" settings). A re-run skips finished pages; changed pipelines or tiling\n"
           "settings redo them. A file that cannot be read is reported and skipped (exit 1).\n"
           "Example: findbuch ingest \"C 5.63 Nr. 2322\" scans/2322/ --pipeline zeitungen";
  }
  void add_options(po::options_description& o, po::positional_options_description& p) override {
    o.add_options()("signatur", po::value<std::string>(), "the unit (Akte or Einzelstück)")(
        "path", po::value<std::vector<std::string>>(), "image files or folders")(
        "pipeline", po::value<std::string>(),
        "NAME (akten, fotos, karten, zeitungen), a JSON FILE, or none")(
        "jobs,j", po::value<int>(), "pages processed in parallel (default: all cores)")(
        "no-tiles", "make no tile pyramids");
    p.add("signatur", 1).add("path", -1);
  }
  void setup(const po::variables_map& vm) override {
    signatur_ = required(vm, "signatur", "the Signatur (SIG) of the unit");
    if (!vm.count("path")) throw UsageError("missing the PATH of the scans");
    for (const auto& p : vm["path"].as<std::vector<std::string>>()) paths_.emplace_back(p);
    if (vm.count("pipeline")) pipeline_name_ = vm["pipeline"].as<std::string>();
    tiles_ = vm.count("no-tiles") == 0;
    if (vm.count("jobs")) {
      jobs_ = vm["jobs"].as<int>();
      if (jobs_ < 1 || jobs_ > 256) throw UsageError("--jobs must be between 1 and 256");
    }
  }
  int run(Context& ctx) override {
    auto ws = ctx.open(Workspace::Mode::Write);
    const Unit unit = ws->catalogue().require(signatur_);
    const std::string name = pipeline_name_.value_or(ws->config().default_pipeline);
    std::optional<Pipeline> pipeline;
    if (name != "none") pipeline = load_pipeline(name);
    const auto files = expand_inputs(paths_);

    ProgressBar bar(ctx.err, ::isatty(STDERR_FILENO) && &ctx.err == &std::cerr);
    IngestOptions options;
    options.pipeline = pipeline ? &*pipeline : nullptr;
    options.jobs = jobs_;
    options.tiles = tiles_;
    options.progress = [&](std::size_t done, std::size_t total) { bar.update(done, total); };
    const IngestReport r = ingest(*ws, unit, files, options);
    bar.finish();

    for (const auto& f : r.failures) ctx.err << "skipped: " << f.reason << "\n";
    ctx.out << unit.signatur << ": " << r.attached << " pages attached";
    if (r.deduplicated) ctx.out << " (" << r.deduplicated << " already stored as masters)";
    if (r.already_attached) ctx.out << ", " << r.already_attached << " already attached";
    if (pipeline || tiles_) {
      ctx.out << "; " << name << ": " << r.cleaned << " pages "
              << (pipeline && tiles_ ? "cleaned and tiled"
                  : pipeline         ? "cleaned"
                                     : "tiled")
              << ", " << r.derivatives << " derivatives";
      if (r.already_cleaned) ctx.out << ", " << r.already_cleaned << " already done";
    }
    if (!r.failures.empty()) ctx.out << "; " << r.failures.size() << " files skipped";
    ctx.out << "\n";
    if (!r.failures.empty()) {
      ctx.out << "Skipped files:\n";
      for (const auto& f : r.failures) ctx.out << "  " << f.file.string() << "\n";
    }
    return r.failures.empty() ? 0 : 1;
  }

 private:
  std::string signatur_;
  std::vector<std::filesystem::path> paths_;
  std::optional<std::string> pipeline_name_;
  bool tiles_ = true;
  int jobs_ = 0;
};

}  // namespace

std::unique_ptr<Command> make_ingest_command() {
  return std::make_unique<IngestCommand>();
}

}  // namespace findbuch::cli

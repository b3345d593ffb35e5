#include <unistd.h>

#include <iostream>
#include <ostream>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "pipeline/ingest.hpp"

namespace findbuch::cli {
namespace {

class IngestCommand final : public Command {
 public:
  std::string_view name() const override { return "ingest"; }
  std::string_view summary() const override {
    return "attach scanned pages to a unit as preservation masters (SHA-256, technical metadata)";
  }
  std::string_view arguments() const override { return "SIG PATH..."; }
  std::string_view details() const override {
    return "Files or folders (their files in natural order). Masters are copied unchanged into\n"
           "the workspace, stored once per content; a re-run skips pages already attached.\n"
           "A file that is not a readable TIFF, JPEG or PNG is reported and skipped (exit 1).\n"
           "Example: findbuch ingest \"C 5.63 Nr. 2322\" scans/2322/";
  }
  void add_options(po::options_description& o, po::positional_options_description& p) override {
    o.add_options()("signatur", po::value<std::string>(), "the unit (Akte or Einzelstück)")(
        "path", po::value<std::vector<std::string>>(), "image files or folders");
    p.add("signatur", 1).add("path", -1);
  }
  void setup(const po::variables_map& vm) override {
    signatur_ = required(vm, "signatur", "the Signatur (SIG) of the unit");
    if (!vm.count("path")) throw UsageError("missing the PATH of the scans");
    for (const auto& p : vm["path"].as<std::vector<std::string>>()) paths_.emplace_back(p);
  }
  int run(Context& ctx) override {
    auto ws = ctx.open(Workspace::Mode::Write);
    const Unit unit = ws->catalogue().require(signatur_);
    const auto files = expand_inputs(paths_);
    const bool terminal = ::isatty(STDERR_FILENO) && &ctx.err == &std::cerr;
    const IngestReport r = ingest(*ws, unit, files, [&](std::size_t done, std::size_t total) {
      if (terminal) ctx.err << "\r" << done << "/" << total << " pages" << std::flush;
    });
    if (terminal) ctx.err << "\n";
    for (const auto& f : r.failures) ctx.err << "skipped: " << f.reason << "\n";
    ctx.out << unit.signatur << ": " << r.attached << " pages attached";
    if (r.deduplicated) ctx.out << " (" << r.deduplicated << " already stored as masters)";
    if (r.already_attached) ctx.out << ", " << r.already_attached << " already attached";
    if (!r.failures.empty()) ctx.out << ", " << r.failures.size() << " skipped";
    ctx.out << "\n";
    return r.failures.empty() ? 0 : 1;
  }

 private:
  std::string signatur_;
  std::vector<std::filesystem::path> paths_;
};

}  // namespace

std::unique_ptr<Command> make_ingest_command() {
  return std::make_unique<IngestCommand>();
}

}  // namespace findbuch::cli

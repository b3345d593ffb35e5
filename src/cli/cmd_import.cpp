#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/commands.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "exchange/csv/csv_import.hpp"
#include "exchange/ead/ead_import.hpp"

namespace findbuch::cli {
namespace {

constexpr std::uintmax_t kMaxImportBytes = 2ull << 30;  // 2 GiB: larger is not a finding aid

class ImportCommand final : public Command {
 public:
  std::string_view name() const override { return "import"; }
  std::string_view summary() const override {
    return "import a finding aid or Tektonik (EAD) or a spreadsheet (CSV)";
  }
  std::string_view arguments() const override { return "ead|csv FILE"; }
  std::string_view details() const override {
    return "All or nothing: one transaction; re-importing the same file changes nothing.\n"
           "EAD 2002 and EAD(DDB) Findbuch and Tektonik files; CSV columns are described in\n"
           "schemas/csv-import.schema.json.\n"
           "Examples:\n"
           "  findbuch import ead demo/tektonik.xml\n"
           "  findbuch import ead findbuch.xml --under \"C 5\" --dry-run\n"
           "  findbuch import csv fotos.csv";
  }
  void add_options(po::options_description& o, po::positional_options_description& p) override {
    o.add_options()("format", po::value<std::string>(), "ead or csv")(
        "file", po::value<std::string>(), "the file to import")(
        "under", po::value<std::string>(), "place the top units under this Signatur")(
        "dry-run", "report what would be created or changed, write nothing")(
        "json", "print the report as JSON");
    p.add("format", 1).add("file", 1);
  }
  void setup(const po::variables_map& vm) override {
    format_ = required(vm, "format", "the format: ead or csv");
    if (format_ != "ead" && format_ != "csv")
      throw UsageError("unknown format '" + format_ + "'; use ead or csv");
    file_ = required(vm, "file", "the FILE to import");
    if (vm.count("under")) options_.under = vm["under"].as<std::string>();
    options_.dry_run = vm.count("dry-run") > 0;
    json_ = vm.count("json") > 0;
    options_.collect_details = options_.dry_run || json_;
  }
  int run(Context& ctx) override {
    auto ws = ctx.open(Workspace::Mode::Write);
    std::string bytes = read_file(file_, kMaxImportBytes);
    ImportReport r;
    if (format_ == "ead") {
      // Streamed: each unit is written as it is read, so a large finding aid is held once.
      ImportWriter writer(ws->catalogue(), "ead", file_, options_);
      read_ead(
          std::move(bytes), file_, [&](ImportedUnit&& iu) { return writer.add(std::move(iu)); },
          [&](std::string w) { writer.warn(std::move(w)); });
      r = writer.finish();
    } else {
      r = apply_import(ws->catalogue(), read_csv_units(bytes, file_), options_);
    }
    if (json_) {
      nlohmann::json j = {{"file", file_},        {"dry_run", options_.dry_run},
                          {"created", r.created}, {"changed", r.changed},
                          {"moved", r.moved},     {"unchanged", r.unchanged},
                          {"details", r.details}, {"warnings", r.warnings}};
      ctx.out << j.dump(2) << "\n";
      return 0;
    }
    for (const auto& w : r.warnings) ctx.err << "warning: " << w << "\n";
    if (options_.dry_run)
      for (const auto& d : r.details) ctx.out << "  " << d << "\n";
    ctx.out << (options_.dry_run ? "Dry run (nothing written): would create " : "Created ")
            << r.created << ", " << (options_.dry_run ? "change " : "changed ") << r.changed << ", "
            << (options_.dry_run ? "move " : "moved ") << r.moved << ", unchanged " << r.unchanged
            << " units from " << file_ << "\n";
    return 0;
  }

 private:
  std::string format_, file_;
  ImportOptions options_;
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> make_import_command() {
  return std::make_unique<ImportCommand>();
}

}  // namespace findbuch::cli

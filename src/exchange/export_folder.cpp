#include "exchange/export_folder.hpp"

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace findbuch {

namespace fs = std::filesystem;

ExportFolder::ExportFolder(const fs::path& out, const fs::path& workspace,
                           const std::string& kind) {
  target_ = fs::weakly_canonical(fs::absolute(out));
  if (target_.filename().empty()) target_ = target_.parent_path();
  const fs::path ws = fs::weakly_canonical(fs::absolute(workspace));
  const auto within = [](const fs::path& inner, const fs::path& outer) {
    const auto rel = inner.lexically_relative(outer);
    return !rel.empty() && *rel.begin() != "..";
  };
  if (within(target_, ws) || within(ws, target_)) {
    throw UsageError(in_quotes(out.string()) + ": the export folder must lie outside the " +
                     "workspace " + in_quotes(ws.string()) + " (it is replaced as a whole)");
  }
  const std::string marker = ".findbuch-export-" + kind;
  std::error_code ec;
  if (fs::is_directory(target_, ec) && !fs::is_empty(target_, ec) &&
      !fs::exists(target_ / marker, ec)) {
    throw UsageError(in_quotes(out.string()) + ": exists and is not an earlier `export " + kind +
                     "` folder; give a new or empty folder (it is replaced as a whole)");
  }
  building_ = temporary_sibling(target_);
  fs::create_directories(building_);
  write_file_atomic(building_ / marker, "");
}

ExportFolder::~ExportFolder() {
  if (committed_) return;
  std::error_code ignored;
  fs::remove_all(building_, ignored);
}

void ExportFolder::commit() {
  replace_directory(building_, target_);
  committed_ = true;
}

}  // namespace findbuch

#pragma once
// The folder an export writes: built under a hidden name beside its target and put in place in
// one step when complete, so a web server never serves half an export, and a unit closed since
// the last run disappears with the old folder. The target is checked first, because it is
// replaced as a whole: never the workspace or a folder around it, never a folder of other files.
#include <filesystem>
#include <string>

namespace findbuch {

class ExportFolder {
 public:
  /// `kind` ("iiif", "html") names the marker file an export leaves in its folder
  /// (".findbuch-export-<kind>"); only a folder with that marker, an empty one or a new one is
  /// replaced. Throws UsageError naming `out` otherwise, or when it lies inside `workspace` or
  /// holds it.
  ExportFolder(const std::filesystem::path& out, const std::filesystem::path& workspace,
               const std::string& kind);
  /// Removes the folder being built unless commit() ran.
  ~ExportFolder();
  ExportFolder(const ExportFolder&) = delete;
  ExportFolder& operator=(const ExportFolder&) = delete;

  /// Where to write.
  const std::filesystem::path& dir() const { return building_; }
  /// Puts the finished folder at the target (RENAME_EXCHANGE with an old one, then removes it).
  void commit();

 private:
  std::filesystem::path target_, building_;
  bool committed_ = false;
};

}  // namespace findbuch

#pragma once
// Derivatives: the files a cleaning pipeline made from a master (access JPEG, OCR image, …),
// with their processing history. Keyed by master and pipeline name, so a page cleaned again
// with a changed pipeline has its derivatives replaced, and one with an unchanged pipeline is
// skipped (resumable batches).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "store/sqlite.hpp"

namespace findbuch {

struct Derivative {
  std::int64_t master_id = 0;
  std::string pipeline;         ///< its name
  std::string pipeline_sha256;  ///< hash of its canonical definition
  int part = 1;                 ///< 1; 1 and 2 for the pages of a split spread
  std::string role;             ///< access, ocr, …, tiles
  std::string path;             ///< relative to the workspace, under derivatives/
  std::string format;           ///< tiff, jpeg, png; iiif3 for tiles
  int width = 0, height = 0;
  std::uint64_t file_size = 0;
  std::string created_at;
  std::string history;  ///< JSON
};

/// The role of a page's IIIF tile pyramid (a folder: info.json, tiles, sizes).
inline constexpr const char* kTilesRole = "tiles";

class Derivatives {
 public:
  explicit Derivatives(Database& db) : db_(db) {}

  /// Where a derivative of `master_sha256` goes, relative to the workspace:
  /// derivatives/<aa>/<sha>.<pipeline>[.p<part>].<role><extension>; tile pyramids (kTilesRole)
  /// go to iiif/<aa>/… instead, and their folder name is the IIIF image's identifier.
  static std::string path_for(const std::string& master_sha256, const std::string& pipeline,
                              int part, int parts, const std::string& role,
                              const std::string& extension);

  /// Whether `pipeline` in this exact version already made the master's derivatives.
  bool done(std::int64_t master_id, const std::string& pipeline, const std::string& sha256);
  /// Replaces the master's derivatives of `made.front().pipeline` by `made` (call inside a
  /// transaction). Returns the paths of replaced files that are no longer referenced, for the
  /// caller to delete after the commit.
  std::vector<std::string> replace(std::int64_t master_id, const std::vector<Derivative>& made);
  /// Every derivative of the master, by pipeline, part and role.
  std::vector<Derivative> of_master(std::int64_t master_id);

 private:
  Database& db_;
};

}  // namespace findbuch

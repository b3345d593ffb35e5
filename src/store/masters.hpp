#pragma once
// Preservation masters: each scanner file is copied into the workspace unchanged, named by its
// SHA-256 (so identical files are stored once), and attached to units as pages in order.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/technical_metadata.hpp"
#include "store/sqlite.hpp"

namespace findbuch {

struct MasterFile {
  std::int64_t id = 0;
  std::string sha256;
  std::string path;           ///< relative to the workspace, e.g. masters/ab/abcd….tif
  std::string original_name;  ///< the file name the scanner gave it
  std::string ingested_at;
  TechnicalMetadata tech;
};

struct Page {
  int sequence = 0;  ///< 1-based order within the unit
  MasterFile master;
};

struct FixityProblem {
  MasterFile master;
  std::string problem;  ///< "missing" or "changed (sha256 now …)"
};

class Masters {
 public:
  Masters(Database& db, std::filesystem::path workspace_dir);

  std::optional<MasterFile> find(const std::string& sha256);
  /// Copies `source` into the workspace (temp file + fsync + rename, so a kill leaves no
  /// half-written master) unless a file with this hash is there, and records it. Returns the
  /// record, new or existing. `sha256` is the source's hash, computed by the caller.
  MasterFile store(const std::filesystem::path& source, const std::string& sha256,
                   const TechnicalMetadata& tech);
  /// The file half of store(): copies `source` under its hash (temp file + fsync + rename) unless
  /// it is there already, and returns its path relative to the workspace. No catalogue access,
  /// so ingest workers call it in parallel.
  std::string place(const std::filesystem::path& source, const std::string& sha256) const;
  /// The catalogue half: records a placed master, or returns the existing record.
  MasterFile record(const std::filesystem::path& source, const std::string& relative,
                    const std::string& sha256, const TechnicalMetadata& tech);
  /// Appends the master as the unit's next page; false when it is already one of its pages.
  bool attach(std::int64_t unit_id, const MasterFile& master);
  std::vector<Page> pages(std::int64_t unit_id);
  /// Ids of the units that have pages (digitised units), in no particular order.
  std::vector<std::int64_t> digitised_units();
  /// Re-hashes every master (or those of the given units) and reports missing or changed files;
  /// `checked` receives how many masters were looked at.
  std::vector<FixityProblem> check_fixity(const std::vector<std::int64_t>* unit_ids = nullptr,
                                          std::size_t* checked = nullptr);

 private:
  Database& db_;
  std::filesystem::path dir_;
};

}  // namespace findbuch

#pragma once
// Ingest: the scanner's files become preservation masters of a unit, page by page. Each file is
// hashed, its technical metadata read, stored once by content and attached in natural order.
// One transaction per page, so a killed run leaves a consistent catalogue and a re-run picks up
// where it stopped (pages already attached are skipped).
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "catalogue/unit.hpp"
#include "store/workspace.hpp"

namespace findbuch {

struct IngestFailure {
  std::filesystem::path file;
  std::string reason;
};

struct IngestReport {
  int attached = 0;          ///< new pages of the unit
  int already_attached = 0;  ///< skipped: this master is already one of its pages
  int deduplicated = 0;      ///< stored before (another unit or an earlier copy)
  std::vector<IngestFailure> failures;
};

/// The files named by `inputs` (files, or folders read non-recursively), in natural order of
/// their names within each folder; hidden files are left out. Throws InputError for a path that
/// does not exist.
std::vector<std::filesystem::path> expand_inputs(const std::vector<std::filesystem::path>& inputs);

/// Ingests `files` into `unit`; a file that cannot be read as an image is reported in
/// `failures` and the batch goes on. `progress(done, total)` is called after each file.
IngestReport ingest(Workspace& workspace, const Unit& unit,
                    const std::vector<std::filesystem::path>& files,
                    const std::function<void(std::size_t, std::size_t)>& progress = {});

}  // namespace findbuch

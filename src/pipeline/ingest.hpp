#pragma once
// Ingest: the scanner's files become preservation masters of a unit, page by page, and a
// cleaning pipeline makes each page's derivatives. Pages are processed in parallel (hashing,
// copying, decoding, cleaning, writing derivatives) and committed in their natural order, one
// transaction per page, so a killed run leaves a consistent catalogue, no half-written file in
// place, and a re-run picks up where it stopped (finished pages are skipped).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "catalogue/unit.hpp"
#include "pipeline/pipeline.hpp"
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
  int cleaned = 0;           ///< pages the pipeline ran on
  int already_cleaned = 0;   ///< pages whose derivatives this pipeline version had made before
  int derivatives = 0;       ///< derivative files written (a tile pyramid counts as one)
  std::vector<IngestFailure> failures;
};

struct IngestOptions {
  const Pipeline* pipeline = nullptr;  ///< none: masters only, tiled as they are
  /// Every page gets an IIIF tile pyramid (of the pipeline's access image, or of the master
  /// when there is no pipeline), made with the workspace's iiif settings.
  bool tiles = true;
  int jobs = 0;  ///< parallel pages; 0 = one per core
  /// Called on the calling thread after each page is committed or has failed.
  std::function<void(std::size_t done, std::size_t total)> progress;
};

/// The files named by `inputs` (files, or folders read non-recursively), in natural order of
/// their names within each folder; hidden files are left out. Throws InputError for a path that
/// does not exist.
std::vector<std::filesystem::path> expand_inputs(const std::vector<std::filesystem::path>& inputs);

/// Ingests `files` into `unit`; a file that cannot be read as an image (or cleaned) is reported
/// in `failures`, nothing of it is kept, and the batch goes on. Temporary files an earlier,
/// killed run left in masters/ and derivatives/ are removed first (the caller holds the lock).
IngestReport ingest(Workspace& workspace, const Unit& unit,
                    const std::vector<std::filesystem::path>& files,
                    const IngestOptions& options = {});

}  // namespace findbuch

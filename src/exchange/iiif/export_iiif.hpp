#pragma once
// `findbuch export iiif`: a folder ready to be served as the archive's IIIF site — a Manifest
// per public digitised unit, a Collection per Bestand and one of the Bestände, and the tile
// pyramids of exactly those units (hard links to the workspace's tiles, info.json written with
// the configured URL). Closed units get no manifest and none of their images leave the
// workspace: the access policy decides. The folder appears whole (built beside it, renamed).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "catalogue/unit.hpp"
#include "core/date.hpp"
#include "store/workspace.hpp"

namespace findbuch {

struct IiifExportReport {
  int manifests = 0;
  int collections = 0;
  int images = 0;      ///< image services written
  int not_public = 0;  ///< digitised units the access policy keeps back
  /// Digitised units that were left out for want of tiles (ingested with --no-tiles).
  std::vector<std::string> untiled;
};

/// Exports every digitised unit, or those under `bestand`, as of `today`. Throws UsageError
/// when no public base URL is configured (manifests need absolute URLs).
IiifExportReport export_iiif(Workspace& workspace, const std::optional<Unit>& bestand,
                             const std::filesystem::path& out, Date today);

}  // namespace findbuch

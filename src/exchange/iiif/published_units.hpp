#pragma once
// Which digitised units a IIIF export publishes, and under which manifest name: those the access
// policy makes public whose pages all have tile pyramids. Kept apart from the writing so that
// every surface linking to a manifest (the HTML finding aids) links exactly the ones that exist.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "catalogue/unit.hpp"
#include "core/date.hpp"
#include "store/workspace.hpp"

namespace findbuch::iiif {

/// A public digitised unit and where it stands.
struct PublishedUnit {
  Unit unit;
  std::optional<Unit> bestand;
  std::vector<Unit> ancestors;         ///< root first
  std::vector<std::string> tile_dirs;  ///< relative to the workspace, one per canvas, in order
  std::string slug;                    ///< the manifest's file name stem
};

struct Publication {
  std::vector<PublishedUnit> units;  ///< in Signatur order
  int not_public = 0;                ///< digitised units the access policy keeps back
  /// Digitised units left out for want of tiles (ingested with --no-tiles).
  std::vector<std::string> untiled;
};

/// The digitised units (under `only`) published as of `today`. Slugs are claimed in Signatur
/// order, so the same arguments always give the same manifest names.
Publication published_units(Workspace& workspace, const std::optional<Unit>& only, Date today);

}  // namespace findbuch::iiif

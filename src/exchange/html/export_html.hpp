#pragma once
// `findbuch export html`: the archive's finding aids as a folder of static pages — index.html
// (the Tektonik), findbuch/<Bestand>.html per Bestand and findbuch.css — at the paths its public
// URLs name (PublicUrls::finding_aid, unit_page), linked relatively so that the folder also works
// copied and offline. No JavaScript. Only what the access policy makes public is written: closed
// units as stubs (Signatur, level, Laufzeit, "gesperrt bis"), hidden ones not at all. The folder
// appears whole (built beside it, renamed).
#include <filesystem>
#include <optional>

#include "catalogue/unit.hpp"
#include "core/date.hpp"
#include "store/workspace.hpp"

namespace findbuch {

struct HtmlExportReport {
  int finding_aids = 0;  ///< Bestand pages written
  int units = 0;         ///< units shown in full
  int stubs = 0;         ///< closed units shown as stubs
  int digitised = 0;     ///< units linked to their IIIF manifest
};

/// Exports every public Bestand, or only `bestand` (then index.html lists just it, so every
/// link of the folder resolves), as of `today`. Throws UsageError when `bestand` is not a
/// Bestand or not public.
HtmlExportReport export_html(Workspace& workspace, const std::optional<Unit>& bestand,
                             const std::filesystem::path& out, Date today);

}  // namespace findbuch

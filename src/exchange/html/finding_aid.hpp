#pragma once
// A Bestand's finding aid (Findbuch) as one page: the introduction (what the Bestand is, its
// history, extent, creator, access and use), the classification as a table of contents, then
// the units in arrangement order, each with the id its public URL names (PublicUrls::unit_page).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "exchange/html/public_tree.hpp"
#include "exchange/html/tektonik_page.hpp"

namespace findbuch::html {

struct FindingAid {
  PublicNode bestand;      ///< with its public tree as children
  std::vector<Unit> path;  ///< the Tektonik groups above it, root first
  /// Manifest URL by unit id, for the public digitised units a IIIF export publishes (shared
  /// by all pages of an export, not owned; null: none).
  const std::map<std::int64_t, std::string>* manifests = nullptr;
};

/// findbuch/<slug>.html of `aid`; links to index.html and findbuch.css are relative.
std::string finding_aid_page(const FindingAid& aid, const SiteNames& names,
                             const ArchiveConfig& archive, Date today);

}  // namespace findbuch::html

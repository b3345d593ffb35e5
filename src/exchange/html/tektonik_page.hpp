#pragma once
// The archive-wide Tektonik page (index.html): the Tektonik groups as nested sections and in
// each the Bestände with links to their finding aids. Also the names the pages share: where a
// group stands on this page and which file holds a Bestand's finding aid.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "exchange/html/public_tree.hpp"

namespace findbuch::html {

struct SiteNames {
  std::map<std::int64_t, std::string> anchor;  ///< group or Bestand id → its id on index.html
  std::map<std::int64_t, std::string> file;    ///< Bestand id → "findbuch/<slug>.html"
};

/// Names for the groups and Bestände of `holdings` (a Depth::Holdings tree). Slugs of their
/// Signaturen, claimed in Signatur order; one that is taken gets the row id appended.
SiteNames site_names(const std::vector<PublicNode>& holdings);

/// index.html for `holdings`.
std::string tektonik_page(const std::vector<PublicNode>& holdings, const SiteNames& names,
                          const ArchiveConfig& archive, Date today);

}  // namespace findbuch::html

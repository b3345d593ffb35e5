#include "exchange/iiif/published_units.hpp"

#include <algorithm>

#include "core/natural_sort.hpp"
#include "exchange/public_urls.hpp"
#include "store/derivatives.hpp"
#include "store/masters.hpp"

namespace findbuch::iiif {
namespace {

// The tile pyramids of a page: those of the pipeline that tiled it last, part by part.
std::vector<std::string> page_tiles(Derivatives& derivatives, std::int64_t master_id) {
  std::vector<Derivative> tiles;
  for (auto& d : derivatives.of_master(master_id)) {
    if (d.role == kTilesRole) tiles.push_back(std::move(d));
  }
  if (tiles.empty()) return {};
  const auto newest =
      std::max_element(tiles.begin(), tiles.end(),
                       [](const auto& a, const auto& b) { return a.created_at < b.created_at; });
  const std::string pipeline = newest->pipeline;
  std::vector<std::string> dirs;
  for (const auto& d : tiles) {  // of_master orders by pipeline, part
    if (d.pipeline == pipeline) dirs.push_back(d.path);
  }
  return dirs;
}

}  // namespace

Publication published_units(Workspace& ws, const std::optional<Unit>& only, Date today) {
  Catalogue& catalogue = ws.catalogue();
  Masters masters(catalogue.db(), ws.dir());
  Derivatives derivatives(catalogue.db());
  Publication out;
  for (const std::int64_t id : masters.digitised_units()) {
    if (only && !catalogue.is_same_or_ancestor(only->id, id)) continue;
    const std::optional<Unit> unit = catalogue.find_by_id(id);
    if (!unit) continue;
    // The one access policy decides; a redacted stub shows no images either.
    if (ws.access(*unit, today).visibility != Visibility::Public) {
      ++out.not_public;
      continue;
    }
    PublishedUnit p;
    p.unit = *unit;
    p.ancestors = catalogue.ancestors(*unit);
    for (const auto& a : p.ancestors) {
      if (a.level == Level::Bestand) p.bestand = a;
    }
    bool complete = true;
    for (const Page& page : masters.pages(id)) {
      const auto dirs = page_tiles(derivatives, page.master.id);
      complete = complete && !dirs.empty();
      p.tile_dirs.insert(p.tile_dirs.end(), dirs.begin(), dirs.end());
    }
    if (!complete || p.tile_dirs.empty()) {
      out.untiled.push_back(unit->signatur);
      continue;
    }
    out.units.push_back(std::move(p));
  }
  std::sort(out.units.begin(), out.units.end(), [](const PublishedUnit& a, const PublishedUnit& b) {
    return natural_less(a.unit.signatur, b.unit.signatur);
  });
  SlugRegistry slugs;
  for (auto& p : out.units) p.slug = slugs.claim(p.unit);
  return out;
}

}  // namespace findbuch::iiif

#include "exchange/iiif/export_iiif.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/natural_sort.hpp"
#include "exchange/iiif/manifest.hpp"
#include "exchange/public_urls.hpp"
#include "store/derivatives.hpp"
#include "store/masters.hpp"

namespace findbuch {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

// A public digitised unit and where it stands.
struct Published {
  Unit unit;
  std::optional<Unit> bestand;
  std::vector<Unit> ancestors;         ///< root first
  std::vector<std::string> tile_dirs;  ///< relative to the workspace, one per canvas, in order
  std::string slug;
};

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

// The tiles of one image into the export, by hard link (a copy across file systems); info.json
// is written afresh with the URL the export is served under.
iiif::ImageService publish_image(const fs::path& from, const fs::path& to, const std::string& id) {
  iiif::ImageService service = iiif::read_image_service((from / "info.json").string());
  service.id = id;
  for (auto it = fs::recursive_directory_iterator(from); it != fs::recursive_directory_iterator();
       ++it) {
    const fs::path target = to / fs::relative(it->path(), from);
    if (it->is_directory()) {
      fs::create_directories(target);
    } else if (it->path() != from / "info.json") {
      std::error_code ec;
      fs::create_hard_link(it->path(), target, ec);
      if (ec) fs::copy_file(it->path(), target, fs::copy_options::overwrite_existing);
    }
  }
  json info = json::parse(read_file(from / "info.json", 1 << 20));
  info["id"] = id;
  write_file_atomic(to / "info.json", info.dump(2) + "\n");
  return service;
}

std::string joined(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : separator) + p;
  return out;
}

// Slugs name files: on a clash the row id is appended, then a counter, until it is free.
class SlugRegistry {
 public:
  std::string claim(const Unit& unit) {
    std::string slug = PublicUrls::slug(unit);
    if (taken_.count(slug) != 0) slug += "-" + std::to_string(unit.id);
    for (int n = 2; taken_.count(slug) != 0; ++n) slug += "-" + std::to_string(n);
    taken_.insert(slug);
    return slug;
  }

 private:
  std::set<std::string> taken_;
};

// The output folder is replaced as a whole: refuse one that would take the workspace (or part of
// it) along, and a non-empty folder that no earlier export made.
constexpr const char* kExportMarker = ".findbuch-export-iiif";

fs::path checked_output(const fs::path& out, const fs::path& workspace) {
  fs::path target = fs::weakly_canonical(fs::absolute(out));
  if (target.filename().empty()) target = target.parent_path();
  const fs::path ws = fs::weakly_canonical(fs::absolute(workspace));
  const auto within = [](const fs::path& inner, const fs::path& outer) {
    const auto rel = inner.lexically_relative(outer);
    return !rel.empty() && *rel.begin() != "..";
  };
  if (within(target, ws) || within(ws, target)) {
    throw UsageError(in_quotes(out.string()) + ": the export folder must lie outside the " +
                     "workspace " + in_quotes(ws.string()) + " (it is replaced as a whole)");
  }
  std::error_code ec;
  if (fs::is_directory(target, ec) && !fs::is_empty(target, ec) &&
      !fs::exists(target / kExportMarker, ec)) {
    throw UsageError(in_quotes(out.string()) + ": exists and is not an earlier `export iiif` " +
                     "folder; give a new or empty folder (it is replaced as a whole)");
  }
  return target;
}

std::string label_of(const Unit& unit) {
  return unit.title.empty() ? unit.signatur : unit.title + " (" + unit.signatur + ")";
}

}  // namespace

IiifExportReport export_iiif(Workspace& ws, const std::optional<Unit>& only, const fs::path& out,
                             Date today) {
  const ArchiveConfig& config = ws.config();
  if (config.public_base_url.empty() && config.iiif.base_url.empty()) {
    throw UsageError(Workspace::config_file(ws.dir()).string() +
                     ": set public_base_url (or iiif.base_url): IIIF manifests need the "
                     "absolute URL they are served under");
  }
  const PublicUrls urls(config);
  Catalogue& catalogue = ws.catalogue();
  Masters masters(catalogue.db(), ws.dir());
  Derivatives derivatives(catalogue.db());
  IiifExportReport report;

  std::vector<Published> units;
  for (const std::int64_t id : masters.digitised_units()) {
    if (only && !catalogue.is_same_or_ancestor(only->id, id)) continue;
    const std::optional<Unit> unit = catalogue.find_by_id(id);
    if (!unit) continue;
    // The one access policy decides; a redacted stub shows no images either.
    if (ws.access(*unit, today).visibility != Visibility::Public) {
      ++report.not_public;
      continue;
    }
    Published p;
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
      report.untiled.push_back(unit->signatur);
      continue;
    }
    units.push_back(std::move(p));
  }
  std::sort(units.begin(), units.end(), [](const Published& a, const Published& b) {
    return natural_less(a.unit.signatur, b.unit.signatur);
  });
  SlugRegistry unit_slugs, bestand_slugs;
  std::map<std::int64_t, std::string> collection_slugs;  // by Bestand id
  for (auto& p : units) {
    p.slug = unit_slugs.claim(p.unit);
    if (p.bestand && collection_slugs.count(p.bestand->id) == 0) {
      collection_slugs[p.bestand->id] = bestand_slugs.claim(*p.bestand);
    }
  }

  const iiif::Provider provider{urls.site().empty() ? urls.iiif() : urls.site(), config.name,
                                urls.site()};
  const fs::path target = checked_output(out, ws.dir());
  const fs::path building = temporary_sibling(target);
  try {
    fs::create_directories(building / "manifests");
    write_file_atomic(building / kExportMarker, "");
    fs::create_directories(building / "collections");
    std::map<std::string, iiif::ImageService> services;  // by image id: shared masters once
    std::map<std::int64_t, std::vector<std::pair<const Published*, const iiif::ImageService*>>>
        by_bestand;
    for (const Published& p : units) {
      iiif::ManifestData m;
      m.id = urls.manifest(p.slug);
      m.label = label_of(p.unit);
      std::vector<std::string> tektonik;
      for (const auto& a : p.ancestors) {
        if (a.level == Level::TektonikGroup) tektonik.push_back(a.signatur + " " + a.title);
      }
      m.metadata = {
          {"Signatur", p.unit.signatur},
          {"Titel", p.unit.title},
          {"Laufzeit", p.unit.laufzeit.text},
          {"Bestand", p.bestand ? label_of(*p.bestand) : ""},
          {"Tektonik", joined(tektonik, " › ")},
          {"Umfang",
           p.unit.extent.empty() ? std::to_string(p.tile_dirs.size()) + " Bilder" : p.unit.extent},
          {"Provenienz", p.unit.creator}};
      m.summary = p.unit.enthaelt;
      if (!urls.site().empty()) {  // only absolute URLs: no site, no homepage
        m.homepage = p.bestand ? urls.unit_page(*p.bestand, p.unit) : urls.site();
        m.homepage_label = label_of(p.unit);
      }
      if (p.bestand) m.part_of = urls.collection(collection_slugs.at(p.bestand->id));
      m.provider = provider;
      m.rights = {
          config.iiif.rights, "Nachweis",
          (config.iiif.required_statement.empty() ? config.name : config.iiif.required_statement) +
              ", " + p.unit.signatur};
      for (const auto& dir : p.tile_dirs) {
        const std::string image_id = fs::path(dir).filename().string();
        auto found = services.find(image_id);
        if (found == services.end()) {
          found =
              services
                  .emplace(image_id, publish_image(ws.dir() / dir, building / "images" / image_id,
                                                   urls.image_service(image_id)))
                  .first;
        }
        m.pages.push_back(found->second);
      }
      write_file_atomic(building / "manifests" / (p.slug + ".json"),
                        iiif::manifest_json(m).dump(2) + "\n");
      ++report.manifests;
      if (p.bestand)
        by_bestand[p.bestand->id].emplace_back(
            &p, &services.at(fs::path(p.tile_dirs.front()).filename().string()));
    }
    report.images = static_cast<int>(services.size());

    const iiif::Rights rights{
        config.iiif.rights, "Nachweis",
        config.iiif.required_statement.empty() ? config.name : config.iiif.required_statement};
    std::vector<std::pair<Unit, std::string>> bestaende;
    for (const auto& [bestand_id, members] : by_bestand) {
      const Unit& bestand = *members.front().first->bestand;
      std::vector<iiif::CollectionEntry> items;
      for (const auto& [p, thumbnail] : members) {
        items.push_back({urls.manifest(p->slug), "Manifest", label_of(p->unit), thumbnail});
      }
      const std::string& slug = collection_slugs.at(bestand_id);
      write_file_atomic(building / "collections" / (slug + ".json"),
                        iiif::collection_json(urls.collection(slug), label_of(bestand),
                                              "Digitalisate im Bestand " + bestand.signatur,
                                              provider, rights, items)
                                .dump(2) +
                            "\n");
      ++report.collections;
      bestaende.emplace_back(bestand, slug);
    }
    std::sort(bestaende.begin(), bestaende.end(), [](const auto& a, const auto& b) {
      return natural_less(a.first.signatur, b.first.signatur);
    });
    std::vector<iiif::CollectionEntry> items;
    for (const auto& [bestand, slug] : bestaende) {
      items.push_back({urls.collection(slug), "Collection", label_of(bestand), nullptr});
    }
    write_file_atomic(building / "collections" / "index.json",
                      iiif::collection_json(urls.top_collection(), config.name + ": Digitalisate",
                                            "", provider, rights, items)
                              .dump(2) +
                          "\n");
    ++report.collections;
    replace_directory(building, target);
  } catch (...) {
    std::error_code ignored;
    fs::remove_all(building, ignored);
    throw;
  }
  return report;
}

}  // namespace findbuch

#include "exchange/iiif/export_iiif.hpp"

#include <algorithm>
#include <map>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/natural_sort.hpp"
#include "exchange/export_folder.hpp"
#include "exchange/iiif/manifest.hpp"
#include "exchange/iiif/published_units.hpp"
#include "exchange/public_urls.hpp"

namespace findbuch {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

using Published = iiif::PublishedUnit;

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

std::string label_of(const Unit& unit) {
  return unit.title.empty() ? unit.signatur : unit.title + " (" + unit.signatur + ")";
}

// One run of the export: what is public and digitised, then the folder built from it.
class IiifExport {
 public:
  IiifExport(Workspace& ws, Date today)
      : ws_(ws),
        config_(ws.config()),
        urls_(config_),
        today_(today),
        provider_{urls_.site().empty() ? urls_.iiif() : urls_.site(), config_.name, urls_.site()},
        credit_(config_.iiif.required_statement.empty() ? config_.name
                                                        : config_.iiif.required_statement) {}

  // The public digitised units (under `only`), then a collection name for each one's Bestand.
  void collect(const std::optional<Unit>& only) {
    iiif::Publication publication = iiif::published_units(ws_, only, today_);
    units_ = std::move(publication.units);
    report_.not_public = publication.not_public;
    report_.untiled = std::move(publication.untiled);
    SlugRegistry bestand_slugs;
    for (const auto& p : units_) {
      if (p.bestand && collection_slugs_.count(p.bestand->id) == 0) {
        collection_slugs_[p.bestand->id] = bestand_slugs.claim(*p.bestand);
      }
    }
  }

  IiifExportReport write(const fs::path& out) {
    ExportFolder folder(out, ws_.dir(), "iiif");
    building_ = folder.dir();
    fs::create_directories(building_ / "manifests");
    fs::create_directories(building_ / "collections");
    for (const Published& p : units_) write_manifest(p);
    report_.images = static_cast<int>(services_.size());
    write_collections();
    folder.commit();
    return report_;
  }

 private:
  void write_manifest(const Published& p) {
    iiif::ManifestData m;
    m.id = urls_.manifest(p.slug);
    m.label = label_of(p.unit);
    std::vector<std::string> tektonik;
    for (const auto& a : p.ancestors) {
      if (a.level == Level::TektonikGroup) tektonik.push_back(a.signatur + " " + a.title);
    }
    m.metadata = {{"Signatur", p.unit.signatur},
                  {"Titel", p.unit.title},
                  {"Laufzeit", p.unit.laufzeit.text},
                  {"Bestand", p.bestand ? label_of(*p.bestand) : ""},
                  {"Tektonik", joined(tektonik, " › ")},
                  {"Umfang", p.unit.extent.empty() ? std::to_string(p.tile_dirs.size()) + " Bilder"
                                                   : p.unit.extent},
                  {"Provenienz", p.unit.creator}};
    m.summary = p.unit.enthaelt;
    if (!urls_.site().empty()) {  // only absolute URLs: no site, no homepage
      m.homepage = p.bestand ? urls_.unit_page(*p.bestand, p.unit) : urls_.site();
      m.homepage_label = label_of(p.unit);
    }
    if (p.bestand) m.part_of = urls_.collection(collection_slugs_.at(p.bestand->id));
    m.provider = provider_;
    m.rights = {config_.iiif.rights, "Nachweis", credit_ + ", " + p.unit.signatur};
    for (const auto& dir : p.tile_dirs) m.pages.push_back(service(dir));
    write_file_atomic(building_ / "manifests" / (p.slug + ".json"),
                      iiif::manifest_json(m).dump(2) + "\n");
    ++report_.manifests;
    if (p.bestand) by_bestand_[p.bestand->id].emplace_back(&p, &service(p.tile_dirs.front()));
  }

  // The image service of a tile folder, published once however many units share the master.
  const iiif::ImageService& service(const std::string& tile_dir) {
    const std::string image_id = fs::path(tile_dir).filename().string();
    auto found = services_.find(image_id);
    if (found == services_.end()) {
      found = services_
                  .emplace(image_id,
                           publish_image(ws_.dir() / tile_dir, building_ / "images" / image_id,
                                         urls_.image_service(image_id)))
                  .first;
    }
    return found->second;
  }

  void write_collections() {
    const iiif::Rights rights{config_.iiif.rights, "Nachweis", credit_};
    std::vector<std::pair<const Unit*, std::string>> bestaende;
    for (const auto& [bestand_id, members] : by_bestand_) {
      const Unit& bestand = *members.front().first->bestand;
      std::vector<iiif::CollectionEntry> items;
      for (const auto& [p, thumbnail] : members) {
        items.push_back({urls_.manifest(p->slug), "Manifest", label_of(p->unit), thumbnail});
      }
      const std::string& slug = collection_slugs_.at(bestand_id);
      write_json(building_ / "collections" / (slug + ".json"),
                 iiif::collection_json(urls_.collection(slug), label_of(bestand),
                                       "Digitalisate im Bestand " + bestand.signatur, provider_,
                                       rights, items));
      bestaende.emplace_back(&bestand, slug);
    }
    std::sort(bestaende.begin(), bestaende.end(), [](const auto& a, const auto& b) {
      return natural_less(a.first->signatur, b.first->signatur);
    });
    std::vector<iiif::CollectionEntry> items;
    for (const auto& [bestand, slug] : bestaende) {
      items.push_back({urls_.collection(slug), "Collection", label_of(*bestand), nullptr});
    }
    write_json(building_ / "collections" / "index.json",
               iiif::collection_json(urls_.top_collection(), config_.name + ": Digitalisate", "",
                                     provider_, rights, items));
  }

  void write_json(const fs::path& file, const json& document) {
    write_file_atomic(file, document.dump(2) + "\n");
    ++report_.collections;
  }

  Workspace& ws_;
  const ArchiveConfig& config_;
  const PublicUrls urls_;
  const Date today_;
  const iiif::Provider provider_;
  const std::string credit_;  ///< the credit line's start: the archive, or what is configured
  IiifExportReport report_;
  std::vector<Published> units_;
  std::map<std::int64_t, std::string> collection_slugs_;  ///< by Bestand id
  fs::path building_;
  std::map<std::string, iiif::ImageService> services_;  ///< by image id
  std::map<std::int64_t, std::vector<std::pair<const Published*, const iiif::ImageService*>>>
      by_bestand_;
};

}  // namespace

IiifExportReport export_iiif(Workspace& ws, const std::optional<Unit>& only, const fs::path& out,
                             Date today) {
  const ArchiveConfig& config = ws.config();
  if (config.public_base_url.empty() && config.iiif.base_url.empty()) {
    throw UsageError(Workspace::config_file(ws.dir()).string() +
                     ": set public_base_url (or iiif.base_url): IIIF manifests need the "
                     "absolute URL they are served under");
  }
  IiifExport run(ws, today);
  run.collect(only);
  return run.write(out);
}

}  // namespace findbuch

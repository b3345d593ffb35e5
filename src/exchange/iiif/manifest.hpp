#pragma once
// IIIF Presentation 3.0 documents (DOMAIN.md §5): a Manifest per digitised unit and Collections
// that list them. Pure functions from plain data to JSON; export_iiif gathers the data.
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace findbuch::iiif {

/// A level-0 image service as its info.json describes it.
struct ImageService {
  std::string id;  ///< the service URL (info.json's id)
  int width = 0, height = 0;
  std::vector<std::pair<int, int>> sizes;  ///< listed sizes, smallest first
  bool has_max = false;                    ///< full/max/0/default.jpg exists
};

/// Who publishes: the archive (manifest "provider").
struct Provider {
  std::string id;  ///< a URL identifying the archive (its site)
  std::string name;
  std::string homepage;  ///< the archive's public site; may be empty
};

struct Rights {
  std::string licence;       ///< Creative Commons or RightsStatements.org URI; may be empty
  std::string credit_label;  ///< e.g. "Nachweis"
  std::string credit;        ///< e.g. "Stadtarchiv Musterstadt, D 1.3 Nr. 30"
};

struct ManifestData {
  std::string id;                                             ///< the manifest's own URL
  std::string label;                                          ///< title and Signatur
  std::vector<std::pair<std::string, std::string>> metadata;  ///< label → value, in order
  std::string summary;
  std::string homepage;  ///< the unit's public page
  std::string homepage_label;
  std::string part_of;  ///< the Bestand's collection URL; may be empty
  Provider provider;
  Rights rights;
  std::vector<ImageService> pages;  ///< one Canvas each, in order
};

/// The Manifest: label, metadata, summary, provider, rights, requiredStatement, thumbnail (the
/// first page), homepage, partOf, and one Canvas per page with a painting Annotation whose body
/// is the largest image the service offers, with the service attached.
nlohmann::ordered_json manifest_json(const ManifestData& data);

struct CollectionEntry {
  std::string id;
  std::string type;  ///< "Manifest" or "Collection"
  std::string label;
  const ImageService* thumbnail = nullptr;  ///< optional
};

/// A Collection of manifests or of collections.
nlohmann::ordered_json collection_json(const std::string& id, const std::string& label,
                                       const std::string& summary, const Provider& provider,
                                       const Rights& rights,
                                       const std::vector<CollectionEntry>& items);

/// Reads a level-0 info.json written by the tiler: width, height, sizes; has_max from whether
/// full/max/0/default.jpg exists beside it. Throws InputError naming the file.
ImageService read_image_service(const std::string& info_json_path);

}  // namespace findbuch::iiif

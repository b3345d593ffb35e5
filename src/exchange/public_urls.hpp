#pragma once
// The public addresses of what Findbuch publishes, in one place so that manifests, finding aids,
// EAD links and the web server agree: finding aids under <public_base_url>/findbuch/, IIIF under
// the iiif base URL (manifests/, collections/, images/). Names are url_slug()s of Signaturen.
#include <set>
#include <string>

#include "catalogue/unit.hpp"
#include "store/workspace.hpp"

namespace findbuch {

class PublicUrls {
 public:
  explicit PublicUrls(const ArchiveConfig& config);

  /// The file name stem of a unit in every export: url_slug of its Signatur.
  static std::string slug(const Unit& unit);

  const std::string& site() const { return site_; }
  /// A Bestand's HTML finding aid.
  std::string finding_aid(const Unit& bestand) const;
  /// A unit's entry within its Bestand's finding aid.
  std::string unit_page(const Unit& bestand, const Unit& unit) const;

  const std::string& iiif() const { return iiif_; }
  std::string manifest(const std::string& slug) const;
  std::string collection(const std::string& slug) const;
  /// The archive's collection of its Bestände.
  std::string top_collection() const;
  /// An IIIF image service; `image_id` is the tile folder's name.
  std::string image_service(const std::string& image_id) const;

 private:
  std::string site_, iiif_;
};

/// Slugs name files and anchors, and two Signaturen may slug alike ("D 1.3", "D 1/3"): the
/// first to claim one gets it, a later one gets its row id appended, then a counter, until free.
class SlugRegistry {
 public:
  /// Names that must stay free (fixed anchors of a page).
  void reserve(const std::string& name) { taken_.insert(name); }
  std::string claim(const Unit& unit);

 private:
  std::set<std::string> taken_;
};

}  // namespace findbuch

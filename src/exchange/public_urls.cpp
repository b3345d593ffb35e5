#include "exchange/public_urls.hpp"

#include "core/text.hpp"

namespace findbuch {

PublicUrls::PublicUrls(const ArchiveConfig& config)
    : site_(config.public_base_url), iiif_(config.iiif_base_url()) {
  while (!site_.empty() && site_.back() == '/') site_.pop_back();
}

std::string PublicUrls::slug(const Unit& unit) {
  return url_slug(unit.signatur);
}

std::string PublicUrls::finding_aid(const Unit& bestand) const {
  return site_ + "/findbuch/" + slug(bestand) + ".html";
}

std::string PublicUrls::unit_page(const Unit& bestand, const Unit& unit) const {
  return finding_aid(bestand) + "#" + slug(unit);
}

std::string PublicUrls::manifest(const std::string& slug) const {
  return iiif_ + "/manifests/" + slug + ".json";
}

std::string PublicUrls::collection(const std::string& slug) const {
  return iiif_ + "/collections/" + slug + ".json";
}

std::string PublicUrls::top_collection() const {
  return iiif_ + "/collections/index.json";
}

std::string PublicUrls::image_service(const std::string& image_id) const {
  return iiif_ + "/images/" + image_id;
}

std::string SlugRegistry::claim(const Unit& unit) {
  std::string slug = PublicUrls::slug(unit);
  if (taken_.count(slug) != 0) slug += "-" + std::to_string(unit.id);
  for (int n = 2; taken_.count(slug) != 0; ++n) slug += "-" + std::to_string(n);
  taken_.insert(slug);
  return slug;
}

}  // namespace findbuch

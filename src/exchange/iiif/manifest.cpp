#include "exchange/iiif/manifest.hpp"

#include <algorithm>
#include <filesystem>

#include "core/atomic_file.hpp"
#include "core/error.hpp"

namespace findbuch::iiif {
namespace {

using json = nlohmann::ordered_json;

json german(const std::string& text) {
  return {{"de", json::array({text})}};
}

json pair_entry(const std::string& label, const std::string& value) {
  return {{"label", german(label)}, {"value", german(value)}};
}

// Viewers show thumbnails at 150 … 300 pixels: the smallest size at least 200 wide, else the
// largest there is.
std::pair<int, int> thumbnail_size(const ImageService& s) {
  for (const auto& size : s.sizes) {
    if (size.first >= 200) return size;
  }
  return s.sizes.empty() ? std::pair{s.width, s.height} : s.sizes.back();
}

json service_ref(const ImageService& s) {
  return json::array({{{"id", s.id}, {"type", "ImageService3"}, {"profile", "level0"}}});
}

json image(const ImageService& s, const std::string& path, std::pair<int, int> size) {
  return {{"id", s.id + "/full/" + path + "/0/default.jpg"},
          {"type", "Image"},
          {"format", "image/jpeg"},
          {"width", size.first},
          {"height", size.second},
          {"service", service_ref(s)}};
}

json thumbnail(const ImageService& s) {
  const auto size = thumbnail_size(s);
  return json::array(
      {image(s, std::to_string(size.first) + "," + std::to_string(size.second), size)});
}

// The largest image a level-0 service really has: full/max (the largest listed size, which is the
// full image unless size limits keep it back), else the largest listed size by its own path.
json largest_image(const ImageService& s) {
  if (s.sizes.empty()) return image(s, "max", {s.width, s.height});
  const auto size = s.sizes.back();
  if (s.has_max) return image(s, "max", size);
  return image(s, std::to_string(size.first) + "," + std::to_string(size.second), size);
}

void add_provider_and_rights(json& j, const Provider& provider, const Rights& rights) {
  json agent = {{"id", provider.id}, {"type", "Agent"}, {"label", german(provider.name)}};
  if (!provider.homepage.empty()) {
    agent["homepage"] = json::array({{{"id", provider.homepage},
                                      {"type", "Text"},
                                      {"label", german(provider.name)},
                                      {"format", "text/html"}}});
  }
  j["provider"] = json::array({agent});
  if (!rights.licence.empty()) j["rights"] = rights.licence;
  if (!rights.credit.empty())
    j["requiredStatement"] = pair_entry(rights.credit_label, rights.credit);
}

}  // namespace

json manifest_json(const ManifestData& d) {
  json j;
  j["@context"] = "http://iiif.io/api/presentation/3/context.json";
  j["id"] = d.id;
  j["type"] = "Manifest";
  j["label"] = german(d.label);
  json metadata = json::array();
  for (const auto& [label, value] : d.metadata) {
    if (!value.empty()) metadata.push_back(pair_entry(label, value));
  }
  j["metadata"] = metadata;
  if (!d.summary.empty()) j["summary"] = german(d.summary);
  add_provider_and_rights(j, d.provider, d.rights);
  if (!d.pages.empty()) j["thumbnail"] = thumbnail(d.pages.front());
  if (!d.homepage.empty()) {
    j["homepage"] = json::array({{{"id", d.homepage},
                                  {"type", "Text"},
                                  {"label", german(d.homepage_label)},
                                  {"format", "text/html"}}});
  }
  if (!d.part_of.empty()) j["partOf"] = json::array({{{"id", d.part_of}, {"type", "Collection"}}});
  // Canvas and annotation ids live under the manifest's URL without ".json".
  std::string base = d.id;
  if (base.size() > 5 && base.ends_with(".json")) base.resize(base.size() - 5);
  json items = json::array();
  for (std::size_t i = 0; i < d.pages.size(); ++i) {
    const ImageService& s = d.pages[i];
    const std::string n = std::to_string(i + 1);
    const std::string canvas = base + "/canvas/" + n;
    json annotation = {{"id", base + "/annotation/" + n},
                       {"type", "Annotation"},
                       {"motivation", "painting"},
                       {"body", largest_image(s)},
                       {"target", canvas}};
    items.push_back({{"id", canvas},
                     {"type", "Canvas"},
                     {"label", german("Bild " + n)},
                     {"width", s.width},
                     {"height", s.height},
                     {"thumbnail", thumbnail(s)},
                     {"items", json::array({{{"id", base + "/page/" + n},
                                             {"type", "AnnotationPage"},
                                             {"items", json::array({annotation})}}})}});
  }
  j["items"] = items;
  return j;
}

json collection_json(const std::string& id, const std::string& label, const std::string& summary,
                     const Provider& provider, const Rights& rights,
                     const std::vector<CollectionEntry>& entries) {
  json j;
  j["@context"] = "http://iiif.io/api/presentation/3/context.json";
  j["id"] = id;
  j["type"] = "Collection";
  j["label"] = german(label);
  if (!summary.empty()) j["summary"] = german(summary);
  add_provider_and_rights(j, provider, rights);
  json items = json::array();
  for (const auto& e : entries) {
    json item = {{"id", e.id}, {"type", e.type}, {"label", german(e.label)}};
    if (e.thumbnail != nullptr) item["thumbnail"] = thumbnail(*e.thumbnail);
    items.push_back(item);
  }
  j["items"] = items;
  return j;
}

ImageService read_image_service(const std::string& info_json_path) {
  namespace fs = std::filesystem;
  ImageService s;
  try {
    const json info = json::parse(read_file(info_json_path, 1 << 20));
    s.id = info.at("id").get<std::string>();
    s.width = info.at("width").get<int>();
    s.height = info.at("height").get<int>();
    for (const auto& size : info.value("sizes", json::array())) {
      s.sizes.emplace_back(size.at("width").get<int>(), size.at("height").get<int>());
    }
  } catch (const json::exception& e) {
    throw InputError(info_json_path + ": not an IIIF info.json: " + e.what());
  }
  std::sort(s.sizes.begin(), s.sizes.end());
  s.has_max = fs::exists(fs::path(info_json_path).parent_path() / "full/max/0/default.jpg");
  return s;
}

}  // namespace findbuch::iiif

#include "pipeline/run_pipeline.hpp"

#include <cmath>
#include <utility>
#include <vector>

namespace findbuch {
namespace {

using nlohmann::json;

double rounded(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

json box_json(const Box& b) {
  return json::array({b.x, b.y, b.width, b.height});
}

// Applies one non-save, non-split stage to one page; fills `entry` with the measurements.
Image apply(const Stage& stage, Image page, json& entry) {
  return std::visit(
      [&](const auto& p) -> Image {
        using P = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<P, DeskewParams>) {
          DeskewResult r = deskew(page, p);
          entry["skew_deg"] = rounded(r.skew_deg, 2);
          entry["confidence"] = rounded(r.confidence, 1);
          entry["applied"] = r.applied;
          if (r.applied) entry["fill"] = r.fill;
          return std::move(r.image);
        } else if constexpr (std::is_same_v<P, PageParams>) {
          PageResult r = find_page(page, p);
          entry["found"] = r.found;
          if (r.found) {
            entry["box"] = box_json(r.box);
            entry["bed"] = r.dark_bed ? "dark" : "light";
          }
          entry["size"] = json::array({r.image.width, r.image.height});
          return std::move(r.image);
        } else if constexpr (std::is_same_v<P, DespeckleParams>) {
          DespeckleResult r = despeckle(page, p);
          entry["removed"] = r.removed;
          return std::move(r.image);
        } else if constexpr (std::is_same_v<P, BackgroundParams>) {
          BackgroundResult r = flatten_background(page, p);
          entry["paper_level"] = r.paper_level;
          return std::move(r.image);
        } else if constexpr (std::is_same_v<P, BinariseParams>) {
          BinariseResult r = binarise(page, p);
          entry["ink_fraction"] = rounded(r.ink_fraction, 4);
          return std::move(r.image);
        } else if constexpr (std::is_same_v<P, RotateParams>) {
          return std::move(rotate(page, p).image);
        } else {
          return page;  // split and save are handled by the caller
        }
      },
      stage.params);
}

}  // namespace

json run_pipeline(Image input, const Pipeline& pipeline, const SaveFn& save) {
  std::vector<Image> pages;
  pages.push_back(std::move(input));
  json stages = json::array();
  for (const Stage& stage : pipeline.stages) {
    const json params = stage_parameters(stage);
    if (stage.name == "split") {
      SplitResult r = split_spread(pages.front(), std::get<SplitParams>(stage.params));
      stages.push_back({{"name", stage.name}, {"params", params}, {"split", r.split}});
      if (r.split) {
        stages.back()["fold_x"] = r.fold_x;
        stages.back()["confidence"] = rounded(r.confidence, 1);
      }
      pages = std::move(r.pages);
      continue;
    }
    for (std::size_t i = 0; i < pages.size(); ++i) {
      json entry = {{"name", stage.name}, {"params", params}};
      if (pages.size() > 1) entry["part"] = i + 1;  // after a split
      if (stage.name == "save") {
        const auto& sp = std::get<SaveParams>(stage.params);
        entry["size"] = json::array({pages[i].width, pages[i].height});
        entry["file"] = save(pages[i], static_cast<int>(i + 1), static_cast<int>(pages.size()), sp);
      } else {
        pages[i] = apply(stage, std::move(pages[i]), entry);
      }
      stages.push_back(std::move(entry));
    }
  }
  return {{"pipeline", {{"name", pipeline.name}, {"sha256", pipeline.sha256}}},
          {"stages", std::move(stages)}};
}

}  // namespace findbuch

// Deskew: measure the skew of the text lines (skew_measure.cpp), then, when the measurement is
// sure and large enough, turn the page back by it (rotation.cpp).
//
// Decisions:
//  - The output keeps the input's size: the turn happens about the image centre and the few
//    pixels turned out of the frame at the corners are cut off (pages have margins; a scan with a
//    visible bed has the bed there); a larger canvas would only add filled margins, and the page
//    detection that follows crops anyway.
//  - The corners the turn uncovers are filled with the colour along the image's edge (the median
//    of its outermost pixels): the paper on a page cropped to the sheet, the bed on a scan with a
//    white or dark bed around the sheet. So the filled corners continue whatever surrounds them
//    and page detection afterwards still sees one sheet on a uniform bed, where the paper colour
//    would paint bright triangles onto a dark bed.
//  - The measurement is refused (reported, not applied) when it is at an end of the sweep (the
//    peak may lie beyond), below min_confidence, or smaller than min_angle_deg. Confidence is the
//    projection score at the angle found over the lowest score of the sweep: 1 … 1.5 for blank
//    paper, noise and specks (no angle is preferred), 5 … 30 for old book pages with curved lines,
//    100 … 200 for flat printed pages, and even a single line of text scores far above 3. So the
//    default 3 refuses pages without lines and accepts any page with some.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "imaging/rotation.hpp"
#include "imaging/skew_measure.hpp"
#include "imaging/stages.hpp"

namespace findbuch {
namespace {

void check_range(const char* name, double value, double low, double high) {
  if (!(value >= low && value <= high)) {
    std::ostringstream message;
    message << "deskew: parameter \"" << name << "\" must be " << low << " … " << high << ", not "
            << value;
    throw InputError(message.str());
  }
}

/// Sample `c` of pixel (x, y), in the image's own units.
int sample(const Image& image, int x, int y, int c) {
  const std::size_t index = static_cast<std::size_t>(x) * static_cast<std::size_t>(image.channels) +
                            static_cast<std::size_t>(c);
  if (image.bits == 16) {
    std::uint16_t value = 0;
    std::memcpy(&value, image.row(y) + 2 * index, 2);
    return value;
  }
  return image.row(y)[index];
}

/// Per channel, the median of the image's outermost rows and columns (grey repeated ×3).
std::array<int, 3> edge_colour(const Image& image) {
  std::array<int, 3> colour{};
  std::vector<int> values;
  values.reserve(2 * static_cast<std::size_t>(image.width + image.height));
  for (int c = 0; c < image.channels; ++c) {
    values.clear();
    for (int x = 0; x < image.width; ++x) {
      values.push_back(sample(image, x, 0, c));
      values.push_back(sample(image, x, image.height - 1, c));
    }
    for (int y = 1; y + 1 < image.height; ++y) {
      values.push_back(sample(image, 0, y, c));
      values.push_back(sample(image, image.width - 1, y, c));
    }
    auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
    std::nth_element(values.begin(), middle, values.end());
    colour[static_cast<std::size_t>(c)] = *middle;
  }
  if (image.channels == 1) colour[1] = colour[2] = colour[0];
  return colour;
}

}  // namespace

DeskewResult deskew(const Image& image, const DeskewParams& params) {
  check_range("max_angle_deg", params.max_angle_deg, 0.5, 15);
  check_range("min_angle_deg", params.min_angle_deg, 0, 5);
  check_range("min_confidence", params.min_confidence, 1, 100);

  DeskewResult result;
  if (image.empty()) {
    result.image = image;
    return result;
  }
  const SkewMeasurement measured = measure_skew(image, params.max_angle_deg);
  result.skew_deg = measured.skew_deg;
  result.confidence = measured.confidence;
  result.fill = edge_colour(image);
  result.applied = !measured.at_edge && measured.confidence >= params.min_confidence &&
                   std::abs(measured.skew_deg) >= params.min_angle_deg;
  result.image = result.applied ? rotate_fine(image, -measured.skew_deg, result.fill) : image;
  return result;
}

}  // namespace findbuch

#pragma once
// Cleaning stages (issue 3, DOMAIN.md §4). Every stage is a pure function: it takes an image and a
// typed parameter struct and returns a new image plus what it measured; it never changes its
// input. The rules common to all stages:
//  - Input is 8- or 16-bit, grey or RGB (bitonal images are 8-bit grey with 0/255). Output keeps
//    the input's depth and channels unless the stage says otherwise (binarise → bitonal 8-bit
//    grey).
//  - Resolution and ICC profile are carried over to the result.
//  - Parameters are validated by the pipeline loader; a stage given values outside the documented
//    ranges throws InputError naming the parameter.
//  - Angles: `skew_deg` is the clockwise rotation of the page content as displayed (y down);
//    deskew rotates by −skew_deg.
#include <array>
#include <vector>

#include "imaging/image.hpp"

namespace findbuch {

/// A rectangle in pixel coordinates of the stage's input: x, y, width, height.
struct Box {
  int x = 0, y = 0, width = 0, height = 0;
  bool operator==(const Box&) const = default;
};

// --- deskew -------------------------------------------------------------------------------------

struct DeskewParams {
  double max_angle_deg = 10;    ///< search range ±max_angle_deg (0.5 … 15)
  double min_angle_deg = 0.05;  ///< below this the page is left as it is (0 … 5)
  double min_confidence = 3.0;  ///< below this the measurement is reported but not applied
};
struct DeskewResult {
  Image
      image;  ///< rotated by −skew_deg about the centre (same size), or the input when not applied
  double skew_deg = 0;    ///< measured skew, clockwise positive
  double confidence = 0;  ///< ratio of the best score to the worst (≥ 1); higher is surer
  bool applied = false;   ///< whether the image was rotated
  /// Colour of the uncovered corners (R G B, or grey ×3, in the image's sample units): the median
  /// of the outermost pixels, i.e. the paper on a page cropped to its sheet and the bed colour on a
  /// scan with a bed, so that page detection afterwards still sees the sheet's edges.
  std::array<int, 3> fill{};
};
DeskewResult deskew(const Image& image, const DeskewParams& params);

// --- page (sheet on a scanner bed) ------------------------------------------------------------

struct PageParams {
  int margin_px = 0;        ///< extra pixels kept around the detected sheet (0 … 1000)
  bool print_only = false;  ///< photographs: crop to the print itself, tighter threshold
};
struct PageResult {
  Image image;            ///< cropped to box (+ margin, clipped to the image)
  Box box;                ///< the sheet found, before the margin
  bool found = false;     ///< false: no bed visible (nothing to crop); image unchanged, box = all
  bool dark_bed = false;  ///< whether the bed was darker than the sheet
};
PageResult find_page(const Image& image, const PageParams& params);

// --- split (double-page spreads) ----------------------------------------------------------------

struct SplitParams {
  double min_aspect = 1.15;  ///< width/height below this is never a spread (0.5 … 5)
};
struct SplitResult {
  std::vector<Image> pages;  ///< two pages in reading order (left, right), or the input alone
  bool split = false;
  int fold_x = 0;         ///< column of the fold in the input, when split
  double confidence = 0;  ///< how clearly the fold stands out (≥ 1 when split)
};
SplitResult split_spread(const Image& image, const SplitParams& params);

// --- despeckle ----------------------------------------------------------------------------------

struct DespeckleParams {
  int max_size_px =
      3;  ///< connected dark specks whose bounding box fits in this square go (1 … 50)
};
struct DespeckleResult {
  Image image;
  int removed = 0;  ///< number of specks removed
};
DespeckleResult despeckle(const Image& image, const DespeckleParams& params);

// --- background (uneven illumination) -----------------------------------------------------------

struct BackgroundParams {
  int window_px = 0;  ///< size of the background estimate's neighbourhood; 0 = from resolution
};
struct BackgroundResult {
  Image image;
  int paper_level = 0;  ///< the flattened paper's grey level (0 … 255)
};
BackgroundResult flatten_background(const Image& image, const BackgroundParams& params);

// --- binarise (Sauvola)
// ---------------------------------------------------------------------------

struct BinariseParams {
  int window_px = 0;  ///< Sauvola window; 0 = from resolution (about 1/12 inch, odd)
  double k = 0.34;    ///< Sauvola k (0.01 … 1)
};
struct BinariseResult {
  Image image;              ///< 8-bit grey, bitonal (0 ink, 255 paper)
  double ink_fraction = 0;  ///< share of pixels that became ink
};
BinariseResult binarise(const Image& image, const BinariseParams& params);

// --- rotate (quarter turns)
// -----------------------------------------------------------------------

struct RotateParams {
  int degrees = 0;  ///< clockwise: 0, 90, 180 or 270
};
struct RotateResult {
  Image image;
};
RotateResult rotate(const Image& image, const RotateParams& params);

}  // namespace findbuch

#pragma once
// Internal to src/imaging: a small grey copy of an image for the detection stages (page, split),
// which look for sheets, beds and folds, not for letters.
#include <opencv2/core.hpp>

#include "imaging/image.hpp"

namespace findbuch {

/// 8-bit grey image whose pixel (x, y) is the mean luminance of the input's block
/// [x·factor, (x+1)·factor) × [y·factor, (y+1)·factor). The last input rows and columns that do
/// not fill a block are left out.
struct ReducedGrey {
  cv::Mat grey;    ///< CV_8UC1
  int factor = 1;  ///< a power of two
};

/// Halves the image (area averaging) until neither side exceeds `max_side`: about 75 ppi for an
/// A4 page at 300 ppi with the default. Luminance uses Rec. 601 weights (as cv::cvtColor).
/// Halving by exactly two takes OpenCV's SIMD path, several times faster than one resize by 4;
/// about 3 ms for an A4 page at 300 ppi in RGB on one core.
ReducedGrey reduce_grey(const Image& image, int max_side = 1000);

}  // namespace findbuch

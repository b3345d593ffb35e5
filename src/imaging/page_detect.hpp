#pragma once
// Internal to src/imaging: the sheet detection behind find_page, also used by split_spread to
// look for the fold in the middle of the sheet rather than of the image. Implemented in page.cpp.
#include <opencv2/core.hpp>

namespace findbuch {

struct SheetDetection {
  bool found = false;     ///< at least one side of the image shows bed
  bool dark_bed = false;  ///< the bed is darker than the sheet
  /// Bounding box of the sheet in continuous coordinates of the grey image it was found in
  /// (pixel (x, y) covers [x, x+1) × [y, y+1)); sides without bed lie on the image border.
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  bool bed_left = false, bed_right = false, bed_top = false, bed_bottom = false;
};

/// Finds the sheet in a reduced 8-bit grey image (see reduce_grey). With `print_only`, looks
/// further inside the sheet for a photographic print on a plain mount.
SheetDetection detect_sheet(const cv::Mat& grey, bool print_only);

}  // namespace findbuch

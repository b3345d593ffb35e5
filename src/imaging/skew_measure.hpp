#pragma once
// Internal to src/imaging: measuring the skew of printed or written lines, for deskew.
#include "imaging/image.hpp"

namespace findbuch {

struct SkewMeasurement {
  double skew_deg = 0;    ///< clockwise rotation of the lines as displayed (y down)
  double confidence = 1;  ///< best / worst projection score over the sweep; 1 = no preference
  bool at_edge = false;   ///< the best angle of the sweep was one of its ends
  int ink_pixels = 0;     ///< ink pixels measured (on a copy of at most 2000 px a side)
};

/// Finds the angle within ±max_angle_deg at which the rows of ink pixels line up best (projection
/// profiles). Works on any Image (grey, RGB, bitonal, 16-bit); a dark bed around the sheet and
/// dark scanner borders are left out of the measurement.
SkewMeasurement measure_skew(const Image& image, double max_angle_deg);

}  // namespace findbuch

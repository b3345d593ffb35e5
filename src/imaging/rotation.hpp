#pragma once
// Internal to src/imaging: turning an image by an arbitrary (small) angle, for deskew.
#include <array>

#include "imaging/image.hpp"

namespace findbuch {

/// The content of `image` turned clockwise as displayed (y down) by `degrees` (|degrees| ≤ 45)
/// about the image centre, in an image of the same size, depth and channels. Content turned out
/// of the frame is cut off; the corners the turn uncovers get `fill` (in sample units: 0 … 255 or
/// 0 … 65535; R G B, or grey in [0]). Bitonal images are interpolated and thresholded again, so
/// they stay bitonal. Resolution and ICC profile are carried over.
Image rotate_fine(const Image& image, double degrees, const std::array<int, 3>& fill);

}  // namespace findbuch

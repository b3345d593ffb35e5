#pragma once
// Internal to src/imaging: OpenCV views over an Image's pixels (no copy). Channel order stays
// R G B; no OpenCV function used here depends on it except colour conversions, which say so.
#include <opencv2/core.hpp>

#include "imaging/image.hpp"

namespace findbuch {

inline int mat_type(const Image& image) {
  return CV_MAKETYPE(image.bits == 16 ? CV_16U : CV_8U, image.channels);
}

/// A cv::Mat sharing the image's pixels; valid while the image lives and is not resized.
inline cv::Mat mat_view(Image& image) {
  return cv::Mat(image.height, image.width, mat_type(image), image.pixels.data(),
                 image.row_bytes());
}

/// Read-only counterpart; OpenCV has no const Mat type, so callers must not write through it.
inline cv::Mat mat_view(const Image& image) {
  return cv::Mat(image.height, image.width, mat_type(image),
                 const_cast<std::uint8_t*>(image.pixels.data()), image.row_bytes());
}

}  // namespace findbuch

#pragma once
// Internal to src/imaging: helpers shared by the filter stages (despeckle, background, binarise).
// The stages work on bands of rows rather than on full-size intermediate images: a fresh
// full-page buffer costs more in page faults than the filtering itself.
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "imaging/image.hpp"

namespace findbuch {

/// Luminance of `rows` (grey or RGB, 8 or 16 bit; Rec. 601 weights as cv::cvtColor uses) in their
/// own depth: `rows` itself when grey, else converted into `buffer`, which is reused between calls.
inline const cv::Mat& luminance(const cv::Mat& rows, cv::Mat& buffer) {
  if (rows.channels() == 1) return rows;
  cv::cvtColor(rows, buffer, cv::COLOR_RGB2GRAY);
  return buffer;
}

/// The image's resolution for sizing windows: the mean of the known ppi values, else 300 (the
/// DFG recommendation for text, DOMAIN.md §4).
inline double effective_ppi(const Image& image) {
  if (image.ppi_x > 0 && image.ppi_y > 0) return (image.ppi_x + image.ppi_y) / 2;
  if (image.ppi_x > 0) return image.ppi_x;
  if (image.ppi_y > 0) return image.ppi_y;
  return 300;
}

}  // namespace findbuch

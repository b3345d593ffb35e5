#include "imaging/reduce.hpp"

#include <algorithm>

#include <opencv2/imgproc.hpp>

#include "imaging/mat_view.hpp"

namespace findbuch {
namespace {

constexpr int kStripRows = 32;  // even; a strip of an A4 row range stays in the L2 cache

/// First halving straight from the full image. For RGB a strip of rows at a time: luminance into
/// a small buffer, then averaged into the half-size result, so no full-size grey copy is ever
/// written (its memory traffic and page faults cost more than the conversion).
cv::Mat first_half(const cv::Mat& src) {
  const int w = src.cols & ~1;
  const int h = src.rows & ~1;
  const int depth = src.depth();
  cv::Mat half(h / 2, w / 2, CV_MAKETYPE(depth, 1));
  if (src.channels() == 1) {
    cv::resize(src(cv::Rect(0, 0, w, h)), half, half.size(), 0, 0, cv::INTER_AREA);
    return half;
  }
  cv::Mat strip;
  for (int y = 0; y < h; y += kStripRows) {
    const int rows = std::min(kStripRows, h - y);
    cv::cvtColor(src(cv::Rect(0, y, w, rows)), strip, cv::COLOR_RGB2GRAY);
    cv::Mat dst = half(cv::Rect(0, y / 2, w / 2, rows / 2));
    cv::resize(strip, dst, dst.size(), 0, 0, cv::INTER_AREA);  // fills the view in place
  }
  return half;
}

}  // namespace

ReducedGrey reduce_grey(const Image& image, int max_side) {
  ReducedGrey out;
  max_side = std::max(max_side, 1);
  const cv::Mat src = mat_view(image);
  cv::Mat current;
  if (std::max(src.cols, src.rows) > max_side && std::min(src.cols, src.rows) >= 2) {
    current = first_half(src);
    out.factor = 2;
  } else if (image.channels == 3) {
    cv::cvtColor(src, current, cv::COLOR_RGB2GRAY);
  } else {
    current = src.clone();  // never hand out a view of the caller's pixels
  }
  while (std::max(current.cols, current.rows) > max_side &&
         std::min(current.cols, current.rows) >= 2) {
    // Even size so the halving is exact (an odd size would take the slow general path).
    const cv::Mat even = current(cv::Rect(0, 0, current.cols & ~1, current.rows & ~1));
    cv::Mat half;
    cv::resize(even, half, cv::Size(even.cols / 2, even.rows / 2), 0, 0, cv::INTER_AREA);
    current = half;
    out.factor *= 2;
  }
  if (current.depth() == CV_16U) {
    current.convertTo(out.grey, CV_8U, 1.0 / 257.0);
  } else {
    out.grey = current;
  }
  return out;
}

}  // namespace findbuch

// Sauvola binarisation: a pixel is ink when it is at most T = m · (1 + k · (s / R − 1)), with m and
// s the mean and standard deviation of the grey levels in a square window around it and R = 128
// (half the 8-bit range). Dark paper under a shadow lowers m and so the threshold; flat paper has a
// small s and a threshold well below its mean, so noise stays paper.
//
// Window sums are kept as running sums (one column sum per column, updated by adding the row that
// enters the window and subtracting the one that leaves it, then a sliding sum along the row), so
// the cost per pixel does not depend on the window, as with integral images but without their
// full-size 64-bit tables. Windows are clipped at the image edges: the mean is over the pixels
// inside. Colour and 16-bit rows are converted to 8-bit luminance as they enter the window, into a
// ring of window + 1 rows, so no full-size grey copy is made.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/core/hal/intrin.hpp>

#include "core/error.hpp"
#include "imaging/filter_support.hpp"
#include "imaging/mat_view.hpp"
#include "imaging/stages.hpp"

namespace findbuch {
namespace {

constexpr double kDynamicRange = 128;  // Sauvola's R for 8-bit grey

/// The default window: about 1/12 inch (25 px at 300 ppi, the x-height of body text), so every
/// window over a stroke also holds paper; odd, at least 15 px.
int default_window(const Image& image) {
  const int w = static_cast<int>(std::lround(effective_ppi(image) / 12));
  return std::max(15, w | 1);
}

/// Adds a row's grey levels and their squares to the column sums (or, `add` false, takes them
/// off). OpenCV universal intrinsics, for the reason given at threshold_row.
void update_columns(const std::uint8_t* grey, std::uint32_t* sum, std::uint32_t* sq, int width,
                    bool add) {
  int x = 0;
#if CV_SIMD128
  for (; x + 16 <= width; x += 16) {
    cv::v_uint16x8 g[2];
    cv::v_expand(cv::v_load(grey + x), g[0], g[1]);
    for (int h = 0; h < 2; ++h) {
      const int at = x + 8 * h;
      cv::v_uint32x4 v0, v1, sq0, sq1;
      cv::v_expand(g[h], v0, v1);
      cv::v_mul_expand(g[h], g[h], sq0, sq1);
      if (add) {
        cv::v_store(sum + at, cv::v_load(sum + at) + v0);
        cv::v_store(sum + at + 4, cv::v_load(sum + at + 4) + v1);
        cv::v_store(sq + at, cv::v_load(sq + at) + sq0);
        cv::v_store(sq + at + 4, cv::v_load(sq + at + 4) + sq1);
      } else {
        cv::v_store(sum + at, cv::v_load(sum + at) - v0);
        cv::v_store(sum + at + 4, cv::v_load(sum + at + 4) - v1);
        cv::v_store(sq + at, cv::v_load(sq + at) - sq0);
        cv::v_store(sq + at + 4, cv::v_load(sq + at + 4) - sq1);
      }
    }
  }
#endif
  for (; x < width; ++x) {
    const std::uint32_t v = grey[x];
    if (add) {
      sum[x] += v;
      sq[x] += v * v;
    } else {
      sum[x] -= v;
      sq[x] -= v * v;
    }
  }
}

/// One output row: 0 where the grey level is at most the Sauvola threshold, else 255, from the
/// window sums and squared sums of each pixel and 1 / pixels per window (inv_cols × inv_rows).
/// Ink when g ≤ t0 + c·sd with t0 = m·(1 − k), c = m·k / R, decided without a square root: below
/// t0 it is ink; above, compare the squares. OpenCV's universal intrinsics (SSE2 / NEON at least)
/// because compilers do not vectorise this at -O2 and it runs for every pixel.
void threshold_row(const std::uint8_t* grey, const float* sum, const float* sq,
                   const float* inv_cols, float inv_rows, float k, std::uint8_t* out, int width) {
  const float low = 1 - k;
  const float slope = k / static_cast<float>(kDynamicRange);
  int x = 0;
#if CV_SIMD128
  const cv::v_float32x4 v_inv_rows = cv::v_setall_f32(inv_rows);
  const cv::v_float32x4 v_low = cv::v_setall_f32(low);
  const cv::v_float32x4 v_slope = cv::v_setall_f32(slope);
  const cv::v_float32x4 zero = cv::v_setzero_f32();
  auto ink_mask = [&](const cv::v_uint32x4& g, int at) {  // all ones where ink
    const cv::v_float32x4 inv_n = cv::v_load(inv_cols + at) * v_inv_rows;
    const cv::v_float32x4 mean = cv::v_load(sum + at) * inv_n;
    const cv::v_float32x4 var = cv::v_max(cv::v_load(sq + at) * inv_n - mean * mean, zero);
    const cv::v_float32x4 above = cv::v_cvt_f32(cv::v_reinterpret_as_s32(g)) - mean * v_low;
    const cv::v_float32x4 c = mean * v_slope;
    return cv::v_reinterpret_as_s32((above <= zero) | (above * above <= c * c * var));
  };
  for (; x + 16 <= width; x += 16) {
    cv::v_uint16x8 lo, hi;
    cv::v_expand(cv::v_load(grey + x), lo, hi);
    cv::v_uint32x4 a, b, c, d;
    cv::v_expand(lo, a, b);
    cv::v_expand(hi, c, d);
    const cv::v_int16x8 first = cv::v_pack(ink_mask(a, x), ink_mask(b, x + 4));
    const cv::v_int16x8 second = cv::v_pack(ink_mask(c, x + 8), ink_mask(d, x + 12));
    cv::v_store(out + x, ~cv::v_reinterpret_as_u8(cv::v_pack(first, second)));
  }
#endif
  for (; x < width; ++x) {
    const float inv_n = inv_cols[x] * inv_rows;
    const float mean = sum[x] * inv_n;
    const float var = std::max(sq[x] * inv_n - mean * mean, 0.0f);
    const float above = static_cast<float>(grey[x]) - mean * low;
    const float c = mean * slope;
    const bool ink = (above <= 0) | (above * above <= c * c * var);
    out[x] = ink ? 0 : 255;
  }
}

}  // namespace

BinariseResult binarise(const Image& image, const BinariseParams& params) {
  if (params.window_px < 0 || params.window_px > 2001) {
    throw InputError(
        "binarise: parameter \"window_px\" must be 0 … 2001 (0: from the resolution), not " +
        std::to_string(params.window_px));
  }
  if (!(params.k >= 0.01 && params.k <= 1)) {
    throw InputError("binarise: parameter \"k\" must be 0.01 … 1, not " + std::to_string(params.k));
  }
  Image out = image.with_shape(image.width, image.height, 1, 8);
  out.bitonal = true;
  if (image.empty()) return {std::move(out), 0};

  const int width = image.width;
  const int height = image.height;
  // An even window is widened by one so that it is centred; 1 is no window at all.
  const int window =
      std::max(3, (params.window_px > 0 ? params.window_px : default_window(image)) | 1);
  const int r = window / 2;

  // 8-bit grey rows are read in place; others are converted into the ring as they enter.
  const cv::Mat src = mat_view(image);
  const bool in_place = image.channels == 1 && image.bits == 8;
  const int ring_rows = in_place ? 0 : std::min(height, window + 1);
  cv::Mat ring(ring_rows, width, CV_8U);
  cv::Mat scratch;
  auto grey_row = [&](int y) -> const std::uint8_t* {
    return in_place ? image.row(y) : ring.ptr<std::uint8_t>(y % ring_rows);
  };
  auto convert_row = [&](int y) {
    if (in_place) return;
    cv::Mat slot = ring.row(y % ring_rows);  // same size and type: OpenCV writes into it
    if (image.bits == 8) {
      cv::cvtColor(src.row(y), slot, cv::COLOR_RGB2GRAY);
    } else {
      luminance(src.row(y), scratch).convertTo(slot, CV_8U, 1.0 / 257.0);
    }
  };

  // Column sums over the rows in the window, padded with r zero columns on both sides so the
  // sliding sum needs no edge cases. 2001 rows × 255² fits in 32 bits.
  const std::size_t padded = static_cast<std::size_t>(width + 2 * r + 1);
  std::vector<std::uint32_t> col_sum(padded, 0);
  std::vector<std::uint32_t> col_sq(padded, 0);
  std::vector<float> inv_cols(static_cast<std::size_t>(width));
  for (int x = 0; x < width; ++x) {
    const int cols = std::min(width - 1, x + r) - std::max(0, x - r) + 1;
    inv_cols[static_cast<std::size_t>(x)] = 1.0f / static_cast<float>(cols);
  }
  // Each pixel's window sums, as float (exact to 24 bits, ample for a mean and a variance).
  std::vector<float> win_sum(static_cast<std::size_t>(width));
  std::vector<float> win_sq(static_cast<std::size_t>(width));
  auto add_row = [&](int y, bool add) {
    update_columns(grey_row(y), col_sum.data() + r, col_sq.data() + r, width, add);
  };
  for (int y = 0; y < std::min(r, height); ++y) {
    convert_row(y);
    add_row(y, true);
  }

  std::size_t ink = 0;
  for (int y = 0; y < height; ++y) {
    if (y + r < height) {
      convert_row(y + r);
      add_row(y + r, true);
    }
    if (y - r - 1 >= 0) add_row(y - r - 1, false);
    const int rows = std::min(height - 1, y + r) - std::max(0, y - r) + 1;

    // Sliding sums: padded columns [0, 2r] cover image columns [-r, r], so the window of x
    // covers padded [x, x + 2r].
    std::int64_t s = 0;  // signed: converts to float without a branch
    std::int64_t q = 0;
    for (int j = 0; j < 2 * r; ++j) {
      s += col_sum[static_cast<std::size_t>(j)];
      q += col_sq[static_cast<std::size_t>(j)];
    }
    for (int x = 0; x < width; ++x) {
      const std::size_t ux = static_cast<std::size_t>(x);
      s += col_sum[ux + 2 * static_cast<std::size_t>(r)];
      q += col_sq[ux + 2 * static_cast<std::size_t>(r)];
      win_sum[ux] = static_cast<float>(s);
      win_sq[ux] = static_cast<float>(q);
      s -= col_sum[ux];
      q -= col_sq[ux];
    }
    std::uint8_t* o = out.row(y);
    threshold_row(grey_row(y), win_sum.data(), win_sq.data(), inv_cols.data(),
                  1.0f / static_cast<float>(rows), static_cast<float>(params.k), o, width);
    ink += static_cast<std::size_t>(width - cv::countNonZero(cv::Mat(1, width, CV_8U, o)));
  }
  const double fraction = static_cast<double>(ink) / (static_cast<double>(width) * height);
  return {std::move(out), fraction};
}

}  // namespace findbuch

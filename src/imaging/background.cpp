// Flattens uneven illumination: shadows towards the binding, the lamp's gradient, darker paper.
//
// The paper background is estimated at 1/8 resolution (illumination changes slowly, and this
// makes the estimate cost a fiftieth of the page). Each 8 × 8 cell is represented by its
// brightest 2 × 2 mean, which is paper whenever the cell holds some paper, so text lines need no
// wide filter; a grey-level closing wider than any stroke fills what is left (bold type, rules,
// stamps) and a small blur takes the corners off. Each pixel is then multiplied by
// paper_level / background, interpolated bilinearly row by row, so no full-size gain map or grey
// copy is ever built.
//
// Decisions:
//  - paper_level is the 95th percentile of the background estimate: the best-lit paper keeps its
//    brightness and tone and the rest of the sheet is brought up to it. Pushing paper to a fixed
//    white would invent a brightness the original never had and clip highlights.
//  - One gain per pixel from the luminance, applied to all channels alike: a brightness-only
//    correction, so every colour keeps its hue and saturation (red ink stays red, yellowed paper
//    stays yellowed). A gain per channel would white-balance the sheet and amplify chroma noise
//    where one channel is dark.
//  - The gain is capped at 4: what is darker than a quarter of the paper is not shadowed paper
//    but something dark (a photo, a black bar) and must not be lifted to paper grey.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/core/hal/intrin.hpp>
#include <opencv2/imgproc.hpp>

#include "core/error.hpp"
#include "imaging/filter_support.hpp"
#include "imaging/mat_view.hpp"
#include "imaging/stages.hpp"

namespace findbuch {
namespace {

constexpr int kMaxScale = 8;    // background estimated at 1/8 resolution
constexpr double kMaxGain = 4;  // see above
constexpr double kPaperQuantile = 0.95;

/// The default neighbourhood: 1/6 inch (50 px at 300 ppi), wider than the strokes of body text
/// and headings; with the cells' peak estimate, text lines need no wider window.
int default_window(const Image& image) {
  return static_cast<int>(std::lround(effective_ppi(image) / 6));
}

/// Value below which `quantile` of the (float) values of `m` lie.
float quantile_of(const cv::Mat& m, double quantile) {
  std::vector<float> values;
  values.reserve(m.total());
  for (int y = 0; y < m.rows; ++y) {
    const float* row = m.ptr<float>(y);
    values.insert(values.end(), row, row + m.cols);
  }
  const auto nth = values.begin() + static_cast<std::ptrdiff_t>(quantile * (values.size() - 1));
  std::nth_element(values.begin(), nth, values.end());
  return *nth;
}

/// For each full-resolution column (or row), the low-resolution cell left of (above) its centre
/// and the weight of the next one, for bilinear interpolation between cell centres. Cells are
/// numbered from the margin cell before the first, so no pixel needs clamping: the margin, a
/// point reflection, continues the gradient to the image edge and over the partial cells there.
/// The last pixel's cell index is below low + 2 (width < (low + 1) · scale).
struct Taps {
  std::vector<int> first;
  std::vector<float> weight;
};

Taps taps(int full, int scale) {
  Taps t;
  t.first.resize(static_cast<std::size_t>(full));
  t.weight.resize(static_cast<std::size_t>(full));
  for (int x = 0; x < full; ++x) {
    const double f = (x + 0.5) / scale - 0.5 + 1;  // position in cells, margin cell = 0
    const int i = static_cast<int>(f);
    t.first[static_cast<std::size_t>(x)] = i;
    t.weight[static_cast<std::size_t>(x)] = static_cast<float>(f - i);
  }
  return t;
}

/// out = in · (upper + (lower − upper) · w), rounded and saturated: one row of the division by
/// the background, its gain interpolated between two widened low-resolution rows. OpenCV's
/// universal intrinsics (SSE2 / NEON at least), because compilers do not vectorise this at -O2
/// and it is the one full-resolution pass of the stage.
void apply_gain(const std::uint8_t* in, const float* upper, const float* lower, float w,
                std::uint8_t* out, int n) {
  int i = 0;
#if CV_SIMD128
  const cv::v_float32x4 vw = cv::v_setall_f32(w);
  auto gained = [&](const cv::v_uint32x4& v, int at) {
    const cv::v_float32x4 a = cv::v_load(upper + at);
    const cv::v_float32x4 g = cv::v_fma(cv::v_load(lower + at) - a, vw, a);
    return cv::v_round(cv::v_cvt_f32(cv::v_reinterpret_as_s32(v)) * g);
  };
  for (; i + 16 <= n; i += 16) {
    cv::v_uint16x8 lo, hi;
    cv::v_expand(cv::v_load(in + i), lo, hi);
    cv::v_uint32x4 a, b, c, d;
    cv::v_expand(lo, a, b);
    cv::v_expand(hi, c, d);
    const cv::v_int16x8 first = cv::v_pack(gained(a, i), gained(b, i + 4));
    const cv::v_int16x8 second = cv::v_pack(gained(c, i + 8), gained(d, i + 12));
    cv::v_store(out + i, cv::v_pack_u(first, second));
  }
#endif
  for (; i < n; ++i) {
    const float g = upper[i] + (lower[i] - upper[i]) * w;
    out[i] = cv::saturate_cast<std::uint8_t>(in[i] * g);
  }
}

void apply_gain(const std::uint16_t* in, const float* upper, const float* lower, float w,
                std::uint16_t* out, int n) {
  int i = 0;
#if CV_SIMD128
  const cv::v_float32x4 vw = cv::v_setall_f32(w);
  auto gained = [&](const cv::v_uint32x4& v, int at) {
    const cv::v_float32x4 a = cv::v_load(upper + at);
    const cv::v_float32x4 g = cv::v_fma(cv::v_load(lower + at) - a, vw, a);
    return cv::v_round(cv::v_cvt_f32(cv::v_reinterpret_as_s32(v)) * g);
  };
  for (; i + 8 <= n; i += 8) {
    cv::v_uint32x4 a, b;
    cv::v_expand(cv::v_load(in + i), a, b);
    cv::v_store(out + i, cv::v_pack_u(gained(a, i), gained(b, i + 4)));
  }
#endif
  for (; i < n; ++i) {
    const float g = upper[i] + (lower[i] - upper[i]) * w;
    out[i] = cv::saturate_cast<std::uint16_t>(in[i] * g);
  }
}

/// Median of mean / peak over the cells that are plain paper (mean within 10 % of peak), 1 if
/// there are none.
float paper_share(const cv::Mat& mean, const cv::Mat& peak) {
  cv::Mat m, p;
  mean.convertTo(m, CV_32F);
  peak.convertTo(p, CV_32F);
  std::vector<float> shares;
  for (int y = 0; y < m.rows; ++y) {
    for (int x = 0; x < m.cols; ++x) {
      const float a = m.at<float>(y, x);
      const float b = p.at<float>(y, x);
      if (b > 0 && a >= 0.9f * b) shares.push_back(a / b);
    }
  }
  if (shares.empty()) return 1;
  const auto mid = shares.begin() + static_cast<std::ptrdiff_t>(shares.size() / 2);
  std::nth_element(shares.begin(), mid, shares.end());
  return *mid;
}

/// `m` with `pad` cells added on every side, each the point reflection of its mirror image
/// through the nearest edge cell (2 · edge − mirror, at least 0): a plane continues as a plane.
cv::Mat point_reflected(const cv::Mat& m, int pad) {
  cv::Mat out;
  cv::copyMakeBorder(m, out, pad, pad, pad, pad, cv::BORDER_REFLECT_101);
  const int w = m.cols;
  const int h = m.rows;
  for (int y = 0; y < out.rows; ++y) {  // columns first, in every row, so corners come out right
    float* row = out.ptr<float>(y);
    for (int j = 0; j < pad; ++j) {
      row[j] = std::max(0.0f, 2 * row[pad] - row[j]);
      row[pad + w + j] = std::max(0.0f, 2 * row[pad + w - 1] - row[pad + w + j]);
    }
  }
  for (int j = 0; j < pad; ++j) {
    const float* first = out.ptr<float>(pad);
    const float* last = out.ptr<float>(pad + h - 1);
    float* above = out.ptr<float>(j);
    float* below = out.ptr<float>(pad + h + j);
    for (int x = 0; x < out.cols; ++x) {
      above[x] = std::max(0.0f, 2 * first[x] - above[x]);
      below[x] = std::max(0.0f, 2 * last[x] - below[x]);
    }
  }
  return out;
}

}  // namespace

BackgroundResult flatten_background(const Image& image, const BackgroundParams& params) {
  if (params.window_px < 0 || params.window_px > 2000) {
    throw InputError(
        "background: parameter \"window_px\" must be 0 … 2000 (0: from the resolution), not " +
        std::to_string(params.window_px));
  }
  if (image.empty()) return {image, 0};
  // A bitonal page has no illumination left to correct.
  if (image.bitonal) return {image, 255};

  const int width = image.width;
  const int height = image.height;
  int scale = kMaxScale;
  while (scale > 1 && std::min(width, height) / scale < 16) scale /= 2;
  const int low_w = width / scale;
  const int low_h = height / scale;
  const int window = params.window_px > 0 ? params.window_px : default_window(image);
  const int kernel = std::max(3, (window / scale) | 1);

  // Per cell of scale × scale pixels: the brightest 2 × 2 mean (paper, if the cell holds any)
  // and the plain mean. One band of cells at a time, so no full-size grey copy is made; whole
  // cells only (INTER_AREA's fast path for integer factors): the gain of the last few rows and
  // columns is extrapolated from the cells before them.
  const cv::Mat src = mat_view(image);
  const int depth = src.depth();
  cv::Mat peak(low_h, low_w, depth);
  cv::Mat mean(low_h, low_w, depth);
  cv::Mat band_grey, half, half_max, cell_max;
  for (int b = 0; b < low_h; ++b) {
    const cv::Mat band = src(cv::Rect(0, b * scale, low_w * scale, scale));
    const cv::Mat& lum = luminance(band, band_grey);
    cv::Mat peak_row = peak.row(b);  // same size and type: OpenCV writes into these rows
    cv::Mat mean_row = mean.row(b);
    if (scale == 1) {
      lum.copyTo(peak_row);
      lum.copyTo(mean_row);
      continue;
    }
    const int h = scale / 2;
    cv::resize(lum, half, cv::Size(low_w * h, h), 0, 0, cv::INTER_AREA);
    cv::resize(half, mean_row, mean_row.size(), 0, 0, cv::INTER_AREA);
    cv::reduce(half, half_max, 0, cv::REDUCE_MAX);
    cv::reduce(half_max.reshape(1, low_w), cell_max, 1, cv::REDUCE_MAX);
    cell_max.reshape(1, 1).copyTo(peak_row);
  }
  cv::Mat background;
  peak.convertTo(background, CV_32F);
  // The brightest of several noisy means overshoots the paper's mean; the ratio of mean to peak
  // on cells of plain paper measures by how much. (The gain does not depend on this factor, but
  // paper_level does: it is to be the mean of the flattened paper, not of its noise peaks.)
  background *= paper_share(mean, peak);

  // Fill ink with the surrounding paper (closing with a square wider than strokes and letters),
  // then take the corners off. Point reflection at the edges continues a gradient beyond them,
  // so the closing keeps it up to the edge (it keeps any monotone slope inside the page).
  const int pad = kernel / 2 + 1;
  cv::Mat padded = point_reflected(background, pad);
  const cv::Mat square = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(kernel, kernel));
  cv::morphologyEx(padded, padded, cv::MORPH_CLOSE, square, cv::Point(-1, -1), 1,
                   cv::BORDER_REPLICATE);
  cv::GaussianBlur(padded, padded, cv::Size(3, 3), 0, 0, cv::BORDER_REPLICATE);
  background = padded(cv::Rect(pad, pad, low_w, low_h));
  // With margin cells for the interpolation: one before the first cell, two after the last (the
  // partial cell there reaches up to half a cell beyond the next centre).
  const cv::Mat framed = padded(cv::Rect(pad - 1, pad - 1, low_w + 3, low_h + 3));

  const float paper = std::max(1.0f, quantile_of(background, kPaperQuantile));
  // gain = paper / max(background, paper / kMaxGain)
  cv::Mat gain;
  cv::max(framed, paper / kMaxGain, gain);
  cv::divide(paper, gain, gain);

  // Expand a low-resolution gain row to full width, each value repeated for every channel.
  const int channels = image.channels;
  const std::size_t samples = static_cast<std::size_t>(width) * static_cast<std::size_t>(channels);
  const Taps tx = taps(width, scale);
  auto widen = [&](int low_y, std::vector<float>& out) {
    const float* g = gain.ptr<float>(low_y);
    for (int x = 0; x < width; ++x) {
      const std::size_t ux = static_cast<std::size_t>(x);
      const int i = tx.first[ux];
      const float v = g[i] + (g[i + 1] - g[i]) * tx.weight[ux];
      for (int c = 0; c < channels; ++c) out[ux * static_cast<std::size_t>(channels) + c] = v;
    }
  };

  Image out = image.with_shape(width, height, channels, image.bits);
  const Taps ty = taps(height, scale);
  std::vector<float> upper(samples), lower(samples);
  int upper_y = -1;
  for (int y = 0; y < height; ++y) {
    const int i = ty.first[static_cast<std::size_t>(y)];
    if (i != upper_y) {
      if (i == upper_y + 1 && upper_y >= 0) {
        std::swap(upper, lower);
      } else {
        widen(i, upper);
      }
      widen(i + 1, lower);
      upper_y = i;
    }
    const float w = ty.weight[static_cast<std::size_t>(y)];
    const int n = static_cast<int>(samples);
    if (image.bits == 16) {
      apply_gain(reinterpret_cast<const std::uint16_t*>(image.row(y)), upper.data(), lower.data(),
                 w, reinterpret_cast<std::uint16_t*>(out.row(y)), n);
    } else {
      apply_gain(image.row(y), upper.data(), lower.data(), w, out.row(y), n);
    }
  }

  const double level = image.bits == 16 ? paper / 257.0 : paper;
  return {std::move(out), static_cast<int>(std::lround(std::min(255.0, level)))};
}

}  // namespace findbuch

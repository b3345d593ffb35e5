// Splits a double-page spread at the fold (DOMAIN.md §4: "find the fold as a near-vertical
// dark/light line, else the widest whitespace gap").
//
// Measured on the grey copy reduced to at most 1000 px a side (reduce_grey), in the middle 40 %
// of the sheet (detect_sheet; the whole image when no bed shows), over the sheet's rows:
//  1. Line: the rows are grouped into bands and each band averaged into a column profile. For
//     each slant within ±kMaxSlantDeg the band profiles are shifted along the slant and summed,
//     so a straight, slightly skewed fold adds up while letters average out. A dark line (the
//     gutter's shadow) must lie below the brightest level within ¾ inch on *both* sides by
//     kMinLineDepth of the paper level (the edge of a text block is darker on one side only),
//     in the profile smoothed over a tenth of an inch (letters of repeated or justified text
//     can stack into narrow dark columns; a gutter is wider). A light line (a bright crease, the
//     lid showing between two loose sheets) must be brighter than the paper and than both of
//     its sides: the white between two text blocks is only paper. The fold is where the profile
//     is darkest (brightest), to subpixel precision, at the middle row of the sheet.
//  2. Gap: else the widest run of columns without ink between two text blocks, at least
//     kMinGapInch wide. Book pages have equal widths, so when the middle of the sheet lies well
//     inside the gap the fold is taken there (unpaper's spread E001: its right page is more
//     skewed than its left, which moves the middle of the gap 40 px off the true fold); else
//     the middle of the gap.
//  3. Otherwise the image is not a spread and comes back alone.
// The confidence is the winning measure over its threshold, so ≥ 1 whenever the image was split.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/error.hpp"
#include "imaging/crop.hpp"
#include "imaging/page_detect.hpp"
#include "imaging/reduce.hpp"
#include "imaging/stages.hpp"

namespace findbuch {
namespace {

constexpr double kPi = 3.14159265358979323846;
// The fold is searched within ±20 % of the sheet's width around its middle.
constexpr double kSearchShare = 0.2;
constexpr double kMaxSlantDeg = 3.0;  // the fold's skew searched, in steps of
constexpr double kSlantStepDeg = 0.25;
constexpr int kBands = 16;              // row bands shifted against each other for the slant
constexpr double kMinLineDepth = 0.15;  // a dark line: this share of the paper level deep
constexpr double kDarkReachInch = 0.75;
constexpr double kLightReachInch = 0.12;
constexpr double kMinLightContrast = 0.03;  // a light line: this share above paper and sides
constexpr double kSmoothInch = 0.1;         // wider than a letter, narrower than a gutter
constexpr double kMinGapInch = 0.4;         // wider than the gutter between two text columns
constexpr double kInkShare = 0.8;           // a pixel below 80 % of the paper level is ink

struct Fold {
  double x = 0;           ///< column in the reduced image (continuous), at the middle row
  double confidence = 0;  ///< measure / threshold
};

/// Column profile of the rows [y0, y1) of `grey` over the columns [x0, x1).
std::vector<double> band_profile(const cv::Mat& grey, int x0, int x1, int y0, int y1) {
  std::vector<double> sum(static_cast<std::size_t>(x1 - x0), 0.0);
  for (int y = y0; y < y1; ++y) {
    const std::uint8_t* r = grey.ptr<std::uint8_t>(y) + x0;
    for (int x = 0; x < x1 - x0; ++x) sum[static_cast<std::size_t>(x)] += r[x];
  }
  const double inv = 1.0 / std::max(1, y1 - y0);
  for (double& v : sum) v *= inv;
  return sum;
}

double median(std::vector<double>& v) {
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

/// Value of a profile at a continuous position (linear interpolation, clamped).
double sample(const std::vector<double>& p, double x) {
  const double last = static_cast<double>(p.size() - 1);
  x = std::clamp(x, 0.0, last);
  const auto i = static_cast<std::size_t>(x);
  if (i + 1 >= p.size()) return p.back();
  const double f = x - static_cast<double>(i);
  return p[i] * (1 - f) + p[i + 1] * f;
}

/// Subpixel position of the extremum at index i of `v` (parabola through three samples).
double refine(const std::vector<double>& v, std::size_t i) {
  if (i == 0 || i + 1 >= v.size()) return static_cast<double>(i);
  const double a = v[i - 1], b = v[i], c = v[i + 1];
  const double den = a - 2 * b + c;
  const double off = std::abs(den) > 1e-9 ? 0.5 * (a - c) / den : 0.0;
  return static_cast<double>(i) + std::clamp(off, -0.5, 0.5);
}

/// Box average of `v` over 2·r + 1 samples (clamped at the ends).
std::vector<double> box_smooth(const std::vector<double>& v, int r) {
  if (r <= 0) return v;
  const int n = static_cast<int>(v.size());
  std::vector<double> prefix(v.size() + 1, 0.0);
  for (std::size_t i = 0; i < v.size(); ++i) prefix[i + 1] = prefix[i] + v[i];
  std::vector<double> out(v.size());
  for (int i = 0; i < n; ++i) {
    const int a = std::max(0, i - r);
    const int b = std::min(n, i + r + 1);
    out[static_cast<std::size_t>(i)] =
        (prefix[static_cast<std::size_t>(b)] - prefix[static_cast<std::size_t>(a)]) / (b - a);
  }
  return out;
}

/// out[i] = max(v[i], …, v[i + w − 1]) (the window clamped at the end), in O(n): the maximum
/// of a window is that of the suffix of its first block and the prefix of its second (van Herk).
std::vector<double> running_max(const std::vector<double>& v, int w) {
  const std::size_t n = v.size();
  if (n == 0) return {};
  const auto width = static_cast<std::size_t>(std::max(1, w));
  std::vector<double> prefix(v), suffix(v), out(n);
  for (std::size_t i = 1; i < n; ++i) {
    if (i % width != 0) prefix[i] = std::max(prefix[i], prefix[i - 1]);
  }
  for (std::size_t i = n - 1; i-- > 0;) {
    if ((i + 1) % width != 0) suffix[i] = std::max(suffix[i], suffix[i + 1]);
  }
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t last = std::min(n - 1, i + width - 1);
    out[i] = std::max(suffix[i], prefix[last]);
  }
  return out;
}

/// The dark or light line through the search range [s0, s1) that stands out most against both
/// of its sides. Band profiles cover [x0, …) ⊇ the search range plus slant and reach.
Fold find_line(const std::vector<std::vector<double>>& bands, const std::vector<double>& band_y,
               double centre_y, int x0, int s0, int s1, double paper, double px_per_inch) {
  Fold best;
  const int dark_reach = std::max(3, static_cast<int>(std::lround(kDarkReachInch * px_per_inch)));
  const int light_reach = std::max(3, static_cast<int>(std::lround(kLightReachInch * px_per_inch)));
  // Letters of repeated or justified text can stack into narrow dark and light columns; a
  // gutter's shadow is wider than a letter, so the dark search sees the profile smoothed.
  const int smooth = std::max(1, static_cast<int>(std::lround(kSmoothInch * px_per_inch / 2)));
  const int reach = std::max(dark_reach, light_reach);
  const int steps = static_cast<int>(std::lround(kMaxSlantDeg / kSlantStepDeg));
  const double dark_threshold = kMinLineDepth * paper;
  const double light_threshold = std::max(5.0, kMinLightContrast * paper);
  std::vector<double> prof(static_cast<std::size_t>(s1 - s0 + 2 * reach));
  std::vector<double> window;
  for (int k = -steps; k <= steps; ++k) {
    const double slope = std::tan(k * kSlantStepDeg * kPi / 180);
    // prof[j] ↔ column s0 − reach + j at the middle row.
    std::fill(prof.begin(), prof.end(), 0.0);
    for (std::size_t b = 0; b < bands.size(); ++b) {
      const double shift = (band_y[b] - centre_y) * slope - x0;
      for (std::size_t j = 0; j < prof.size(); ++j) {
        prof[j] +=
            sample(bands[b], static_cast<double>(s0 - reach) + static_cast<double>(j) + shift);
      }
    }
    for (double& v : prof) v /= static_cast<double>(bands.size());
    const std::vector<double> soft = box_smooth(prof, smooth);
    const std::vector<double> run_max = running_max(soft, dark_reach - 1);
    for (int x = s0; x < s1; ++x) {
      const auto j = static_cast<std::size_t>(x - s0 + reach);
      // Dark: below the brightest level on each side, within about an inch.
      const double left_max = run_max[j - static_cast<std::size_t>(dark_reach)];
      const double right_max = run_max[j + 2];
      const double dark = (std::min(left_max, right_max) - soft[j]) / dark_threshold;
      // Light: brighter than the paper and than what lies on either side (a text block's
      // whitespace is paper, not brighter).
      double light = (prof[j] - paper) / light_threshold;
      if (light > 0) {
        window.assign(prof.begin() + static_cast<std::ptrdiff_t>(j) - light_reach,
                      prof.begin() + static_cast<std::ptrdiff_t>(j) - 1);
        const double left_med = median(window);
        window.assign(prof.begin() + static_cast<std::ptrdiff_t>(j) + 2,
                      prof.begin() + static_cast<std::ptrdiff_t>(j) + light_reach + 1);
        const double right_med = median(window);
        light = (prof[j] - std::max({paper, left_med, right_med})) / light_threshold;
      }
      const double score = std::max(dark, light);
      if (score > best.confidence) {
        best.confidence = score;
        // The extremum of the profile next to x (the score peaks at it, up to plateaus).
        const bool is_dark = dark >= light;
        const std::vector<double>& v = is_dark ? soft : prof;
        std::size_t e = j;
        for (std::size_t t = j - 2; t <= j + 2; ++t) {
          if (is_dark ? v[t] < v[e] : v[t] > v[e]) e = t;
        }
        best.x = static_cast<double>(s0 - reach) + refine(v, e) + 0.5;
      }
    }
  }
  return best;
}

/// The widest run of columns without ink in [s0, s1) that has ink on both sides within
/// [b0, b1); the fold in it (see the header comment). Confidence: width over kMinGapInch.
Fold find_gap(const cv::Mat& grey, int y0, int y1, int s0, int s1, int b0, int b1, double paper,
              double px_per_inch, double centre_x) {
  Fold fold;
  const int w = b1 - b0;
  std::vector<int> ink(static_cast<std::size_t>(w), 0);
  const auto limit = static_cast<std::uint8_t>(std::clamp(kInkShare * paper, 1.0, 255.0));
  for (int y = y0; y < y1; ++y) {
    const std::uint8_t* r = grey.ptr<std::uint8_t>(y) + b0;
    for (int x = 0; x < w; ++x) ink[static_cast<std::size_t>(x)] += r[x] < limit;
  }
  const int tolerance = std::max(1, (y1 - y0) / 500);  // dust
  const auto empty = [&](int x) { return ink[static_cast<std::size_t>(x - b0)] <= tolerance; };
  int best_start = -1, best_len = 0;
  for (int x = s0; x < s1;) {
    if (!empty(x)) {
      ++x;
      continue;
    }
    int a = x, b = x;
    while (a > b0 && empty(a - 1)) --a;
    while (b + 1 < b1 && empty(b + 1)) ++b;
    const bool bounded = a > b0 && b + 1 < b1;
    if (bounded && b - a + 1 > best_len) {
      best_len = b - a + 1;
      best_start = a;
    }
    x = b + 1;
  }
  if (best_start < 0) return fold;
  fold.confidence = best_len / (kMinGapInch * px_per_inch);
  const double a = best_start, b = best_start + best_len;  // continuous [a, b)
  const double keep = std::max(1.0, 0.1 * (b - a));
  fold.x = centre_x >= a + keep && centre_x <= b - keep ? centre_x : (a + b) / 2;
  return fold;
}

}  // namespace

SplitResult split_spread(const Image& image, const SplitParams& params) {
  if (!(params.min_aspect >= 0.5 && params.min_aspect <= 5)) {
    throw InputError("split: parameter \"min_aspect\" must be 0.5 … 5, not " +
                     std::to_string(params.min_aspect));
  }
  SplitResult result;
  if (image.empty() || image.width < params.min_aspect * image.height || image.width < 32) {
    result.pages.push_back(image);
    return result;
  }
  const ReducedGrey reduced = reduce_grey(image);
  const cv::Mat& grey = reduced.grey;
  const double f = reduced.factor;

  // The sheet, a little inside its edges; its middle 40 % is searched.
  const SheetDetection sheet = detect_sheet(grey, false);
  const int inset = 2;
  const int x0 = static_cast<int>(std::ceil(sheet.x0)) + (sheet.bed_left ? inset : 0);
  const int x1 = static_cast<int>(std::floor(sheet.x1)) - (sheet.bed_right ? inset : 0);
  const int y0 = static_cast<int>(std::ceil(sheet.y0)) + (sheet.bed_top ? inset : 0);
  const int y1 = static_cast<int>(std::floor(sheet.y1)) - (sheet.bed_bottom ? inset : 0);
  const double ppi = image.ppi_x > 0 ? image.ppi_x : 300;
  const double px_per_inch = ppi / f;
  Fold fold;
  if (x1 - x0 >= 32 && y1 - y0 >= 32) {
    const double centre_x = (x0 + x1) / 2.0;
    const double centre_y = (y0 + y1) / 2.0;
    const int s0 = static_cast<int>(std::lround(centre_x - kSearchShare * (x1 - x0)));
    const int s1 = static_cast<int>(std::lround(centre_x + kSearchShare * (x1 - x0)));
    const double paper = [&] {
      std::vector<int> hist(256, 0);
      for (int y = y0; y < y1; y += 2) {
        const std::uint8_t* r = grey.ptr<std::uint8_t>(y);
        for (int x = s0; x < s1; ++x) ++hist[r[x]];
      }
      const int total = std::accumulate(hist.begin(), hist.end(), 0);
      int seen = 0;
      for (int v = 0; v < 256; ++v) {
        seen += hist[static_cast<std::size_t>(v)];
        if (seen >= 0.9 * total) return static_cast<double>(v);
      }
      return 255.0;
    }();

    // Band profiles wide enough for the slant and both neighbourhoods.
    const int slant =
        static_cast<int>(std::ceil((y1 - y0) / 2.0 * std::tan(kMaxSlantDeg * kPi / 180))) + 1;
    const int reach = static_cast<int>(std::lround(kDarkReachInch * px_per_inch)) + 2;
    const int bx0 = std::max(0, s0 - slant - reach);
    const int bx1 = std::min(grey.cols, s1 + slant + reach);
    std::vector<std::vector<double>> bands;
    std::vector<double> band_y;
    const int bands_n = std::min(kBands, (y1 - y0) / 2);
    for (int b = 0; b < bands_n; ++b) {
      const int ya = y0 + (y1 - y0) * b / bands_n;
      const int yb = y0 + (y1 - y0) * (b + 1) / bands_n;
      bands.push_back(band_profile(grey, bx0, bx1, ya, yb));
      band_y.push_back((ya + yb) / 2.0);
    }
    const int ls0 = std::max(s0, bx0 + slant + reach);
    const int ls1 = std::min(s1, bx1 - slant - reach);
    if (ls1 > ls0) fold = find_line(bands, band_y, centre_y, bx0, ls0, ls1, paper, px_per_inch);
    if (fold.confidence < 1) {
      const int b0 =
          std::max(x0, static_cast<int>(std::lround(centre_x - 1.5 * kSearchShare * (x1 - x0))));
      const int b1 =
          std::min(x1, static_cast<int>(std::lround(centre_x + 1.5 * kSearchShare * (x1 - x0))));
      const Fold gap = find_gap(grey, y0, y1, s0, s1, b0, b1, paper, px_per_inch, centre_x);
      if (gap.confidence >= 1 || gap.confidence > fold.confidence) fold = gap;
    }
  }
  result.confidence = fold.confidence;
  const int fold_x = static_cast<int>(std::lround(fold.x * f));
  if (fold.confidence < 1 || fold_x < 1 || fold_x >= image.width) {
    result.pages.push_back(image);
    return result;
  }
  result.split = true;
  result.fold_x = fold_x;
  result.pages.push_back(crop_image(image, {0, 0, fold_x, image.height}));
  result.pages.push_back(crop_image(image, {fold_x, 0, image.width - fold_x, image.height}));
  return result;
}

}  // namespace findbuch

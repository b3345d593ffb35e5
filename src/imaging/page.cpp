// Finds the sheet on the scanner bed and crops to it (DOMAIN.md §4: the page box).
//
// Everything is measured on a grey copy reduced to about 75 ppi (reduce_grey); only the crop
// touches the full image. Each side of the image is examined on its own, because a sheet often
// lies in a corner of the bed and shows bed on two sides only:
//  1. Scan lines run from the border inwards (every other row for left and right, every other
//     column for top and bottom), each averaged with its neighbours along the edge against
//     noise. The first pixels of a line are taken as bed; a running mean follows the bed's slow
//     unevenness, and the sheet begins where the line leaves that mean by a threshold for two
//     pixels running.
//  2. A dark bed (darker than 60 % of the paper) is told from the sheet by an absolute
//     threshold, 40 % of the contrast; light specks or a lighter strip on it are stepped over. A
//     white or grey lid differs from the paper by a few percent only; there the threshold and
//     the checks are ratios to the bed, which lighting gradients scale alike, and the edge is
//     placed after the dark line of the sheet's shadow on the lid.
//  3. A crossing counts only if the step is sharp (a lighting gradient is not an edge), the bed
//     before it is smooth (few and small steps between neighbours: a photograph or illustration
//     printed to the edge has edges of its own) and the sheet behind it looks like paper (not the
//     first letters of a text block on a page without bed). A dark bed must also run along
//     85 % of the border: a dark picture touching the edge of a page covers only part of it.
//  4. A straight line is fitted through the crossings by consensus (pairs of crossings propose
//     lines, the line most crossings agree with wins, least squares on those), so a dark picture
//     touching part of an edge, dust or a torn corner only makes outliers. The sheet's edges
//     therefore come out with subpixel precision even at 75 ppi, and a rotated sheet's box is the
//     bounding box of the four lines' corners.
//  5. A side whose border strip is not bed, or where too few crossings agree, lies on the image
//     border. When no side shows bed, found is false, the box is the whole image and the image
//     comes back unchanged: "nothing to crop".
// For photographs (print_only) the same search runs again inside the sheet, with the mount (a
// plain, smooth border around the print) as the bed and any contrast to the print accepted.
// Limits: a dark picture with little texture (a night sky) printed along a whole edge of a page
// without bed looks like bed and is cropped; a textured bed (cloth) is taken for content and
// kept (no crop on that side).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "core/error.hpp"
#include "imaging/crop.hpp"
#include "imaging/page_detect.hpp"
#include "imaging/reduce.hpp"
#include "imaging/stages.hpp"

namespace findbuch {
namespace {

constexpr int kAlong = 7;              // scan lines averaged along an edge
constexpr int kLineStep = 2;           // every other line: neighbours share most of their pixels
constexpr double kMaxSlope = 0.27;     // tan 15°: an edge steeper than that is no sheet side
constexpr double kFitTolerance = 1.0;  // reduced pixels between a crossing and its line
constexpr double kMaxBedNoise = 4.0;   // grey levels; rougher border strips are content
constexpr double kDarkBedRatio = 0.6;  // a bed darker than this share of the paper is "dark"
constexpr double kMinRelContrast = 0.012;  // sheet and light bed must differ by 1.2 %

enum class Mode { sheet, print };

struct Side {
  bool bed = false;
  double a = 0, b = 0;  ///< depth from the border = a · t + b, t along the border
  double contrast = 0;  ///< sheet level minus bed level (positive: bed darker)
};

double median_of(std::vector<double> v) {
  if (v.empty()) return 0;
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

/// Grey level below which `q` of the pixels of `m` (CV_8U) lie.
double quantile_u8(const cv::Mat& m, double q) {
  std::vector<int> hist(256, 0);
  for (int y = 0; y < m.rows; ++y) {
    const std::uint8_t* r = m.ptr<std::uint8_t>(y);
    for (int x = 0; x < m.cols; ++x) ++hist[r[x]];
  }
  const double target = q * static_cast<double>(m.total());
  double seen = 0;
  for (int v = 0; v < 256; ++v) {
    seen += hist[static_cast<std::size_t>(v)];
    if (seen >= target) return v;
  }
  return 255;
}

double median5(double a, double b, double c, double d, double e) {
  std::array<double, 5> v = {a, b, c, d, e};
  std::nth_element(v.begin(), v.begin() + 2, v.end());
  return v[2];
}

struct Crossing {
  double t;      ///< position along the border (continuous)
  double depth;  ///< distance of the edge from the border (continuous)
  double ratio;  ///< sheet level just inside the edge / bed level (light beds)
};

/// Least-squares line depth = a·t + b through the points within `tol` of (a, b); `count` is how
/// many those were.
bool refit(const std::vector<Crossing>& pts, double& a, double& b, double tol, int& count) {
  double sum_t = 0, sum_d = 0, sum_tt = 0, sum_td = 0, n = 0;
  for (const Crossing& p : pts) {
    if (std::abs(p.depth - (a * p.t + b)) > tol) continue;
    sum_t += p.t;
    sum_d += p.depth;
    sum_tt += p.t * p.t;
    sum_td += p.t * p.depth;
    n += 1;
  }
  count = static_cast<int>(n);
  const double den = n * sum_tt - sum_t * sum_t;
  if (n < 2 || std::abs(den) < 1e-9) return false;
  a = (n * sum_td - sum_t * sum_d) / den;
  b = (sum_d - a * sum_t) / n;
  return true;
}

/// Consensus line through the crossings; false when fewer than `min_inliers` agree.
bool fit_line(const std::vector<Crossing>& pts, int span, int min_inliers, double& a, double& b) {
  const int n = static_cast<int>(pts.size());
  if (n < min_inliers || n < 2) return false;
  int best = 0;
  std::uint32_t state = 0x9e3779b9U;  // fixed seed: the same image always gives the same box
  const auto next = [&state](int bound) {
    state = state * 1664525U + 1013904223U;
    return static_cast<int>((state >> 8) % static_cast<std::uint32_t>(bound));
  };
  const int tries = std::min(200, n * n);
  for (int k = 0; k < tries; ++k) {
    const Crossing& p = pts[static_cast<std::size_t>(next(n))];
    const Crossing& q = pts[static_cast<std::size_t>(next(n))];
    if (std::abs(q.t - p.t) < span / 8.0) continue;  // close pairs give wild slopes
    const double ca = (q.depth - p.depth) / (q.t - p.t);
    if (std::abs(ca) > kMaxSlope) continue;
    const double cb = p.depth - ca * p.t;
    int count = 0;
    for (const Crossing& c : pts) count += std::abs(c.depth - (ca * c.t + cb)) <= kFitTolerance;
    if (count > best) {
      best = count;
      a = ca;
      b = cb;
      if (best >= n - n / 10) break;  // a clean edge: no better line to find
    }
  }
  if (best < min_inliers) return false;
  int count = 0;
  for (int round = 0; round < 3; ++round) {
    if (!refit(pts, a, b, kFitTolerance, count)) return false;
  }
  return count >= min_inliers && std::abs(a) <= kMaxSlope;
}

/// The scan lines of one side: line i starts at base + i·stride and runs inwards by `step`.
struct Lines {
  const std::uint8_t* base = nullptr;
  std::ptrdiff_t stride = 0;
  std::ptrdiff_t step = 1;
  int n = 0;  ///< number of lines
  int m = 0;  ///< length of a line
};

/// Examines one side.
Side scan_side(const Lines& lines, double paper, Mode mode) {
  Side side;
  const int n = lines.n;
  const int m = lines.m;
  if (n < 16 || m < 12) return side;
  const std::ptrdiff_t step = lines.step;

  std::vector<double> start(static_cast<std::size_t>(n));
  std::vector<double> levels;
  std::vector<double> diffs;
  for (int i = 0; i < n; ++i) {
    const std::uint8_t* r = lines.base + i * lines.stride;
    start[static_cast<std::size_t>(i)] = (r[0] + r[step]) / 2.0;
    if (i >= n / 10 && i < n - n / 10) {
      levels.push_back(start[static_cast<std::size_t>(i)]);
      diffs.push_back(std::abs(r[step] - r[0]));
    }
  }
  const double bed_level = median_of(levels);
  const double noise = std::max(0.5, 1.4826 * median_of(diffs) / std::sqrt(2.0));
  if (noise > kMaxBedNoise) return side;  // textured: a picture, not a bed
  const bool dark = bed_level < kDarkBedRatio * paper;
  if (dark) {
    // A dark bed runs along the whole border; a dark picture printed to the edge of a page
    // without bed covers only part of it.
    int bed_like = 0;
    for (const double v : start) bed_like += v - bed_level < 0.4 * (paper - bed_level);
    if (bed_like < n * 0.85) return side;
  }
  const double dark_step = 0.4 * (paper - bed_level);
  const double min_rel = std::max(kMinRelContrast, 3.5 * noise / std::max(bed_level, 1.0));
  // Deviation from the bed that counts: grey levels on a dark bed, a share of it on a light one.
  const double threshold = dark ? dark_step : min_rel;
  const auto beyond = [&](double v, double bed, double share) {
    return dark ? v - bed >= share * threshold : std::abs(v - bed) >= share * threshold * bed;
  };

  // The inner loop in fixed point (levels × 16): it runs over most of the image on a page
  // without bed, where nothing stops the search early.
  const int dark_step16 = static_cast<int>(std::lround(16 * dark_step));
  const int rel12 = static_cast<int>(std::lround(4096 * min_rel));
  const auto beyond16 = [&](int v16, int bed16) {
    return dark ? v16 - bed16 >= dark_step16 : std::abs(v16 - bed16) * 4096 >= rel12 * bed16;
  };
  const double large_step = std::max(6.0, 5 * noise);
  // Deep enough for a sheet in a far corner of the bed, not across the whole page.
  const int depth_limit = std::max(12, m * 3 / 5);

  std::vector<Crossing> found;
  found.reserve(static_cast<std::size_t>(n));
  int scanned = 0;
  for (int i = 0; i < n; i += kLineStep) {
    ++scanned;
    const std::uint8_t* line = lines.base + i * lines.stride;
    const auto r = [line, step](int p) { return static_cast<double>(line[p * step]); };
    int ref16 = static_cast<int>(std::lround(16 * start[static_cast<std::size_t>(i)]));
    // The running mean three pixels back: the pixels before the crossing may already be edge.
    std::array<int, 3> history = {ref16, ref16, ref16};
    // A dark bed may show light specks or a lid's edge before the sheet: such a crossing fails
    // the checks below and the search goes on, a few times.
    int hit = -1;
    int p = 1;
    // Texture of the bed so far (fragments skipped): mean step between neighbours, and how many
    // steps are large. A bed is smooth; a picture has edges everywhere.
    int stretch = 1;
    double rough = 0;
    int steps = 0;
    int large = 0;
    for (int attempts = dark ? 3 : 1; attempts > 0 && p + 1 < depth_limit; --attempts) {
      hit = -1;
      for (; p + 1 < depth_limit; ++p) {
        const int v16 = line[p * step] * 16;
        if (beyond16(v16, ref16) && beyond16(line[(p + 1) * step] * 16, ref16)) {
          hit = p;
          break;
        }
        ref16 += (v16 - ref16) / 4;  // follows slow unevenness, lags behind steps
        history = {history[1], history[2], ref16};
      }
      if (hit < 0 || hit + 6 >= m) {
        hit = -1;
        break;
      }
      const double bed = history[0] / 16.0;
      const bool sharp = hit < 3 || !beyond(r(hit - 3), bed, 0.5);
      for (int q = stretch + 1; q < hit - 1; ++q) {  // the last two may belong to the edge
        const double d = std::abs(r(q) - r(q - 1));
        rough += d;
        large += d > large_step;
        ++steps;
      }
      const bool smooth =
          steps < 3 || (rough / steps <= std::max(1.5, 2 * noise) && large <= 1 + steps / 40);
      if (!smooth) {
        hit = -1;
        break;
      }
      const double level = median5(r(hit + 1), r(hit + 2), r(hit + 3), r(hit + 4), r(hit + 5));
      if (sharp && (!dark || level - bed >= dark_step)) break;
      // Skip the light fragment, keeping the bed level from before it.
      while (p + 1 < depth_limit && beyond(r(p), bed, 0.5)) ++p;
      stretch = p;
      ref16 = history[0];
      history = {ref16, ref16, ref16};
      hit = -1;
    }
    if (hit < 0) continue;
    const double bed = history[0] / 16.0;
    // The sheet just inside (skipping a shadow line at the edge).
    const double level = median5(r(hit + 1), r(hit + 2), r(hit + 3), r(hit + 4), r(hit + 5));
    const double ratio = level / std::max(bed, 1.0);
    if (!dark && std::abs(ratio - 1) < min_rel) continue;
    if (!dark && mode == Mode::sheet) {
      // Against a light bed the contrast is small, so make sure this is plain paper: a margin
      // is as bright a bit further in, the first letters of a text block are not.
      double brightest = 0;
      for (int q = hit + 1; q < std::min(m, hit + 17); ++q) brightest = std::max(brightest, r(q));
      if (brightest - level > std::max(3 * noise + 2, 0.5 * std::abs(level - bed))) continue;
    }
    // Subpixel: where the line crosses halfway from the bed to the sheet.
    double half = dark ? bed + (level - bed) / 2 : bed * (1 + (ratio - 1) / 2);
    int from = std::max(1, hit - 3);
    if (!dark) {
      // A white lid shows the sheet's shadow as a dark line on the bed just outside the edge:
      // the paper begins where the line rises from that dip to the paper.
      int low = hit;
      for (int q = hit + 1; q <= hit + 3; ++q) {
        if (r(q) < r(low)) low = q;
      }
      const double dip = level - r(low);
      if (dip > std::max(3 * noise, 0.5 * std::abs(level - bed))) {
        from = low + 1;
        half = r(low) + dip / 2;
      }
    }
    double depth = hit + 0.5;
    for (int q = from; q <= hit + 4; ++q) {
      const double v0 = r(q - 1) - half;
      const double v1 = r(q) - half;
      if ((v0 < 0) != (v1 < 0) || v1 == 0) {
        depth = (q - 1) + (v0 == v1 ? 1.0 : v0 / (v0 - v1)) + 0.5;
        break;
      }
    }
    found.push_back({i + 0.5, depth, ratio});
  }
  if (found.empty()) return side;

  // Light bed: the paper differs from the bed by the same ratio all along the edge; the first
  // letters of a text block (no bed, margins taken for bed) are far darker than that.
  double contrast_ratio = 1;
  if (!dark) {
    std::vector<double> ratios;
    for (const Crossing& c : found) ratios.push_back(c.ratio);
    contrast_ratio = median_of(ratios);
    if (mode == Mode::sheet) {
      if (contrast_ratio < 0.75 || contrast_ratio > 2.0) return side;
      const double tol = std::max(0.5 * std::abs(contrast_ratio - 1), 2 * min_rel);
      std::erase_if(found,
                    [&](const Crossing& c) { return std::abs(c.ratio - contrast_ratio) > tol; });
    }
  }
  const int min_inliers = std::max(8, scanned / 5);
  if (!fit_line(found, n, min_inliers, side.a, side.b)) return side;
  // A line that lies on the border is no bed either.
  if (side.a * n / 2 + side.b < 1.0) return side;
  side.bed = true;
  side.contrast = dark ? paper - bed_level : bed_level * (contrast_ratio - 1);
  return side;
}

/// The sheet within `grey` (which may be a region of a larger image); coordinates relative to it.
SheetDetection detect_in(const cv::Mat& grey, Mode mode) {
  SheetDetection det;
  const int w = grey.cols;
  const int h = grey.rows;
  det.x1 = w;
  det.y1 = h;
  if (w < 16 || h < 16) return det;

  const cv::Mat centre = grey(cv::Rect(w / 4, h / 4, std::max(1, w / 2), std::max(1, h / 2)));
  // Paper: the bright end of the centre (text is a minority). A print: its median.
  const double paper = quantile_u8(centre, mode == Mode::sheet ? 0.9 : 0.5);
  // Scan lines averaged along the edge against noise: rows of a vertically blurred copy for the
  // left and right sides, rows of a transposed horizontally blurred copy for top and bottom.
  cv::Mat vertical;
  cv::Mat horizontal;
  cv::Mat across;
  cv::blur(grey, vertical, cv::Size(1, kAlong), cv::Point(-1, -1), cv::BORDER_REPLICATE);
  cv::blur(grey, horizontal, cv::Size(kAlong, 1), cv::Point(-1, -1), cv::BORDER_REPLICATE);
  cv::transpose(horizontal, across);
  const auto stride = [](const cv::Mat& mat) { return static_cast<std::ptrdiff_t>(mat.step[0]); };
  const Lines lines_left{vertical.ptr<std::uint8_t>(0), stride(vertical), 1, h, w};
  const Lines lines_right{vertical.ptr<std::uint8_t>(0) + (w - 1), stride(vertical), -1, h, w};
  const Lines lines_top{across.ptr<std::uint8_t>(0), stride(across), 1, w, h};
  const Lines lines_bottom{across.ptr<std::uint8_t>(0) + (h - 1), stride(across), -1, w, h};
  const Side left = scan_side(lines_left, paper, mode);
  const Side right = scan_side(lines_right, paper, mode);
  const Side top = scan_side(lines_top, paper, mode);
  const Side bottom = scan_side(lines_bottom, paper, mode);

  // Edges as lines in image coordinates: x = al·y + bl, x = w − (ar·y + br), y = at·x + bt,
  // y = h − (ab·x + bb); a side without bed is the border itself.
  const double al = left.bed ? left.a : 0, bl = left.bed ? left.b : 0;
  const double ar = right.bed ? -right.a : 0, br = right.bed ? w - right.b : w;
  const double at = top.bed ? top.a : 0, bt = top.bed ? top.b : 0;
  const double ab = bottom.bed ? -bottom.a : 0, bb = bottom.bed ? h - bottom.b : h;
  // Corner of x = a1·y + b1 and y = a2·x + b2.
  const auto corner = [](double a1, double b1, double a2, double b2) {
    const double x = (a1 * b2 + b1) / (1 - a1 * a2);
    return cv::Point2d(x, a2 * x + b2);
  };
  const cv::Point2d tl = corner(al, bl, at, bt);
  const cv::Point2d bl_ = corner(al, bl, ab, bb);
  const cv::Point2d tr = corner(ar, br, at, bt);
  const cv::Point2d br_ = corner(ar, br, ab, bb);
  det.x0 = std::clamp(std::min(tl.x, bl_.x), 0.0, static_cast<double>(w));
  det.x1 = std::clamp(std::max(tr.x, br_.x), 0.0, static_cast<double>(w));
  det.y0 = std::clamp(std::min(tl.y, tr.y), 0.0, static_cast<double>(h));
  det.y1 = std::clamp(std::max(bl_.y, br_.y), 0.0, static_cast<double>(h));
  det.bed_left = left.bed;
  det.bed_right = right.bed;
  det.bed_top = top.bed;
  det.bed_bottom = bottom.bed;
  // A sheet is more than a sliver: otherwise the lines were content, not edges.
  if (det.x1 - det.x0 < 0.1 * w || det.y1 - det.y0 < 0.1 * h) {
    SheetDetection none;
    none.x1 = w;
    none.y1 = h;
    return none;
  }
  double dark_votes = 0;
  for (const Side* s : {&left, &right, &top, &bottom}) {
    if (s->bed) dark_votes += s->contrast > 0 ? 1 : -1;
  }
  det.found = left.bed || right.bed || top.bed || bottom.bed;
  det.dark_bed = dark_votes > 0;
  return det;
}

}  // namespace

SheetDetection detect_sheet(const cv::Mat& grey, bool print_only) {
  SheetDetection sheet = detect_in(grey, Mode::sheet);
  if (!print_only) return sheet;
  // The print lies on a mount: search inside the sheet, a little away from its edges and their
  // shadows, for a plain border around something else.
  const int x0 = static_cast<int>(std::ceil(sheet.x0)) + (sheet.bed_left ? 2 : 0);
  const int y0 = static_cast<int>(std::ceil(sheet.y0)) + (sheet.bed_top ? 2 : 0);
  const int x1 = static_cast<int>(std::floor(sheet.x1)) - (sheet.bed_right ? 2 : 0);
  const int y1 = static_cast<int>(std::floor(sheet.y1)) - (sheet.bed_bottom ? 2 : 0);
  if (x1 - x0 < 16 || y1 - y0 < 16) return sheet;
  const SheetDetection print = detect_in(grey(cv::Rect(x0, y0, x1 - x0, y1 - y0)), Mode::print);
  if (!print.found) return sheet;
  // Sides where the print shows no mount keep the sheet's edge.
  SheetDetection out = sheet;
  out.found = true;
  if (print.bed_left) out.x0 = print.x0 + x0, out.bed_left = true;
  if (print.bed_right) out.x1 = print.x1 + x0, out.bed_right = true;
  if (print.bed_top) out.y0 = print.y0 + y0, out.bed_top = true;
  if (print.bed_bottom) out.y1 = print.y1 + y0, out.bed_bottom = true;
  if (!sheet.found) out.dark_bed = print.dark_bed;
  return out;
}

PageResult find_page(const Image& image, const PageParams& params) {
  if (params.margin_px < 0 || params.margin_px > 1000) {
    throw InputError("page: parameter \"margin_px\" must be 0 … 1000, not " +
                     std::to_string(params.margin_px));
  }
  PageResult result;
  result.box = {0, 0, image.width, image.height};
  if (image.empty()) {
    result.image = image;
    return result;
  }
  const ReducedGrey reduced = reduce_grey(image);
  const SheetDetection det = detect_sheet(reduced.grey, params.print_only);
  if (!det.found) {
    result.image = image;  // nothing distinguishable from a bed: nothing to crop
    return result;
  }
  // Back to full resolution; a side without bed keeps the full image (the reduced copy may have
  // dropped the last odd row or column).
  const double f = reduced.factor;
  const auto scaled = [f](double v) { return static_cast<int>(std::lround(v * f)); };
  const int x0 = det.bed_left ? std::clamp(scaled(det.x0), 0, image.width - 1) : 0;
  const int y0 = det.bed_top ? std::clamp(scaled(det.y0), 0, image.height - 1) : 0;
  const int x1 = det.bed_right ? std::clamp(scaled(det.x1), x0 + 1, image.width) : image.width;
  const int y1 = det.bed_bottom ? std::clamp(scaled(det.y1), y0 + 1, image.height) : image.height;
  result.found = true;
  result.dark_bed = det.dark_bed;
  result.box = {x0, y0, x1 - x0, y1 - y0};
  const int m = params.margin_px;
  const int cx0 = std::max(0, x0 - m);
  const int cy0 = std::max(0, y0 - m);
  const int cx1 = std::min(image.width, x1 + m);
  const int cy1 = std::min(image.height, y1 + m);
  result.image = crop_image(image, {cx0, cy0, cx1 - cx0, cy1 - cy0});
  return result;
}

}  // namespace findbuch

// Skew by projection profiles (the method of Leptonica's pixFindSkew, re-implemented from its
// description): the ink pixels of a reduced copy are projected onto the y axis of a frame turned by
// a candidate angle; when the angle matches the skew, every text line falls into a few rows and
// the gaps between lines stay empty, so the profile alternates sharply. The score is the sum of
// squared differences of neighbouring rows. A coarse sweep over ±max (0.5° steps, on a quarter of
// the points at half the coordinates: about 75 ppi for A4 at 300 ppi) finds the peak; a bisection
// on all points (about 150 ppi) refines it to 0.01°, and a parabola through the last three scores
// places it between them. Confidence: the score at the result over the lowest score of the sweep.
//
// Details that matter for accuracy and speed:
//  - Ink is "clearly darker than the paper around it" (a local paper level from a grey-level
//    dilation), so uneven illumination, grey paper and colour scans all look alike; pixels weigh
//    by darkness, so partly covered edge pixels keep sub-pixel positions.
//  - A dark bed around the sheet and black scanner borders (dark regions touching the image edge)
//    are masked out with a margin, and shapes longer than a quarter of the image (rules, page
//    edges, frames of colour targets) are left out: their straight edges would outweigh the text.
//  - Each ink pixel is split between the two profile rows its projected position falls between
//    (linear weights), which makes the score a continuous function of the angle, so the bisection
//    can resolve hundredths of a degree.
#include "imaging/skew_measure.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "imaging/reduce.hpp"

namespace findbuch {
namespace {

constexpr double kPi = 3.14159265358979323846;
// Fine copy: longest side at most this: 150 ppi for A4 and for spreads of A4 at 300 ppi.
constexpr int kFineSide = 2600;
constexpr double kSweepStep = 0.5;  // degrees; the score's peak stands out over about ±1°
constexpr double kFinest = 0.01;    // bisection stops below this step (degrees)
constexpr int kInkContrast = 24;    // ink: at least this many grey levels darker than the paper …
constexpr float kInkFraction = 0.1F;  // … and this fraction of the paper level
constexpr double kBedRatio = 0.4;     // bed and borders: darker than this fraction of the paper
constexpr int kMinInk = 400;          // fewer ink pixels (fine copy) are no measurement
constexpr float kFullInk = 0.8F;      // ink weighs 1 from this fraction of the paper level darker

/// Ink pixel positions relative to the image centre, listed strip by strip (vertical strips of
/// the image, left to right), each strip row by row.
struct InkPoints {
  std::vector<float> x;
  std::vector<float> y;
  std::vector<float> weight;
  std::vector<std::size_t> strip_end;  ///< one past each strip's last point
  float radius = 0;  ///< largest distance from the centre: bounds every projection
};

/// Halves a grey image by area averaging (an even crop first, so OpenCV takes its fast path).
cv::Mat halve(const cv::Mat& grey) {
  cv::Mat half;
  const cv::Mat even = grey(cv::Rect(0, 0, grey.cols & ~1, grey.rows & ~1));
  cv::resize(even, half, cv::Size(even.cols / 2, even.rows / 2), 0, 0, cv::INTER_AREA);
  return half;
}

/// The grey level below which 95 % of the pixels lie: the paper, unless the sheet covers less
/// than a twentieth of the image.
int paper_level(const cv::Mat& grey) {
  std::array<int, 256> histogram{};
  for (int y = 0; y < grey.rows; ++y) {
    const std::uint8_t* row = grey.ptr<std::uint8_t>(y);
    for (int x = 0; x < grey.cols; ++x) ++histogram[row[x]];
  }
  const long long target = static_cast<long long>(grey.total()) * 95 / 100;
  long long seen = 0;
  for (int level = 0; level < 256; ++level) {
    seen += histogram[static_cast<std::size_t>(level)];
    if (seen > target) return level;
  }
  return 255;
}

/// 255 inside the sheet, at a margin from any dark region that touches the image edge (a dark
/// bed, black scanner borders), else 0.
cv::Mat sheet_interior(const cv::Mat& grey, int paper) {
  cv::Mat dark;
  cv::threshold(grey, dark, kBedRatio * paper, 255, cv::THRESH_BINARY_INV);
  // Flood the dark regions that touch the edge with 128; text inside the sheet stays 255.
  const auto flood = [&](int x, int y) {
    if (dark.at<std::uint8_t>(y, x) == 255)
      cv::floodFill(dark, cv::Point(x, y), cv::Scalar(128), nullptr, cv::Scalar(), cv::Scalar(), 8);
  };
  for (int x = 0; x < dark.cols; ++x) {
    flood(x, 0);
    flood(x, dark.rows - 1);
  }
  for (int y = 0; y < dark.rows; ++y) {
    flood(0, y);
    flood(dark.cols - 1, y);
  }
  cv::Mat outside = dark == 128;
  // The margin keeps out the sheet's edge (shadow, antialiased border) and ink touching it.
  const int margin = std::max(2, std::min(grey.cols, grey.rows) / 70);
  cv::dilate(outside, outside,
             cv::getStructuringElement(cv::MORPH_RECT, cv::Size(2 * margin + 1, 2 * margin + 1)));
  cv::Mat inside;
  cv::bitwise_not(outside, inside);
  return inside;
}

/// The paper's grey level around every pixel: a grey-level dilation wider than letters (so ink
/// disappears), smoothed.
cv::Mat local_paper(const cv::Mat& grey) {
  const int size = std::max(5, std::max(grey.cols, grey.rows) / 60) | 1;
  const cv::Mat box = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(size, size));
  cv::Mat paper;
  cv::dilate(grey, paper, box);
  cv::blur(paper, paper, cv::Size(size, size));
  return paper;
}

/// Ink: clearly darker than the paper around it (kInkContrast levels, and a tenth of the paper
/// level). Its weight grows in proportion to the darkness beyond that, up to 1 for full ink, so an
/// edge pixel partly covered by a stroke counts in part: with a hard threshold, a line turned by a
/// few hundredths of a degree would become a staircase of level runs and pull the measurement
/// towards 0°.
struct InkScale {
  std::array<int, 256> threshold{};  ///< darkness from which a pixel is ink, per paper level
  std::array<float, 256> slope{};    ///< weight per level of darkness beyond the threshold
  InkScale() {
    for (int paper = 0; paper < 256; ++paper) {
      const auto p = static_cast<std::size_t>(paper);
      threshold[p] = std::max(kInkContrast, static_cast<int>(std::ceil(kInkFraction * paper)));
      slope[p] = 1.0F / std::max(1.0F, kFullInk * static_cast<float>(paper) -
                                           static_cast<float>(threshold[p]));
    }
  }
  /// 0 for paper, else 0.02 … 1.
  float weight(int level, int paper) const {
    const int beyond = paper - level - threshold[static_cast<std::size_t>(paper)];
    if (beyond < 0) return 0;
    return std::min(1.0F,
                    static_cast<float>(beyond) * slope[static_cast<std::size_t>(paper)] + 0.02F);
  }
};

/// Collects ink pixel positions relative to the centre of a w × h image. Each y gets a sub-pixel
/// offset from a low-discrepancy sequence: pixel rows sit on a grid, so near 0° all pixels of a
/// row would fall at the same fraction between two profile rows, and the score would jump there
/// (up or down by up to a tenth of a degree's worth); with the offsets, 0° is like any angle.
class InkCollector {
 public:
  InkCollector(int width, int height, int strips, std::size_t expected)
      : width_(width),
        cx_(static_cast<float>(width - 1) / 2),
        cy_(static_cast<float>(height - 1) / 2),
        strips_(static_cast<std::size_t>(strips)) {
    radius_ = std::hypot(cx_, cy_) + 1;
    for (auto& strip : strips_) {
      strip.x.reserve(expected / strips_.size());
      strip.y.reserve(expected / strips_.size());
      strip.weight.reserve(expected / strips_.size());
    }
  }
  void add(int x, int y, float weight) {
    jitter_ += 0.618034F;  // golden ratio: evenly spread fractions
    if (jitter_ >= 1) jitter_ -= 1;
    Strip& strip =
        strips_[static_cast<std::size_t>(x) * strips_.size() / static_cast<std::size_t>(width_)];
    strip.x.push_back(static_cast<float>(x) - cx_);
    strip.y.push_back(static_cast<float>(y) - cy_ + jitter_ - 0.5F);
    strip.weight.push_back(weight);
  }
  InkPoints take() {
    InkPoints points;
    points.radius = radius_;
    if (strips_.size() == 1) {  // no copy
      points.x = std::move(strips_[0].x);
      points.y = std::move(strips_[0].y);
      points.weight = std::move(strips_[0].weight);
      points.strip_end.push_back(points.x.size());
      return points;
    }
    for (const Strip& strip : strips_) {
      points.x.insert(points.x.end(), strip.x.begin(), strip.x.end());
      points.y.insert(points.y.end(), strip.y.begin(), strip.y.end());
      points.weight.insert(points.weight.end(), strip.weight.begin(), strip.weight.end());
      points.strip_end.push_back(points.x.size());
    }
    return points;
  }

 private:
  struct Strip {
    std::vector<float> x, y, weight;
  };
  int width_;
  float cx_, cy_;
  float radius_ = 0;
  float jitter_ = 0;
  std::vector<Strip> strips_;
};

/// A horizontal run of ink pixels: row y, columns first … last; their weights from `weights`.
struct Run {
  int y, first, last;
  std::size_t weights;
};
struct Ink {
  std::vector<Run> runs;
  std::vector<float> weights;  ///< per pixel, run after run
};

/// The ink of the fine copy (twice the coarse size) inside the sheet, as runs in row order. Only
/// the 2×2 blocks under coarse pixels at least half as dark as the ink threshold are looked at:
/// most of a page is paper, and the faint pixels alone in a block of paper that this misses weigh
/// next to nothing.
Ink fine_ink(const cv::Mat& fine, const cv::Mat& coarse, const cv::Mat& paper,
             const cv::Mat& inside) {
  static const InkScale scale;
  Ink ink;
  std::vector<Run>& runs = ink.runs;
  std::vector<int> candidates;
  for (int y = 0; y < coarse.rows; ++y) {
    const std::uint8_t* g = coarse.ptr<std::uint8_t>(y);
    const std::uint8_t* p = paper.ptr<std::uint8_t>(y);
    const std::uint8_t* in = inside.ptr<std::uint8_t>(y);
    candidates.clear();
    for (int x = 0; x < coarse.cols; ++x) {
      if (in[x] && 2 * (p[x] - g[x]) >= scale.threshold[p[x]]) candidates.push_back(x);
    }
    for (int fy = 2 * y; fy < 2 * y + 2; ++fy) {
      const std::uint8_t* f = fine.ptr<std::uint8_t>(fy);
      for (const int x : candidates) {
        for (int fx = 2 * x; fx < 2 * x + 2; ++fx) {
          const float weight = scale.weight(f[fx], p[x]);
          if (weight == 0) continue;
          if (!runs.empty() && runs.back().y == fy && runs.back().last == fx - 1) {
            runs.back().last = fx;
          } else {
            runs.push_back({fy, fx, fx, ink.weights.size()});
          }
          ink.weights.push_back(weight);
        }
      }
    }
  }
  return ink;
}

/// Union–find over runs, for connected shapes (8-connected).
class Shapes {
 public:
  explicit Shapes(const std::vector<Run>& runs) : parent_(runs.size()) {
    for (std::size_t i = 0; i < parent_.size(); ++i) parent_[i] = i;
    // Join each run to the runs of the row above that touch it (diagonals included). Both rows
    // are sorted by x, so the first candidate above only ever moves right.
    std::size_t above = 0;  // first run of the row above the current row
    std::size_t row = 0;    // first run of the current row
    std::size_t scan = 0;   // first run above that may still touch the current run
    for (std::size_t i = 0; i < runs.size(); ++i) {
      if (runs[i].y != runs[row].y) {
        above = runs[row].y == runs[i].y - 1 ? row : i;
        row = i;
        scan = above;
      }
      while (scan < row && runs[scan].last + 1 < runs[i].first) ++scan;
      for (std::size_t j = scan; j < row && runs[j].first <= runs[i].last + 1; ++j) join(i, j);
    }
  }
  std::size_t root(std::size_t i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }

 private:
  void join(std::size_t a, std::size_t b) {
    a = root(a);
    b = root(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }
  std::vector<std::size_t> parent_;
};

/// The ink pixels that belong to letter-sized shapes: connected shapes longer than `longest` in
/// either direction (rules, page edges, frames of colour targets, the outline of a picture) are
/// left out, since one long straight line outweighs a dozen lines of text in the projection score
/// and need not be parallel to them. When such shapes hold most of the ink (the letters touch one
/// another, or a page is all table), nothing is left out.
InkPoints text_points(const Ink& ink, int width, int height, int longest, int strips) {
  const std::vector<Run>& runs = ink.runs;
  Shapes shapes(runs);
  struct Extent {
    int x0 = std::numeric_limits<int>::max(), x1 = -1, y0 = std::numeric_limits<int>::max(),
        y1 = -1;
  };
  std::vector<Extent> extent(runs.size());
  std::vector<std::size_t> root(runs.size());
  long long total = 0;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    root[i] = shapes.root(i);
    Extent& e = extent[root[i]];
    e.x0 = std::min(e.x0, runs[i].first);
    e.x1 = std::max(e.x1, runs[i].last);
    e.y0 = std::min(e.y0, runs[i].y);
    e.y1 = std::max(e.y1, runs[i].y);
    total += runs[i].last - runs[i].first + 1;
  }
  const auto long_shape = [&](std::size_t i) {
    const Extent& e = extent[root[i]];
    return std::max(e.x1 - e.x0, e.y1 - e.y0) >= longest;
  };
  long long dropped = 0;
  for (std::size_t i = 0; i < runs.size(); ++i)
    if (long_shape(i)) dropped += runs[i].last - runs[i].first + 1;
  const bool drop = 2 * dropped <= total;

  InkCollector points(width, height, strips,
                      static_cast<std::size_t>(total - (drop ? dropped : 0)));
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (drop && long_shape(i)) continue;
    for (int x = runs[i].first; x <= runs[i].last; ++x)
      points.add(x, runs[i].y,
                 ink.weights[runs[i].weights + static_cast<std::size_t>(x - runs[i].first)]);
  }
  return points.take();
}

/// Every fourth point at half the coordinates: the coarse sweep's points, as if measured on an
/// image of half the size, for a quarter of the work.
InkPoints coarser(const InkPoints& fine) {
  InkPoints out;
  out.radius = fine.radius / 2 + 1;
  out.x.reserve(fine.x.size() / 4 + fine.strip_end.size());
  out.y.reserve(fine.y.size() / 4 + fine.strip_end.size());
  out.weight.reserve(fine.weight.size() / 4 + fine.strip_end.size());
  std::size_t begin = 0;
  for (const std::size_t end : fine.strip_end) {
    for (std::size_t i = begin; i < end; i += 4) {
      out.x.push_back(fine.x[i] / 2);
      out.y.push_back(fine.y[i] / 2);
      out.weight.push_back(fine.weight[i]);
    }
    out.strip_end.push_back(out.x.size());
    begin = end;
  }
  return out;
}

/// Projection score at `degrees`: Σ (p[i+1] − p[i])² over the profile p of the ink pixels' rows
/// in a frame turned clockwise by `degrees`. Each pixel is split linearly between the two rows
/// its projection falls between, kept as a count and a fraction per row. Neighbouring pixels
/// land in the same row, so the additions are spread over kLanes copies of the arrays (pixel i
/// into copy i mod kLanes): otherwise each would wait for the previous one through memory.
class Profiler {
 public:
  static constexpr std::size_t kLanes = 4;

  explicit Profiler(const InkPoints& points)
      : points_(points),
        offset_(points.radius + 2),
        rows_(static_cast<std::size_t>(2 * points.radius) + 6),
        counts_(kLanes * rows_),
        fractions_(kLanes * rows_) {}

  /// The sum of the strips' scores. The pages of a spread have lines at heights of their own,
  /// and one profile over both would also reward angles at which the two sets of lines happen
  /// to fall into the same rows (errors of ±0.15° on synthetic spreads). Cutting a single page
  /// into strips would shorten its lines and blunt the peak, so only spreads get two strips.
  double score(double degrees) {
    const double rad = degrees * kPi / 180;
    const float c = static_cast<float>(std::cos(rad));
    const float s = static_cast<float>(std::sin(rad));
    double sum = 0;
    std::size_t begin = 0;
    for (const std::size_t end : points_.strip_end) {
      sum += strip_score(c, s, begin, end);
      begin = end;
    }
    return sum;
  }

 private:
  double strip_score(float c, float s, std::size_t begin, std::size_t end) {
    std::fill(counts_.begin(), counts_.end(), 0.0F);
    std::fill(fractions_.begin(), fractions_.end(), 0.0F);
    const float* xs = points_.x.data();
    const float* ys = points_.y.data();
    const float* ws = points_.weight.data();
    const auto add = [&](std::size_t lane, std::size_t i) {
      // Turning the page back by `degrees` maps (x, y) to y' = y·cos − x·sin.
      const float row = ys[i] * c - xs[i] * s + offset_;
      const int k = static_cast<int>(row);  // row > 0
      const std::size_t at = lane * rows_ + static_cast<std::size_t>(k);
      counts_[at] += ws[i];
      fractions_[at] += ws[i] * (row - static_cast<float>(k));
    };
    std::size_t i = begin;
    for (; i + kLanes <= end; i += kLanes)
      for (std::size_t lane = 0; lane < kLanes; ++lane) add(lane, i + lane);
    for (; i < end; ++i) add(0, i);
    double sum = 0;
    float previous = 0;
    float carried = 0;  // fractions of the row above, which belong to this row
    for (std::size_t k = 0; k < rows_; ++k) {
      float count = 0;
      float fraction = 0;
      for (std::size_t lane = 0; lane < kLanes; ++lane) {
        count += counts_[lane * rows_ + k];
        fraction += fractions_[lane * rows_ + k];
      }
      const float value = count - fraction + carried;
      carried = fraction;
      const double d = static_cast<double>(value) - previous;
      sum += d * d;
      previous = value;
    }
    return sum;
  }

  const InkPoints& points_;
  float offset_;
  std::size_t rows_;
  std::vector<float> counts_;
  std::vector<float> fractions_;
};

}  // namespace

SkewMeasurement measure_skew(const Image& image, double max_angle_deg) {
  SkewMeasurement result;
  if (image.width < 16 || image.height < 16) return result;
  const cv::Mat fine = reduce_grey(image, kFineSide).grey;
  const cv::Mat coarse = halve(fine);

  const int paper = paper_level(coarse);
  const cv::Mat inside = sheet_interior(coarse, paper);
  const cv::Mat background = local_paper(coarse);
  // A landscape image is most likely a double page: its halves are profiled separately.
  const int strips = fine.cols > fine.rows ? 2 : 1;
  const InkPoints fine_points = text_points(fine_ink(fine, coarse, background, inside), fine.cols,
                                            fine.rows, std::max(fine.cols, fine.rows) / 4, strips);
  const InkPoints coarse_points = coarser(fine_points);
  result.ink_pixels = static_cast<int>(fine_points.x.size());
  if (result.ink_pixels < kMinInk) return result;

  // Coarse sweep over the whole range, on the coarse points.
  Profiler coarse_profile(coarse_points);
  const int steps = std::max(2, static_cast<int>(std::ceil(2 * max_angle_deg / kSweepStep)));
  const double step = 2 * max_angle_deg / steps;
  int best = 0;
  double best_score = -1;
  double worst_score = 0;
  for (int i = 0; i <= steps; ++i) {
    const double score = coarse_profile.score(-max_angle_deg + i * step);
    if (score > best_score) {
      best_score = score;
      best = i;
    }
    worst_score = i == 0 ? score : std::min(worst_score, score);
  }
  double angle = -max_angle_deg + best * step;
  result.at_edge = best == 0 || best == steps;

  if (!result.at_edge) {
    // Bisection on the fine points: keep the best of centre and centre ± d, halve d. (The coarse
    // profile's peak is too flat for this: its lines are only a few rows high.)
    Profiler fine_profile(fine_points);
    double centre_score = fine_profile.score(angle);
    double d = step / 2;
    for (; d >= kFinest / 2; d /= 2) {
      const double below = fine_profile.score(angle - d);
      const double above = fine_profile.score(angle + d);
      if (below > centre_score && below >= above) {
        angle -= d;
        centre_score = below;
      } else if (above > centre_score) {
        angle += d;
        centre_score = above;
      }
    }
    // A parabola through the scores at the last step places the peak between them.
    d *= 2;
    const double below = fine_profile.score(angle - d);
    const double above = fine_profile.score(angle + d);
    const double curvature = below - 2 * centre_score + above;
    if (curvature < 0) angle += std::clamp(d * (below - above) / (2 * curvature), -d, d);
    best_score = std::max(best_score, coarse_profile.score(angle));
  }
  result.skew_deg = angle;
  result.confidence = worst_score > 0 ? best_score / worst_score : 1;
  return result;
}

}  // namespace findbuch

// Removes isolated dark specks (dust, toner spatter, sensor defects) and counts them.
//
// Ink is luminance below a page threshold: halfway between the ink and paper means of Otsu's
// split, but never above 3/4 of the paper (the median grey), because on an almost blank page
// Otsu splits the paper's own noise. A speck is a connected group of ink pixels (8-neighbourhood)
// whose bounding box fits in max_size_px × max_size_px and that is isolated: no other ink within
// 2 × max_size_px (at least 3 px) of its bounding box. The dot of an i or ä and punctuation sit
// closer than that to their letters and stay; so do two specks close together.
// A removed speck and a one-pixel rim around it (the scanner's soft edge) take the mean colour of
// the paper just around it, so the patch matches the local paper tone and shading.
//
// Components are found by flood fill that gives up as soon as a group outgrows the size limit or
// touches ink seen before, with a bit per pixel for "seen": the cost is one pass over the page
// plus a few operations per ink pixel, and no full-size label image is needed.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/core/hal/intrin.hpp>

#include "core/error.hpp"
#include "imaging/stages.hpp"

namespace findbuch {
namespace {

/// Read access to the input's pixels with their luminance in the image's own depth (Rec. 601
/// weights in 14-bit fixed point, as cv::cvtColor computes them).
template <typename Sample, int Channels>
struct Pixels {
  const Sample* data;
  std::size_t stride;  // samples per row

  const Sample* at(int x, int y) const {
    return data + static_cast<std::size_t>(y) * stride + static_cast<std::size_t>(x) * Channels;
  }
  std::uint32_t luminance(int x, int y) const {
    const Sample* p = at(x, y);
    if constexpr (Channels == 1) {
      return p[0];
    } else {
      return (p[0] * 4899u + p[1] * 9617u + p[2] * 1868u + 8192u) >> 14;
    }
  }
};

/// The first x ≥ from in `row` whose darkest channel is below `threshold` (a necessary condition
/// for luminance below it), or `width`. Paper is skipped 16 pixels at a time with OpenCV's
/// universal intrinsics: this scan touches every pixel of the page.
template <typename Sample, int Channels>
int next_dark(const Sample* row, int from, int width, std::uint32_t threshold) {
  int x = from;
#if CV_SIMD128
  if constexpr (sizeof(Sample) == 1) {
    const cv::v_uint8x16 limit =
        cv::v_setall_u8(static_cast<std::uint8_t>(std::min(threshold, 255u)));
    for (; x + 16 <= width; x += 16) {
      cv::v_uint8x16 darkest;
      if constexpr (Channels == 3) {
        cv::v_uint8x16 r, g, b;
        cv::v_load_deinterleave(row + 3 * x, r, g, b);
        darkest = cv::v_min(cv::v_min(r, g), b);
      } else {
        darkest = cv::v_load(row + x);
      }
      if (cv::v_check_any(darkest < limit)) break;
    }
  }
#endif
  for (; x < width; ++x) {
    const Sample* p = row + static_cast<std::ptrdiff_t>(x) * Channels;
    Sample darkest = p[0];
    if constexpr (Channels == 3) darkest = std::min({p[0], p[1], p[2]});
    if (darkest < threshold) return x;
  }
  return width;
}

/// The grey level halfway between the means of the dark and the light class of Otsu's split. Ink
/// and paper are two narrow peaks far apart, so Otsu's criterion is almost flat across the gap
/// and its own split lands anywhere in it; the midpoint of the class means does not.
int ink_threshold(const std::array<std::uint64_t, 256>& histogram) {
  std::array<double, 257> count{}, weighted{};  // cumulative, below each level
  for (std::size_t v = 0; v < 256; ++v) {
    count[v + 1] = count[v] + static_cast<double>(histogram[v]);
    weighted[v + 1] = weighted[v] + static_cast<double>(v) * static_cast<double>(histogram[v]);
  }
  const double total = count[256];
  double best = -1;
  std::size_t split = 0;
  for (std::size_t v = 1; v < 256; ++v) {  // dark: levels below v
    const double dark = count[v];
    const double light = total - dark;
    if (dark == 0 || light == 0) continue;
    const double diff = weighted[v] / dark - (weighted[256] - weighted[v]) / light;
    const double between = dark * light * diff * diff;
    if (between > best) {
      best = between;
      split = v;
    }
  }
  if (split == 0) return 0;  // one grey level only: no ink to tell from paper
  const double dark_mean = weighted[split] / count[split];
  const double light_mean = (weighted[256] - weighted[split]) / (total - count[split]);
  return static_cast<int>((dark_mean + light_mean) / 2);
}

template <typename Sample, int Channels>
int despeckle_typed(const Image& image, Image& out, int max_size) {
  const int width = image.width;
  const int height = image.height;
  const Pixels<Sample, Channels> in{reinterpret_cast<const Sample*>(image.pixels.data()),
                                    static_cast<std::size_t>(width) * Channels};
  const std::uint32_t unit = sizeof(Sample) == 2 ? 257 : 1;  // 8-bit grey level in own depth

  // Threshold from a histogram of every eighth row (plenty for two class means and a median).
  std::array<std::uint64_t, 256> histogram{};
  std::uint64_t counted = 0;
  for (int y = 0; y < height; y += 8) {
    for (int x = 0; x < width; ++x) ++histogram[in.luminance(x, y) / unit];
    counted += static_cast<std::uint64_t>(width);
  }
  int median = 0;
  for (std::uint64_t below = 0; median < 255; ++median) {
    below += histogram[static_cast<std::size_t>(median)];
    if (2 * below >= counted) break;
  }
  const int level = std::min(ink_threshold(histogram), median * 3 / 4);
  const std::uint32_t threshold = static_cast<std::uint32_t>(level) * unit;  // ink: below this
  auto is_ink = [&](int x, int y) { return in.luminance(x, y) < threshold; };

  const int reach = std::max(3, 2 * max_size);  // isolation distance
  std::vector<std::uint64_t> seen((static_cast<std::size_t>(width) * height + 63) / 64, 0);
  auto bit = [&](int x, int y) { return static_cast<std::size_t>(y) * width + x; };
  auto is_seen = [&](int x, int y) {
    const std::size_t i = bit(x, y);
    return (seen[i / 64] >> (i % 64)) & 1;
  };
  auto set_seen = [&](int x, int y) {
    const std::size_t i = bit(x, y);
    seen[i / 64] |= std::uint64_t{1} << (i % 64);
  };

  // This flood's pixels in a local window around its start (x0 − m … x0 + m, y0 … y0 + m):
  // nothing the flood keeps can lie outside, since it stops when its box outgrows m.
  const int local_w = 2 * max_size + 1;
  std::vector<std::uint8_t> local(static_cast<std::size_t>(local_w * (max_size + 1)), 0);
  struct Point {
    int x, y;
  };
  std::vector<Point> members;
  std::vector<Point> stack;
  std::vector<std::uint8_t> patch;
  int removed = 0;

  for (int y0 = 0; y0 < height; ++y0) {
    const Sample* row = in.at(0, y0);
    for (int x0 = 0; (x0 = next_dark<Sample, Channels>(row, x0, width, threshold)) < width; ++x0) {
      if (!is_ink(x0, y0) || is_seen(x0, y0)) continue;
      // Ink before it in scan order (left, above) has been seen: this pixel joins that group.
      // Checked here because most ink pixels of a page end here, without a flood.
      const bool joins = (x0 > 0 && is_ink(x0 - 1, y0)) ||
                         (y0 > 0 && ((x0 > 0 && is_ink(x0 - 1, y0 - 1)) || is_ink(x0, y0 - 1) ||
                                     (x0 + 1 < width && is_ink(x0 + 1, y0 - 1))));
      if (joins) {
        set_seen(x0, y0);
        continue;
      }
      // Flood fill from the first unseen ink pixel in scan order.
      members.clear();
      stack.clear();
      bool speck = true;
      int min_x = x0, max_x = x0, max_y = y0;
      auto local_at = [&](int x, int y) -> std::uint8_t& {
        return local[static_cast<std::size_t>((y - y0) * local_w + (x - x0 + max_size))];
      };
      local_at(x0, y0) = 1;
      members.push_back({x0, y0});
      stack.push_back({x0, y0});
      while (!stack.empty() && speck) {
        const Point p = stack.back();
        stack.pop_back();
        for (int dy = -1; dy <= 1 && speck; ++dy) {
          const int ny = p.y + dy;
          if (ny < 0 || ny >= height) continue;
          for (int dx = -1; dx <= 1; ++dx) {
            const int nx = p.x + dx;
            if ((dx == 0 && dy == 0) || nx < 0 || nx >= width || !is_ink(nx, ny)) continue;
            // Seen ink belongs to an earlier group, which this one is part of.
            if (is_seen(nx, ny)) {
              speck = false;
              break;
            }
            if (std::max(max_x, nx) - std::min(min_x, nx) >= max_size ||
                std::max(max_y, ny) - y0 >= max_size || ny < y0) {
              speck = false;
              break;
            }
            std::uint8_t& mark = local_at(nx, ny);
            if (mark) continue;
            mark = 1;
            min_x = std::min(min_x, nx);
            max_x = std::max(max_x, nx);
            max_y = std::max(max_y, ny);
            members.push_back({nx, ny});
            stack.push_back({nx, ny});
          }
        }
      }
      for (const Point& p : members) {
        set_seen(p.x, p.y);
        local_at(p.x, p.y) = 0;
      }
      if (!speck) continue;

      // Isolated: the only ink near its box is its own. The box's own rows first: a letter's
      // neighbours in its line end the count soonest.
      const int box_x0 = std::max(0, min_x - reach), box_x1 = std::min(width - 1, max_x + reach);
      const int box_y0 = std::max(0, y0 - reach), box_y1 = std::min(height - 1, max_y + reach);
      std::size_t ink_near = 0;
      auto count_rows = [&](int from, int to) {
        for (int y = from; y <= to && ink_near <= members.size(); ++y) {
          for (int x = box_x0; x <= box_x1; ++x) ink_near += is_ink(x, y);
        }
      };
      count_rows(y0, max_y);
      count_rows(box_y0, y0 - 1);
      count_rows(max_y + 1, box_y1);
      if (ink_near != members.size()) continue;

      // Patch: the speck grown by one pixel; paper sample: the rest of its box grown by three.
      const int px0 = std::max(0, min_x - 3), px1 = std::min(width - 1, max_x + 3);
      const int py0 = std::max(0, y0 - 3), py1 = std::min(height - 1, max_y + 3);
      const int pw = px1 - px0 + 1;
      patch.assign(static_cast<std::size_t>(pw * (py1 - py0 + 1)), 0);
      auto patch_at = [&](int x, int y) -> std::uint8_t& {
        return patch[static_cast<std::size_t>((y - py0) * pw + (x - px0))];
      };
      for (const Point& p : members) {
        for (int y = std::max(py0, p.y - 1); y <= std::min(py1, p.y + 1); ++y) {
          for (int x = std::max(px0, p.x - 1); x <= std::min(px1, p.x + 1); ++x) patch_at(x, y) = 1;
        }
      }
      std::array<std::uint64_t, Channels> sum{};
      std::uint64_t samples = 0;
      for (int y = py0; y <= py1; ++y) {
        for (int x = px0; x <= px1; ++x) {
          if (patch_at(x, y) || is_ink(x, y)) continue;
          const Sample* s = in.at(x, y);
          for (int c = 0; c < Channels; ++c) sum[static_cast<std::size_t>(c)] += s[c];
          ++samples;
        }
      }
      if (samples == 0) continue;  // a speck filling a tiny image: nothing to take paper from
      std::array<Sample, Channels> paper{};
      for (int c = 0; c < Channels; ++c) {
        paper[static_cast<std::size_t>(c)] =
            static_cast<Sample>((sum[static_cast<std::size_t>(c)] + samples / 2) / samples);
      }
      Sample* dst = reinterpret_cast<Sample*>(out.pixels.data());
      for (int y = py0; y <= py1; ++y) {
        for (int x = px0; x <= px1; ++x) {
          if (!patch_at(x, y)) continue;
          Sample* d = dst + static_cast<std::size_t>(y) * in.stride +
                      static_cast<std::size_t>(x) * Channels;
          std::copy(paper.begin(), paper.end(), d);
        }
      }
      ++removed;
    }
  }
  return removed;
}

}  // namespace

DespeckleResult despeckle(const Image& image, const DespeckleParams& params) {
  if (params.max_size_px < 1 || params.max_size_px > 50) {
    throw InputError("despeckle: parameter \"max_size_px\" must be 1 … 50, not " +
                     std::to_string(params.max_size_px));
  }
  Image out = image;
  if (image.empty()) return {std::move(out), 0};
  const int m = params.max_size_px;
  int removed = 0;
  if (image.bits == 16) {
    removed = image.channels == 3 ? despeckle_typed<std::uint16_t, 3>(image, out, m)
                                  : despeckle_typed<std::uint16_t, 1>(image, out, m);
  } else {
    removed = image.channels == 3 ? despeckle_typed<std::uint8_t, 3>(image, out, m)
                                  : despeckle_typed<std::uint8_t, 1>(image, out, m);
  }
  return {std::move(out), removed};
}

}  // namespace findbuch

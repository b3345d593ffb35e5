// Rotation by three shears (A. W. Paeth, "A fast algorithm for general raster rotation", 1986):
// a rotation is X(a)·Y(b)·X(a), where X shifts every row sideways by an amount proportional to its
// y and Y every column up or down by an amount proportional to its x. Each pass is a 1-D
// interpolation whose weights are the same along a whole row (X) or column (Y), so a pass is a
// short filter run with SIMD over the interleaved samples, and a long kernel is affordable.
//
// Measured on an A4 300 ppi RGB page (text slightly blurred as scanners do, σ = 0.7 px), turned
// by 1.7° and back: RMS error in grey levels, and time for one turn on one core (including the
// output's allocation):
//   cv::warpAffine  INTER_LINEAR 6.1 / 31 ms, INTER_CUBIC 2.4 / 150 ms, INTER_LANCZOS4 1.2 / 490 ms
//   three shears    cubic rows and columns 3.2 / 41 ms; Lanczos-3 rows, cubic columns (used)
//                   2.4 / 48 ms; Lanczos-3 both 2.1 / 57 ms.
//
// 8-bit samples are filtered in 16-bit fixed point (weights Q15, results Q6); the scalar code
// reproduces the SIMD arithmetic exactly, so a pixel does not depend on where it falls. 16-bit
// samples are filtered in float.
#include "imaging/rotation.hpp"

#include <opencv2/core.hpp>
#include <opencv2/core/hal/intrin.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <vector>

#include "core/error.hpp"

namespace findbuch {
namespace {

constexpr double kPi = 3.14159265358979323846;

// Rows are interpolated twice (passes 1 and 3), so they get the sharper, longer kernel.
constexpr int kRowTaps = 6;     ///< passes 1 and 3 (rows): Lanczos-3
constexpr int kColumnTaps = 4;  ///< pass 2 (columns): cubic

/// Interpolation kernels by tap count: Keys' cubic convolution with a = −0.75 (as OpenCV's
/// INTER_CUBIC) for 4 taps, Lanczos (sinc(d) · sinc(d / r), r = taps / 2) for more.
template <int N>
double kernel(double d) {
  d = std::abs(d);
  if constexpr (N == 4) {
    constexpr double a = -0.75;
    if (d <= 1) return ((a + 2) * d - (a + 3)) * d * d + 1;
    if (d < 2) return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a;
    return 0;
  } else {
    constexpr double r = N / 2;
    if (d < 1e-9) return 1;
    if (d >= r) return 0;
    return r * std::sin(kPi * d) * std::sin(kPi * d / r) / (kPi * kPi * d * d);
  }
}

/// Weights for the N samples around a position, the first N/2 − 1 of them before its integer
/// part; normalised to sum to 1 (flat areas stay flat).
template <int N>
struct Taps {
  std::array<float, N> w{};
  std::array<std::int16_t, N> q{};  ///< Q15; they sum to 1.0, clamped to 32767 for a lone 1.0
};

/// First tap and taps for sampling at `position`.
template <int N>
struct Sample {
  int start;
  Taps<N> taps;
};

template <int N>
Sample<N> sample_at(double position) {
  const double base = std::floor(position);
  const double f = position - base;
  constexpr int before = N / 2 - 1;
  std::array<double, N> w{};
  double total = 0;
  for (std::size_t t = 0; t < N; ++t) {
    w[t] = kernel<N>(static_cast<double>(t) - before - f);
    total += w[t];
  }
  Sample<N> sample{static_cast<int>(base) - before, {}};
  int sum = 0;
  std::array<int, N> q{};
  std::size_t largest = 0;
  for (std::size_t t = 0; t < N; ++t) {
    w[t] /= total;
    sample.taps.w[t] = static_cast<float>(w[t]);
    q[t] = static_cast<int>(std::lround(w[t] * 32768));
    sum += q[t];
    if (w[t] > w[largest]) largest = t;
  }
  q[largest] += 32768 - sum;  // rounding slack goes to the largest weight
  for (std::size_t t = 0; t < N; ++t)
    sample.taps.q[t] = static_cast<std::int16_t>(std::min(q[t], 32767));
  return sample;
}

// --- one sample's arithmetic -------------------------------------------------------------------

/// 8 bits: Σ high16((v << 7) · q) in Q6, with rounding, exactly as the SIMD code computes it.
inline std::uint8_t finish8(int acc) {
  return static_cast<std::uint8_t>(std::clamp(acc >> 6, 0, 255));
}
inline int product8(int v, int q) {
  return ((v << 7) * q) >> 16;
}
constexpr int kRound8 = 34;  // half of Q6, plus the mean truncation of the products

/// 16 bits: in float, rounded to nearest as the SIMD conversion does.
inline std::uint16_t finish16(float acc) {
  return static_cast<std::uint16_t>(std::clamp(std::nearbyint(acc), 0.0F, 65535.0F));
}

#if CV_SIMD128
/// lo/hi += high16((v << 7) · q) for the 16 bytes at p.
inline void accumulate(const std::uint8_t* p, const cv::v_int16x8& q_lo, const cv::v_int16x8& q_hi,
                       cv::v_int16x8& lo, cv::v_int16x8& hi) {
  cv::v_uint16x8 a;
  cv::v_uint16x8 b;
  cv::v_expand(cv::v_load(p), a, b);
  lo += cv::v_mul_hi(cv::v_reinterpret_as_s16(a) << 7, q_lo);
  hi += cv::v_mul_hi(cv::v_reinterpret_as_s16(b) << 7, q_hi);
}
inline void store(std::uint8_t* p, const cv::v_int16x8& lo, const cv::v_int16x8& hi) {
  cv::v_store(p, cv::v_pack_u(cv::v_shr<6>(lo), cv::v_shr<6>(hi)));
}
/// lo/hi += the 8 16-bit samples at p times w_lo/w_hi, in float.
inline void accumulate(const std::uint16_t* p, const cv::v_float32x4& w_lo,
                       const cv::v_float32x4& w_hi, cv::v_float32x4& lo, cv::v_float32x4& hi) {
  cv::v_uint32x4 a;
  cv::v_uint32x4 b;
  cv::v_expand(cv::v_load(p), a, b);
  lo += cv::v_cvt_f32(cv::v_reinterpret_as_s32(a)) * w_lo;
  hi += cv::v_cvt_f32(cv::v_reinterpret_as_s32(b)) * w_hi;
}
inline void store(std::uint16_t* p, const cv::v_float32x4& lo, const cv::v_float32x4& hi) {
  cv::v_store(p, cv::v_pack_u(cv::v_round(lo), cv::v_round(hi)));
}
#endif

// --- X pass: every sample of a row filtered with the same taps -----------------------------------

/// out[j] = Σ_t taps_t · in[j + t·step] for j < n.
template <int N>
void filter_row(const std::uint8_t* in, std::uint8_t* out, int n, int step, const Taps<N>& taps) {
#if CV_SIMD128
  if (n >= 16) {
    std::array<cv::v_int16x8, N> q;
    for (std::size_t t = 0; t < N; ++t) q[t] = cv::v_setall_s16(taps.q[t]);
    const auto vector = [&](int j) {
      cv::v_int16x8 lo = cv::v_setall_s16(kRound8);
      cv::v_int16x8 hi = lo;
      for (std::size_t t = 0; t < N; ++t)
        accumulate(in + j + static_cast<int>(t) * step, q[t], q[t], lo, hi);
      store(out + j, lo, hi);
    };
    int j = 0;
    for (; j + 16 <= n; j += 16) vector(j);
    if (j < n) vector(n - 16);  // the rest again as the last 16 samples
    return;
  }
#endif
  for (int j = 0; j < n; ++j) {
    int acc = kRound8;
    for (std::size_t t = 0; t < N; ++t)
      acc += product8(in[j + static_cast<int>(t) * step], taps.q[t]);
    out[j] = finish8(acc);
  }
}

template <int N>
void filter_row(const std::uint16_t* in, std::uint16_t* out, int n, int step, const Taps<N>& taps) {
#if CV_SIMD128
  if (n >= 8) {
    std::array<cv::v_float32x4, N> w;
    for (std::size_t t = 0; t < N; ++t) w[t] = cv::v_setall_f32(taps.w[t]);
    const auto vector = [&](int j) {
      cv::v_float32x4 lo = cv::v_setzero_f32();
      cv::v_float32x4 hi = lo;
      for (std::size_t t = 0; t < N; ++t)
        accumulate(in + j + static_cast<int>(t) * step, w[t], w[t], lo, hi);
      store(out + j, lo, hi);
    };
    int j = 0;
    for (; j + 8 <= n; j += 8) vector(j);
    if (j < n) vector(n - 8);
    return;
  }
#endif
  for (int j = 0; j < n; ++j) {
    float acc = 0;
    for (std::size_t t = 0; t < N; ++t) acc += in[j + static_cast<int>(t) * step] * taps.w[t];
    out[j] = finish16(acc);
  }
}

// --- Y pass: every column with its own rows and taps -------------------------------------------

/// The Y pass in blocks of 16 samples (one SIMD register of 8-bit samples). A block's columns
/// read from up to a few different rows, so each block is a filter over rows lowest … lowest +
/// taps − 1 with weights per sample, zero where a row is not one of that sample's four.
struct ColumnBlocks {
  static constexpr int kLanes = 16;
  struct Block {
    int lowest;  ///< first row, relative to the output row
    int taps;
    std::size_t weights;  ///< offset of the block's taps × kLanes weights
  };
  std::vector<Block> blocks;  ///< block i covers samples [16·i, 16·i + 16)
  std::vector<std::int16_t> q;
  std::vector<float> w;
};

/// One block: out[i] = Σ_k weights[k][i] · rows[k][at + i], i < kLanes.
void filter_block(const std::uint8_t* const* rows, int at, std::uint8_t* out, int taps,
                  const std::int16_t* q, const float*) {
#if CV_SIMD128
  cv::v_int16x8 lo = cv::v_setall_s16(kRound8);
  cv::v_int16x8 hi = lo;
  for (int k = 0; k < taps; ++k, q += ColumnBlocks::kLanes)
    accumulate(rows[k] + at, cv::v_load(q), cv::v_load(q + 8), lo, hi);
  store(out, lo, hi);
#else
  for (int i = 0; i < ColumnBlocks::kLanes; ++i) {
    int acc = kRound8;
    for (int k = 0; k < taps; ++k)
      acc += product8(rows[k][at + i], q[k * ColumnBlocks::kLanes + i]);
    out[i] = finish8(acc);
  }
#endif
}

void filter_block(const std::uint16_t* const* rows, int at, std::uint16_t* out, int taps,
                  const std::int16_t*, const float* w) {
#if CV_SIMD128
  for (int half = 0; half < ColumnBlocks::kLanes; half += 8) {
    cv::v_float32x4 lo = cv::v_setzero_f32();
    cv::v_float32x4 hi = lo;
    for (int k = 0; k < taps; ++k) {
      const float* wk = w + k * ColumnBlocks::kLanes + half;
      accumulate(rows[k] + at + half, cv::v_load(wk), cv::v_load(wk + 4), lo, hi);
    }
    store(out + half, lo, hi);
  }
#else
  for (int i = 0; i < ColumnBlocks::kLanes; ++i) {
    float acc = 0;
    for (int k = 0; k < taps; ++k) acc += rows[k][at + i] * w[k * ColumnBlocks::kLanes + i];
    out[i] = finish16(acc);
  }
#endif
}

// --- the three passes, streamed row by row -------------------------------------------------------

/// A row of `pixels` pixels of the fill colour.
template <typename T>
std::vector<T> fill_row(int pixels, int channels, const std::array<int, 3>& fill) {
  std::vector<T> row(static_cast<std::size_t>(pixels) * static_cast<std::size_t>(channels));
  constexpr int top = sizeof(T) == 1 ? 255 : 65535;
  for (std::size_t i = 0; i < row.size(); ++i)
    row[i] = static_cast<T>(std::clamp(fill[channels == 3 ? i % 3 : 0], 0, top));
  return row;
}

/// Output pixel p (relative to the centre) shows input point R(−φ)·p = X(a)·Y(b)·X(a)·p:
///   sheared(x, y) = in(x − pad_x + a·(y − pad_y − cy), y − pad_y)       (pass 1, X)
///   turned(x, y)  = sheared(x, y + pad_y + b·(x − pad_x − cx))          (pass 2, Y)
///   out(x, y)     = turned(x + pad_x + a·(y − cy), y)                   (pass 3, X)
/// The margins pad_x, pad_y keep every tap inside the intermediate images, whose extra area holds
/// the fill colour. Output row y needs `sheared` rows y + lowest … y + highest only, so those live
/// in a ring of rows and the intermediate images are never stored whole.
template <typename T>
class ShearRotation {
 public:
  ShearRotation(const Image& in, double degrees, const std::array<int, 3>& fill)
      : in_(in), w_(in.width), h_(in.height), ch_(in.channels) {
    const double phi = degrees * kPi / 180;
    a_ = std::tan(phi / 2);
    const double b = -std::sin(phi);
    cx_ = (w_ - 1) / 2.0;
    cy_ = (h_ - 1) / 2.0;
    constexpr int reach = std::max(kRowTaps, kColumnTaps) / 2 + 2;  // taps reach this far
    pad_x_ = static_cast<int>(std::ceil(std::abs(a_) * cy_)) + reach;
    pad_y_ = static_cast<int>(std::ceil(std::abs(b) * (cx_ + pad_x_))) + reach;
    pad_src_ = pad_x_ + static_cast<int>(std::ceil(std::abs(a_) * (pad_y_ + cy_))) + reach;
    wide_ = w_ + 2 * pad_x_;
    fill_wide_ = fill_row<T>(wide_, ch_, fill);
    fill_src_ = fill_row<T>(w_ + 2 * pad_src_, ch_, fill);

    // Per column: the pass-2 start row and taps; then grouped into blocks of samples.
    std::vector<Sample<kColumnTaps>> column;
    column.reserve(static_cast<std::size_t>(wide_));
    for (int x = 0; x < wide_; ++x)
      column.push_back(sample_at<kColumnTaps>(pad_y_ + b * (x - pad_x_ - cx_)));
    constexpr int lanes = ColumnBlocks::kLanes;
    row_len_ = (wide_ * ch_ + lanes - 1) / lanes * lanes;
    lowest_ = std::numeric_limits<int>::max();
    highest_ = std::numeric_limits<int>::min();
    for (int first = 0; first < row_len_; first += lanes) {
      // Samples past the last column (padding to whole blocks) reuse the last column's taps.
      const auto of = [&](int j) -> const Sample<kColumnTaps>& {
        return column[static_cast<std::size_t>(std::min(j / ch_, wide_ - 1))];
      };
      int low = std::numeric_limits<int>::max();
      int high = std::numeric_limits<int>::min();
      for (int j = first; j < first + lanes; ++j) {
        low = std::min(low, of(j).start);
        high = std::max(high, of(j).start + kColumnTaps - 1);
      }
      const int taps = high - low + 1;
      columns_.blocks.push_back({low, taps, columns_.q.size()});
      columns_.q.resize(columns_.q.size() + static_cast<std::size_t>(taps * lanes), 0);
      columns_.w.resize(columns_.q.size(), 0.0F);
      for (int j = first; j < first + lanes; ++j) {
        const Sample<kColumnTaps>& s = of(j);
        for (std::size_t t = 0; t < kColumnTaps; ++t) {
          const std::size_t at =
              columns_.blocks.back().weights +
              static_cast<std::size_t>((s.start - low + static_cast<int>(t)) * lanes + (j - first));
          columns_.q[at] = s.taps.q[t];
          columns_.w[at] = s.taps.w[t];
        }
      }
      lowest_ = std::min(lowest_, low);
      highest_ = std::max(highest_, high);
    }
  }

  /// Output rows [y0, y1).
  void rows(Image& out, int y0, int y1) const {
    constexpr int lanes = ColumnBlocks::kLanes;
    const auto row_len = static_cast<std::size_t>(row_len_);
    const int ring = highest_ - lowest_ + 1;
    // Zeroed once: the padding past the last column is read (and ignored) by the last block.
    std::vector<T> ring_rows(row_len * static_cast<std::size_t>(ring));
    const auto slot = [&](int r) {
      return ring_rows.data() + static_cast<std::size_t>(r % ring) * row_len;
    };
    std::vector<T> padded = fill_src_;
    std::vector<T> turned(row_len);
    std::vector<const T*> src(static_cast<std::size_t>(ring));  // rows y + lowest … y + highest
    int next = y0 + lowest_;
    for (int y = y0; y < y1; ++y) {
      for (; next <= y + highest_; ++next) shear_row(next, slot(next), padded);

      const Sample<kRowTaps> s = sample_at<kRowTaps>(pad_x_ + a_ * (y - cy_));
      const int first = s.start * ch_;  // samples of `turned` that pass 3 reads
      const int last = (s.start + w_ + kRowTaps - 1) * ch_;
      for (int k = 0; k < ring; ++k) src[static_cast<std::size_t>(k)] = slot(y + lowest_ + k);
      for (int i = first / lanes; i * lanes < last; ++i) {
        const ColumnBlocks::Block& block = columns_.blocks[static_cast<std::size_t>(i)];
        filter_block(src.data() + (block.lowest - lowest_), i * lanes, turned.data() + i * lanes,
                     block.taps, columns_.q.data() + block.weights,
                     columns_.w.data() + block.weights);
      }

      T* dst = reinterpret_cast<T*>(out.row(y));
      filter_row(turned.data() + first, dst, w_ * ch_, ch_, s.taps);
      if (in_.bitonal) {
        for (int x = 0; x < w_ * ch_; ++x) dst[x] = dst[x] >= 128 ? 255 : 0;
      }
    }
  }

 private:
  /// Row r of the pass-1 image into `dst`.
  void shear_row(int r, T* dst, std::vector<T>& padded) const {
    const int src_y = r - pad_y_;
    if (src_y < 0 || src_y >= h_) {
      std::memcpy(dst, fill_wide_.data(), fill_wide_.size() * sizeof(T));
      return;
    }
    std::memcpy(padded.data() + static_cast<std::ptrdiff_t>(pad_src_) * ch_, in_.row(src_y),
                in_.row_bytes());
    const Sample<kRowTaps> s = sample_at<kRowTaps>(-pad_x_ + a_ * (src_y - cy_));
    filter_row(padded.data() + static_cast<std::ptrdiff_t>(pad_src_ + s.start) * ch_, dst,
               wide_ * ch_, ch_, s.taps);
  }

  const Image& in_;
  int w_, h_, ch_;
  double a_ = 0, cx_ = 0, cy_ = 0;
  int pad_x_ = 0, pad_y_ = 0, pad_src_ = 0, wide_ = 0;
  int row_len_ = 0;               ///< samples per intermediate row, whole blocks
  int lowest_ = 0, highest_ = 0;  ///< pass-1 rows that output row y reads: y + lowest … y + highest
  std::vector<T> fill_wide_, fill_src_;
  ColumnBlocks columns_;
};

template <typename T>
void rotate_into(const Image& in, Image& out, double degrees, const std::array<int, 3>& fill) {
  const ShearRotation<T> rotation(in, degrees, fill);
  // One stripe per thread: each stripe fills its own ring of pass-1 rows.
  const int stripes = std::max(1, std::min(cv::getNumThreads(), in.height / 64));
  cv::parallel_for_(
      cv::Range(0, stripes),
      [&](const cv::Range& range) {
        for (int i = range.start; i < range.end; ++i) {
          rotation.rows(out, static_cast<int>(static_cast<long>(in.height) * i / stripes),
                        static_cast<int>(static_cast<long>(in.height) * (i + 1) / stripes));
        }
      },
      stripes);
}

}  // namespace

Image rotate_fine(const Image& image, double degrees, const std::array<int, 3>& fill) {
  if (!(std::abs(degrees) <= 45)) throw InputError("rotate_fine: angle must be within ±45°");
  Image out = image.with_shape(image.width, image.height, image.channels, image.bits);
  out.bitonal = image.bitonal;
  if (image.empty()) return out;
  if (degrees == 0) {
    out.pixels = image.pixels;
    return out;
  }
  if (image.bits == 16) {
    rotate_into<std::uint16_t>(image, out, degrees, fill);
  } else {
    rotate_into<std::uint8_t>(image, out, degrees, fill);
  }
  return out;
}

}  // namespace findbuch

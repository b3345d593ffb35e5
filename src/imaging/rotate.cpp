// Quarter turns. 90° and 270° copy in one pass over square tiles: they read the source down a
// column, and a tile keeps those reads within a few cache lines (cv::rotate makes two passes,
// transpose then flip). 180° is a plain flip of both axes, which OpenCV does with SIMD.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "imaging/mat_view.hpp"
#include "imaging/stages.hpp"

namespace findbuch {
namespace {

constexpr int kTile = 64;

/// Quarter turn of pixels of `Bytes` bytes each, clockwise when `clockwise`, else
/// counter-clockwise.
template <std::size_t Bytes>
void quarter_turn(const Image& in, Image& out, bool clockwise) {
  const std::ptrdiff_t in_stride = static_cast<std::ptrdiff_t>(in.row_bytes());
  const std::ptrdiff_t px = static_cast<std::ptrdiff_t>(Bytes);
  // Source address of output pixel (x, y) = base + x * step_x + y * step_y.
  const std::uint8_t* base = in.pixels.data();
  std::ptrdiff_t step_x = 0;
  std::ptrdiff_t step_y = 0;
  if (clockwise) {  // out(x, y) = in(y, h-1-x)
    base += (in.height - 1) * in_stride;
    step_x = -in_stride;
    step_y = px;
  } else {  // out(x, y) = in(w-1-y, x)
    base += (in.width - 1) * px;
    step_x = in_stride;
    step_y = -px;
  }
  for (int ty = 0; ty < out.height; ty += kTile) {
    const int y_end = std::min(out.height, ty + kTile);
    for (int tx = 0; tx < out.width; tx += kTile) {
      const int x_end = std::min(out.width, tx + kTile);
      for (int y = ty; y < y_end; ++y) {
        std::uint8_t* dst = out.row(y) + static_cast<std::ptrdiff_t>(tx) * px;
        const std::uint8_t* src = base + y * step_y + tx * step_x;
        for (int x = tx; x < x_end; ++x, dst += px, src += step_x) std::memcpy(dst, src, Bytes);
      }
    }
  }
}

}  // namespace

RotateResult rotate(const Image& image, const RotateParams& params) {
  const int degrees = params.degrees;
  if (degrees != 0 && degrees != 90 && degrees != 180 && degrees != 270) {
    throw InputError(
        "rotate: parameter \"degrees\" must be one of 0, 90, 180, 270 (clockwise), not " +
        std::to_string(degrees));
  }
  if (degrees == 0 || image.empty()) return {image};

  const bool quarter = degrees != 180;
  Image out = image.with_shape(quarter ? image.height : image.width,
                               quarter ? image.width : image.height, image.channels, image.bits);
  out.bitonal = image.bitonal;
  if (quarter) std::swap(out.ppi_x, out.ppi_y);

  if (!quarter) {
    cv::Mat dst = mat_view(out);  // flip writes into the view: the shape and type already match
    cv::flip(mat_view(image), dst, -1);
    return {std::move(out)};
  }
  const bool clockwise = degrees == 90;
  switch (image.channels * static_cast<int>(image.bytes_per_sample())) {
    case 1:
      quarter_turn<1>(image, out, clockwise);
      break;
    case 2:
      quarter_turn<2>(image, out, clockwise);
      break;
    case 3:
      quarter_turn<3>(image, out, clockwise);
      break;
    default:
      quarter_turn<6>(image, out, clockwise);
      break;
  }
  return {std::move(out)};
}

}  // namespace findbuch

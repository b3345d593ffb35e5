// Checks and pixel conversions shared by the image codecs (see image_io_internal.hpp).
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <utility>

#include "core/error.hpp"
#include "imaging/image_io_internal.hpp"

namespace findbuch::imageio {

void fail(const fs::path& file, const std::string& reason) {
  throw InputError(in_quotes(file.string()) + ": " + reason);
}

void fail_io(const fs::path& file, const std::string& what, int error_number) {
  throw EnvironmentError(in_quotes(file.string()) + ": " + what + ": " +
                         std::strerror(error_number));
}

void check_dimensions(const fs::path& file, std::uint64_t width, std::uint64_t height,
                      std::uint64_t max_pixels) {
  if (width == 0 || height == 0) fail(file, "the image header declares no pixels");
  std::uint64_t pixels = 0;
  if (__builtin_mul_overflow(width, height, &pixels) || pixels > max_pixels) {
    fail(file, "image of " + std::to_string(width) + " x " + std::to_string(height) +
                   " pixels exceeds the limit of " + std::to_string(max_pixels) +
                   " pixels (possible decompression bomb)");
  }
  // Image holds int dimensions; 3 channels of 16 bits must still be addressable.
  std::uint64_t bytes = 0;
  if (width > INT_MAX || height > INT_MAX || __builtin_mul_overflow(pixels, 6u, &bytes) ||
      bytes > PTRDIFF_MAX) {
    fail(file, "image of " + std::to_string(width) + " x " + std::to_string(height) +
                   " pixels is too large to hold in memory");
  }
}

Image new_image(const fs::path& file, std::uint64_t width, std::uint64_t height, int channels,
                int bits, std::uint64_t max_pixels) {
  check_dimensions(file, width, height, max_pixels);
  return Image::blank(static_cast<int>(width), static_cast<int>(height), channels, bits);
}

namespace {

// Copies output row by output row; each output row walks the source with a constant stride, so
// all eight orientations are one loop with different start and step.
template <std::size_t N>
void reorient(const std::uint8_t* src, std::uint8_t* dst, std::ptrdiff_t w, std::ptrdiff_t h,
              int orientation) {
  const bool transposed = orientation >= 5;
  const std::ptrdiff_t out_w = transposed ? h : w, out_h = transposed ? w : h;
  for (std::ptrdiff_t r = 0; r < out_h; ++r) {
    std::ptrdiff_t start = 0, step = 1;
    switch (orientation) {
      case 2:
        start = r * w + w - 1, step = -1;
        break;
      case 3:
        start = (h - 1 - r) * w + w - 1, step = -1;
        break;
      case 4:
        start = (h - 1 - r) * w, step = 1;
        break;
      case 5:
        start = r, step = w;
        break;
      case 6:
        start = (h - 1) * w + r, step = -w;
        break;
      case 7:
        start = (h - 1) * w + (w - 1 - r), step = -w;
        break;
      default:
        start = w - 1 - r, step = w;
        break;  // 8
    }
    std::uint8_t* out = dst + r * out_w * static_cast<std::ptrdiff_t>(N);
    const std::uint8_t* in = src + start * static_cast<std::ptrdiff_t>(N);
    const std::ptrdiff_t stride = step * static_cast<std::ptrdiff_t>(N);
    for (std::ptrdiff_t c = 0; c < out_w; ++c, out += N, in += stride) std::memcpy(out, in, N);
  }
}

}  // namespace

void apply_orientation(Image& image, int orientation) {
  if (orientation < 2 || orientation > 8 || image.empty()) return;
  std::vector<std::uint8_t> out(image.pixels.size());
  const std::size_t pixel = static_cast<std::size_t>(image.channels) * image.bytes_per_sample();
  const auto run = [&](auto n) {
    reorient<decltype(n)::value>(image.pixels.data(), out.data(), image.width, image.height,
                                 orientation);
  };
  switch (pixel) {
    case 1:
      run(std::integral_constant<std::size_t, 1>{});
      break;
    case 2:
      run(std::integral_constant<std::size_t, 2>{});
      break;
    case 3:
      run(std::integral_constant<std::size_t, 3>{});
      break;
    default:
      run(std::integral_constant<std::size_t, 6>{});
      break;
  }
  image.pixels = std::move(out);
  if (orientation >= 5) {
    std::swap(image.width, image.height);
    std::swap(image.ppi_x, image.ppi_y);
  }
}

void composite_on_white_8(const std::uint8_t* in, std::uint8_t* out, std::size_t width, int colour,
                          int in_step, bool premultiplied) {
  for (std::size_t x = 0; x < width; ++x, in += in_step, out += colour) {
    const unsigned a = in[colour];
    for (int c = 0; c < colour; ++c) {
      out[c] = premultiplied
                   ? static_cast<std::uint8_t>(std::min(255u, in[c] + 255u - a))
                   : static_cast<std::uint8_t>((in[c] * a + 255u * (255u - a) + 127u) / 255u);
    }
  }
}

void composite_on_white_16(const std::uint16_t* in, std::uint16_t* out, std::size_t width,
                           int colour, int in_step, bool premultiplied) {
  for (std::size_t x = 0; x < width; ++x, in += in_step, out += colour) {
    const std::uint64_t a = in[colour];
    for (int c = 0; c < colour; ++c) {
      out[c] = premultiplied
                   ? static_cast<std::uint16_t>(std::min<std::uint64_t>(65535, in[c] + 65535 - a))
                   : static_cast<std::uint16_t>((in[c] * a + 65535 * (65535 - a) + 32767) / 65535);
    }
  }
}

void cmyk_to_rgb_8(const std::uint8_t* in, std::uint8_t* out, std::size_t width, int in_step,
                   bool inverted) {
  for (std::size_t x = 0; x < width; ++x, in += in_step, out += 3) {
    const unsigned k = inverted ? in[3] : 255u - in[3];
    for (int c = 0; c < 3; ++c) {
      const unsigned v = inverted ? in[c] : 255u - in[c];
      out[c] = static_cast<std::uint8_t>((v * k + 127u) / 255u);
    }
  }
}

void cmyk_to_rgb_16(const std::uint16_t* in, std::uint16_t* out, std::size_t width, int in_step) {
  for (std::size_t x = 0; x < width; ++x, in += in_step, out += 3) {
    const std::uint64_t k = 65535u - in[3];
    for (int c = 0; c < 3; ++c) {
      out[c] = static_cast<std::uint16_t>(((65535u - in[c]) * k + 32767u) / 65535u);
    }
  }
}

bool write_all(int fd, const void* data, std::size_t size) {
  const auto* p = static_cast<const std::uint8_t*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace findbuch::imageio

// Netpbm P1 … P6 (PBM, PGM, PPM), the format of unpaper's test pages. The header is a few
// decimal numbers; the binary rasters are read straight into the image buffer. In PBM 1 is ink,
// so bitmaps become bitonal grey with ink 0 and paper 255.
#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "imaging/image_io_internal.hpp"

namespace findbuch::imageio {
namespace {

using FilePtr = std::unique_ptr<std::FILE, decltype(&std::fclose)>;

class PnmReader {
 public:
  PnmReader(const fs::path& file, std::FILE* in, std::string kind)
      : file_(file), in_(in), kind_(std::move(kind)) {}

  [[noreturn]] void corrupt(const std::string& why) const {
    fail(file_, "corrupt " + kind_ + ": " + why);
  }
  [[noreturn]] void truncated() const { fail(file_, "truncated " + kind_); }

  // Next character of the header or an ASCII raster, skipping comments (# to the end of line).
  int next_significant() {
    for (;;) {
      int c = std::getc(in_);
      if (c == '#') {
        while (c != '\n' && c != '\r' && c != EOF) c = std::getc(in_);
      }
      if (c == EOF) truncated();
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f') return c;
    }
  }

  // A decimal number up to `max`; the whitespace character after it is consumed.
  std::uint32_t number(const char* what, std::uint32_t max) {
    int c = next_significant();
    if (c < '0' || c > '9') corrupt(std::string("no ") + what);
    std::uint64_t value = 0;
    for (; c >= '0' && c <= '9'; c = std::getc(in_)) {
      value = value * 10 + static_cast<unsigned>(c - '0');
      if (value > max) corrupt(std::string(what) + " above " + std::to_string(max));
    }
    if (c == '#') {
      std::ungetc(c, in_);
    } else if (c != EOF && c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\v' &&
               c != '\f') {
      corrupt(std::string(what) + " followed by " + std::to_string(c));
    }
    return static_cast<std::uint32_t>(value);
  }

  std::uint64_t remaining() const {
    std::error_code ec;
    const std::uint64_t size = fs::file_size(file_, ec);
    const long at = std::ftell(in_);
    return ec || at < 0 || static_cast<std::uint64_t>(at) > size ? 0 : size - at;
  }

  void read(std::uint8_t* out, std::size_t n) {
    if (std::fread(out, 1, n, in_) != n) truncated();
  }

 private:
  const fs::path& file_;
  std::FILE* in_;
  std::string kind_;
};

// maxval below 255 (or between 256 and 65535) is stretched to the full 8 or 16 bits.
void scale_samples(Image& image, std::uint32_t maxval) {
  const std::size_t n = image.pixels.size() / image.bytes_per_sample();
  if (image.bits == 16) {
    auto* p = reinterpret_cast<std::uint16_t*>(image.pixels.data());
    for (std::size_t i = 0; i < n; ++i) {
      std::uint32_t v = p[i];
      if constexpr (std::endian::native == std::endian::little) {
        v = (v >> 8 | v << 8) & 0xFFFF;  // PNM is big-endian
      }
      if (maxval != 65535) v = (std::min(v, maxval) * 65535 + maxval / 2) / maxval;
      p[i] = static_cast<std::uint16_t>(v);
    }
  } else if (maxval != 255) {
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t v = std::min<std::uint32_t>(image.pixels[i], maxval);
      image.pixels[i] = static_cast<std::uint8_t>((v * 255 + maxval / 2) / maxval);
    }
  }
}

}  // namespace

Image read_pnm(const fs::path& file, const ReadOptions& options) {
  const FilePtr in(std::fopen(file.c_str(), "rb"), &std::fclose);
  if (!in) fail_io(file, "cannot open", errno);
  const int p = std::getc(in.get());
  const int type = std::getc(in.get()) - '0';
  if (p != 'P' || type < 1 || type > 6) fail(file, "corrupt Netpbm file: bad signature");
  const bool bitmap = type == 1 || type == 4;
  const bool ascii = type <= 3;
  const int channels = type == 3 || type == 6 ? 3 : 1;
  PnmReader r(file, in.get(), bitmap ? "PBM" : channels == 1 ? "PGM" : "PPM");

  const std::uint32_t width = r.number("width", 0x7FFFFFFF);
  const std::uint32_t height = r.number("height", 0x7FFFFFFF);
  const std::uint32_t maxval = bitmap ? 1 : r.number("maximum value", 65535);
  if (maxval == 0) r.corrupt("maximum value 0");
  check_dimensions(file, width, height, options.max_pixels);
  const int bits = maxval > 255 ? 16 : 8;
  const std::uint64_t samples = std::uint64_t{width} * height * static_cast<unsigned>(channels);

  // A binary raster must be in the file before its buffer is allocated.
  const std::uint64_t row_bits = std::uint64_t{width} * static_cast<unsigned>(channels) *
                                 (bitmap ? 1u : static_cast<unsigned>(bits));
  if (!ascii && r.remaining() < (row_bits + 7) / 8 * height) r.truncated();
  Image image = new_image(file, width, height, channels, bits, options.max_pixels);
  image.bitonal = bitmap;

  if (type == 4) {
    std::vector<std::uint8_t> packed((width + 7) / 8);
    for (int y = 0; y < image.height; ++y) {
      r.read(packed.data(), packed.size());
      std::uint8_t* out = image.row(y);
      for (std::uint32_t x = 0; x < width; ++x) {
        out[x] = (packed[x >> 3] >> (7 - (x & 7)) & 1) ? 0 : 255;
      }
    }
  } else if (!ascii) {
    r.read(image.pixels.data(), image.pixels.size());
    scale_samples(image, maxval);
  } else if (type == 1) {
    // Each pixel is one character; whitespace between them is optional.
    for (std::uint64_t i = 0; i < samples; ++i) {
      const int c = r.next_significant();
      if (c != '0' && c != '1') r.corrupt("pixel is neither 0 nor 1");
      image.pixels[i] = c == '1' ? 0 : 255;
    }
  } else {
    auto* p16 = reinterpret_cast<std::uint16_t*>(image.pixels.data());
    for (std::uint64_t i = 0; i < samples; ++i) {
      const std::uint32_t v = r.number("sample", maxval);
      const std::uint32_t full = bits == 16 ? 65535 : 255;
      const std::uint32_t scaled = maxval == full ? v : (v * full + maxval / 2) / maxval;
      if (bits == 16) {
        p16[i] = static_cast<std::uint16_t>(scaled);
      } else {
        image.pixels[i] = static_cast<std::uint8_t>(scaled);
      }
    }
  }
  return image;
}

}  // namespace findbuch::imageio

// PNG through libpng. libpng reports errors by calling an error function that must not return:
// ours copies the message and longjmps back to the setjmp in the small step functions below,
// whose frames hold only plain C data; buffers and cleanup live in the C++ callers.
#include <png.h>
#include <zlib.h>

#include <bit>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "core/error.hpp"
#include "imaging/image_io_internal.hpp"

namespace findbuch::imageio {
namespace {

struct State {
  png_structp png = nullptr;
  png_infop info = nullptr;
  bool writing = false;
  std::FILE* in = nullptr;
  int fd = -1;
  int write_error = 0;  // errno of a failed write
  bool truncated = false;
  char message[256] = {};

  State() = default;
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  ~State() {
    if (writing) {
      png_destroy_write_struct(&png, &info);
    } else {
      png_destroy_read_struct(&png, &info, nullptr);
    }
  }
};

[[noreturn]] void on_error(png_structp png, png_const_charp text) {
  auto* s = static_cast<State*>(png_get_error_ptr(png));
  std::snprintf(s->message, sizeof s->message, "%s", text);
  png_longjmp(png, 1);
}

void on_warning(png_structp, png_const_charp) {}  // never print

void on_read(png_structp png, png_bytep data, std::size_t size) {
  auto* s = static_cast<State*>(png_get_io_ptr(png));
  if (std::fread(data, 1, size, s->in) != size) {
    s->truncated = true;
    png_error(png, "unexpected end of file");
  }
}

void on_write(png_structp png, png_bytep data, std::size_t size) {
  auto* s = static_cast<State*>(png_get_io_ptr(png));
  if (!write_all(s->fd, data, size)) {
    s->write_error = errno;
    png_error(png, "write failed");
  }
}

void on_flush(png_structp) {}

bool create(State& s, bool writing) {
  s.writing = writing;
  s.png = writing ? png_create_write_struct(PNG_LIBPNG_VER_STRING, &s, &on_error, &on_warning)
                  : png_create_read_struct(PNG_LIBPNG_VER_STRING, &s, &on_error, &on_warning);
  if (s.png == nullptr) return false;
  s.info = png_create_info_struct(s.png);
  return s.info != nullptr;
}

// ---------------------------------------------------------------------------------------------
// Reading

struct Header {
  png_uint_32 width = 0, height = 0;
  int depth = 0, colour = 0, interlace = 0;
};

bool read_header(State& s, Header& h) {
  if (setjmp(png_jmpbuf(s.png))) return false;
  png_set_read_fn(s.png, &s, &on_read);
  png_set_user_limits(s.png, 0x7FFFFFFF, 0x7FFFFFFF);  // read_image checks its own limit
  png_read_info(s.png, s.info);
  png_get_IHDR(s.png, s.info, &h.width, &h.height, &h.depth, &h.colour, &h.interlace, nullptr,
               nullptr);
  return true;
}

// Everything becomes 8 or 16-bit grey or RGB, with alpha when the file has any transparency.
bool set_transforms(State& s, const Header& h) {
  if (setjmp(png_jmpbuf(s.png))) return false;
  if (h.colour == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(s.png);
  if (h.colour == PNG_COLOR_TYPE_GRAY && h.depth < 8) png_set_expand_gray_1_2_4_to_8(s.png);
  if (png_get_valid(s.png, s.info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(s.png);
  if (h.depth == 16 && std::endian::native == std::endian::little) png_set_swap(s.png);
  png_set_interlace_handling(s.png);
  png_read_update_info(s.png, s.info);
  return true;
}

// Decodes into `image`. With alpha, rows arrive in `with_alpha` (one row, or the whole image if
// interlaced) and are composited on white.
bool decode(State& s, Image& image, bool interlaced, std::uint8_t* with_alpha, png_bytep* rows) {
  if (setjmp(png_jmpbuf(s.png))) return false;
  const std::size_t width = static_cast<std::size_t>(image.width);
  const auto composite = [&](const std::uint8_t* in, std::uint8_t* out) {
    if (image.bits == 16) {
      composite_on_white_16(reinterpret_cast<const std::uint16_t*>(in),
                            reinterpret_cast<std::uint16_t*>(out), width, image.channels,
                            image.channels + 1, false);
    } else {
      composite_on_white_8(in, out, width, image.channels, image.channels + 1, false);
    }
  };
  if (with_alpha == nullptr) {
    png_read_image(s.png, rows);
  } else if (interlaced) {
    png_read_image(s.png, rows);
    for (int y = 0; y < image.height; ++y) composite(rows[y], image.row(y));
  } else {
    for (int y = 0; y < image.height; ++y) {
      png_read_row(s.png, with_alpha, nullptr);
      composite(with_alpha, image.row(y));
    }
  }
  png_read_end(s.png, nullptr);  // checks the rest of the file, up to IEND
  return true;
}

// pHYs counts pixels per metre, so 300 ppi is stored as 11811 and reads back as 299.9994.
// Every whole ppi value is within half a pixel per metre of its stored value: snap to it.
double ppi_from_metres(png_uint_32 per_metre) {
  const double ppi = per_metre * 0.0254;
  const double whole = std::round(ppi);
  return std::abs(ppi - whole) <= 0.5 * 0.0254 + 1e-9 ? whole : ppi;
}

[[noreturn]] void fail_png(const fs::path& file, const State& s) {
  fail(file, (s.truncated ? "truncated PNG: " : "corrupt PNG: ") + std::string(s.message));
}

// ---------------------------------------------------------------------------------------------
// Writing

// Scans are large and zlib is slow: run-length matching over the "sub" filter writes a 300 ppi
// A4 colour page about twice as fast as zlib level 1 with any filter, and smaller (measured on
// the Kant scan: 12.2 MB against 13.7 … 14.9 MB). Bitonal pages are small enough for level 6.
constexpr int kBitonalZlibLevel = 6;

bool encode(State& s, const Image& image, std::uint8_t* packed_row) {
  if (setjmp(png_jmpbuf(s.png))) return false;
  const bool bitonal = is_bitonal_grey(image);
  png_set_write_fn(s.png, &s, &on_write, &on_flush);
  // libpng refuses ICC profiles that do not fit the image (an RGB profile on a grey image):
  // as a warning, the PNG is written without it.
  png_set_benign_errors(s.png, 1);
  png_set_IHDR(s.png, s.info, static_cast<png_uint_32>(image.width),
               static_cast<png_uint_32>(image.height), bitonal ? 1 : image.bits,
               image.channels == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (image.ppi_x > 0 || image.ppi_y > 0) {
    const double x = image.ppi_x > 0 ? image.ppi_x : image.ppi_y;
    const double y = image.ppi_y > 0 ? image.ppi_y : image.ppi_x;
    png_set_pHYs(s.png, s.info, static_cast<png_uint_32>(std::lround(x / 0.0254)),
                 static_cast<png_uint_32>(std::lround(y / 0.0254)), PNG_RESOLUTION_METER);
  }
  if (!image.icc_profile.empty()) {
    png_set_iCCP(s.png, s.info, "ICC profile", PNG_COMPRESSION_TYPE_BASE, image.icc_profile.data(),
                 static_cast<png_uint_32>(image.icc_profile.size()));
  }
  if (bitonal) {
    png_set_compression_level(s.png, kBitonalZlibLevel);
    png_set_filter(s.png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
  } else {
    png_set_compression_strategy(s.png, Z_RLE);
    png_set_filter(s.png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
  }
  png_set_compression_buffer_size(s.png, 1 << 17);
  png_write_info(s.png, s.info);
  if (image.bits == 16 && !bitonal && std::endian::native == std::endian::little) {
    png_set_swap(s.png);  // PNG stores 16-bit samples big-endian
  }
  for (int y = 0; y < image.height; ++y) {
    const std::uint8_t* in = image.row(y);
    if (bitonal) {
      // 1-bit grey: 1 is white.
      std::memset(packed_row, 0, (static_cast<std::size_t>(image.width) + 7) / 8);
      for (int x = 0; x < image.width; ++x) {
        if (in[x] >= 128) packed_row[x >> 3] |= static_cast<std::uint8_t>(0x80 >> (x & 7));
      }
      in = packed_row;
    }
    png_write_row(s.png, in);
  }
  png_write_end(s.png, nullptr);
  return true;
}

}  // namespace

Image read_png(const fs::path& file, const ReadOptions& options) {
  const std::unique_ptr<std::FILE, decltype(&std::fclose)> in(std::fopen(file.c_str(), "rb"),
                                                              &std::fclose);
  if (!in) fail_io(file, "cannot open", errno);
  State s;
  s.in = in.get();
  if (!create(s, false)) throw std::bad_alloc();
  Header h;
  if (!read_header(s, h)) fail_png(file, s);
  check_dimensions(file, h.width, h.height, options.max_pixels);
  const bool bitonal = h.colour == PNG_COLOR_TYPE_GRAY && h.depth == 1 &&
                       !png_get_valid(s.png, s.info, PNG_INFO_tRNS);
  if (!set_transforms(s, h)) fail_png(file, s);

  const int channels = png_get_channels(s.png, s.info);
  const bool alpha = channels == 2 || channels == 4;
  const int bits = png_get_bit_depth(s.png, s.info) == 16 ? 16 : 8;
  Image image =
      new_image(file, h.width, h.height, alpha ? channels - 1 : channels, bits, options.max_pixels);
  image.bitonal = bitonal;
  const bool interlaced = h.interlace != PNG_INTERLACE_NONE;
  const std::size_t alpha_row = png_get_rowbytes(s.png, s.info);
  std::vector<std::uint8_t> with_alpha;
  if (alpha) with_alpha.resize(alpha_row * (interlaced ? h.height : 1));
  std::vector<png_bytep> rows(h.height);
  for (png_uint_32 y = 0; y < h.height; ++y) {
    rows[y] = alpha ? with_alpha.data() + (interlaced ? y * alpha_row : 0)
                    : image.row(static_cast<int>(y));
  }
  if (!decode(s, image, interlaced, alpha ? with_alpha.data() : nullptr, rows.data())) {
    fail_png(file, s);
  }

  png_uint_32 x_res = 0, y_res = 0;
  int unit = 0;
  if (png_get_pHYs(s.png, s.info, &x_res, &y_res, &unit) && unit == PNG_RESOLUTION_METER) {
    image.ppi_x = ppi_from_metres(x_res);
    image.ppi_y = ppi_from_metres(y_res);
  }
  png_charp name = nullptr;
  int compression = 0;
  png_bytep profile = nullptr;
  png_uint_32 profile_size = 0;
  if (png_get_iCCP(s.png, s.info, &name, &compression, &profile, &profile_size) && profile) {
    image.icc_profile.assign(profile, profile + profile_size);
  }
  return image;
}

void write_png(const Image& image, const WriteOptions&, int fd, const fs::path& file) {
  State s;
  s.fd = fd;
  if (!create(s, true)) throw std::bad_alloc();
  std::vector<std::uint8_t> packed_row((static_cast<std::size_t>(image.width) + 7) / 8);
  if (!encode(s, image, packed_row.data())) {
    if (s.write_error != 0) fail_io(file, "cannot write", s.write_error);
    throw EnvironmentError(in_quotes(file.string()) + ": cannot write PNG: " + s.message);
  }
}

}  // namespace findbuch::imageio

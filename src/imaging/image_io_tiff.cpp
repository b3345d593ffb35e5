// TIFF through libtiff. Reading decodes whole strips or tiles (TIFFReadEncodedStrip/Tile); the
// common layouts (8/16-bit grey or RGB, interleaved) land directly in the Image buffer, the rest
// is converted one row at a time. Only layouts libtiff cannot hand over as plain samples
// (subsampled YCbCr, old-style JPEG, CIELab) go through TIFFRGBAImage, which yields 8 bits.
#include <tiffio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "imaging/image_io_internal.hpp"

namespace findbuch::imageio {
namespace {

// libtiff reports through these handlers, per handle (libtiff >= 4.5); the first error is kept
// for the exception text. Fixed storage: nothing here may throw into C code.
struct Messages {
  std::array<char, 512> error{};
  bool failed() const { return error[0] != '\0'; }
  std::string text() const { return error.data(); }
};

void keep(Messages& m, const char* module, const char* fmt, va_list ap) {
  if (m.failed()) return;
  int n = 0;
  if (module != nullptr) n = std::snprintf(m.error.data(), m.error.size(), "%s: ", module);
  n = std::clamp(n, 0, static_cast<int>(m.error.size()) - 1);
  std::vsnprintf(m.error.data() + n, m.error.size() - static_cast<std::size_t>(n), fmt, ap);
  if (!m.failed()) m.error[0] = '?';
}

int on_error(TIFF*, void* user, const char* module, const char* fmt, va_list ap) {
  keep(*static_cast<Messages*>(user), module, fmt, ap);
  return 1;  // handled: nothing reaches stderr
}

// Warnings about unknown tags and the like are harmless; but libtiff reports tag data beyond the
// end of the file only as an "IO error" warning, and that is truncation.
int on_warning(TIFF*, void* user, const char* module, const char* fmt, va_list ap) {
  std::array<char, 512> text{};
  va_list copy;
  va_copy(copy, ap);
  std::vsnprintf(text.data(), text.size(), fmt, copy);
  va_end(copy);
  const std::string_view t(text.data());
  if (t.find("IO error") != std::string_view::npos || t.find("I/O error") != t.npos) {
    keep(*static_cast<Messages*>(user), module, fmt, ap);
  }
  return 1;
}

using TiffPtr = std::unique_ptr<TIFF, decltype(&TIFFClose)>;
using OptionsPtr = std::unique_ptr<TIFFOpenOptions, decltype(&TIFFOpenOptionsFree)>;

OptionsPtr open_options(Messages& messages) {
  // A few messages come without a handle; the global handlers would print them.
  static const bool silenced = [] {
    TIFFSetErrorHandler(nullptr);
    TIFFSetWarningHandler(nullptr);
    return true;
  }();
  (void)silenced;
  OptionsPtr options(TIFFOpenOptionsAlloc(), &TIFFOpenOptionsFree);
  if (!options) throw std::bad_alloc();
  TIFFOpenOptionsSetErrorHandlerExtR(options.get(), &on_error, &messages);
  TIFFOpenOptionsSetWarningHandlerExtR(options.get(), &on_warning, &messages);
  // Hostile tag counts must not make libtiff allocate without bound.
  TIFFOpenOptionsSetMaxSingleMemAlloc(options.get(), tmsize_t{1} << 30);
  return options;
}

bool looks_truncated(std::string_view message) {
  for (const char* hint : {"Read error", "Cannot read", "Can not read", "IO error", "I/O error",
                           "Not enough data", "Premature", "end of file", "Seek error"}) {
    if (message.find(hint) != std::string_view::npos) return true;
  }
  return false;
}

[[noreturn]] void fail_tiff(const fs::path& file, const Messages& messages, const char* what) {
  std::string text = messages.failed() ? messages.text() : std::string(what);
  // libtiff often names the file too; the exception text names it once, in front.
  const std::string name = file.string() + ": ";
  for (auto at = text.find(name); at != std::string::npos; at = text.find(name)) {
    text.erase(at, name.size());
  }
  fail(file, (looks_truncated(text) ? "truncated or corrupt TIFF: " : "corrupt TIFF: ") + text);
}

TiffPtr open_tiff(const fs::path& file, Messages& messages) {
  const OptionsPtr options = open_options(messages);
  // "m": no memory mapping, so a file truncated while we read it cannot raise SIGBUS.
  TiffPtr tif(TIFFOpenExt(file.c_str(), "rm", options.get()), &TIFFClose);
  if (!tif || messages.failed()) fail_tiff(file, messages, "not a readable TIFF");
  return tif;
}

int directory_count(const fs::path& file, TIFF* tif, const Messages& messages) {
  const auto pages = TIFFNumberOfDirectories(tif);
  if (messages.failed()) fail_tiff(file, messages, "unreadable directory chain");
  return static_cast<int>(std::min<std::uint64_t>(pages, 1 << 30));
}

// ---------------------------------------------------------------------------------------------
// Reading

enum class Model { grey, palette, rgb, cmyk };

struct Layout {
  Model model = Model::grey;
  int bps = 8;                ///< bits per sample in the file
  int spp = 1;                ///< samples per pixel in the file
  bool min_is_white = false;  ///< grey: 0 is white
  int alpha = -1;             ///< index of an alpha sample to composite on white, or -1
  bool premultiplied = false;
  std::array<std::uint8_t, 3 * 256> palette{};  ///< RGB entries for Model::palette
};

template <class T>
T* samples(std::uint8_t* p) {
  return reinterpret_cast<T*>(p);
}
template <class T>
const T* samples(const std::uint8_t* p) {
  return reinterpret_cast<const T*>(p);
}

// 1/2/4-bit samples of one row, MSB first, as 0 … 2^bps − 1.
void unpack_row(const std::uint8_t* in, std::uint8_t* out, std::size_t width, int bps) {
  const int per_byte = 8 / bps;
  const unsigned mask = (1u << bps) - 1;
  for (std::size_t x = 0; x < width; ++x) {
    const int shift = 8 - bps * (1 + static_cast<int>(x % per_byte));
    out[x] = static_cast<std::uint8_t>(in[x / per_byte] >> shift & mask);
  }
}

// Grey or RGB with 8 or 16 bits: invert MinIsWhite, composite alpha, drop other extra samples.
template <class T>
void convert_plain(const Layout& l, const std::uint8_t* raw, std::uint8_t* out_bytes,
                   std::size_t width) {
  const T* in = samples<T>(raw);
  T* out = samples<T>(out_bytes);
  constexpr T kMax = static_cast<T>(~T{0});
  const int colour = l.model == Model::grey ? 1 : 3;
  if (l.model == Model::grey && l.min_is_white) {
    // Samples measure ink. On white, ink covering a fraction a of the pixel leaves max − ink·a;
    // associated alpha has already multiplied it in.
    for (std::size_t x = 0; x < width; ++x) {
      const T* p = in + x * static_cast<std::size_t>(l.spp);
      std::uint64_t ink = p[0];
      if (l.alpha >= 0 && !l.premultiplied) ink = (ink * p[l.alpha] + kMax / 2) / kMax;
      out[x] = static_cast<T>(kMax - ink);
    }
    return;
  }
  if (l.alpha >= 0) {
    if constexpr (sizeof(T) == 1) {
      composite_on_white_8(in, out, width, colour, l.spp, l.premultiplied);
    } else {
      composite_on_white_16(in, out, width, colour, l.spp, l.premultiplied);
    }
    return;
  }
  for (std::size_t x = 0; x < width; ++x) {
    for (int c = 0; c < colour; ++c) out[x * colour + c] = in[x * l.spp + c];
  }
}

void convert_row(const Layout& l, const std::uint8_t* raw, std::uint8_t* out, std::size_t width,
                 std::vector<std::uint8_t>& unpacked) {
  if (l.model == Model::palette) {
    const std::uint8_t* index = raw;
    if (l.bps < 8) {
      unpack_row(raw, unpacked.data(), width, l.bps);
      index = unpacked.data();
    }
    for (std::size_t x = 0; x < width; ++x) std::memcpy(out + 3 * x, &l.palette[3 * index[x]], 3);
  } else if (l.model == Model::grey && l.bps < 8) {
    unpack_row(raw, unpacked.data(), width, l.bps);
    const unsigned max = (1u << l.bps) - 1;
    for (std::size_t x = 0; x < width; ++x) {
      const unsigned v = l.min_is_white ? max - unpacked[x] : unpacked[x];
      out[x] = static_cast<std::uint8_t>(v * 255 / max);
    }
  } else if (l.model == Model::cmyk) {
    if (l.bps == 8) {
      cmyk_to_rgb_8(raw, out, width, l.spp, false);
    } else {
      cmyk_to_rgb_16(samples<std::uint16_t>(raw), samples<std::uint16_t>(out), width, l.spp);
    }
  } else if (l.bps == 8) {
    convert_plain<std::uint8_t>(l, raw, out, width);
  } else {
    convert_plain<std::uint16_t>(l, raw, out, width);
  }
}

// Fills bands of rows in the file's interleaved ("contig") sample layout from strips or tiles,
// interleaving separate planes on the way.
class BandReader {
 public:
  BandReader(const fs::path& file, TIFF* tif, const Messages& messages, std::uint32_t width,
             std::uint32_t height, const Layout& layout, std::uint64_t max_pixels)
      : file_(file), tif_(tif), messages_(messages), width_(width), height_(height) {
    std::uint16_t planar = PLANARCONFIG_CONTIG;
    TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &planar);
    planes_ = planar == PLANARCONFIG_SEPARATE && layout.spp > 1 ? layout.spp : 1;
    sample_bytes_ = layout.bps == 16 ? 2 : 1;
    pixel_bits_ = static_cast<unsigned>(layout.spp) * static_cast<unsigned>(layout.bps);
    row_bytes_ = (std::uint64_t{width} * static_cast<unsigned>(layout.spp) *
                      static_cast<unsigned>(layout.bps) +
                  7) /
                 8;
    const std::uint64_t libtiff_row = TIFFScanlineSize64(tif);
    if (libtiff_row != (planes_ > 1 ? row_bytes_ / static_cast<unsigned>(planes_) : row_bytes_)) {
      fail(file, "unsupported TIFF: unexpected scanline size " + std::to_string(libtiff_row));
    }
    if (TIFFIsTiled(tif)) {
      tiled_ = true;
      if (TIFFGetField(tif, TIFFTAG_TILEWIDTH, &tile_width_) != 1 ||
          TIFFGetField(tif, TIFFTAG_TILELENGTH, &band_) != 1 || tile_width_ == 0 || band_ == 0) {
        fail(file, "corrupt TIFF: tiles without a size");
      }
      if (std::uint64_t{tile_width_} * band_ > std::max<std::uint64_t>(max_pixels, 1 << 20)) {
        fail(file, "corrupt TIFF: tiles of " + std::to_string(tile_width_) + " x " +
                       std::to_string(band_) + " pixels exceed the pixel limit");
      }
      if (std::uint64_t{tile_width_} * static_cast<unsigned>(layout.spp / planes_) *
              static_cast<unsigned>(layout.bps) % 8 !=
          0) {
        fail(file, "unsupported TIFF: tile width " + std::to_string(tile_width_) +
                       " is not a whole number of bytes");
      }
      tile_row_ = TIFFTileRowSize64(tif);
      if (tile_row_ == 0) fail_tiff(file, messages, "invalid tile size");
      tile_.resize(static_cast<std::size_t>(tile_row_ * band_));
    } else {
      TIFFGetFieldDefaulted(tif, TIFFTAG_ROWSPERSTRIP, &band_);
      if (band_ == 0) band_ = height;
    }
    band_ = std::min(band_, height);
    if (planes_ > 1) plane_.resize(static_cast<std::size_t>(band_ * (row_bytes_ / planes_)));
  }

  std::uint32_t band_rows() const { return band_; }
  std::size_t row_bytes() const { return static_cast<std::size_t>(row_bytes_); }

  /// Whether rows can be decoded one at a time (TIFFReadScanline): interleaved strips. Used for
  /// huge strips — some scanners write a whole page as one LZW strip — so that streaming a
  /// master does not decode it all at once.
  bool reads_scanlines() const {
    return !tiled_ && planes_ == 1 && std::uint64_t{band_} * row_bytes_ > (16u << 20);
  }
  /// Row `y` (in order: compressed strips decode sequentially) into `out`.
  void read_scanline(std::uint32_t y, std::uint8_t* out) {
    if (TIFFReadScanline(tif_, out, y, 0) != 1) fail_strile("row", y);
  }

  // Band `b` (rows b·band_rows() … ) into `out`, which holds band_rows() rows.
  void read(std::uint32_t b, std::uint8_t* out) {
    const std::uint32_t y0 = b * band_;
    const std::uint32_t rows = std::min(band_, height_ - y0);
    if (tiled_) {
      for (std::uint32_t x0 = 0; x0 < width_; x0 += tile_width_) {
        for (int p = 0; p < planes_; ++p) read_tile(x0, y0, rows, p, out);
      }
      return;
    }
    if (planes_ == 1) {
      const tmsize_t size = static_cast<tmsize_t>(rows * row_bytes_);
      if (TIFFReadEncodedStrip(tif_, b, out, size) != size) fail_strile("strip", b);
      return;
    }
    const std::uint64_t plane_row = row_bytes_ / static_cast<unsigned>(planes_);
    const std::uint32_t strips_per_plane = (height_ + band_ - 1) / band_;
    for (int p = 0; p < planes_; ++p) {
      const std::uint32_t strip = static_cast<std::uint32_t>(p) * strips_per_plane + b;
      const tmsize_t size = static_cast<tmsize_t>(rows * plane_row);
      if (TIFFReadEncodedStrip(tif_, strip, plane_.data(), size) != size) {
        fail_strile("strip", strip);
      }
      for (std::uint32_t r = 0; r < rows; ++r) {
        interleave(plane_.data() + r * plane_row, out + r * row_bytes_, width_, p);
      }
    }
  }

 private:
  [[noreturn]] void fail_strile(const char* what, std::uint32_t index) {
    if (messages_.failed()) fail_tiff(file_, messages_, "");
    fail(file_, std::string("corrupt TIFF: ") + what + " " + std::to_string(index) +
                    " decodes to fewer bytes than the image needs");
  }

  void interleave(const std::uint8_t* plane, std::uint8_t* out, std::size_t count, int p) const {
    const std::size_t step = static_cast<std::size_t>(planes_) * sample_bytes_;
    out += static_cast<std::size_t>(p) * sample_bytes_;
    for (std::size_t i = 0; i < count; ++i) {
      std::memcpy(out + i * step, plane + i * sample_bytes_, sample_bytes_);
    }
  }

  void read_tile(std::uint32_t x0, std::uint32_t y0, std::uint32_t rows, int p, std::uint8_t* out) {
    const std::uint32_t index = TIFFComputeTile(tif_, x0, y0, 0, static_cast<std::uint16_t>(p));
    const auto size = static_cast<tmsize_t>(tile_.size());
    if (TIFFReadEncodedTile(tif_, index, tile_.data(), size) != size) fail_strile("tile", index);
    const std::uint32_t columns = std::min(tile_width_, width_ - x0);
    for (std::uint32_t r = 0; r < rows; ++r) {
      const std::uint8_t* from = tile_.data() + r * tile_row_;
      std::uint8_t* to = out + r * row_bytes_;
      if (planes_ > 1) {
        interleave(from, to + std::uint64_t{x0} * static_cast<unsigned>(planes_) * sample_bytes_,
                   columns, p);
      } else {
        const std::uint64_t offset = std::uint64_t{x0} * pixel_bits_ / 8;
        std::memcpy(
            to + offset, from,
            static_cast<std::size_t>(std::min<std::uint64_t>(tile_row_, row_bytes_ - offset)));
      }
    }
  }

  const fs::path& file_;
  TIFF* tif_;
  const Messages& messages_;
  std::uint32_t width_, height_;
  int planes_ = 1;
  std::size_t sample_bytes_ = 1;
  std::uint64_t pixel_bits_ = 0;
  std::uint64_t row_bytes_ = 0;
  bool tiled_ = false;
  std::uint32_t tile_width_ = 0;
  std::uint64_t tile_row_ = 0;  ///< bytes per row of one tile (of one plane)
  std::uint32_t band_ = 0;
  std::vector<std::uint8_t> tile_, plane_;
};

// A master cut short in transfer usually still has readable tags, but its strips point past the
// end of the file: say so instead of decoding garbage.
void check_striles(const fs::path& file, TIFF* tif) {
  std::error_code ec;
  const std::uint64_t size = fs::file_size(file, ec);
  if (ec) fail_io(file, "cannot determine the file size", ec.value());
  const std::uint32_t count = TIFFIsTiled(tif) ? TIFFNumberOfTiles(tif) : TIFFNumberOfStrips(tif);
  if (count == 0) fail(file, "corrupt TIFF: no image data");
  for (std::uint32_t i = 0; i < count; ++i) {
    int err = 0;
    const std::uint64_t offset = TIFFGetStrileOffsetWithErr(tif, i, &err);
    const std::uint64_t bytes = err ? 0 : TIFFGetStrileByteCountWithErr(tif, i, &err);
    if (err) fail(file, "corrupt TIFF: unreadable strip or tile table");
    if (bytes > size || offset > size - bytes) {
      fail(file, "truncated TIFF: image data lies beyond the end of the file");
    }
  }
}

void read_metadata(TIFF* tif, Image& image) {
  float x = 0, y = 0;
  std::uint16_t unit = RESUNIT_INCH;
  TIFFGetFieldDefaulted(tif, TIFFTAG_RESOLUTIONUNIT, &unit);
  const double scale = unit == RESUNIT_INCH ? 1.0 : unit == RESUNIT_CENTIMETER ? 2.54 : 0.0;
  const bool has_x = TIFFGetField(tif, TIFFTAG_XRESOLUTION, &x) == 1 && std::isfinite(x) && x > 0;
  const bool has_y = TIFFGetField(tif, TIFFTAG_YRESOLUTION, &y) == 1 && std::isfinite(y) && y > 0;
  if (has_x || has_y) {
    image.ppi_x = (has_x ? x : y) * scale;
    image.ppi_y = (has_y ? y : x) * scale;
  }
  std::uint32_t icc_size = 0;
  const void* icc = nullptr;
  if (TIFFGetField(tif, TIFFTAG_ICCPROFILE, &icc_size, &icc) == 1 && icc != nullptr) {
    const auto* p = static_cast<const std::uint8_t*>(icc);
    image.icc_profile.assign(p, p + icc_size);
  }
}

// Layouts without plain samples: libtiff's RGBA interface converts them (8 bits per sample).
Image read_via_rgba(const fs::path& file, TIFF* tif, const Messages& messages, std::uint32_t width,
                    std::uint32_t height, std::uint64_t max_pixels) {
  char reason[1024] = {};
  if (!TIFFRGBAImageOK(tif, reason)) fail(file, std::string("unsupported TIFF: ") + reason);
  TIFFRGBAImage rgba{};
  if (!TIFFRGBAImageBegin(&rgba, tif, 0, reason)) {
    fail(file, std::string("unsupported TIFF: ") + reason);
  }
  const std::unique_ptr<TIFFRGBAImage, decltype(&TIFFRGBAImageEnd)> end(&rgba, &TIFFRGBAImageEnd);
  // Raw file order; apply_orientation does the rest, the same way as for the other layouts.
  rgba.req_orientation = ORIENTATION_TOPLEFT;
  rgba.orientation = ORIENTATION_TOPLEFT;
  Image image = new_image(file, width, height, 3, 8, max_pixels);
  std::vector<std::uint32_t> raster(std::size_t{width} * height);
  if (!TIFFRGBAImageGet(&rgba, raster.data(), width, height) || messages.failed()) {
    fail_tiff(file, messages, "cannot decode the image");
  }
  // The raster is premultiplied: compositing on white adds the missing coverage as white.
  std::uint8_t* out = image.pixels.data();
  for (const std::uint32_t px : raster) {
    const unsigned a = TIFFGetA(px);
    *out++ = static_cast<std::uint8_t>(std::min(255u, TIFFGetR(px) + 255 - a));
    *out++ = static_cast<std::uint8_t>(std::min(255u, TIFFGetG(px) + 255 - a));
    *out++ = static_cast<std::uint8_t>(std::min(255u, TIFFGetB(px) + 255 - a));
  }
  return image;
}

// Palette entries are 16 bits; some writers put 8-bit values there, recognisable as all < 256.
void read_palette(const fs::path& file, TIFF* tif, Layout& layout) {
  std::uint16_t *r = nullptr, *g = nullptr, *b = nullptr;
  if (TIFFGetField(tif, TIFFTAG_COLORMAP, &r, &g, &b) != 1 || !r || !g || !b) {
    fail(file, "corrupt TIFF: palette image without a colour map");
  }
  const int n = 1 << layout.bps;
  bool eight_bit = true;
  for (int i = 0; i < n; ++i) eight_bit = eight_bit && r[i] < 256 && g[i] < 256 && b[i] < 256;
  const auto to8 = [eight_bit](std::uint32_t v) {
    return static_cast<std::uint8_t>(eight_bit ? v : (v * 255 + 32767) / 65535);
  };
  for (int i = 0; i < n; ++i) {
    layout.palette[3 * i] = to8(r[i]);
    layout.palette[3 * i + 1] = to8(g[i]);
    layout.palette[3 * i + 2] = to8(b[i]);
  }
}

// What one directory holds and how to decode it: the checks and the sample layout, then rows
// top to bottom. Plain layouts decode band by band (strips or rows of tiles), so a caller can
// stream an image larger than memory; the rest goes through TIFFRGBAImage at once.
class DirectoryDecoder {
 public:
  DirectoryDecoder(const fs::path& file, TIFF* tif, const Messages& messages,
                   std::uint64_t max_pixels)
      : file_(file), tif_(tif), messages_(messages), max_pixels_(max_pixels) {
    if (TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &width_) != 1 ||
        TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &height_) != 1) {
      fail(file, "corrupt TIFF: no image dimensions");
    }
    check_dimensions(file, width_, height_, max_pixels);
    check_striles(file, tif);

    std::uint16_t bps = 1, spp = 1, photometric = 0, compression = COMPRESSION_NONE;
    std::uint16_t format = SAMPLEFORMAT_UINT;
    std::uint16_t inkset = INKSET_CMYK, extra_count = 0;
    std::uint16_t* extra = nullptr;
    TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bps);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
    TIFFGetFieldDefaulted(tif, TIFFTAG_COMPRESSION, &compression);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &format);
    TIFFGetFieldDefaulted(tif, TIFFTAG_ORIENTATION, &orientation_);
    TIFFGetFieldDefaulted(tif, TIFFTAG_INKSET, &inkset);
    TIFFGetFieldDefaulted(tif, TIFFTAG_EXTRASAMPLES, &extra_count, &extra);
    if (TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photometric) != 1) {
      photometric = spp >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK;
    }
    if (format != SAMPLEFORMAT_UINT && format != SAMPLEFORMAT_VOID) {
      fail(file, "unsupported TIFF: sample format " + std::to_string(format) +
                     " (only unsigned integer samples are supported)");
    }
    if (!messages.failed() && photometric == PHOTOMETRIC_YCBCR && compression == COMPRESSION_JPEG) {
      // libjpeg does the colour conversion and the chroma upsampling.
      TIFFSetField(tif, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
      photometric = PHOTOMETRIC_RGB;
    }
    if (messages.failed()) fail_tiff(file, messages, "");

    layout_.bps = bps;
    layout_.spp = spp;
    int colour_samples = 0;
    plain_ = bps == 8 || bps == 16;
    switch (photometric) {
      case PHOTOMETRIC_MINISWHITE:
      case PHOTOMETRIC_MINISBLACK:
        layout_.model = Model::grey;
        layout_.min_is_white = photometric == PHOTOMETRIC_MINISWHITE;
        colour_samples = 1;
        plain_ = plain_ || ((bps == 1 || bps == 2 || bps == 4) && spp == 1);
        break;
      case PHOTOMETRIC_PALETTE:
        layout_.model = Model::palette;
        colour_samples = 1;
        plain_ = (bps == 1 || bps == 2 || bps == 4 || bps == 8) && spp == 1;
        if (plain_) read_palette(file, tif, layout_);
        break;
      case PHOTOMETRIC_RGB:
        layout_.model = Model::rgb;
        colour_samples = 3;
        break;
      case PHOTOMETRIC_SEPARATED:
        layout_.model = Model::cmyk;
        colour_samples = 4;
        plain_ = plain_ && inkset == INKSET_CMYK;
        break;
      default:
        plain_ = false;
        break;
    }
    plain_ = plain_ && spp >= colour_samples && compression != COMPRESSION_OJPEG;
    if (!plain_) return;

    header_.width = static_cast<int>(width_);
    header_.height = static_cast<int>(height_);
    header_.channels = layout_.model == Model::grey ? 1 : 3;
    header_.bits = bps == 16 ? 16 : 8;
    header_.bitonal = layout_.model == Model::grey && bps == 1;
    read_metadata(tif, header_);
    if (spp > colour_samples && extra_count > 0 && layout_.model != Model::cmyk &&
        (extra[0] == EXTRASAMPLE_ASSOCALPHA || extra[0] == EXTRASAMPLE_UNASSALPHA)) {
      layout_.alpha = colour_samples;
      layout_.premultiplied = extra[0] == EXTRASAMPLE_ASSOCALPHA;
    }
    reader_.emplace(file, tif, messages, width_, height_, layout_, max_pixels);
    // The usual masters need no conversion: whole bands decode straight into the caller's rows.
    direct_ = layout_.model != Model::palette && spp == header_.channels && bps >= 8 &&
              layout_.model != Model::cmyk && !layout_.min_is_white;
    unpacked_.resize(width_);
  }

  /// Whether rows can be decoded band by band (plain samples) and need no reorientation.
  bool plain() const { return plain_; }
  bool upright() const { return orientation_ == ORIENTATION_TOPLEFT; }
  int orientation() const { return orientation_; }
  /// The image without pixels (plain layouts only).
  const Image& header() const { return header_; }
  /// Rows per strip or tile row (plain layouts only).
  std::uint32_t band_rows() const { return reader_->band_rows(); }

  /// The next `rows` rows, converted, into `out` (plain layouts only).
  void read_rows(std::uint8_t* out, std::uint32_t rows) {
    const std::uint32_t band_rows = reader_->band_rows();
    const std::size_t out_row = header_.row_bytes();
    while (rows > 0) {
      const std::uint32_t band = next_row_ / band_rows;
      const std::uint32_t in_band = next_row_ % band_rows;
      const std::uint32_t band_height = std::min(band_rows, height_ - band * band_rows);
      const std::uint32_t take = std::min(rows, band_height - in_band);
      if (reader_->reads_scanlines()) {
        scanline_.resize(reader_->row_bytes());
        for (std::uint32_t r = 0; r < take; ++r) {
          std::uint8_t* to = out + r * out_row;
          reader_->read_scanline(next_row_ + r, direct_ ? to : scanline_.data());
          if (!direct_) convert_row(layout_, scanline_.data(), to, width_, unpacked_);
        }
      } else if (direct_ && in_band == 0 && take == band_height) {
        reader_->read(band, out);
      } else {
        if (loaded_band_ != band) {
          band_.resize(band_rows * reader_->row_bytes());  // once: only for partial bands
          reader_->read(band, band_.data());
          loaded_band_ = band;
        }
        for (std::uint32_t r = 0; r < take; ++r) {
          const std::uint8_t* raw = band_.data() + (in_band + r) * reader_->row_bytes();
          if (direct_) {
            std::memcpy(out + r * out_row, raw, out_row);
          } else {
            convert_row(layout_, raw, out + r * out_row, width_, unpacked_);
          }
        }
      }
      if (messages_.failed()) fail_tiff(file_, messages_, "");
      out += take * out_row;
      next_row_ += take;
      rows -= take;
    }
  }

  /// The whole image, upright.
  Image read_all() {
    Image image;
    if (plain_) {
      image = new_image(file_, width_, height_, header_.channels, header_.bits, max_pixels_);
      image.bitonal = header_.bitonal;
      read_rows(image.pixels.data(), height_);
    } else {
      image = read_via_rgba(file_, tif_, messages_, width_, height_, max_pixels_);
    }
    read_metadata(tif_, image);
    apply_orientation(image, orientation_);
    return image;
  }

 private:
  const fs::path& file_;
  TIFF* tif_;
  const Messages& messages_;
  std::uint64_t max_pixels_;
  std::uint32_t width_ = 0, height_ = 0;
  std::uint16_t orientation_ = ORIENTATION_TOPLEFT;
  Layout layout_;
  bool plain_ = false, direct_ = false;
  Image header_;
  std::optional<BandReader> reader_;
  std::vector<std::uint8_t> band_, unpacked_, scanline_;
  std::uint32_t next_row_ = 0;
  std::uint32_t loaded_band_ = ~std::uint32_t{0};
};

// ---------------------------------------------------------------------------------------------
// Writing

// Strips of about this many uncompressed bytes: large enough for Deflate to find matches,
// small enough to stay in cache while the predictor and the compressor run over them.
constexpr std::size_t kStripBytes = 512 << 10;

// Deflate level: with the predictor, level 1 writes a 300 ppi A4 colour scan in less than half
// the time of level 4 for 3 % more bytes (measured on the Kant scan: 171 ms / 12.9 MB against
// 385 ms / 12.5 MB); the page pipeline writes many of them.
constexpr int kDeflateLevel = 1;

}  // namespace

namespace {

TiffPtr open_page(const fs::path& file, const ReadOptions& options, Messages& messages) {
  TiffPtr tif = open_tiff(file, messages);
  const int pages = directory_count(file, tif.get(), messages);
  if (options.page < 0 || options.page >= pages) {
    fail(file, "page " + std::to_string(options.page) + " is out of range (the file has " +
                   std::to_string(pages) + (pages == 1 ? " page)" : " pages)"));
  }
  if (options.page > 0 &&
      (TIFFSetDirectory(tif.get(), static_cast<tdir_t>(options.page)) != 1 || messages.failed())) {
    fail_tiff(file, messages, "cannot read the page's directory");
  }
  return tif;
}

class TiffRows final : public RowReader {
 public:
  TiffRows(const fs::path& file, const ReadOptions& options)
      : file_(file),
        tif_(open_page(file_, options, messages_)),
        decoder_(file_, tif_.get(), messages_, options.max_pixels) {
    header_ = decoder_.header();
  }
  bool streamable() const { return decoder_.plain() && decoder_.upright(); }

  void read(std::uint8_t* out, int rows) override {
    decoder_.read_rows(out, static_cast<std::uint32_t>(rows));
  }
  int preferred_rows() const override {
    const std::uint32_t rows = decoder_.band_rows();
    return rows <= 512 ? static_cast<int>(rows) : 64;  // huge strips come row by row
  }

 private:
  fs::path file_;
  Messages messages_;  // before tif_: libtiff's handlers point at it
  TiffPtr tif_;
  DirectoryDecoder decoder_;
};

}  // namespace

Image read_tiff(const fs::path& file, const ReadOptions& options) {
  Messages messages;
  const TiffPtr tif = open_page(file, options, messages);
  return DirectoryDecoder(file, tif.get(), messages, options.max_pixels).read_all();
}

std::unique_ptr<RowReader> open_tiff_rows(const fs::path& file, const ReadOptions& options) {
  auto rows = std::make_unique<TiffRows>(file, options);
  if (!rows->streamable()) return nullptr;
  return rows;
}

int count_tiff_pages(const fs::path& file) {
  Messages messages;
  const TiffPtr tif = open_tiff(file, messages);
  return directory_count(file, tif.get(), messages);
}

void write_tiff(const Image& image, const WriteOptions& options, int fd, const fs::path& file) {
  Messages messages;
  const auto fail_write = [&](const std::string& what) {
    throw EnvironmentError(in_quotes(file.string()) +
                           ": cannot write TIFF: " + (messages.failed() ? messages.text() : what));
  };
  const OptionsPtr open = open_options(messages);
  const int own_fd = ::dup(fd);  // TIFFClose closes it; the caller keeps `fd` for fsync
  if (own_fd < 0) fail_io(file, "cannot write", errno);
  const bool bitonal = is_bitonal_grey(image);
  const std::uint64_t raw = bitonal ? (std::uint64_t{image.row_bytes()} + 7) / 8 * image.height
                                    : std::uint64_t{image.row_bytes()} * image.height;
  const bool big = raw > (std::uint64_t{3} << 30);  // classic TIFF ends at 4 GiB
  TIFF* opened = TIFFFdOpenExt(own_fd, file.c_str(), big ? "w8" : "w", open.get());
  if (opened == nullptr) {
    ::close(own_fd);
    fail_write("cannot open");
  }
  const TiffPtr tif(opened, &TIFFClose);
  TIFF* t = tif.get();

  bool ok = TIFFSetField(t, TIFFTAG_IMAGEWIDTH, static_cast<std::uint32_t>(image.width)) &&
            TIFFSetField(t, TIFFTAG_IMAGELENGTH, static_cast<std::uint32_t>(image.height)) &&
            TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG) &&
            TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, static_cast<std::uint16_t>(image.channels));
  std::size_t row_bytes = image.row_bytes();
  std::uint32_t rows_per_strip = 0;
  if (bitonal) {
    // CCITT G4, the archival standard for bitonal scans, as one strip (what fax readers expect).
    row_bytes = (static_cast<std::size_t>(image.width) + 7) / 8;
    rows_per_strip = static_cast<std::uint32_t>(image.height);
    ok = ok && TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 1) &&
         TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE) &&
         TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX4);
  } else {
    rows_per_strip = static_cast<std::uint32_t>(std::clamp<std::size_t>(
        kStripBytes / row_bytes, 1, static_cast<std::size_t>(image.height)));
    const TiffCompression c = options.tiff_compression;
    const bool deflate = c == TiffCompression::deflate;
    ok = ok && TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, static_cast<std::uint16_t>(image.bits)) &&
         TIFFSetField(t, TIFFTAG_PHOTOMETRIC,
                      image.channels == 1 ? PHOTOMETRIC_MINISBLACK : PHOTOMETRIC_RGB) &&
         TIFFSetField(t, TIFFTAG_COMPRESSION,
                      deflate                     ? COMPRESSION_ADOBE_DEFLATE
                      : c == TiffCompression::lzw ? COMPRESSION_LZW
                                                  : COMPRESSION_NONE) &&
         (c == TiffCompression::none || TIFFSetField(t, TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL)) &&
         (!deflate || TIFFSetField(t, TIFFTAG_ZIPQUALITY, kDeflateLevel));
  }
  ok = ok && TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, rows_per_strip);
  if (image.ppi_x > 0 || image.ppi_y > 0) {
    const double x = image.ppi_x > 0 ? image.ppi_x : image.ppi_y;
    const double y = image.ppi_y > 0 ? image.ppi_y : image.ppi_x;
    ok = ok && TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH) &&
         TIFFSetField(t, TIFFTAG_XRESOLUTION, x) && TIFFSetField(t, TIFFTAG_YRESOLUTION, y);
  }
  if (!image.icc_profile.empty()) {
    ok = ok &&
         TIFFSetField(t, TIFFTAG_ICCPROFILE, static_cast<std::uint32_t>(image.icc_profile.size()),
                      image.icc_profile.data());
  }
  if (!ok || messages.failed()) fail_write("cannot set the TIFF tags");

  // libtiff may modify the buffer it encodes (predictor, byte order), so each strip is copied.
  std::vector<std::uint8_t> strip(rows_per_strip * row_bytes);
  for (std::uint32_t y0 = 0, s = 0; y0 < static_cast<std::uint32_t>(image.height);
       y0 += rows_per_strip, ++s) {
    const std::uint32_t rows = std::min<std::uint32_t>(rows_per_strip, image.height - y0);
    if (bitonal) {
      std::fill(strip.begin(), strip.end(), 0);
      for (std::uint32_t r = 0; r < rows; ++r) {
        const std::uint8_t* in = image.row(static_cast<int>(y0 + r));
        std::uint8_t* out = strip.data() + r * row_bytes;
        for (int x = 0; x < image.width; ++x) {
          if (in[x] < 128) out[x >> 3] |= static_cast<std::uint8_t>(0x80 >> (x & 7));  // ink
        }
      }
    } else {
      std::memcpy(strip.data(), image.row(static_cast<int>(y0)), rows * row_bytes);
    }
    if (TIFFWriteEncodedStrip(t, s, strip.data(), static_cast<tmsize_t>(rows * row_bytes)) < 0) {
      fail_write("cannot write a strip");
    }
  }
  if (TIFFFlush(t) != 1 || messages.failed()) fail_write("cannot write the directory");
}

}  // namespace findbuch::imageio

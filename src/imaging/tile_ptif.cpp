// Pyramidal tiled TIFF, as IIPImage, libvips and OpenSlide read it: one directory per level (the
// full image first, then each half as a reduced-resolution subfile), 256 × 256 tiles of JPEG
// (YCbCr) or Deflate with the horizontal predictor. Tiles are compressed in parallel and written
// raw. libtiff writes one directory at a time, so tiles of the smaller levels, which are ready
// before the full level is complete, wait in an unlinked spool file until their turn.
#include <fcntl.h>
#include <tiffio.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <mutex>

#include "core/error.hpp"
#include "core/version.hpp"
#include "imaging/image_io_internal.hpp"
#include "imaging/jpeg_encoder.hpp"
#include "imaging/tile_writer.hpp"

namespace findbuch::tiling {
namespace {

// libtiff reports through this handler (per handle); the first error is kept for the exception.
struct TiffMessages {
  std::array<char, 512> error{};
};

int on_error(TIFF*, void* user, const char* module, const char* fmt, va_list ap) {
  auto* m = static_cast<TiffMessages*>(user);
  if (m->error[0] == '\0') {
    const int n = std::snprintf(m->error.data(), m->error.size(), "%s: ", module ? module : "");
    std::vsnprintf(m->error.data() + std::max(n, 0), m->error.size() - std::max(n, 0), fmt, ap);
  }
  return 1;
}
int on_warning(TIFF*, void*, const char*, const char*, va_list) {
  return 1;
}

struct Spooled {
  std::uint64_t offset = 0;
  std::uint32_t size = 0;
};

class PyramidTiffWriter final : public TileWriter {
 public:
  PyramidTiffWriter(const TileOptions& options, const fs::path& target)
      : options_(options), target_(target) {
    tile_size_ = options.tile_size > 0 ? options.tile_size : default_tile_size(TileLayout::ptif);
  }

  ~PyramidTiffWriter() override {
    if (tif_ != nullptr) TIFFClose(tif_);
    if (spool_ >= 0) ::close(spool_);
  }

  void begin(const std::vector<LevelSize>& levels, const SourceInfo& source) override {
    levels_ = levels;
    source_ = source;
    // Classic TIFF offsets end at 4 GiB; a Deflate pyramid of a large plan can pass that.
    const double raw = 4.0 / 3 * source.width * source.height * source.channels;
    TIFFOpenOptions* opts = TIFFOpenOptionsAlloc();
    TIFFOpenOptionsSetErrorHandlerExtR(opts, &on_error, &messages_);
    TIFFOpenOptionsSetWarningHandlerExtR(opts, &on_warning, &messages_);
    tif_ = TIFFOpenExt(target_.c_str(), raw > 3.5e9 ? "w8" : "w", opts);
    TIFFOpenOptionsFree(opts);
    if (tif_ == nullptr) fail("cannot create");
    spool_ = ::open(target_.parent_path().c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (spool_ < 0) imageio::fail_io(target_.parent_path(), "cannot create a spool file", errno);
    spooled_.resize(levels.size());
    for (std::size_t k = 1; k < levels.size(); ++k) {
      spooled_[k].resize(static_cast<std::size_t>(across(k)) * down(k));
    }
    set_tags(0);
  }

  void write_tile(int level, int col, int row, const std::uint8_t* pixels, std::size_t stride,
                  int width, int height) override {
    // TIFF tiles are always whole: edge tiles are padded by repeating their last row and column.
    const int t = tile_size_, ch = source_.channels;
    const std::size_t tile_stride = static_cast<std::size_t>(t) * ch;
    std::vector<std::uint8_t> tile(tile_stride * t);
    for (int y = 0; y < t; ++y) {
      const std::uint8_t* from =
          pixels + static_cast<std::size_t>(std::min(y, height - 1)) * stride;
      std::uint8_t* to = tile.data() + y * tile_stride;
      std::memcpy(to, from, static_cast<std::size_t>(width) * ch);
      for (int x = width; x < t; ++x) std::memcpy(to + x * ch, from + (width - 1) * ch, ch);
    }
    const std::vector<std::uint8_t> data = options_.deflate ? deflate(tile) : jpeg(tile);
    const auto k = static_cast<std::size_t>(level);
    const auto index = static_cast<std::uint32_t>(row * across(k) + col);
    if (level == 0) {
      const std::lock_guard lock(mutex_);
      if (TIFFWriteRawTile(tif_, index, const_cast<std::uint8_t*>(data.data()),
                           static_cast<tmsize_t>(data.size())) < 0) {
        fail("cannot write");
      }
      return;
    }
    Spooled& slot = spooled_[k][index];
    slot.size = static_cast<std::uint32_t>(data.size());
    slot.offset = spool_end_.fetch_add(data.size());
    if (::pwrite(spool_, data.data(), data.size(), static_cast<off_t>(slot.offset)) !=
        static_cast<ssize_t>(data.size())) {
      imageio::fail_io(target_.parent_path(), "cannot write the spool file", errno);
    }
  }

  void finish(TileResult& result) override {
    std::uint64_t tiles = static_cast<std::uint64_t>(across(0)) * down(0);
    if (!TIFFWriteDirectory(tif_)) fail("cannot write");
    std::vector<std::uint8_t> buffer;
    for (std::size_t k = 1; k < levels_.size(); ++k) {
      set_tags(k);
      for (std::size_t i = 0; i < spooled_[k].size(); ++i) {
        const Spooled& slot = spooled_[k][i];
        buffer.resize(slot.size);
        if (::pread(spool_, buffer.data(), slot.size, static_cast<off_t>(slot.offset)) !=
            static_cast<ssize_t>(slot.size)) {
          imageio::fail_io(target_.parent_path(), "cannot read the spool file", errno);
        }
        if (TIFFWriteRawTile(tif_, static_cast<std::uint32_t>(i), buffer.data(),
                             static_cast<tmsize_t>(buffer.size())) < 0) {
          fail("cannot write");
        }
      }
      tiles += spooled_[k].size();
      if (!TIFFWriteDirectory(tif_)) fail("cannot write");
    }
    TIFF* tif = tif_;
    tif_ = nullptr;
    TIFFClose(tif);
    if (messages_.error[0] != '\0') fail("cannot write");
    for (std::size_t k = 0; k < levels_.size(); ++k) result.scale_factors.push_back(1 << k);
    result.files = tiles;
    result.bytes = fs::file_size(target_);
  }

 private:
  int across(std::size_t k) const { return (levels_[k].width + tile_size_ - 1) / tile_size_; }
  int down(std::size_t k) const { return (levels_[k].height + tile_size_ - 1) / tile_size_; }

  [[noreturn]] void fail(const std::string& what) {
    std::string text = in_quotes(target_.string()) + ": " + what + " the pyramidal TIFF";
    if (messages_.error[0] != '\0') text += std::string(": ") + messages_.error.data();
    throw EnvironmentError(text);
  }

  void set_tags(std::size_t k) {
    const bool grey = source_.channels == 1;
    TIFFSetField(tif_, TIFFTAG_SUBFILETYPE, k == 0 ? 0 : FILETYPE_REDUCEDIMAGE);
    TIFFSetField(tif_, TIFFTAG_IMAGEWIDTH, static_cast<std::uint32_t>(levels_[k].width));
    TIFFSetField(tif_, TIFFTAG_IMAGELENGTH, static_cast<std::uint32_t>(levels_[k].height));
    TIFFSetField(tif_, TIFFTAG_TILEWIDTH, static_cast<std::uint32_t>(tile_size_));
    TIFFSetField(tif_, TIFFTAG_TILELENGTH, static_cast<std::uint32_t>(tile_size_));
    TIFFSetField(tif_, TIFFTAG_BITSPERSAMPLE, 8);
    TIFFSetField(tif_, TIFFTAG_SAMPLESPERPIXEL, source_.channels);
    TIFFSetField(tif_, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(tif_, TIFFTAG_SOFTWARE, ("Findbuch " + std::string(kVersion)).c_str());
    if (options_.deflate) {
      TIFFSetField(tif_, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE);
      TIFFSetField(tif_, TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL);
      TIFFSetField(tif_, TIFFTAG_PHOTOMETRIC, grey ? PHOTOMETRIC_MINISBLACK : PHOTOMETRIC_RGB);
    } else {
      TIFFSetField(tif_, TIFFTAG_COMPRESSION, COMPRESSION_JPEG);
      TIFFSetField(tif_, TIFFTAG_PHOTOMETRIC, grey ? PHOTOMETRIC_MINISBLACK : PHOTOMETRIC_YCBCR);
      if (!grey) {
        // What the encoder does: 4:2:0 below quality 90, full chroma from 90 on.
        const int sub = options_.quality >= 90 ? 1 : 2;
        TIFFSetField(tif_, TIFFTAG_YCBCRSUBSAMPLING, sub, sub);
      }
    }
    if (source_.ppi_x > 0 && source_.ppi_y > 0) {
      const double scale = 1 << k;
      TIFFSetField(tif_, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
      TIFFSetField(tif_, TIFFTAG_XRESOLUTION, static_cast<float>(source_.ppi_x / scale));
      TIFFSetField(tif_, TIFFTAG_YRESOLUTION, static_cast<float>(source_.ppi_y / scale));
    }
  }

  std::vector<std::uint8_t> jpeg(const std::vector<std::uint8_t>& tile) const {
    return imageio::encode_jpeg(tile.data(),
                                static_cast<std::size_t>(tile_size_) * source_.channels, tile_size_,
                                tile_size_, source_.channels, options_.quality);
  }

  std::vector<std::uint8_t> deflate(std::vector<std::uint8_t>& tile) const {
    const int ch = source_.channels;
    const std::size_t stride = static_cast<std::size_t>(tile_size_) * ch;
    for (int y = 0; y < tile_size_; ++y) {
      std::uint8_t* row = tile.data() + y * stride;
      for (std::size_t i = stride - 1; i >= static_cast<std::size_t>(ch); --i)
        row[i] -= row[i - ch];
    }
    uLongf size = compressBound(static_cast<uLong>(tile.size()));
    std::vector<std::uint8_t> out(size);
    if (compress2(out.data(), &size, tile.data(), static_cast<uLong>(tile.size()), 6) != Z_OK) {
      throw EnvironmentError("Deflate failed on a tile of " + in_quotes(target_.string()));
    }
    out.resize(size);
    return out;
  }

  TileOptions options_;
  fs::path target_;
  std::vector<LevelSize> levels_;
  SourceInfo source_;
  TiffMessages messages_;
  TIFF* tif_ = nullptr;
  int spool_ = -1;
  std::atomic<std::uint64_t> spool_end_{0};
  std::vector<std::vector<Spooled>> spooled_;
  std::mutex mutex_;
};

}  // namespace

std::unique_ptr<TileWriter> make_ptif_writer(const TileOptions& options, const fs::path& target) {
  return std::make_unique<PyramidTiffWriter>(options, target);
}

}  // namespace findbuch::tiling

// IIIF Image API 3.0, level 0 (static files): info.json, every tile at its canonical path
// {x},{y},{w},{h}/{ws},{hs}/0/default.jpg, every listed size at full/{w},{h}/0/default.jpg and
// full/max/0/default.jpg when the whole image is within the size limits. Unlike libvips 8.14,
// info.json lists every scale factor written and the sizes.
#include <unistd.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "imaging/jpeg_bands.hpp"
#include "imaging/jpeg_encoder.hpp"
#include "imaging/tile_writer.hpp"

namespace findbuch::tiling {
namespace {

std::string size_path(const LevelSize& size) {
  return "full/" + std::to_string(size.width) + "," + std::to_string(size.height) +
         "/0/default.jpg";
}

class IiifWriter final : public TileWriter {
 public:
  IiifWriter(const TileOptions& options, const fs::path& target) : options_(options), out_(target) {
    tile_size_ = options.tile_size > 0 ? options.tile_size : default_tile_size(TileLayout::iiif3);
  }

  void begin(const std::vector<LevelSize>& levels, const SourceInfo& source) override {
    levels_ = levels;
    source_ = source;
    for (std::size_t k = 0; k < levels.size(); ++k) {
      if (!within_limits(levels[k])) continue;
      listed_.push_back(static_cast<int>(k));
      if (single_tile(levels[k])) continue;  // the tile is the size: written with it
      const std::string path = size_path(levels[k]);
      const std::string file = (out_.root() / path).string();
      Stream& stream = streams_[static_cast<int>(k)];
      stream.path = path;
      stream.fd = out_.create(path);
      const LevelSize& size = levels[k];
      if (imageio::BandedJpeg::possible(size.width, source.channels, options_.quality,
                                        tile_size_)) {
        stream.banded =
            std::make_unique<imageio::BandedJpeg>(stream.fd, file, size.width, size.height,
                                                  source.channels, options_.quality, tile_size_);
      } else {
        imageio::JpegSettings settings;
        settings.width = size.width;
        settings.height = size.height;
        settings.channels = source.channels;
        settings.quality = options_.quality;
        stream.encoder = std::make_unique<imageio::JpegEncoder>(settings, stream.fd, file);
      }
    }
  }

  void write_tile(int level, int col, int row, const std::uint8_t* pixels, std::size_t stride,
                  int width, int height) override {
    const std::vector<std::uint8_t> jpeg =
        imageio::encode_jpeg(pixels, stride, width, height, source_.channels, options_.quality);
    const long scale = 1L << level;
    const long x = col * tile_size_ * scale, y = row * tile_size_ * scale;
    const long region_w = std::min<long>(tile_size_ * scale, source_.width - x);
    const long region_h = std::min<long>(tile_size_ * scale, source_.height - y);
    const std::string path = std::to_string(x) + "," + std::to_string(y) + "," +
                             std::to_string(region_w) + "," + std::to_string(region_h) + "/" +
                             std::to_string(width) + "," + std::to_string(height) +
                             "/0/default.jpg";
    out_.write(path, jpeg.data(), jpeg.size());
    const auto& size = levels_[static_cast<std::size_t>(level)];
    if (single_tile(size) && within_limits(size)) out_.link(path, size_path(size));
  }

  std::vector<int> whole_levels() const override {
    std::vector<int> levels;
    for (const auto& [level, stream] : streams_) levels.push_back(level);
    return levels;
  }

  void write_level_rows(int level, int band, const std::uint8_t* rows, std::size_t stride,
                        int count) override {
    Stream& stream = streams_.at(level);
    if (stream.banded) {
      stream.banded->add_band(band, rows, stride, count);
    } else {
      stream.order.run(band, [&] { stream.encoder->write_rows(rows, stride, count); });
    }
  }

  void finish(TileResult& result) override {
    for (auto& [level, stream] : streams_) {
      if (stream.banded) {
        stream.banded->finish();
      } else {
        stream.encoder->finish();
      }
      const off_t size = ::lseek(stream.fd, 0, SEEK_END);
      if (::close(stream.fd) != 0) {
        stream.fd = -1;
        throw EnvironmentError(in_quotes((out_.root() / stream.path).string()) + ": cannot write");
      }
      stream.fd = -1;
      out_.count(static_cast<std::uint64_t>(std::max<off_t>(size, 0)));
    }
    // Level 0 requires "max": the largest size within the limits. That is a pyramid level; when
    // it is not the full image, its size is declared as the limits, so that "max" is exact.
    const LevelSize& max = levels_[static_cast<std::size_t>(listed_.front())];
    out_.link(size_path(max), "full/max/0/default.jpg");
    result.has_max = true;

    nlohmann::ordered_json info;
    info["@context"] = "http://iiif.io/api/image/3/context.json";
    info["id"] = options_.id;
    info["type"] = "ImageService3";
    info["protocol"] = "http://iiif.io/api/image";
    info["profile"] = "level0";
    info["width"] = source_.width;
    info["height"] = source_.height;
    if (listed_.front() == 0) {
      if (options_.max_width != 0) info["maxWidth"] = options_.max_width;
      if (options_.max_height != 0) info["maxHeight"] = options_.max_height;
      if (options_.max_area != 0) info["maxArea"] = options_.max_area;
    } else {
      info["maxWidth"] = max.width;
      info["maxHeight"] = max.height;
      if (options_.max_area != 0) info["maxArea"] = std::uint64_t{1} * max.width * max.height;
    }
    nlohmann::ordered_json sizes = nlohmann::ordered_json::array();
    for (auto k = listed_.rbegin(); k != listed_.rend(); ++k) {  // smallest first
      const LevelSize& size = levels_[static_cast<std::size_t>(*k)];
      sizes.push_back({{"width", size.width}, {"height", size.height}});
      result.sizes.emplace_back(size.width, size.height);
    }
    info["sizes"] = sizes;
    nlohmann::ordered_json factors = nlohmann::ordered_json::array();
    for (std::size_t k = 0; k < levels_.size(); ++k) {
      factors.push_back(1 << k);
      result.scale_factors.push_back(1 << k);
    }
    info["tiles"] = nlohmann::ordered_json::array(
        {{{"width", tile_size_}, {"height", tile_size_}, {"scaleFactors", factors}}});
    out_.write("info.json", info.dump(2) + "\n");
    result.files = out_.files();
    result.bytes = out_.bytes();
  }

  ~IiifWriter() override {
    for (auto& [level, stream] : streams_) {
      if (stream.fd >= 0) ::close(stream.fd);
    }
  }

 private:
  struct Stream {
    std::string path;
    int fd = -1;
    std::unique_ptr<imageio::BandedJpeg> banded;    ///< parallel, when the geometry allows
    std::unique_ptr<imageio::JpegEncoder> encoder;  ///< otherwise one band after the other
    InOrder order;
  };

  bool within_limits(const LevelSize& size) const {
    const auto w = static_cast<std::uint64_t>(size.width);
    const auto h = static_cast<std::uint64_t>(size.height);
    const std::uint64_t max_height = options_.height_limit();
    return (options_.max_width == 0 || w <= options_.max_width) &&
           (max_height == 0 || h <= max_height) &&
           (options_.max_area == 0 || w * h <= options_.max_area);
  }
  bool single_tile(const LevelSize& size) const {
    return size.width <= tile_size_ && size.height <= tile_size_;
  }

  TileOptions options_;
  OutputDirectory out_;
  std::vector<LevelSize> levels_;
  SourceInfo source_;
  std::vector<int> listed_;  ///< levels listed as sizes, largest first
  std::map<int, Stream> streams_;
};

}  // namespace

std::unique_ptr<TileWriter> make_iiif_writer(const TileOptions& options, const fs::path& target) {
  return std::make_unique<IiifWriter>(options, target);
}

}  // namespace findbuch::tiling

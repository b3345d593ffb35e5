// Deep Zoom (OpenSeadragon): image.dzi and image_files/{level}/{column}_{row}.jpg, where level 0
// is one pixel and the last level the full image; tiles overlap their neighbours by `overlap`
// pixels on each inner side.
#include "core/error.hpp"
#include "imaging/jpeg_encoder.hpp"
#include "imaging/tile_writer.hpp"

namespace findbuch::tiling {
namespace {

class DeepZoomWriter final : public TileWriter {
 public:
  DeepZoomWriter(const TileOptions& options, const fs::path& target)
      : quality_(options.quality), out_(target) {
    tile_size_ = options.tile_size > 0 ? options.tile_size : default_tile_size(TileLayout::dz);
    overlap_ = options.overlap >= 0 ? options.overlap : 1;
  }

  int stop_at() const override { return 1; }

  void begin(const std::vector<LevelSize>& levels, const SourceInfo& source) override {
    top_level_ = static_cast<int>(levels.size()) - 1;
    source_ = source;
  }

  void write_tile(int level, int col, int row, const std::uint8_t* pixels, std::size_t stride,
                  int width, int height) override {
    const std::vector<std::uint8_t> jpeg =
        imageio::encode_jpeg(pixels, stride, width, height, source_.channels, quality_);
    out_.write("image_files/" + std::to_string(top_level_ - level) + "/" + std::to_string(col) +
                   "_" + std::to_string(row) + ".jpg",
               jpeg.data(), jpeg.size());
  }

  void finish(TileResult& result) override {
    out_.write("image.dzi",
               "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<Image xmlns=\"http://schemas.microsoft.com/deepzoom/2008\" Format=\"jpg\" "
               "Overlap=\"" +
                   std::to_string(overlap_) + "\" TileSize=\"" + std::to_string(tile_size_) +
                   "\">\n  <Size Width=\"" + std::to_string(source_.width) + "\" Height=\"" +
                   std::to_string(source_.height) + "\"/>\n</Image>\n");
    for (int level = 0; level <= top_level_; ++level) result.scale_factors.push_back(level);
    result.files = out_.files();
    result.bytes = out_.bytes();
  }

 private:
  int quality_;
  OutputDirectory out_;
  int top_level_ = 0;
  SourceInfo source_;
};

}  // namespace

std::unique_ptr<TileWriter> make_dz_writer(const TileOptions& options, const fs::path& target) {
  return std::make_unique<DeepZoomWriter>(options, target);
}

}  // namespace findbuch::tiling

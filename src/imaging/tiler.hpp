#pragma once
// Static tile pyramids for zoomable viewers (DOMAIN.md §5): IIIF Image API 3.0 level 0, Deep Zoom
// for OpenSeadragon, and pyramidal tiled TIFF for IIPImage-style servers. The source streams in
// row by row (RowReader) and every level is built and written band by band, so a 600 ppi A0 plan
// needs a few bands of memory, not the whole image. Tiles are encoded in parallel. The output
// appears atomically: built under a temporary name next to the target and renamed into place.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "imaging/image.hpp"

namespace findbuch {

enum class TileLayout { iiif3, dz, ptif };
/// "iiif3", "dz", "ptif"; parse_tile_layout throws UsageError naming the allowed values.
std::string layout_id(TileLayout layout);
TileLayout parse_tile_layout(const std::string& text);

struct TileOptions {
  TileLayout layout = TileLayout::iiif3;
  /// Tile side in pixels; 0 takes the layout's usual size (IIIF 512, Deep Zoom 254, TIFF 256).
  int tile_size = 0;
  /// Deep Zoom tile overlap in pixels; -1 takes 1, the usual value.
  int overlap = -1;
  int quality = 85;  ///< JPEG quality 1 … 100
  /// IIIF: the image service's id (base URL + identifier) written into info.json.
  std::string id = "http://localhost/iiif/image";
  /// IIIF: largest width, height and area clients may ask for (0: no limit; a height needs a
  /// width, and without a height the width limits it too, as the spec says). Only sizes within
  /// them are listed and written; full/max is the largest of those, and when that is not the
  /// whole image its size is what info.json declares as maxWidth/maxHeight (maxArea).
  std::uint64_t max_width = 0, max_height = 0, max_area = 0;
  /// The height limit clients assume: max_height, else max_width (Image API 3.0 §5.3).
  std::uint64_t height_limit() const { return max_height != 0 ? max_height : max_width; }
  /// Pyramidal TIFF: Deflate (lossless) instead of JPEG.
  bool deflate = false;
  int threads = 0;  ///< encoding threads; 0: one per core
  std::uint64_t max_pixels = 1'000'000'000;
};

/// The usual tile side of a layout: IIIF 512, Deep Zoom 254, TIFF 256.
int default_tile_size(TileLayout layout);

/// Throws UsageError for options no pyramid can be made with: quality outside 1 … 100, tiles
/// outside 16 … 4096 pixels, TIFF tiles not a multiple of 16, a Deep Zoom overlap above half a
/// tile, an IIIF maximum height without a maximum width, tiles beyond the IIIF size limits.
void check_tile_options(const TileOptions& options);

/// What was written.
struct TileResult {
  int width = 0, height = 0;       ///< full resolution
  std::vector<int> scale_factors;  ///< IIIF / TIFF levels as powers of two; Deep Zoom: levels
  std::vector<std::pair<int, int>> sizes;  ///< IIIF sizes written as full/{w},{h}
  bool has_max = false;                    ///< IIIF full/max written
  std::uint64_t files = 0;                 ///< files written (IIIF, Deep Zoom); tiles in a TIFF
  std::uint64_t bytes = 0;                 ///< bytes written
};

/// Tiles the image in `source` (any format read_image reads; upright TIFF strips and tiles are
/// streamed) into `target`: a directory for iiif3 (info.json at its top) and dz (image.dzi and
/// image_files/), a file for ptif. An existing target is replaced. Throws InputError for
/// unreadable sources or bad options, EnvironmentError when writing fails; then nothing changes.
TileResult tile_file(const std::filesystem::path& source, const std::filesystem::path& target,
                     const TileOptions& options);

/// The same for an image in memory (a page the ingest pipeline just cleaned).
TileResult tile_image(const Image& image, const std::filesystem::path& target,
                      const TileOptions& options);

}  // namespace findbuch

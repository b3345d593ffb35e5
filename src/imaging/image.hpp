#pragma once
// The in-memory image every reader produces, every stage takes and returns, and every writer
// writes. Plain data: OpenCV and libtiff stay inside src/imaging (see mat_view.hpp).
#include <cstddef>
#include <cstdint>
#include <vector>

namespace findbuch {

/// Pixels are stored row by row without padding, channels interleaved (grey, or R G B in this
/// order), each sample 8 or 16 bits (16-bit samples in native byte order). Bitonal sources are
/// read as 8-bit grey with only 0 and 255 and `bitonal` set, so writers can keep them 1-bit.
struct Image {
  int width = 0;
  int height = 0;
  int channels = 0;      ///< 1 (grey) or 3 (RGB)
  int bits = 8;          ///< bits per sample: 8 or 16
  bool bitonal = false;  ///< every sample is 0 or 255 (1-bit source or binarised)
  double ppi_x = 0;      ///< resolution; 0 when unknown
  double ppi_y = 0;
  std::vector<std::uint8_t> icc_profile;  ///< embedded ICC profile, empty if none
  std::vector<std::uint8_t> pixels;

  /// Allocates zeroed pixels for the given shape; the metadata stays empty.
  static Image blank(int width, int height, int channels, int bits = 8);

  std::size_t bytes_per_sample() const { return bits == 16 ? 2 : 1; }
  std::size_t row_bytes() const {
    return static_cast<std::size_t>(width) * static_cast<std::size_t>(channels) *
           bytes_per_sample();
  }
  std::uint8_t* row(int y) { return pixels.data() + static_cast<std::size_t>(y) * row_bytes(); }
  const std::uint8_t* row(int y) const {
    return pixels.data() + static_cast<std::size_t>(y) * row_bytes();
  }
  bool empty() const { return width == 0 || height == 0; }

  /// A copy of the metadata (resolution, ICC profile) with new pixels of the given shape.
  Image with_shape(int new_width, int new_height, int new_channels, int new_bits) const;
};

}  // namespace findbuch

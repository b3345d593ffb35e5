#pragma once
// Internal to src/imaging: cutting a rectangle out of an image (page, split).
#include <cstddef>
#include <cstdint>

#include "imaging/image.hpp"
#include "imaging/stages.hpp"

namespace findbuch {

/// The pixels of `box` (which must lie inside the image) with the image's metadata: one memcpy
/// per row into a buffer that is reserved, not zero-filled first.
inline Image crop_image(const Image& image, const Box& box) {
  Image out;
  out.width = box.width;
  out.height = box.height;
  out.channels = image.channels;
  out.bits = image.bits;
  out.bitonal = image.bitonal;
  out.ppi_x = image.ppi_x;
  out.ppi_y = image.ppi_y;
  out.icc_profile = image.icc_profile;
  const std::size_t offset = static_cast<std::size_t>(box.x) *
                             static_cast<std::size_t>(image.channels) * image.bytes_per_sample();
  const std::size_t bytes = out.row_bytes();
  out.pixels.reserve(bytes * static_cast<std::size_t>(box.height));
  for (int y = box.y; y < box.y + box.height; ++y) {
    const std::uint8_t* src = image.row(y) + offset;
    out.pixels.insert(out.pixels.end(), src, src + bytes);
  }
  return out;
}

}  // namespace findbuch

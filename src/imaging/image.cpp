#include "imaging/image.hpp"

namespace findbuch {

Image Image::blank(int width, int height, int channels, int bits) {
  Image image;
  image.width = width;
  image.height = height;
  image.channels = channels;
  image.bits = bits;
  image.pixels.assign(image.row_bytes() * static_cast<std::size_t>(height), 0);
  return image;
}

Image Image::with_shape(int new_width, int new_height, int new_channels, int new_bits) const {
  Image image = blank(new_width, new_height, new_channels, new_bits);
  image.ppi_x = ppi_x;
  image.ppi_y = ppi_y;
  image.icc_profile = icc_profile;
  return image;
}

}  // namespace findbuch

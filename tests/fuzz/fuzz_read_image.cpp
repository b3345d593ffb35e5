// libFuzzer target: read_image (TIFF, JPEG, PNG, JPEG 2000, Netpbm decoders) on arbitrary bytes.
// The reader takes a path, so each input goes through a file in /dev/shm. A small pixel limit
// keeps every accepted image cheap; anything but an InputError (or a clean decode) is a finding.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

#include "core/error.hpp"
#include "imaging/image_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string file = "/dev/shm/findbuch-fuzz-image-" + std::to_string(::getpid());
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  findbuch::ReadOptions options;
  options.max_pixels = 4'000'000;
  options.page = size > 0 ? data[size - 1] % 3 : 0;  // now and then a later TIFF page
  try {
    const findbuch::Image image = findbuch::read_image(file, options);
    const std::uint64_t pixels = static_cast<std::uint64_t>(image.width) * image.height;
    if (pixels == 0 || pixels > options.max_pixels ||
        image.pixels.size() != image.row_bytes() * static_cast<std::size_t>(image.height) ||
        (image.channels != 1 && image.channels != 3) || (image.bits != 8 && image.bits != 16)) {
      __builtin_trap();
    }
  } catch (const findbuch::InputError&) {
  }
  return 0;
}

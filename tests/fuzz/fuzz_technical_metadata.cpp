// libFuzzer target: the image header readers (TIFF via libtiff, JPEG markers, PNG chunks) on
// arbitrary bytes. The reader takes a path, so each input goes through a file in /dev/shm.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

#include "core/error.hpp"
#include "imaging/technical_metadata.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string file = "/dev/shm/findbuch-fuzz-" + std::to_string(::getpid());
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    const auto meta = findbuch::read_technical_metadata(file, 50'000'000);
    if (static_cast<std::uint64_t>(meta.width) * meta.height > 50'000'000) __builtin_trap();
  } catch (const findbuch::InputError&) {
  }
  return 0;
}

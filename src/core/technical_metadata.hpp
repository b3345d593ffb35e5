#pragma once
// Technical metadata of a master image (MIX / NISO Z39.87 subset, DOMAIN.md §4): plain data,
// read by imaging and kept by the store.
#include <cstdint>
#include <string>

namespace findbuch {

struct TechnicalMetadata {
  std::string format;       ///< "TIFF", "JPEG", "PNG"
  std::string compression;  ///< "none", "LZW", "Deflate", "JPEG baseline", "CCITT G4" …
  std::uint64_t file_size = 0;
  std::uint32_t width = 0, height = 0;
  int bits_per_sample = 0, samples_per_pixel = 0;
  std::string colour_space;  ///< "bilevel", "grey", "RGB", "palette", "CMYK", "YCbCr", "RGBA" …
  std::string icc_profile;   ///< the embedded ICC profile's description, "" if none
  double ppi = 0;            ///< horizontal pixels per inch, 0 if unknown
  std::string make, model, software, capture_date;
  int pages = 1;  ///< TIFF directories (multi-page)
};

}  // namespace findbuch

#pragma once
// Internal to src/imaging: the first image directory (IFD0) of the TIFF structure inside a JPEG's
// APP1 "Exif" segment, as both the JPEG decoder (orientation, resolution) and the technical
// metadata reader (scanner make/model, software, date) need it.
#include <cstddef>
#include <cstdint>
#include <string>

namespace findbuch {

struct ExifIfd0 {
  int orientation = 1;                           ///< TIFF orientation 1…8
  double ppi_x = 0, ppi_y = 0;                   ///< 0 when absent; one given alone stands for both
  std::string make, model, software, date_time;  ///< raw ASCII values (may end in NULs)
};

/// Parses `n` bytes that start with the TIFF header ("II" or "MM"). Malformed entries are
/// skipped, never rejected: Exif is written by countless firmwares and a broken tag must not
/// cost the archive its photograph.
ExifIfd0 parse_exif_ifd0(const std::uint8_t* tiff, std::size_t n);

}  // namespace findbuch

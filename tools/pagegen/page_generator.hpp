#pragma once
// Synthetic scans with known geometry, for the cleaning stages' accuracy tests and benchmarks:
// a sheet of paper with lines of "text" (dark word blocks with letter-like gaps), optionally
// rotated by a known skew, lying on a white or dark scanner bed, as a single page or as a
// double-page spread with a fold, with noise, dust and uneven illumination.
#include <cstdint>

#include "imaging/image.hpp"
#include "imaging/stages.hpp"

namespace findbuch::pagegen {

enum class Bed { none, white, dark };

struct PageSpec {
  int sheet_width = 2480;  ///< sheet size in pixels (one page; a spread is two of these)
  int sheet_height = 3508;
  double ppi = 300;
  double skew_deg = 0;      ///< clockwise rotation of the content as displayed
  Bed bed = Bed::none;      ///< none: the image is the sheet itself
  int bed_margin_px = 0;    ///< visible bed around the (rotated) sheet on every side
  bool spread = false;      ///< two pages side by side with a fold between them
  int channels = 3;         ///< 1 or 3
  int bits = 8;             ///< 8 or 16
  bool bitonal = false;     ///< threshold the result (1-bit scans)
  double noise_sigma = 0;   ///< Gaussian sensor noise, in 8-bit grey levels
  int dust_specks = 0;      ///< isolated dark specks of 1–3 px on the paper
  double illumination = 0;  ///< 0 … 0.5: how much darker the paper gets towards one corner
  std::uint32_t seed = 1;
};

struct Page {
  Image image;
  Box sheet;        ///< bounding box of the (rotated) sheet in the image
  int fold_x = -1;  ///< column of the fold for spreads, else -1
};

Page generate(const PageSpec& spec);

}  // namespace findbuch::pagegen

// find_page and split_spread on synthetic scans with known geometry (tools/pagegen): the sheet's
// box on white and dark beds, skewed, grey and colour, with noise, dust and uneven light; the
// margin; pages without bed left alone; dark pictures at the edge not taken for bed; prints on
// a mount; the fold of spreads within 1 % of the width; single pages not split; depth, channels
// and metadata kept; inputs never changed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "imaging/stages.hpp"
#include "pagegen/page_generator.hpp"

namespace findbuch {
namespace {

using pagegen::Bed;

double iou(const Box& a, const Box& b) {
  const int x0 = std::max(a.x, b.x);
  const int y0 = std::max(a.y, b.y);
  const int x1 = std::min(a.x + a.width, b.x + b.width);
  const int y1 = std::min(a.y + a.height, b.y + b.height);
  const double inter = static_cast<double>(std::max(0, x1 - x0)) * std::max(0, y1 - y0);
  const double uni =
      static_cast<double>(a.width) * a.height + static_cast<double>(b.width) * b.height - inter;
  return uni > 0 ? inter / uni : 0;
}

std::string str(const Box& b) {
  return "(" + std::to_string(b.x) + ", " + std::to_string(b.y) + ", " + std::to_string(b.width) +
         " × " + std::to_string(b.height) + ")";
}

/// A page at 150 ppi (half of A4 at 300 ppi in each direction: the tests stay fast) with noise
/// and dust on the given bed.
pagegen::PageSpec spec_for(Bed bed, double skew, int channels, std::uint32_t seed) {
  pagegen::PageSpec spec;
  spec.sheet_width = 1240;
  spec.sheet_height = 1754;
  spec.ppi = 150;
  spec.bed = bed;
  spec.bed_margin_px = 20 + static_cast<int>(seed * 37 % 60);
  spec.skew_deg = skew;
  spec.channels = channels;
  spec.noise_sigma = 4;
  spec.dust_specks = 40;
  spec.seed = seed;
  return spec;
}

/// Sets every channel of the pixels of `box` to level(x, y) (8-bit scale).
void paint(Image& image, const Box& box, const std::function<int(int, int)>& level) {
  for (int y = std::max(0, box.y); y < std::min(image.height, box.y + box.height); ++y) {
    for (int x = std::max(0, box.x); x < std::min(image.width, box.x + box.width); ++x) {
      const int v = std::clamp(level(x, y), 0, 255);
      for (int c = 0; c < image.channels; ++c) {
        const std::size_t i = static_cast<std::size_t>(x) * image.channels + c;
        if (image.bits == 16) {
          reinterpret_cast<std::uint16_t*>(image.row(y))[i] = static_cast<std::uint16_t>(v * 257);
        } else {
          image.row(y)[i] = static_cast<std::uint8_t>(v);
        }
      }
    }
  }
}

/// Deterministic pseudo-random value 0 … 255 for a pixel.
int hash(int x, int y, std::uint32_t seed) {
  std::uint32_t h = static_cast<std::uint32_t>(x) * 73856093U ^
                    static_cast<std::uint32_t>(y) * 19349663U ^ seed * 83492791U;
  h ^= h >> 13;
  h *= 0x5bd1e995U;
  h ^= h >> 15;
  return static_cast<int>(h & 255U);
}

/// A photograph-like texture around `mean` (± `spread`): shapes with edges a few millimetres
/// apart at 150 ppi (the detail a photograph has and a scanner bed has not), smooth shading and
/// grain.
std::function<int(int, int)> texture(int mean, int spread, std::uint32_t seed) {
  return [=](int x, int y) {
    const int shape = hash((x + y / 3) / 13, (y - x / 4) / 17, seed) - 128;
    const double shade = std::sin(x * 0.013 + seed) * std::cos(y * 0.009 - seed);
    return mean + spread * shape / 160 + static_cast<int>(spread * shade / 3) +
           (hash(x, y, seed) - 128) / 8;
  };
}

/// Whether `part` equals the region of `whole` starting at column x0 (all rows).
bool same_columns(const Image& part, const Image& whole, int x0) {
  if (part.height != whole.height || part.channels != whole.channels || part.bits != whole.bits) {
    return false;
  }
  const std::size_t px = static_cast<std::size_t>(whole.channels) * whole.bytes_per_sample();
  for (int y = 0; y < part.height; ++y) {
    if (!std::equal(part.row(y), part.row(y) + part.row_bytes(), whole.row(y) + x0 * px)) {
      return false;
    }
  }
  return true;
}

/// Whether `part` equals the region `box` of `whole`.
bool same_region(const Image& part, const Image& whole, const Box& box) {
  if (part.width != box.width || part.height != box.height) return false;
  const std::size_t px = static_cast<std::size_t>(whole.channels) * whole.bytes_per_sample();
  for (int y = 0; y < part.height; ++y) {
    if (!std::equal(part.row(y), part.row(y) + part.row_bytes(),
                    whole.row(box.y + y) + box.x * px)) {
      return false;
    }
  }
  return true;
}

// --- find_page --------------------------------------------------------------------------------

TEST(FindPage, BoxOfSkewedSheetsOnWhiteAndDarkBeds) {
  double worst = 1;
  for (const Bed bed : {Bed::white, Bed::dark}) {
    std::uint32_t seed = 1;
    for (const double skew : {-3.0, -2.2, -0.7, 0.0, 0.4, 1.5, 3.0}) {
      const int channels = seed % 2 ? 3 : 1;
      const pagegen::Page page = pagegen::generate(spec_for(bed, skew, channels, seed++));
      const PageResult result = find_page(page.image, {});
      const double overlap = iou(result.box, page.sheet);
      worst = std::min(worst, overlap);
      SCOPED_TRACE(::testing::Message() << (bed == Bed::white ? "white" : "dark") << " bed, skew "
                                        << skew << "°, " << channels << " channel(s)");
      EXPECT_TRUE(result.found);
      EXPECT_EQ(result.dark_bed, bed == Bed::dark);
      EXPECT_GE(overlap, 0.98) << "found " << str(result.box) << ", sheet " << str(page.sheet);
      EXPECT_EQ(result.image.width, result.box.width);
      EXPECT_EQ(result.image.height, result.box.height);
      EXPECT_TRUE(same_region(result.image, page.image, result.box));
    }
  }
  std::cout << "[ figures  ] find_page: worst IoU " << worst << "\n";
}

TEST(FindPage, UnevenLightAndStrongNoise) {
  std::uint32_t seed = 11;
  for (const Bed bed : {Bed::white, Bed::dark}) {
    for (const double light : {0.25, 0.5}) {
      pagegen::PageSpec spec = spec_for(bed, 1.2, 3, seed++);
      spec.illumination = light;
      spec.noise_sigma = 8;
      const pagegen::Page page = pagegen::generate(spec);
      const PageResult result = find_page(page.image, {});
      EXPECT_TRUE(result.found);
      EXPECT_GE(iou(result.box, page.sheet), 0.98)
          << "illumination " << light << ": found " << str(result.box) << ", sheet "
          << str(page.sheet);
    }
  }
}

TEST(FindPage, MarginIsAddedAndClippedToTheImage) {
  const pagegen::Page page = pagegen::generate(spec_for(Bed::dark, 0.8, 3, 3));
  const PageResult plain = find_page(page.image, {});
  ASSERT_TRUE(plain.found);
  const Box& b = plain.box;
  ASSERT_GT(b.x, 10);
  ASSERT_GT(b.y, 10);

  const PageResult wider = find_page(page.image, {.margin_px = 10});
  EXPECT_EQ(wider.box, plain.box);  // the box is the sheet, before the margin
  EXPECT_TRUE(
      same_region(wider.image, page.image, {b.x - 10, b.y - 10, b.width + 20, b.height + 20}));

  const PageResult clipped = find_page(page.image, {.margin_px = 1000});
  EXPECT_EQ(clipped.box, plain.box);
  EXPECT_EQ(clipped.image.width, page.image.width);
  EXPECT_EQ(clipped.image.height, page.image.height);
  EXPECT_EQ(clipped.image.pixels, page.image.pixels);
}

TEST(FindPage, PageWithoutBedIsLeftAsItIs) {
  std::uint32_t seed = 21;
  for (const double skew : {0.0, 1.7}) {
    for (const double light : {0.0, 0.4}) {
      pagegen::PageSpec spec = spec_for(Bed::none, skew, 3, seed++);
      spec.illumination = light;
      const pagegen::Page page = pagegen::generate(spec);
      const PageResult result = find_page(page.image, {.margin_px = 20});
      EXPECT_FALSE(result.found) << "skew " << skew << ", illumination " << light << ": cropped to "
                                 << str(result.box);
      EXPECT_EQ(result.box, (Box{0, 0, page.image.width, page.image.height}));
      EXPECT_EQ(result.image.pixels, page.image.pixels);
    }
  }
}

TEST(FindPage, DarkPictureAtTheSheetEdgeIsNotBed) {
  // A dark photograph printed to the left edge of a sheet on a dark bed, over 40 % of its height.
  pagegen::Page page = pagegen::generate(spec_for(Bed::dark, 0, 3, 5));
  const Box& s = page.sheet;
  paint(page.image, {s.x, s.y + s.height / 4, s.width / 3, s.height * 2 / 5}, texture(45, 25, 5));
  PageResult result = find_page(page.image, {});
  EXPECT_TRUE(result.found);
  EXPECT_GE(iou(result.box, page.sheet), 0.98)
      << "found " << str(result.box) << ", sheet " << str(s);

  // The same on a white bed, where the picture differs from the bed as much as any paper.
  page = pagegen::generate(spec_for(Bed::white, 0, 3, 6));
  paint(page.image, {page.sheet.x, page.sheet.y + 300, 400, 700}, texture(60, 30, 6));
  result = find_page(page.image, {});
  EXPECT_TRUE(result.found);
  EXPECT_GE(iou(result.box, page.sheet), 0.98)
      << "found " << str(result.box) << ", sheet " << str(page.sheet);
}

TEST(FindPage, DarkPicturesAtTheBorderOfAPageWithoutBedAreNotBed) {
  pagegen::Page page = pagegen::generate(spec_for(Bed::none, 0, 3, 7));
  const int w = page.image.width;
  const int h = page.image.height;
  // Full-bleed pictures: along the whole top edge, and down 60 % of the left edge.
  paint(page.image, {0, 0, w, h / 6}, texture(50, 30, 7));
  paint(page.image, {0, h / 5, w / 3, h * 3 / 5}, texture(40, 20, 8));
  const PageResult result = find_page(page.image, {});
  EXPECT_FALSE(result.found) << "cropped to " << str(result.box);
  EXPECT_EQ(result.image.pixels, page.image.pixels);
}

TEST(FindPage, SheetInACornerOfTheBed) {
  // Bed shows on the right and at the bottom only: the other sides stay at the image border.
  const pagegen::Page page = pagegen::generate(spec_for(Bed::dark, 0, 1, 9));
  const Box& s = page.sheet;
  const int cut_x = s.x + 15;
  const int cut_y = s.y + 15;
  Image corner = page.image.with_shape(page.image.width - cut_x, page.image.height - cut_y, 1, 8);
  for (int y = 0; y < corner.height; ++y) {
    std::copy_n(page.image.row(y + cut_y) + cut_x, corner.width, corner.row(y));
  }
  const Box expected{0, 0, s.x + s.width - cut_x, s.y + s.height - cut_y};
  const PageResult result = find_page(corner, {});
  EXPECT_TRUE(result.found);
  EXPECT_TRUE(result.dark_bed);
  EXPECT_GE(iou(result.box, expected), 0.98)
      << "found " << str(result.box) << ", sheet " << str(expected);
  EXPECT_EQ(result.box.x, 0);
  EXPECT_EQ(result.box.y, 0);
}

TEST(FindPage, KeepsDepthChannelsAndMetadata) {
  struct Case {
    int channels, bits;
    bool bitonal;
    Bed bed;
  };
  std::uint32_t seed = 31;
  for (const Case c : {Case{3, 16, false, Bed::dark}, Case{1, 16, false, Bed::white},
                       Case{1, 8, true, Bed::dark}, Case{1, 8, true, Bed::white}}) {
    pagegen::PageSpec spec = spec_for(c.bed, -1.1, c.channels, seed++);
    spec.bits = c.bits;
    spec.bitonal = c.bitonal;
    pagegen::Page page = pagegen::generate(spec);
    page.image.icc_profile = {1, 2, 3, 4, 5};
    page.image.ppi_x = 150;
    page.image.ppi_y = 151;
    const PageResult result = find_page(page.image, {});
    SCOPED_TRACE(::testing::Message() << c.channels << " channel(s), " << c.bits << " bits"
                                      << (c.bitonal ? ", bitonal" : ""));
    if (c.bitonal && c.bed == Bed::white) {
      // Thresholded, a white lid and white paper are the same white: nothing to tell apart.
      // The lid's shadow may still show the edge; either way nothing may be cut off the sheet.
      if (result.found) {
        EXPECT_GE(iou(result.box, page.sheet), 0.98) << str(result.box);
      }
    } else {
      EXPECT_TRUE(result.found);
      EXPECT_GE(iou(result.box, page.sheet), 0.98)
          << "found " << str(result.box) << ", sheet " << str(page.sheet);
    }
    EXPECT_EQ(result.image.channels, page.image.channels);
    EXPECT_EQ(result.image.bits, page.image.bits);
    EXPECT_EQ(result.image.bitonal, page.image.bitonal);
    EXPECT_EQ(result.image.ppi_x, 150);
    EXPECT_EQ(result.image.ppi_y, 151);
    EXPECT_EQ(result.image.icc_profile, page.image.icc_profile);
    EXPECT_TRUE(same_region(result.image, page.image, result.box));
  }
}

/// A photographic print on a white mount, itself on a dark bed (or filling the image).
struct MountedPrint {
  Image image;
  Box mount;
  Box print;
};

MountedPrint mounted_print(bool bed, std::uint32_t seed) {
  MountedPrint m;
  m.image = Image::blank(1500, 1900, 3, 8);
  m.image.ppi_x = m.image.ppi_y = 150;
  m.mount = bed ? Box{110, 90, 1250, 1680} : Box{0, 0, 1500, 1900};
  m.print = Box{m.mount.x + 170, m.mount.y + 150, m.mount.width - 340, m.mount.height - 420};
  paint(m.image, {0, 0, m.image.width, m.image.height},
        [&](int x, int y) { return 30 + x / 150 + (hash(x, y, seed) - 128) / 40; });
  paint(m.image, m.mount, [&](int x, int y) { return 238 + (hash(x, y, seed + 1) - 128) / 40; });
  paint(m.image, m.print, texture(120, 70, seed + 2));
  return m;
}

TEST(FindPage, PrintOnlyFindsThePrintOnItsMount) {
  for (const bool bed : {true, false}) {
    const MountedPrint m = mounted_print(bed, bed ? 41 : 42);
    SCOPED_TRACE(bed ? "mount on a dark bed" : "mount filling the image");
    const PageResult print = find_page(m.image, {.print_only = true});
    EXPECT_TRUE(print.found);
    EXPECT_GE(iou(print.box, m.print), 0.98)
        << "found " << str(print.box) << ", print " << str(m.print);
    const PageResult sheet = find_page(m.image, {});
    if (bed) {
      EXPECT_TRUE(sheet.found);
      EXPECT_TRUE(sheet.dark_bed);
      EXPECT_GE(iou(sheet.box, m.mount), 0.98)
          << "found " << str(sheet.box) << ", mount " << str(m.mount);
    } else {
      EXPECT_FALSE(sheet.found);  // without print_only the mount is the sheet: nothing to crop
    }
  }
}

TEST(FindPage, PrintOnlyWithoutMountKeepsTheSheet) {
  // A print lying directly on the bed: the print is the sheet, nothing inside it is a mount.
  MountedPrint m = mounted_print(true, 43);
  paint(m.image, m.mount, [](int x, int y) { return 30 + x / 150 + (hash(x, y, 43) - 128) / 40; });
  paint(m.image, m.print, texture(150, 70, 44));
  const PageResult result = find_page(m.image, {.print_only = true});
  EXPECT_TRUE(result.found);
  EXPECT_GE(iou(result.box, m.print), 0.98)
      << "found " << str(result.box) << ", print " << str(m.print);
}

TEST(FindPage, LeavesItsInputUnchanged) {
  const pagegen::Page page = pagegen::generate(spec_for(Bed::dark, 2, 3, 51));
  const Image copy = page.image;
  (void)find_page(page.image, {.margin_px = 5, .print_only = true});
  (void)find_page(page.image, {});
  EXPECT_EQ(page.image.pixels, copy.pixels);
}

TEST(FindPage, SmallAndEmptyImages) {
  const Image empty;
  EXPECT_FALSE(find_page(empty, {}).found);
  Image tiny = Image::blank(9, 7, 1, 8);
  const PageResult result = find_page(tiny, {});
  EXPECT_FALSE(result.found);
  EXPECT_EQ(result.image.width, 9);
  EXPECT_EQ(result.image.height, 7);
}

TEST(FindPage, RejectsMarginOutOfRange) {
  const Image image = Image::blank(64, 64, 1, 8);
  EXPECT_THROW(find_page(image, {.margin_px = -1}), InputError);
  EXPECT_THROW(find_page(image, {.margin_px = 1001}), InputError);
}

// --- split_spread -------------------------------------------------------------------------------

TEST(SplitSpread, FoldWithinOnePercentOnAllBeds) {
  double worst = 0;
  std::uint32_t seed = 61;
  for (const Bed bed : {Bed::none, Bed::white, Bed::dark}) {
    for (const double skew : {-2.0, -0.9, 0.0, 1.3, 2.0}) {
      pagegen::PageSpec spec = spec_for(bed, skew, seed % 2 ? 3 : 1, seed);
      spec.spread = true;
      spec.sheet_width = 800;  // two pages of 800 × 1130 (≈ A4 at 96 ppi)
      spec.sheet_height = 1130;
      spec.ppi = 96;
      spec.illumination = seed % 3 == 0 ? 0.3 : 0;
      ++seed;
      const pagegen::Page page = pagegen::generate(spec);
      const SplitResult result = split_spread(page.image, {});
      SCOPED_TRACE(::testing::Message() << "bed " << static_cast<int>(bed) << ", skew " << skew);
      ASSERT_TRUE(result.split);
      ASSERT_EQ(result.pages.size(), 2U);
      const double error = std::abs(result.fold_x - page.fold_x) / double(page.image.width);
      worst = std::max(worst, error);
      EXPECT_LE(error, 0.01) << "fold at " << result.fold_x << ", truth " << page.fold_x;
      EXPECT_GE(result.confidence, 1);
      // Reading order: the left page is the input left of the fold, the right page the rest.
      EXPECT_EQ(result.pages[0].width, result.fold_x);
      EXPECT_EQ(result.pages[0].width + result.pages[1].width, page.image.width);
      EXPECT_TRUE(same_columns(result.pages[0], page.image, 0));
      EXPECT_TRUE(same_columns(result.pages[1], page.image, result.fold_x));
    }
  }
  std::cout << "[ figures  ] split_spread: worst fold error " << worst * 100 << " % of the width\n";
}

TEST(SplitSpread, SpreadWithoutGutterShadowSplitsInTheGap) {
  // Two single pages side by side (flat originals scanned together): no line marks the fold,
  // only the white gap between the two text blocks.
  for (const double skew : {0.0, 1.2}) {
    const pagegen::Page left = pagegen::generate(spec_for(Bed::none, skew, 1, 121));
    const pagegen::Page right = pagegen::generate(spec_for(Bed::none, skew, 1, 122));
    Image spread = left.image.with_shape(left.image.width * 2, left.image.height, 1, 8);
    for (int y = 0; y < spread.height; ++y) {
      std::copy_n(left.image.row(y), left.image.width, spread.row(y));
      std::copy_n(right.image.row(y), right.image.width, spread.row(y) + left.image.width);
    }
    const SplitResult result = split_spread(spread, {});
    ASSERT_TRUE(result.split) << "skew " << skew;
    EXPECT_LE(std::abs(result.fold_x - left.image.width), spread.width / 100) << "skew " << skew;
    EXPECT_GE(result.confidence, 1);
  }
}

TEST(SplitSpread, FullSizeSpreadAt300Ppi) {
  pagegen::PageSpec spec = spec_for(Bed::dark, 1.6, 3, 71);
  spec.spread = true;
  spec.sheet_width = 2480;
  spec.sheet_height = 3508;
  spec.ppi = 300;
  const pagegen::Page page = pagegen::generate(spec);
  const SplitResult result = split_spread(page.image, {});
  ASSERT_TRUE(result.split);
  EXPECT_LE(std::abs(result.fold_x - page.fold_x), page.image.width / 100);
}

TEST(SplitSpread, PortraitPageIsNotSplit) {
  const pagegen::Page page = pagegen::generate(spec_for(Bed::dark, 0.5, 3, 81));
  const SplitResult result = split_spread(page.image, {});
  EXPECT_FALSE(result.split);
  ASSERT_EQ(result.pages.size(), 1U);
  EXPECT_EQ(result.pages[0].pixels, page.image.pixels);
}

TEST(SplitSpread, SpreadNarrowerThanMinAspectIsNotSplit) {
  pagegen::PageSpec spec = spec_for(Bed::none, 0, 1, 82);
  spec.spread = true;
  spec.sheet_width = 600;
  spec.sheet_height = 850;  // aspect 1.41
  spec.ppi = 72;
  const pagegen::Page page = pagegen::generate(spec);
  EXPECT_TRUE(split_spread(page.image, {}).split);
  const SplitResult result = split_spread(page.image, {.min_aspect = 1.6});
  EXPECT_FALSE(result.split);
  EXPECT_EQ(result.pages.size(), 1U);
}

TEST(SplitSpread, LandscapeSinglePagesAreNotSplit) {
  // A landscape page of text: one text block across the middle, no fold.
  pagegen::PageSpec spec = spec_for(Bed::white, 0.6, 3, 91);
  spec.sheet_width = 1754;
  spec.sheet_height = 1240;
  const pagegen::Page text = pagegen::generate(spec);
  SplitResult result = split_spread(text.image, {});
  EXPECT_FALSE(result.split) << "split at " << result.fold_x << ", confidence "
                             << result.confidence;
  EXPECT_LT(result.confidence, 1);

  // A map: shaded areas, roads and rivers everywhere, thin vertical grid lines, no gutter.
  Image map = Image::blank(1800, 1200, 3, 8);
  map.ppi_x = map.ppi_y = 150;
  paint(map, {0, 0, 1800, 1200}, texture(200, 40, 92));
  for (int k = 0; k < 60; ++k) {
    const int x0 = hash(k, 1, 93) * 7, y0 = hash(k, 2, 93) * 5;
    const double angle = hash(k, 3, 93) / 40.0;
    for (int t = 0; t < 600; ++t) {
      const int x = x0 + static_cast<int>(t * std::cos(angle + t / 300.0));
      const int y = y0 + static_cast<int>(t * std::sin(angle + t / 300.0));
      paint(map, {x, y, 3, 3}, [](int, int) { return 40; });
    }
  }
  for (int x = 150; x < 1800; x += 300) paint(map, {x, 0, 1, 1200}, [](int, int) { return 90; });
  result = split_spread(map, {});
  EXPECT_FALSE(result.split) << "split at " << result.fold_x << ", confidence "
                             << result.confidence;
  ASSERT_EQ(result.pages.size(), 1U);
  EXPECT_EQ(result.pages[0].pixels, map.pixels);
}

TEST(SplitSpread, KeepsDepthChannelsAndMetadata) {
  struct Case {
    int channels, bits;
    bool bitonal;
  };
  std::uint32_t seed = 101;
  for (const Case c : {Case{1, 16, false}, Case{3, 16, false}, Case{1, 8, true}}) {
    pagegen::PageSpec spec = spec_for(Bed::dark, 0.7, c.channels, seed++);
    spec.spread = true;
    spec.sheet_width = 700;
    spec.sheet_height = 990;
    spec.ppi = 85;
    spec.bits = c.bits;
    spec.bitonal = c.bitonal;
    pagegen::Page page = pagegen::generate(spec);
    page.image.icc_profile = {9, 8, 7};
    const SplitResult result = split_spread(page.image, {});
    SCOPED_TRACE(::testing::Message() << c.channels << " channel(s), " << c.bits << " bits"
                                      << (c.bitonal ? ", bitonal" : ""));
    ASSERT_TRUE(result.split);
    EXPECT_LE(std::abs(result.fold_x - page.fold_x), page.image.width / 100);
    for (const Image& half : result.pages) {
      EXPECT_EQ(half.channels, page.image.channels);
      EXPECT_EQ(half.bits, page.image.bits);
      EXPECT_EQ(half.bitonal, page.image.bitonal);
      EXPECT_EQ(half.ppi_x, 85);
      EXPECT_EQ(half.icc_profile, page.image.icc_profile);
    }
    EXPECT_TRUE(same_columns(result.pages[1], page.image, result.fold_x));
  }
}

TEST(SplitSpread, LeavesItsInputUnchanged) {
  pagegen::PageSpec spec = spec_for(Bed::white, -1, 3, 111);
  spec.spread = true;
  spec.sheet_width = 600;
  spec.sheet_height = 850;
  spec.ppi = 72;
  const pagegen::Page page = pagegen::generate(spec);
  const Image copy = page.image;
  (void)split_spread(page.image, {});
  EXPECT_EQ(page.image.pixels, copy.pixels);
}

TEST(SplitSpread, RejectsMinAspectOutOfRange) {
  const Image image = Image::blank(64, 32, 1, 8);
  EXPECT_THROW(split_spread(image, {.min_aspect = 0.4}), InputError);
  EXPECT_THROW(split_spread(image, {.min_aspect = 5.1}), InputError);
  EXPECT_FALSE(split_spread(Image{}, {}).split);
}

}  // namespace
}  // namespace findbuch

// split_spread and find_page on real test scans (../shared/data, SOURCES.md).
//
// unpaper's double-page test: imgsrcE001.png is a bitonal landscape spread, 3507 × 2480, with no
// gutter shadow (flat originals side by side); both pages are skewed, the right one more. Its
// expected outputs goldenE1-01.pbm and goldenE1-02.pbm (`--layout double --output-pages 2`) are
// 1753 × 2480 each: unpaper cuts the sheet in the middle, then deskews and centres each page
// inside its half without resizing. So the boundary the goldens imply is x = 1753, and the left
// page is the first 1753 columns. Our split must find that boundary from the content alone
// (within 1 % of the width), give halves of the goldens' sizes and the same text on each side.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "imaging/image_io.hpp"
#include "imaging/stages.hpp"
#include "support/shared_data.hpp"

namespace findbuch {
namespace {

namespace fs = std::filesystem;

/// Number of ink (dark) pixels in an 8-bit grey image.
long ink_pixels(const Image& image) {
  long count = 0;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) count += image.row(y)[x] < 128;
  }
  return count;
}

/// Bounding box of the ink in columns [x0, x1).
Box ink_box(const Image& image, int x0, int x1) {
  int left = x1, right = x0 - 1, top = image.height, bottom = -1;
  for (int y = 0; y < image.height; ++y) {
    for (int x = x0; x < x1; ++x) {
      if (image.row(y)[x] >= 128) continue;
      left = std::min(left, x);
      right = std::max(right, x);
      top = std::min(top, y);
      bottom = std::max(bottom, y);
    }
  }
  return {left, top, right - left + 1, bottom - top + 1};
}

TEST(RealScans, UnpaperSpreadSplitsWhereTheGoldenPagesMeet) {
  const fs::path dir = testing::kSharedData / "scans/unpaper";
  REQUIRE_SAMPLES(dir / "imgsrcE001.png");
  REQUIRE_SAMPLES(dir / "goldenE1-01.pbm");
  REQUIRE_SAMPLES(dir / "goldenE1-02.pbm");
  const Image spread = read_image(dir / "imgsrcE001.png");
  const Image left_golden = read_image(dir / "goldenE1-01.pbm");
  const Image right_golden = read_image(dir / "goldenE1-02.pbm");
  ASSERT_EQ(spread.width, 3507);
  ASSERT_EQ(spread.height, 2480);
  // The goldens tile the spread's width (less the odd column) at its full height: no resizing.
  ASSERT_EQ(left_golden.height, spread.height);
  ASSERT_EQ(right_golden.height, spread.height);
  ASSERT_LE(std::abs(left_golden.width + right_golden.width - spread.width), 1);
  const int golden_fold = left_golden.width;

  const SplitResult result = split_spread(spread, {});
  ASSERT_TRUE(result.split);
  ASSERT_EQ(result.pages.size(), 2U);
  std::cout << "[ figures  ] unpaper E001: fold at " << result.fold_x << " (goldens imply "
            << golden_fold << "), confidence " << result.confidence << "\n";
  const int tolerance = spread.width / 100;
  EXPECT_LE(std::abs(result.fold_x - golden_fold), tolerance);
  for (int i = 0; i < 2; ++i) {
    const Image& golden = i == 0 ? left_golden : right_golden;
    EXPECT_LE(std::abs(result.pages[i].width - golden.width), tolerance) << "page " << i + 1;
    EXPECT_EQ(result.pages[i].height, golden.height) << "page " << i + 1;
    EXPECT_TRUE(result.pages[i].bitonal);
  }

  // Reading order and content: no text is cut, and each half holds the text of its golden page.
  // unpaper's deskew of a 1-bit image thickens the strokes by about a tenth, so the ink counts
  // are compared as the left page's share of the ink: "left page …" and "Right page …" differ.
  const Box left_ink = ink_box(spread, 0, spread.width / 2);
  const Box right_ink = ink_box(spread, spread.width / 2, spread.width);
  EXPECT_LT(left_ink.x + left_ink.width, result.fold_x);
  EXPECT_GT(right_ink.x, result.fold_x);
  const double ours_left = ink_pixels(result.pages[0]);
  const double ours_right = ink_pixels(result.pages[1]);
  const double golden_left = ink_pixels(left_golden);
  const double golden_right = ink_pixels(right_golden);
  std::cout << "[ figures  ] unpaper E001: ink left/right ours " << ours_left << "/" << ours_right
            << ", goldens " << golden_left << "/" << golden_right << "\n";
  EXPECT_NEAR(ours_left / (ours_left + ours_right), golden_left / (golden_left + golden_right),
              0.005);
  EXPECT_NEAR(ours_left / golden_left, 1.0, 0.15);
  EXPECT_NEAR(ours_right / golden_right, 1.0, 0.15);
}

TEST(RealScans, UnpaperSinglePagesAreNotSplit) {
  const fs::path dir = testing::kSharedData / "scans/unpaper";
  for (const char* name : {"imgsrc001.png", "goldenE1-01.pbm"}) {
    REQUIRE_SAMPLES(dir / name);
    const Image page = read_image(dir / name);
    EXPECT_FALSE(split_spread(page, {}).split) << name;
  }
}

TEST(RealScans, PagesWithoutBedAreNotCropped) {
  // imgsrc001 has a black bar over the top half of its left edge (a scanner artefact, not bed);
  // the others are sheets that fill the image.
  const fs::path dir = testing::kSharedData / "scans";
  for (const char* name :
       {"unpaper/imgsrc001.png", "unpaper/imgsrc003.png", "ocrd/dfki-testdata__CROP_1586-IMG.png",
        "ocrd/leptonica_samples__OCR-D-IMG_1555_003.jpg"}) {
    REQUIRE_SAMPLES(dir / name);
    const Image page = read_image(dir / name);
    const PageResult result = find_page(page, {});
    EXPECT_FALSE(result.found) << name;
    EXPECT_EQ(result.image.pixels, page.pixels) << name;
  }
}

/// The four numbers x0, y0, x1, y1 of the first <Border> polygon of a PAGE-XML file.
Box page_xml_border(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  const std::string xml = text.str();
  const std::size_t border = xml.find("<Border>");
  const std::size_t points = xml.find("points=\"", border);
  std::istringstream coords(xml.substr(points + 8, xml.find('"', points + 8) - points - 8));
  int x0 = 1 << 30, y0 = 1 << 30, x1 = -1, y1 = -1;
  std::string pair;
  while (coords >> pair) {
    const int x = std::stoi(pair.substr(0, pair.find(',')));
    const int y = std::stoi(pair.substr(pair.find(',') + 1));
    x0 = std::min(x0, x);
    y0 = std::min(y0, y);
    x1 = std::max(x1, x);
    y1 = std::max(y1, y);
  }
  return {x0, y0, x1 - x0, y1 - y0};
}

TEST(RealScans, BookPageOnADarkBedKeepsAllItsText) {
  // A 1784 journal page photographed on a dark cloth: the cloth shows above and below the page.
  // The ground truth's <Border> is the printed area; the crop must keep it whole.
  const fs::path dir = testing::kSharedData / "scans/ocrd";
  REQUIRE_SAMPLES(dir / "kant_aufklaerung_1784__INPUT_0017.tif");
  REQUIRE_SAMPLES(dir / "kant__PAGE_0017_PAGE.xml");
  const Image page = read_image(dir / "kant_aufklaerung_1784__INPUT_0017.tif");
  const Box text = page_xml_border(dir / "kant__PAGE_0017_PAGE.xml");
  const PageResult result = find_page(page, {});
  std::cout << "[ figures  ] kant 1784: page box (" << result.box.x << ", " << result.box.y << ", "
            << result.box.width << " × " << result.box.height << ")\n";
  EXPECT_TRUE(result.found);
  EXPECT_TRUE(result.dark_bed);
  EXPECT_LE(result.box.x, text.x);
  EXPECT_LE(result.box.y, text.y);
  EXPECT_GE(result.box.x + result.box.width, text.x + text.width);
  EXPECT_GE(result.box.y + result.box.height, text.y + text.height);
  EXPECT_GT(result.box.y, 40);  // the cloth above the page is gone
  EXPECT_LT(result.box.y + result.box.height, page.height - 40);
}

}  // namespace
}  // namespace findbuch

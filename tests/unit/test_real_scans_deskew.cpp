// Proves deskew on real scans from ../shared/data/scans (SOURCES.md), against the geometry other
// tools produced from the same pages:
//  - unpaper's test page imgsrc001 (A4 300 ppi, bitonal, black border) and unpaper's cleaned
//    result goldenA1. Registering the two (phase correlation of the page's halves) shows that
//    unpaper turned the page by +4.00° (clockwise); least-squares lines through the letter
//    centroids of each text line give −4.00° on the source and +0.00° on the golden page. So the
//    true skew is −4.00°.
//  - OCR-D's dfki test page: the cropped grey page before deskewing and OCR-D's binarised,
//    deskewed page (a larger crop of the same scan). Registering them shows that OCR-D turned the
//    page by −0.88°, i.e. it found a skew of +0.88°.
//  - The Kant page of OCR-D's assets: a colour book page on a dark bed, with rules; no reference
//    angle, but a real dark bed whose colour must fill the corners.
// Missing samples skip the tests, except in CI.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "imaging/image_io.hpp"
#include "imaging/stages.hpp"
#include "support/shared_data.hpp"

namespace findbuch {
namespace {

namespace fs = std::filesystem;

const fs::path kScans = testing::kSharedData / "scans";

/// The skew deskew measures on `image`, whether or not it would turn it.
double measured(const Image& image) {
  DeskewParams params;
  params.min_angle_deg = 5;  // measure only
  return deskew(image, params).skew_deg;
}

TEST(RealScansDeskew, UnpaperTestPageMatchesUnpapersGeometry) {
  const fs::path source = kScans / "unpaper/imgsrc001.png";
  const fs::path golden = kScans / "unpaper/goldenA1.pbm";
  REQUIRE_SAMPLES(source);
  REQUIRE_SAMPLES(golden);

  const Image page = read_image(source);
  ASSERT_TRUE(page.bitonal);
  const DeskewResult result = deskew(page, DeskewParams{});
  EXPECT_NEAR(result.skew_deg, -4.0, 0.05);
  EXPECT_GE(result.confidence, 10);
  ASSERT_TRUE(result.applied);
  EXPECT_EQ(result.image.width, page.width);
  EXPECT_EQ(result.image.height, page.height);
  EXPECT_TRUE(result.image.bitonal);
  EXPECT_EQ(result.fill[0], 255);

  // Our result is as straight as unpaper's, which itself measures straight.
  EXPECT_NEAR(measured(result.image), 0, 0.05);
  const DeskewResult on_golden = deskew(read_image(golden), DeskewParams{});
  EXPECT_NEAR(on_golden.skew_deg, 0, 0.1);
  EXPECT_FALSE(on_golden.applied);
}

TEST(RealScansDeskew, OcrdPageMatchesOcrdsRotation) {
  const fs::path before = kScans / "ocrd/dfki-testdata__CROP_1586-IMG.png";
  const fs::path after = kScans / "ocrd/dfki-testdata__DESKEW_1586.IMG-BINARIZED-DESKEWED.png";
  REQUIRE_SAMPLES(before);
  REQUIRE_SAMPLES(after);

  const Image page = read_image(before);
  const DeskewResult result = deskew(page, DeskewParams{});
  EXPECT_NEAR(result.skew_deg, 0.88, 0.1);
  ASSERT_TRUE(result.applied);
  EXPECT_GE(result.confidence, 10);
  EXPECT_NEAR(measured(result.image), 0, 0.1);
  // OCR-D's deskewed page measures straight too.
  EXPECT_NEAR(measured(read_image(after)), 0, 0.1);
}

TEST(RealScansDeskew, ColourBookPageOnDarkBed) {
  const fs::path file = kScans / "ocrd/kant_aufklaerung_1784__INPUT_0017.tif";
  REQUIRE_SAMPLES(file);

  const Image page = read_image(file);
  ASSERT_EQ(page.channels, 3);
  const DeskewResult result = deskew(page, DeskewParams{});
  // A carefully placed book page: a small skew, clearly measured.
  EXPECT_LT(std::abs(result.skew_deg), 0.3);
  EXPECT_GE(result.confidence, 5);
  // The uncovered corners get the dark bed's colour, not paper white.
  EXPECT_TRUE(std::all_of(result.fill.begin(), result.fill.end(), [](int v) { return v < 100; }));
  EXPECT_EQ(result.image.icc_profile, page.icc_profile);
  EXPECT_EQ(result.image.ppi_x, page.ppi_x);
}

}  // namespace
}  // namespace findbuch

// Proves the cleaning filters on pages synthesised here with known truth (text-like strokes, dots
// of i's, specks, lighting gradients): despeckle removes isolated specks only and counts them;
// flatten_background makes the paper even while ink stays dark and keeps its hue; binarise
// reproduces the stroke mask under a gradient; rotate moves every pixel where a quarter turn puts
// it. Every stage keeps its input unchanged, carries resolution and ICC profile, and refuses
// parameters outside its range with an InputError naming the parameter.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "core/error.hpp"
#include "imaging/image.hpp"
#include "imaging/mat_view.hpp"
#include "imaging/stages.hpp"
#include "pagegen/page_generator.hpp"

namespace findbuch {
namespace {

const std::vector<std::uint8_t> kIcc = {'i', 'c', 'c', 0, 1, 2};

/// Paper of one grey level (or RGB colour), 300 ppi, with an ICC profile.
Image paper(int width, int height, int channels, int bits, cv::Scalar colour) {
  Image image = Image::blank(width, height, channels, bits);
  image.ppi_x = 300;
  image.ppi_y = 300;
  image.icc_profile = kIcc;
  mat_view(image).setTo(colour);
  return image;
}

/// Text-like ink: lines of words made of letters drawn as 3 px strokes (l, n, o, i with its
/// dot 3 px above the stem). 255 = ink.
cv::Mat text_mask(cv::Size size, std::uint64_t seed) {
  cv::Mat mask(size, CV_8U, cv::Scalar(0));
  cv::RNG rng(seed);
  const cv::Scalar ink(255);
  for (int base = 40; base + 10 < size.height; base += 34) {
    int x = 20;
    while (x + 60 < size.width) {
      const int letters = rng.uniform(2, 8);
      for (int l = 0; l < letters; ++l) {
        switch (rng.uniform(0, 4)) {
          case 0:  // l
            cv::rectangle(mask, cv::Rect(x, base - 22, 3, 22), ink, cv::FILLED);
            x += 3;
            break;
          case 1:  // n
            cv::rectangle(mask, cv::Rect(x, base - 14, 3, 14), ink, cv::FILLED);
            cv::rectangle(mask, cv::Rect(x + 7, base - 14, 3, 14), ink, cv::FILLED);
            cv::rectangle(mask, cv::Rect(x, base - 14, 10, 3), ink, cv::FILLED);
            x += 10;
            break;
          case 2:  // o
            cv::rectangle(mask, cv::Rect(x, base - 14, 11, 14), ink, 3);
            x += 11;
            break;
          default:  // i
            cv::rectangle(mask, cv::Rect(x, base - 14, 3, 14), ink, cv::FILLED);
            cv::rectangle(mask, cv::Rect(x, base - 20, 3, 3), ink, cv::FILLED);
            x += 3;
            break;
        }
        x += 4;
      }
      x += 14;
    }
  }
  return mask;
}

/// A scan of `mask` under uneven light: each pixel is reflectance × illumination(x, y), with
/// reflectance 1 for paper and `ink` for ink, per channel scaled by `tint` (R G B), plus Gaussian
/// noise of `noise` grey levels (8-bit scale). 16-bit images hold the same values × 257.
Image scan(const cv::Mat& mask, const std::function<double(int, int)>& illumination, double ink,
           int channels, int bits, cv::Vec3d tint = {1, 1, 1}, double noise = 0,
           cv::Vec3d ink_tint = {1, 1, 1}) {
  Image image = paper(mask.cols, mask.rows, channels, bits, cv::Scalar(0));
  cv::Mat view = mat_view(image);
  cv::RNG rng(7);
  const double unit = bits == 16 ? 257 : 1;
  const double top = bits == 16 ? 65535 : 255;
  for (int y = 0; y < mask.rows; ++y) {
    for (int x = 0; x < mask.cols; ++x) {
      const bool is_ink = mask.at<std::uint8_t>(y, x) != 0;
      const double light = illumination(x, y);
      for (int c = 0; c < channels; ++c) {
        const double reflectance = is_ink ? ink * ink_tint[c] : tint[c];
        double v = (reflectance * light + (noise > 0 ? rng.gaussian(noise) : 0)) * unit;
        v = std::clamp(std::round(v), 0.0, top);
        if (bits == 16) {
          view.ptr<std::uint16_t>(y)[x * channels + c] = static_cast<std::uint16_t>(v);
        } else {
          view.ptr<std::uint8_t>(y)[x * channels + c] = static_cast<std::uint8_t>(v);
        }
      }
    }
  }
  return image;
}

/// Mean and standard deviation of channel `c` (as double) over the pixels where `where` is set.
cv::Vec2d stats(const Image& image, const cv::Mat& where, int c = 0) {
  cv::Mat channel;
  cv::extractChannel(mat_view(image), channel, c);
  cv::Scalar mean, sd;
  cv::meanStdDev(channel, mean, sd, where);
  return {mean[0], sd[0]};
}

void expect_same_metadata(const Image& out, const Image& in) {
  EXPECT_EQ(out.icc_profile, in.icc_profile);
  EXPECT_EQ(out.ppi_x, in.ppi_x);
  EXPECT_EQ(out.ppi_y, in.ppi_y);
}

template <typename F>
void expect_input_error(F f, const std::string& needle) {
  try {
    f();
    ADD_FAILURE() << "no InputError; expected one mentioning " << needle;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

// --- despeckle -----------------------------------------------------------------------------------

/// Paper with letters near which dots and punctuation sit, a blob and a dash bigger than the
/// default limit, and (when `specks`) five isolated specks of 1 to 3 px.
Image speckled_page(int channels, int bits, cv::Scalar paper_colour, cv::Scalar ink, bool specks) {
  Image image = paper(400, 300, channels, bits, paper_colour);
  cv::Mat v = mat_view(image);
  cv::rectangle(v, cv::Rect(100, 100, 3, 20), ink, cv::FILLED);  // i stem
  cv::rectangle(v, cv::Rect(100, 94, 3, 3), ink, cv::FILLED);    // its dot, 3 px above
  cv::rectangle(v, cv::Rect(150, 100, 3, 20), ink, cv::FILLED);  // l
  cv::rectangle(v, cv::Rect(155, 117, 3, 3), ink, cv::FILLED);   // full stop 2 px after it
  cv::rectangle(v, cv::Rect(250, 250, 5, 5), ink, cv::FILLED);   // blob bigger than 3 × 3
  cv::rectangle(v, cv::Rect(40, 250, 4, 1), ink, cv::FILLED);    // dash, 4 px long
  if (specks) {
    cv::rectangle(v, cv::Rect(50, 50, 1, 1), ink, cv::FILLED);
    cv::rectangle(v, cv::Rect(200, 50, 2, 2), ink, cv::FILLED);
    cv::rectangle(v, cv::Rect(300, 200, 3, 3), ink, cv::FILLED);
    cv::rectangle(v, cv::Rect(350, 100, 1, 3), ink, cv::FILLED);
    cv::rectangle(v, cv::Rect(60, 200, 1, 1), ink, cv::FILLED);  // two pixels touching at a
    cv::rectangle(v, cv::Rect(61, 201, 1, 1), ink, cv::FILLED);  // corner: one speck
  }
  return image;
}

TEST(Despeckle, RemovesIsolatedSpecksAndKeepsDotsPunctuationAndBiggerMarks) {
  const Image in = speckled_page(1, 8, cv::Scalar(230), cv::Scalar(40), true);
  const Image before = in;
  const DespeckleResult r = despeckle(in, {});
  EXPECT_EQ(r.removed, 5);
  // Uniform paper: the patched page is exactly the page drawn without specks.
  EXPECT_TRUE(r.image.pixels == speckled_page(1, 8, cv::Scalar(230), cv::Scalar(40), false).pixels);
  EXPECT_TRUE(in.pixels == before.pixels);
  expect_same_metadata(r.image, in);
  EXPECT_EQ(r.image.bits, 8);
  EXPECT_EQ(r.image.channels, 1);
}

TEST(Despeckle, SizeLimitDecidesWhatIsASpeck) {
  const Image in = speckled_page(1, 8, cv::Scalar(230), cv::Scalar(40), true);
  EXPECT_EQ(despeckle(in, {1}).removed, 1);  // only the single pixel
  const DespeckleResult big = despeckle(in, {5});
  EXPECT_EQ(big.removed, 7);  // and the 5 × 5 blob and the 4 px dash
  const cv::Mat out = mat_view(big.image);
  EXPECT_EQ(out.at<std::uint8_t>(252, 252), 230);
  EXPECT_EQ(out.at<std::uint8_t>(95, 101), 40);   // the i's dot, 3 px from its stem
  EXPECT_EQ(out.at<std::uint8_t>(118, 156), 40);  // the full stop
}

TEST(Despeckle, ColourPatchesTakeThePaperColour) {
  const cv::Scalar cream(235, 225, 200);
  const Image in = speckled_page(3, 8, cream, cv::Scalar(170, 20, 30), true);
  const DespeckleResult r = despeckle(in, {});
  EXPECT_EQ(r.removed, 5);
  EXPECT_TRUE(r.image.pixels == speckled_page(3, 8, cream, cv::Scalar(170, 20, 30), false).pixels);
  expect_same_metadata(r.image, in);
}

TEST(Despeckle, SixteenBitStaysSixteenBit) {
  const Image in = speckled_page(1, 16, cv::Scalar(59000), cv::Scalar(9000), true);
  const DespeckleResult r = despeckle(in, {});
  EXPECT_EQ(r.removed, 5);
  EXPECT_EQ(r.image.bits, 16);
  EXPECT_TRUE(r.image.pixels ==
              speckled_page(1, 16, cv::Scalar(59000), cv::Scalar(9000), false).pixels);
  const Image rgb =
      speckled_page(3, 16, cv::Scalar(60000, 58000, 50000), cv::Scalar(0, 0, 0), true);
  EXPECT_EQ(despeckle(rgb, {}).removed, 5);
}

TEST(Despeckle, BitonalStaysBitonal) {
  Image in = speckled_page(1, 8, cv::Scalar(255), cv::Scalar(0), true);
  in.bitonal = true;
  const DespeckleResult r = despeckle(in, {});
  EXPECT_EQ(r.removed, 5);
  EXPECT_TRUE(r.image.bitonal);
  EXPECT_TRUE(r.image.pixels == speckled_page(1, 8, cv::Scalar(255), cv::Scalar(0), false).pixels);
}

TEST(Despeckle, NoisyPaperAndRealTextKeepTheirInk) {
  // Text on noisy, shaded paper with specks scattered where no text is.
  const cv::Mat mask = text_mask({600, 400}, 3);
  cv::Mat specks = mask.clone();
  std::vector<cv::Point> where;
  for (int i = 0; i < 12; ++i) {
    const cv::Point p(30 + 45 * i, 390);  // below the last line
    where.push_back(p);
    cv::rectangle(specks, cv::Rect(p, cv::Size(1 + i % 3, 1 + i % 2)), cv::Scalar(255), cv::FILLED);
  }
  const auto light = [](int x, int) { return 225 + 20.0 * x / 600; };
  const Image in = scan(specks, light, 0.15, 1, 8, {1, 1, 1}, 4);
  const DespeckleResult r = despeckle(in, {});
  EXPECT_EQ(r.removed, 12);
  const cv::Mat out = mat_view(r.image);
  for (const cv::Point& p : where) EXPECT_GT(out.at<std::uint8_t>(p), 200) << p;
  // Every text pixel is untouched.
  cv::Mat changed;
  cv::compare(mat_view(in), out, changed, cv::CMP_NE);
  cv::Mat changed_text;
  cv::bitwise_and(changed, mask, changed_text);
  EXPECT_EQ(cv::countNonZero(changed_text), 0);
}

TEST(Despeckle, RefusesSizesOutOfRange) {
  const Image in = paper(20, 20, 1, 8, cv::Scalar(255));
  expect_input_error([&] { despeckle(in, {0}); }, "max_size_px");
  expect_input_error([&] { despeckle(in, {51}); }, "max_size_px");
  EXPECT_EQ(despeckle(Image{}, {}).removed, 0);
}

// --- background ----------------------------------------------------------------------------------

/// Paper pixels at least 3 px away from any ink.
cv::Mat clear_paper(const cv::Mat& mask) {
  cv::Mat grown;
  cv::dilate(mask, grown, cv::getStructuringElement(cv::MORPH_RECT, {7, 7}));
  return grown == 0;
}

// 603 × 405: not a multiple of the 1/8 cells, so the edge rows and columns are covered too.
const auto kSideLight = [](int x, int) { return 200 + 50.0 * x / 602; };

TEST(Background, FlattensALightingGradientAndKeepsTheInkDark) {
  const cv::Mat mask = text_mask({603, 405}, 1);
  const Image in = scan(mask, kSideLight, 0.2, 1, 8);
  const Image before = in;
  const cv::Mat paper_px = clear_paper(mask);
  ASSERT_GT(stats(in, paper_px)[1], 14);

  const BackgroundResult r = flatten_background(in, {});
  const cv::Vec2d paper_after = stats(r.image, paper_px);
  const cv::Vec2d ink_after = stats(r.image, mask);
  EXPECT_LT(paper_after[1], 1.5);
  EXPECT_NEAR(paper_after[0], r.paper_level, 3);
  EXPECT_NEAR(r.paper_level, 247, 3);  // the best-lit paper keeps its level
  EXPECT_LT(ink_after[0], 0.3 * paper_after[0]);
  double ink_max = 0;
  cv::minMaxLoc(mat_view(r.image), nullptr, &ink_max, nullptr, nullptr, mask);
  EXPECT_LT(ink_max, 90);

  EXPECT_TRUE(in.pixels == before.pixels);
  expect_same_metadata(r.image, in);
  EXPECT_EQ(r.image.bits, 8);
  EXPECT_EQ(r.image.channels, 1);
}

TEST(Background, LiftsAShadowTowardsTheBinding) {
  // Light falls from 240 to 110 over the 60 px next to the left edge, as at a book's gutter.
  const cv::Mat mask = text_mask({600, 400}, 2);
  const auto gutter = [](int x, int) { return 240 - 130 * std::exp(-x / 60.0); };
  const Image in = scan(mask, gutter, 0.2, 1, 8);
  const BackgroundResult r = flatten_background(in, {});
  const cv::Mat paper_px = clear_paper(mask);
  EXPECT_GT(stats(in, paper_px)[1], 15);
  EXPECT_LT(stats(r.image, paper_px)[1], 4);
  EXPECT_LT(stats(r.image, mask)[0], 0.3 * stats(r.image, paper_px)[0]);
}

TEST(Background, SixteenBitStaysSixteenBit) {
  const cv::Mat mask = text_mask({603, 405}, 1);
  const Image in = scan(mask, kSideLight, 0.2, 1, 16);
  const BackgroundResult r = flatten_background(in, {});
  ASSERT_EQ(r.image.bits, 16);
  const cv::Vec2d paper_after = stats(r.image, clear_paper(mask));
  EXPECT_LT(paper_after[1], 1.5 * 257);
  EXPECT_NEAR(r.paper_level, 247, 3);  // reported on the 8-bit scale
  EXPECT_NEAR(paper_after[0] / 257, r.paper_level, 3);
  EXPECT_LT(stats(r.image, mask)[0], 0.3 * paper_after[0]);
}

TEST(Background, ColourKeepsItsHue) {
  // Cream paper, red ink; light falls off from top right to bottom left.
  const cv::Mat mask = text_mask({603, 405}, 4);
  const auto light = [](int x, int y) { return 180 + 35.0 * x / 602 + 35.0 * (404 - y) / 404; };
  const Image in = scan(mask, light, 0.8, 3, 8, {1.0, 0.95, 0.82}, 0, {1.0, 0.2, 0.2});
  const BackgroundResult r = flatten_background(in, {});
  ASSERT_EQ(r.image.channels, 3);
  const cv::Mat paper_px = clear_paper(mask);
  for (int c = 0; c < 3; ++c) EXPECT_LT(stats(r.image, paper_px, c)[1], 2) << "channel " << c;
  // Paper keeps its cream tone; ink stays red, with the same channel ratios as scanned.
  const double paper_r = stats(r.image, paper_px, 0)[0];
  EXPECT_NEAR(stats(r.image, paper_px, 2)[0] / paper_r, 0.82, 0.02);
  const double ink_r = stats(r.image, mask, 0)[0];
  const double ink_g = stats(r.image, mask, 1)[0];
  const double ink_b = stats(r.image, mask, 2)[0];
  EXPECT_NEAR(ink_g / ink_r, 0.2, 0.02);
  EXPECT_NEAR(ink_b / ink_r, 0.2, 0.02);
  EXPECT_NEAR(ink_r / paper_r, 0.8, 0.05);
}

TEST(Background, LeavesEvenPaperAndBitonalPagesAlone) {
  const cv::Mat mask = text_mask({300, 200}, 5);
  const Image even = scan(
      mask, [](int, int) { return 240.0; }, 0.2, 1, 8);
  const BackgroundResult r = flatten_background(even, {});
  EXPECT_EQ(r.paper_level, 240);
  cv::Mat diff;
  cv::absdiff(mat_view(r.image), mat_view(even), diff);
  double worst = 0;
  cv::minMaxLoc(diff, nullptr, &worst);
  EXPECT_LE(worst, 1);

  Image bitonal = scan(
      mask, [](int, int) { return 255.0; }, 0, 1, 8);
  bitonal.bitonal = true;
  const BackgroundResult b = flatten_background(bitonal, {});
  EXPECT_TRUE(b.image.pixels == bitonal.pixels);
  EXPECT_TRUE(b.image.bitonal);
  EXPECT_EQ(b.paper_level, 255);
}

TEST(Background, WindowParameter) {
  const cv::Mat mask = text_mask({603, 405}, 1);
  Image in = scan(mask, kSideLight, 0.2, 1, 8);
  in.ppi_x = in.ppi_y = 0;  // unknown: sized as for 300 ppi
  EXPECT_TRUE(flatten_background(in, {}).image.pixels == flatten_background(in, {50}).image.pixels);
  EXPECT_LT(stats(flatten_background(in, {80}).image, clear_paper(mask))[1], 1.5);
  expect_input_error([&] { flatten_background(in, {-1}); }, "window_px");
  expect_input_error([&] { flatten_background(in, {2001}); }, "window_px");
  EXPECT_NO_THROW(flatten_background(paper(3, 2, 3, 8, cv::Scalar(200, 200, 200)), {}));
  EXPECT_NO_THROW(flatten_background(Image{}, {}));
}

// --- binarise ------------------------------------------------------------------------------------

const auto kDiagonalLight = [](int x, int y) { return 190 + 30.0 * x / 600 + 30.0 * y / 400; };

TEST(Binarise, ReproducesTheStrokesUnderAGradient) {
  const cv::Mat mask = text_mask({600, 400}, 6);
  const Image in = scan(mask, kDiagonalLight, 0.2, 1, 8, {1, 1, 1}, 3);
  const Image before = in;
  const BinariseResult r = binarise(in, {});
  ASSERT_EQ(r.image.channels, 1);
  ASSERT_EQ(r.image.bits, 8);
  EXPECT_TRUE(r.image.bitonal);
  const cv::Mat out = mat_view(r.image);
  EXPECT_EQ(cv::countNonZero(out == 0) + cv::countNonZero(out == 255), out.rows * out.cols);

  const double truth = cv::countNonZero(mask) / static_cast<double>(mask.total());
  EXPECT_NEAR(r.ink_fraction, truth, 0.01 * truth + 0.002);
  cv::Mat ink_out = out == 0;
  const double agree = cv::countNonZero(ink_out == mask) / static_cast<double>(mask.total());
  EXPECT_GE(agree, 0.995);
  EXPECT_TRUE(in.pixels == before.pixels);
  expect_same_metadata(r.image, in);
}

TEST(Binarise, ColourAndSixteenBitGoThroughLuminance) {
  const cv::Mat mask = text_mask({300, 200}, 7);
  const Image grey = scan(mask, kDiagonalLight, 0.2, 1, 8, {1, 1, 1}, 3);
  const BinariseResult from_grey = binarise(grey, {});

  Image wide = paper(300, 200, 1, 16, cv::Scalar(0));
  mat_view(grey).convertTo(mat_view(wide), CV_16U, 257);
  EXPECT_TRUE(binarise(wide, {}).image.pixels == from_grey.image.pixels);

  // A colour page whose luminance is exactly the grey page.
  Image colour = paper(300, 200, 3, 8, cv::Scalar(0));
  cv::cvtColor(mat_view(grey), mat_view(colour), cv::COLOR_GRAY2RGB);
  const BinariseResult from_colour = binarise(colour, {});
  EXPECT_TRUE(from_colour.image.pixels == from_grey.image.pixels);
  EXPECT_EQ(from_colour.image.channels, 1);
  expect_same_metadata(from_colour.image, colour);
}

TEST(Binarise, WindowComesFromTheResolution) {
  // Text and a 40 px block: a window narrower than the block sees paper inside it.
  cv::Mat mask = text_mask({300, 200}, 8);
  cv::rectangle(mask, cv::Rect(150, 120, 40, 40), cv::Scalar(255), cv::FILLED);
  Image in = scan(mask, kDiagonalLight, 0.2, 1, 8, {1, 1, 1}, 3);
  auto pixels = [&](int window) { return binarise(in, {window}).image.pixels; };
  ASSERT_FALSE(pixels(15) == pixels(25));
  ASSERT_FALSE(pixels(25) == pixels(51));
  EXPECT_TRUE(pixels(0) == pixels(25));   // 300 ppi: 1/12 inch
  EXPECT_TRUE(pixels(24) == pixels(25));  // even windows are widened to be centred
  in.ppi_x = in.ppi_y = 600;
  EXPECT_TRUE(pixels(0) == pixels(51));
  in.ppi_x = in.ppi_y = 100;
  EXPECT_TRUE(pixels(0) == pixels(15));  // never below 15 px
  in.ppi_x = in.ppi_y = 0;
  EXPECT_TRUE(pixels(0) == pixels(25));  // unknown: as 300 ppi
}

TEST(Binarise, MatchesSauvolaComputedDirectly) {
  // Random grey with structure, window 7 (edges clipped), against a direct evaluation.
  Image in = paper(61, 47, 1, 8, cv::Scalar(0));
  cv::RNG rng(11);
  cv::Mat v = mat_view(in);
  rng.fill(v, cv::RNG::UNIFORM, 0, 256);
  cv::GaussianBlur(v, v, {5, 5}, 1.5);
  const double k = 0.2;
  const int r = 3;
  const BinariseResult out = binarise(in, {7, k});
  int mismatches = 0;
  for (int y = 0; y < in.height; ++y) {
    for (int x = 0; x < in.width; ++x) {
      double sum = 0, sq = 0, n = 0;
      for (int j = std::max(0, y - r); j <= std::min(in.height - 1, y + r); ++j) {
        for (int i = std::max(0, x - r); i <= std::min(in.width - 1, x + r); ++i) {
          const double g = v.at<std::uint8_t>(j, i);
          sum += g;
          sq += g * g;
          ++n;
        }
      }
      const double mean = sum / n;
      const double sd = std::sqrt(std::max(0.0, sq / n - mean * mean));
      const bool ink = v.at<std::uint8_t>(y, x) <= mean * (1 + k * (sd / 128 - 1));
      mismatches += ink != (mat_view(out.image).at<std::uint8_t>(y, x) == 0);
    }
  }
  EXPECT_EQ(mismatches, 0);
}

TEST(Binarise, BlankNoisyPaperHasNoInk) {
  const cv::Mat none(300, 400, CV_8U, cv::Scalar(0));
  const Image in = scan(none, kDiagonalLight, 0.2, 3, 8, {1, 0.95, 0.85}, 5);
  EXPECT_LT(binarise(in, {}).ink_fraction, 0.0005);
}

TEST(Binarise, RefusesParametersOutOfRange) {
  const Image in = paper(20, 20, 1, 8, cv::Scalar(255));
  expect_input_error([&] { binarise(in, {-1, 0.34}); }, "window_px");
  expect_input_error([&] { binarise(in, {2002, 0.34}); }, "window_px");
  expect_input_error([&] { binarise(in, {0, 0}); }, "\"k\"");
  expect_input_error([&] { binarise(in, {0, 1.5}); }, "\"k\"");
  EXPECT_NO_THROW(binarise(paper(2, 1, 3, 16, cv::Scalar(1, 2, 3)), {2001, 1}));
  EXPECT_EQ(binarise(Image{}, {}).ink_fraction, 0);
}

// --- on generated pages (tools/pagegen) ----------------------------------------------------------

pagegen::PageSpec generated_spec() {
  pagegen::PageSpec spec;
  spec.sheet_width = 1200;
  spec.sheet_height = 1600;
  spec.ppi = 300;
  spec.seed = 5;
  return spec;
}

cv::Mat grey_of(const Image& image) {
  cv::Mat grey;
  cv::cvtColor(mat_view(image), grey, cv::COLOR_RGB2GRAY);
  return grey;
}

TEST(GeneratedPage, BackgroundEvensOutTheLightAndBinariseFindsTheText) {
  pagegen::PageSpec spec = generated_spec();
  const cv::Mat clean = grey_of(pagegen::generate(spec).image);
  const cv::Mat truth = clean < 128;  // crisp glyphs (no skew): ink ~22…42, paper ~230
  spec.illumination = 0.35;
  spec.noise_sigma = 3;
  const Image lit = pagegen::generate(spec).image;

  // Mean paper level in each of 4 × 4 tiles: flat paper has the same level everywhere.
  cv::Mat paper_px;
  cv::erode(clean > 200, paper_px, cv::getStructuringElement(cv::MORPH_RECT, {7, 7}));
  auto tile_spread = [&](const cv::Mat& grey) {
    double low = 255, high = 0;
    for (int ty = 0; ty < 4; ++ty) {
      for (int tx = 0; tx < 4; ++tx) {
        const cv::Rect tile(tx * grey.cols / 4, ty * grey.rows / 4, grey.cols / 4, grey.rows / 4);
        const double m = cv::mean(grey(tile), paper_px(tile))[0];
        low = std::min(low, m);
        high = std::max(high, m);
      }
    }
    return high - low;
  };
  ASSERT_GT(tile_spread(grey_of(lit)), 40);
  const BackgroundResult flat = flatten_background(lit, {});
  EXPECT_LT(tile_spread(grey_of(flat.image)), 3);

  const double truth_fraction = cv::countNonZero(truth) / static_cast<double>(truth.total());
  for (const Image* page : {&lit, &flat.image}) {
    const BinariseResult b = binarise(*page, {});
    const cv::Mat ink = mat_view(b.image) == 0;
    const double agree = cv::countNonZero(ink == truth) / static_cast<double>(truth.total());
    EXPECT_GE(agree, 0.995) << (page == &lit ? "as lit" : "flattened");
    EXPECT_NEAR(b.ink_fraction, truth_fraction, 0.05 * truth_fraction);
  }
}

TEST(GeneratedPage, DespeckleRemovesTheDustAndNothingElse) {
  pagegen::PageSpec spec = generated_spec();
  spec.illumination = 0.2;
  const Image clean = pagegen::generate(spec).image;
  EXPECT_EQ(despeckle(clean, {}).removed, 0);  // dots, punctuation and thin strokes stay
  spec.dust_specks = 30;
  const Image dusty = pagegen::generate(spec).image;
  const DespeckleResult r = despeckle(dusty, {});
  // Specks the generator drops within a few pixels of each other stay, like the dots of an ä.
  EXPECT_GE(r.removed, 25);
  EXPECT_LE(r.removed, 30);
  // Only the dust and its rim changed, and to the shaded paper around it.
  cv::Mat dust, rim, changed, stray;
  cv::compare(mat_view(dusty), mat_view(clean), dust, cv::CMP_NE);
  cv::dilate(dust.reshape(1, dusty.height), rim, cv::getStructuringElement(cv::MORPH_RECT, {9, 3}));
  cv::compare(mat_view(r.image), mat_view(dusty), changed, cv::CMP_NE);
  cv::bitwise_and(changed.reshape(1, dusty.height), ~rim, stray);
  EXPECT_EQ(cv::countNonZero(stray), 0);
  cv::Mat diff;
  cv::absdiff(mat_view(r.image), mat_view(clean), diff);
  double worst = 0;
  cv::minMaxLoc(diff.reshape(1), nullptr, &worst, nullptr, nullptr,
                changed.reshape(1, dusty.height));
  EXPECT_LE(worst, 2);

  spec.noise_sigma = 3;
  spec.channels = 1;
  EXPECT_EQ(despeckle(pagegen::generate(spec).image, {}).removed, r.removed);
}

// --- rotate --------------------------------------------------------------------------------------

/// Sample c of pixel (x, y) = (y·w + x)·channels + c + 1 (modulo 256 at 8 bits): a misplaced pixel
/// shows.
Image numbered(int width, int height, int channels, int bits) {
  Image image = Image::blank(width, height, channels, bits);
  image.ppi_x = 300;
  image.ppi_y = 600;
  image.icc_profile = kIcc;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      for (int c = 0; c < channels; ++c) {
        const int value = (y * width + x) * channels + c + 1;
        if (bits == 16) {
          reinterpret_cast<std::uint16_t*>(image.row(y))[x * channels + c] =
              static_cast<std::uint16_t>(value);
        } else {
          image.row(y)[x * channels + c] = static_cast<std::uint8_t>(value);
        }
      }
    }
  }
  return image;
}

/// Sample c of pixel (x, y), whatever the depth.
int sample(const Image& image, int x, int y, int c) {
  const std::size_t i = static_cast<std::size_t>(x * image.channels + c);
  return image.bits == 16 ? reinterpret_cast<const std::uint16_t*>(image.row(y))[i]
                          : image.row(y)[i];
}

TEST(Rotate, QuarterTurnsMoveCornersClockwise) {
  // 3 × 2 grey: top-left 1, top-right 3, bottom-left 4, bottom-right 6.
  const Image in = numbered(3, 2, 1, 8);
  const Image cw = rotate(in, {90}).image;
  ASSERT_EQ(cw.width, 2);
  ASSERT_EQ(cw.height, 3);
  EXPECT_EQ(sample(cw, 0, 0, 0), 4);  // bottom-left comes to the top-left
  EXPECT_EQ(sample(cw, 1, 0, 0), 1);
  EXPECT_EQ(sample(cw, 1, 2, 0), 3);
  EXPECT_EQ(sample(cw, 0, 2, 0), 6);
  const Image half = rotate(in, {180}).image;
  ASSERT_EQ(half.width, 3);
  EXPECT_EQ(sample(half, 0, 0, 0), 6);
  EXPECT_EQ(sample(half, 2, 1, 0), 1);
  const Image ccw = rotate(in, {270}).image;
  ASSERT_EQ(ccw.width, 2);
  EXPECT_EQ(sample(ccw, 0, 0, 0), 3);  // top-right comes to the top-left
  EXPECT_EQ(sample(ccw, 0, 2, 0), 1);
  EXPECT_EQ(sample(ccw, 1, 2, 0), 4);
}

TEST(Rotate, EveryPixelOfEveryFormatLandsWhereTheTurnPutsIt) {
  // 131 × 70 is not a multiple of the copy's tiles.
  for (const int channels : {1, 3}) {
    for (const int bits : {8, 16}) {
      Image in = numbered(131, 70, channels, bits);
      in.bitonal = channels == 1 && bits == 8;  // carried, whatever the values
      const Image before = in;
      for (const int degrees : {0, 90, 180, 270}) {
        SCOPED_TRACE("channels " + std::to_string(channels) + ", bits " + std::to_string(bits) +
                     ", degrees " + std::to_string(degrees));
        const Image out = rotate(in, {degrees}).image;
        const bool quarter = degrees % 180 != 0;
        ASSERT_EQ(out.width, quarter ? in.height : in.width);
        ASSERT_EQ(out.height, quarter ? in.width : in.height);
        EXPECT_EQ(out.channels, channels);
        EXPECT_EQ(out.bits, bits);
        EXPECT_EQ(out.bitonal, in.bitonal);
        EXPECT_EQ(out.icc_profile, in.icc_profile);
        EXPECT_EQ(out.ppi_x, quarter ? 600 : 300);
        EXPECT_EQ(out.ppi_y, quarter ? 300 : 600);
        int wrong = 0;
        for (int y = 0; y < out.height; ++y) {
          for (int x = 0; x < out.width; ++x) {
            int sx = x, sy = y;
            if (degrees == 90) sx = y, sy = in.height - 1 - x;
            if (degrees == 180) sx = in.width - 1 - x, sy = in.height - 1 - y;
            if (degrees == 270) sx = in.width - 1 - y, sy = x;
            for (int c = 0; c < channels; ++c)
              wrong += sample(out, x, y, c) != sample(in, sx, sy, c);
          }
        }
        EXPECT_EQ(wrong, 0);
      }
      EXPECT_TRUE(in.pixels == before.pixels);
      EXPECT_TRUE(rotate(rotate(in, {90}).image, {270}).image.pixels == in.pixels);
    }
  }
}

TEST(Rotate, RefusesAnythingButQuarterTurns) {
  const Image in = numbered(4, 3, 1, 8);
  for (const int degrees : {45, -90, 360, 1}) {
    expect_input_error([&] { rotate(in, {degrees}); }, "\"degrees\"");
    expect_input_error([&] { rotate(in, {degrees}); }, "0, 90, 180, 270");
  }
  EXPECT_TRUE(rotate(Image{}, {90}).image.empty());
}

// --- all stages ----------------------------------------------------------------------------------

TEST(Filters, TinyImagesOfEveryFormat) {
  for (const cv::Size size : {cv::Size(1, 1), cv::Size(2, 1), cv::Size(1, 5), cv::Size(7, 3)}) {
    for (const int channels : {1, 3}) {
      for (const int bits : {8, 16}) {
        const Image in = paper(size.width, size.height, channels, bits, cv::Scalar::all(100));
        SCOPED_TRACE(std::to_string(size.width) + "x" + std::to_string(size.height));
        EXPECT_EQ(despeckle(in, {}).image.pixels.size(), in.pixels.size());
        EXPECT_EQ(flatten_background(in, {}).image.pixels.size(), in.pixels.size());
        EXPECT_EQ(binarise(in, {}).image.pixels.size(), static_cast<std::size_t>(size.area()));
        EXPECT_EQ(rotate(in, {90}).image.width, size.height);
      }
    }
  }
}

}  // namespace
}  // namespace findbuch

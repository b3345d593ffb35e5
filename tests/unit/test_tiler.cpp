// Proves the static tile pyramids (tile_file / tile_image) against the formats' own rules, not
// against the tiler's code: a IIIF 3.0 level 0 info.json lists exactly the scale factors and
// sizes its geometry implies, and every tile and size a client derives from info.json alone
// exists at its canonical path with the right pixel size (and nothing else is written); tiles
// and TIFF directories reassemble to the source (PSNR ≥ 35 dB for JPEG, exact for Deflate) at
// full and half resolution, for RGB, grey and 16-bit sources; the size limits are declared and
// honoured; Deep Zoom levels run from 1 × 1 to full size with the right overlaps; pyramidal
// TIFFs have the tags IIPImage and OpenSlide expect; the output is replaced atomically and a
// failure leaves the old output and no temporary entries; embedded non-sRGB ICC profiles are
// converted to sRGB as LittleCMS converts them; the output does not depend on the thread count
// or on how the source streams in; the banded parallel JPEG decodes; the pyramid geometry and
// the 2 × 2 reduction are exact; and tiling a 324 MB image through the CLI stays within a
// fraction of the image's size in memory.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <lcms2.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <tiffio.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "imaging/display_colour.hpp"
#include "imaging/image_io.hpp"
#include "imaging/jpeg_bands.hpp"
#include "imaging/pyramid.hpp"
#include "imaging/tiler.hpp"
#include "pagegen/page_generator.hpp"
#include "support/checks.hpp"

extern char** environ;

namespace findbuch {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using testing::kSanitized;

/// A new uncompressed 8-bit RGB TIFF; the caller adds the strip or tile layout.
TIFF* open_rgb_tiff(const fs::path& file, int W, int H) {
  TIFF* tif = TIFFOpen(file.c_str(), "w");
  if (tif == nullptr) return nullptr;
  TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, static_cast<std::uint32_t>(W));
  TIFFSetField(tif, TIFFTAG_IMAGELENGTH, static_cast<std::uint32_t>(H));
  TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 3);
  TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 8);
  TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
  TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_NONE);
  return tif;
}

class TilerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() /
           ("findbuch-tiler-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path path(const std::string& name) const { return dir_ / name; }

  fs::path dir_;
};

// --- helpers ---------------------------------------------------------------------------------

int ceil_div(long a, long b) {
  return static_cast<int>((a + b - 1) / b);
}

/// A synthetic scan (text blocks, uneven light, noise, dust) with a smooth colour cast that
/// differs everywhere, so a tile in the wrong place or a shifted row cannot go unnoticed.
Image test_page(int width, int height, int channels = 3, int bits = 8, std::uint32_t seed = 7) {
  pagegen::PageSpec spec;
  spec.sheet_width = width;
  spec.sheet_height = height;
  spec.ppi = 300;
  spec.channels = channels;
  spec.bits = bits;
  spec.noise_sigma = 1.5;
  spec.dust_specks = 30;
  spec.illumination = 0.3;
  spec.seed = seed;
  Image image = pagegen::generate(spec).image;
  if (channels == 3) {
    for (int y = 0; y < height; ++y) {
      for (int x = 0; x < width; ++x) {
        const double gain[3] = {0.55 + 0.45 * x / width, 1.0, 0.55 + 0.45 * y / height};
        for (int c = 0; c < 3; ++c) {
          const std::size_t i = static_cast<std::size_t>(x) * 3 + c;
          if (bits == 8) {
            image.row(y)[i] = static_cast<std::uint8_t>(std::lround(image.row(y)[i] * gain[c]));
          } else {
            std::uint16_t v;
            std::memcpy(&v, image.row(y) + 2 * i, 2);
            v = static_cast<std::uint16_t>(std::lround(v * gain[c]));
            std::memcpy(image.row(y) + 2 * i, &v, 2);
          }
        }
      }
    }
  }
  return image;
}

/// 16-bit samples rounded to nearest 8-bit (v · 255 / 65535).
Image to8(const Image& image) {
  if (image.bits == 8) return image;
  Image out = Image::blank(image.width, image.height, image.channels, 8);
  const std::size_t n = out.pixels.size();
  for (std::size_t i = 0; i < n; ++i) {
    std::uint16_t v;
    std::memcpy(&v, image.pixels.data() + 2 * i, 2);
    out.pixels[i] = static_cast<std::uint8_t>(std::lround(v * 255.0 / 65535.0));
  }
  return out;
}

/// The 2 × 2 area average, written out here: every output pixel is the rounded mean of the 4,
/// 2 or 1 source pixels it covers (ceil sizes).
Image box_half(const Image& in) {
  const int w = (in.width + 1) / 2, h = (in.height + 1) / 2, ch = in.channels;
  Image out = Image::blank(w, h, ch, 8);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      for (int c = 0; c < ch; ++c) {
        int sum = 0, n = 0;
        for (int yy = 2 * y; yy < std::min(2 * y + 2, in.height); ++yy) {
          for (int xx = 2 * x; xx < std::min(2 * x + 2, in.width); ++xx) {
            sum += in.row(yy)[static_cast<std::size_t>(xx) * ch + c];
            ++n;
          }
        }
        out.row(y)[static_cast<std::size_t>(x) * ch + c] =
            static_cast<std::uint8_t>((2 * sum + n) / (2 * n));  // round half up
      }
    }
  }
  return out;
}

/// Peak signal-to-noise ratio over every sample; +inf for identical images.
double psnr(const Image& a, const Image& b) {
  EXPECT_EQ(a.width, b.width);
  EXPECT_EQ(a.height, b.height);
  EXPECT_EQ(a.channels, b.channels);
  EXPECT_EQ(a.bits, 8);
  EXPECT_EQ(b.bits, 8);
  if (a.pixels.size() != b.pixels.size() || a.pixels.empty()) return 0;
  double sum = 0;
  for (std::size_t i = 0; i < a.pixels.size(); ++i) {
    const double d = static_cast<double>(a.pixels[i]) - b.pixels[i];
    sum += d * d;
  }
  const double mse = sum / static_cast<double>(a.pixels.size());
  return mse == 0 ? std::numeric_limits<double>::infinity() : 10 * std::log10(255.0 * 255 / mse);
}

/// Copies `w`×`h` pixels from (sx, sy) of `from` to (dx, dy) of `to` (same channels, 8-bit).
void paste(Image& to, const Image& from, int dx, int dy, int sx, int sy, int w, int h) {
  ASSERT_EQ(to.channels, from.channels);
  ASSERT_LE(dx + w, to.width);
  ASSERT_LE(dy + h, to.height);
  ASSERT_LE(sx + w, from.width);
  ASSERT_LE(sy + h, from.height);
  for (int y = 0; y < h; ++y) {
    std::memcpy(to.row(dy + y) + static_cast<std::size_t>(dx) * to.channels,
                from.row(sy + y) + static_cast<std::size_t>(sx) * from.channels,
                static_cast<std::size_t>(w) * to.channels);
  }
}

/// Every regular file under `root` whose name ends in `ext`, as relative generic paths.
std::set<std::string> files_under(const fs::path& root, const std::string& ext) {
  std::set<std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.size() >= ext.size() &&
        name.compare(name.size() - ext.size(), ext.size(), ext) == 0) {
      out.insert(fs::relative(entry.path(), root).generic_string());
    }
  }
  return out;
}

/// Entries of `dir` whose names start with a dot (temporary names of the tiler).
std::vector<std::string> hidden_entries(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (!name.empty() && name[0] == '.') out.push_back(name);
  }
  return out;
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

json read_json(const fs::path& file) {
  return json::parse(read_text(file));
}

std::string iiif_tile_path(long x, long y, long w, long h, int ws, int hs) {
  return std::to_string(x) + "," + std::to_string(y) + "," + std::to_string(w) + "," +
         std::to_string(h) + "/" + std::to_string(ws) + "," + std::to_string(hs) + "/0/default.jpg";
}

std::string iiif_size_path(int w, int h) {
  return "full/" + std::to_string(w) + "," + std::to_string(h) + "/0/default.jpg";
}

/// The tile requests a IIIF client derives from info.json (Image API 3.0 §5.6 / appendix):
/// for each scale factor s the regions on a grid of tile·s and their sizes ceil(region / s).
struct ImpliedTile {
  int scale;
  long x, y, w, h;
  int ws, hs;
  std::string path;
};

std::vector<ImpliedTile> implied_tiles(const json& info) {
  std::vector<ImpliedTile> out;
  const long width = info.at("width").get<long>(), height = info.at("height").get<long>();
  for (const json& tiles : info.at("tiles")) {
    const long tw = tiles.at("width").get<long>();
    const long th = tiles.contains("height") ? tiles.at("height").get<long>() : tw;
    for (const json& factor : tiles.at("scaleFactors")) {
      const int s = factor.get<int>();
      for (long y = 0; y < height; y += th * s) {
        for (long x = 0; x < width; x += tw * s) {
          ImpliedTile t{s, x, y, std::min(tw * s, width - x), std::min(th * s, height - y),
                        0, 0, ""};
          t.ws = ceil_div(t.w, s);
          t.hs = ceil_div(t.h, s);
          t.path = iiif_tile_path(t.x, t.y, t.w, t.h, t.ws, t.hs);
          out.push_back(t);
        }
      }
    }
  }
  return out;
}

/// Scale factor `s` of a IIIF pyramid put together from its tiles (ceil(W/s) × ceil(H/s)).
Image assemble_iiif(const fs::path& root, int scale, int channels) {
  const json info = read_json(root / "info.json");
  const int width = info.at("width").get<int>(), height = info.at("height").get<int>();
  Image out = Image::blank(ceil_div(width, scale), ceil_div(height, scale), channels, 8);
  for (const ImpliedTile& t : implied_tiles(info)) {
    if (t.scale != scale) continue;
    const Image tile = read_image(root / t.path);
    EXPECT_EQ(tile.width, t.ws) << t.path;
    EXPECT_EQ(tile.height, t.hs) << t.path;
    EXPECT_EQ(tile.channels, channels) << t.path;
    if (tile.width != t.ws || tile.height != t.hs || tile.channels != channels) continue;
    paste(out, tile, static_cast<int>(t.x / scale), static_cast<int>(t.y / scale), 0, 0, t.ws,
          t.hs);
  }
  return out;
}

TileOptions iiif(int tile_size) {
  TileOptions options;
  options.layout = TileLayout::iiif3;
  options.tile_size = tile_size;
  options.threads = 3;
  return options;
}

// --- 1. IIIF 3.0: info.json and every path a client derives from it -------------------------

TEST_F(TilerTest, IiifInfoJsonDeclaresTheGeometryAndEveryImpliedRequestExists) {
  const int W = 1237, H = 923, T = 256;
  const Image source = test_page(W, H);
  TileOptions options = iiif(T);
  options.id = "https://archiv.example/iiif/page-1";
  const fs::path root = path("page-1");
  const TileResult result = tile_image(source, root, options);

  const json info = read_json(root / "info.json");
  EXPECT_EQ(info.at("@context"), "http://iiif.io/api/image/3/context.json");
  EXPECT_EQ(info.at("id"), "https://archiv.example/iiif/page-1");
  EXPECT_EQ(info.at("type"), "ImageService3");
  EXPECT_EQ(info.at("protocol"), "http://iiif.io/api/image");
  EXPECT_EQ(info.at("profile"), "level0");
  EXPECT_EQ(info.at("width"), W);
  EXPECT_EQ(info.at("height"), H);
  EXPECT_FALSE(info.contains("maxWidth"));
  EXPECT_FALSE(info.contains("maxHeight"));
  EXPECT_FALSE(info.contains("maxArea"));
  ASSERT_EQ(info.at("tiles").size(), 1u);
  EXPECT_EQ(info["tiles"][0].at("width"), T);
  EXPECT_EQ(info["tiles"][0].value("height", T), T);

  // Scale factors: every power of two up to the first whose level fits in one tile.
  std::vector<int> factors;
  for (int s = 1;; s *= 2) {
    factors.push_back(s);
    if (ceil_div(W, s) <= T && ceil_div(H, s) <= T) break;
  }
  EXPECT_EQ(factors, (std::vector<int>{1, 2, 4, 8}));  // 1237×923 → 155×116 at 8
  EXPECT_EQ(info["tiles"][0].at("scaleFactors").get<std::vector<int>>(), factors);
  EXPECT_EQ(result.scale_factors, factors);

  std::set<std::pair<int, int>> expected_sizes;
  for (const int s : factors) expected_sizes.emplace(ceil_div(W, s), ceil_div(H, s));
  std::set<std::pair<int, int>> sizes;
  for (const json& size : info.at("sizes")) {
    sizes.emplace(size.at("width").get<int>(), size.at("height").get<int>());
  }
  EXPECT_EQ(sizes, expected_sizes);
  EXPECT_EQ(info.at("sizes").size(), expected_sizes.size()) << "a size listed twice";
  const std::set<std::pair<int, int>> result_sizes(result.sizes.begin(), result.sizes.end());
  EXPECT_EQ(result_sizes, expected_sizes);
  EXPECT_TRUE(result.has_max);
  EXPECT_EQ(result.width, W);
  EXPECT_EQ(result.height, H);

  // From info.json alone: every tile request, every listed size and full/max.
  std::set<std::string> implied;
  for (const ImpliedTile& t : implied_tiles(info)) {
    implied.insert(t.path);
    ASSERT_TRUE(fs::is_regular_file(root / t.path)) << t.path;
    const Image tile = read_image(root / t.path);
    EXPECT_EQ(tile.width, t.ws) << t.path;
    EXPECT_EQ(tile.height, t.hs) << t.path;
    EXPECT_EQ(tile.channels, 3) << t.path;
  }
  EXPECT_EQ(implied.size(), 20u + 6 + 2 + 1);
  for (const json& size : info.at("sizes")) {
    const int w = size.at("width").get<int>(), h = size.at("height").get<int>();
    const std::string p = iiif_size_path(w, h);
    implied.insert(p);
    ASSERT_TRUE(fs::is_regular_file(root / p)) << p;
    const Image image = read_image(root / p);
    EXPECT_EQ(image.width, w) << p;
    EXPECT_EQ(image.height, h) << p;
  }
  implied.insert("full/max/0/default.jpg");
  const Image max = read_image(root / "full/max/0/default.jpg");
  EXPECT_EQ(max.width, W);
  EXPECT_EQ(max.height, H);
  EXPECT_GE(psnr(max, source), 35.0);
  // Each listed size is the source reduced by its scale factor.
  Image reduced = source;
  for (const int s : factors) {
    const Image image = read_image(root / iiif_size_path(ceil_div(W, s), ceil_div(H, s)));
    EXPECT_GE(psnr(image, reduced), 35.0) << "size at scale factor " << s;
    reduced = box_half(reduced);
  }

  // Nothing else: no stray or misnamed JPEGs, no temporary leftovers.
  const std::set<std::string> written = files_under(root, ".jpg");
  EXPECT_EQ(written, implied);
  EXPECT_EQ(result.files, written.size() + 1);  // + info.json
  EXPECT_GT(result.bytes, 0u);
  EXPECT_TRUE(hidden_entries(dir_).empty());
}

// A tile size that is not a multiple of the 4:2:0 MCU (16) cannot use the banded parallel JPEG
// for the sizes: the sequential fallback must give the same images.
TEST_F(TilerTest, IiifSizesAreRightWhenTheTileSizeIsNotAMultipleOfTheMcu) {
  const int W = 901, H = 650, T = 200;
  ASSERT_FALSE(imageio::BandedJpeg::possible(W, 3, 85, T));
  const Image source = test_page(W, H);
  const fs::path root = path("odd-tiles");
  tile_image(source, root, iiif(T));
  const json info = read_json(root / "info.json");
  EXPECT_EQ(info["tiles"][0]["scaleFactors"].get<std::vector<int>>(),
            (std::vector<int>{1, 2, 4, 8}));
  const Image max = read_image(root / "full/max/0/default.jpg");
  EXPECT_GE(psnr(max, source), 35.0);
  const Image half = read_image(root / iiif_size_path(451, 325));
  EXPECT_GE(psnr(half, box_half(source)), 35.0);
  EXPECT_GE(psnr(assemble_iiif(root, 1, 3), source), 35.0);
  for (const ImpliedTile& t : implied_tiles(info)) {
    EXPECT_TRUE(fs::is_regular_file(root / t.path)) << t.path;
  }
}

// --- 2. Reassembly: the tiles are the image --------------------------------------------------

struct Reassembly {
  int channels;
  int bits;
};

class IiifReassembly : public TilerTest, public ::testing::WithParamInterface<Reassembly> {};

TEST_P(IiifReassembly, TilesOfScaleFactorsOneAndTwoReassembleToTheSourceAndItsHalf) {
  const auto [channels, bits] = GetParam();
  const Image source = test_page(1237, 923, channels, bits, 11);
  const Image source8 = to8(source);
  const fs::path root = path("pyramid");
  tile_image(source, root, iiif(256));

  const double full = psnr(assemble_iiif(root, 1, channels), source8);
  EXPECT_GE(full, 35.0) << "scale factor 1";
  const double half = psnr(assemble_iiif(root, 2, channels), box_half(source8));
  EXPECT_GE(half, 35.0) << "scale factor 2";
  RecordProperty("psnr_full", std::to_string(full));
  RecordProperty("psnr_half", std::to_string(half));

  // Tiling costs next to nothing against one JPEG of the whole image at the same quality.
  WriteOptions jpeg;
  jpeg.format = ImageFormat::jpeg;
  jpeg.jpeg_quality = 85;
  write_image(source8, path("whole.jpg"), jpeg);
  const double whole = psnr(read_image(path("whole.jpg")), source8);
  EXPECT_GE(full, whole - 1.0) << "one JPEG of the whole image: " << whole << " dB";

  // Placement matters: the same tiles against a copy shifted by one pixel fall well below.
  Image shifted = source8;
  for (int y = 0; y < shifted.height; ++y) {
    std::memmove(shifted.row(y) + channels, source8.row(y),
                 static_cast<std::size_t>(shifted.width - 1) * channels);
  }
  EXPECT_LT(psnr(assemble_iiif(root, 1, channels), shifted), full - 3);
}

INSTANTIATE_TEST_SUITE_P(Sources, IiifReassembly,
                         ::testing::Values(Reassembly{3, 8}, Reassembly{1, 8}, Reassembly{3, 16},
                                           Reassembly{1, 16}),
                         [](const ::testing::TestParamInfo<Reassembly>& info) {
                           return std::string(info.param.channels == 3 ? "rgb" : "grey") +
                                  std::to_string(info.param.bits);
                         });

// The pyramid does not depend on how rows arrive (memory, TIFF strips of 141 rows, a tiled TIFF
// read by rows of tiles) nor on the number of encoding threads: byte-identical files.
TEST_F(TilerTest, OutputIsTheSameWhateverTheSourceLayoutAndThreadCount) {
  const int W = 1003, H = 771;
  const Image source = test_page(W, H, 3, 8, 5);
  const fs::path strips = path("strips.tif");
  write_image(source, strips, WriteOptions{});  // Deflate strips

  const fs::path tiled = path("tiled.tif");
  {
    TIFF* tif = open_rgb_tiff(tiled, W, H);
    ASSERT_NE(tif, nullptr);
    TIFFSetField(tif, TIFFTAG_TILEWIDTH, 128);
    TIFFSetField(tif, TIFFTAG_TILELENGTH, 96);
    std::vector<std::uint8_t> tile(128 * 96 * 3);
    for (int ty = 0; ty < H; ty += 96) {
      for (int tx = 0; tx < W; tx += 128) {
        std::fill(tile.begin(), tile.end(), 0);
        for (int y = 0; y < std::min(96, H - ty); ++y) {
          std::memcpy(tile.data() + y * 128 * 3, source.row(ty + y) + tx * 3,
                      static_cast<std::size_t>(std::min(128, W - tx)) * 3);
        }
        ASSERT_GE(TIFFWriteTile(tif, tile.data(), static_cast<std::uint32_t>(tx),
                                static_cast<std::uint32_t>(ty), 0, 0),
                  0);
      }
    }
    TIFFClose(tif);
  }

  TileOptions one = iiif(256);
  one.threads = 1;
  TileOptions many = iiif(256);
  many.threads = 5;
  tile_image(source, path("memory"), one);
  tile_file(strips, path("from-strips"), many);
  tile_file(tiled, path("from-tiles"), many);

  const std::set<std::string> files = files_under(path("memory"), "");
  ASSERT_GT(files.size(), 20u);
  for (const std::string other : {"from-strips", "from-tiles"}) {
    EXPECT_EQ(files_under(path(other), ""), files) << other;
    for (const std::string& file : files) {
      EXPECT_EQ(read_text(path(other) / file), read_text(path("memory") / file))
          << other << "/" << file;
    }
  }
}

// --- 3. IIIF size limits ---------------------------------------------------------------------

TEST_F(TilerTest, IiifMaxAreaIsDeclaredAndOnlySizesWithinItAreWritten) {
  const int W = 1237, H = 923;
  const Image source = test_page(W, H, 1);
  // Levels: 1237×923 (1 141 751 px), 619×462 (285 978), 310×231 (71 610), 155×116 (17 980).
  TileOptions options = iiif(256);
  options.max_area = 120'000;
  const fs::path root = path("limited");
  const TileResult result = tile_image(source, root, options);
  const json info = read_json(root / "info.json");
  // "max" must exist at level 0 and be the largest size within the limits: the largest level
  // within them, whose size info.json declares, so that max is exactly that file.
  EXPECT_EQ(info.at("maxArea"), 310 * 231);
  EXPECT_EQ(info.at("maxWidth"), 310);
  EXPECT_EQ(info.at("maxHeight"), 231);
  std::set<std::pair<int, int>> sizes;
  for (const json& size : info.at("sizes"))
    sizes.emplace(size["width"].get<int>(), size["height"].get<int>());
  EXPECT_EQ(sizes, (std::set<std::pair<int, int>>{{310, 231}, {155, 116}}));
  EXPECT_TRUE(result.has_max);
  EXPECT_EQ(read_image(root / "full/max/0/default.jpg").width, 310);
  EXPECT_FALSE(fs::exists(root / iiif_size_path(W, H)));
  EXPECT_FALSE(fs::exists(root / iiif_size_path(619, 462)));
  EXPECT_TRUE(fs::is_regular_file(root / iiif_size_path(310, 231)));
  EXPECT_EQ(read_image(root / iiif_size_path(310, 231)).width, 310);
  // Tiles are within the limit and all still there.
  EXPECT_EQ(info["tiles"][0]["scaleFactors"].get<std::vector<int>>(),
            (std::vector<int>{1, 2, 4, 8}));
  std::set<std::string> implied = {iiif_size_path(310, 231), iiif_size_path(155, 116),
                                   "full/max/0/default.jpg"};
  for (const ImpliedTile& t : implied_tiles(info)) {
    EXPECT_LE(static_cast<long>(t.ws) * t.hs, 120'000);
    implied.insert(t.path);
  }
  EXPECT_EQ(files_under(root, ".jpg"), implied);

  // A limit the whole image is within: every size and full/max.
  options.max_area = static_cast<std::uint64_t>(W) * H;
  const TileResult all = tile_image(source, root, options);
  EXPECT_TRUE(all.has_max);
  EXPECT_EQ(read_json(root / "info.json").at("sizes").size(), 4u);
  EXPECT_EQ(read_image(root / "full/max/0/default.jpg").width, W);
}

TEST_F(TilerTest, IiifMaxWidthIsDeclaredAndOnlySizesWithinItAreWritten) {
  const int W = 1237, H = 923;
  const Image source = test_page(W, H, 1);
  TileOptions options = iiif(256);
  options.max_width = 700;
  options.max_height = 700;
  const fs::path root = path("limited");
  const TileResult result = tile_image(source, root, options);
  const json info = read_json(root / "info.json");
  EXPECT_EQ(info.at("maxWidth"), 619) << "the largest size within the limits is declared";
  EXPECT_EQ(info.at("maxHeight"), 462);
  std::set<std::pair<int, int>> sizes;
  for (const json& size : info.at("sizes"))
    sizes.emplace(size["width"].get<int>(), size["height"].get<int>());
  EXPECT_EQ(sizes, (std::set<std::pair<int, int>>{{619, 462}, {310, 231}, {155, 116}}));
  EXPECT_TRUE(result.has_max);
  EXPECT_EQ(read_image(root / "full/max/0/default.jpg").width, 619);
  EXPECT_FALSE(fs::exists(root / iiif_size_path(W, H)));
  EXPECT_TRUE(fs::is_regular_file(root / iiif_size_path(619, 462)));

  options.max_width = options.max_height = 1237;
  EXPECT_TRUE(tile_image(source, root, options).has_max);
  EXPECT_EQ(read_json(root / "info.json").at("maxWidth"), 1237) << "the configured limit";
  EXPECT_EQ(read_image(root / "full/max/0/default.jpg").width, W);
}

// IIIF Image API 3.0 §5.3: "If maxWidth is specified and maxHeight is not, then clients should
// infer that maxHeight = maxWidth", and "maxWidth must also be present if maxHeight is
// specified". A portrait page limited by max_width alone must not offer sizes taller than that.
TEST_F(TilerTest, IiifMaxWidthAloneAlsoLimitsTheHeight) {
  const Image source = test_page(400, 1000, 1);
  TileOptions options = iiif(256);
  options.max_width = 800;
  const fs::path root = path("portrait");
  const TileResult result = tile_image(source, root, options);
  const json info = read_json(root / "info.json");
  for (const json& size : info.at("sizes")) {
    EXPECT_LE(size["height"].get<int>(), 800)
        << "size " << size << " is taller than the maxHeight clients infer from maxWidth 800";
  }
  EXPECT_EQ(read_image(root / "full/max/0/default.jpg").height, 500)
      << "full/max is the half-size level, not 400×1000 beyond the inferred maxHeight 800";
  EXPECT_EQ(info.at("maxHeight"), 500);

  options.max_width = 0;
  options.max_height = 800;
  EXPECT_THROW(tile_image(source, root, options), UsageError)
      << "a lone maxHeight is not allowed in info.json";
}

TEST_F(TilerTest, IiifTileSizeBeyondTheLimitsIsAUsageErrorAndWritesNothing) {
  const Image source = test_page(600, 400, 1);
  TileOptions area = iiif(512);
  area.max_area = 200'000;  // 512² = 262 144
  EXPECT_THROW(tile_image(source, path("a"), area), UsageError);
  TileOptions width = iiif(256);
  width.max_width = 200;
  EXPECT_THROW(tile_image(source, path("b"), width), UsageError);
  TileOptions height = iiif(256);
  height.max_height = 255;
  EXPECT_THROW(tile_image(source, path("c"), height), UsageError);
  EXPECT_TRUE(fs::is_empty(dir_)) << "nothing may be left behind";
  // Exactly at the limit is fine.
  TileOptions exact = iiif(256);
  exact.max_area = 256 * 256;
  EXPECT_NO_THROW(tile_image(source, path("d"), exact));
}

TEST_F(TilerTest, BadOptionsAreUsageErrors) {
  const Image source = test_page(300, 200, 1);
  TileOptions quality = iiif(256);
  quality.quality = 0;
  EXPECT_THROW(tile_image(source, path("q"), quality), UsageError);
  EXPECT_THROW(tile_image(source, path("t"), iiif(8)), UsageError);
  TileOptions ptif;
  ptif.layout = TileLayout::ptif;
  ptif.tile_size = 200;  // not a multiple of 16
  EXPECT_THROW(tile_image(source, path("p.tif"), ptif), UsageError);
  TileOptions dz;
  dz.layout = TileLayout::dz;
  dz.tile_size = 64;
  dz.overlap = 33;
  EXPECT_THROW(tile_image(source, path("dz"), dz), UsageError);
  EXPECT_THROW(parse_tile_layout("zoomify"), UsageError);
  for (const TileLayout layout : {TileLayout::iiif3, TileLayout::dz, TileLayout::ptif}) {
    EXPECT_EQ(parse_tile_layout(layout_id(layout)), layout);
  }
  EXPECT_TRUE(fs::is_empty(dir_));
}

// --- 4. Deep Zoom ----------------------------------------------------------------------------

struct Dzi {
  int tile_size = -1, overlap = -1, width = -1, height = -1;
  std::string format;
};

Dzi parse_dzi(const std::string& xml) {
  Dzi d;
  std::smatch m;
  const auto number = [&](const char* pattern) {
    return std::regex_search(xml, m, std::regex(pattern)) ? std::stoi(m[1].str()) : -1;
  };
  d.tile_size = number(R"re(TileSize="(\d+)")re");
  d.overlap = number(R"re(Overlap="(\d+)")re");
  d.width = number(R"re(<Size[^>]*Width="(\d+)")re");
  d.height = number(R"re(<Size[^>]*Height="(\d+)")re");
  if (std::regex_search(xml, m, std::regex(R"re(Format="(\w+)")re"))) d.format = m[1].str();
  return d;
}

/// Checks a Deep Zoom pyramid against the format from the .dzi alone; returns level N (the full
/// image) reassembled without the overlaps.
Image check_deep_zoom(const fs::path& root, int channels) {
  const std::string xml = read_text(root / "image.dzi");
  EXPECT_NE(xml.find("xmlns=\"http://schemas.microsoft.com/deepzoom/2008\""), std::string::npos);
  const Dzi dzi = parse_dzi(xml);
  EXPECT_EQ(dzi.format, "jpg");
  const int ts = dzi.tile_size, ov = dzi.overlap, W = dzi.width, H = dzi.height;
  int top = 0;
  while ((1L << top) < std::max(W, H)) ++top;  // level 0 is 1×1, level top the full image

  std::set<std::string> expected;
  Image full = Image::blank(W, H, channels, 8);
  for (int level = 0; level <= top; ++level) {
    const int lw = ceil_div(W, 1L << (top - level)), lh = ceil_div(H, 1L << (top - level));
    if (level == 0) {
      EXPECT_EQ(lw, 1);
      EXPECT_EQ(lh, 1);
    }
    for (int row = 0; row < ceil_div(lh, ts); ++row) {
      for (int col = 0; col < ceil_div(lw, ts); ++col) {
        const std::string name = "image_files/" + std::to_string(level) + "/" +
                                 std::to_string(col) + "_" + std::to_string(row) + ".jpg";
        expected.insert(name);
        const int x0 = col * ts - (col > 0 ? ov : 0), x1 = std::min(lw, (col + 1) * ts + ov);
        const int y0 = row * ts - (row > 0 ? ov : 0), y1 = std::min(lh, (row + 1) * ts + ov);
        if (!fs::is_regular_file(root / name)) {
          ADD_FAILURE() << name << " is missing (level " << lw << "×" << lh << ")";
          continue;
        }
        const Image tile = read_image(root / name);
        EXPECT_EQ(tile.width, x1 - x0) << name;
        EXPECT_EQ(tile.height, y1 - y0) << name;
        EXPECT_EQ(tile.channels, channels) << name;
        if (level == top && tile.width == x1 - x0 && tile.height == y1 - y0) {
          const int cx = col * ts, cy = row * ts;
          paste(full, tile, cx, cy, cx - x0, cy - y0, std::min(lw, cx + ts) - cx,
                std::min(lh, cy + ts) - cy);
        }
      }
    }
  }
  EXPECT_FALSE(fs::exists(root / "image_files" / std::to_string(top + 1)));
  EXPECT_EQ(files_under(root, ".jpg"), expected);
  return full;
}

TEST_F(TilerTest, DeepZoomLevelsRunFromOnePixelToFullSizeWithOverlappingTiles) {
  const int W = 1000, H = 700;
  const Image source = test_page(W, H);
  TileOptions options;
  options.layout = TileLayout::dz;
  options.threads = 3;
  const fs::path root = path("dz");
  const TileResult result = tile_image(source, root, options);  // defaults: 254, overlap 1

  const Dzi dzi = parse_dzi(read_text(root / "image.dzi"));
  EXPECT_EQ(dzi.tile_size, 254);
  EXPECT_EQ(dzi.overlap, 1);
  EXPECT_EQ(dzi.width, W);
  EXPECT_EQ(dzi.height, H);
  EXPECT_EQ(result.scale_factors.size(), 11u);  // levels 0 … 10 (2^10 = 1024 ≥ 1000)
  const Image full = check_deep_zoom(root, 3);
  EXPECT_GE(psnr(full, source), 35.0);
  EXPECT_TRUE(fs::is_directory(root / "image_files/10"));
  EXPECT_EQ(read_image(root / "image_files/0/0_0.jpg").width, 1);
}

TEST_F(TilerTest, DeepZoomWithWideOverlapAndGreySource) {
  const Image source = test_page(777, 555, 1);
  TileOptions options;
  options.layout = TileLayout::dz;
  options.tile_size = 128;
  options.overlap = 3;
  options.threads = 2;
  const fs::path root = path("dz");
  tile_image(source, root, options);
  const Dzi dzi = parse_dzi(read_text(root / "image.dzi"));
  EXPECT_EQ(dzi.tile_size, 128);
  EXPECT_EQ(dzi.overlap, 3);
  EXPECT_GE(psnr(check_deep_zoom(root, 1), source), 35.0);
}

// When a level's height leaves a last tile row no taller than the overlap (height % tile in
// 1 … overlap), the band before it already reaches the level's end; the last tile row must still
// come out: e.g. 509 = 2·254 + 1 rows with the default 254/1 has tiles *_2.jpg.
TEST_F(TilerTest, DeepZoomLastTileRowNoTallerThanTheOverlapIsWritten) {
  for (const auto& [height, overlap] : std::vector<std::pair<int, int>>{{509, 1}, {510, 2}}) {
    SCOPED_TRACE("height " + std::to_string(height) + ", overlap " + std::to_string(overlap));
    const Image source = test_page(300, height, 1);
    TileOptions options;
    options.layout = TileLayout::dz;
    options.overlap = overlap;
    const fs::path root = path("dz-" + std::to_string(height));
    tile_image(source, root, options);
    EXPECT_TRUE(fs::is_regular_file(root / "image_files/9/0_2.jpg"));
    check_deep_zoom(root, 1);
  }
}

// --- 5. Pyramidal TIFF -----------------------------------------------------------------------

struct TiffDirectory {
  std::uint32_t width = 0, height = 0, tile_width = 0, tile_height = 0, subfile = 0;
  std::uint16_t compression = 0, photometric = 0, samples = 0, bits = 0;
  bool tiled = false;
  float x_resolution = 0;
};

std::vector<TiffDirectory> tiff_directories(const fs::path& file) {
  std::vector<TiffDirectory> out;
  TIFF* tif = TIFFOpen(file.c_str(), "r");
  if (tif == nullptr) {
    ADD_FAILURE() << "libtiff cannot open " << file;
    return out;
  }
  do {
    TiffDirectory d;
    TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &d.width);
    TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &d.height);
    d.tiled = TIFFIsTiled(tif) != 0;
    TIFFGetField(tif, TIFFTAG_TILEWIDTH, &d.tile_width);
    TIFFGetField(tif, TIFFTAG_TILELENGTH, &d.tile_height);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SUBFILETYPE, &d.subfile);
    TIFFGetFieldDefaulted(tif, TIFFTAG_COMPRESSION, &d.compression);
    TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &d.photometric);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &d.samples);
    TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &d.bits);
    TIFFGetField(tif, TIFFTAG_XRESOLUTION, &d.x_resolution);
    out.push_back(d);
  } while (TIFFReadDirectory(tif) == 1);
  TIFFClose(tif);
  return out;
}

struct PtifCase {
  int channels;
  bool deflate;
  int quality;
};

class PyramidTiff : public TilerTest, public ::testing::WithParamInterface<PtifCase> {};

TEST_P(PyramidTiff, DirectoriesHalveDownToOneTileWithTheTagsViewersExpect) {
  const auto [channels, deflate, quality] = GetParam();
  const int W = 1237, H = 923;
  Image source = test_page(W, H, channels, 8, 3);
  source.ppi_x = source.ppi_y = 300;
  TileOptions options;
  options.layout = TileLayout::ptif;
  options.deflate = deflate;
  options.quality = quality;
  options.threads = 3;
  const fs::path file = path("pyramid.tif");
  const TileResult result = tile_image(source, file, options);

  const std::vector<TiffDirectory> dirs = tiff_directories(file);
  ASSERT_EQ(dirs.size(), 4u);  // 1237×923, 619×462, 310×231, 155×116
  EXPECT_EQ(count_pages(file), 4);
  EXPECT_EQ(result.scale_factors, (std::vector<int>{1, 2, 4, 8}));
  std::uint64_t tiles = 0;
  Image expected = source;
  for (std::size_t i = 0; i < dirs.size(); ++i) {
    SCOPED_TRACE("directory " + std::to_string(i));
    const TiffDirectory& d = dirs[i];
    const long s = 1L << i;
    EXPECT_EQ(d.width, static_cast<std::uint32_t>(ceil_div(W, s)));
    EXPECT_EQ(d.height, static_cast<std::uint32_t>(ceil_div(H, s)));
    EXPECT_TRUE(d.tiled);
    EXPECT_EQ(d.tile_width, 256u);
    EXPECT_EQ(d.tile_height, 256u);
    EXPECT_EQ(d.subfile, i == 0 ? 0u : static_cast<std::uint32_t>(FILETYPE_REDUCEDIMAGE));
    EXPECT_EQ(d.compression, deflate ? COMPRESSION_ADOBE_DEFLATE : COMPRESSION_JPEG);
    EXPECT_EQ(d.samples, channels);
    EXPECT_EQ(d.bits, 8);
    EXPECT_EQ(d.photometric, channels == 1 ? PHOTOMETRIC_MINISBLACK
                                           : (deflate ? PHOTOMETRIC_RGB : PHOTOMETRIC_YCBCR));
    EXPECT_NEAR(d.x_resolution, 300.0 / s, 1e-3);
    tiles += static_cast<std::uint64_t>(ceil_div(d.width, 256)) * ceil_div(d.height, 256);

    ReadOptions read;
    read.page = static_cast<int>(i);
    const Image level = read_image(file, read);
    EXPECT_EQ(level.width, ceil_div(W, s));
    EXPECT_EQ(level.height, ceil_div(H, s));
    EXPECT_EQ(level.channels, channels);
    if (deflate) {
      // Lossless: the source, then exactly its 2 × 2 averages.
      EXPECT_TRUE(level.pixels == expected.pixels);
    } else {
      EXPECT_GE(psnr(level, expected), 35.0);
    }
    expected = box_half(expected);
  }
  EXPECT_LE(dirs.back().width, 256u);
  EXPECT_LE(dirs.back().height, 256u);
  EXPECT_EQ(result.files, tiles);
  EXPECT_EQ(result.bytes, fs::file_size(file));
  EXPECT_TRUE(hidden_entries(dir_).empty());
}

INSTANTIATE_TEST_SUITE_P(
    Variants, PyramidTiff,
    ::testing::Values(PtifCase{3, false, 85}, PtifCase{3, false, 95}, PtifCase{1, false, 85},
                      PtifCase{3, true, 85}, PtifCase{1, true, 85}),
    [](const ::testing::TestParamInfo<PtifCase>& info) {
      return std::string(info.param.channels == 3 ? "rgb" : "grey") + "_" +
             (info.param.deflate ? "deflate" : "jpeg" + std::to_string(info.param.quality));
    });

// --- 6. Atomic output ------------------------------------------------------------------------

/// An uncompressed TIFF written by hand with its directory first and its strips (16 rows each)
/// after it, cut off after `keep` of the pixel data: it opens, its first rows decode, and reading
/// fails part way through, after the tiler has started writing. (libtiff writes the directory
/// last, and garbage inside Deflate data may decode without any error.)
fs::path truncated_tiff(const fs::path& file, const Image& image, double keep) {
  const std::uint32_t w = static_cast<std::uint32_t>(image.width);
  const std::uint32_t h = static_cast<std::uint32_t>(image.height);
  const std::uint16_t ch = static_cast<std::uint16_t>(image.channels);
  const std::uint32_t rows = 16, strips = (h + rows - 1) / rows;
  std::string out;
  const auto u16 = [&](std::uint32_t v) {
    out.push_back(static_cast<char>(v & 0xFF));
    out.push_back(static_cast<char>(v >> 8 & 0xFF));
  };
  const auto u32 = [&](std::uint32_t v) {
    u16(v & 0xFFFF);
    u16(v >> 16);
  };
  const std::uint32_t entries = 10;
  const std::uint32_t ifd = 8, after_ifd = ifd + 2 + entries * 12 + 4;
  const std::uint32_t bps_at = after_ifd, offsets_at = bps_at + 8;
  const std::uint32_t counts_at = offsets_at + 4 * strips, data_at = counts_at + 4 * strips;
  out += "II";
  u16(42);
  u32(ifd);
  u16(entries);
  const auto entry = [&](std::uint16_t tag, std::uint16_t type, std::uint32_t count,
                         std::uint32_t value) {
    u16(tag);
    u16(type);
    u32(count);
    if (type == 3 && count == 1) {
      u16(value);
      u16(0);
    } else {
      u32(value);
    }
  };
  entry(256, 4, 1, w);
  entry(257, 4, 1, h);
  entry(258, 3, ch, ch == 1 ? 8 : bps_at);
  entry(259, 3, 1, 1);                // no compression
  entry(262, 3, 1, ch == 1 ? 1 : 2);  // min-is-black or RGB
  entry(273, 4, strips, offsets_at);
  entry(277, 3, 1, ch);
  entry(278, 4, 1, rows);
  entry(279, 4, strips, counts_at);
  entry(284, 3, 1, 1);  // contiguous
  u32(0);
  for (int i = 0; i < 4; ++i) u16(8);
  const std::uint32_t stride = w * ch;
  for (std::uint32_t s = 0; s < strips; ++s) u32(data_at + s * rows * stride);
  for (std::uint32_t s = 0; s < strips; ++s) u32(std::min(rows, h - s * rows) * stride);
  out.append(reinterpret_cast<const char*>(image.pixels.data()),
             static_cast<std::size_t>(image.pixels.size() * keep));
  std::ofstream(file, std::ios::binary) << out;
  return file;
}

TEST_F(TilerTest, ExistingOutputIsReplacedAndAFailureLeavesItUntouched) {
  const Image source = test_page(800, 600);
  const fs::path out = path("page");
  fs::create_directories(out / "old-dir");
  { std::ofstream(out / "old.txt") << "old pyramid"; }
  { std::ofstream(out / "info.json") << "{\"width\": 1}"; }

  tile_image(source, out, iiif(256));
  EXPECT_FALSE(fs::exists(out / "old.txt"));
  EXPECT_FALSE(fs::exists(out / "old-dir"));
  EXPECT_EQ(read_json(out / "info.json").at("width"), 800);
  EXPECT_TRUE(hidden_entries(dir_).empty());

  // The source breaks half way: the pyramid from before stays as it was.
  const std::set<std::string> before = files_under(out, "");
  const std::string info_before = read_text(out / "info.json");
  // (The complete file tiles fine: the error is the truncation.)
  const Image big = test_page(1500, 1400);
  EXPECT_EQ(read_image(truncated_tiff(path("whole.tif"), big, 1.0)).pixels, big.pixels);
  const fs::path broken = truncated_tiff(path("broken.tif"), big, 0.6);
  EXPECT_THROW(tile_file(broken, out, iiif(256)), InputError);
  EXPECT_EQ(files_under(out, ""), before);
  EXPECT_EQ(read_text(out / "info.json"), info_before);
  EXPECT_TRUE(hidden_entries(dir_).empty()) << "temporary folder left behind";

  // A TIFF cut off in its directory (libtiff writes it last) and a file that is no image.
  write_image(big, path("deflate.tif"), WriteOptions{});
  const std::string bytes = read_text(path("deflate.tif"));
  { std::ofstream(path("truncated.tif"), std::ios::binary) << bytes.substr(0, bytes.size() / 2); }
  EXPECT_THROW(tile_file(path("truncated.tif"), out, iiif(256)), InputError);
  { std::ofstream(path("text.tif")) << "not an image"; }
  EXPECT_THROW(tile_file(path("text.tif"), out, iiif(256)), InputError);
  EXPECT_THROW(tile_file(path("missing.tif"), out, iiif(256)), Error);
  EXPECT_EQ(read_text(out / "info.json"), info_before);
  EXPECT_TRUE(hidden_entries(dir_).empty());

  // A folder that does not exist: an EnvironmentError, nothing created.
  EXPECT_THROW(tile_image(source, path("no-such-folder") / "page", iiif(256)), EnvironmentError);
  EXPECT_FALSE(fs::exists(path("no-such-folder")));
  EXPECT_TRUE(hidden_entries(dir_).empty());
}

TEST_F(TilerTest, PyramidTiffAndDeepZoomAreReplacedAtomicallyToo) {
  const Image source = test_page(700, 500, 1);
  TileOptions ptif;
  ptif.layout = TileLayout::ptif;
  const fs::path file = path("page.tif");
  { std::ofstream(file) << "old"; }
  tile_image(source, file, ptif);
  EXPECT_EQ(read_image(file).width, 700);

  const std::string before = read_text(file);
  const fs::path broken = truncated_tiff(path("broken.tif"), test_page(1500, 1400, 1), 0.7);
  EXPECT_THROW(tile_file(broken, file, ptif), InputError);
  EXPECT_EQ(read_text(file), before);
  EXPECT_TRUE(hidden_entries(dir_).empty());

  TileOptions dz;
  dz.layout = TileLayout::dz;
  const fs::path folder = path("dz");
  fs::create_directories(folder / "image_files/99");
  tile_image(source, folder, dz);
  EXPECT_FALSE(fs::exists(folder / "image_files/99"));
  EXPECT_TRUE(fs::is_regular_file(folder / "image.dzi"));
  EXPECT_THROW(tile_file(broken, folder, dz), InputError);
  EXPECT_TRUE(fs::is_regular_file(folder / "image.dzi"));
  EXPECT_TRUE(hidden_entries(dir_).empty());
}

// --- 7. Display colour -----------------------------------------------------------------------

using Bytes = std::vector<std::uint8_t>;

Bytes save_profile(cmsHPROFILE profile) {
  cmsUInt32Number size = 0;
  EXPECT_TRUE(cmsSaveProfileToMem(profile, nullptr, &size));
  Bytes bytes(size);
  EXPECT_TRUE(cmsSaveProfileToMem(profile, bytes.data(), &size));
  cmsCloseProfile(profile);
  return bytes;
}

/// Adobe RGB (1998) as a matrix-shaper: D65 white, its primaries, gamma 2.2.
Bytes adobe_rgb_profile() {
  const cmsCIExyY d65 = {0.3127, 0.3290, 1.0};
  const cmsCIExyYTRIPLE primaries = {
      {0.6400, 0.3300, 1.0}, {0.2100, 0.7100, 1.0}, {0.1500, 0.0600, 1.0}};
  cmsToneCurve* gamma = cmsBuildGamma(nullptr, 2.2);
  cmsToneCurve* curves[3] = {gamma, gamma, gamma};
  cmsHPROFILE profile = cmsCreateRGBProfile(&d65, &primaries, curves);
  cmsFreeToneCurve(gamma);
  return save_profile(profile);
}

Bytes linear_grey_profile() {
  cmsToneCurve* linear = cmsBuildGamma(nullptr, 1.0);
  cmsHPROFILE profile = cmsCreateGrayProfile(cmsD50_xyY(), linear);
  cmsFreeToneCurve(linear);
  return save_profile(profile);
}

/// What LittleCMS makes of `in` (8 or 16-bit samples) in the profile, in sRGB (or, for grey, a
/// gamma 2.2 grey: what browsers assume for grey JPEGs).
std::vector<int> lcms_display(const Bytes& profile, const std::vector<int>& in, int bits) {
  cmsHPROFILE source = cmsOpenProfileFromMem(profile.data(), profile.size());
  const bool grey = in.size() == 1;
  cmsHPROFILE target;
  if (grey) {
    cmsToneCurve* curve = cmsBuildGamma(nullptr, 2.2);
    target = cmsCreateGrayProfile(cmsD50_xyY(), curve);
    cmsFreeToneCurve(curve);
  } else {
    target = cmsCreate_sRGBProfile();
  }
  const cmsUInt32Number in_type =
      grey ? (bits == 16 ? TYPE_GRAY_16 : TYPE_GRAY_8) : (bits == 16 ? TYPE_RGB_16 : TYPE_RGB_8);
  cmsHTRANSFORM t = cmsCreateTransform(source, in_type, target, grey ? TYPE_GRAY_8 : TYPE_RGB_8,
                                       INTENT_PERCEPTUAL, 0);
  std::uint8_t in8[3] = {}, out[3] = {};
  std::uint16_t in16[3] = {};
  for (std::size_t c = 0; c < in.size(); ++c) {
    in8[c] = static_cast<std::uint8_t>(in[c]);
    in16[c] = static_cast<std::uint16_t>(in[c]);
  }
  cmsDoTransform(t, bits == 16 ? static_cast<const void*>(in16) : in8, out, 1);
  cmsDeleteTransform(t);
  cmsCloseProfile(source);
  cmsCloseProfile(target);
  return std::vector<int>(out, out + in.size());
}

Image flat(int width, int height, const std::vector<int>& value, int bits, const Bytes& icc) {
  const int ch = static_cast<int>(value.size());
  Image image = Image::blank(width, height, ch, bits);
  image.icc_profile = icc;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      for (int c = 0; c < ch; ++c) {
        const std::size_t i = static_cast<std::size_t>(x) * ch + c;
        if (bits == 8) {
          image.row(y)[i] = static_cast<std::uint8_t>(value[static_cast<std::size_t>(c)]);
        } else {
          const auto v = static_cast<std::uint16_t>(value[static_cast<std::size_t>(c)]);
          std::memcpy(image.row(y) + 2 * i, &v, 2);
        }
      }
    }
  }
  return image;
}

/// Every pixel of `image` within `tolerance` of `value`.
void expect_flat(const Image& image, const std::vector<int>& value, int tolerance,
                 const std::string& what) {
  ASSERT_EQ(image.channels, static_cast<int>(value.size())) << what;
  int worst = 0;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      for (int c = 0; c < image.channels; ++c) {
        const int v = image.row(y)[static_cast<std::size_t>(x) * image.channels + c];
        worst = std::max(worst, std::abs(v - value[static_cast<std::size_t>(c)]));
      }
    }
  }
  EXPECT_LE(worst, tolerance) << what << ": expected about " << ::testing::PrintToString(value);
}

int largest_difference(const std::vector<int>& a, const std::vector<int>& b) {
  int d = 0;
  for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, std::abs(a[i] - b[i]));
  return d;
}

TEST_F(TilerTest, EmbeddedAdobeRgbIsConvertedToSrgbAsLittleCmsConvertsIt) {
  const Bytes adobe = adobe_rgb_profile();
  const std::vector<int> colour = {60, 160, 90};
  const std::vector<int> expected = lcms_display(adobe, colour, 8);
  ASSERT_GT(largest_difference(expected, colour), 4) << "the test colour must change visibly";

  tile_image(flat(96, 64, colour, 8, adobe), path("adobe"), iiif(256));
  expect_flat(read_image(path("adobe/full/max/0/default.jpg")), expected, 4, "8-bit Adobe RGB");
  expect_flat(read_image(path("adobe") / iiif_tile_path(0, 0, 96, 64, 96, 64)), expected, 4,
              "its tile");

  // 16-bit samples go through the profile at 16 bits.
  const std::vector<int> colour16 = {60 * 257 + 100, 160 * 257 - 90, 90 * 257 + 50};
  const std::vector<int> expected16 = lcms_display(adobe, colour16, 16);
  tile_image(flat(96, 64, colour16, 16, adobe), path("adobe16"), iiif(256));
  expect_flat(read_image(path("adobe16/full/max/0/default.jpg")), expected16, 4,
              "16-bit Adobe RGB");

  // The profile travels with a TIFF master that streams from disk.
  write_image(flat(300, 200, colour, 8, adobe), path("adobe.tif"), WriteOptions{});
  TileOptions ptif;
  ptif.layout = TileLayout::ptif;
  tile_file(path("adobe.tif"), path("adobe-pyramid.tif"), ptif);
  expect_flat(read_image(path("adobe-pyramid.tif")), expected, 4, "pyramidal TIFF from a TIFF");
}

TEST_F(TilerTest, SrgbAndUnusableProfilesLeaveColoursAlone) {
  const std::vector<int> colour = {60, 160, 90};
  const Bytes srgb = save_profile(cmsCreate_sRGBProfile());
  tile_image(flat(96, 64, colour, 8, srgb), path("srgb"), iiif(256));
  expect_flat(read_image(path("srgb/full/max/0/default.jpg")), colour, 3, "sRGB profile");

  // A grey profile on an RGB image, and bytes that are no profile: ignored (taken as sRGB).
  tile_image(flat(96, 64, colour, 8, linear_grey_profile()), path("wrong"), iiif(256));
  expect_flat(read_image(path("wrong/full/max/0/default.jpg")), colour, 3, "grey profile on RGB");
  tile_image(flat(96, 64, colour, 8, Bytes(500, 0x42)), path("junk"), iiif(256));
  expect_flat(read_image(path("junk/full/max/0/default.jpg")), colour, 3, "junk profile");

  // A linear grey scan gets the display's grey tone curve.
  const Bytes linear = linear_grey_profile();
  const std::vector<int> expected = lcms_display(linear, {50}, 8);
  ASSERT_GT(largest_difference(expected, {50}), 4);
  tile_image(flat(96, 64, {50}, 8, linear), path("grey"), iiif(256));
  expect_flat(read_image(path("grey/full/max/0/default.jpg")), expected, 3, "linear grey");
}

TEST(DisplayConverter, SixteenBitSamplesRoundToNearest) {
  Image header = Image::blank(65536, 1, 1, 16);
  for (int v = 0; v < 65536; ++v) {
    const auto s = static_cast<std::uint16_t>(v);
    std::memcpy(header.pixels.data() + 2 * v, &s, 2);
  }
  const imageio::DisplayConverter display(header);
  EXPECT_FALSE(display.identity());
  EXPECT_FALSE(display.converts_colour());
  std::vector<std::uint8_t> out(65536);
  display.convert(header.pixels.data(), out.data(), 1);
  for (int v = 0; v < 65536; ++v) {
    ASSERT_EQ(out[static_cast<std::size_t>(v)], std::lround(v * 255.0 / 65535.0)) << "v = " << v;
  }
  EXPECT_TRUE(imageio::DisplayConverter(Image::blank(4, 1, 3, 8)).identity());
}

// --- 8. The banded parallel JPEG -------------------------------------------------------------

TEST(BandedJpeg, BandsEncodedOutOfOrderOnSeveralThreadsJoinIntoOneValidJpeg) {
  const fs::path file =
      fs::temp_directory_path() / ("findbuch-banded-" + std::to_string(::getpid()) + ".jpg");
  for (const int channels : {3, 1}) {
    SCOPED_TRACE(channels == 3 ? "RGB" : "grey");
    const int W = 1000, H = 700, rows = 64;  // 11 bands, the last of 60 rows
    const Image source = test_page(W, H, channels, 8, 9);
    ASSERT_TRUE(imageio::BandedJpeg::possible(W, channels, 85, rows));
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    ASSERT_GE(fd, 0);
    {
      imageio::BandedJpeg jpeg(fd, file.string(), W, H, channels, 85, rows);
      const int bands = ceil_div(H, rows);
      std::vector<std::thread> threads;
      for (int t = 0; t < 3; ++t) {
        threads.emplace_back([&, t] {
          for (int b = bands - 1 - t; b >= 0; b -= 3) {  // last band first
            jpeg.add_band(b, source.row(b * rows), source.row_bytes(),
                          std::min(rows, H - b * rows));
          }
        });
      }
      for (auto& thread : threads) thread.join();
      jpeg.finish();
    }
    ASSERT_EQ(::close(fd), 0);
    const Image decoded = read_image(file);
    EXPECT_EQ(decoded.width, W);
    EXPECT_EQ(decoded.height, H);
    EXPECT_EQ(decoded.channels, channels);
    EXPECT_GE(psnr(decoded, source), 35.0);
  }
  fs::remove(file);
}

TEST(BandedJpeg, MissingBandsAreAnError) {
  const fs::path file = fs::temp_directory_path() /
                        ("findbuch-banded-missing-" + std::to_string(::getpid()) + ".jpg");
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  const Image source = test_page(200, 100, 1);
  imageio::BandedJpeg jpeg(fd, file.string(), 200, 100, 1, 85, 32);
  jpeg.add_band(0, source.row(0), source.row_bytes(), 32);
  jpeg.add_band(2, source.row(64), source.row_bytes(), 32);
  EXPECT_THROW(jpeg.finish(), EnvironmentError);
  ::close(fd);
  fs::remove(file);
}

TEST(BandedJpeg, PossibleOnlyForWholeMcuRowsAndRestartIntervalsThatFit) {
  // 4:2:0 below quality 90 (16-row MCUs), 8-row MCUs for grey and from quality 90.
  EXPECT_TRUE(imageio::BandedJpeg::possible(1000, 3, 85, 64));
  EXPECT_FALSE(imageio::BandedJpeg::possible(1000, 3, 85, 24));
  EXPECT_FALSE(imageio::BandedJpeg::possible(1000, 3, 85, 254));
  EXPECT_TRUE(imageio::BandedJpeg::possible(1000, 1, 85, 24));
  EXPECT_TRUE(imageio::BandedJpeg::possible(1000, 3, 90, 24));
  EXPECT_FALSE(imageio::BandedJpeg::possible(1000, 1, 85, 20));
  // DRI holds 16 bits: MCUs per band ≤ 65 535.
  EXPECT_TRUE(imageio::BandedJpeg::possible(65535 * 16, 3, 85, 16));
  EXPECT_FALSE(imageio::BandedJpeg::possible(65535 * 16 + 1, 3, 85, 16));
  EXPECT_TRUE(imageio::BandedJpeg::possible(4095 * 16, 3, 85, 256));
  EXPECT_FALSE(imageio::BandedJpeg::possible(4096 * 16, 3, 85, 256));
  EXPECT_FALSE(imageio::BandedJpeg::possible(70'000, 3, 85, 256));  // 4375 · 16 MCUs
  EXPECT_FALSE(imageio::BandedJpeg::possible(70'000, 1, 85, 512));
}

// --- 9. Pyramid geometry and the 2 × 2 reduction ---------------------------------------------

std::vector<std::pair<int, int>> sizes_of(const std::vector<tiling::LevelSize>& levels) {
  std::vector<std::pair<int, int>> out;
  for (const auto& l : levels) out.emplace_back(l.width, l.height);
  return out;
}

TEST(PyramidLevels, CeilHalvingUntilBothSidesFit) {
  using V = std::vector<std::pair<int, int>>;
  EXPECT_EQ(sizes_of(tiling::pyramid_levels(5, 3, 1)), (V{{5, 3}, {3, 2}, {2, 1}, {1, 1}}));
  EXPECT_EQ(sizes_of(tiling::pyramid_levels(1, 1, 1)), (V{{1, 1}}));
  EXPECT_EQ(sizes_of(tiling::pyramid_levels(1, 9, 1)), (V{{1, 9}, {1, 5}, {1, 3}, {1, 2}, {1, 1}}));
  EXPECT_EQ(sizes_of(tiling::pyramid_levels(256, 256, 256)), (V{{256, 256}}));
  EXPECT_EQ(sizes_of(tiling::pyramid_levels(257, 10, 256)), (V{{257, 10}, {129, 5}}));
  EXPECT_EQ(sizes_of(tiling::pyramid_levels(1237, 923, 256)),
            (V{{1237, 923}, {619, 462}, {310, 231}, {155, 116}}));
  // Deep Zoom: ceil(log2(max side)) + 1 levels.
  EXPECT_EQ(tiling::pyramid_levels(1000, 700, 1).size(), 11u);
  EXPECT_EQ(tiling::pyramid_levels(1024, 3, 1).size(), 11u);
  EXPECT_EQ(tiling::pyramid_levels(1025, 3, 1).size(), 12u);
}

TEST(HalveRow, AveragesTwoByTwoAndTheOddLastPixelFromItsTwoRows) {
  const std::uint8_t a[] = {10, 20, 31};
  const std::uint8_t b[] = {30, 40, 50};
  std::uint8_t out[2] = {};
  tiling::halve_row(a, b, out, 3, 1);
  EXPECT_EQ(out[0], 25);  // (10 + 20 + 30 + 40) / 4
  EXPECT_EQ(out[1], 41);  // (31 + 50) / 2 = 40.5, rounded up; not mixed with a zero column
  tiling::halve_row(a, a, out, 3, 1);
  EXPECT_EQ(out[0], 15);
  EXPECT_EQ(out[1], 31);  // a lone corner pixel stays itself
  const std::uint8_t one[] = {200};
  tiling::halve_row(one, one, out, 1, 1);
  EXPECT_EQ(out[0], 200);

  // RGB: channels are averaged separately.
  const std::uint8_t ra[] = {0, 100, 255, 2, 100, 255, 9, 8, 7};
  const std::uint8_t rb[] = {0, 101, 255, 3, 100, 254, 10, 1, 255};
  std::uint8_t rout[6] = {};
  tiling::halve_row(ra, rb, rout, 3, 3);
  EXPECT_EQ(std::vector<int>(rout, rout + 6), (std::vector<int>{1, 100, 255, 10, 5, 131}));
  // Rounds half up, never overflows.
  const std::uint8_t hi[] = {255, 255, 254, 255};
  tiling::halve_row(hi, hi + 2, out, 2, 1);
  EXPECT_EQ(out[0], 255);  // (255 + 255 + 254 + 255 + 2) / 4 = 255.25
}

// Every level, every band: the right rows (tile rows plus overlap), the right pixels (exact 2 × 2
// averages), and every tile row of every level, for heights around the tile and overlap edges.
// Heights with height % tile in 1 … overlap are the case DeepZoomLastTileRowNoTallerThanThe-
// OverlapIsWritten pins at full size.
TEST(PyramidBuilder, EmitsEveryBandOfEveryLevelWithExactPixels) {
  const int tile = 4;
  for (const int overlap : {0, 1, 2}) {
    for (const int width : {1, 5, 8}) {
      for (int height = 1; height <= 21; ++height) {
        SCOPED_TRACE("overlap " + std::to_string(overlap) + ", " + std::to_string(width) + "×" +
                     std::to_string(height));
        for (const int channels : {1, 3}) {
          Image source = Image::blank(width, height, channels, 8);
          std::mt19937 rng(static_cast<unsigned>(width * 100 + height));
          for (auto& v : source.pixels) v = static_cast<std::uint8_t>(rng());
          const auto levels = tiling::pyramid_levels(width, height, overlap > 0 ? 1 : tile);
          std::vector<Image> expected{source};
          while (expected.size() < levels.size()) expected.push_back(box_half(expected.back()));

          std::map<std::pair<int, int>, tiling::Band> bands;  // (level, index) → copy
          std::vector<int> last_index(levels.size(), -1);
          tiling::PyramidBuilder builder(levels, channels, tile, overlap, [&](tiling::Band band) {
            EXPECT_EQ(band.index, last_index[static_cast<std::size_t>(band.level)] + 1)
                << "bands of a level come in order";
            last_index[static_cast<std::size_t>(band.level)] = band.index;
            tiling::Band copy = band;  // own the pixels: the builder reuses its buffers
            copy.pixels = std::make_shared<const std::vector<std::uint8_t>>(
                band.pixels->begin(),
                band.pixels->begin() + static_cast<std::ptrdiff_t>(band.rows * band.stride()));
            bands[{band.level, band.index}] = std::move(copy);
          });
          for (int y = 0; y < height; y += 3) builder.push(source.row(y), std::min(3, height - y));

          for (std::size_t k = 0; k < levels.size(); ++k) {
            const int h = levels[k].height, w = levels[k].width;
            for (int i = 0; i < ceil_div(h, tile); ++i) {
              const auto found = bands.find({static_cast<int>(k), i});
              if (found == bands.end()) {
                ADD_FAILURE() << "level " << k << " (" << w << "×" << h << "): band " << i
                              << " never emitted";
                continue;
              }
              const tiling::Band& band = found->second;
              const int y0 = std::max(0, i * tile - overlap);
              const int y1 = std::min(h, (i + 1) * tile + overlap);
              EXPECT_EQ(band.y0, y0) << "level " << k << " band " << i;
              EXPECT_EQ(band.rows, y1 - y0) << "level " << k << " band " << i;
              EXPECT_EQ(band.width, w);
              EXPECT_EQ(band.channels, channels);
              if (band.y0 != y0 || band.rows != y1 - y0) continue;
              const Image& want = expected[k];
              for (int y = y0; y < y1; ++y) {
                EXPECT_EQ(std::memcmp(band.row(y), want.row(y), want.row_bytes()), 0)
                    << "level " << k << " row " << y;
              }
            }
            EXPECT_EQ(last_index[k], ceil_div(h, tile) - 1) << "level " << k << " band count";
          }
        }
      }
    }
  }
}

// --- 10. Bounded memory ----------------------------------------------------------------------

/// Gradients with a checkerboard of 64-pixel squares.
void big_pixel(int x, int y, int W, int H, std::uint8_t* p) {
  p[0] = static_cast<std::uint8_t>(x * 255L / W);
  p[1] = static_cast<std::uint8_t>(y * 255L / H);
  p[2] = ((x >> 6) ^ (y >> 6)) & 1 ? 200 : 60;
}

/// An uncompressed RGB TIFF in strips of 64 rows, written strip by strip (never whole in memory).
void write_big_tiff(const fs::path& file, int W, int H) {
  TIFF* tif = open_rgb_tiff(file, W, H);
  ASSERT_NE(tif, nullptr);
  TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, 64);
  const std::size_t stride = static_cast<std::size_t>(W) * 3;
  std::vector<std::uint8_t> strip(stride * 64);
  for (int y0 = 0, s = 0; y0 < H; y0 += 64, ++s) {
    const int rows = std::min(64, H - y0);
    for (int y = y0; y < y0 + rows; ++y) {
      std::uint8_t* p = strip.data() + (y - y0) * stride;
      for (int x = 0; x < W; ++x) big_pixel(x, y, W, H, p + 3 * x);
    }
    ASSERT_GE(TIFFWriteEncodedStrip(tif, static_cast<std::uint32_t>(s), strip.data(),
                                    static_cast<tmsize_t>(rows * stride)),
              0);
  }
  TIFFClose(tif);
}

/// Runs `args` and returns the exit status and the child's peak resident set in bytes.
std::pair<int, long> run_measured(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return {-1, 0};
  int status = 0;
  rusage usage{};
  if (::wait4(pid, &status, 0, &usage) != pid) return {-1, 0};
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
          usage.ru_maxrss * 1024L};
}

TEST_F(TilerTest, TilingALargeImageNeedsAFractionOfItsSizeInMemory) {
  if (kSanitized) GTEST_SKIP() << "peak memory is meaningless under AddressSanitizer";
  const int W = 12000, H = 9000;
  const long raw = 3L * W * H;  // 324 MB
  const fs::path big = path("big.tif");
  write_big_tiff(big, W, H);
  ASSERT_GT(fs::file_size(big), static_cast<std::uintmax_t>(raw));

  const auto start = std::chrono::steady_clock::now();
  const auto [status, peak] = run_measured(
      {FINDBUCH_BINARY, "tile", big.string(), path("big").string(), "--layout", "iiif3"});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(status, 0);
  RecordProperty("peak_rss_mb", std::to_string(peak / 1'000'000));
  RecordProperty("seconds", std::to_string(seconds));
  std::printf("findbuch tile %d×%d: peak RSS %.1f MB (%.0f %% of the raw image), %.1f s\n", W, H,
              peak / 1e6, 100.0 * peak / raw, seconds);
  // Measured: 90 … 98 MB with 1 … 32 encoding threads (levels 0 and 1 hold two 512-row bands
  // of 18 MB and 9 MB each). The limit, 1.5 × that, is 43 % of the raw image: holding the whole
  // image or a whole level 1 (81 MB) on top of the bands would break it.
  EXPECT_LT(peak, 140'000'000L) << "peak RSS " << peak / 1'000'000 << " MB of a " << raw / 1'000'000
                                << " MB image";

  const json info = read_json(path("big/info.json"));
  EXPECT_EQ(info.at("width"), W);
  EXPECT_EQ(info.at("height"), H);
  EXPECT_EQ(info["tiles"][0]["scaleFactors"].get<std::vector<int>>(),
            (std::vector<int>{1, 2, 4, 8, 16, 32}));
  EXPECT_EQ(info.at("sizes").size(), 6u);
  const Image smallest = read_image(path("big") / iiif_size_path(ceil_div(W, 32), ceil_div(H, 32)));
  EXPECT_EQ(smallest.width, 375);
  EXPECT_EQ(smallest.height, 282);
  // A tile from the bottom right, where the last rows arrive: the pixels of the source.
  const Image corner = read_image(path("big") / iiif_tile_path(11776, 8704, 224, 296, 224, 296));
  Image expected = Image::blank(224, 296, 3, 8);
  for (int y = 0; y < 296; ++y) {
    for (int x = 0; x < 224; ++x) big_pixel(11776 + x, 8704 + y, W, H, expected.row(y) + 3 * x);
  }
  EXPECT_GE(psnr(corner, expected), 35.0);
  EXPECT_TRUE(fs::is_regular_file(path("big/full/max/0/default.jpg")));
}

}  // namespace
}  // namespace findbuch

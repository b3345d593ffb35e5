// Proves read_image / write_image on files made here with the real libraries (libtiff, libjpeg,
// libpng, libopenjp2) and by hand (Netpbm): pixels, depth, resolution and ICC profile survive a
// round trip; every TIFF layout a scanner writes decodes to the right pixels and upright; broken,
// foreign and oversized files end in an InputError naming the file and the reason, before any
// large allocation; writes are atomic; and the shared sample scans read with the sizes
// ImageMagick's `identify` reports.
#include "imaging/image_io.hpp"
#include "support/bytes.hpp"
#include "support/jpeg2000_writer.hpp"

#include <gtest/gtest.h>
#include <jpeglib.h>
#include <openjpeg.h>
#include <png.h>
#include <tiffio.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <new>
#include <random>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "support/shared_data.hpp"

// Allocation probe: the decompression-bomb tests assert that refusing a huge image allocates
// nothing large. Replacing the global operator new only records the largest request while a
// probe is active; everything else behaves as usual.
namespace {
std::atomic<bool> g_probe{false};
std::atomic<std::size_t> g_largest{0};

void* allocate(std::size_t n) {
  if (g_probe.load(std::memory_order_relaxed)) {
    std::size_t seen = g_largest.load();
    while (n > seen && !g_largest.compare_exchange_weak(seen, n)) {
    }
  }
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
}  // namespace

void* operator new(std::size_t n) {
  return allocate(n);
}
void* operator new[](std::size_t n) {
  return allocate(n);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}

namespace findbuch {
namespace {

namespace fs = std::filesystem;
using testing::Bytes;
using testing::read_bytes;
using testing::write_bytes;

class ImageIoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() /
           ("findbuch-image-io-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path path(const std::string& name) const { return dir_ / name; }

  fs::path dir_;
};

// --- helpers ---------------------------------------------------------------------------------

void write_text(const fs::path& file, const std::string& text) {
  write_bytes(file, Bytes(text.begin(), text.end()));
}

// Random samples (noise defeats any accidental "close enough"), with the full 16-bit range.
Image noise(int width, int height, int channels, int bits, unsigned seed = 1) {
  Image image = Image::blank(width, height, channels, bits);
  std::mt19937 rng(seed);
  if (bits == 16) {
    auto* p = reinterpret_cast<std::uint16_t*>(image.pixels.data());
    for (std::size_t i = 0; i < image.pixels.size() / 2; ++i) {
      p[i] = static_cast<std::uint16_t>(rng());
    }
  } else {
    for (auto& v : image.pixels) v = static_cast<std::uint8_t>(rng());
  }
  return image;
}

// Smooth content, for the lossy JPEG.
Image gradient(int width, int height, int channels) {
  Image image = Image::blank(width, height, channels, 8);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      for (int c = 0; c < channels; ++c) {
        image.row(y)[x * channels + c] = static_cast<std::uint8_t>((x * 2 + y + c * 40) % 256);
      }
    }
  }
  return image;
}

Image bitonal_page(int width, int height) {
  Image image = Image::blank(width, height, 1, 8);
  image.bitonal = true;
  std::mt19937 rng(7);
  for (auto& v : image.pixels) v = (rng() % 5 == 0) ? 0 : 255;
  return image;
}

std::uint16_t sample16(const Image& image, int x, int y, int c) {
  std::uint16_t v;
  std::memcpy(&v, image.row(y) + (static_cast<std::size_t>(x) * image.channels + c) * 2, 2);
  return v;
}

std::vector<int> pixel(const Image& image, int x, int y) {
  std::vector<int> out;
  for (int c = 0; c < image.channels; ++c) {
    out.push_back(image.bits == 16
                      ? sample16(image, x, y, c)
                      : image.row(y)[static_cast<std::size_t>(x) * image.channels + c]);
  }
  return out;
}

void put32(Bytes& b, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) b.push_back(static_cast<std::uint8_t>(v >> shift));
}

// An ICC header libpng accepts (size, 'acsp', colour space, D50 illuminant, no tags) followed
// by filler; `size` a multiple of 4.
Bytes icc_profile(std::size_t size, bool grey) {
  Bytes p(size, 0);
  for (std::size_t i = 132; i < size; ++i) p[i] = static_cast<std::uint8_t>(i * 13);
  const auto set32 = [&](std::size_t at, std::uint32_t v) {
    for (int k = 0; k < 4; ++k) p[at + k] = static_cast<std::uint8_t>(v >> (24 - 8 * k));
  };
  set32(0, static_cast<std::uint32_t>(size));
  set32(8, 0x02100000);
  std::memcpy(&p[12], "mntr", 4);
  std::memcpy(&p[16], grey ? "GRAY" : "RGB ", 4);
  std::memcpy(&p[20], "XYZ ", 4);
  std::memcpy(&p[36], "acsp", 4);
  set32(68, 0x0000F6D6);
  set32(72, 0x00010000);
  set32(76, 0x0000D32D);
  set32(128, 0);
  return p;
}

void expect_input_error(const fs::path& file, const std::string& reason,
                        const ReadOptions& options = {}) {
  try {
    (void)read_image(file, options);
    ADD_FAILURE() << "no error reading " << file;
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find('"' + file.string() + '"'), std::string::npos) << message;
    EXPECT_NE(message.find(reason), std::string::npos) << message;
  }
}

// --- TIFF files made with libtiff ----------------------------------------------------------

struct TiffPage {
  std::uint32_t width = 5, height = 4;
  std::uint16_t bits = 8, samples = 1, photometric = PHOTOMETRIC_MINISBLACK;
  std::uint16_t compression = COMPRESSION_NONE;
  std::uint16_t planar = PLANARCONFIG_CONTIG;
  std::uint32_t tile = 0;  // tile width and height, 0 for strips
  std::uint32_t rows_per_strip = 2;
  Bytes data;  // packed rows in file layout (planes one after another if separate)
  std::function<void(TIFF*)> extra;
};

void write_tiff(const fs::path& file, const std::vector<TiffPage>& pages, const char* mode = "w") {
  TIFF* tif = TIFFOpen(file.c_str(), mode);
  ASSERT_NE(tif, nullptr);
  for (const TiffPage& p : pages) {
    TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, p.width);
    TIFFSetField(tif, TIFFTAG_IMAGELENGTH, p.height);
    TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, p.bits);
    TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, p.samples);
    TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, p.photometric);
    TIFFSetField(tif, TIFFTAG_COMPRESSION, p.compression);
    TIFFSetField(tif, TIFFTAG_PLANARCONFIG, p.planar);
    if (pages.size() > 1) TIFFSetField(tif, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
    if (p.extra) p.extra(tif);
    const std::size_t planes = p.planar == PLANARCONFIG_SEPARATE ? p.samples : 1;
    const std::size_t plane_bytes = p.data.size() / planes;
    const std::size_t row_bytes = plane_bytes / p.height;
    if (p.tile != 0) {
      TIFFSetField(tif, TIFFTAG_TILEWIDTH, p.tile);
      TIFFSetField(tif, TIFFTAG_TILELENGTH, p.tile);
      const std::size_t pixel_bits = std::size_t{p.bits} * (p.samples / planes);
      const std::size_t tile_row = p.tile * pixel_bits / 8;
      Bytes tile(static_cast<std::size_t>(TIFFTileSize(tif)));
      for (std::size_t s = 0; s < planes; ++s) {
        for (std::uint32_t y0 = 0; y0 < p.height; y0 += p.tile) {
          for (std::uint32_t x0 = 0; x0 < p.width; x0 += p.tile) {
            std::fill(tile.begin(), tile.end(), 0);
            for (std::uint32_t r = 0; r < p.tile && y0 + r < p.height; ++r) {
              const std::size_t from = s * plane_bytes + (y0 + r) * row_bytes + x0 * pixel_bits / 8;
              const std::size_t n = std::min(tile_row, row_bytes - x0 * pixel_bits / 8);
              std::memcpy(&tile[r * tile_row], &p.data[from], n);
            }
            ASSERT_GE(TIFFWriteTile(tif, tile.data(), x0, y0, 0, static_cast<std::uint16_t>(s)), 0);
          }
        }
      }
    } else {
      TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, p.rows_per_strip);
      std::uint32_t strip = 0;
      for (std::size_t s = 0; s < planes; ++s) {
        for (std::uint32_t y0 = 0; y0 < p.height; y0 += p.rows_per_strip, ++strip) {
          const std::uint32_t rows = std::min(p.rows_per_strip, p.height - y0);
          Bytes chunk(
              p.data.begin() + static_cast<std::ptrdiff_t>(s * plane_bytes + y0 * row_bytes),
              p.data.begin() +
                  static_cast<std::ptrdiff_t>(s * plane_bytes + (y0 + rows) * row_bytes));
          ASSERT_GE(
              TIFFWriteEncodedStrip(tif, strip, chunk.data(), static_cast<tmsize_t>(chunk.size())),
              0);
        }
      }
    }
    ASSERT_EQ(TIFFWriteDirectory(tif), 1);
  }
  TIFFClose(tif);
}

// A hand-made TIFF with its directory before the pixels, as many scanners write it: cutting
// the file short keeps the tags and loses image data.
Bytes minimal_tiff(std::uint32_t width, std::uint32_t height, const Bytes& pixels) {
  Bytes b = {'I', 'I', 42, 0, 8, 0, 0, 0};
  const auto le = [&](std::uint32_t v, int bytes) {
    for (int k = 0; k < bytes; ++k) b.push_back(static_cast<std::uint8_t>(v >> (8 * k)));
  };
  const std::uint32_t data_at = 8 + 2 + 9 * 12 + 4;
  le(9, 2);
  const auto entry = [&](unsigned tag, unsigned type, std::uint32_t value) {
    le(tag, 2);
    le(type, 2);
    le(1, 4);
    le(value, 4);  // SHORT values sit in the low bytes (little-endian)
  };
  entry(256, 4, width);
  entry(257, 4, height);
  entry(258, 3, 8);
  entry(259, 3, 1);
  entry(262, 3, 1);
  entry(273, 4, data_at);
  entry(277, 3, 1);
  entry(278, 4, height);
  entry(279, 4, static_cast<std::uint32_t>(pixels.size()));
  le(0, 4);
  b.insert(b.end(), pixels.begin(), pixels.end());
  return b;
}

Bytes sequence(std::size_t n, unsigned start = 0, unsigned step = 1) {
  Bytes out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(start + i * step);
  return out;
}

// --- round trips -----------------------------------------------------------------------------

struct Shape {
  int channels, bits;
};

TEST_F(ImageIoTest, LosslessRoundTripsKeepEveryPixelDepthAndChannelCount) {
  const std::vector<Shape> shapes = {{1, 8}, {3, 8}, {1, 16}, {3, 16}};
  struct Target {
    const char* name;
    WriteOptions options;
  };
  std::vector<Target> targets = {
      {"deflate.tif", {}}, {"lzw.tif", {}}, {"image.png", {}}, {"plain.tif", {}}};
  targets[1].options.tiff_compression = TiffCompression::lzw;
  targets[2].options.format = ImageFormat::png;
  targets[3].options.tiff_compression = TiffCompression::none;
  for (const Shape& shape : shapes) {
    for (const Target& target : targets) {
      SCOPED_TRACE(std::string(target.name) + " " + std::to_string(shape.channels) + "x" +
                   std::to_string(shape.bits));
      const Image original = noise(67, 41, shape.channels, shape.bits);
      const fs::path file = path(target.name);
      write_image(original, file, target.options);
      const Image back = read_image(file);
      EXPECT_EQ(back.width, 67);
      EXPECT_EQ(back.height, 41);
      EXPECT_EQ(back.channels, shape.channels);
      EXPECT_EQ(back.bits, shape.bits);
      EXPECT_FALSE(back.bitonal);
      EXPECT_TRUE(back.pixels == original.pixels);
    }
  }
}

TEST_F(ImageIoTest, TiffWriterUsesDeflateOrLzwWithHorizontalPredictor) {
  for (const auto compression : {TiffCompression::deflate, TiffCompression::lzw}) {
    WriteOptions options;
    options.tiff_compression = compression;
    write_image(noise(20, 10, 3, 16), path("p.tif"), options);
    TIFF* tif = TIFFOpen(path("p.tif").c_str(), "r");
    ASSERT_NE(tif, nullptr);
    std::uint16_t c = 0, predictor = 0, bits = 0;
    TIFFGetField(tif, TIFFTAG_COMPRESSION, &c);
    TIFFGetField(tif, TIFFTAG_PREDICTOR, &predictor);
    TIFFGetField(tif, TIFFTAG_BITSPERSAMPLE, &bits);
    TIFFClose(tif);
    EXPECT_EQ(
        c, compression == TiffCompression::deflate ? COMPRESSION_ADOBE_DEFLATE : COMPRESSION_LZW);
    EXPECT_EQ(predictor, PREDICTOR_HORIZONTAL);
    EXPECT_EQ(bits, 16);
  }
}

TEST_F(ImageIoTest, ResolutionAndIccProfileSurviveEveryFormat) {
  for (const auto format : {ImageFormat::tiff, ImageFormat::png, ImageFormat::jpeg}) {
    for (const bool grey : {true, false}) {
      SCOPED_TRACE(extension_of(format) + (grey ? " grey" : " RGB"));
      Image image = gradient(40, 30, grey ? 1 : 3);
      image.ppi_x = 300;
      image.ppi_y = 600;
      // 100 kB: JPEG must split it over two APP2 segments.
      image.icc_profile = icc_profile(100'000, grey);
      const fs::path file = path("meta" + extension_of(format));
      WriteOptions options;
      options.format = format;
      write_image(image, file, options);
      const Image back = read_image(file);
      EXPECT_DOUBLE_EQ(back.ppi_x, 300);
      EXPECT_DOUBLE_EQ(back.ppi_y, 600);
      EXPECT_TRUE(back.icc_profile == image.icc_profile);
    }
  }
}

TEST_F(ImageIoTest, ImagesWithoutMetadataReadBackWithout) {
  for (const auto format : {ImageFormat::tiff, ImageFormat::png, ImageFormat::jpeg}) {
    WriteOptions options;
    options.format = format;
    write_image(gradient(16, 16, 3), path("plain" + extension_of(format)), options);
    const Image back = read_image(path("plain" + extension_of(format)));
    EXPECT_EQ(back.ppi_x, 0);
    EXPECT_EQ(back.ppi_y, 0);
    EXPECT_TRUE(back.icc_profile.empty());
  }
}

TEST_F(ImageIoTest, BitonalImagesAreWrittenAsOneBitG4TiffAndOneBitPng) {
  const Image page = bitonal_page(203, 97);
  write_image(page, path("page.tif"), {});
  WriteOptions png;
  png.format = ImageFormat::png;
  write_image(page, path("page.png"), png);

  TIFF* tif = TIFFOpen(path("page.tif").c_str(), "r");
  ASSERT_NE(tif, nullptr);
  std::uint16_t bits = 0, compression = 0, photometric = 0;
  TIFFGetField(tif, TIFFTAG_BITSPERSAMPLE, &bits);
  TIFFGetField(tif, TIFFTAG_COMPRESSION, &compression);
  TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photometric);
  TIFFClose(tif);
  EXPECT_EQ(bits, 1);
  EXPECT_EQ(compression, COMPRESSION_CCITTFAX4);
  EXPECT_EQ(photometric, PHOTOMETRIC_MINISWHITE);

  const Bytes raw = read_bytes(path("page.png"));
  ASSERT_GT(raw.size(), 26u);
  EXPECT_EQ(raw[24], 1);  // IHDR bit depth
  EXPECT_EQ(raw[25], 0);  // IHDR colour type grey

  for (const char* name : {"page.tif", "page.png"}) {
    SCOPED_TRACE(name);
    const Image back = read_image(path(name));
    EXPECT_TRUE(back.bitonal);
    EXPECT_EQ(back.channels, 1);
    EXPECT_EQ(back.bits, 8);
    EXPECT_TRUE(back.pixels == page.pixels);
  }
}

TEST_F(ImageIoTest, PngStoresSixteenBitSamplesBigEndian) {
  Image image = Image::blank(2, 1, 1, 16);
  const std::uint16_t values[2] = {0x0102, 0xA0B0};
  std::memcpy(image.pixels.data(), values, 4);
  WriteOptions options;
  options.format = ImageFormat::png;
  write_image(image, path("be.png"), options);

  // An independent decoder without byte swapping sees the bytes as stored.
  std::FILE* in = std::fopen(path("be.png").c_str(), "rb");
  ASSERT_NE(in, nullptr);
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  png_init_io(png, in);
  png_read_png(png, info, PNG_TRANSFORM_IDENTITY, nullptr);
  const png_bytep row = png_get_rows(png, info)[0];
  EXPECT_EQ(png_get_bit_depth(png, info), 16);
  EXPECT_EQ(row[0], 0x01);
  EXPECT_EQ(row[1], 0x02);
  EXPECT_EQ(row[2], 0xA0);
  EXPECT_EQ(row[3], 0xB0);
  png_destroy_read_struct(&png, &info, nullptr);
  std::fclose(in);
  EXPECT_TRUE(read_image(path("be.png")).pixels == image.pixels);
}

TEST_F(ImageIoTest, JpegRoundTripStaysCloseAndReducesSixteenBits) {
  for (const int channels : {1, 3}) {
    const Image original = gradient(120, 80, channels);
    WriteOptions options;
    options.format = ImageFormat::jpeg;
    options.jpeg_quality = 95;
    write_image(original, path("j.jpg"), options);
    const Image back = read_image(path("j.jpg"));
    ASSERT_EQ(back.channels, channels);
    ASSERT_EQ(back.bits, 8);
    ASSERT_EQ(back.pixels.size(), original.pixels.size());
    double total = 0;
    for (std::size_t i = 0; i < back.pixels.size(); ++i) {
      total += std::abs(back.pixels[i] - original.pixels[i]);
    }
    EXPECT_LT(total / static_cast<double>(back.pixels.size()), 2.0) << channels;
  }

  Image deep = Image::blank(64, 64, 1, 16);
  auto* p = reinterpret_cast<std::uint16_t*>(deep.pixels.data());
  for (std::size_t i = 0; i < deep.pixels.size() / 2; ++i) p[i] = 0x8000;
  WriteOptions options;
  options.format = ImageFormat::jpeg;
  write_image(deep, path("deep.jpg"), options);
  const Image back = read_image(path("deep.jpg"));
  EXPECT_EQ(back.bits, 8);
  EXPECT_NEAR(back.pixels[0], 128, 1);
}

TEST_F(ImageIoTest, QualityChangesTheJpegSize) {
  const Image image = noise(64, 64, 3, 8);
  WriteOptions low, high;
  low.format = high.format = ImageFormat::jpeg;
  low.jpeg_quality = 20;
  high.jpeg_quality = 98;
  write_image(image, path("low.jpg"), low);
  write_image(image, path("high.jpg"), high);
  EXPECT_LT(fs::file_size(path("low.jpg")) * 2, fs::file_size(path("high.jpg")));
}

// --- TIFF layouts ------------------------------------------------------------------------------

TEST_F(ImageIoTest, TiledTiffWithPartialEdgeTiles) {
  TiffPage page;
  page.width = 40;
  page.height = 35;
  page.samples = 3;
  page.photometric = PHOTOMETRIC_RGB;
  page.tile = 16;
  page.data = sequence(40 * 35 * 3, 3, 7);
  write_tiff(path("tiled.tif"), {page});
  const Image image = read_image(path("tiled.tif"));
  EXPECT_EQ(image.width, 40);
  EXPECT_EQ(image.height, 35);
  EXPECT_EQ(image.channels, 3);
  EXPECT_TRUE(image.pixels == page.data);
}

TEST_F(ImageIoTest, TiledSixteenBitAndSeparatePlanes) {
  TiffPage tiled;
  tiled.width = 33;
  tiled.height = 17;
  tiled.bits = 16;
  tiled.tile = 16;
  tiled.data = sequence(33 * 17 * 2, 1, 11);
  write_tiff(path("t16.tif"), {tiled});
  const Image t16 = read_image(path("t16.tif"));
  EXPECT_EQ(t16.bits, 16);
  EXPECT_TRUE(t16.pixels == tiled.data);

  // RGB stored as three planes (R…, G…, B…) comes back interleaved.
  TiffPage planes;
  planes.width = 6;
  planes.height = 5;
  planes.samples = 3;
  planes.photometric = PHOTOMETRIC_RGB;
  planes.planar = PLANARCONFIG_SEPARATE;
  planes.data = sequence(6 * 5 * 3);
  write_tiff(path("planes.tif"), {planes});
  const Image separate = read_image(path("planes.tif"));
  ASSERT_EQ(separate.channels, 3);
  EXPECT_EQ(pixel(separate, 0, 0), (std::vector<int>{0, 30, 60}));
  EXPECT_EQ(pixel(separate, 5, 4), (std::vector<int>{29, 59, 89}));

  planes.tile = 16;
  write_tiff(path("planes-tiled.tif"), {planes});
  EXPECT_TRUE(read_image(path("planes-tiled.tif")).pixels == separate.pixels);
}

TEST_F(ImageIoTest, PaletteTiffBecomesRgb) {
  for (const std::uint16_t bits : {4, 8}) {
    SCOPED_TRACE(bits);
    std::vector<std::uint16_t> r(1u << bits), g(1u << bits), b(1u << bits);
    for (std::size_t i = 0; i < r.size(); ++i) {
      r[i] = static_cast<std::uint16_t>(i * 257);
      g[i] = static_cast<std::uint16_t>(65535 - i * 257);
      b[i] = 0x8080;
    }
    TiffPage page;
    page.width = 4;
    page.height = 2;
    page.bits = bits;
    page.photometric = PHOTOMETRIC_PALETTE;
    page.data = bits == 8 ? Bytes{0, 1, 2, 3, 10, 11, 12, 13} : Bytes{0x01, 0x23, 0xAB, 0xCD};
    page.extra = [&](TIFF* tif) {
      TIFFSetField(tif, TIFFTAG_COLORMAP, r.data(), g.data(), b.data());
    };
    write_tiff(path("palette.tif"), {page});
    const Image image = read_image(path("palette.tif"));
    ASSERT_EQ(image.channels, 3);
    EXPECT_EQ(image.bits, 8);
    EXPECT_EQ(pixel(image, 1, 0), (std::vector<int>{1, 254, 128}));
    EXPECT_EQ(pixel(image, 3, 1), (std::vector<int>{13, 242, 128}));
  }
}

TEST_F(ImageIoTest, CmykTiffBecomesRgb) {
  TiffPage page;
  page.width = 4;
  page.height = 1;
  page.samples = 4;
  page.photometric = PHOTOMETRIC_SEPARATED;
  page.data = {0, 0, 0, 0, 255, 0, 0, 0, 0, 0, 0, 255, 0, 255, 255, 0};
  write_tiff(path("cmyk.tif"), {page});
  const Image image = read_image(path("cmyk.tif"));
  ASSERT_EQ(image.channels, 3);
  EXPECT_EQ(pixel(image, 0, 0), (std::vector<int>{255, 255, 255}));  // no ink: paper
  EXPECT_EQ(pixel(image, 1, 0), (std::vector<int>{0, 255, 255}));    // cyan
  EXPECT_EQ(pixel(image, 2, 0), (std::vector<int>{0, 0, 0}));        // black
  EXPECT_EQ(pixel(image, 3, 0), (std::vector<int>{255, 0, 0}));      // magenta + yellow
}

TEST_F(ImageIoTest, OneBitTiffHonoursMinIsWhiteAndMinIsBlack) {
  for (const auto photometric : {PHOTOMETRIC_MINISWHITE, PHOTOMETRIC_MINISBLACK}) {
    for (const auto compression : {COMPRESSION_NONE, COMPRESSION_CCITTFAX4, COMPRESSION_PACKBITS}) {
      SCOPED_TRACE(std::to_string(photometric) + "/" + std::to_string(compression));
      TiffPage page;
      page.width = 10;
      page.height = 2;
      page.bits = 1;
      page.photometric = photometric;
      page.compression = compression;
      page.rows_per_strip = 2;
      page.data = {0b10000000, 0b01000000, 0b00000000, 0b11000000};  // x=0 and x=9 set
      write_tiff(path("bits.tif"), {page});
      const Image image = read_image(path("bits.tif"));
      EXPECT_TRUE(image.bitonal);
      EXPECT_EQ(image.channels, 1);
      EXPECT_EQ(image.bits, 8);
      const int set = photometric == PHOTOMETRIC_MINISWHITE ? 0 : 255;
      EXPECT_EQ(image.row(0)[0], set);
      EXPECT_EQ(image.row(0)[1], 255 - set);
      EXPECT_EQ(image.row(0)[9], set);
      EXPECT_EQ(image.row(1)[0], 255 - set);
      EXPECT_EQ(image.row(1)[8], set);
    }
  }
}

TEST_F(ImageIoTest, EightBitMinIsWhiteIsInverted) {
  TiffPage page;
  page.width = 3;
  page.height = 1;
  page.photometric = PHOTOMETRIC_MINISWHITE;
  page.data = {0, 100, 255};
  write_tiff(path("white.tif"), {page});
  const Image image = read_image(path("white.tif"));
  EXPECT_EQ(pixel(image, 0, 0)[0], 255);
  EXPECT_EQ(pixel(image, 1, 0)[0], 155);
  EXPECT_EQ(pixel(image, 2, 0)[0], 0);
  EXPECT_FALSE(image.bitonal);
}

TEST_F(ImageIoTest, SixteenBitTiffInEitherByteOrderStaysSixteenBit) {
  for (const char* mode : {"wl", "wb"}) {
    SCOPED_TRACE(mode);
    TiffPage page;
    page.width = 3;
    page.height = 2;
    page.bits = 16;
    page.samples = 3;
    page.photometric = PHOTOMETRIC_RGB;
    page.compression = COMPRESSION_ADOBE_DEFLATE;
    std::vector<std::uint16_t> values(18);
    for (std::size_t i = 0; i < values.size(); ++i) {
      values[i] = static_cast<std::uint16_t>(i * 3641 + 7);
    }
    page.data.resize(36);
    std::memcpy(page.data.data(), values.data(), 36);  // libtiff swaps on write if needed
    write_tiff(path("deep.tif"), {page}, mode);
    const Image image = read_image(path("deep.tif"));
    EXPECT_EQ(image.bits, 16);
    EXPECT_EQ(sample16(image, 0, 0, 0), values[0]);
    EXPECT_EQ(sample16(image, 2, 1, 2), values[17]);
  }
}

TEST_F(ImageIoTest, PackBitsAndJpegCompressedTiff) {
  TiffPage packbits;
  packbits.width = 30;
  packbits.height = 9;
  packbits.samples = 3;
  packbits.photometric = PHOTOMETRIC_RGB;
  packbits.compression = COMPRESSION_PACKBITS;
  packbits.data = Bytes(30 * 9 * 3, 200);
  packbits.data[5] = 7;
  write_tiff(path("packbits.tif"), {packbits});
  EXPECT_TRUE(read_image(path("packbits.tif")).pixels == packbits.data);

  // YCbCr JPEG, the layout of many camera and scanner TIFFs (e.g. the Kant sample).
  TiffPage jpeg;
  jpeg.width = 32;
  jpeg.height = 16;
  jpeg.samples = 3;
  jpeg.photometric = PHOTOMETRIC_YCBCR;
  jpeg.compression = COMPRESSION_JPEG;
  jpeg.rows_per_strip = 16;
  jpeg.data = Bytes(32 * 16 * 3, 0);
  for (std::size_t i = 0; i < jpeg.data.size(); i += 3) jpeg.data[i] = 220;  // red-ish
  jpeg.extra = [](TIFF* tif) {
    TIFFSetField(tif, TIFFTAG_JPEGQUALITY, 95);
    TIFFSetField(tif, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
  };
  write_tiff(path("jpeg.tif"), {jpeg});
  const Image image = read_image(path("jpeg.tif"));
  ASSERT_EQ(image.channels, 3);
  const std::vector<int> px = pixel(image, 10, 10);
  EXPECT_NEAR(px[0], 220, 4);
  EXPECT_NEAR(px[1], 0, 4);
  EXPECT_NEAR(px[2], 0, 4);
}

TEST_F(ImageIoTest, AlphaIsCompositedOnWhite) {
  TiffPage page;
  page.width = 2;
  page.height = 1;
  page.samples = 4;
  page.photometric = PHOTOMETRIC_RGB;
  page.data = {10, 20, 30, 0, 10, 20, 30, 255};
  page.extra = [](TIFF* tif) {
    const std::uint16_t extra[] = {EXTRASAMPLE_UNASSALPHA};
    TIFFSetField(tif, TIFFTAG_EXTRASAMPLES, 1, extra);
  };
  write_tiff(path("rgba.tif"), {page});
  const Image image = read_image(path("rgba.tif"));
  ASSERT_EQ(image.channels, 3);
  EXPECT_EQ(pixel(image, 0, 0), (std::vector<int>{255, 255, 255}));
  EXPECT_EQ(pixel(image, 1, 0), (std::vector<int>{10, 20, 30}));
}

TEST_F(ImageIoTest, MultiPageTiffReadsTheRequestedPage) {
  TiffPage first, second;
  first.data = sequence(5 * 4);
  second.width = 7;
  second.height = 3;
  second.data = Bytes(7 * 3, 99);
  write_tiff(path("pages.tif"), {first, second});
  EXPECT_EQ(count_pages(path("pages.tif")), 2);
  const Image p0 = read_image(path("pages.tif"));
  EXPECT_EQ(p0.width, 5);
  EXPECT_TRUE(p0.pixels == first.data);
  ReadOptions options;
  options.page = 1;
  const Image p1 = read_image(path("pages.tif"), options);
  EXPECT_EQ(p1.width, 7);
  EXPECT_EQ(p1.height, 3);
  EXPECT_TRUE(p1.pixels == second.data);
  options.page = 2;
  expect_input_error(path("pages.tif"), "page 2 is out of range (the file has 2 pages)", options);
}

TEST_F(ImageIoTest, BigTiff) {
  TiffPage page;
  page.width = 9;
  page.height = 5;
  page.bits = 16;
  page.data = sequence(9 * 5 * 2, 5, 3);
  write_tiff(path("big.tif"), {page}, "w8");
  EXPECT_EQ(read_bytes(path("big.tif"))[2], 43);  // BigTIFF magic
  EXPECT_TRUE(read_image(path("big.tif")).pixels == page.data);
}

TEST_F(ImageIoTest, TiffResolutionInCentimetresAndIccProfile) {
  const Bytes icc = icc_profile(1000, true);
  TiffPage page;
  page.data = sequence(20);
  page.extra = [&](TIFF* tif) {
    TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, RESUNIT_CENTIMETER);
    TIFFSetField(tif, TIFFTAG_XRESOLUTION, 118.0);
    TIFFSetField(tif, TIFFTAG_YRESOLUTION, 59.0);
    TIFFSetField(tif, TIFFTAG_ICCPROFILE, static_cast<std::uint32_t>(icc.size()), icc.data());
  };
  write_tiff(path("cm.tif"), {page});
  const Image image = read_image(path("cm.tif"));
  EXPECT_NEAR(image.ppi_x, 299.72, 0.01);
  EXPECT_NEAR(image.ppi_y, 149.86, 0.01);
  EXPECT_TRUE(image.icc_profile == icc);
}

// Stored 3 x 2 with distinct values; where the stored top-left (value 0) and top-right (value 2)
// pixels end up once the image is upright, for each of the eight orientations.
TEST_F(ImageIoTest, TiffOrientationTagIsApplied) {
  struct Case {
    std::uint16_t orientation;
    int width;
    std::vector<int> corners;  // value at top-left, top-right, bottom-left, bottom-right
  };
  // Stored:  0 1 2
  //          3 4 5
  const std::vector<Case> cases = {
      {ORIENTATION_TOPLEFT, 3, {0, 2, 3, 5}},  {ORIENTATION_TOPRIGHT, 3, {2, 0, 5, 3}},
      {ORIENTATION_BOTRIGHT, 3, {5, 3, 2, 0}}, {ORIENTATION_BOTLEFT, 3, {3, 5, 0, 2}},
      {ORIENTATION_LEFTTOP, 2, {0, 3, 2, 5}},  {ORIENTATION_RIGHTTOP, 2, {3, 0, 5, 2}},
      {ORIENTATION_RIGHTBOT, 2, {5, 2, 3, 0}}, {ORIENTATION_LEFTBOT, 2, {2, 5, 0, 3}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.orientation);
    TiffPage page;
    page.width = 3;
    page.height = 2;
    page.data = {0, 1, 2, 3, 4, 5};
    page.extra = [&](TIFF* tif) {
      TIFFSetField(tif, TIFFTAG_ORIENTATION, c.orientation);
      TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
      TIFFSetField(tif, TIFFTAG_XRESOLUTION, 300.0);
      TIFFSetField(tif, TIFFTAG_YRESOLUTION, 150.0);
    };
    write_tiff(path("oriented.tif"), {page});
    const Image image = read_image(path("oriented.tif"));
    ASSERT_EQ(image.width, c.width);
    ASSERT_EQ(image.height, 6 / c.width);
    const int w = image.width - 1, h = image.height - 1;
    EXPECT_EQ(
        (std::vector<int>{image.row(0)[0], image.row(0)[w], image.row(h)[0], image.row(h)[w]}),
        c.corners);
    EXPECT_EQ(image.ppi_x, c.width == 3 ? 300 : 150);  // a transposed image swaps them
  }
}

TEST_F(ImageIoTest, RightTopOrientationOnRgbSixteenBit) {
  TiffPage page;
  page.width = 4;
  page.height = 2;
  page.bits = 16;
  page.samples = 3;
  page.photometric = PHOTOMETRIC_RGB;
  page.data = sequence(4 * 2 * 6, 0, 1);
  page.extra = [](TIFF* tif) { TIFFSetField(tif, TIFFTAG_ORIENTATION, ORIENTATION_RIGHTTOP); };
  write_tiff(path("rt.tif"), {page});
  const Image image = read_image(path("rt.tif"));
  ASSERT_EQ(image.width, 2);
  ASSERT_EQ(image.height, 4);
  // The stored first pixel is at the top right once upright.
  EXPECT_EQ(std::memcmp(image.row(0) + 6, page.data.data(), 6), 0);
}

// --- JPEG specifics ----------------------------------------------------------------------------

void write_jpeg_with_exif(const fs::path& file, int width, int height, std::uint16_t orientation) {
  std::FILE* out = std::fopen(file.c_str(), "wb");
  ASSERT_NE(out, nullptr);
  jpeg_compress_struct cinfo{};
  jpeg_error_mgr jerr{};
  cinfo.err = jpeg_std_error(&jerr);
  jpeg_create_compress(&cinfo);
  jpeg_stdio_dest(&cinfo, out);
  cinfo.image_width = static_cast<JDIMENSION>(width);
  cinfo.image_height = static_cast<JDIMENSION>(height);
  cinfo.input_components = 1;
  cinfo.in_color_space = JCS_GRAYSCALE;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, 100, TRUE);
  cinfo.write_JFIF_header = FALSE;
  jpeg_start_compress(&cinfo, TRUE);
  // Big-endian Exif: IFD0 with Orientation, XResolution 200/1, ResolutionUnit inch.
  Bytes exif = {'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8, 0, 3};
  const auto entry = [&](unsigned tag, unsigned type, std::uint32_t count, std::uint32_t value) {
    exif.push_back(static_cast<std::uint8_t>(tag >> 8));
    exif.push_back(static_cast<std::uint8_t>(tag));
    exif.push_back(0);
    exif.push_back(static_cast<std::uint8_t>(type));
    put32(exif, count);
    put32(exif, value);
  };
  entry(0x112, 3, 1, std::uint32_t{orientation} << 16);
  entry(0x11A, 5, 1, 8 + 2 + 3 * 12 + 4);
  entry(0x128, 3, 1, 2u << 16);
  put32(exif, 0);
  put32(exif, 200);
  put32(exif, 1);
  jpeg_write_marker(&cinfo, JPEG_APP0 + 1, exif.data(), static_cast<unsigned>(exif.size()));
  std::vector<std::uint8_t> row(static_cast<std::size_t>(width));
  while (cinfo.next_scanline < cinfo.image_height) {
    // Left half dark, right half light; the top row band darker still.
    for (int x = 0; x < width; ++x) {
      row[static_cast<std::size_t>(x)] = static_cast<std::uint8_t>(
          (x < width / 2 ? 40 : 220) - (cinfo.next_scanline < 8 ? 30 : 0));
    }
    JSAMPROW rows[1] = {row.data()};
    jpeg_write_scanlines(&cinfo, rows, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  std::fclose(out);
}

TEST_F(ImageIoTest, JpegExifOrientationAndResolutionAreApplied) {
  write_jpeg_with_exif(path("plain.jpg"), 64, 32, 1);
  const Image plain = read_image(path("plain.jpg"));
  EXPECT_EQ(plain.width, 64);
  EXPECT_EQ(plain.height, 32);
  EXPECT_DOUBLE_EQ(plain.ppi_x, 200);

  // Orientation 6: the stored image is rotated; upright, its stored top (darker band) is on the
  // right and its stored left half (dark) is on top.
  write_jpeg_with_exif(path("rotated.jpg"), 64, 32, 6);
  const Image rotated = read_image(path("rotated.jpg"));
  ASSERT_EQ(rotated.width, 32);
  ASSERT_EQ(rotated.height, 64);
  EXPECT_NEAR(rotated.row(5)[31], 10, 6);    // stored top-left: dark band on dark half
  EXPECT_NEAR(rotated.row(5)[5], 40, 6);     // stored bottom-left
  EXPECT_NEAR(rotated.row(60)[5], 220, 6);   // stored bottom-right
  EXPECT_NEAR(rotated.row(60)[31], 190, 6);  // stored top-right
}

TEST_F(ImageIoTest, CmykJpegBecomesRgb) {
  std::FILE* out = std::fopen(path("cmyk.jpg").c_str(), "wb");
  ASSERT_NE(out, nullptr);
  jpeg_compress_struct cinfo{};
  jpeg_error_mgr jerr{};
  cinfo.err = jpeg_std_error(&jerr);
  jpeg_create_compress(&cinfo);
  jpeg_stdio_dest(&cinfo, out);
  cinfo.image_width = 16;
  cinfo.image_height = 16;
  cinfo.input_components = 4;
  cinfo.in_color_space = JCS_CMYK;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, 100, TRUE);
  jpeg_start_compress(&cinfo, TRUE);  // libjpeg writes an Adobe marker: inverted CMYK
  // Adobe convention: stored 255 means no ink. Pure cyan: C full, others none.
  std::vector<std::uint8_t> row(16 * 4);
  for (int x = 0; x < 16; ++x) {
    row[x * 4 + 0] = 0;
    row[x * 4 + 1] = 255;
    row[x * 4 + 2] = 255;
    row[x * 4 + 3] = 255;
  }
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW rows[1] = {row.data()};
    jpeg_write_scanlines(&cinfo, rows, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  std::fclose(out);

  const Image image = read_image(path("cmyk.jpg"));
  ASSERT_EQ(image.channels, 3);
  const std::vector<int> px = pixel(image, 8, 8);
  EXPECT_NEAR(px[0], 0, 3);
  EXPECT_NEAR(px[1], 255, 3);
  EXPECT_NEAR(px[2], 255, 3);
}

// --- PNG specifics ---------------------------------------------------------------------------

struct PngSpec {
  std::uint32_t width = 6, height = 5;
  int depth = 8, colour = PNG_COLOR_TYPE_GRAY;
  bool interlaced = false;
  Bytes data;  // packed rows
  std::vector<png_color> palette;
  Bytes transparency;
};

void write_png_file(const fs::path& file, const PngSpec& spec) {
  std::FILE* out = std::fopen(file.c_str(), "wb");
  ASSERT_NE(out, nullptr);
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  png_init_io(png, out);
  png_set_IHDR(png, info, spec.width, spec.height, spec.depth, spec.colour,
               spec.interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (!spec.palette.empty()) {
    png_set_PLTE(png, info, spec.palette.data(), static_cast<int>(spec.palette.size()));
  }
  if (!spec.transparency.empty()) {
    png_set_tRNS(png, info, spec.transparency.data(), static_cast<int>(spec.transparency.size()),
                 nullptr);
  }
  png_write_info(png, info);
  const std::size_t row_bytes = spec.data.size() / spec.height;
  std::vector<png_bytep> rows(spec.height);
  Bytes data = spec.data;
  for (std::uint32_t y = 0; y < spec.height; ++y) rows[y] = data.data() + y * row_bytes;
  png_write_image(png, rows.data());
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  std::fclose(out);
}

TEST_F(ImageIoTest, PngPaletteAlphaLowDepthAndInterlace) {
  PngSpec palette;
  palette.width = 4;
  palette.height = 1;
  palette.colour = PNG_COLOR_TYPE_PALETTE;
  palette.palette = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {10, 20, 30}};
  palette.transparency = {255, 255, 255, 0};  // the last entry fully transparent
  palette.data = {0, 1, 2, 3};
  write_png_file(path("palette.png"), palette);
  const Image p = read_image(path("palette.png"));
  ASSERT_EQ(p.channels, 3);
  EXPECT_EQ(pixel(p, 0, 0), (std::vector<int>{255, 0, 0}));
  EXPECT_EQ(pixel(p, 2, 0), (std::vector<int>{0, 0, 255}));
  EXPECT_EQ(pixel(p, 3, 0), (std::vector<int>{255, 255, 255}));

  PngSpec grey_alpha;
  grey_alpha.width = 3;
  grey_alpha.height = 1;
  grey_alpha.colour = PNG_COLOR_TYPE_GRAY_ALPHA;
  grey_alpha.data = {0, 255, 0, 0, 0, 128};
  write_png_file(path("ga.png"), grey_alpha);
  const Image ga = read_image(path("ga.png"));
  ASSERT_EQ(ga.channels, 1);
  EXPECT_EQ(ga.row(0)[0], 0);
  EXPECT_EQ(ga.row(0)[1], 255);
  EXPECT_NEAR(ga.row(0)[2], 127, 1);

  PngSpec rgba16;
  rgba16.width = 1;
  rgba16.height = 1;
  rgba16.depth = 16;
  rgba16.colour = PNG_COLOR_TYPE_RGB_ALPHA;
  rgba16.data = {0x12, 0x34, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF};  // big-endian: opaque
  write_png_file(path("rgba16.png"), rgba16);
  const Image deep = read_image(path("rgba16.png"));
  EXPECT_EQ(deep.bits, 16);
  EXPECT_EQ(deep.channels, 3);
  EXPECT_EQ(sample16(deep, 0, 0, 0), 0x1234);
  EXPECT_EQ(sample16(deep, 0, 0, 2), 0xFFFF);

  PngSpec two_bit;
  two_bit.width = 4;
  two_bit.height = 1;
  two_bit.depth = 2;
  two_bit.data = {0b00011011};
  write_png_file(path("two.png"), two_bit);
  const Image two = read_image(path("two.png"));
  EXPECT_FALSE(two.bitonal);
  EXPECT_EQ((std::vector<int>{two.row(0)[0], two.row(0)[1], two.row(0)[2], two.row(0)[3]}),
            (std::vector<int>{0, 85, 170, 255}));

  PngSpec adam7;
  adam7.width = 19;
  adam7.height = 13;
  adam7.colour = PNG_COLOR_TYPE_RGB;
  adam7.interlaced = true;
  adam7.data = sequence(19 * 13 * 3, 9, 5);
  write_png_file(path("adam7.png"), adam7);
  EXPECT_TRUE(read_image(path("adam7.png")).pixels == adam7.data);

  adam7.colour = PNG_COLOR_TYPE_GRAY_ALPHA;
  adam7.width = 19 * 3 / 2 + 1;
  adam7.data = Bytes(adam7.width * 13 * 2, 255);
  write_png_file(path("adam7a.png"), adam7);
  const Image a7 = read_image(path("adam7a.png"));
  EXPECT_EQ(a7.channels, 1);
  EXPECT_TRUE(std::all_of(a7.pixels.begin(), a7.pixels.end(), [](auto v) { return v == 255; }));
}

// --- JPEG 2000 -------------------------------------------------------------------------------

TEST_F(ImageIoTest, Jpeg2000FileAndCodestreamDecodeLosslessly) {
  const int w = 37, h = 29;
  std::vector<std::int32_t> rgb(static_cast<std::size_t>(w) * h * 3);
  for (std::size_t i = 0; i < rgb.size(); ++i) rgb[i] = static_cast<std::int32_t>((i * 7) % 256);
  testing::write_jpeg2000(path("rgb.jp2"), true, w, h, 3, 8, rgb);
  const Image colour = read_image(path("rgb.jp2"));
  ASSERT_EQ(colour.width, w);
  ASSERT_EQ(colour.height, h);
  ASSERT_EQ(colour.channels, 3);
  EXPECT_EQ(colour.bits, 8);
  const std::size_t n = static_cast<std::size_t>(w) * h;
  EXPECT_EQ(pixel(colour, 0, 0), (std::vector<int>{rgb[0], rgb[n], rgb[2 * n]}));
  EXPECT_EQ(pixel(colour, 5, 3),
            (std::vector<int>{rgb[3 * w + 5], rgb[n + 3 * w + 5], rgb[2 * n + 3 * w + 5]}));

  std::vector<std::int32_t> grey(n);
  for (std::size_t i = 0; i < n; ++i) grey[i] = static_cast<std::int32_t>((i * 977) % 65536);
  testing::write_jpeg2000(path("grey16.j2k"), false, w, h, 1, 16, grey);
  const Image deep = read_image(path("grey16.j2k"));
  EXPECT_EQ(deep.bits, 16);
  EXPECT_EQ(deep.channels, 1);
  EXPECT_EQ(sample16(deep, 4, 2, 0), grey[2 * w + 4]);

  // 12-bit precision is stretched to the 16-bit range: 4095 becomes 65535.
  std::vector<std::int32_t> twelve(n, 4095);
  twelve[1] = 0;
  twelve[2] = 2048;
  testing::write_jpeg2000(path("grey12.jp2"), true, w, h, 1, 12, twelve);
  const Image scaled = read_image(path("grey12.jp2"));
  EXPECT_EQ(scaled.bits, 16);
  EXPECT_EQ(sample16(scaled, 0, 0, 0), 65535);
  EXPECT_EQ(sample16(scaled, 1, 0, 0), 0);
  EXPECT_EQ(sample16(scaled, 2, 0, 0), (2048 * 65535 + 2047) / 4095);
}

TEST_F(ImageIoTest, TruncatedJpeg2000IsAnError) {
  std::vector<std::int32_t> grey(64 * 64);
  std::mt19937 rng(3);
  for (auto& v : grey) v = static_cast<std::int32_t>(rng() % 256);
  testing::write_jpeg2000(path("full.jp2"), true, 64, 64, 1, 8, grey);
  Bytes bytes = read_bytes(path("full.jp2"));
  bytes.resize(bytes.size() / 2);
  write_bytes(path("half.jp2"), bytes);
  expect_input_error(path("half.jp2"), "JPEG 2000");
}

// --- Netpbm ------------------------------------------------------------------------------------

TEST_F(ImageIoTest, NetpbmBinaryFormats) {
  // P4: 1 is ink. 10 pixels a row, padded to two bytes.
  Bytes p4 = {'P', '4', '\n', '#', ' ', 'c', '\n', '1', '0', ' ', '2', '\n'};
  p4.insert(p4.end(), {0b10000000, 0b01000000, 0b01111111, 0b10000000});
  write_bytes(path("a.pbm"), p4);
  const Image bits = read_image(path("a.pbm"));
  EXPECT_TRUE(bits.bitonal);
  EXPECT_EQ(bits.width, 10);
  EXPECT_EQ(bits.row(0)[0], 0);
  EXPECT_EQ(bits.row(0)[1], 255);
  EXPECT_EQ(bits.row(0)[9], 0);
  EXPECT_EQ(bits.row(1)[0], 255);
  EXPECT_EQ(bits.row(1)[1], 0);
  EXPECT_EQ(bits.row(1)[8], 0);
  EXPECT_EQ(bits.row(1)[9], 255);

  write_bytes(path("a.pgm"),
              {'P', '5', ' ', '3', ' ', '1', ' ', '2', '5', '5', '\n', 0, 0x7F, 0xFF});
  const Image grey = read_image(path("a.pgm"));
  EXPECT_EQ(grey.channels, 1);
  EXPECT_FALSE(grey.bitonal);
  EXPECT_EQ(pixel(grey, 1, 0)[0], 127);

  write_text(path("b.pgm"), std::string("P5 2 1 15\n") + "\x0F\x05");
  const Image fifteen = read_image(path("b.pgm"));
  EXPECT_EQ(pixel(fifteen, 0, 0)[0], 255);
  EXPECT_EQ(pixel(fifteen, 1, 0)[0], 85);

  write_bytes(path("deep.pgm"), {'P', '5', ' ', '2', ' ', '1', ' ', '6', '5', '5', '3', '5', '\n',
                                 0x12, 0x34, 0xFF, 0xFE});
  const Image deep = read_image(path("deep.pgm"));
  EXPECT_EQ(deep.bits, 16);
  EXPECT_EQ(sample16(deep, 0, 0, 0), 0x1234);
  EXPECT_EQ(sample16(deep, 1, 0, 0), 0xFFFE);

  write_bytes(path("ten.pgm"),
              {'P', '5', ' ', '1', ' ', '1', ' ', '1', '0', '2', '3', '\n', 0x03, 0xFF});
  EXPECT_EQ(sample16(read_image(path("ten.pgm")), 0, 0, 0), 65535);

  write_text(path("a.ppm"), std::string("P6\n2 1\n255\n") + "\x01\x02\x03\x04\x05\x06");
  const Image rgb = read_image(path("a.ppm"));
  EXPECT_EQ(rgb.channels, 3);
  EXPECT_EQ(pixel(rgb, 1, 0), (std::vector<int>{4, 5, 6}));
}

TEST_F(ImageIoTest, NetpbmAsciiFormats) {
  write_text(path("a.pbm"), "P1\n# comment\n3 2\n1 0 1\n010\n");
  const Image bits = read_image(path("a.pbm"));
  EXPECT_TRUE(bits.bitonal);
  EXPECT_EQ((std::vector<int>(bits.pixels.begin(), bits.pixels.end())),
            (std::vector<int>{0, 255, 0, 255, 0, 255}));
  write_text(path("a.pgm"), "P2 2 1 100 0 100\n");
  const Image grey = read_image(path("a.pgm"));
  EXPECT_EQ(pixel(grey, 1, 0)[0], 255);
  write_text(path("a.ppm"), "P3 1 1 255 7 8 9\n");
  EXPECT_EQ(pixel(read_image(path("a.ppm")), 0, 0), (std::vector<int>{7, 8, 9}));
}

// --- errors ------------------------------------------------------------------------------------

TEST_F(ImageIoTest, EmptyMissingGarbageAndForeignFilesAreNamed) {
  write_bytes(path("empty.tif"), {});
  expect_input_error(path("empty.tif"), "empty file");
  expect_input_error(path("missing.tif"), "no such file");
  write_text(path("garbage.tif"), "this is not an image at all");
  expect_input_error(path("garbage.tif"), "unsupported format");
  write_text(path("anim.gif"), "GIF89a\x01\x00\x01\x00");
  expect_input_error(path("anim.gif"), "unsupported format: GIF");
  write_text(path("doc.pdf"), "%PDF-1.7\n");
  expect_input_error(path("doc.pdf"), "PDF");
  write_bytes(path("pic.bmp"), {'B', 'M', 0x46, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0});
  expect_input_error(path("pic.bmp"), "BMP");
  EXPECT_THROW(count_pages(path("doc.pdf")), InputError);
}

TEST_F(ImageIoTest, TiffWithPixelsCutOffIsTruncated) {
  const Bytes full = minimal_tiff(100, 100, sequence(100 * 100));
  write_bytes(path("whole.tif"), full);
  EXPECT_TRUE(read_image(path("whole.tif")).pixels == sequence(100 * 100));
  write_bytes(path("cut.tif"), Bytes(full.begin(), full.begin() + 5000));
  expect_input_error(path("cut.tif"), "truncated TIFF");
}

TEST_F(ImageIoTest, TruncatedFilesAreReportedAsTruncated) {
  write_image(noise(300, 200, 3, 8), path("full.tif"), {});
  WriteOptions png;
  png.format = ImageFormat::png;
  write_image(noise(300, 200, 3, 8), path("full.png"), png);
  WriteOptions jpeg;
  jpeg.format = ImageFormat::jpeg;
  write_image(noise(300, 200, 3, 8), path("full.jpg"), jpeg);
  for (const char* name : {"full.tif", "full.png", "full.jpg"}) {
    SCOPED_TRACE(name);
    Bytes bytes = read_bytes(path(name));
    const std::string cut = std::string("cut") + fs::path(name).extension().string();
    bytes.resize(bytes.size() / 2);
    write_bytes(path(cut), bytes);
    expect_input_error(path(cut), "truncated");
  }
}

TEST_F(ImageIoTest, CorruptDataIsAnInputErrorNotACrash) {
  WriteOptions jpeg;
  jpeg.format = ImageFormat::jpeg;
  write_image(gradient(64, 64, 3), path("ok.jpg"), jpeg);
  Bytes bytes = read_bytes(path("ok.jpg"));
  // Overwrite the frame header's component count: libjpeg must refuse, not exit().
  for (std::size_t i = 0; i + 9 < bytes.size(); ++i) {
    if (bytes[i] == 0xFF && bytes[i + 1] == 0xC0) {
      bytes[i + 9] = 0;
      break;
    }
  }
  write_bytes(path("bad.jpg"), bytes);
  expect_input_error(path("bad.jpg"), "corrupt JPEG");

  WriteOptions png;
  png.format = ImageFormat::png;
  write_image(gradient(64, 64, 3), path("ok.png"), png);
  bytes = read_bytes(path("ok.png"));
  bytes[20] ^= 0xFF;  // IHDR height: CRC mismatch
  write_bytes(path("bad.png"), bytes);
  expect_input_error(path("bad.png"), "corrupt PNG");
}

TEST_F(ImageIoTest, PageOutOfRangeForSinglePageFormats) {
  WriteOptions png;
  png.format = ImageFormat::png;
  write_image(gradient(8, 8, 1), path("one.png"), png);
  EXPECT_EQ(count_pages(path("one.png")), 1);
  ReadOptions options;
  options.page = 1;
  expect_input_error(path("one.png"), "page 1 is out of range (the file has 1 page)", options);
  write_image(gradient(8, 8, 1), path("one.tif"), {});
  EXPECT_EQ(count_pages(path("one.tif")), 1);
  expect_input_error(path("one.tif"), "page 1 is out of range", options);
}

// Tiny files whose headers declare 100000 x 100000 pixels: refused by the pixel limit before
// anything of that size is allocated.
TEST_F(ImageIoTest, DecompressionBombsAreRefusedBeforeAllocating) {
  // TIFF: header and one IFD, no pixel data worth mentioning.
  {
    TIFF* tif = TIFFOpen(path("bomb.tif").c_str(), "w");
    ASSERT_NE(tif, nullptr);
    TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, 100000u);
    TIFFSetField(tif, TIFFTAG_IMAGELENGTH, 100000u);
    TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 1);
    TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 1);
    TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
    TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX4);
    TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, 100000u);
    const Bytes nothing(16, 0);
    TIFFWriteRawStrip(tif, 0, const_cast<std::uint8_t*>(nothing.data()), 16);
    TIFFWriteDirectory(tif);
    TIFFClose(tif);
  }
  // PNG: signature, IHDR and an empty IDAT.
  Bytes png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
  put32(png, 100000);
  put32(png, 100000);
  png.insert(png.end(), {8, 2, 0, 0, 0});
  put32(png, static_cast<std::uint32_t>(crc32(0, png.data() + 12, 17)));
  const std::size_t idat = png.size();
  png.insert(png.end(), {0, 0, 0, 0, 'I', 'D', 'A', 'T'});
  put32(png, static_cast<std::uint32_t>(crc32(0, png.data() + idat + 4, 4)));
  write_bytes(path("bomb.png"), png);
  write_text(path("bomb.pgm"), "P5 100000 100000 255\n");
  // JPEG: 65000 x 65000 with a 1 M pixel limit.
  write_jpeg_with_exif(path("small.jpg"), 16, 16, 1);
  Bytes jpeg = read_bytes(path("small.jpg"));
  for (std::size_t i = 0; i + 8 < jpeg.size(); ++i) {
    if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0) {
      jpeg[i + 5] = jpeg[i + 7] = 0xFD;
      jpeg[i + 6] = jpeg[i + 8] = 0xE8;
      break;
    }
  }
  write_bytes(path("bomb.jpg"), jpeg);

  for (const char* name : {"bomb.tif", "bomb.png", "bomb.pgm", "bomb.jpg"}) {
    SCOPED_TRACE(name);
    ReadOptions options;
    if (std::string(name) == "bomb.jpg") options.max_pixels = 1'000'000;
    g_largest = 0;
    g_probe = true;
    try {
      (void)read_image(path(name), options);
      g_probe = false;
      ADD_FAILURE() << "no error";
    } catch (const InputError& e) {
      g_probe = false;
      const std::string message = e.what();
      EXPECT_NE(message.find("decompression bomb"), std::string::npos) << message;
      EXPECT_NE(message.find("exceeds the limit"), std::string::npos) << message;
    }
    EXPECT_LT(g_largest.load(), std::size_t{1} << 20);
  }
}

TEST_F(ImageIoTest, ImagesWithinTheLimitAreRead) {
  write_image(gradient(100, 100, 1), path("ok.tif"), {});
  ReadOptions options;
  options.max_pixels = 10'000;
  EXPECT_EQ(read_image(path("ok.tif"), options).width, 100);
  options.max_pixels = 9'999;
  expect_input_error(path("ok.tif"), "exceeds the limit of 9999 pixels", options);
}

// --- writing -------------------------------------------------------------------------------------

TEST_F(ImageIoTest, WritingIntoAMissingDirectoryLeavesNothing) {
  const fs::path target = path("no/such/dir/out.tif");
  EXPECT_THROW(write_image(gradient(8, 8, 1), target, {}), EnvironmentError);
  EXPECT_FALSE(fs::exists(target));
  EXPECT_FALSE(fs::exists(path("no")));
}

TEST_F(ImageIoTest, WritingReplacesAnExistingFileCompletelyAndLeavesNoTemporaries) {
  write_bytes(path("out.png"), Bytes(1'000'000, 0xAB));
  WriteOptions png;
  png.format = ImageFormat::png;
  const Image image = gradient(8, 8, 3);
  write_image(image, path("out.png"), png);
  EXPECT_LT(fs::file_size(path("out.png")), 10'000u);
  EXPECT_TRUE(read_image(path("out.png")).pixels == image.pixels);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(ImageIoTest, AFailedWriteLeavesNoTemporaryAndKeepsTheOldFile) {
  // The target is a directory: everything is encoded, the final rename fails.
  fs::create_directories(path("taken.tif"));
  EXPECT_THROW(write_image(gradient(8, 8, 1), path("taken.tif"), {}), EnvironmentError);
  EXPECT_TRUE(fs::is_directory(path("taken.tif")));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(ImageIoTest, ImagesAFormatCannotHoldAreInputErrors) {
  Image two = Image::blank(4, 4, 2, 8);
  EXPECT_THROW(write_image(two, path("two.tif"), {}), InputError);
  Image wide = Image::blank(70000, 1, 1, 8);
  WriteOptions jpeg;
  jpeg.format = ImageFormat::jpeg;
  EXPECT_THROW(write_image(wide, path("wide.jpg"), jpeg), InputError);
  Image broken = Image::blank(4, 4, 3, 8);
  broken.pixels.resize(5);
  EXPECT_THROW(write_image(broken, path("broken.png"), {}), InputError);
  EXPECT_FALSE(fs::exists(path("two.tif")));
  EXPECT_FALSE(fs::exists(path("wide.jpg")));
}

TEST(ImageFormatTest, ExtensionsMapToFormatsBothWays) {
  EXPECT_EQ(format_for_extension("a/b.tif"), ImageFormat::tiff);
  EXPECT_EQ(format_for_extension("B.TIFF"), ImageFormat::tiff);
  EXPECT_EQ(format_for_extension("c.JPG"), ImageFormat::jpeg);
  EXPECT_EQ(format_for_extension("c.jpeg"), ImageFormat::jpeg);
  EXPECT_EQ(format_for_extension("d.Png"), ImageFormat::png);
  EXPECT_THROW(format_for_extension("e.gif"), UsageError);
  EXPECT_THROW(format_for_extension("noextension"), UsageError);
  for (const auto f : {ImageFormat::tiff, ImageFormat::jpeg, ImageFormat::png}) {
    EXPECT_EQ(format_for_extension("x" + extension_of(f)), f);
  }
  EXPECT_EQ(extension_of(ImageFormat::tiff), ".tif");
}

// --- real scans (../shared/data); sizes as ImageMagick's identify reports them ---------------

TEST(ImageIoSamples, UnpaperBitmapPage) {
  const fs::path file = testing::kSharedData / "scans/unpaper/goldenA1.pbm";
  REQUIRE_SAMPLES(file);
  const Image image = read_image(file);
  EXPECT_EQ(image.width, 2480);
  EXPECT_EQ(image.height, 3507);
  EXPECT_EQ(image.channels, 1);
  EXPECT_TRUE(image.bitonal);
  const auto ink = std::count(image.pixels.begin(), image.pixels.end(), 0);
  const auto paper = std::count(image.pixels.begin(), image.pixels.end(), 255);
  EXPECT_EQ(ink + paper, static_cast<long>(image.pixels.size()));
  EXPECT_GT(paper, ink);  // a page is mostly paper
  EXPECT_GT(ink, 0);
}

TEST(ImageIoSamples, UnpaperPngPage) {
  const fs::path file = testing::kSharedData / "scans/unpaper/imgsrc001.png";
  REQUIRE_SAMPLES(file);
  const Image image = read_image(file);
  EXPECT_EQ(image.width, 2480);
  EXPECT_EQ(image.height, 3507);
  EXPECT_EQ(image.channels, 1);
  EXPECT_TRUE(image.bitonal);  // 1-bit grey
}

TEST(ImageIoSamples, KantTiff) {
  const fs::path file = testing::kSharedData / "scans/ocrd/kant_aufklaerung_1784__INPUT_0017.tif";
  REQUIRE_SAMPLES(file);
  EXPECT_EQ(count_pages(file), 1);
  const Image image = read_image(file);
  EXPECT_EQ(image.width, 1457);
  EXPECT_EQ(image.height, 2083);
  EXPECT_EQ(image.channels, 3);
  EXPECT_EQ(image.bits, 8);
  EXPECT_DOUBLE_EQ(image.ppi_x, 300);
  EXPECT_DOUBLE_EQ(image.ppi_y, 300);
  EXPECT_EQ(image.icc_profile.size(), 669057u);
  // Old paper: light, warm, not grey noise.
  double r = 0, b = 0;
  for (std::size_t i = 0; i < image.pixels.size(); i += 3) {
    r += image.pixels[i];
    b += image.pixels[i + 2];
  }
  EXPECT_GT(r, b);
}

TEST(ImageIoSamples, LeptonicaJpeg) {
  const fs::path file =
      testing::kSharedData / "scans/ocrd/leptonica_samples__OCR-D-IMG_1555_003.jpg";
  REQUIRE_SAMPLES(file);
  const Image image = read_image(file);
  EXPECT_EQ(image.width, 927);
  EXPECT_EQ(image.height, 1390);
  EXPECT_EQ(image.channels, 3);
  EXPECT_EQ(image.bits, 8);
}

}  // namespace
}  // namespace findbuch

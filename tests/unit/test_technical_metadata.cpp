// Proves the header reader on files made here with the real libraries (libtiff, libjpeg, OpenJPEG)
// and hand-built PNG and JP2 files: every metadata field is read back, and truncated, mutated,
// oversized or foreign files end in an InputError naming the reason, never in a crash.
#include "imaging/technical_metadata.hpp"
#include "support/bytes.hpp"
#include "support/jpeg2000_writer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>

#include <jpeglib.h>
#include <openjpeg.h>
#include <tiffio.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace findbuch {
namespace {

namespace fs = std::filesystem;
using testing::Bytes;
using testing::read_bytes;
using testing::write_bytes;

fs::path unique_dir(const std::string& stem) {
  static std::atomic<int> counter{0};
  const fs::path dir = fs::temp_directory_path() /
                       (stem + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void put16(Bytes& b, unsigned v) {
  b.push_back(static_cast<unsigned char>(v >> 8));
  b.push_back(static_cast<unsigned char>(v));
}
void put32(Bytes& b, std::uint32_t v) {
  put16(b, v >> 16);
  put16(b, v & 0xFFFF);
}
void put(Bytes& b, const std::string& s) {
  b.insert(b.end(), s.begin(), s.end());
}

// A minimal ICC profile holding only a description tag, either v2 'desc' (ASCII) or v4 'mluc'
// (UTF-16BE); `padding` bytes before the tag make it span several JPEG APP2 chunks.
Bytes icc_profile(const std::string& description, bool mluc, std::size_t padding = 0) {
  Bytes tag;
  if (mluc) {
    put(tag, "mluc");
    put32(tag, 0);
    put32(tag, 1);   // records
    put32(tag, 12);  // record size
    put(tag, "enUS");
    put32(tag, static_cast<std::uint32_t>(description.size() * 2));
    put32(tag, 28);
    for (const char c : description) put16(tag, static_cast<unsigned char>(c));
  } else {
    put(tag, "desc");
    put32(tag, 0);
    put32(tag, static_cast<std::uint32_t>(description.size() + 1));
    put(tag, description);
    tag.push_back(0);
    tag.resize(tag.size() + 4 + 4 + 2 + 1 + 67, 0);  // empty Unicode and ScriptCode parts
  }
  const std::uint32_t tag_offset = static_cast<std::uint32_t>(128 + 4 + 12 + padding);
  Bytes p(128, 0);
  std::memcpy(&p[36], "acsp", 4);
  put32(p, 1);
  put(p, "desc");
  put32(p, tag_offset);
  put32(p, static_cast<std::uint32_t>(tag.size()));
  p.resize(p.size() + padding, 0);
  p.insert(p.end(), tag.begin(), tag.end());
  const auto size = static_cast<std::uint32_t>(p.size());
  p[0] = static_cast<unsigned char>(size >> 24);
  p[1] = static_cast<unsigned char>(size >> 16);
  p[2] = static_cast<unsigned char>(size >> 8);
  p[3] = static_cast<unsigned char>(size);
  return p;
}

struct TiffSpec {
  std::uint32_t width = 16, height = 12;
  std::uint16_t bits = 8, samples = 3, photometric = PHOTOMETRIC_RGB;
  std::uint16_t compression = COMPRESSION_NONE;
  int pages = 1;
  std::function<void(TIFF*)> extra;
};

void write_tiff(const fs::path& file, const TiffSpec& spec) {
  TIFF* tif = TIFFOpen(file.c_str(), "w");
  ASSERT_NE(tif, nullptr);
  for (int page = 0; page < spec.pages; ++page) {
    TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, spec.width);
    TIFFSetField(tif, TIFFTAG_IMAGELENGTH, spec.height);
    TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, spec.bits);
    TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, spec.samples);
    TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, spec.photometric);
    TIFFSetField(tif, TIFFTAG_COMPRESSION, spec.compression);
    TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, 4u);
    if (spec.pages > 1) TIFFSetField(tif, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
    if (spec.extra) spec.extra(tif);
    std::vector<unsigned char> row(static_cast<std::size_t>(TIFFScanlineSize(tif)));
    for (std::uint32_t y = 0; y < spec.height; ++y) {
      for (std::size_t x = 0; x < row.size(); ++x) row[x] = static_cast<unsigned char>(x * 7 + y);
      ASSERT_EQ(TIFFWriteScanline(tif, row.data(), y, 0), 1);
    }
    ASSERT_EQ(TIFFWriteDirectory(tif), 1);
  }
  TIFFClose(tif);
}

struct JpegSpec {
  int width = 24, height = 16, components = 3;
  bool progressive = false, jfif = true;
  int density_unit = 0, density = 1;
  Bytes exif;  // APP1 payload after "Exif\0\0"
  Bytes icc;
};

void write_jpeg(const fs::path& file, const JpegSpec& spec) {
  FILE* out = std::fopen(file.c_str(), "wb");
  ASSERT_NE(out, nullptr);
  jpeg_compress_struct cinfo{};
  jpeg_error_mgr jerr{};
  cinfo.err = jpeg_std_error(&jerr);
  jpeg_create_compress(&cinfo);
  jpeg_stdio_dest(&cinfo, out);
  cinfo.image_width = static_cast<JDIMENSION>(spec.width);
  cinfo.image_height = static_cast<JDIMENSION>(spec.height);
  cinfo.input_components = spec.components;
  cinfo.in_color_space = spec.components == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&cinfo);
  cinfo.write_JFIF_header = spec.jfif ? TRUE : FALSE;
  cinfo.density_unit = static_cast<UINT8>(spec.density_unit);
  cinfo.X_density = static_cast<UINT16>(spec.density);
  cinfo.Y_density = static_cast<UINT16>(spec.density);
  if (spec.progressive) jpeg_simple_progression(&cinfo);
  jpeg_start_compress(&cinfo, TRUE);
  if (!spec.exif.empty()) {
    Bytes app1 = {'E', 'x', 'i', 'f', 0, 0};
    app1.insert(app1.end(), spec.exif.begin(), spec.exif.end());
    jpeg_write_marker(&cinfo, JPEG_APP0 + 1, app1.data(), static_cast<unsigned>(app1.size()));
  }
  if (!spec.icc.empty()) {
    jpeg_write_icc_profile(&cinfo, spec.icc.data(), static_cast<unsigned>(spec.icc.size()));
  }
  std::vector<unsigned char> row(static_cast<std::size_t>(spec.width * spec.components));
  while (cinfo.next_scanline < cinfo.image_height) {
    for (std::size_t x = 0; x < row.size(); ++x) {
      row[x] = static_cast<unsigned char>(x * 5 + cinfo.next_scanline * 3);
    }
    JSAMPROW rows[1] = {row.data()};
    jpeg_write_scanlines(&cinfo, rows, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  std::fclose(out);
}

// Big-endian Exif IFD0 with Make, Model, Software, DateTime, XResolution and ResolutionUnit.
Bytes exif_block(double xres, unsigned unit) {
  const std::vector<std::pair<unsigned, std::string>> texts = {{0x10F, "Phase One"},
                                                               {0x110, "IQ4 150MP"},
                                                               {0x131, "Capture One 23"},
                                                               {0x132, "2023:04:05 06:07:08"}};
  const unsigned entries = static_cast<unsigned>(texts.size()) + 2;
  std::uint32_t data_at = 8 + 2 + 12 * entries + 4;
  Bytes ifd, data;
  for (const auto& [tag, text] : texts) {
    put16(ifd, tag);
    put16(ifd, 2);
    put32(ifd, static_cast<std::uint32_t>(text.size() + 1));
    put32(ifd, data_at + static_cast<std::uint32_t>(data.size()));
    put(data, text);
    data.push_back(0);
  }
  put16(ifd, 0x11A);
  put16(ifd, 5);
  put32(ifd, 1);
  put32(ifd, data_at + static_cast<std::uint32_t>(data.size()));
  put32(data, static_cast<std::uint32_t>(xres * 100));
  put32(data, 100);
  put16(ifd, 0x128);
  put16(ifd, 3);
  put32(ifd, 1);
  put16(ifd, unit);
  put16(ifd, 0);
  Bytes t = {'M', 'M', 0, 42, 0, 0, 0, 8};
  put16(t, entries);
  t.insert(t.end(), ifd.begin(), ifd.end());
  put32(t, 0);  // no next IFD
  t.insert(t.end(), data.begin(), data.end());
  return t;
}

void put_chunk(Bytes& png, const std::string& type, const Bytes& data) {
  put32(png, static_cast<std::uint32_t>(data.size()));
  Bytes body(type.begin(), type.end());
  body.insert(body.end(), data.begin(), data.end());
  png.insert(png.end(), body.begin(), body.end());
  put32(png, static_cast<std::uint32_t>(crc32(0, body.data(), static_cast<uInt>(body.size()))));
}

Bytes make_png(std::uint32_t width, std::uint32_t height) {
  Bytes png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  Bytes ihdr;
  put32(ihdr, width);
  put32(ihdr, height);
  ihdr.insert(ihdr.end(), {8, 2, 0, 0, 0});  // 8-bit RGB, deflate, no filter, no interlace
  put_chunk(png, "IHDR", ihdr);
  Bytes phys;
  put32(phys, 11811);  // pixels per metre = 300 ppi
  put32(phys, 11811);
  phys.push_back(1);
  put_chunk(png, "pHYs", phys);
  Bytes text;
  put(text, "Software");
  text.push_back(0);
  put(text, "Scanner Suite 4.2");
  put_chunk(png, "tEXt", text);
  text.clear();
  put(text, "Creation Time");
  text.push_back(0);
  put(text, "2021-02-03T04:05:06");
  put_chunk(png, "tEXt", text);
  Bytes iccp;
  put(iccp, "Caf\xE9 RGB");  // Latin-1 é
  iccp.push_back(0);
  iccp.push_back(0);  // compression method
  const Bytes profile = icc_profile("ignored", false);
  uLongf packed_size = compressBound(static_cast<uLong>(profile.size()));
  Bytes packed(packed_size);
  compress(packed.data(), &packed_size, profile.data(), static_cast<uLong>(profile.size()));
  iccp.insert(iccp.end(), packed.begin(),
              packed.begin() + static_cast<std::ptrdiff_t>(packed_size));
  put_chunk(png, "iCCP", iccp);
  if (width <= 64 && height <= 64) {
    const Bytes raw(static_cast<std::size_t>(height) * (1 + 3 * width), 0);
    packed_size = compressBound(static_cast<uLong>(raw.size()));
    packed.assign(packed_size, 0);
    compress(packed.data(), &packed_size, raw.data(), static_cast<uLong>(raw.size()));
    packed.resize(packed_size);
  } else {
    packed = {0x78, 0x9C};  // never decoded: the header check comes first
  }
  put_chunk(png, "IDAT", packed);
  put_chunk(png, "IEND", {});
  return png;
}

// JPEG 2000 through OpenJPEG: the JP2 file format or a raw J2K codestream, 5-3 reversible
// (lossless) or 9-7 irreversible (lossy) wavelet.

void put_box(Bytes& out, const std::string& type, const Bytes& payload) {
  put32(out, static_cast<std::uint32_t>(8 + payload.size()));
  put(out, type);
  out.insert(out.end(), payload.begin(), payload.end());
}

// A hand-made JP2: signature, ftyp, jp2h (ihdr, `colr`, optional res/resc) and a jp2c holding a
// main header (SOC, SIZ, COD with the 5-3 wavelet, QCD), one empty tile part and EOC. The ihdr
// can declare other dimensions than the SIZ to make the two disagree.
struct Jp2Spec {
  std::uint32_t width = 40, height = 30;
  std::uint32_t ihdr_width = 0, ihdr_height = 0;  // 0: as the codestream
  Bytes colr = {1, 0, 0, 0, 0, 0, 16};            // enumerated sRGB
  Bytes resc;                                     // payload of a capture resolution box
};

Bytes make_jp2(const Jp2Spec& spec) {
  Bytes jp2;
  put_box(jp2, "jP  ", {0x0D, 0x0A, 0x87, 0x0A});
  Bytes ftyp;
  put(ftyp, "jp2 ");
  put32(ftyp, 0);
  put(ftyp, "jp2 ");
  put_box(jp2, "ftyp", ftyp);
  Bytes ihdr;
  put32(ihdr, spec.ihdr_height ? spec.ihdr_height : spec.height);
  put32(ihdr, spec.ihdr_width ? spec.ihdr_width : spec.width);
  put16(ihdr, 3);
  ihdr.insert(ihdr.end(), {7, 7, 0, 0});  // 8 bits, wavelet compression, no UnkC, no IPR
  Bytes jp2h;
  put_box(jp2h, "ihdr", ihdr);
  put_box(jp2h, "colr", spec.colr);
  if (!spec.resc.empty()) {
    Bytes res;
    put_box(res, "resc", spec.resc);
    put_box(jp2h, "res ", res);
  }
  put_box(jp2, "jp2h", jp2h);
  Bytes cs = {0xFF, 0x4F, 0xFF, 0x51};
  put16(cs, 38 + 3 * 3);
  put16(cs, 0);  // Rsiz
  put32(cs, spec.width);
  put32(cs, spec.height);
  put32(cs, 0);
  put32(cs, 0);
  put32(cs, spec.width);  // one tile
  put32(cs, spec.height);
  put32(cs, 0);
  put32(cs, 0);
  put16(cs, 3);
  for (int c = 0; c < 3; ++c) cs.insert(cs.end(), {7, 1, 1});
  cs.insert(cs.end(), {0xFF, 0x52, 0, 12, 0, 0, 0, 1, 1, 5, 4, 4, 0, 1});  // COD, 5-3
  cs.insert(cs.end(), {0xFF, 0x5C, 0, 4, 0x40, 0x40});                     // QCD, no quantisation
  cs.insert(cs.end(), {0xFF, 0x90, 0, 10, 0, 0, 0, 0, 0, 14, 0, 1});       // SOT
  cs.insert(cs.end(), {0xFF, 0x93, 0xFF, 0xD9});                           // SOD, EOC
  put_box(jp2, "jp2c", cs);
  return jp2;
}

// Offset of the first top-level box of `type` in a JP2 file.
std::size_t jp2_box_offset(const Bytes& jp2, const std::string& type) {
  for (std::size_t at = 0; at + 8 <= jp2.size();) {
    const std::uint32_t length = static_cast<std::uint32_t>(jp2[at]) << 24 | jp2[at + 1] << 16 |
                                 jp2[at + 2] << 8 | jp2[at + 3];
    if (std::memcmp(&jp2[at + 4], type.data(), 4) == 0) return at;
    if (length < 8) break;
    at += length;
  }
  ADD_FAILURE() << "no box " << type;
  return 0;
}

std::string error_of(const fs::path& file, std::uint64_t max_pixels = 1'000'000'000) {
  try {
    read_technical_metadata(file, max_pixels);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// Every prefix of a valid file must be rejected with InputError.
void expect_all_prefixes_rejected(const fs::path& good, const fs::path& cut) {
  const Bytes bytes = read_bytes(good);
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    write_bytes(cut, Bytes(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n)));
    EXPECT_THROW(read_technical_metadata(cut), InputError)
        << "cut at " << n << " of " << bytes.size();
  }
}

// Random byte changes must give either metadata or an InputError, never a crash or another error.
void expect_mutations_survive(const fs::path& good, const fs::path& bad, unsigned seed) {
  const Bytes bytes = read_bytes(good);
  std::mt19937 rng(seed);
  for (int round = 0; round < 300; ++round) {
    Bytes mutated = bytes;
    const int changes = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < changes; ++k) {
      // Keep the signature so the format-specific parser is exercised.
      const std::size_t at = 4 + rng() % (mutated.size() - 4);
      mutated[at] = static_cast<unsigned char>(rng());
    }
    write_bytes(bad, mutated);
    try {
      read_technical_metadata(bad);
    } catch (const InputError&) {
    }
  }
}

class TechnicalMetadataTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = unique_dir("findbuch-techmd"); }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(TechnicalMetadataTest, TiffRgbLzwWithCaptureTags) {
  const fs::path file = dir_ / "rgb.tif";
  TiffSpec spec;
  spec.compression = COMPRESSION_LZW;
  spec.extra = [](TIFF* tif) {
    TIFFSetField(tif, TIFFTAG_XRESOLUTION, 300.0f);
    TIFFSetField(tif, TIFFTAG_YRESOLUTION, 300.0f);
    TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
    TIFFSetField(tif, TIFFTAG_MAKE, "Zeutschel");
    TIFFSetField(tif, TIFFTAG_MODEL, "OS 16000");
    TIFFSetField(tif, TIFFTAG_SOFTWARE, "Omniscan 12.4");
    TIFFSetField(tif, TIFFTAG_DATETIME, "2024:01:31 13:45:59");
  };
  write_tiff(file, spec);
  const TechnicalMetadata m = read_technical_metadata(file);
  EXPECT_EQ(m.format, "TIFF");
  EXPECT_EQ(m.compression, "LZW");
  EXPECT_EQ(m.file_size, fs::file_size(file));
  EXPECT_EQ(m.width, 16u);
  EXPECT_EQ(m.height, 12u);
  EXPECT_EQ(m.bits_per_sample, 8);
  EXPECT_EQ(m.samples_per_pixel, 3);
  EXPECT_EQ(m.colour_space, "RGB");
  EXPECT_EQ(m.icc_profile, "");
  EXPECT_DOUBLE_EQ(m.ppi, 300);
  EXPECT_EQ(m.make, "Zeutschel");
  EXPECT_EQ(m.model, "OS 16000");
  EXPECT_EQ(m.software, "Omniscan 12.4");
  EXPECT_EQ(m.capture_date, "2024-01-31T13:45:59");
  EXPECT_EQ(m.pages, 1);
}

TEST_F(TechnicalMetadataTest, TiffBilevelG4) {
  const fs::path file = dir_ / "g4.tif";
  TiffSpec spec;
  spec.width = 64;
  spec.bits = 1;
  spec.samples = 1;
  spec.photometric = PHOTOMETRIC_MINISWHITE;
  spec.compression = COMPRESSION_CCITTFAX4;
  write_tiff(file, spec);
  const TechnicalMetadata m = read_technical_metadata(file);
  EXPECT_EQ(m.compression, "CCITT G4");
  EXPECT_EQ(m.colour_space, "bilevel");
  EXPECT_EQ(m.bits_per_sample, 1);
  EXPECT_EQ(m.samples_per_pixel, 1);
  EXPECT_EQ(m.width, 64u);
  EXPECT_EQ(m.ppi, 0);
  EXPECT_EQ(m.make, "");
  EXPECT_EQ(m.capture_date, "");
}

TEST_F(TechnicalMetadataTest, TiffGrey16DeflateWithResolutionInCentimetres) {
  const fs::path file = dir_ / "grey16.tif";
  TiffSpec spec;
  spec.bits = 16;
  spec.samples = 1;
  spec.photometric = PHOTOMETRIC_MINISBLACK;
  spec.compression = COMPRESSION_ADOBE_DEFLATE;
  spec.extra = [](TIFF* tif) {
    TIFFSetField(tif, TIFFTAG_XRESOLUTION, 118.11f);
    TIFFSetField(tif, TIFFTAG_YRESOLUTION, 118.11f);
    TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, RESUNIT_CENTIMETER);
  };
  write_tiff(file, spec);
  const TechnicalMetadata m = read_technical_metadata(file);
  EXPECT_EQ(m.compression, "Deflate");
  EXPECT_EQ(m.colour_space, "grey");
  EXPECT_EQ(m.bits_per_sample, 16);
  EXPECT_EQ(m.samples_per_pixel, 1);
  EXPECT_NEAR(m.ppi, 300, 0.01);
}

TEST_F(TechnicalMetadataTest, TiffResolutionUnitNoneGivesNoPpi) {
  const fs::path file = dir_ / "nounit.tif";
  TiffSpec spec;
  spec.extra = [](TIFF* tif) {
    TIFFSetField(tif, TIFFTAG_XRESOLUTION, 72.0f);
    TIFFSetField(tif, TIFFTAG_YRESOLUTION, 72.0f);
    TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, RESUNIT_NONE);
  };
  write_tiff(file, spec);
  EXPECT_EQ(read_technical_metadata(file).ppi, 0);
}

TEST_F(TechnicalMetadataTest, TiffCountsPages) {
  const fs::path file = dir_ / "two.tif";
  TiffSpec spec;
  spec.pages = 2;
  spec.compression = COMPRESSION_PACKBITS;
  write_tiff(file, spec);
  const TechnicalMetadata m = read_technical_metadata(file);
  EXPECT_EQ(m.pages, 2);
  EXPECT_EQ(m.compression, "PackBits");
}

TEST_F(TechnicalMetadataTest, BigTiffIsRead) {
  const fs::path file = dir_ / "big.tif";
  TIFF* tif = TIFFOpen(file.c_str(), "w8");
  ASSERT_NE(tif, nullptr);
  TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, 8u);
  TIFFSetField(tif, TIFFTAG_IMAGELENGTH, 8u);
  TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 8);
  TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 1);
  TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
  const Bytes row(8, 128);
  for (std::uint32_t y = 0; y < 8; ++y)
    TIFFWriteScanline(tif, const_cast<unsigned char*>(row.data()), y, 0);
  TIFFClose(tif);
  const TechnicalMetadata m = read_technical_metadata(file);
  EXPECT_EQ(m.format, "TIFF");
  EXPECT_EQ(m.colour_space, "grey");
  EXPECT_EQ(m.compression, "none");
}

TEST_F(TechnicalMetadataTest, TiffIccProfileDescription) {
  const fs::path v2 = dir_ / "icc2.tif", v4 = dir_ / "icc4.tif";
  for (const bool mluc : {false, true}) {
    const Bytes profile = icc_profile(mluc ? "eciRGB v2 (v4)" : "Adobe RGB (1998)", mluc);
    TiffSpec spec;
    spec.extra = [&profile](TIFF* tif) {
      TIFFSetField(tif, TIFFTAG_ICCPROFILE, static_cast<std::uint32_t>(profile.size()),
                   profile.data());
    };
    write_tiff(mluc ? v4 : v2, spec);
  }
  EXPECT_EQ(read_technical_metadata(v2).icc_profile, "Adobe RGB (1998)");
  EXPECT_EQ(read_technical_metadata(v4).icc_profile, "eciRGB v2 (v4)");
}

TEST_F(TechnicalMetadataTest, JpegBaselineGreyWithExif) {
  const fs::path file = dir_ / "grey.jpg";
  JpegSpec spec;
  spec.components = 1;
  spec.jfif = false;
  spec.exif = exif_block(400, 2);
  write_jpeg(file, spec);
  const TechnicalMetadata m = read_technical_metadata(file);
  EXPECT_EQ(m.format, "JPEG");
  EXPECT_EQ(m.compression, "JPEG baseline");
  EXPECT_EQ(m.file_size, fs::file_size(file));
  EXPECT_EQ(m.width, 24u);
  EXPECT_EQ(m.height, 16u);
  EXPECT_EQ(m.bits_per_sample, 8);
  EXPECT_EQ(m.samples_per_pixel, 1);
  EXPECT_EQ(m.colour_space, "grey");
  EXPECT_EQ(m.icc_profile, "");
  EXPECT_DOUBLE_EQ(m.ppi, 400);
  EXPECT_EQ(m.make, "Phase One");
  EXPECT_EQ(m.model, "IQ4 150MP");
  EXPECT_EQ(m.software, "Capture One 23");
  EXPECT_EQ(m.capture_date, "2023-04-05T06:07:08");
  EXPECT_EQ(m.pages, 1);
}

TEST_F(TechnicalMetadataTest, JpegProgressiveRgbWithJfifDensityAndChunkedIcc) {
  const fs::path file = dir_ / "rgb.jpg";
  JpegSpec spec;
  spec.progressive = true;
  spec.density_unit = 1;
  spec.density = 300;
  spec.exif = exif_block(72, 2);  // JFIF density wins over Exif
  // Over 65519 bytes: libjpeg splits it into two APP2 chunks, the 'desc' tag in the second.
  spec.icc = icc_profile("ISO Coated v2", true, 70000);
  write_jpeg(file, spec);
  const TechnicalMetadata m = read_technical_metadata(file);
  EXPECT_EQ(m.compression, "JPEG progressive");
  EXPECT_EQ(m.colour_space, "YCbCr");
  EXPECT_EQ(m.samples_per_pixel, 3);
  EXPECT_EQ(m.bits_per_sample, 8);
  EXPECT_DOUBLE_EQ(m.ppi, 300);
  EXPECT_EQ(m.icc_profile, "ISO Coated v2");
  EXPECT_EQ(m.make, "Phase One");
}

TEST_F(TechnicalMetadataTest, JpegDensityInCentimetres) {
  const fs::path file = dir_ / "cm.jpg";
  JpegSpec spec;
  spec.density_unit = 2;
  spec.density = 100;
  write_jpeg(file, spec);
  EXPECT_NEAR(read_technical_metadata(file).ppi, 254, 1e-9);
}

TEST_F(TechnicalMetadataTest, PngAllFields) {
  const fs::path file = dir_ / "scan.png";
  write_bytes(file, make_png(5, 3));
  const TechnicalMetadata m = read_technical_metadata(file);
  EXPECT_EQ(m.format, "PNG");
  EXPECT_EQ(m.compression, "Deflate");
  EXPECT_EQ(m.file_size, fs::file_size(file));
  EXPECT_EQ(m.width, 5u);
  EXPECT_EQ(m.height, 3u);
  EXPECT_EQ(m.bits_per_sample, 8);
  EXPECT_EQ(m.samples_per_pixel, 3);
  EXPECT_EQ(m.colour_space, "RGB");
  EXPECT_EQ(m.icc_profile, "Caf\xC3\xA9 RGB");
  EXPECT_NEAR(m.ppi, 299.9994, 1e-6);
  EXPECT_EQ(m.software, "Scanner Suite 4.2");
  EXPECT_EQ(m.capture_date, "2021-02-03T04:05:06");
  EXPECT_EQ(m.make, "");
  EXPECT_EQ(m.pages, 1);
}

TEST_F(TechnicalMetadataTest, PngBadCrcIsRejected) {
  const fs::path file = dir_ / "crc.png";
  Bytes png = make_png(5, 3);
  png[8 + 8 + 3] ^= 1;  // width byte inside IHDR
  write_bytes(file, png);
  EXPECT_NE(error_of(file).find("CRC"), std::string::npos);
}

TEST_F(TechnicalMetadataTest, DecompressionBombsAreRejectedFromTheHeader) {
  const fs::path png = dir_ / "bomb.png";
  write_bytes(png, make_png(100000, 100000));
  const std::string message = error_of(png);
  EXPECT_NE(message.find("limit"), std::string::npos) << message;
  EXPECT_NE(message.find("bomb.png"), std::string::npos) << message;

  const fs::path tif = dir_ / "small.tif";
  write_tiff(tif, TiffSpec{});
  EXPECT_NE(error_of(tif, 100).find("limit of 100 pixels"), std::string::npos);
  const fs::path jpg = dir_ / "small.jpg";
  write_jpeg(jpg, JpegSpec{});
  EXPECT_NE(error_of(jpg, 100).find("limit of 100 pixels"), std::string::npos);
}

TEST_F(TechnicalMetadataTest, TruncatedFilesAreRejected) {
  TiffSpec tiff;
  tiff.compression = COMPRESSION_LZW;
  tiff.extra = [](TIFF* tif) { TIFFSetField(tif, TIFFTAG_SOFTWARE, "Omniscan"); };
  write_tiff(dir_ / "good.tif", tiff);
  expect_all_prefixes_rejected(dir_ / "good.tif", dir_ / "cut.tif");
  JpegSpec jpeg;
  jpeg.exif = exif_block(300, 2);
  write_jpeg(dir_ / "good.jpg", jpeg);
  expect_all_prefixes_rejected(dir_ / "good.jpg", dir_ / "cut.jpg");
  write_bytes(dir_ / "good.png", make_png(5, 3));
  expect_all_prefixes_rejected(dir_ / "good.png", dir_ / "cut.png");
}

TEST_F(TechnicalMetadataTest, MutatedFilesNeverCrash) {
  TiffSpec tiff;
  tiff.compression = COMPRESSION_LZW;
  write_tiff(dir_ / "good.tif", tiff);
  expect_mutations_survive(dir_ / "good.tif", dir_ / "bad.tif", 1);
  JpegSpec jpeg;
  jpeg.exif = exif_block(300, 2);
  jpeg.icc = icc_profile("sRGB", false);
  write_jpeg(dir_ / "good.jpg", jpeg);
  expect_mutations_survive(dir_ / "good.jpg", dir_ / "bad.jpg", 2);
  write_bytes(dir_ / "good.png", make_png(5, 3));
  expect_mutations_survive(dir_ / "good.png", dir_ / "bad.png", 3);
}

TEST_F(TechnicalMetadataTest, Jpeg2000RgbLosslessJp2) {
  const fs::path file = dir_ / "rgb.jp2";
  testing::write_jpeg2000(file, true, 37, 29, 3, 8, {}, false);
  const TechnicalMetadata m = read_technical_metadata(file);
  EXPECT_EQ(m.format, "JPEG 2000");
  EXPECT_EQ(m.compression, "JPEG 2000 lossless");
  EXPECT_EQ(m.file_size, fs::file_size(file));
  EXPECT_EQ(m.width, 37u);
  EXPECT_EQ(m.height, 29u);
  EXPECT_EQ(m.bits_per_sample, 8);
  EXPECT_EQ(m.samples_per_pixel, 3);
  EXPECT_EQ(m.colour_space, "RGB");
  EXPECT_EQ(m.icc_profile, "");
  EXPECT_EQ(m.ppi, 0);
  EXPECT_EQ(m.make, "");
  EXPECT_EQ(m.pages, 1);
}

TEST_F(TechnicalMetadataTest, Jpeg2000GreyLossyCodestream) {
  const fs::path file = dir_ / "grey.j2k";
  testing::write_jpeg2000(file, false, 33, 21, 1, 16, {}, true);
  const TechnicalMetadata m = read_technical_metadata(file);
  EXPECT_EQ(m.format, "JPEG 2000 codestream");
  EXPECT_EQ(m.compression, "JPEG 2000 lossy");
  EXPECT_EQ(m.file_size, fs::file_size(file));
  EXPECT_EQ(m.width, 33u);
  EXPECT_EQ(m.height, 21u);
  EXPECT_EQ(m.bits_per_sample, 16);
  EXPECT_EQ(m.samples_per_pixel, 1);
  EXPECT_EQ(m.colour_space, "grey");
  EXPECT_EQ(m.ppi, 0);
  EXPECT_EQ(m.pages, 1);
}

TEST_F(TechnicalMetadataTest, Jpeg2000IccProfileAndCaptureResolution) {
  Jp2Spec spec;
  spec.colr = {2, 0, 0};  // restricted ICC profile
  const Bytes profile = icc_profile("Adobe RGB (1998)", true);
  spec.colr.insert(spec.colr.end(), profile.begin(), profile.end());
  // 30000 / 254 * 10^2 pixels per metre = 300 ppi, horizontally (the second triple).
  spec.resc = {0, 1, 0, 1, 0x75, 0x30, 0, 254, 0, 2};
  const fs::path file = dir_ / "icc.jp2";
  write_bytes(file, make_jp2(spec));
  const TechnicalMetadata m = read_technical_metadata(file);
  EXPECT_EQ(m.format, "JPEG 2000");
  EXPECT_EQ(m.compression, "JPEG 2000 lossless");
  EXPECT_EQ(m.width, 40u);
  EXPECT_EQ(m.height, 30u);
  EXPECT_EQ(m.bits_per_sample, 8);
  EXPECT_EQ(m.samples_per_pixel, 3);
  EXPECT_EQ(m.colour_space, "RGB");  // the profile header leaves it unnamed: by components
  EXPECT_EQ(m.icc_profile, "Adobe RGB (1998)");
  EXPECT_NEAR(m.ppi, 300, 1e-9);

  spec = Jp2Spec{};
  spec.colr = {1, 0, 0, 0, 0, 0, 18};  // sYCC
  write_bytes(file, make_jp2(spec));
  EXPECT_EQ(read_technical_metadata(file).colour_space, "YCbCr");
}

TEST_F(TechnicalMetadataTest, Jpeg2000TruncatedInTheHeaderBoxIsRejected) {
  const fs::path good = dir_ / "good.jp2";
  testing::write_jpeg2000(good, true, 20, 20, 3, 8, {}, false);
  const Bytes bytes = read_bytes(good);
  const std::size_t jp2h = jp2_box_offset(bytes, "jp2h");
  ASSERT_GT(jp2h, 0u);
  const fs::path cut = dir_ / "cut.jp2";
  write_bytes(cut, Bytes(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(jp2h + 20)));
  const std::string message = error_of(cut);
  EXPECT_NE(message.find("truncated JPEG 2000 box 'jp2h'"), std::string::npos) << message;
  EXPECT_NE(message.find("cut.jp2"), std::string::npos) << message;
}

TEST_F(TechnicalMetadataTest, Jpeg2000DecompressionBombIsRejectedFromTheHeader) {
  Jp2Spec spec;
  spec.width = spec.height = 100000;
  const fs::path bomb = dir_ / "bomb.jp2";
  write_bytes(bomb, make_jp2(spec));
  const std::string message = error_of(bomb);
  EXPECT_NE(message.find("100000 x 100000"), std::string::npos) << message;
  EXPECT_NE(message.find("decompression bomb"), std::string::npos) << message;
  EXPECT_NE(message.find("bomb.jp2"), std::string::npos) << message;

  const fs::path small = dir_ / "small.j2k";
  testing::write_jpeg2000(small, false, 20, 20, 1, 8, {}, false);
  EXPECT_NE(error_of(small, 100).find("limit of 100 pixels"), std::string::npos);
}

TEST_F(TechnicalMetadataTest, Jpeg2000InconsistentOrIncompleteFilesAreRejected) {
  Jp2Spec spec;
  spec.ihdr_width = 41;
  const fs::path file = dir_ / "odd.jp2";
  write_bytes(file, make_jp2(spec));
  std::string message = error_of(file);
  EXPECT_NE(message.find("header box declares 41 x 30"), std::string::npos) << message;

  Bytes jp2 = make_jp2(Jp2Spec{});
  const std::size_t jp2c = jp2_box_offset(jp2, "jp2c");
  jp2[jp2c + 8 + 3] = 0x52;  // SIZ turned into COD
  write_bytes(file, jp2);
  message = error_of(file);
  EXPECT_NE(message.find("JPEG 2000 codestream without SIZ marker"), std::string::npos) << message;

  jp2 = make_jp2(Jp2Spec{});
  jp2.erase(jp2.begin() + static_cast<std::ptrdiff_t>(jp2c), jp2.end());
  write_bytes(file, jp2);
  message = error_of(file);
  EXPECT_NE(message.find("no codestream box 'jp2c'"), std::string::npos) << message;
}

TEST_F(TechnicalMetadataTest, Jpeg2000TruncatedAndMutatedFiles) {
  testing::write_jpeg2000(dir_ / "good.jp2", true, 24, 16, 3, 8, {}, false);
  expect_all_prefixes_rejected(dir_ / "good.jp2", dir_ / "cut.jp2");
  expect_mutations_survive(dir_ / "good.jp2", dir_ / "bad.jp2", 4);
  testing::write_jpeg2000(dir_ / "good.j2k", false, 24, 16, 1, 12, {}, true);
  expect_all_prefixes_rejected(dir_ / "good.j2k", dir_ / "cut.j2k");
  expect_mutations_survive(dir_ / "good.j2k", dir_ / "bad.j2k", 5);
  Jp2Spec spec;
  spec.colr = {2, 0, 0};
  const Bytes profile = icc_profile("sRGB", false);
  spec.colr.insert(spec.colr.end(), profile.begin(), profile.end());
  spec.resc = {0, 1, 0, 1, 0x75, 0x30, 0, 254, 0, 2};
  write_bytes(dir_ / "made.jp2", make_jp2(spec));
  expect_all_prefixes_rejected(dir_ / "made.jp2", dir_ / "cut.jp2");
  expect_mutations_survive(dir_ / "made.jp2", dir_ / "bad.jp2", 6);
}

TEST_F(TechnicalMetadataTest, ForeignAndEmptyFiles) {
  // JPEG 2000 signatures with nothing behind them: refused as JPEG 2000, not as unknown.
  const fs::path jp2 = dir_ / "scan.jp2";
  write_bytes(jp2, {0, 0, 0, 0x0C, 'j', 'P', ' ', ' ', 0x0D, 0x0A, 0x87, 0x0A, 0, 0, 0, 0x14});
  EXPECT_NE(error_of(jp2).find("truncated JPEG 2000"), std::string::npos);
  const fs::path j2c = dir_ / "scan.j2c";
  write_bytes(j2c, {0xFF, 0x4F, 0xFF, 0x51, 0, 0x2F, 0, 0});
  EXPECT_NE(error_of(j2c).find("truncated JPEG 2000 codestream"), std::string::npos);

  const fs::path empty = dir_ / "empty.tif";
  write_bytes(empty, {});
  EXPECT_NE(error_of(empty).find("empty file"), std::string::npos);

  const fs::path noise = dir_ / "noise.bin";
  std::mt19937 rng(42);
  Bytes random(4096);
  for (auto& b : random) b = static_cast<unsigned char>(rng());
  random[0] = 'x';  // not by chance a signature
  write_bytes(noise, random);
  const std::string message = error_of(noise);
  EXPECT_NE(message.find("unsupported format"), std::string::npos) << message;
  EXPECT_NE(message.find("noise.bin"), std::string::npos) << message;

  EXPECT_THROW(read_technical_metadata(dir_ / "missing.tif"), InputError);
  EXPECT_THROW(read_technical_metadata(dir_), InputError);
}

TEST_F(TechnicalMetadataTest, TiffHeaderWithGarbageIsRejected) {
  const fs::path file = dir_ / "garbage.tif";
  // A TIFF signature whose first directory lies far beyond the end of the file.
  Bytes bytes(64, 0xAB);
  const unsigned char head[] = {'I', 'I', 42, 0, 0xFF, 0xFF, 0xFF, 0x7F};
  std::copy(std::begin(head), std::end(head), bytes.begin());
  write_bytes(file, bytes);
  EXPECT_THROW(read_technical_metadata(file), InputError);
}

}  // namespace
}  // namespace findbuch

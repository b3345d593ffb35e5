// Ingest: masters are stored unchanged and once per content, pages attach in natural order, a
// re-run skips what is done, bad files are reported and skipped, fixity finds changed masters.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <tiffio.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include "core/error.hpp"
#include "core/sha256.hpp"
#include "pipeline/ingest.hpp"
#include "store/masters.hpp"
#include "support/archive_fixture.hpp"

namespace findbuch {
namespace {

namespace fs = std::filesystem;

/// A small 8-bit grey TIFF whose pixels depend on `seed`, so different seeds differ in content.
void write_tiff(const fs::path& file, int seed, int width = 64, int height = 48) {
  TIFF* tif = TIFFOpen(file.c_str(), "w");
  ASSERT_NE(tif, nullptr);
  TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, width);
  TIFFSetField(tif, TIFFTAG_IMAGELENGTH, height);
  TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 8);
  TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 1);
  TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
  TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_LZW);
  TIFFSetField(tif, TIFFTAG_XRESOLUTION, 300.0);
  TIFFSetField(tif, TIFFTAG_YRESOLUTION, 300.0);
  TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
  TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, height);
  std::vector<unsigned char> row(static_cast<std::size_t>(width));
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x)
      row[static_cast<std::size_t>(x)] = static_cast<unsigned char>(x * seed + y);
    TIFFWriteScanline(tif, row.data(), static_cast<uint32_t>(y), 0);
  }
  TIFFClose(tif);
}

using IngestTest = testing::ArchiveWithFileTest;

TEST_F(IngestTest, FoldersInNaturalOrderMastersUnchangedAndStoredOnce) {
  write_tiff(scan("page10.tif"), 3);
  write_tiff(scan("page9.tif"), 2);
  write_tiff(scan("page1.tif"), 1);
  fs::copy_file(scan("page1.tif"), scan("zz-copy.tif"));  // same content, another name
  std::ofstream(scan(".DS_Store")) << "junk";             // hidden: not a page
  const std::string original = sha256_of_file(scan("page10.tif"));

  const auto files = expand_inputs({dir_ / "scans"});
  ASSERT_EQ(files.size(), 4u);
  EXPECT_EQ(files[0].filename(), "page1.tif");
  EXPECT_EQ(files[1].filename(), "page9.tif");
  EXPECT_EQ(files[2].filename(), "page10.tif");
  EXPECT_EQ(files[3].filename(), "zz-copy.tif");

  const IngestReport r = ingest(*ws_, unit_, files);
  EXPECT_EQ(r.attached, 3);
  EXPECT_EQ(r.already_attached, 1);  // the copy is the same master as page1
  EXPECT_TRUE(r.failures.empty());

  Masters masters(ws_->catalogue().db(), ws_->dir());
  const auto pages = masters.pages(unit_.id);
  ASSERT_EQ(pages.size(), 3u);
  EXPECT_EQ(pages[0].master.original_name, "page1.tif");
  EXPECT_EQ(pages[2].master.original_name, "page10.tif");
  EXPECT_EQ(pages[2].master.sha256, original);
  const fs::path stored = ws_->dir() / pages[2].master.path;
  EXPECT_EQ(sha256_of_file(stored), original);  // byte for byte the scanner's file
  EXPECT_EQ(pages[2].master.tech.format, "TIFF");
  EXPECT_EQ(pages[2].master.tech.width, 64u);
  EXPECT_DOUBLE_EQ(pages[2].master.tech.ppi, 300.0);
  struct stat st {};
  ASSERT_EQ(::stat(stored.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0222, 0u) << "masters are stored read-only";

  // A re-run attaches nothing new.
  const IngestReport again = ingest(*ws_, unit_, files);
  EXPECT_EQ(again.attached, 0);
  EXPECT_EQ(again.already_attached, 4);
}

TEST_F(IngestTest, BadFilesAreReportedAndSkipped) {
  write_tiff(scan("good.tif"), 1);
  std::ofstream(scan("empty.tif")).flush();
  std::ofstream(scan("notes.txt")) << "not an image";
  {
    std::ifstream in(scan("good.tif"), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    std::ofstream(scan("truncated.tif"), std::ios::binary) << bytes.substr(0, 20);
  }
  const IngestReport r = ingest(*ws_, unit_, expand_inputs({dir_ / "scans"}));
  EXPECT_EQ(r.attached, 1);
  ASSERT_EQ(r.failures.size(), 3u);
  for (const auto& f : r.failures)
    EXPECT_NE(f.reason.find(f.file.filename().string()), std::string::npos) << f.reason;
}

TEST_F(IngestTest, PagesBelongToRecordsNotToBestaende) {
  write_tiff(scan("a.tif"), 1);
  EXPECT_THROW(ingest(*ws_, bestand_, {scan("a.tif")}), InputError);
  EXPECT_THROW(expand_inputs({dir_ / "nowhere"}), InputError);
}

TEST_F(IngestTest, FixityFindsChangedAndMissingMasters) {
  write_tiff(scan("a.tif"), 1);
  write_tiff(scan("b.tif"), 2);
  ingest(*ws_, unit_, expand_inputs({dir_ / "scans"}));
  Masters masters(ws_->catalogue().db(), ws_->dir());
  EXPECT_TRUE(masters.check_fixity().empty());
  const auto pages = masters.pages(unit_.id);
  const fs::path a = ws_->dir() / pages[0].master.path;
  const fs::path b = ws_->dir() / pages[1].master.path;
  fs::permissions(a, fs::perms::owner_write, fs::perm_options::add);
  std::ofstream(a, std::ios::binary | std::ios::app) << "bit rot";
  fs::remove(b);
  const auto problems = masters.check_fixity();
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_NE(problems[0].problem.find("changed"), std::string::npos);
  EXPECT_EQ(problems[1].problem, "missing");
  const std::vector<std::int64_t> only_bestand = {bestand_.id};
  EXPECT_TRUE(masters.check_fixity(&only_bestand).empty());  // the Bestand has no pages itself
}

}  // namespace
}  // namespace findbuch

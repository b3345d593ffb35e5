// Ingest with a cleaning pipeline: every page gets its derivatives with a processing history
// (master hash, stages, parameters, measurements, tool version); pages run in parallel but
// attach in order; a re-run skips finished pages and a changed pipeline replaces what the old
// one made; bad files are skipped without leaving anything behind; a spread becomes two pages.
// The crash test kills a real `findbuch ingest` with SIGKILL and runs it again.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/sha256.hpp"
#include "imaging/image_io.hpp"
#include "pagegen/page_generator.hpp"
#include "pipeline/ingest.hpp"
#include "store/derivatives.hpp"
#include "store/masters.hpp"
#include "support/archive_fixture.hpp"

namespace findbuch {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class IngestPipelineTest : public testing::ArchiveWithFileTest {
 protected:
  // A small skewed page on a dark bed (A5 at 100 ppi keeps the tests quick).
  fs::path page(const std::string& name, double skew, std::uint32_t seed, bool spread = false) {
    pagegen::PageSpec spec;
    spec.sheet_width = 580;
    spec.sheet_height = 820;
    spec.ppi = 100;
    spec.skew_deg = skew;
    spec.bed = pagegen::Bed::dark;
    spec.bed_margin_px = 30;
    spec.spread = spread;
    spec.seed = seed;
    const fs::path file = dir_ / "scans" / name;
    write_image(pagegen::generate(spec).image, file, {});
    return file;
  }

  std::vector<Page> pages() { return Masters(ws_->catalogue().db(), ws_->dir()).pages(unit_.id); }
  std::vector<Derivative> derivatives_of(const Page& p) {
    return Derivatives(ws_->catalogue().db()).of_master(p.master.id);
  }
  std::size_t files_under(const std::string& folder) {
    std::size_t n = 0;
    for (const auto& e : fs::recursive_directory_iterator(ws_->dir() / folder))
      n += e.is_regular_file();
    return n;
  }
};

TEST_F(IngestPipelineTest, EveryPageGetsDerivativesWithItsHistory) {
  const double skews[] = {1.2, -2.5, 0.8, 3.1};
  for (int i = 0; i < 4; ++i) page("seite" + std::to_string(i + 1) + ".tif", skews[i], i + 1);
  const Pipeline akten = load_pipeline("akten");
  IngestOptions options;
  options.pipeline = &akten;
  options.jobs = 2;
  std::vector<std::size_t> progress;
  options.progress = [&](std::size_t done, std::size_t) { progress.push_back(done); };
  const IngestReport r = ingest(*ws_, unit_, expand_inputs({dir_ / "scans"}), options);
  EXPECT_EQ(r.attached, 4);
  EXPECT_EQ(r.cleaned, 4);
  EXPECT_EQ(r.derivatives, 8) << "an access JPEG and a tile pyramid per page";
  EXPECT_TRUE(r.failures.empty());
  EXPECT_EQ(progress, (std::vector<std::size_t>{1, 2, 3, 4}));

  const auto ps = pages();
  ASSERT_EQ(ps.size(), 4u);
  for (std::size_t i = 0; i < ps.size(); ++i) {
    EXPECT_EQ(ps[i].master.original_name, "seite" + std::to_string(i + 1) + ".tif")
        << "parallel workers, but pages attach in natural order";
    const auto made = derivatives_of(ps[i]);
    ASSERT_EQ(made.size(), 2u);
    const Derivative& d = made[0];
    EXPECT_EQ(d.pipeline, "akten");
    EXPECT_EQ(d.pipeline_sha256, made[1].pipeline_sha256);
    EXPECT_NE(d.pipeline_sha256, akten.sha256) << "the tiling settings are part of it";
    const Derivative& tiles = made[1];
    EXPECT_EQ(tiles.role, kTilesRole);
    EXPECT_EQ(tiles.format, "iiif3");
    const json info = json::parse(read_file(ws_->dir() / tiles.path / "info.json"));
    EXPECT_EQ(info["width"], d.width) << "the access image is what viewers zoom into";
    EXPECT_EQ(info["height"], d.height);
    EXPECT_EQ(info["id"],
              "https://archiv.example/iiif/images/" + fs::path(tiles.path).filename().string());
    EXPECT_EQ(d.role, "access");
    EXPECT_EQ(d.format, "jpeg");
    const Image img = read_image(ws_->dir() / d.path);
    EXPECT_EQ(img.width, d.width);
    EXPECT_EQ(img.height, d.height);
    EXPECT_LT(d.width, static_cast<int>(ps[i].master.tech.width)) << "cropped to the sheet";

    const json history = json::parse(d.history);
    EXPECT_EQ(history["master"]["sha256"], ps[i].master.sha256);
    EXPECT_EQ(history["pipeline"]["name"], "akten");
    EXPECT_EQ(history["pipeline"]["sha256"], akten.sha256);
    EXPECT_EQ(history["tiles"]["tile_size"], 512);
    EXPECT_EQ(history["tool"].get<std::string>().rfind("findbuch ", 0), 0u);
    std::vector<std::string> names;
    for (const auto& s : history["stages"]) names.push_back(s["name"]);
    EXPECT_EQ(names, (std::vector<std::string>{"deskew", "page", "background", "save"}));
    const json& deskew = history["stages"][0];
    EXPECT_NEAR(deskew["skew_deg"].get<double>(), skews[i], 0.1);
    EXPECT_TRUE(deskew["applied"].get<bool>());
    EXPECT_EQ(deskew["params"]["max_angle_deg"], 10);
    EXPECT_EQ(history["stages"][1]["box"].size(), 4u);
  }
  EXPECT_EQ(sha256_of_file(ws_->dir() / ps[0].master.path),
            sha256_of_file(dir_ / "scans/seite1.tif"))
      << "the master is never touched";
}

TEST_F(IngestPipelineTest, RerunSkipsFinishedPagesAndAChangedPipelineReplacesItsDerivatives) {
  page("a.tif", 1.5, 1);
  page("b.tif", -1.5, 2);
  const auto files = expand_inputs({dir_ / "scans"});
  const Pipeline akten = load_pipeline("akten");
  IngestOptions options;
  options.pipeline = &akten;
  ingest(*ws_, unit_, files, options);
  const std::string first_path = derivatives_of(pages()[0])[0].path;

  const IngestReport again = ingest(*ws_, unit_, files, options);
  EXPECT_EQ(again.attached, 0);
  EXPECT_EQ(again.cleaned, 0);
  EXPECT_EQ(again.already_cleaned, 2);

  const Pipeline changed =
      parse_pipeline(R"({"name":"akten","stages":[{"stage":"page","margin_px":5},)"
                     R"({"stage":"save","role":"access","format":"png"}]})",
                     "changed.json");
  options.pipeline = &changed;
  const IngestReport redo = ingest(*ws_, unit_, files, options);
  EXPECT_EQ(redo.cleaned, 2);
  const auto made = derivatives_of(pages()[0]);
  ASSERT_EQ(made.size(), 2u) << "the new version replaces the old one's derivatives";
  EXPECT_EQ(made[0].format, "png");
  EXPECT_EQ(made[1].role, kTilesRole);
  EXPECT_FALSE(fs::exists(ws_->dir() / first_path)) << "the replaced JPEG is gone";
  EXPECT_EQ(files_under("derivatives"), 2u);

  const Pipeline karten = load_pipeline("karten");
  options.pipeline = &karten;
  ingest(*ws_, unit_, files, options);
  EXPECT_EQ(derivatives_of(pages()[0]).size(), 4u) << "another pipeline adds its own, tiles too";
}

TEST_F(IngestPipelineTest, BadFilesAreSkippedWithNothingLeftBehind) {
  page("1-good.tif", 1.0, 1);
  std::ofstream(dir_ / "scans/2-empty.tif").flush();
  {
    // A JPEG whose header is fine but whose data stops early: only decoding finds out.
    page("3-full.jpg", 0.5, 3);
    std::ifstream in(dir_ / "scans/3-full.jpg", std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    std::ofstream(dir_ / "scans/3-truncated.jpg", std::ios::binary)
        << bytes.substr(0, bytes.size() / 3);
    fs::remove(dir_ / "scans/3-full.jpg");
  }
  std::ofstream(dir_ / "scans/4-notes.tif") << "not an image at all";
  page("5-good.tif", -1.0, 5);
  const Pipeline akten = load_pipeline("akten");
  IngestOptions options;
  options.pipeline = &akten;
  options.jobs = 2;
  const IngestReport r = ingest(*ws_, unit_, expand_inputs({dir_ / "scans"}), options);
  EXPECT_EQ(r.attached, 2);
  ASSERT_EQ(r.failures.size(), 3u);
  for (const auto& f : r.failures)
    EXPECT_NE(f.reason.find(f.file.filename().string()), std::string::npos) << f.reason;
  EXPECT_EQ(pages().size(), 2u);
  EXPECT_EQ(files_under("masters"), 2u) << "no master kept for a file that failed";
  EXPECT_EQ(files_under("derivatives"), 2u);
}

TEST_F(IngestPipelineTest, TemporaryFilesOfAKilledRunAreRemovedByTheNextIngest) {
  page("a.tif", 1.0, 1);
  const fs::path master_tmp = ws_->dir() / "masters/ab/.abcd.tif.123-0.part";
  const fs::path derivative_tmp = ws_->dir() / "derivatives/cd/.cdef.akten.access.jpg.tmp-123-0";
  for (const auto& f : {master_tmp, derivative_tmp}) {
    fs::create_directories(f.parent_path());
    std::ofstream(f) << "half a file";
  }
  ingest(*ws_, unit_, expand_inputs({dir_ / "scans"}));
  EXPECT_FALSE(fs::exists(master_tmp));
  EXPECT_FALSE(fs::exists(derivative_tmp));
  EXPECT_EQ(pages().size(), 1u);
}

TEST_F(IngestPipelineTest, SpreadsBecomeTwoPagesEachWithAnOcrImage) {
  page("spread.tif", 0.7, 9, /*spread=*/true);
  const Pipeline zeitungen = load_pipeline("zeitungen");
  IngestOptions options;
  options.pipeline = &zeitungen;
  const IngestReport r = ingest(*ws_, unit_, expand_inputs({dir_ / "scans"}), options);
  EXPECT_EQ(r.derivatives, 6);
  const auto made = derivatives_of(pages()[0]);
  ASSERT_EQ(made.size(), 6u) << "access, ocr and tiles for each half";
  EXPECT_EQ(made[0].part, 1);
  EXPECT_EQ(made[0].role, "access");
  EXPECT_EQ(made[1].role, "ocr");
  EXPECT_EQ(made[3].part, 2);
  const Image ocr = read_image(ws_->dir() / made[1].path);
  EXPECT_TRUE(ocr.bitonal);
  EXPECT_EQ(ocr.channels, 1);
  const json history = json::parse(made[0].history);
  EXPECT_TRUE(history["stages"][0]["split"].get<bool>());
}

TEST_F(IngestPipelineTest, TilesAreMadeOnceAndRemadeWhenTheTilingSettingsChange) {
  page("a.tif", 0.0, 3);
  const auto files = expand_inputs({dir_ / "scans"});
  IngestOptions options;  // no pipeline: the master itself is tiled
  const IngestReport r = ingest(*ws_, unit_, files, options);
  EXPECT_EQ(r.derivatives, 1);
  auto made = derivatives_of(pages()[0]);
  ASSERT_EQ(made.size(), 1u);
  EXPECT_EQ(made[0].pipeline, "none");
  const fs::path tiles = ws_->dir() / made[0].path;
  EXPECT_EQ(made[0].path.rfind("iiif/", 0), 0u);
  const json info = json::parse(read_file(tiles / "info.json"));
  EXPECT_EQ(info["width"], pages()[0].master.tech.width) << "the master, not cleaned";
  EXPECT_EQ(info["tiles"][0]["width"], 512);
  const auto written = fs::last_write_time(tiles / "info.json");

  const IngestReport again = ingest(*ws_, unit_, files, options);
  EXPECT_EQ(again.already_cleaned, 1) << "nothing changed: not tiled again";
  EXPECT_EQ(fs::last_write_time(tiles / "info.json"), written);

  // Another tile size in findbuch.json: the page is tiled again, in place.
  ArchiveConfig config = ws_->config();
  config.iiif.tile_size = 256;
  save_config(Workspace::config_file(ws_->dir()), config);
  ws_.reset();
  ws_ = Workspace::open(dir_ / "archive", Workspace::Mode::Write);
  const IngestReport redo = ingest(*ws_, unit_, files, options);
  EXPECT_EQ(redo.cleaned, 1);
  made = derivatives_of(pages()[0]);
  ASSERT_EQ(made.size(), 1u);
  EXPECT_EQ(json::parse(read_file(ws_->dir() / made[0].path / "info.json"))["tiles"][0]["width"],
            256);
  for (const auto& e : fs::recursive_directory_iterator(ws_->dir() / "iiif")) {
    EXPECT_NE(e.path().filename().string()[0], '.') << "no temporary folder left: " << e.path();
  }
}

// Polls until `condition` holds or `seconds` pass.
template <class F>
bool eventually(F condition, double seconds) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < end) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

TEST_F(IngestPipelineTest, KilledMidBatchLeavesNoHalfWrittenFileAndARerunCompletes) {
  constexpr int kPages = 24;
  for (int i = 1; i <= kPages; ++i)
    page("s" + std::to_string(100 + i) + ".tif", (i % 7 - 3) * 0.6, 100 + i);
  ws_.reset();  // the child process takes the writer lock
  const fs::path archive = dir_ / "archive";
  auto run_ingest = [&]() {
    const pid_t pid = ::fork();
    if (pid == 0) {
      const std::string archive_arg = archive.string(), scans = (dir_ / "scans").string();
      ::execl(FINDBUCH_BINARY, "findbuch", "ingest", unit_.signatur.c_str(), scans.c_str(),
              "--archive", archive_arg.c_str(), "--jobs", "2", "--pipeline", "zeitungen",
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
    return pid;
  };
  const pid_t pid = run_ingest();
  ASSERT_GT(pid, 0);
  // Kill as soon as the first derivative files exist: mid-batch, likely mid-write.
  eventually(
      [&] { return fs::exists(archive / "derivatives") && !fs::is_empty(archive / "derivatives"); },
      60);
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the batch finished before the kill; make it larger";

  // Whatever is at a final name is whole: every master matches its hash, every derivative decodes.
  for (const auto& e : fs::recursive_directory_iterator(archive / "masters")) {
    const std::string name = e.path().filename().string();
    if (!e.is_regular_file() || name[0] == '.') continue;
    EXPECT_EQ(sha256_of_file(e.path()), e.path().stem().string()) << name;
  }
  for (const auto& e : fs::recursive_directory_iterator(archive / "derivatives")) {
    const std::string name = e.path().filename().string();
    if (!e.is_regular_file() || name[0] == '.') continue;
    EXPECT_NO_THROW(read_image(e.path())) << name << " is half-written";
  }
  {
    auto ws = Workspace::open(archive, Workspace::Mode::Read);
    Statement check(ws->catalogue().db(), "PRAGMA integrity_check");
    ASSERT_TRUE(check.step());
    EXPECT_EQ(check.text(0), "ok");
  }

  const pid_t again = run_ingest();
  ASSERT_GT(again, 0);
  ::waitpid(again, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  for (const char* folder : {"masters", "derivatives"})
    for (const auto& e : fs::recursive_directory_iterator(archive / folder))
      EXPECT_NE(e.path().filename().string()[0], '.') << "leftover " << e.path();
  ws_ = Workspace::open(archive, Workspace::Mode::Read);
  const auto ps = pages();
  ASSERT_EQ(ps.size(), static_cast<std::size_t>(kPages));
  for (int i = 0; i < kPages; ++i) {
    EXPECT_EQ(ps[static_cast<std::size_t>(i)].master.original_name,
              "s" + std::to_string(101 + i) + ".tif");
    const auto made = derivatives_of(ps[static_cast<std::size_t>(i)]);
    EXPECT_GE(made.size(), 2u);
    for (const auto& d : made) EXPECT_TRUE(fs::exists(archive / d.path)) << d.path;
  }
}

}  // namespace
}  // namespace findbuch

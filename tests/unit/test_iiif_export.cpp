// IIIF Presentation 3.0 export. The pure builders: a Manifest has the Presentation 3 context,
// German labels, metadata without empty values, one Canvas per page in order with the service's
// size, a painting Annotation whose body is the largest image the level-0 service really has
// (full/max, else the largest listed size) and a thumbnail of the smallest size at least 200 px
// wide; optional properties appear exactly when given. Collections list their items;
// read_image_service reads the tiler's info.json and names a malformed one. End to end on a
// workspace with generated scans: only units the access policy makes public get a manifest and
// images (closed and personal units leave no trace: no Signatur, title or image), every URL in a
// manifest resolves to a file of the export under the configured base URL, a unit closed later
// disappears from the next export with nothing stale or temporary left, the Bestand filter
// works, a missing base URL is a usage error, and untiled units are reported, not exported.
// The tests after "Known bugs" pin defects in src/ and fail until they are fixed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/laufzeit.hpp"
#include "core/natural_sort.hpp"
#include "core/text.hpp"
#include "exchange/iiif/export_iiif.hpp"
#include "exchange/iiif/manifest.hpp"
#include "imaging/image_io.hpp"
#include "imaging/tiler.hpp"
#include "pagegen/page_generator.hpp"
#include "pipeline/ingest.hpp"
#include "pipeline/pipeline.hpp"
#include "store/derivatives.hpp"
#include "store/masters.hpp"
#include "support/archive_fixture.hpp"
#include "support/checks.hpp"
#include "support/temp_dir.hpp"

namespace findbuch {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using iiif::ImageService;

const Date kToday{2026, 11, 26};

using testing::contains;

using testing::error_of;

json de(const std::string& text) {
  return {{"de", json::array({text})}};
}

// The builders return ordered_json; compare as plain json (key order aside).
json plain(const nlohmann::ordered_json& j) {
  return json::parse(j.dump());
}

// --- manifest_json ----------------------------------------------------------------------------

ImageService landscape() {  // full/max exists
  return {"https://iiif.example/images/a",
          4000,
          3000,
          {{125, 94}, {250, 188}, {500, 375}, {1000, 750}, {2000, 1500}, {4000, 3000}},
          true};
}
ImageService portrait_limited() {  // size limits: no full/max, the largest size is 375×500
  return {"https://iiif.example/images/b", 3000, 4000, {{94, 125}, {188, 250}, {375, 500}}, false};
}
ImageService tiny() {  // every size narrower than 200 px
  return {"https://iiif.example/images/c", 150, 120, {{38, 30}, {75, 60}, {150, 120}}, false};
}

iiif::ManifestData full_manifest() {
  iiif::ManifestData m;
  m.id = "https://iiif.example/manifests/D-1-3-Nr-30.json";
  m.label = "Bauakte Schulstraße 7 (D 1.3 Nr. 30)";
  m.metadata = {
      {"Signatur", "D 1.3 Nr. 30"}, {"Titel", ""}, {"Laufzeit", "1901-1905"}, {"Provenienz", ""}};
  m.summary = "Enthält: Pläne";
  m.homepage = "https://archiv.example/findbuch/D-1-3.html#D-1-3-Nr-30";
  m.homepage_label = "Bauakte Schulstraße 7 (D 1.3 Nr. 30)";
  m.part_of = "https://iiif.example/collections/D-1-3.json";
  m.provider = {"https://archiv.example", "Stadtarchiv Musterstadt", "https://archiv.example"};
  m.rights = {"http://creativecommons.org/licenses/by/4.0/", "Nachweis",
              "Stadtarchiv Musterstadt, D 1.3 Nr. 30"};
  m.pages = {landscape(), portrait_limited(), tiny()};
  return m;
}

TEST(IiifManifest, HasContextTypeGermanLabelAndNonEmptyMetadataInOrder) {
  const json j = plain(iiif::manifest_json(full_manifest()));
  EXPECT_EQ(j["@context"], "http://iiif.io/api/presentation/3/context.json");
  EXPECT_EQ(j["id"], "https://iiif.example/manifests/D-1-3-Nr-30.json");
  EXPECT_EQ(j["type"], "Manifest");
  EXPECT_EQ(j["label"], de("Bauakte Schulstraße 7 (D 1.3 Nr. 30)"));
  EXPECT_EQ(j["summary"], de("Enthält: Pläne"));
  const json expected_metadata =
      json::array({{{"label", de("Signatur")}, {"value", de("D 1.3 Nr. 30")}},
                   {{"label", de("Laufzeit")}, {"value", de("1901-1905")}}});
  EXPECT_EQ(j["metadata"], expected_metadata) << "entries with empty values are dropped";
}

TEST(IiifManifest, CanvasesFollowThePagesWithTheServicesSizesAndIdsUnderTheManifest) {
  const iiif::ManifestData m = full_manifest();
  const json j = plain(iiif::manifest_json(m));
  const std::string base = "https://iiif.example/manifests/D-1-3-Nr-30";
  ASSERT_EQ(j["items"].size(), m.pages.size());
  for (std::size_t i = 0; i < m.pages.size(); ++i) {
    SCOPED_TRACE("canvas " + std::to_string(i + 1));
    const json& canvas = j["items"][i];
    const std::string n = std::to_string(i + 1);
    EXPECT_EQ(canvas["type"], "Canvas");
    EXPECT_EQ(canvas["id"], base + "/canvas/" + n) << "under the manifest id without .json";
    EXPECT_EQ(canvas["width"], m.pages[i].width);
    EXPECT_EQ(canvas["height"], m.pages[i].height);
    ASSERT_EQ(canvas["items"].size(), 1u);
    const json& page = canvas["items"][0];
    EXPECT_EQ(page["type"], "AnnotationPage");
    EXPECT_TRUE(page["id"].get<std::string>().starts_with(base + "/")) << page["id"];
    ASSERT_EQ(page["items"].size(), 1u);
    const json& annotation = page["items"][0];
    EXPECT_EQ(annotation["type"], "Annotation");
    EXPECT_EQ(annotation["id"], base + "/annotation/" + n);
    EXPECT_EQ(annotation["motivation"], "painting");
    EXPECT_EQ(annotation["target"], canvas["id"]);
    const json& body = annotation["body"];
    EXPECT_EQ(body["type"], "Image");
    EXPECT_EQ(body["format"], "image/jpeg");
    ASSERT_EQ(body["service"].size(), 1u);
    EXPECT_EQ(body["service"][0]["id"], m.pages[i].id);
    EXPECT_EQ(body["service"][0]["type"], "ImageService3");
    EXPECT_EQ(body["service"][0]["profile"], "level0");
  }
  // No ".json" in any canvas or annotation id.
  EXPECT_FALSE(contains(j["items"].dump(), "D-1-3-Nr-30.json/"));
}

TEST(IiifManifest, BodyIsFullMaxWhenItExistsElseTheLargestListedSize) {
  const json j = plain(iiif::manifest_json(full_manifest()));
  const auto body = [&](int i) { return j["items"][i]["items"][0]["items"][0]["body"]; };
  EXPECT_EQ(body(0)["id"], "https://iiif.example/images/a/full/max/0/default.jpg");
  EXPECT_EQ(body(0)["width"], 4000);
  EXPECT_EQ(body(0)["height"], 3000);
  EXPECT_EQ(body(1)["id"], "https://iiif.example/images/b/full/375,500/0/default.jpg")
      << "a level-0 service without full/max has only its listed sizes";
  EXPECT_EQ(body(1)["width"], 375);
  EXPECT_EQ(body(1)["height"], 500);
  EXPECT_EQ(body(2)["id"], "https://iiif.example/images/c/full/150,120/0/default.jpg");
  EXPECT_EQ(body(2)["width"], 150);
}

TEST(IiifManifest, ThumbnailIsTheSmallestSizeAtLeast200WideElseTheLargest) {
  const json j = plain(iiif::manifest_json(full_manifest()));
  const auto check = [](const json& thumbnails, const std::string& service, int w, int h) {
    ASSERT_EQ(thumbnails.size(), 1u);
    const json& t = thumbnails[0];
    EXPECT_EQ(t["id"],
              service + "/full/" + std::to_string(w) + "," + std::to_string(h) + "/0/default.jpg");
    EXPECT_EQ(t["type"], "Image");
    EXPECT_EQ(t["width"], w);
    EXPECT_EQ(t["height"], h);
    EXPECT_EQ(t["service"][0]["id"], service);
  };
  check(j["thumbnail"], "https://iiif.example/images/a", 250, 188);  // the first page's
  check(j["items"][0]["thumbnail"], "https://iiif.example/images/a", 250, 188);
  check(j["items"][1]["thumbnail"], "https://iiif.example/images/b", 375, 500);
  check(j["items"][2]["thumbnail"], "https://iiif.example/images/c", 150, 120);
}

TEST(IiifManifest, OptionalPropertiesArePresentExactlyWhenGiven) {
  const json j = plain(iiif::manifest_json(full_manifest()));
  EXPECT_EQ(j["partOf"], json::array({{{"id", "https://iiif.example/collections/D-1-3.json"},
                                       {"type", "Collection"}}}));
  ASSERT_EQ(j["homepage"].size(), 1u);
  EXPECT_EQ(j["homepage"][0]["id"], "https://archiv.example/findbuch/D-1-3.html#D-1-3-Nr-30");
  EXPECT_EQ(j["homepage"][0]["type"], "Text");
  EXPECT_EQ(j["homepage"][0]["format"], "text/html");
  EXPECT_EQ(j["homepage"][0]["label"], de("Bauakte Schulstraße 7 (D 1.3 Nr. 30)"));
  EXPECT_EQ(j["rights"], "http://creativecommons.org/licenses/by/4.0/");
  EXPECT_EQ(j["requiredStatement"], (json{{"label", de("Nachweis")},
                                          {"value", de("Stadtarchiv Musterstadt, D 1.3 Nr. 30")}}));
  ASSERT_EQ(j["provider"].size(), 1u);
  EXPECT_EQ(j["provider"][0]["type"], "Agent");
  EXPECT_EQ(j["provider"][0]["label"], de("Stadtarchiv Musterstadt"));
  EXPECT_EQ(j["provider"][0]["homepage"][0]["id"], "https://archiv.example");

  iiif::ManifestData bare = full_manifest();
  bare.summary.clear();
  bare.homepage.clear();
  bare.part_of.clear();
  bare.rights = {};
  bare.provider.homepage.clear();
  bare.metadata = {{"Titel", ""}};
  const json b = plain(iiif::manifest_json(bare));
  for (const char* key : {"summary", "homepage", "partOf", "rights", "requiredStatement"})
    EXPECT_FALSE(b.contains(key)) << key << " should be absent: " << b.dump();
  EXPECT_FALSE(b["provider"][0].contains("homepage"));
  EXPECT_EQ(b["metadata"], json::array());
  EXPECT_EQ(b["items"].size(), 3u);

  bare.pages.clear();
  const json none = plain(iiif::manifest_json(bare));
  EXPECT_FALSE(none.contains("thumbnail")) << "no pages, no thumbnail";
  EXPECT_EQ(none["items"], json::array());
}

// --- collection_json --------------------------------------------------------------------------

TEST(IiifCollection, ListsItemsWithTypeLabelAndOptionalThumbnail) {
  const ImageService service = landscape();
  const std::vector<iiif::CollectionEntry> items = {
      {"https://iiif.example/manifests/D-1-3-Nr-30.json", "Manifest", "Bauakte (D 1.3 Nr. 30)",
       &service},
      {"https://iiif.example/collections/C-5-63.json", "Collection", "Bauordnungsamt (C 5.63)",
       nullptr}};
  const json j = plain(iiif::collection_json(
      "https://iiif.example/collections/index.json", "Stadtarchiv: Digitalisate", "",
      {"https://archiv.example", "Stadtarchiv", ""}, {"", "Nachweis", "Stadtarchiv"}, items));
  EXPECT_EQ(j["@context"], "http://iiif.io/api/presentation/3/context.json");
  EXPECT_EQ(j["id"], "https://iiif.example/collections/index.json");
  EXPECT_EQ(j["type"], "Collection");
  EXPECT_EQ(j["label"], de("Stadtarchiv: Digitalisate"));
  EXPECT_FALSE(j.contains("summary"));
  EXPECT_FALSE(j.contains("rights"));
  EXPECT_EQ(j["requiredStatement"]["value"], de("Stadtarchiv"));
  ASSERT_EQ(j["items"].size(), 2u);
  EXPECT_EQ(j["items"][0]["id"], "https://iiif.example/manifests/D-1-3-Nr-30.json");
  EXPECT_EQ(j["items"][0]["type"], "Manifest");
  EXPECT_EQ(j["items"][0]["label"], de("Bauakte (D 1.3 Nr. 30)"));
  ASSERT_EQ(j["items"][0]["thumbnail"].size(), 1u);
  EXPECT_EQ(j["items"][0]["thumbnail"][0]["id"],
            "https://iiif.example/images/a/full/250,188/0/default.jpg");
  EXPECT_EQ(j["items"][1]["type"], "Collection");
  EXPECT_EQ(j["items"][1]["label"], de("Bauordnungsamt (C 5.63)"));
  EXPECT_FALSE(j["items"][1].contains("thumbnail"));

  const json empty = plain(iiif::collection_json("https://iiif.example/collections/x.json", "Leer",
                                                 "Nichts", {"https://a.example", "A", ""}, {}, {}));
  EXPECT_EQ(empty["items"], json::array());
  EXPECT_EQ(empty["summary"], de("Nichts"));
}

// --- read_image_service -----------------------------------------------------------------------

class IiifImageServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = make_temp_dir("findbuch-iiif-service"); }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  static Image gradient(int width, int height) {
    Image image = Image::blank(width, height, 3);
    for (int y = 0; y < height; ++y)
      for (int x = 0; x < width * 3; ++x) image.row(y)[x] = static_cast<std::uint8_t>(x + y);
    return image;
  }
  fs::path dir_;
};

TEST_F(IiifImageServiceTest, ReadsWhatTheTilerWrote) {
  TileOptions options;
  options.tile_size = 64;
  options.id = "https://iiif.example/images/p1";
  const TileResult written = tile_image(gradient(300, 200), dir_ / "p1", options);
  ASSERT_TRUE(written.has_max);
  const ImageService s = iiif::read_image_service((dir_ / "p1/info.json").string());
  EXPECT_EQ(s.id, "https://iiif.example/images/p1");
  EXPECT_EQ(s.width, 300);
  EXPECT_EQ(s.height, 200);
  EXPECT_TRUE(s.has_max);
  EXPECT_EQ(s.sizes, written.sizes);
  EXPECT_GE(s.sizes.size(), 3u);
  EXPECT_TRUE(std::is_sorted(s.sizes.begin(), s.sizes.end()));
  EXPECT_EQ(s.sizes.back(), (std::pair{300, 200}));

  // Size limits: full/max is the largest size within them.
  options.max_width = 160;
  const TileResult limited = tile_image(gradient(300, 200), dir_ / "p2", options);
  ASSERT_TRUE(limited.has_max);
  const ImageService l = iiif::read_image_service((dir_ / "p2/info.json").string());
  EXPECT_TRUE(l.has_max);
  EXPECT_EQ(read_image(dir_ / "p2/full/max/0/default.jpg").width, l.sizes.back().first);
  ASSERT_FALSE(l.sizes.empty());
  EXPECT_LE(l.sizes.back().first, 160);
}

TEST_F(IiifImageServiceTest, SortsSizesAndTakesHasMaxFromTheFile) {
  fs::create_directories(dir_ / "s");
  write_file_atomic(dir_ / "s/info.json",
                    R"({"id": "https://x.example/images/s", "width": 800, "height": 600,
                        "sizes": [{"width": 800, "height": 600}, {"width": 100, "height": 75},
                                  {"width": 400, "height": 300}, {"width": 200, "height": 150}]})");
  ImageService s = iiif::read_image_service((dir_ / "s/info.json").string());
  EXPECT_EQ(s.sizes,
            (std::vector<std::pair<int, int>>{{100, 75}, {200, 150}, {400, 300}, {800, 600}}));
  EXPECT_FALSE(s.has_max) << "no full/max/0/default.jpg beside it";
  fs::create_directories(dir_ / "s/full/max/0");
  write_file_atomic(dir_ / "s/full/max/0/default.jpg", "jpeg");
  s = iiif::read_image_service((dir_ / "s/info.json").string());
  EXPECT_TRUE(s.has_max);
}

TEST_F(IiifImageServiceTest, MalformedInfoJsonIsAnInputErrorNamingTheFile) {
  fs::create_directories(dir_ / "bad");
  const std::string file = (dir_ / "bad/info.json").string();
  for (const char* text : {"{not json", "[1, 2]", R"({"id": "x", "width": 10})",
                           R"({"id": "x", "width": "wide", "height": 10})",
                           R"({"id": "x", "width": 10, "height": 10, "sizes": [{"width": 5}]})"}) {
    SCOPED_TRACE(text);
    write_file_atomic(file, text);
    const std::string msg = error_of<InputError>([&] { iiif::read_image_service(file); });
    EXPECT_TRUE(contains(msg, file)) << msg;
  }
}

// --- export_iiif on a workspace ----------------------------------------------------------------

class IiifExportTest : public testing::ArchiveWithFileTest {
 protected:
  void SetUp() override {
    ArchiveWithFileTest::SetUp();
    // Without a Laufzeit the fixture's Akte has no computable period and stays closed.
    set(unit_, [](Unit& u) { u.laufzeit = parse_laufzeit("1950-1960"); });
  }

  Unit add_unit(const std::string& signatur, const std::string& title, const std::string& laufzeit,
                std::int64_t parent, const std::function<void(Unit&)>& more = {}) {
    Unit u;
    u.signatur = signatur;
    u.level = Level::File;
    u.title = title;
    u.laufzeit = parse_laufzeit(laufzeit);
    u.parent_id = parent;
    u.position = -1;
    if (more) more(u);
    ws_->catalogue().insert(u, "test");
    return u;
  }
  Unit add_bestand(const std::string& signatur, const std::string& title) {
    Unit b;
    b.signatur = signatur;
    b.level = Level::Bestand;
    b.title = title;
    b.position = -1;
    ws_->catalogue().insert(b, "test");
    return b;
  }
  void set(Unit& unit, const std::function<void(Unit&)>& change) {
    Unit after = unit;
    change(after);
    ASSERT_GT(ws_->catalogue().update(unit, after, "test"), 0);
    unit = after;
  }

  // `count` small generated pages (400×560 at 50 ppi), distinct per seed, ingested into `unit`.
  IngestReport scan_into(const Unit& unit, int count, std::uint32_t seed,
                         const IngestOptions& options = {}) {
    const fs::path folder = dir_ / "scans" / url_slug(unit.signatur);
    fs::create_directories(folder);
    std::vector<fs::path> files;
    for (int i = 0; i < count; ++i) {
      pagegen::PageSpec spec;
      spec.sheet_width = 400;
      spec.sheet_height = 560;
      spec.ppi = 50;
      spec.seed = seed + static_cast<std::uint32_t>(i);
      files.push_back(folder / ("seite" + std::to_string(seed) + "-" + std::to_string(i) + ".tif"));
      write_image(pagegen::generate(spec).image, files.back(), {});
    }
    const IngestReport r = ingest(*ws_, unit, files, options);
    EXPECT_EQ(r.attached, count);
    EXPECT_TRUE(r.failures.empty());
    return r;
  }

  // The names of the unit's tile folders in the workspace (the IIIF image ids), page order.
  std::vector<std::string> tile_ids(const Unit& unit) {
    Masters masters(ws_->catalogue().db(), ws_->dir());
    Derivatives derivatives(ws_->catalogue().db());
    std::vector<std::string> ids;
    for (const Page& page : masters.pages(unit.id))
      for (const Derivative& d : derivatives.of_master(page.master.id))
        if (d.role == kTilesRole) ids.push_back(fs::path(d.path).filename().string());
    return ids;
  }

  void reconfigure(const std::function<void(ArchiveConfig&)>& change) {
    ArchiveConfig c = ws_->config();
    change(c);
    const fs::path archive = ws_->dir();
    ws_.reset();
    save_config(Workspace::config_file(archive), c);
    ws_ = Workspace::open(archive, Workspace::Mode::Write);
  }

  IiifExportReport export_to(const fs::path& out, const std::optional<Unit>& bestand = {}) {
    return export_iiif(*ws_, bestand, out, kToday);
  }

  static std::set<std::string> entries(const fs::path& folder) {
    std::set<std::string> names;
    if (!fs::exists(folder)) return names;
    for (const auto& e : fs::directory_iterator(folder)) names.insert(e.path().filename().string());
    return names;
  }
  static json load(const fs::path& file) { return json::parse(read_file(file)); }

  // The file an absolute URL of the export stands for.
  fs::path local(const std::string& url, const fs::path& out) {
    const std::string base = ws_->config().iiif_base_url() + "/";
    EXPECT_TRUE(url.starts_with(base)) << url << " is not under " << base;
    if (!url.starts_with(base)) return out / "not-under-the-base-url";
    return out / url.substr(base.size());
  }

  // Every Image, image service, Manifest and Collection referenced in `doc` exists in the
  // export; the Images have the declared size. Returns how many Images it checked.
  int expect_resolvable(const json& doc, const fs::path& out) {
    int images = 0;
    std::function<void(const json&)> walk = [&](const json& j) {
      if (j.is_array()) {
        for (const auto& e : j) walk(e);
        return;
      }
      if (!j.is_object()) return;
      const std::string type = j.value("type", "");
      const std::string id = j.value("id", "");
      if (type == "Image") {
        ++images;
        const fs::path file = local(id, out);
        EXPECT_TRUE(fs::is_regular_file(file)) << id;
        if (fs::is_regular_file(file)) {
          const Image image = read_image(file);
          EXPECT_EQ(image.width, j["width"].get<int>()) << id;
          EXPECT_EQ(image.height, j["height"].get<int>()) << id;
        }
      } else if (type == "ImageService3") {
        const fs::path info = local(id, out) / "info.json";
        EXPECT_TRUE(fs::is_regular_file(info)) << id;
        if (fs::is_regular_file(info)) {
          EXPECT_EQ(load(info)["id"], id);
        }
      } else if (type == "Manifest" || type == "Collection") {
        EXPECT_TRUE(fs::is_regular_file(local(id, out))) << id;
      }
      for (const auto& [key, value] : j.items()) walk(value);
    };
    walk(doc);
    return images;
  }

  // Every file of the export and every path in it, as text.
  static std::vector<std::pair<std::string, std::string>> all_files(const fs::path& out) {
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& e : fs::recursive_directory_iterator(out)) {
      files.emplace_back(e.path().string(),
                         e.is_regular_file() ? read_file(e.path()) : std::string());
    }
    return files;
  }

  static std::vector<std::string> hidden_siblings(const fs::path& out) {
    std::vector<std::string> found;
    for (const auto& e : fs::directory_iterator(out.parent_path())) {
      const std::string name = e.path().filename().string();
      if (name.starts_with(".")) found.push_back(name);
    }
    return found;
  }
};

TEST_F(IiifExportTest, OnlyPublicUnitsAreExportedAndEveryUrlResolves) {
  Unit closed = add_unit("C 5.63 Nr. 2", "Neubau Sporthalle Lindenweg", "2015-2020", bestand_.id);
  Unit personal = add_unit("C 5.63 Nr. 3", "Personalakte Erika Gablonski", "1980-1990", bestand_.id,
                           [](Unit& u) {
                             u.personal_data = true;
                             u.persons_concerned = {{"Erika Gablonski", "1961", ""}};
                           });
  const AccessDecision open_decision = ws_->access(unit_, kToday);
  ASSERT_EQ(open_decision.visibility, Visibility::Public) << open_decision.reason;
  const AccessDecision closed_decision = ws_->access(closed, kToday);
  ASSERT_FALSE(closed_decision.open);
  ASSERT_EQ(closed_decision.opens_on, (Date{2051, 1, 1}));
  const AccessDecision personal_decision = ws_->access(personal, kToday);
  ASSERT_FALSE(personal_decision.open);
  ASSERT_EQ(personal_decision.visibility, Visibility::RedactedStub) << personal_decision.reason;

  scan_into(unit_, 2, 10);
  scan_into(closed, 2, 20);
  scan_into(personal, 2, 30);
  const std::vector<std::string> open_ids = tile_ids(unit_);
  ASSERT_EQ(open_ids.size(), 2u);
  std::vector<std::string> closed_ids = tile_ids(closed);
  const auto personal_ids = tile_ids(personal);
  closed_ids.insert(closed_ids.end(), personal_ids.begin(), personal_ids.end());
  ASSERT_EQ(closed_ids.size(), 4u);

  // Serve the images elsewhere than at ingest: info.json must be rewritten, not copied.
  reconfigure([](ArchiveConfig& c) {
    c.iiif.base_url = "https://bilder.example/stadtarchiv/iiif//";
    c.iiif.rights = "http://rightsstatements.org/vocab/InC/1.0/";
  });
  const std::string base = "https://bilder.example/stadtarchiv/iiif";
  ASSERT_EQ(ws_->config().iiif_base_url(), base);

  const fs::path out = dir_ / "site";
  const IiifExportReport report = export_to(out);
  EXPECT_EQ(report.manifests, 1);
  EXPECT_EQ(report.images, 2);
  EXPECT_EQ(report.collections, 2) << "the Bestand's and the index";
  EXPECT_EQ(report.not_public, 2);
  EXPECT_TRUE(report.untiled.empty());

  const std::string slug = url_slug(unit_.signatur);
  ASSERT_EQ(slug, "C-5-63-Nr-1");
  EXPECT_EQ(entries(out / "manifests"), std::set<std::string>{slug + ".json"});
  EXPECT_EQ(entries(out / "images"), std::set<std::string>(open_ids.begin(), open_ids.end()))
      << "exactly the open unit's tile pyramids";
  EXPECT_EQ(entries(out / "collections"), (std::set<std::string>{"C-5-63.json", "index.json"}));
  EXPECT_EQ(entries(out),
            (std::set<std::string>{".findbuch-export-iiif", "collections", "images", "manifests"}));

  for (const auto& id : open_ids) {
    const json info = load(out / "images" / id / "info.json");
    EXPECT_EQ(info["id"], base + "/images/" + id);
    EXPECT_EQ(info["profile"], "level0");
    EXPECT_EQ(info["width"], 400);
  }
  // The workspace's own info.json is untouched (the export's is a new file, not the hard link).
  const json workspace_info =
      load(ws_->dir() / "iiif" / open_ids[0].substr(0, 2) / open_ids[0] / "info.json");
  EXPECT_EQ(workspace_info["id"], "https://archiv.example/iiif/images/" + open_ids[0]);

  const json manifest = load(out / "manifests" / (slug + ".json"));
  EXPECT_EQ(manifest["id"], base + "/manifests/" + slug + ".json");
  EXPECT_EQ(manifest["label"], de("Bauakte (C 5.63 Nr. 1)"));
  EXPECT_EQ(manifest["rights"], "http://rightsstatements.org/vocab/InC/1.0/");
  EXPECT_EQ(manifest["requiredStatement"]["value"], de("Stadtarchiv Musterstadt, C 5.63 Nr. 1"));
  EXPECT_EQ(manifest["partOf"][0]["id"], base + "/collections/C-5-63.json");
  EXPECT_EQ(manifest["homepage"][0]["id"],
            "https://archiv.example/findbuch/C-5-63.html#C-5-63-Nr-1");
  ASSERT_EQ(manifest["items"].size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    const json& body = manifest["items"][i]["items"][0]["items"][0]["body"];
    EXPECT_EQ(body["service"][0]["id"], base + "/images/" + open_ids[i]) << "pages in order";
    EXPECT_EQ(body["id"], base + "/images/" + open_ids[i] + "/full/max/0/default.jpg");
    EXPECT_EQ(manifest["items"][i]["width"], 400);
    EXPECT_EQ(manifest["items"][i]["height"], 560);
    EXPECT_EQ(manifest["items"][i]["thumbnail"][0]["width"], 200);
  }
  EXPECT_EQ(expect_resolvable(manifest, out), 5) << "2 bodies, 2 + 1 thumbnails";

  const json bestand = load(out / "collections/C-5-63.json");
  EXPECT_EQ(bestand["id"], base + "/collections/C-5-63.json");
  ASSERT_EQ(bestand["items"].size(), 1u);
  EXPECT_EQ(bestand["items"][0]["id"], manifest["id"]);
  EXPECT_EQ(bestand["items"][0]["type"], "Manifest");
  EXPECT_EQ(expect_resolvable(bestand, out), 1) << "the thumbnail";
  const json index = load(out / "collections/index.json");
  EXPECT_EQ(index["id"], base + "/collections/index.json");
  ASSERT_EQ(index["items"].size(), 1u);
  EXPECT_EQ(index["items"][0]["id"], bestand["id"]);
  EXPECT_EQ(index["items"][0]["type"], "Collection");
  expect_resolvable(index, out);

  // Nothing of the kept-back units leaves the workspace: no Signatur, title, person or image.
  std::vector<std::string> secrets = {
      closed.signatur,   closed.title,   url_slug(closed.signatur),
      personal.signatur, personal.title, url_slug(personal.signatur),
      "Erika Gablonski"};
  secrets.insert(secrets.end(), closed_ids.begin(), closed_ids.end());
  for (const auto& [path, text] : all_files(out)) {
    for (const auto& secret : secrets) {
      EXPECT_FALSE(contains(path, secret)) << path << " names " << secret;
      EXPECT_FALSE(contains(text, secret)) << path << " mentions " << secret;
    }
  }
  EXPECT_TRUE(hidden_siblings(out).empty());
}

TEST_F(IiifExportTest, WithSizeLimitsEveryImageUrlStillResolves) {
  // The image exceeds max_width: full/max is the largest size within it, and the body says so.
  reconfigure([](ArchiveConfig& c) {
    c.iiif.tile_size = 256;
    c.iiif.max_width = 300;
  });
  scan_into(unit_, 2, 40);
  const fs::path out = dir_ / "site";
  ASSERT_EQ(export_to(out).manifests, 1);
  const json manifest = load(out / "manifests/C-5-63-Nr-1.json");
  const json& body = manifest["items"][0]["items"][0]["items"][0]["body"];
  EXPECT_TRUE(contains(body["id"].get<std::string>(), "/full/max/")) << body["id"];
  EXPECT_EQ(body["width"], 200);
  EXPECT_EQ(expect_resolvable(manifest, out), 5);
}

TEST_F(IiifExportTest, AUnitClosedLaterVanishesFromTheNextExportWithNothingStaleLeft) {
  Unit other = add_unit("C 5.63 Nr. 4", "Stallbau", "1930-1935", bestand_.id);
  scan_into(unit_, 2, 50);
  scan_into(other, 1, 60);
  const fs::path out = dir_ / "site";
  IiifExportReport first = export_to(out);
  ASSERT_EQ(first.manifests, 2);
  ASSERT_TRUE(fs::exists(out / "manifests/C-5-63-Nr-1.json"));
  const auto embargoed_ids = tile_ids(unit_);
  for (const auto& id : embargoed_ids) ASSERT_TRUE(fs::exists(out / "images" / id));

  set(unit_, [](Unit& u) { u.embargo_until = Date{2099, 12, 31}; });
  ASSERT_EQ(ws_->access(unit_, kToday).visibility, Visibility::RedactedStub);
  const IiifExportReport second = export_to(out);
  EXPECT_EQ(second.manifests, 1);
  EXPECT_EQ(second.not_public, 1);
  EXPECT_EQ(entries(out / "manifests"), std::set<std::string>{"C-5-63-Nr-4.json"});
  const auto other_ids = tile_ids(other);
  EXPECT_EQ(entries(out / "images"), std::set<std::string>(other_ids.begin(), other_ids.end()))
      << "the embargoed unit's images are gone from the export";
  const json bestand = load(out / "collections/C-5-63.json");
  ASSERT_EQ(bestand["items"].size(), 1u);
  EXPECT_EQ(bestand["items"][0]["label"], de("Stallbau (C 5.63 Nr. 4)"));
  for (const auto& [path, text] : all_files(out)) {
    EXPECT_FALSE(contains(text, "C 5.63 Nr. 1")) << path;
    EXPECT_FALSE(contains(path, "C-5-63-Nr-1")) << path;
  }
  EXPECT_TRUE(hidden_siblings(out).empty()) << "no temporary folder left beside the output";
  // The workspace's tiles are still there (the export links them, the old export is removed).
  for (const auto& id : embargoed_ids)
    EXPECT_TRUE(fs::exists(ws_->dir() / "iiif" / id.substr(0, 2) / id / "info.json"));
}

TEST_F(IiifExportTest, BestandFilterExportsOnlyThatBestand) {
  Unit d13 = add_bestand("D 1.3", "Hauptamt");
  Unit d_file = add_unit("D 1.3 Nr. 30", "Ratsprotokolle", "1901-1905", d13.id);
  scan_into(unit_, 1, 70);
  scan_into(d_file, 1, 80);

  const fs::path all = dir_ / "all";
  EXPECT_EQ(export_to(all).manifests, 2);
  EXPECT_EQ(entries(all / "collections"),
            (std::set<std::string>{"C-5-63.json", "D-1-3.json", "index.json"}));

  const fs::path only = dir_ / "only";
  const IiifExportReport r = export_to(only, bestand_);
  EXPECT_EQ(r.manifests, 1);
  EXPECT_EQ(r.not_public, 0) << "units outside the Bestand are not counted";
  EXPECT_EQ(entries(only / "manifests"), std::set<std::string>{"C-5-63-Nr-1.json"});
  const auto ids = tile_ids(unit_);
  EXPECT_EQ(entries(only / "images"), std::set<std::string>(ids.begin(), ids.end()));
  EXPECT_EQ(entries(only / "collections"), (std::set<std::string>{"C-5-63.json", "index.json"}));
  const json index = load(only / "collections/index.json");
  ASSERT_EQ(index["items"].size(), 1u);
  EXPECT_EQ(index["items"][0]["label"], de("Bauordnungsamt (C 5.63)"));
}

TEST_F(IiifExportTest, NoBaseUrlIsAUsageErrorAndWritesNothing) {
  scan_into(unit_, 1, 90);
  reconfigure([](ArchiveConfig& c) {
    c.public_base_url.clear();
    c.iiif.base_url.clear();
  });
  const fs::path out = dir_ / "site";
  const std::string msg = error_of<UsageError>([&] { export_to(out); });
  EXPECT_TRUE(contains(msg, "public_base_url")) << msg;
  EXPECT_TRUE(contains(msg, "findbuch.json")) << msg;
  EXPECT_FALSE(fs::exists(out));
  EXPECT_TRUE(hidden_siblings(out).empty());
}

TEST_F(IiifExportTest, UntiledUnitsAreReportedAndGetNoManifest) {
  // Cleaned but not tiled (--no-tiles). Without a pipeline --no-tiles crashes ingest: see
  // IiifExportDeathTest.IngestWithoutPipelineAndWithoutTilesDoesNotCrash.
  const Pipeline plain = parse_pipeline(
      R"({"name":"plain","stages":[{"stage":"save","role":"access","format":"jpeg"}]})",
      "plain.json");
  IngestOptions no_tiles;
  no_tiles.pipeline = &plain;
  no_tiles.tiles = false;
  Unit partly = add_unit("C 5.63 Nr. 5", "Teilweise gekachelt", "1920-1925", bestand_.id);
  Unit tiled = add_unit("C 5.63 Nr. 6", "Gekachelt", "1920-1925", bestand_.id);
  scan_into(unit_, 2, 100, no_tiles);
  scan_into(partly, 1, 110);
  scan_into(partly, 1, 120, no_tiles);  // one page without tiles: the unit is incomplete
  scan_into(tiled, 1, 130);
  ASSERT_TRUE(tile_ids(unit_).empty());
  ASSERT_EQ(tile_ids(partly).size(), 1u);

  const fs::path out = dir_ / "site";
  const IiifExportReport r = export_to(out);
  std::vector<std::string> untiled = r.untiled;
  std::sort(untiled.begin(), untiled.end());
  EXPECT_EQ(untiled, (std::vector<std::string>{"C 5.63 Nr. 1", "C 5.63 Nr. 5"}))
      << "no tiles at all, and tiles for only one of two pages";
  EXPECT_EQ(r.manifests, 1);
  EXPECT_EQ(r.images, 1);
  EXPECT_EQ(r.not_public, 0);
  EXPECT_EQ(entries(out / "manifests"), std::set<std::string>{"C-5-63-Nr-6.json"});
  const auto ids = tile_ids(tiled);
  EXPECT_EQ(entries(out / "images"), std::set<std::string>(ids.begin(), ids.end()))
      << "not even the tiled page of the incomplete unit";
  const json bestand = load(out / "collections/C-5-63.json");
  ASSERT_EQ(bestand["items"].size(), 1u);
  EXPECT_EQ(bestand["items"][0]["label"], de("Gekachelt (C 5.63 Nr. 6)"));
}

using IiifExportDeathTest = IiifExportTest;

TEST_F(IiifExportDeathTest, IngestWithoutPipelineAndWithoutTilesDoesNotCrash) {
  // `findbuch ingest --pipeline none --no-tiles`: masters only, no derivatives (this once
  // dereferenced a null pipeline). Run in a forked child ("fast" death test style) so that a
  // crash fails this test only.
  GTEST_FLAG_SET(death_test_style, "fast");
  pagegen::PageSpec spec;
  spec.sheet_width = 400;
  spec.sheet_height = 560;
  spec.ppi = 50;
  write_image(pagegen::generate(spec).image, scan("a.tif"), {});
  IngestOptions masters_only;
  masters_only.tiles = false;
  EXPECT_EXIT(
      {
        const IngestReport r = ingest(*ws_, unit_, {scan("a.tif")}, masters_only);
        std::exit(r.attached == 1 && r.derivatives == 0 && r.failures.empty() ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

// Mistakes and clashes the export must survive.

TEST_F(IiifExportTest, AnOutputFolderWithATrailingSlashWorks) {
  // `findbuch export iiif --out public/iiif/` (shell completion adds the slash).
  // The temporary sibling must be built beside site/, not inside it.
  scan_into(unit_, 1, 130);
  const fs::path out = dir_ / "site";
  EXPECT_NO_THROW(export_to(fs::path(out.string() + "/")));
  EXPECT_TRUE(fs::exists(out / "manifests/C-5-63-Nr-1.json"));
  EXPECT_EQ(entries(out),
            (std::set<std::string>{".findbuch-export-iiif", "collections", "images", "manifests"}))
      << "no temporary folder left inside the output";
  EXPECT_TRUE(hidden_siblings(out).empty());
}

TEST_F(IiifExportTest, WithOnlyIiifBaseUrlEveryUrlInTheManifestIsAbsolute) {
  // With public_base_url empty (iiif.base_url alone is enough) there is no public site: IIIF
  // requires absolute URIs, so there is no homepage rather than a relative one.
  scan_into(unit_, 1, 140);
  reconfigure([](ArchiveConfig& c) {
    c.public_base_url.clear();
    c.iiif.base_url = "https://bilder.example/iiif";
  });
  const fs::path out = dir_ / "site";
  ASSERT_EQ(export_to(out).manifests, 1);
  const json manifest = load(out / "manifests/C-5-63-Nr-1.json");
  std::function<void(const json&, const std::string&)> walk = [&](const json& j,
                                                                  const std::string& at) {
    if (j.is_object() || j.is_array()) {
      for (const auto& [key, value] : j.items()) walk(value, at + "/" + key);
    } else if (at.ends_with("/id")) {
      EXPECT_TRUE(j.get<std::string>().starts_with("https://")) << at << " = " << j;
    }
  };
  walk(manifest, "");
}

TEST_F(IiifExportTest, ExportingOverTheWorkspacesOwnTileFolderIsRefused) {
  // The workspace has an iiif/ folder and `findbuch export iiif --out archive/iiif` is an easy
  // mistake. The export replaces its output folder as a whole: it must refuse an output inside
  // the workspace instead of deleting every tile pyramid there.
  scan_into(unit_, 1, 150);
  const auto ids = tile_ids(unit_);
  ASSERT_EQ(ids.size(), 1u);
  const fs::path tiles = ws_->dir() / "iiif" / ids[0].substr(0, 2) / ids[0] / "info.json";
  ASSERT_TRUE(fs::exists(tiles));
  EXPECT_THROW(export_to(ws_->dir() / "iiif"), UsageError);
  EXPECT_TRUE(fs::exists(tiles)) << "the export destroyed the workspace's tiles";
  EXPECT_THROW(export_to(dir_), UsageError) << "a folder holding the workspace";
}

TEST_F(IiifExportTest, AFolderThatNoExportMadeIsNotReplaced) {
  // `--out ~/Dokumente` by mistake: the folder has other files and no export marker.
  scan_into(unit_, 1, 155);
  const fs::path out = dir_ / "documents";
  fs::create_directories(out);
  write_file_atomic(out / "brief.txt", "nicht löschen");
  EXPECT_THROW(export_to(out), UsageError);
  EXPECT_EQ(read_file(out / "brief.txt"), "nicht löschen");
  // An earlier export's folder is replaced, and so is an empty one.
  const fs::path site = dir_ / "site";
  fs::create_directories(site);
  ASSERT_EQ(export_to(site).manifests, 1);
  EXPECT_EQ(export_to(site).manifests, 1);
}

TEST_F(IiifExportTest, BestaendeWhoseSignaturenSlugAlikeGetACollectionEach) {
  // "D 1.3" and "D 1/3" both slug to "D-1-3": each Bestand still gets its own collection file,
  // the index lists both, and each manifest is partOf its own Bestand's collection.
  Unit a = add_bestand("D 1.3", "Hauptamt");
  Unit b = add_bestand("D 1/3", "Personalamt");
  ASSERT_EQ(url_slug(a.signatur), url_slug(b.signatur));
  scan_into(add_unit("D 1.3 Nr. 1", "Ratsprotokolle", "1901-1905", a.id), 1, 160);
  scan_into(add_unit("D 1/3 Nr. 1", "Dienstanweisungen", "1910-1915", b.id), 1, 170);
  const fs::path out = dir_ / "site";
  const IiifExportReport r = export_to(out);
  EXPECT_EQ(r.manifests, 2);
  EXPECT_EQ(entries(out / "collections").size(), static_cast<std::size_t>(r.collections))
      << "a collection file was overwritten";
  const json index = load(out / "collections/index.json");
  ASSERT_EQ(index["items"].size(), 2u);
  EXPECT_NE(index["items"][0]["id"], index["items"][1]["id"]);
  for (const auto& item : index["items"]) {
    const json collection = load(local(item["id"].get<std::string>(), out));
    EXPECT_EQ(collection["label"], item["label"]) << "the collection named is another Bestand's";
  }
}

TEST_F(IiifExportTest, UnitSlugsStayDistinctWhenTheDisambiguatedSlugIsTaken) {
  // A "C 5.63 Nr. 1", B "C 5.63 Nr: 1" (its slug taken by A: gets "-<B's id>") and C whose own
  // slug is exactly that, sorted before B: every manifest must still get a file of its own.
  Unit b = add_unit("C 5.63 Nr: 1", "Zweite Akte", "1950-1960", bestand_.id);
  Unit c =
      add_unit("C 5.63 Nr. 1-" + std::to_string(b.id), "Dritte Akte", "1950-1960", bestand_.id);
  ASSERT_TRUE(natural_less(unit_.signatur, c.signatur));
  ASSERT_TRUE(natural_less(c.signatur, b.signatur));
  ASSERT_EQ(url_slug(b.signatur) + "-" + std::to_string(b.id), url_slug(c.signatur));
  scan_into(unit_, 1, 180);
  scan_into(b, 1, 190);
  scan_into(c, 1, 200);
  const fs::path out = dir_ / "site";
  const IiifExportReport r = export_to(out);
  EXPECT_EQ(r.manifests, 3);
  EXPECT_EQ(entries(out / "manifests").size(), 3u) << "a manifest was overwritten";
  const json bestand = load(out / "collections/C-5-63.json");
  std::set<std::string> ids;
  for (const auto& item : bestand["items"]) ids.insert(item["id"].get<std::string>());
  EXPECT_EQ(ids.size(), 3u) << ::testing::PrintToString(ids);
}

}  // namespace
}  // namespace findbuch

// Static HTML finding aids (`export html`). On a small archive — a Tektonik group with two
// Bestände, a Gliederung and Serien, public files and an item, a closed personal file, a Serie
// closed by a restriction on its heading, a digitised file and a Zwischenarchiv — the export
// writes index.html, findbuch.css and findbuch/<Bestand>.html at the paths the public URLs
// name; every page is well-formed (parsed as XML), German, with one h1, headings that never skip
// a level, a skip link to <main id="inhalt">, header, nav, main and footer landmarks and no
// script; every relative link resolves to a file and an id of the export; closed units show only
// Signatur, level, Laufzeit and "gesperrt bis", their title, content and persons appear in no
// file, and the Zwischenarchiv appears nowhere; the digitised file links to the manifest the IIIF
// export writes; text is escaped; a re-export replaces the folder; --bestand limits it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <pugixml.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/laufzeit.hpp"
#include "core/text.hpp"
#include "exchange/html/export_html.hpp"
#include "exchange/html/html_writer.hpp"
#include "exchange/html/public_tree.hpp"
#include "exchange/iiif/export_iiif.hpp"
#include "exchange/public_urls.hpp"
#include "imaging/image_io.hpp"
#include "pagegen/page_generator.hpp"
#include "pipeline/ingest.hpp"
#include "support/checks.hpp"
#include "support/temp_dir.hpp"

namespace findbuch {
namespace {

namespace fs = std::filesystem;
using testing::contains;
using testing::error_of;

const Date kToday{2026, 11, 26};

// --- the pieces -------------------------------------------------------------------------------

TEST(HtmlWriter, EscapesTheFiveCharactersAndDropsForbiddenControls) {
  EXPECT_EQ(html::escape("a & b <c> \"d\" 'e'"), "a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#39;");
  EXPECT_EQ(html::escape("Stra\xC3\x9F"
                         "e\x01\tx"),
            "Stra\xC3\x9F"
            "e\tx");
}

TEST(HtmlWriter, ParagraphsSplitOnBlankLinesAndKeepSingleBreaks) {
  EXPECT_EQ(html::paragraphs("Eins\nzwei\n\n  \nDrei <x>\n"),
            "<p>Eins<br />\nzwei</p>\n<p>Drei &lt;x&gt;</p>\n");
  EXPECT_EQ(html::paragraphs(""), "");
}

TEST(HtmlWriter, GermanDatesAndTheLastClosedDay) {
  EXPECT_EQ(html::german_date({2061, 1, 1}), "01.01.2061");
  EXPECT_EQ(html::german_date(Date{2061, 1, 1}.previous_day()), "31.12.2060");
  EXPECT_EQ(html::german_date(Date{2024, 3, 1}.previous_day()), "29.02.2024");
  EXPECT_EQ(html::german_date(Date{2030, 5, 17}.previous_day()), "16.05.2030");
}

// --- the export -------------------------------------------------------------------------------

class HtmlExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = make_temp_dir("findbuch-html");
    ArchiveConfig config;
    config.isil = "DE-MS123";
    config.name = "Stadtarchiv Musterstadt";
    config.address = {"Rathausplatz 1", "41999 Musterstadt"};
    config.email = "archiv@musterstadt.example";
    config.public_base_url = "https://archiv.example/";
    ws_ = Workspace::create(dir_ / "archive", config);

    group_ = add("C", Level::TektonikGroup, "Akten der Stadtverwaltung", "", 0);
    bestand_ = add("C 5.63", Level::Bestand, "Bauordnungsamt & Söhne <Test>", "1900-2000",
                   group_.id, [](Unit& u) {
                     u.archival_history = "Übernommen 1990.\n\nZweiter Absatz.";
                     u.extent = "12 lfm";
                     u.creator = "Städtisches Bauordnungsamt";
                     u.access_conditions = "Nach dem Archivgesetz NRW.";
                     u.use_conditions = "Reproduktionen auf Antrag.";
                   });
    gliederung_ = add("C 5.63/1", Level::Classification, "Allgemeines", "", bestand_.id);
    serie_ = add("C 5.63/1.1", Level::Series, "Baugenehmigungen", "", gliederung_.id);
    digitised_ = add(
        "C 5.63 Nr. 1", Level::File, "Bauakte Schulstraße 7", "1950-1960", serie_.id, [](Unit& u) {
          u.enthaelt = "Pläne \"Entwurf\" & Statik <alt>";
          u.darin = "Fotos";
          u.digital_objects = {{"externer_viewer", "https://viewer.example/?id=1", "Viewer"},
                               {"externer_viewer", "javascript:alert(1)", "Böse"}};
        });
    item_ = add("C 5.63 Nr. 1/1", Level::Item, "Lageplan", "1950", digitised_.id);
    closed_ = add("C 5.63 Nr. 2", Level::File, "Personalakte Erika Mustermann", "1985-1990",
                  serie_.id, [](Unit& u) {
                    u.enthaelt = "Krankheitsberichte";
                    u.darin = "Zeugnisse";
                    u.persons_concerned = {{"Erika Mustermann", "1960", ""}};
                  });
    strasse_ =
        add("C 5.63 Nr. 3", Level::File, "Straßenbau 'Am Markt'", "1900-1910", gliederung_.id);
    restricted_serie_ = add("C 5.63/1.2", Level::Series, "Familie Geheimnis", "1900-2000",
                            gliederung_.id, [](Unit& u) { u.personal_data = true; });
    under_restricted_ =
        add("C 5.63 Nr. 5", Level::File, "Alte Meldekarten", "1900-1920", restricted_serie_.id);
    loose_ = add("C 5.63 Nr. 4", Level::File, "Verschiedenes", "1920-1930", bestand_.id);
    other_bestand_ =
        add("C 2", Level::Bestand, "Stadtverwaltung 1815-1918", "1815-1918", group_.id);
    add("C 2 Nr. 1", Level::File, "Ratsprotokolle", "1850-1860", other_bestand_.id);
    Unit f = add("F", Level::TektonikGroup, "Zwischenarchiv", "", 0,
                 [](Unit& u) { u.zwischenarchiv = true; });
    Unit f1 = add("F 1", Level::Bestand, "Sozialamt Übernahme", "2020-2024", f.id);
    add("F 1 Nr. 17", Level::File, "Einzelfallhilfe Kowalski", "1950", f1.id);
  }
  void TearDown() override {
    ws_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  Unit add(const std::string& signatur, Level level, const std::string& title,
           const std::string& laufzeit, std::int64_t parent,
           const std::function<void(Unit&)>& more = {}) {
    Unit u;
    u.signatur = signatur;
    u.level = level;
    u.title = title;
    if (!laufzeit.empty()) u.laufzeit = parse_laufzeit(laufzeit);
    u.parent_id = parent;
    u.position = -1;
    if (more) more(u);
    ws_->catalogue().insert(u, "test");
    return u;
  }
  void set(Unit& unit, const std::function<void(Unit&)>& change) {
    Unit after = unit;
    change(after);
    ASSERT_GT(ws_->catalogue().update(unit, after, "test"), 0);
    unit = after;
  }
  // One small generated page, ingested (and tiled) into `unit`.
  void scan_into(const Unit& unit, std::uint32_t seed) {
    fs::create_directories(dir_ / "scans");
    pagegen::PageSpec spec;
    spec.sheet_width = 400;
    spec.sheet_height = 560;
    spec.ppi = 50;
    spec.seed = seed;
    const fs::path file = dir_ / "scans" / ("seite" + std::to_string(seed) + ".tif");
    write_image(pagegen::generate(spec).image, file, {});
    const IngestReport r = ingest(*ws_, unit, {file}, {});
    ASSERT_EQ(r.attached, 1);
    ASSERT_TRUE(r.failures.empty());
  }

  HtmlExportReport export_to(const fs::path& out, const std::optional<Unit>& only = {}) {
    return export_html(*ws_, only, out, kToday);
  }

  // Every file of the export, relative path → content.
  static std::map<std::string, std::string> files(const fs::path& out) {
    std::map<std::string, std::string> all;
    for (const auto& e : fs::recursive_directory_iterator(out)) {
      if (e.is_regular_file()) all[fs::relative(e.path(), out).string()] = read_file(e.path());
    }
    return all;
  }
  static std::set<std::string> html_files(const fs::path& out) {
    std::set<std::string> names;
    for (const auto& [name, text] : files(out)) {
      if (name.ends_with(".html")) names.insert(name);
    }
    return names;
  }
  static std::vector<fs::path> hidden_siblings(const fs::path& out) {
    std::vector<fs::path> found;
    for (const auto& e : fs::directory_iterator(out.parent_path())) {
      if (e.path().filename().string().starts_with(".")) found.push_back(e.path());
    }
    return found;
  }
  // The page parsed strictly as XML (the export writes well-formed markup); fails the test
  // naming the page and offset otherwise.
  static std::unique_ptr<pugi::xml_document> parse(const fs::path& file) {
    auto doc = std::make_unique<pugi::xml_document>();
    const std::string text = read_file(file);
    const pugi::xml_parse_result r = doc->load_buffer(text.data(), text.size());
    EXPECT_TRUE(r) << file << ": " << r.description() << " at offset " << r.offset << ": "
                   << text.substr(
                          static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, r.offset - 60)),
                          120);
    return doc;
  }
  static pugi::xml_node by_id(const pugi::xml_document& doc, const std::string& id) {
    return doc.select_node(("//*[@id='" + id + "']").c_str()).node();
  }
  static std::string text_of(const pugi::xml_node& node) {
    std::string out;
    for (const auto& t : node.select_nodes(".//text()")) out += t.node().value();
    return out;
  }
  fs::path page_of(const fs::path& out, const Unit& bestand) {
    const std::string url = PublicUrls(ws_->config()).finding_aid(bestand);
    const std::string site = PublicUrls(ws_->config()).site() + "/";
    EXPECT_TRUE(url.starts_with(site)) << url;
    return out / url.substr(site.size());
  }

  fs::path dir_;
  std::unique_ptr<Workspace> ws_;
  Unit group_, bestand_, gliederung_, serie_, digitised_, item_, closed_, strasse_,
      restricted_serie_, under_restricted_, loose_, other_bestand_;
};

TEST_F(HtmlExportTest, WritesTheTektonikAndOnePagePerBestandWhereThePublicUrlsPoint) {
  const fs::path out = dir_ / "site";
  const HtmlExportReport r = export_to(out);
  EXPECT_EQ(r.finding_aids, 2);
  EXPECT_EQ(html_files(out),
            (std::set<std::string>{"index.html", "findbuch/C-5-63.html", "findbuch/C-2.html"}));
  EXPECT_TRUE(fs::is_regular_file(out / "findbuch.css"));
  EXPECT_TRUE(fs::is_regular_file(out / ".findbuch-export-html"));
  EXPECT_EQ(page_of(out, bestand_), out / "findbuch/C-5-63.html");
  EXPECT_EQ(page_of(out, other_bestand_), out / "findbuch/C-2.html");
  // Every unit's public URL (the IIIF manifests' homepage) names an element of that page.
  const auto doc = parse(page_of(out, bestand_));
  const PublicUrls urls(ws_->config());
  for (const Unit* u : {&gliederung_, &serie_, &digitised_, &item_, &closed_, &strasse_,
                        &restricted_serie_, &under_restricted_, &loose_}) {
    const std::string page = urls.unit_page(bestand_, *u);
    const std::string fragment = page.substr(page.find('#') + 1);
    EXPECT_TRUE(by_id(*doc, fragment)) << u->signatur << ": no id " << fragment;
  }
  EXPECT_EQ(r.units, 8) << "7 in C 5.63, 1 in C 2";
  EXPECT_EQ(r.stubs, 2) << "the personal file and the restricted Serie";
  EXPECT_TRUE(hidden_siblings(out).empty());
}

TEST_F(HtmlExportTest, EveryPageIsWellFormedGermanAccessibleHtmlWithoutScript) {
  const fs::path out = dir_ / "site";
  export_to(out);
  for (const std::string& name : html_files(out)) {
    SCOPED_TRACE(name);
    const std::string text = read_file(out / name);
    EXPECT_TRUE(text.starts_with("<!DOCTYPE html>\n"));
    const auto doc = parse(out / name);
    const pugi::xml_node html = doc->child("html");
    ASSERT_TRUE(html);
    EXPECT_STREQ(html.attribute("lang").value(), "de");
    const pugi::xml_node head = html.child("head");
    EXPECT_STREQ(head.child("meta").attribute("charset").value(), "utf-8")
        << "the charset comes first";
    EXPECT_TRUE(head.select_node("meta[@name='viewport']"));
    EXPECT_FALSE(std::string(head.child_value("title")).empty());
    EXPECT_TRUE(head.select_node("link[@rel='stylesheet']"));
    const pugi::xml_node body = html.child("body");
    const pugi::xml_node skip = body.first_child();
    EXPECT_STREQ(skip.name(), "a") << "the skip link is the first thing in the body";
    EXPECT_STREQ(skip.attribute("href").value(), "#inhalt");
    EXPECT_EQ(text_of(skip), "Zum Inhalt springen");
    EXPECT_STREQ(by_id(*doc, "inhalt").name(), "main");
    EXPECT_EQ(doc->select_nodes("//main").size(), 1u);
    EXPECT_EQ(doc->select_nodes("//body/header").size(), 1u);
    EXPECT_EQ(doc->select_nodes("//body/footer").size(), 1u);
    EXPECT_EQ(doc->select_nodes("//h1").size(), 1u);
    EXPECT_TRUE(doc->select_node("//main//h1"));
    for (const auto& nav : doc->select_nodes("//nav")) {
      EXPECT_TRUE(nav.node().attribute("aria-label") || nav.node().attribute("aria-labelledby"))
          << "every nav is named";
    }
    EXPECT_TRUE(doc->select_node("//footer//address"));
    EXPECT_TRUE(contains(text_of(doc->select_node("//footer").node()), "Rathausplatz 1"));
    EXPECT_TRUE(doc->select_node("//footer//a[@href='mailto:archiv@musterstadt.example']"));
    EXPECT_FALSE(doc->select_node("//script")) << "no JavaScript";
    EXPECT_FALSE(doc->select_node("//@*[starts-with(name(), 'on')]")) << "no event handlers";
    EXPECT_FALSE(contains(text, "javascript:"));
    // Headings start at h1 and never skip a level going down.
    int previous = 0;
    for (const auto& h : doc->select_nodes("//h1|//h2|//h3|//h4|//h5|//h6")) {
      const int level = h.node().name()[1] - '0';
      EXPECT_LE(level, previous + 1)
          << "an h" << level << " after an h" << previous << ": " << text_of(h.node());
      previous = level;
    }
    // Ids are unique.
    std::set<std::string> ids;
    for (const auto& a : doc->select_nodes("//@id")) {
      EXPECT_TRUE(ids.insert(a.attribute().value()).second)
          << "duplicate id " << a.attribute().value();
    }
  }
  const std::string css = read_file(out / "findbuch.css");
  EXPECT_TRUE(contains(css, "@media print"));
  EXPECT_TRUE(contains(css, "attr(href)")) << "printed link targets";
}

TEST_F(HtmlExportTest, EveryRelativeLinkResolvesToAFileAndAnIdOfTheExport) {
  const fs::path out = dir_ / "site";
  export_to(out);
  int checked = 0;
  for (const std::string& name : html_files(out)) {
    const auto doc = parse(out / name);
    for (const auto& attr : doc->select_nodes("//a/@href|//link/@href")) {
      const std::string href = attr.attribute().value();
      if (href.starts_with("https://") || href.starts_with("mailto:")) continue;
      SCOPED_TRACE(name + " → " + href);
      EXPECT_FALSE(href.starts_with("/") || contains(href, "://")) << "relative links only";
      const auto hash = href.find('#');
      const std::string path = href.substr(0, hash);
      const fs::path target =
          path.empty() ? out / name : (out / name).parent_path() / fs::path(path);
      ASSERT_TRUE(fs::is_regular_file(target));
      EXPECT_TRUE(
          fs::weakly_canonical(target).string().starts_with(fs::weakly_canonical(out).string()));
      if (hash != std::string::npos) {
        const auto target_doc = parse(target);
        EXPECT_TRUE(by_id(*target_doc, href.substr(hash + 1))) << "no such id";
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 20);
}

TEST_F(HtmlExportTest, TheFindingAidHasIntroductionClassificationAndUnitsInArrangementOrder) {
  const fs::path out = dir_ / "site";
  export_to(out);
  const auto doc = parse(out / "findbuch/C-5-63.html");
  const std::string intro = text_of(by_id(*doc, "einleitung"));
  for (const char* expected :
       {"Übernommen 1990.", "Zweiter Absatz.", "12 lfm", "Städtisches Bauordnungsamt",
        "Nach dem Archivgesetz NRW.", "Reproduktionen auf Antrag.", "1900-2000"}) {
    EXPECT_TRUE(contains(intro, expected)) << expected;
  }
  EXPECT_EQ(by_id(*doc, "einleitung")
                .select_nodes(".//dt[.='Bestandsgeschichte']/following-sibling::dd[1]/p")
                .size(),
            2u)
      << "the history's two paragraphs";
  // The table of contents: the Gliederung with its two Serien nested below it.
  const pugi::xml_node toc = doc->select_node("//nav[@aria-labelledby]").node();
  ASSERT_TRUE(toc);
  EXPECT_TRUE(toc.select_node(".//a[@href='#C-5-63-1']"));
  EXPECT_TRUE(toc.select_node(".//a[@href='#C-5-63-1']/../ol/li/a[@href='#C-5-63-1-1']"));
  EXPECT_TRUE(toc.select_node(".//a[@href='#C-5-63-1']/../ol/li/a[@href='#C-5-63-1-2']"));
  EXPECT_FALSE(toc.select_node(".//a[@href='#C-5-63-Nr-1']")) << "records are not headings";
  // Headings one level per nesting, the units in arrangement order.
  EXPECT_STREQ(by_id(*doc, "C-5-63-1").first_child().name(), "h3");
  EXPECT_STREQ(by_id(*doc, "C-5-63-1-1").first_child().name(), "h4");
  std::vector<std::string> order;
  for (const auto& n : doc->select_nodes("//main//*[@id]"))
    order.push_back(n.node().attribute("id").value());
  const std::vector<std::string> expected = {"C-5-63-1",      "C-5-63-1-1",  "C-5-63-Nr-1",
                                             "C-5-63-Nr-1-1", "C-5-63-Nr-2", "C-5-63-Nr-3",
                                             "C-5-63-1-2",    "C-5-63-Nr-5", "C-5-63-Nr-4"};
  std::vector<std::string> units;
  std::copy_if(order.begin(), order.end(), std::back_inserter(units),
               [](const std::string& id) { return id.starts_with("C-5-63-"); });
  EXPECT_EQ(units, expected);
  // A public entry: Signatur, title, Laufzeit, Enthält, Darin.
  const std::string entry = text_of(by_id(*doc, "C-5-63-Nr-1"));
  for (const char* expected_text : {"C 5.63 Nr. 1", "Bauakte Schulstraße 7", "1950-1960",
                                    "Pläne \"Entwurf\" & Statik <alt>", "Fotos", "Lageplan"}) {
    EXPECT_TRUE(contains(entry, expected_text)) << expected_text;
  }
  // The breadcrumb leads back to the Tektonik group.
  EXPECT_TRUE(doc->select_node("//header//nav//a[@href='../index.html#C']"));
}

TEST_F(HtmlExportTest, ClosedUnitsAreStubsAndTheirDescriptionIsInNoFile) {
  ASSERT_EQ(ws_->access(closed_, kToday).visibility, Visibility::RedactedStub);
  ASSERT_EQ(ws_->access(restricted_serie_, kToday).visibility, Visibility::RedactedStub);
  ASSERT_EQ(ws_->access(under_restricted_, kToday).visibility, Visibility::Public)
      << "the fixture's Serie heading is closed, its old file open";
  scan_into(closed_, 7);  // digitised, but closed: no manifest, no link
  const fs::path out = dir_ / "site";
  export_to(out);
  const auto doc = parse(out / "findbuch/C-5-63.html");
  const pugi::xml_node stub = by_id(*doc, "C-5-63-Nr-2");
  ASSERT_TRUE(stub);
  const std::string text = text_of(stub);
  EXPECT_TRUE(contains(text, "C 5.63 Nr. 2"));
  EXPECT_TRUE(contains(text, "Akte"));
  EXPECT_TRUE(contains(text, "1985-1990"));
  EXPECT_TRUE(contains(text, "gesperrt bis 31.12.2060")) << text;
  EXPECT_FALSE(stub.select_node(".//a")) << "no links from a stub";
  EXPECT_FALSE(stub.select_node(".//dl"));
  const std::string heading = text_of(by_id(*doc, "C-5-63-1-2"));
  EXPECT_TRUE(contains(heading, "C 5.63/1.2"));
  EXPECT_TRUE(contains(heading, "gesperrt bis")) << heading;
  EXPECT_TRUE(contains(heading, "Alte Meldekarten")) << "its open file is still shown below it";
  for (const auto& [name, content] : files(out)) {
    for (const char* secret :
         {"Personalakte", "Erika", "Mustermann", "Krankheitsberichte", "Zeugnisse", "Geheimnis"}) {
      EXPECT_FALSE(contains(content, secret)) << name << " mentions " << secret;
    }
  }
}

TEST_F(HtmlExportTest, WithClosedUnitsHiddenTheyVanishAndWhatIsOpenBelowStays) {
  ArchiveConfig c = ws_->config();
  c.protection.closed_shown_as_stub = false;
  const fs::path archive = ws_->dir();
  ws_.reset();
  save_config(Workspace::config_file(archive), c);
  ws_ = Workspace::open(archive, Workspace::Mode::Read);
  const fs::path out = dir_ / "site";
  const HtmlExportReport r = export_to(out);
  EXPECT_EQ(r.stubs, 0);
  const std::string page = read_file(out / "findbuch/C-5-63.html");
  EXPECT_FALSE(contains(page, "C 5.63 Nr. 2"));
  EXPECT_FALSE(contains(page, "C 5.63/1.2"));
  EXPECT_FALSE(contains(page, "gesperrt"));
  EXPECT_TRUE(contains(page, "Alte Meldekarten")) << "the policy decides each unit below";
}

TEST_F(HtmlExportTest, TheZwischenarchivAppearsNowhere) {
  const fs::path out = dir_ / "site";
  export_to(out);
  for (const auto& [name, content] : files(out)) {
    for (const char* secret : {"F 1", "Zwischenarchiv", "Sozialamt", "Kowalski", "F-1"}) {
      EXPECT_FALSE(contains(content, secret)) << name << " mentions " << secret;
      EXPECT_FALSE(contains(name, secret)) << name;
    }
  }
  const auto index = parse(out / "index.html");
  EXPECT_TRUE(index->select_node("//section[@id='C']//a[@href='findbuch/C-5-63.html']"));
  EXPECT_TRUE(index->select_node("//section[@id='C']//a[@href='findbuch/C-2.html']"));
  EXPECT_EQ(index->select_nodes("//main//a").size(), 2u);
}

TEST_F(HtmlExportTest, TheDigitisedPublicUnitLinksToTheManifestTheIiifExportWrites) {
  scan_into(digitised_, 3);
  const fs::path out = dir_ / "site";
  const HtmlExportReport r = export_to(out);
  EXPECT_EQ(r.digitised, 1);
  const std::string manifest = PublicUrls(ws_->config()).manifest("C-5-63-Nr-1");
  const auto doc = parse(out / "findbuch/C-5-63.html");
  const auto links = doc->select_nodes("//a[contains(@href, '/manifests/')]");
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links.first().node().attribute("href").value(), manifest);
  EXPECT_TRUE(
      by_id(*doc, "C-5-63-Nr-1").select_node(("./ul//a[@href='" + manifest + "']").c_str()));
  EXPECT_TRUE(by_id(*doc, "C-5-63-Nr-1").select_node(".//a[@href='https://viewer.example/?id=1']"))
      << "the recorded viewer";
  // The IIIF export of the same archive has exactly that manifest.
  const fs::path iiif = dir_ / "iiif";
  ASSERT_EQ(export_iiif(*ws_, {}, iiif, kToday).manifests, 1);
  const std::string base = ws_->config().iiif_base_url() + "/";
  ASSERT_TRUE(manifest.starts_with(base));
  EXPECT_TRUE(fs::is_regular_file(iiif / manifest.substr(base.size())));
}

TEST_F(HtmlExportTest, TextIsEscapedEverywhere) {
  const fs::path out = dir_ / "site";
  export_to(out);
  const std::string page = read_file(out / "findbuch/C-5-63.html");
  EXPECT_TRUE(contains(page, "Bauordnungsamt &amp; Söhne &lt;Test&gt;"));
  EXPECT_TRUE(contains(page, "Pläne &quot;Entwurf&quot; &amp; Statik &lt;alt&gt;"));
  EXPECT_TRUE(contains(page, "Straßenbau &#39;Am Markt&#39;"));
  EXPECT_FALSE(contains(page, "<Test>"));
  EXPECT_FALSE(contains(page, "<alt>"));
  EXPECT_TRUE(contains(read_file(out / "index.html"), "Söhne &lt;Test&gt;"));
}

TEST_F(HtmlExportTest, AReExportReplacesTheFolder) {
  const fs::path out = dir_ / "site";
  export_to(out);
  ASSERT_TRUE(fs::exists(out / "findbuch/C-2.html"));
  set(other_bestand_, [](Unit& u) { u.zwischenarchiv = true; });
  set(loose_, [](Unit& u) { u.embargo_until = Date{2099, 12, 31}; });
  const HtmlExportReport r = export_to(out);
  EXPECT_EQ(r.finding_aids, 1);
  EXPECT_FALSE(fs::exists(out / "findbuch/C-2.html")) << "nothing stale is left";
  const std::string page = read_file(out / "findbuch/C-5-63.html");
  EXPECT_FALSE(contains(page, "Verschiedenes"));
  EXPECT_TRUE(contains(page, "gesperrt bis 31.12.2099")) << "an embargo binds through its day";
  EXPECT_FALSE(contains(read_file(out / "index.html"), "C 2"));
  EXPECT_TRUE(hidden_siblings(out).empty());

  // A folder no export made is never replaced.
  const fs::path documents = dir_ / "documents";
  fs::create_directories(documents);
  write_file_atomic(documents / "brief.txt", "nicht löschen");
  EXPECT_THROW(export_to(documents), UsageError);
  EXPECT_EQ(read_file(documents / "brief.txt"), "nicht löschen");
}

TEST_F(HtmlExportTest, BestandOptionWritesOnlyThatBestandAndItsPath) {
  const fs::path out = dir_ / "one";
  const HtmlExportReport r = export_to(out, bestand_);
  EXPECT_EQ(r.finding_aids, 1);
  EXPECT_EQ(html_files(out), (std::set<std::string>{"index.html", "findbuch/C-5-63.html"}));
  const auto index = parse(out / "index.html");
  EXPECT_TRUE(index->select_node("//section[@id='C']//a[@href='findbuch/C-5-63.html']"));
  EXPECT_FALSE(contains(read_file(out / "index.html"), "C 2"));

  EXPECT_TRUE(
      contains(error_of<UsageError>([&] { export_to(dir_ / "x", serie_); }), "not a Bestand"));
  const Unit f1 = ws_->catalogue().require("F 1");
  EXPECT_TRUE(contains(error_of<UsageError>([&] { export_to(dir_ / "x", f1); }), "not public"));
  EXPECT_FALSE(fs::exists(dir_ / "x"));
}

}  // namespace
}  // namespace findbuch

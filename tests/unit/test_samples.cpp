// Proves that the EAD importer reads real published samples: every EAD(DDB) example of the
// Deutsche Digitale Bibliothek (Findbuch and Tektonik, versions 1.0 to 1.3, WGM profile) and the
// Archives Portal Europe EAD with dao links, each into a fresh catalogue, re-imported without
// change, with concrete values checked. The samples live in ../shared/data (SOURCES.md); when
// that folder is missing the tests are skipped, except in CI (CI=true) where they fail.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "exchange/ead/ead_import.hpp"
#include "exchange/import_batch.hpp"
#include "store/catalogue.hpp"
#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"

namespace findbuch {
namespace {

namespace fs = std::filesystem;

const fs::path kData = testing::kSharedData;

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// The EAD files among the samples: the METS/MODS files in the same folders are not EAD.
std::vector<fs::path> ead_ddb_samples() {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(kData / "samples/ead-ddb"))
    if (e.is_regular_file() && e.path().extension() == ".xml" &&
        e.path().filename().string().rfind("EAD_DDB_", 0) == 0)
      out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

class Samples : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = make_temp_dir("findbuch-samples");
    fresh();
  }
  void TearDown() override {
    catalogue_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  void fresh() {
    catalogue_.reset();
    const fs::path db = dir_ / ("catalogue" + std::to_string(++generation_) + ".db");
    catalogue_ = std::make_unique<Catalogue>(db, true);
  }

  Catalogue& cat() { return *catalogue_; }

  ImportReport import(const fs::path& file) {
    std::string xml = slurp(file);
    EXPECT_FALSE(xml.empty()) << file;
    const ImportBatch batch = read_ead(xml, file.filename().string());
    return apply_import(cat(), batch, {});
  }

  Unit by_id(const std::string& ead_id) {
    auto u = cat().find_by_ead_id(ead_id);
    if (!u) {
      ADD_FAILURE() << "no unit with EAD id \"" << ead_id << "\"";
      return Unit{};
    }
    return *u;
  }

  fs::path dir_;
  int generation_ = 0;
  std::unique_ptr<Catalogue> catalogue_;
};

const fs::path kDdb12 = kData / "samples/ead-ddb/ead_ddb/1.2/example";
const fs::path kApe = kData / "samples/ead/apedpt__IMAGES_LANGUAGES.ead.xml";

TEST_F(Samples, EveryEadDdbExampleImportsAndReimportsUnchanged) {
  REQUIRE_SAMPLES(kData / "samples/ead-ddb");
  const auto files = ead_ddb_samples();
  // Findbuch and Tektonik, min/optimum/max, 1.0 to 1.3 with the WGM profile.
  EXPECT_GE(files.size(), 14u);
  int findbuecher = 0, tektoniken = 0;
  for (const auto& file : files) {
    SCOPED_TRACE(file.string());
    const std::string name = file.filename().string();
    findbuecher += name.find("Findbuch") != std::string::npos;
    tektoniken += name.find("Tektonik") != std::string::npos;
    fresh();
    try {
      const ImportReport first = import(file);
      EXPECT_GT(first.created, 0);
      EXPECT_EQ(first.created, cat().unit_count());
      const ImportReport again = import(file);
      EXPECT_EQ(again.created, 0);
      EXPECT_EQ(again.changed, 0);
      EXPECT_EQ(again.moved, 0);
      EXPECT_EQ(again.unchanged, first.created);
      for (const auto& d : again.details) ADD_FAILURE() << "re-import: " << d;
    } catch (const InputError& e) {
      ADD_FAILURE() << e.what();
    }
  }
  EXPECT_GE(findbuecher, 8);
  EXPECT_GE(tektoniken, 4);
}

TEST_F(Samples, ApeEadWithDaoLinksImports) {
  REQUIRE_SAMPLES(kApe);
  const ImportReport r = import(kApe);
  EXPECT_EQ(r.created, cat().unit_count());
  EXPECT_GE(r.created, 9);  // the Bestand, a series, a subseries, seven files

  const Unit bestand = *cat().find("IMAGE_TYPES");
  EXPECT_EQ(bestand.level, Level::Bestand);
  EXPECT_EQ(bestand.title, "Inventaris van de IMAGE TYPES");
  ASSERT_TRUE(bestand.laufzeit.from && bestand.laufzeit.to);
  EXPECT_EQ(bestand.laufzeit.from->year, 1570);
  EXPECT_EQ(bestand.laufzeit.to->year, 1961);

  const Unit video = by_id("d1e560");
  EXPECT_EQ(video.signatur, "IMAGE_TYPES - 2");
  EXPECT_EQ(video.level, Level::File);
  ASSERT_EQ(video.digital_objects.size(), 1u);
  EXPECT_EQ(video.digital_objects[0].role, "VIDEO");
  EXPECT_EQ(video.digital_objects[0].href,
            "http://beeldbank.nationaalarchief.nl/na:col1:dat514294:0");
  EXPECT_EQ(video.digital_objects[0].title, "Kaart");

  const Unit no_role = by_id("d1e565");
  ASSERT_EQ(no_role.digital_objects.size(), 1u);
  EXPECT_EQ(no_role.digital_objects[0].role, "");
  EXPECT_FALSE(no_role.digital_objects[0].href.empty());

  const Unit many = by_id("d1e566");
  ASSERT_EQ(many.digital_objects.size(), 4u);
  std::vector<std::string> roles;
  for (const auto& d : many.digital_objects) {
    roles.push_back(d.role);
    EXPECT_EQ(d.href, "http://beeldbank.nationaalarchief.nl/na:col1:dat514294:0");
  }
  EXPECT_EQ(roles, (std::vector<std::string>{"VIDEO", "TEXT", "IMAGE", "IMAGE"}));

  // series > subseries > files, in document order.
  const Unit series = by_id("d1e437");
  EXPECT_EQ(series.parent_id, bestand.id);
  const Unit subseries = by_id("d1e457");
  EXPECT_EQ(subseries.parent_id, series.id);
  EXPECT_EQ(video.parent_id, subseries.id);
  EXPECT_EQ(cat().children(subseries.id).size(), 7u);

  const ImportReport again = import(kApe);
  EXPECT_EQ(again.unchanged, r.created);
  EXPECT_EQ(again.changed, 0);
}

TEST_F(Samples, FindbuchMaxValues) {
  REQUIRE_SAMPLES(kDdb12);
  import(kDdb12 / "EAD_DDB_Findbuch_max_1.2.xml");

  const Unit bestand = by_id("Identifier_des_Findbuchs");
  EXPECT_EQ(bestand.level, Level::Bestand);
  EXPECT_EQ(bestand.signatur, "Bestandssignatur");
  EXPECT_EQ(bestand.title, "Bestandstitel");
  EXPECT_EQ(bestand.parent_id, 0);
  EXPECT_EQ(bestand.access_conditions, "Zugangsbeschränkung");
  ASSERT_TRUE(bestand.laufzeit.from && bestand.laufzeit.to);
  EXPECT_EQ(bestand.laufzeit.from->iso(), "1900-01-01");
  EXPECT_EQ(bestand.laufzeit.to->iso(), "1905-01-01");
  EXPECT_EQ(bestand.laufzeit.text, "Bestandslaufzeit");

  const Unit klass = by_id("Identifier_der_Rubrik");
  EXPECT_EQ(klass.level, Level::Classification);
  EXPECT_EQ(klass.parent_id, bestand.id);
  const Unit series = by_id("Identifier_der_Serie");
  EXPECT_EQ(series.level, Level::Series);
  EXPECT_EQ(series.parent_id, klass.id);
  EXPECT_TRUE(series.signatur_generated);  // the series has no unitid

  const Unit file = by_id("Identifier_der_Titelaufnahme");
  EXPECT_EQ(file.level, Level::File);
  EXPECT_EQ(file.parent_id, series.id);
  EXPECT_EQ(file.signatur, "Bestandssignatur Archivaliensignatur");
  EXPECT_EQ(file.former_reference, "Altsignatur");
  EXPECT_EQ(file.title, "Titel der Archivalie");
  EXPECT_EQ(file.enthaelt, "Enthältvermerk");
  EXPECT_EQ(file.access_conditions, "Zugangsbeschränkung Text");
  ASSERT_TRUE(file.laufzeit.from && file.laufzeit.to);
  EXPECT_EQ(file.laufzeit.from->iso(), "1900-01-01");
  EXPECT_EQ(file.laufzeit.to->iso(), "1902-12-31");

  ASSERT_EQ(file.digital_objects.size(), 3u);
  EXPECT_EQ(file.digital_objects[0].role, "image_full");
  EXPECT_EQ(file.digital_objects[0].href, "Link_zum_Bild (freistehend, nicht in einem Viewer)");
  EXPECT_EQ(file.digital_objects[1].role, "externer_viewer");
  EXPECT_EQ(file.digital_objects[1].href, "Link_zum_Viewer_im_Herkunftssystem");
  EXPECT_EQ(file.digital_objects[2].role, "METS");
  EXPECT_EQ(file.digital_objects[2].href, "Link_zur_Metsdatei");

  using K = IndexTerm::Kind;
  for (const auto& term :
       std::vector<IndexTerm>{{K::Place, "Indexbegriff Ort", ""},
                              {K::Subject, "Indexbegriff Sache", ""},
                              {K::Person, "Indexbegriff Person", ""},
                              {K::CorporateBody, "Indexbegriff Körperschaft", ""}})
    EXPECT_NE(std::find(file.index_terms.begin(), file.index_terms.end(), term),
              file.index_terms.end())
        << term.name;

  const Unit item = by_id("Identifier_des_Vorgangs");
  EXPECT_EQ(item.level, Level::Item);
  EXPECT_EQ(item.parent_id, file.id);
  EXPECT_EQ(item.title, "Vorgangstitel");
  EXPECT_TRUE(item.signatur_generated);
  EXPECT_EQ(cat().unit_count(), 5);
}

TEST_F(Samples, TektonikMaxValues) {
  REQUIRE_SAMPLES(kDdb12);
  import(kDdb12 / "EAD_DDB_Tektonik_max_1.2.xml");
  EXPECT_FALSE(cat().find_by_ead_id("Identifier_der_Archivtektonik"));  // the archive itself
  const Unit group = by_id("Identifier_der_Klassifikation");
  EXPECT_EQ(group.level, Level::TektonikGroup);
  EXPECT_EQ(group.parent_id, 0);
  const Unit series = by_id("Identifier_der_Bestandsserie");
  EXPECT_EQ(series.level, Level::TektonikGroup);
  EXPECT_EQ(series.parent_id, group.id);
  const Unit bestand = by_id("Identifier_des_Findbuchs");
  EXPECT_EQ(bestand.level, Level::Bestand);
  EXPECT_EQ(bestand.signatur, "Bestandssignatur");
  EXPECT_EQ(bestand.title, "Bestandstitel");
  EXPECT_EQ(bestand.parent_id, series.id);
}

TEST_F(Samples, TektonikThenFindbuchMergeIntoOneBestand) {
  REQUIRE_SAMPLES(kDdb12);
  for (const std::string variant : {"min", "optimum", "max"}) {
    SCOPED_TRACE(variant);
    fresh();
    import(kDdb12 / ("EAD_DDB_Tektonik_" + variant + "_1.2.xml"));
    const auto tektonik_units = cat().unit_count();
    const Unit before = by_id("Identifier_des_Findbuchs");
    std::string xml = slurp(kDdb12 / ("EAD_DDB_Findbuch_" + variant + "_1.2.xml"));
    const ImportBatch batch = read_ead(xml, "findbuch.xml");
    const ImportReport r = apply_import(cat(), batch, {});
    // The Findbuch's Bestand record is the Tektonik's Bestand: no second one.
    EXPECT_EQ(cat().unit_count(),
              tektonik_units + static_cast<std::int64_t>(batch.units.size()) - 1);
    EXPECT_EQ(r.created, static_cast<int>(batch.units.size()) - 1);
    const Unit after = by_id("Identifier_des_Findbuchs");
    EXPECT_EQ(after.id, before.id);
    EXPECT_EQ(after.parent_id, before.parent_id);
    EXPECT_EQ(after.level, Level::Bestand);
    EXPECT_FALSE(cat().children(after.id).empty());
    // Importing the Tektonik again keeps what the Findbuch added.
    const ImportReport again = import(kDdb12 / ("EAD_DDB_Tektonik_" + variant + "_1.2.xml"));
    EXPECT_EQ(again.created, 0);
    EXPECT_EQ(by_id("Identifier_des_Findbuchs").signatur, after.signatur);
  }
}

}  // namespace
}  // namespace findbuch

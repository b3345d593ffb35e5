// Proves the EAD importer (read_ead + apply_import): EAD 2002 and EAD(DDB) with and without
// namespace, <c> and <c01>…, unreachable DTDs, the field mapping (Signatur rules, Altsignatur,
// Enthält, access conditions, index terms with GND, digital objects, Laufzeit), Tektonik files
// and the Findbuch that merges into their Bestand, all-or-nothing writes, --dry-run,
// idempotent re-import, and that hostile or broken input is refused with a clear InputError.
#include "exchange/ead/ead_import.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "exchange/import_batch.hpp"
#include "store/catalogue.hpp"
#include "support/temp_dir.hpp"

namespace findbuch {
namespace {

namespace fs = std::filesystem;

/// A Findbuch in EAD(DDB) form: the Bestand is the first dsc/c (level collection).
std::string ddb_findbuch(const std::string& bestand_did, const std::string& inner,
                         const std::string& bestand_id = "F1") {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<ead xmlns="urn:isbn:1-931666-22-9" xmlns:xlink="http://www.w3.org/1999/xlink">
  <eadheader><eadid mainagencycode="DE-MS123">)" +
         bestand_id + R"(</eadid></eadheader>
  <archdesc level="collection" type="Findbuch">
    <did><repository><corpname id="DE-MS123">Stadtarchiv</corpname></repository></did>
    <dsc>
      <c level="collection" id=")" +
         bestand_id + R"(">
        <did>)" +
         bestand_did +
         R"(</did>
)" + inner +
         R"(
      </c>
    </dsc>
  </archdesc>
</ead>
)";
}

/// The common case of the tests: Bestand "C 5.63" with the given components inside.
std::string findbuch_c563(const std::string& inner) {
  return ddb_findbuch("<unitid>C 5.63</unitid><unittitle>Bauordnungsamt</unittitle>", inner);
}

std::string file_c(const std::string& id, const std::string& unitid, const std::string& title,
                   const std::string& extra = "") {
  return "<c level=\"file\" id=\"" + id + "\"><did><unitid>" + unitid + "</unitid><unittitle>" +
         title + "</unittitle></did>" + extra + "</c>";
}

class EadImport : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = make_temp_dir("findbuch-ead");
    catalogue_ = std::make_unique<Catalogue>(dir_ / "catalogue.db", true);
  }
  void TearDown() override {
    catalogue_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  Catalogue& cat() { return *catalogue_; }

  ImportBatch read(std::string xml, const std::string& name = "f.xml",
                   const EadLimits& limits = {}) {
    return read_ead(xml, name, limits);
  }

  ImportReport import(std::string xml, const ImportOptions& options = {},
                      const std::string& name = "f.xml") {
    const ImportBatch batch = read_ead(xml, name);
    return apply_import(cat(), batch, options);
  }

  /// The InputError message of reading and applying `xml` ("" when nothing was thrown).
  std::string error_of(std::string xml, const EadLimits& limits = {},
                       const std::string& name = "f.xml", const ImportOptions& options = {}) {
    try {
      const ImportBatch batch = read_ead(xml, name, limits);
      apply_import(cat(), batch, options);
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  }

  Unit unit(const std::string& signatur) {
    auto u = cat().find(signatur);
    if (!u) {
      ADD_FAILURE() << "no unit with Signatur \"" << signatur << "\"";
      return Unit{};
    }
    return *u;
  }

  Unit by_id(const std::string& ead_id) {
    auto u = cat().find_by_ead_id(ead_id);
    if (!u) {
      ADD_FAILURE() << "no unit with EAD id \"" << ead_id << "\"";
      return Unit{};
    }
    return *u;
  }

  std::size_t log_size() { return cat().log(std::nullopt, 1'000'000).size(); }

  fs::path dir_;
  std::unique_ptr<Catalogue> catalogue_;
};

::testing::AssertionResult contains(const std::string& haystack, const std::string& needle) {
  if (haystack.find(needle) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << haystack << "\" lacks \"" << needle << "\"";
}

// --- Structure -----------------------------------------------------------------------------

TEST_F(EadImport, DdbFindbuchWithNamespaceAndPlainC) {
  const ImportReport r = import(findbuch_c563(R"(
        <c level="class" id="K1"><did><unitid>1</unitid><unittitle>Baugenehmigungen</unittitle></did>
          <c level="series" id="S1"><did><unittitle>Wohnhäuser</unittitle></did>
            <c level="file" id="A1"><did><unitid>1234</unitid><unittitle>Haus Markt 1</unittitle>
              <unitdate normal="1950/1952">1950-1952</unitdate></did>
              <c level="item" id="I1"><did><unitid>1234/1</unitid><unittitle>Bauplan</unittitle></did></c>
            </c>
          </c>
        </c>)"));
  EXPECT_EQ(r.created, 5);
  EXPECT_EQ(cat().unit_count(), 5);

  const Unit bestand = unit("C 5.63");
  EXPECT_EQ(bestand.level, Level::Bestand);
  EXPECT_EQ(bestand.ead_id, "F1");
  EXPECT_EQ(bestand.title, "Bauordnungsamt");
  EXPECT_EQ(bestand.parent_id, 0);

  const Unit klass = by_id("K1");
  EXPECT_EQ(klass.level, Level::Classification);
  EXPECT_EQ(klass.parent_id, bestand.id);
  EXPECT_EQ(klass.signatur, "C 5.63/1");
  const Unit series = by_id("S1");
  EXPECT_EQ(series.level, Level::Series);
  EXPECT_EQ(series.parent_id, klass.id);
  EXPECT_TRUE(series.signatur_generated);
  const Unit file = unit("C 5.63 Nr. 1234");
  EXPECT_EQ(file.level, Level::File);
  EXPECT_EQ(file.ead_id, "A1");
  EXPECT_EQ(file.parent_id, series.id);
  EXPECT_EQ(file.title, "Haus Markt 1");
  ASSERT_TRUE(file.laufzeit.from.has_value());
  ASSERT_TRUE(file.laufzeit.to.has_value());
  EXPECT_EQ(file.laufzeit.from->iso(), "1950-01-01");
  EXPECT_EQ(file.laufzeit.to->iso(), "1952-12-31");
  const Unit item = by_id("I1");
  EXPECT_EQ(item.level, Level::Item);
  EXPECT_EQ(item.parent_id, file.id);
}

TEST_F(EadImport, Ead2002WithoutNamespaceAndNumberedComponents) {
  import(R"(<?xml version="1.0" encoding="UTF-8"?>
<ead>
  <eadheader><eadid>B2-FB</eadid></eadheader>
  <archdesc level="fonds">
    <did><unitid>B 2</unitid><unittitle>Bürgerbücher</unittitle>
      <unitdate normal="1600/1800">1600-1800</unitdate></did>
    <scopecontent><head>Einleitung</head><p>Bürgerbücher der Stadt.</p></scopecontent>
    <dsc>
      <c01 level="series" id="s1"><did><unittitle>Bürgeraufnahmen</unittitle></did>
        <c02 level="file" id="f1"><did><unitid>7</unitid><unittitle>Bürgerbuch 1600-1650</unittitle></did>
          <c03 level="item" id="i1"><did><unitid>7a</unitid><unittitle>Eintrag Müller</unittitle></did></c03>
        </c02>
      </c01>
      <c01 level="file" id="f2"><did><unitid>8</unitid><unittitle>Bürgerbuch 1650-1700</unittitle></did></c01>
    </dsc>
  </archdesc>
</ead>)");
  EXPECT_EQ(cat().unit_count(), 5);
  const Unit bestand = unit("B 2");
  EXPECT_EQ(bestand.level, Level::Bestand);
  EXPECT_EQ(bestand.ead_id, "B2-FB");  // the eadid names the Bestand when archdesc describes it
  EXPECT_EQ(bestand.enthaelt, "Bürgerbücher der Stadt.");
  const Unit series = by_id("s1");
  EXPECT_EQ(series.level, Level::Series);
  EXPECT_EQ(series.parent_id, bestand.id);
  const Unit f1 = unit("B 2 Nr. 7");
  EXPECT_EQ(f1.parent_id, series.id);
  EXPECT_EQ(f1.level, Level::File);
  const Unit i1 = by_id("i1");
  EXPECT_EQ(i1.level, Level::Item);
  EXPECT_EQ(i1.parent_id, f1.id);
  EXPECT_EQ(i1.signatur, "B 2 Nr. 7a");
  const Unit f2 = unit("B 2 Nr. 8");
  EXPECT_EQ(f2.parent_id, bestand.id);
  // Arrangement order is kept: the series before file 8.
  const auto kids = cat().children(bestand.id);
  ASSERT_EQ(kids.size(), 2u);
  EXPECT_EQ(kids[0].signatur, series.signatur);
  EXPECT_EQ(kids[1].signatur, "B 2 Nr. 8");
}

TEST_F(EadImport, DoctypeWithUnreachableDtdIsNeverFetched) {
  // Neither a relative SYSTEM id nor a URL on a closed port may be fetched or stop the import.
  for (const std::string system : {"ead.dtd", "http://127.0.0.1:9/ead.dtd"}) {
    std::string xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE ead PUBLIC "+//ISBN 1-931666-00-8//DTD ead.dtd (Encoded Archival Description (EAD) Version 2002)//EN" ")" +
                      system + R"(">
<ead><eadheader><eadid>D1</eadid></eadheader>
  <archdesc level="fonds"><did><unitid>D 1</unitid><unittitle>Nachlass</unittitle></did>
    <dsc><c level="file" id="d1f1"><did><unitid>1</unitid><unittitle>Briefe</unittitle></did></c></dsc>
  </archdesc></ead>)";
    const ImportBatch batch = read(xml);
    ASSERT_EQ(batch.units.size(), 2u) << system;
    EXPECT_EQ(batch.units[1].unit.signatur, "D 1 Nr. 1");
  }
  std::string plain = R"(<?xml version="1.0"?>
<!DOCTYPE ead SYSTEM "ead.dtd">
<ead><archdesc level="fonds"><did><unitid>D 2</unitid><unittitle>Nachlass 2</unittitle></did></archdesc></ead>)";
  const ImportBatch batch = read(plain);
  ASSERT_EQ(batch.units.size(), 1u);
  apply_import(cat(), batch, {});
  EXPECT_EQ(unit("D 2").title, "Nachlass 2");
}

TEST_F(EadImport, IdsStartingWithDigits) {
  import(ddb_findbuch("<unitid>E 2</unitid><unittitle>Fotos</unittitle>",
                      file_c("0815", "00815", "Rathaus 1955") + file_c("1-2-3", "00816", "Markt"),
                      "4711-E2"));
  EXPECT_EQ(unit("E 2").ead_id, "4711-E2");
  EXPECT_EQ(by_id("0815").signatur, "E 2 Nr. 00815");
  EXPECT_EQ(by_id("1-2-3").signatur, "E 2 Nr. 00816");
}

TEST_F(EadImport, MissingLevelIsInferredFromChildren) {
  import(findbuch_c563(R"(
      <c id="g"><did><unittitle>Gruppe ohne level</unittitle></did>
        <c id="f"><did><unitid>1</unitid><unittitle>Akte ohne level</unittitle></did></c>
      </c>)"));
  EXPECT_EQ(by_id("g").level, Level::Classification);
  EXPECT_EQ(by_id("f").level, Level::File);
  EXPECT_EQ(by_id("f").signatur, "C 5.63 Nr. 1");
}

// --- Field mapping -------------------------------------------------------------------------

TEST_F(EadImport, UnitdateNormalZeroFallsBackToText) {
  import(findbuch_c563(
      R"(<c level="file" id="a"><did><unitid>1</unitid><unittitle>A</unittitle>
           <unitdate normal="0000/0000">1890-1923</unitdate></did></c>
         <c level="file" id="b"><did><unitid>2</unitid><unittitle>B</unittitle>
           <unitdate normal="1900-01-01/1902-12-31">Laufzeit</unitdate></did></c>
         <c level="file" id="c"><did><unitid>3</unitid><unittitle>C</unittitle>
           <unitdate normal="0000/0000">ohne Datum ganz unlesbar</unitdate></did></c>)"));
  const Unit a = unit("C 5.63 Nr. 1");
  EXPECT_EQ(a.laufzeit.text, "1890-1923");
  ASSERT_TRUE(a.laufzeit.from && a.laufzeit.to);
  EXPECT_EQ(a.laufzeit.from->iso(), "1890-01-01");
  EXPECT_EQ(a.laufzeit.to->iso(), "1923-12-31");

  const Unit b = unit("C 5.63 Nr. 2");  // a usable @normal wins over unreadable text
  EXPECT_EQ(b.laufzeit.text, "Laufzeit");
  ASSERT_TRUE(b.laufzeit.from && b.laufzeit.to);
  EXPECT_EQ(b.laufzeit.from->iso(), "1900-01-01");
  EXPECT_EQ(b.laufzeit.to->iso(), "1902-12-31");

  const Unit c = unit("C 5.63 Nr. 3");  // neither readable: text kept, no interval
  EXPECT_EQ(c.laufzeit.text, "ohne Datum ganz unlesbar");
  EXPECT_FALSE(c.laufzeit.from);
  EXPECT_FALSE(c.laufzeit.to);
}

TEST_F(EadImport, UnreadableDateWarnsNamingTheElement) {
  std::string xml = findbuch_c563(
      R"(<c level="file" id="a"><did><unitid>1</unitid><unittitle>A</unittitle>
           <unitdate normal="0000/0000">irgendwann</unitdate></did></c>)");
  const ImportBatch batch = read(xml, "w.xml");
  ASSERT_FALSE(batch.warnings.empty());
  const bool named = std::any_of(batch.warnings.begin(), batch.warnings.end(), [](auto& w) {
    return w.find("w.xml: /ead/archdesc/dsc/c[1]/c[1]/did/unitdate") != std::string::npos &&
           w.find("irgendwann") != std::string::npos;
  });
  EXPECT_TRUE(named) << batch.warnings.front();
}

TEST_F(EadImport, EmptyUnitidGetsGeneratedSignatur) {
  import(findbuch_c563(R"(
      <c level="file" id="e1"><did><unitid></unitid><unittitle>Ohne Nummer</unittitle></did></c>
      <c level="file" id="e2"><did><unitid/><unittitle>Auch ohne</unittitle></did></c>
      <c level="file" id="e3"><did><unittitle>Gar keine unitid</unittitle></did></c>
      <c level="file" id="e4"><did><unitid>  </unitid><unittitle>Nur Leerzeichen</unittitle></did></c>
      <c level="file" id="n1"><did><unitid>9</unitid><unittitle>Mit Nummer</unittitle></did></c>)"));
  std::vector<std::string> seen;
  for (const std::string id : {"e1", "e2", "e3", "e4"}) {
    const Unit u = by_id(id);
    EXPECT_TRUE(u.signatur_generated) << id;
    EXPECT_FALSE(u.signatur.empty()) << id;
    EXPECT_EQ(u.signatur.rfind("C 5.63", 0), 0u) << id << ": " << u.signatur;
    EXPECT_EQ(std::find(seen.begin(), seen.end(), u.signatur), seen.end()) << u.signatur;
    seen.push_back(u.signatur);
  }
  EXPECT_FALSE(by_id("n1").signatur_generated);
  EXPECT_FALSE(unit("C 5.63").signatur_generated);
}

TEST_F(EadImport, BestandWithoutUnitidIsNamedByItsId) {
  import(ddb_findbuch("<unittitle>Ohne Signatur</unittitle>", file_c("x1", "5", "Akte")));
  const Unit bestand = by_id("F1");
  EXPECT_TRUE(bestand.signatur_generated);
  EXPECT_EQ(bestand.signatur, "F1");
}

TEST_F(EadImport, FileNumberIsPrefixedWithBestandSignatur) {
  import(findbuch_c563(
      R"(<c level="class" id="k"><did><unitid>1.1</unitid><unittitle>Allgemeines</unittitle></did>)" +
      file_c("a", "1234", "Haus Markt 1") + "</c>" +
      file_c("b", "C 5.63 Nr. 1235", "Schon vollständig") + file_c("c", "A-17", "Buchstaben")));
  EXPECT_EQ(by_id("a").signatur, "C 5.63 Nr. 1234");
  EXPECT_EQ(by_id("b").signatur, "C 5.63 Nr. 1235");  // not doubled
  EXPECT_EQ(by_id("c").signatur, "C 5.63 A-17");
  EXPECT_EQ(by_id("k").signatur, "C 5.63/1.1");  // inner order: Bestand/Systemstelle
  EXPECT_FALSE(by_id("a").signatur_generated);
}

TEST_F(EadImport, AltsignaturBecomesFormerReference) {
  import(findbuch_c563(R"(
      <c level="file" id="a"><did>
        <unitid type="Altsignatur">Rep. 12 Nr. 4</unitid>
        <unitid>1234</unitid>
        <unittitle>Haus Markt 1</unittitle></did></c>)"));
  const Unit u = by_id("a");
  EXPECT_EQ(u.signatur, "C 5.63 Nr. 1234");
  EXPECT_EQ(u.former_reference, "Rep. 12 Nr. 4");
}

TEST_F(EadImport, FieldMapping) {
  import(findbuch_c563(R"(
      <c level="file" id="a">
        <did>
          <unitid>1</unitid>
          <unittitle>Bauakte Markt 1</unittitle>
          <abstract type="enthält u.a.">Baugenehmigung, Pläne</abstract>
          <abstract type="darin">Foto des Hauses</abstract>
          <physdesc><extent>1 Akte</extent></physdesc>
          <origination>Bauordnungsamt</origination>
          <physloc>Magazin 2, Regal 14</physloc>
        </did>
        <accessrestrict><head>Zugangsbeschränkung</head><p>Gesperrt bis 2030</p></accessrestrict>
        <userestrict><p>Nur im Lesesaal</p></userestrict>
        <odd><head>Aktenzeichen</head><p>63-12/4</p></odd>
        <custodhist><p>Abgabe 1990</p></custodhist>
      </c>)"));
  const Unit u = by_id("a");
  EXPECT_EQ(u.enthaelt, "Baugenehmigung, Pläne");
  EXPECT_EQ(u.darin, "Foto des Hauses");
  EXPECT_EQ(u.extent, "1 Akte");
  EXPECT_EQ(u.creator, "Bauordnungsamt");
  EXPECT_EQ(u.storage_location, "Magazin 2, Regal 14");
  EXPECT_EQ(u.access_conditions, "Gesperrt bis 2030");  // the <head> label is not content
  EXPECT_EQ(u.use_conditions, "Nur im Lesesaal");
  EXPECT_EQ(u.aktenzeichen, "63-12/4");
  EXPECT_EQ(u.archival_history, "Abgabe 1990");
}

TEST_F(EadImport, IndexEntriesWithGnd) {
  import(findbuch_c563(R"(
      <c level="file" id="a">
        <did><unitid>1</unitid><unittitle>Akte</unittitle></did>
        <index>
          <indexentry><persname source="GND" authfilenumber="118540238">Goethe, Johann Wolfgang von</persname></indexentry>
          <indexentry><geogname source="GND" authfilenumber="4031483-2">Köln</geogname></indexentry>
          <indexentry><corpname source="GND" authfilenumber="2022139-3">Stadt Hilden</corpname></indexentry>
          <indexentry><subject source="GND" authfilenumber="4005242-0">Baugenehmigung</subject></indexentry>
          <indexentry><persname source="Ortsindex" authfilenumber="777">Müller, Anna</persname></indexentry>
          <indexentry><geogname>Hilden</geogname></indexentry>
        </index>
      </c>)"));
  const Unit u = by_id("a");
  using K = IndexTerm::Kind;
  const std::vector<IndexTerm> expected = {
      {K::Person, "Goethe, Johann Wolfgang von", "118540238"},
      {K::Place, "Köln", "4031483-2"},
      {K::CorporateBody, "Stadt Hilden", "2022139-3"},
      {K::Subject, "Baugenehmigung", "4005242-0"},
      {K::Person, "Müller, Anna", ""},  // not a GND number
      {K::Place, "Hilden", ""},
  };
  ASSERT_EQ(u.index_terms.size(), expected.size());
  for (const auto& term : expected)
    EXPECT_NE(std::find(u.index_terms.begin(), u.index_terms.end(), term), u.index_terms.end())
        << index_kind_key(term.kind) << " " << term.name << "|" << term.gnd;
}

TEST_F(EadImport, DaogrpDaolocBecomeDigitalObjects) {
  import(findbuch_c563(R"(
      <c level="file" id="a">
        <did><unitid>1</unitid><unittitle>Akte</unittitle></did>
        <daogrp>
          <daoloc xlink:role="image_full" xlink:href="https://example.org/img/1.jpg"/>
          <daoloc xlink:role="image_thumb" xlink:href="https://example.org/img/1_t.jpg"/>
          <daoloc xlink:role="externer_viewer" xlink:href="https://example.org/viewer/1"/>
          <daoloc xlink:role="METS" xlink:href="https://example.org/mets/1.xml"/>
        </daogrp>
      </c>)"));
  const Unit u = by_id("a");
  ASSERT_EQ(u.digital_objects.size(), 4u);
  EXPECT_EQ(u.digital_objects[0].role, "image_full");
  EXPECT_EQ(u.digital_objects[0].href, "https://example.org/img/1.jpg");
  EXPECT_EQ(u.digital_objects[1].role, "image_thumb");
  EXPECT_EQ(u.digital_objects[2].role, "externer_viewer");
  EXPECT_EQ(u.digital_objects[2].href, "https://example.org/viewer/1");
  EXPECT_EQ(u.digital_objects[3].role, "METS");
  EXPECT_EQ(u.digital_objects[3].href, "https://example.org/mets/1.xml");
}

// --- Tektonik and Findbuch ------------------------------------------------------------------

const char* const kTektonik = R"(<?xml version="1.0" encoding="UTF-8"?>
<ead xmlns="urn:isbn:1-931666-22-9">
  <eadheader><eadid>TEK</eadid></eadheader>
  <archdesc level="collection" type="Tektonik">
    <did><repository><corpname id="DE-MS123">Stadtarchiv</corpname></repository></did>
    <dsc>
      <c level="collection" id="TEK">
        <did><unittitle>Stadtarchiv (Tektonik)</unittitle></did>
        <c level="class" id="G-C"><did><unitid>C</unitid><unittitle>Akten der Stadtverwaltung</unittitle></did>
          <c level="class" id="G-C5"><did><unitid>C 5</unitid><unittitle>ab 1975</unittitle></did>
            <c level="file" id="F1"><did><unitid>C 5.63</unitid><unittitle>Bauordnungsamt</unittitle>
              <unitdate normal="1975/2000">1975-2000</unitdate></did></c>
            <c level="file" id="F2"><did><unitid>C 5.32</unitid><unittitle>Ordnungsamt</unittitle></did></c>
          </c>
        </c>
      </c>
    </dsc>
  </archdesc>
</ead>)";

TEST_F(EadImport, TektonikMapsClassToGroupAndLeafToBestand) {
  const ImportReport r = import(kTektonik);
  EXPECT_EQ(r.created, 4);
  EXPECT_EQ(cat().unit_count(), 4);  // the archive's own <c> is not a unit
  EXPECT_FALSE(cat().find_by_ead_id("TEK"));
  const Unit c = by_id("G-C");
  EXPECT_EQ(c.level, Level::TektonikGroup);
  EXPECT_EQ(c.signatur, "C");
  EXPECT_EQ(c.parent_id, 0);
  const Unit c5 = by_id("G-C5");
  EXPECT_EQ(c5.level, Level::TektonikGroup);
  EXPECT_EQ(c5.parent_id, c.id);
  const Unit f1 = by_id("F1");
  EXPECT_EQ(f1.level, Level::Bestand);
  EXPECT_EQ(f1.signatur, "C 5.63");  // no prefixing inside a Tektonik
  EXPECT_EQ(f1.parent_id, c5.id);
  EXPECT_EQ(by_id("F2").level, Level::Bestand);
}

TEST_F(EadImport, FindbuchMergesIntoTheTektonikBestand) {
  import(kTektonik);
  const Unit before = by_id("F1");
  const ImportReport r =
      import(ddb_findbuch("<unitid>C 5.63</unitid><unittitle>Bauordnungsamt</unittitle>"
                          "<abstract>Bauakten der Stadt</abstract>",
                          file_c("a1", "1", "Haus Markt 1") + file_c("a2", "2", "Haus Markt 2")));
  EXPECT_EQ(r.created, 2);
  EXPECT_EQ(r.changed, 1);
  EXPECT_EQ(cat().unit_count(), 6);  // no second Bestand
  const Unit after = by_id("F1");
  EXPECT_EQ(after.id, before.id);
  EXPECT_EQ(after.parent_id, before.parent_id);  // stays in its Tektonik group
  EXPECT_EQ(after.level, Level::Bestand);
  EXPECT_EQ(after.signatur, "C 5.63");
  EXPECT_EQ(after.enthaelt, "Bauakten der Stadt");
  EXPECT_EQ(after.laufzeit.text, "1975-2000");  // not erased by the Findbuch that lacks it
  EXPECT_EQ(unit("C 5.63 Nr. 1").parent_id, after.id);
  EXPECT_EQ(unit("C 5.63 Nr. 2").parent_id, after.id);

  // And the Tektonik again afterwards changes nothing the Findbuch added.
  const ImportReport again = import(kTektonik);
  EXPECT_EQ(again.created, 0);
  EXPECT_EQ(again.changed, 0);
  EXPECT_EQ(by_id("F1").enthaelt, "Bauakten der Stadt");
}

TEST_F(EadImport, TektonikReimportDoesNotUndoTheFindbuch) {
  // Both describe the Bestand, differently: the Findbuch's description wins, and importing
  // the Tektonik and the Findbuch in turn settles instead of flipping back and forth.
  std::string tektonik = kTektonik;
  const std::string leaf = "<unittitle>Bauordnungsamt</unittitle>";
  tektonik.replace(tektonik.find(leaf), leaf.size(),
                   leaf + "<abstract>Kurzbeschreibung aus der Tektonik</abstract>");
  const std::string findbuch = ddb_findbuch(
      "<unitid>C 5.63</unitid><unittitle>Bauordnungsamt</unittitle>"
      "<abstract>Einleitung des Findbuchs</abstract>",
      file_c("a1", "1", "Haus Markt 1"));
  import(tektonik);
  EXPECT_EQ(by_id("F1").enthaelt, "Kurzbeschreibung aus der Tektonik");
  import(findbuch);
  EXPECT_EQ(by_id("F1").enthaelt, "Einleitung des Findbuchs");
  const ImportReport tektonik_again = import(tektonik);
  EXPECT_EQ(tektonik_again.changed, 0);
  EXPECT_EQ(by_id("F1").enthaelt, "Einleitung des Findbuchs");
  const ImportReport findbuch_again = import(findbuch);
  EXPECT_EQ(findbuch_again.changed, 0);
  EXPECT_EQ(findbuch_again.created, 0);
}

TEST_F(EadImport, FindbuchWithoutUnitidKeepsTheTektonikSignatur) {
  // EAD(DDB) only requires did/unittitle on the Bestand record (see the Findbuch minimal
  // example): the Signatur the Tektonik gave the Bestand must survive.
  import(kTektonik);
  import(ddb_findbuch("<unittitle>Bauordnungsamt</unittitle>", file_c("a1", "1", "Haus Markt 1")));
  EXPECT_EQ(cat().unit_count(), 5);
  const Unit bestand = by_id("F1");
  EXPECT_EQ(bestand.signatur, "C 5.63");
  EXPECT_FALSE(bestand.signatur_generated);
  EXPECT_EQ(by_id("a1").parent_id, bestand.id);
}

TEST_F(EadImport, TektonikWithoutUnitidKeepsTheFindbuchSignatur) {
  // The other order: a minimal Tektonik (Bestand leaf without unitid) imported after the
  // Findbuch that gave the Bestand its Signatur must not rename it to the id.
  import(ddb_findbuch("<unitid>C 5.63</unitid><unittitle>Bauordnungsamt</unittitle>",
                      file_c("a1", "1", "Haus Markt 1")));
  import(R"(<ead><eadheader><eadid>TEK</eadid></eadheader><archdesc type="Tektonik"><dsc>
      <c level="collection" id="TEK"><did><unittitle>Archiv</unittitle></did>
        <c level="class" id="G"><did><unitid>C</unitid><unittitle>Akten</unittitle></did>
          <c level="file" id="F1"><did><unittitle>Bauordnungsamt</unittitle></did></c>
        </c></c></dsc></archdesc></ead>)");
  const Unit bestand = by_id("F1");
  EXPECT_EQ(bestand.signatur, "C 5.63");
  EXPECT_FALSE(bestand.signatur_generated);
  // The Tektonik does not move a Bestand that is already placed (no parent in the batch
  // means "keep"), but the group is created.
  EXPECT_EQ(by_id("G").level, Level::TektonikGroup);
  EXPECT_EQ(unit("C 5.63 Nr. 1").parent_id, bestand.id);
}

// KNOWN BUG (reported): the files of a Findbuch whose Bestand record has no unitid are numbered
// from the generated Bestand Signatur (the id: "F1 Nr. 1"), not from the Signatur the catalogue
// holds for that Bestand ("C 5.63 Nr. 1"). Enable with --gtest_also_run_disabled_tests.
TEST_F(EadImport, FindbuchWithoutUnitidNumbersFilesFromTheTektonikSignatur) {
  import(kTektonik);
  import(ddb_findbuch("<unittitle>Bauordnungsamt</unittitle>", file_c("a1", "1", "Haus Markt 1")));
  EXPECT_EQ(by_id("a1").signatur, "C 5.63 Nr. 1");
}

// KNOWN BUG (reported): a generated Signatur ("C 5.63/1" for the first unnumbered class) can
// equal a real one of a sibling (a class with unitid "1"), and the valid file is refused as
// having duplicate Signaturen. Enable with --gtest_also_run_disabled_tests.
TEST_F(EadImport, GeneratedSignaturNeverCollidesWithARealOne) {
  const ImportReport r = import(findbuch_c563(R"(
      <c level="class" id="k1"><did><unittitle>Ohne Nummer</unittitle></did></c>
      <c level="class" id="k2"><did><unitid>1</unitid><unittitle>Nummer 1</unittitle></did></c>)"));
  EXPECT_EQ(r.created, 3);
  EXPECT_NE(by_id("k1").signatur, by_id("k2").signatur);
}

// --- Transactions, dry run, idempotence ----------------------------------------------------

const char* const kRich = R"(<?xml version="1.0" encoding="UTF-8"?>
<ead xmlns="urn:isbn:1-931666-22-9" xmlns:xlink="http://www.w3.org/1999/xlink">
  <eadheader><eadid>F9</eadid></eadheader>
  <archdesc level="collection" type="Findbuch"><did/>
    <dsc>
      <c level="collection" id="F9">
        <did><unitid>E 2</unitid><unittitle>Fotos</unittitle>
          <unitdate normal="1900/1990">ca. 1900-1990</unitdate></did>
        <c level="series" id="F9-s"><did><unittitle>Stadtansichten</unittitle></did>
          <c level="file" id="F9-1">
            <did><unitid>00815</unitid><unitid type="Altsignatur">Foto 15</unitid>
              <unittitle>Rathaus</unittitle><unitdate normal="0000/0000">1955</unitdate>
              <abstract type="enthält u.a.">Ansicht von Süden</abstract></did>
            <accessrestrict><p>frei</p></accessrestrict>
            <daogrp><daoloc xlink:role="image_full" xlink:href="https://example.org/815.jpg"/></daogrp>
            <index><indexentry><geogname source="GND" authfilenumber="4024788-1">Hilden</geogname></indexentry></index>
          </c>
          <c level="file" id="F9-2"><did><unitid/><unittitle>Ohne Nummer</unittitle></did></c>
        </c>
      </c>
    </dsc>
  </archdesc>
</ead>)";

TEST_F(EadImport, DryRunReportsButWritesNothing) {
  ImportOptions dry;
  dry.dry_run = true;
  const ImportReport r = import(kRich, dry);
  EXPECT_EQ(r.created, 4);
  EXPECT_EQ(r.details.size(), 4u);
  EXPECT_EQ(cat().unit_count(), 0);
  EXPECT_EQ(log_size(), 0u);
  EXPECT_FALSE(cat().find("E 2"));

  const ImportReport real = import(kRich);
  EXPECT_EQ(real.created, 4);
  EXPECT_EQ(cat().unit_count(), 4);
}

TEST_F(EadImport, ReimportIsIdempotent) {
  const ImportReport first = import(kRich);
  EXPECT_EQ(first.created, 4);
  const std::size_t log_after_first = log_size();
  const ImportReport second = import(kRich);
  EXPECT_EQ(second.created, 0);
  EXPECT_EQ(second.changed, 0);
  EXPECT_EQ(second.moved, 0);
  EXPECT_EQ(second.unchanged, 4);
  EXPECT_EQ(cat().unit_count(), 4);
  EXPECT_EQ(log_size(), log_after_first);
  for (const auto& d : second.details) ADD_FAILURE() << "unexpected: " << d;
}

TEST_F(EadImport, ReimportKeepsListFieldsThatHaveNoTextForm) {
  // Values the CSV text forms cannot carry ("ROLE|URL|TITLE; …", "NAME|GND; …",
  // "NAME|BORN|DIED; …"): an empty role, ';' and '|' inside values, life dates as written.
  const std::string xml = findbuch_c563(R"(
      <c level="file" id="a">
        <did><unitid>1</unitid><unittitle>Akte</unittitle></did>
        <odd><head>Betroffene Person</head><p>Schmidt; Anna</p></odd>
        <odd><head>Geburtsdatum</head><p>3. April 1921</p></odd>
        <controlaccess><subject>Bau; Planung</subject><corpname>Meier | Co</corpname></controlaccess>
        <daogrp>
          <daoloc xlink:href="https://example.org/ohne-rolle.jpg"/>
          <daoloc xlink:role="image_full" xlink:href="https://example.org/a;b.jpg"
                  xlink:title="Blatt 1; Vorderseite"/>
        </daogrp>
      </c>)");
  import(xml);
  const Unit first = by_id("a");
  ASSERT_EQ(first.digital_objects.size(), 2u);
  EXPECT_EQ(first.digital_objects[0].role, "");
  EXPECT_EQ(first.digital_objects[0].href, "https://example.org/ohne-rolle.jpg");
  EXPECT_EQ(first.digital_objects[1].title, "Blatt 1; Vorderseite");

  ImportReport again;
  try {
    again = import(xml);
  } catch (const InputError& e) {
    FAIL() << "re-import of the same file refused: " << e.what();
  }
  EXPECT_EQ(again.changed, 0);
  EXPECT_EQ(again.unchanged, 2);
  const Unit second = by_id("a");
  EXPECT_EQ(second.digital_objects, first.digital_objects);
  EXPECT_EQ(second.index_terms, first.index_terms);
  EXPECT_EQ(second.persons_concerned, first.persons_concerned);
}

TEST_F(EadImport, ReimportReportsChangedFields) {
  import(kRich);
  std::string changed = kRich;
  changed.replace(changed.find("Rathaus"), 7, "Rathaus Hilden");
  const ImportReport r = import(changed);
  EXPECT_EQ(r.created, 0);
  EXPECT_EQ(r.changed, 1);
  EXPECT_EQ(r.unchanged, 3);
  EXPECT_EQ(unit("E 2 Nr. 00815").title, "Rathaus Hilden");
}

TEST_F(EadImport, ErrorInLastUnitLeavesNothing) {
  import(kTektonik);
  const auto count = cat().unit_count();
  const std::size_t log = log_size();
  // Valid units first; the last one puts a Serie below an Akte, which the store refuses.
  const std::string message = error_of(findbuch_c563(
      file_c("ok1", "1", "Gut") + file_c("ok2", "2", "Auch gut") +
      R"(<c level="file" id="ok3"><did><unitid>3</unitid><unittitle>Akte</unittitle></did>
           <c level="series" id="bad"><did><unittitle>Serie unter Akte</unittitle></did></c></c>)"));
  EXPECT_TRUE(contains(message, "/ead/archdesc/dsc/c[1]/c[3]/c[1]"));
  EXPECT_EQ(cat().unit_count(), count);
  EXPECT_EQ(log_size(), log);
  EXPECT_FALSE(cat().find_by_ead_id("ok1"));
  EXPECT_EQ(by_id("F1").enthaelt, "");  // the Bestand was not touched either
}

TEST_F(EadImport, SignaturTakenByAnotherIdIsRefusedAtomically) {
  import(findbuch_c563(file_c("a", "1", "Erste")));
  const auto count = cat().unit_count();
  const std::size_t log = log_size();
  // Same Bestand, a new file, then a unit claiming "C 5.63 Nr. 1" under another id.
  const std::string message =
      error_of(findbuch_c563(file_c("b", "2", "Neu") + file_c("other", "1", "Andere")));
  EXPECT_TRUE(contains(message, "C 5.63 Nr. 1"));
  EXPECT_EQ(cat().unit_count(), count);
  EXPECT_EQ(log_size(), log);
  EXPECT_FALSE(cat().find_by_ead_id("b"));
}

TEST_F(EadImport, UnderPlacesTheBestandBelowAGroup) {
  import(kTektonik);
  ImportOptions options;
  options.under = "C 5";
  import(ddb_findbuch("<unitid>C 5.10</unitid><unittitle>Hauptamt</unittitle>",
                      file_c("h1", "1", "Akte"), "F10"),
         options);
  EXPECT_EQ(unit("C 5.10").parent_id, by_id("G-C5").id);
}

// --- Hostile and broken input --------------------------------------------------------------

TEST_F(EadImport, MalformedXmlNamesFileAndLine) {
  const std::string message = error_of(
      "<?xml version=\"1.0\"?>\n<ead>\n<archdesc level=\"fonds\">\n<did><unittitle>X</did>\n"
      "</archdesc>\n</ead>\n",
      {}, "kaputt.xml");
  EXPECT_TRUE(contains(message, "kaputt.xml:4:")) << message;
  EXPECT_TRUE(contains(message, "XML"));
}

TEST_F(EadImport, MalformedXmlLineCountsWithCrlfAndEscapes) {
  // Line ends CRLF and entity references before the error must not shift the line number.
  std::string xml =
      "<?xml version=\"1.0\"?>\r\n<ead>\r\n<archdesc level=\"fonds\">\r\n"
      "<did><unittitle>A &amp; B &lt;C&gt; &#x41;\r\nzweite Zeile\r\n</unittitle>\r\n"
      "<unitid>1</unitid></did>\r\n"
      "<dsc><c level=\"file\"><did><unittitle>kaputt</did></c></dsc>\r\n"
      "</archdesc>\r\n</ead>\r\n";
  const std::string message = error_of(xml, {}, "crlf.xml");
  EXPECT_TRUE(contains(message, "crlf.xml:8:")) << message;
}

TEST_F(EadImport, ExternalEntityIsRefused) {
  const std::string message = error_of(R"(<?xml version="1.0"?>
<!DOCTYPE ead [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<ead><archdesc level="fonds"><did><unitid>X 1</unitid><unittitle>&xxe;</unittitle></did></archdesc></ead>)",
                                       {}, "xxe.xml");
  EXPECT_TRUE(contains(message, "xxe.xml"));
  EXPECT_TRUE(contains(message, "ENTITY"));
  EXPECT_EQ(message.find("root:"), std::string::npos);
  EXPECT_EQ(cat().unit_count(), 0);
}

TEST_F(EadImport, EntityExpansionBombIsRefused) {
  std::string xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE ead [\n<!ENTITY lol \"lol\">\n";
  for (int i = 1; i <= 9; ++i) {
    xml += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int j = 0; j < 10; ++j)
      xml += "&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) + ";";
    xml += "\">\n";
  }
  xml +=
      "]>\n<ead><archdesc level=\"fonds\"><did><unitid>L</unitid><unittitle>&lol9;</unittitle>"
      "</did></archdesc></ead>";
  const std::string message = error_of(xml, {}, "lol.xml");
  EXPECT_TRUE(contains(message, "lol.xml"));
  EXPECT_TRUE(contains(message, "entit"));
}

// KNOWN BUG (reported): refuse_entity_declarations looks for the ASCII bytes "<!DOCTYPE" and
// "<!ENTITY", so a UTF-16 file with entity declarations is not refused (pugixml never expands
// them, so nothing leaks, but "&xxe;" ends up as title text). Enable with
// --gtest_also_run_disabled_tests.
TEST_F(EadImport, EntityDeclarationsInUtf16AreRefusedToo) {
  // The same XXE document, encoded as UTF-16LE with a BOM.
  const std::string ascii = R"(<?xml version="1.0" encoding="UTF-16"?>
<!DOCTYPE ead [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<ead><archdesc level="fonds"><did><unitid>X 1</unitid><unittitle>&xxe;</unittitle></did></archdesc></ead>)";
  std::string utf16 = "\xFF\xFE";
  for (char ch : ascii) utf16 += std::string{ch, '\0'};
  const std::string message = error_of(utf16, {}, "xxe16.xml");
  EXPECT_TRUE(contains(message, "xxe16.xml"));
  EXPECT_EQ(cat().unit_count(), 0);
}

TEST_F(EadImport, DuplicateSignaturNamesBothElements) {
  const std::string message =
      error_of(findbuch_c563(file_c("a", "7", "Erste") + file_c("b", "7", "Zweite")), {}, "d.xml");
  EXPECT_TRUE(contains(message, "C 5.63 Nr. 7"));
  EXPECT_TRUE(contains(message, "d.xml: /ead/archdesc/dsc/c[1]/c[1]"));
  EXPECT_TRUE(contains(message, "d.xml: /ead/archdesc/dsc/c[1]/c[2]"));
  EXPECT_EQ(cat().unit_count(), 0);
}

TEST_F(EadImport, UnknownLevelNamesPathAndAttribute) {
  std::string xml = findbuch_c563(
      file_c("a", "1", "Gut") +
      R"(<c level="banana" id="b"><did><unitid>2</unitid><unittitle>Krumm</unittitle></did></c>)");
  try {
    read(xml, "banana.xml");
    FAIL() << "no InputError";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_TRUE(contains(message, "banana.xml: /ead/archdesc/dsc/c[1]/c[2]/@level"));
    EXPECT_TRUE(contains(message, "banana"));
  }
}

TEST_F(EadImport, UnknownOtherlevelIsRefused) {
  std::string xml = findbuch_c563(
      R"(<c level="otherlevel" otherlevel="Kiste" id="b"><did><unittitle>K</unittitle></did></c>)");
  EXPECT_THROW(read(xml), InputError);
}

TEST_F(EadImport, NonEadRootIsRefused) {
  const std::string message = error_of(
      R"(<?xml version="1.0"?><mets:mets xmlns:mets="http://www.loc.gov/METS/"><mets:dmdSec/></mets:mets>)",
      {}, "mets.xml");
  EXPECT_TRUE(contains(message, "mets.xml"));
  EXPECT_TRUE(contains(message, "not an EAD file"));
  EXPECT_FALSE(error_of("", {}, "empty.xml").empty());
  EXPECT_FALSE(error_of("just text", {}, "text.xml").empty());
}

TEST_F(EadImport, NestingDeeperThanMaxDepthIsRefused) {
  auto nested = [](int levels) {
    std::string open, close;
    for (int i = 0; i < levels; ++i) {
      open += "<c level=\"file\" id=\"n" + std::to_string(i) + "\"><did><unitid>" +
              std::to_string(i) + "</unitid><unittitle>T</unittitle></did>";
      close += "</c>";
    }
    return findbuch_c563(open + close);
  };
  EadLimits limits;
  limits.max_depth = 4;
  // The Bestand is depth 1: three files below it fit, four do not.
  EXPECT_EQ(read(nested(3), "ok.xml", limits).units.size(), 4u);
  std::string deep = nested(4);
  try {
    read(deep, "deep.xml", limits);
    FAIL() << "no InputError";
  } catch (const InputError& e) {
    EXPECT_TRUE(contains(e.what(), "deep.xml"));
    EXPECT_TRUE(contains(e.what(), "4"));
  }
  // The default limit holds against a hostile nesting without exhausting the stack.
  EXPECT_THROW(read(nested(5000), "deeper.xml"), InputError);
}

TEST_F(EadImport, DeeplyNestedMarkupIsRefusedNotACrash) {
  std::string open, close;
  for (int i = 0; i < 100'000; ++i) open += "<emph>", close += "</emph>";
  EXPECT_THROW(read(findbuch_c563(file_c("a", "1", open + "x" + close))), InputError);
  std::string dao_open, dao_close;
  for (int i = 0; i < 100'000; ++i) dao_open += "<daogrp>", dao_close += "</daogrp>";
  std::string xml = findbuch_c563(file_c("a", "1", "T", dao_open + dao_close));
  try {
    read(xml);
  } catch (const InputError&) {
  }
}

TEST_F(EadImport, MoreUnitsThanMaxUnitsIsRefused) {
  EadLimits limits;
  limits.max_units = 3;
  EXPECT_EQ(read(findbuch_c563(file_c("a", "1", "A") + file_c("b", "2", "B")), "ok.xml", limits)
                .units.size(),
            3u);
  std::string xml =
      findbuch_c563(file_c("a", "1", "A") + file_c("b", "2", "B") + file_c("c", "3", "C"));
  try {
    read(xml, "many.xml", limits);
    FAIL() << "no InputError";
  } catch (const InputError& e) {
    EXPECT_TRUE(contains(e.what(), "many.xml"));
    EXPECT_TRUE(contains(e.what(), "3"));
  }
}

TEST_F(EadImport, TextOverMaxTextBytesIsRefused) {
  EadLimits limits;
  limits.max_text_bytes = 16;
  EXPECT_EQ(read(findbuch_c563(file_c("a", "1", std::string(16, 'x'))), "ok.xml", limits)
                .units[1]
                .unit.title,
            std::string(16, 'x'));
  std::string xml = findbuch_c563(file_c("a", "1", std::string(17, 'x')));
  try {
    read(xml, "long.xml", limits);
    FAIL() << "no InputError";
  } catch (const InputError& e) {
    EXPECT_TRUE(contains(e.what(), "long.xml: /ead/archdesc/dsc/c[1]/c[1]/"));
    EXPECT_TRUE(contains(e.what(), "unittitle"));
    EXPECT_TRUE(contains(e.what(), "16"));
  }
  // Text split over several text nodes counts as a whole.
  std::string split = findbuch_c563(file_c("a", "1", "xxxxxxxxxx<emph>xxxxxxxxxx</emph>"));
  EXPECT_THROW(read(split, "split.xml", limits), InputError);
}

TEST_F(EadImport, IllegalPlacementIsRefused) {
  // An Einzelstück at the top of a Tektonik.
  const std::string top = error_of(R"(<ead><archdesc type="Tektonik"><dsc>
      <c level="otherlevel" otherlevel="Einzelstück" id="i"><did><unittitle>Urkunde</unittitle></did></c>
    </dsc></archdesc></ead>)",
                                   {}, "top.xml");
  EXPECT_TRUE(contains(top, "top.xml: /ead/archdesc/dsc/c[1]"));
  EXPECT_TRUE(contains(top, "top"));
  // A Serie below an Akte.
  const std::string below = error_of(findbuch_c563(
      R"(<c level="file" id="a"><did><unitid>1</unitid><unittitle>Akte</unittitle></did>
           <c level="series" id="s"><did><unittitle>Serie</unittitle></did></c></c>)"));
  EXPECT_TRUE(contains(below, "/ead/archdesc/dsc/c[1]/c[1]/c[1]"));
  // A Bestand below a Bestand in a Tektonik.
  const std::string bestand = error_of(R"(<ead><archdesc type="Tektonik"><dsc>
      <c level="class" id="g"><did><unittitle>Gruppe</unittitle></did>
        <c level="file" id="b1"><did><unitid>B 1</unitid><unittitle>Bestand</unittitle></did>
          <c level="file" id="b2"><did><unitid>B 2</unitid><unittitle>Bestand im Bestand</unittitle></did></c>
        </c></c></dsc></archdesc></ead>)");
  EXPECT_TRUE(contains(bestand, "/ead/archdesc/dsc/c[1]/c[1]/c[1]"));
  // A Findbuch placed below an Akte with --under.
  import(findbuch_c563(file_c("a", "1", "Akte")));
  ImportOptions under;
  under.under = "C 5.63 Nr. 1";
  const std::string placed =
      error_of(ddb_findbuch("<unitid>X 1</unitid><unittitle>X</unittitle>", "", "FX"), {},
               "under.xml", under);
  EXPECT_TRUE(contains(placed, "under.xml"));
  EXPECT_EQ(cat().unit_count(), 2);
}

TEST_F(EadImport, NoUnitsIsRefused) {
  EXPECT_FALSE(error_of(R"(<ead><archdesc type="Tektonik"><dsc/></archdesc></ead>)").empty());
  EXPECT_FALSE(error_of(R"(<ead><eadheader/></ead>)").empty());
}

}  // namespace
}  // namespace findbuch

// --- EAD 2002 constructs found in real exports -------------------------------------------------

namespace findbuch {
namespace {

const char* const kEad2002 = R"(<?xml version="1.0" encoding="UTF-8"?>
<ead><eadheader><eadid>X1</eadid></eadheader>
  <archdesc level="fonds"><did><unitid>X 1</unitid><unittitle>Bestand X</unittitle></did>
    <dsc>
      <c01 level="file" id="a"><did><unitid>1</unitid>
        <unittitle>Akten <unitdate normal="1990/2000">1990-2000</unitdate></unittitle></did></c01>
      <c01 level="file" id="b"><did><unitid>2</unitid><unittitle>Protokolle</unittitle>
        <unitdate normal="1950/1960">1950-1960, Nachträge bis 1995</unitdate>
        <dao xlink:type="simple" xlink:href="https://example.org/b.jpg"
             xmlns:xlink="http://www.w3.org/1999/xlink"/></did></c01>
    </dsc>
    <dsc>
      <c01 level="file" id="c"><did><unitid>3</unitid><unittitle>Nachtrag</unittitle></did></c01>
    </dsc>
  </archdesc>
</ead>)";

TEST_F(EadImport, ReadsEveryDscDatesInTitlesAndTheWiderOfNormalAndText) {
  const ImportReport r = import(kEad2002);
  EXPECT_EQ(r.created, 4);  // the Bestand and the files of both <dsc>
  const Unit a = by_id("a");
  EXPECT_EQ(a.title, "Akten");
  ASSERT_TRUE(a.laufzeit.to.has_value());
  EXPECT_EQ(a.laufzeit.to->iso(), "2000-12-31");
  // normal="1950/1960" must not shorten the protection period the text states.
  const Unit b = by_id("b");
  ASSERT_TRUE(b.laufzeit.to.has_value());
  EXPECT_EQ(b.laufzeit.to->iso(), "1995-12-31");
  ASSERT_EQ(b.digital_objects.size(), 1u);
  EXPECT_EQ(b.digital_objects[0].role, "");  // xlink:type is not a role
  EXPECT_EQ(by_id("c").signatur, "X 1 Nr. 3");
  EXPECT_EQ(import(kEad2002).changed, 0);
}

}  // namespace
}  // namespace findbuch

namespace findbuch {
namespace {

TEST_F(EadImport, SignaturenDoNotDependOnImportOrder) {
  // The Findbuch (Bestand without unitid) first, then the Tektonik that knows "Z 9".
  const std::string findbuch = R"(<ead><eadheader><eadid>Z9</eadid></eadheader>
    <archdesc level="collection" type="Findbuch"><did/><dsc>
      <c level="collection" id="Z9"><did><unittitle>Bestand Z</unittitle></did>
        <c level="file" id="z1"><did><unitid>1</unitid><unittitle>Akte eins</unittitle></did></c>
      </c></dsc></archdesc></ead>)";
  const std::string tektonik = R"(<ead><eadheader><eadid>TEK</eadid></eadheader>
    <archdesc level="collection" type="Tektonik"><did/><dsc>
      <c level="collection" id="TEK"><did><unittitle>Archiv</unittitle></did>
        <c level="class" id="g"><did><unitid>Z</unitid><unittitle>Gruppe Z</unittitle></did>
          <c level="file" id="Z9"><did><unitid>Z 9</unitid><unittitle>Bestand Z</unittitle></did></c>
        </c></c></dsc></archdesc></ead>)";
  import(findbuch);
  EXPECT_EQ(by_id("z1").signatur, "Z9 Nr. 1");
  import(tektonik);
  EXPECT_EQ(by_id("Z9").signatur, "Z 9");
  EXPECT_EQ(by_id("z1").signatur, "Z 9 Nr. 1");
  EXPECT_EQ(import(findbuch).changed, 0);
  EXPECT_EQ(import(tektonik).changed, 0);
}

}  // namespace
}  // namespace findbuch

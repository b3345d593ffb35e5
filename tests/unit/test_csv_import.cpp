// Proves the spreadsheet import (read_csv_units + apply_import): comma and semicolon files,
// Windows-1252 bytes, the parent column (rows later in the file, units already in the catalogue,
// cycles), duplicate Signaturen, unknown columns with a suggestion, bad values named by line and
// column, the level rule for new units, partial updates, provided-but-empty columns that clear a
// field, idempotent re-import and all-or-nothing writes.
#include "exchange/csv/csv_import.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

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

::testing::AssertionResult contains(const std::string& haystack, const std::string& needle) {
  if (haystack.find(needle) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << haystack << "\" lacks \"" << needle << "\"";
}

/// The InputError message of read_csv_units ("" when nothing was thrown).
std::string read_error(std::string_view bytes) {
  try {
    read_csv_units(bytes, "in.csv");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

class CsvImport : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = make_temp_dir("findbuch-csv");
    catalogue_ = std::make_unique<Catalogue>(dir_ / "catalogue.db", true);
  }
  void TearDown() override {
    catalogue_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  Catalogue& cat() { return *catalogue_; }

  ImportReport import(std::string_view bytes, const ImportOptions& options = {}) {
    return apply_import(cat(), read_csv_units(bytes, "in.csv"), options);
  }

  /// The InputError message of reading and applying `bytes` ("" when nothing was thrown).
  std::string error_of(std::string_view bytes) {
    try {
      import(bytes);
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

  std::size_t log_size() { return cat().log(std::nullopt, 1'000'000).size(); }

  fs::path dir_;
  std::unique_ptr<Catalogue> catalogue_;
};

constexpr std::string_view kBestand =
    "signatur,level,title,laufzeit,enthaelt,notes,storage_location,persons,parent\n"
    "C 5.63,bestand,Bauordnungsamt,1975-2000,Bauakten,Abgabe 2001,Magazin 1,,\n"
    "C 5.63 Nr. 1,file,Haus Markt 1,1980-1985,Pläne,vorläufig,Magazin 1 R 2,"
    "\"Müller, Anna|118\",C 5.63\n";

// --- Reading -------------------------------------------------------------------------------

TEST_F(CsvImport, CommaFile) {
  const ImportBatch batch = read_csv_units(
      "signatur,level,title,laufzeit,parent\n"
      "A 1,bestand,Urkundensammlung,1350-1815,\n"
      "A 1 Nr. 1,item,\"Urkunde, gesiegelt\",12.03.1350,A 1\n",
      "in.csv");
  EXPECT_EQ(batch.kind, "csv");
  EXPECT_EQ(batch.source, "in.csv");
  ASSERT_EQ(batch.units.size(), 2u);
  EXPECT_EQ(batch.units[0].unit.signatur, "A 1");
  EXPECT_EQ(batch.units[0].unit.level, Level::Bestand);
  EXPECT_EQ(batch.units[0].parent, -1);
  EXPECT_EQ(batch.units[1].unit.title, "Urkunde, gesiegelt");
  EXPECT_EQ(batch.units[1].unit.level, Level::Item);
  EXPECT_EQ(batch.units[1].parent, 0);
  EXPECT_EQ(batch.units[1].where, "in.csv:3");
  ASSERT_TRUE(batch.units[1].unit.laufzeit.from.has_value());
  EXPECT_EQ(batch.units[1].unit.laufzeit.from->iso(), "1350-03-12");
}

TEST_F(CsvImport, SemicolonFileWithGermanHeaders) {
  import(
      "Signatur;Stufe;Titel;Laufzeit;Übergeordnet;Lagerort\r\n"
      "B 1;Bestand;Ratsprotokolle;1600-1800;;Magazin 1\r\n"
      "B 1 Nr. 1;Akte;Protokolle 1600-1610, Band 1;1600-1610;B 1;Magazin 1 R 1\r\n");
  const Unit bestand = unit("B 1");
  EXPECT_EQ(bestand.level, Level::Bestand);
  EXPECT_EQ(bestand.storage_location, "Magazin 1");
  const Unit file = unit("B 1 Nr. 1");
  EXPECT_EQ(file.level, Level::File);
  EXPECT_EQ(file.title, "Protokolle 1600-1610, Band 1");  // the comma is not the delimiter
  EXPECT_EQ(file.parent_id, bestand.id);
}

TEST_F(CsvImport, Windows1252Bytes) {
  import(
      "signatur;level;title;creator\nD 1;bestand;Nachlass M\xfcller;Stra\xdf"
      "enbauamt \x96 Abt. 2\n");
  const Unit u = unit("D 1");
  EXPECT_EQ(u.title, "Nachlass M\xc3\xbcller");
  EXPECT_EQ(u.creator,
            "Stra\xc3\x9f"
            "enbauamt \xe2\x80\x93 Abt. 2");
}

// --- Parents -------------------------------------------------------------------------------

TEST_F(CsvImport, ParentLaterInTheFileComesFirst) {
  const ImportBatch batch = read_csv_units(
      "signatur,level,title,parent\n"
      "A 1 Nr. 1/1,item,Siegel,A 1 Nr. 1\n"
      "A 1 Nr. 1,file,Urkunde,A 1\n"
      "A 1,bestand,Urkunden,A\n"
      "A,tektonik_group,Urkunden (Gruppe),\n",
      "in.csv");
  ASSERT_EQ(batch.units.size(), 4u);
  for (std::size_t i = 0; i < batch.units.size(); ++i)
    EXPECT_LT(batch.units[i].parent, static_cast<int>(i)) << batch.units[i].unit.signatur;
  EXPECT_EQ(batch.units[0].unit.signatur, "A");
  EXPECT_EQ(batch.units[3].unit.signatur, "A 1 Nr. 1/1");
  EXPECT_EQ(batch.units[3].where, "in.csv:2");

  apply_import(cat(), batch, {});
  EXPECT_EQ(unit("A 1").parent_id, unit("A").id);
  EXPECT_EQ(unit("A 1 Nr. 1").parent_id, unit("A 1").id);
  EXPECT_EQ(unit("A 1 Nr. 1/1").parent_id, unit("A 1 Nr. 1").id);
}

TEST_F(CsvImport, SiblingsInNaturalOrder) {
  import(
      "signatur,level,title,parent\n"
      "E 2,bestand,Fotos,\n"
      "E 2 Nr. 10,file,Zehn,E 2\n"
      "E 2 Nr. 9,file,Neun,E 2\n"
      "E 2 Nr. 100,file,Hundert,E 2\n");
  const auto kids = cat().children(unit("E 2").id);
  ASSERT_EQ(kids.size(), 3u);
  EXPECT_EQ(kids[0].signatur, "E 2 Nr. 9");
  EXPECT_EQ(kids[1].signatur, "E 2 Nr. 10");
  EXPECT_EQ(kids[2].signatur, "E 2 Nr. 100");
}

TEST_F(CsvImport, ParentIsAnExistingCatalogueUnit) {
  import(kBestand);
  const ImportReport r = import(
      "signatur,level,title,parent\n"
      "C 5.63 Nr. 2,file,Haus Markt 2,C 5.63\n"
      "C 5.63 Nr. 2/1,item,Bauplan,C 5.63 Nr. 2\n");
  EXPECT_EQ(r.created, 2);
  EXPECT_EQ(unit("C 5.63 Nr. 2").parent_id, unit("C 5.63").id);
  EXPECT_EQ(unit("C 5.63 Nr. 2/1").parent_id, unit("C 5.63 Nr. 2").id);
}

TEST_F(CsvImport, UnknownParentNamesTheLine) {
  import(kBestand);
  const auto count = cat().unit_count();
  const std::string message =
      error_of("signatur,level,title,parent\nC 5.63 Nr. 2,file,Haus,C 5.64\n");
  EXPECT_TRUE(contains(message, "in.csv:2"));
  EXPECT_TRUE(contains(message, "C 5.64"));
  EXPECT_EQ(cat().unit_count(), count);
}

TEST_F(CsvImport, ParentMovesAnExistingUnit) {
  import(kBestand);
  import("signatur,level,title,parent\nC 5.63 Nr. 2,file,Haus Markt 2,C 5.63\n");
  const ImportReport r = import("signatur,parent\nC 5.63 Nr. 2,C 5.63 Nr. 1\n");
  EXPECT_EQ(r.moved, 1);
  EXPECT_EQ(unit("C 5.63 Nr. 2").parent_id, unit("C 5.63 Nr. 1").id);
  EXPECT_EQ(unit("C 5.63 Nr. 2").title, "Haus Markt 2");
}

TEST_F(CsvImport, ParentCycleIsRefusedNamingALine) {
  const std::string message = read_error(
      "signatur,level,title,parent\n"
      "X,bestand,Gut,\n"
      "A,bestand,A,B\n"
      "B,bestand,B,A\n");
  EXPECT_TRUE(contains(message, "in.csv:3") || contains(message, "in.csv:4")) << message;
  EXPECT_TRUE(contains(message, "cycle"));
  const std::string longer =
      read_error("signatur,level,title,parent\nA,file,A,C\nB,file,B,A\nC,file,C,B\n");
  EXPECT_TRUE(contains(longer, "in.csv:")) << longer;
  EXPECT_TRUE(contains(longer, "cycle"));
  const std::string self = read_error("signatur,level,title,parent\nA,bestand,A,A\n");
  EXPECT_TRUE(contains(self, "in.csv:2"));
  EXPECT_TRUE(contains(self, "own parent"));
}

// --- Refused input -------------------------------------------------------------------------

TEST_F(CsvImport, DuplicateSignaturNamesBothLines) {
  const std::string message = read_error(
      "signatur,level,title\nA 1,bestand,Eins\nA 2,bestand,Zwei\nA  1,bestand,Nochmal eins\n");
  EXPECT_TRUE(contains(message, "in.csv:4"));
  EXPECT_TRUE(contains(message, "line 2"));
  EXPECT_TRUE(contains(message, "\"A 1\""));
}

TEST_F(CsvImport, UnknownColumnSuggestsTheNearest) {
  const std::string message = read_error("signatur,level,tilte\nA 1,bestand,Eins\n");
  EXPECT_TRUE(contains(message, "in.csv:1"));
  EXPECT_TRUE(contains(message, "\"tilte\""));
  EXPECT_TRUE(contains(message, "did you mean \"title\"")) << message;
  const std::string far = read_error("signatur,level,xyzzy\nA 1,bestand,Eins\n");
  EXPECT_TRUE(contains(far, "\"xyzzy\""));
  EXPECT_FALSE(contains(far, "did you mean"));
  // "titel" is an alias, not a typo.
  EXPECT_EQ(read_error("signatur,level,titel\nA 1,bestand,Eins\n"), "");
  EXPECT_EQ(
      read_csv_units("signatur,level,Titel\nA 1,bestand,Eins\n", "in.csv").units[0].unit.title,
      "Eins");
}

TEST_F(CsvImport, SameFieldTwiceIsRefused) {
  const std::string message = read_error("signatur,title,titel\nA 1,Eins,Eins\n");
  EXPECT_TRUE(contains(message, "in.csv:1"));
  EXPECT_TRUE(contains(message, "title"));
}

TEST_F(CsvImport, SignaturColumnIsRequired) {
  EXPECT_TRUE(contains(read_error("level,title\nbestand,Eins\n"), "signatur"));
  EXPECT_TRUE(contains(read_error("signatur,title\n,Eins\n"), "in.csv:2"));
}

TEST_F(CsvImport, BadYesNoNamesLineAndColumn) {
  const std::string message = read_error(
      "signatur,level,title,Personenbezogen\nA 1,file,Eins,ja\nA 2,file,Zwei,vielleicht\n");
  EXPECT_TRUE(contains(message, "in.csv:3"));
  EXPECT_TRUE(contains(message, "Personenbezogen"));
  EXPECT_TRUE(contains(message, "vielleicht"));
  const ImportBatch ok = read_csv_units(
      "signatur,level,title,personal_data\nA 1,file,Eins,ja\nA 2,file,Zwei,\nA 3,file,D,x\n",
      "in.csv");
  EXPECT_TRUE(ok.units[0].unit.personal_data);
  EXPECT_FALSE(ok.units[1].unit.personal_data);
  EXPECT_TRUE(ok.units[2].unit.personal_data);
}

TEST_F(CsvImport, BadValuesNameLineAndColumn) {
  const std::string level = read_error("signatur,level,title\nA 1,banana,Eins\n");
  EXPECT_TRUE(contains(level, "in.csv:2"));
  EXPECT_TRUE(contains(level, "\"level\""));
  EXPECT_TRUE(contains(level, "banana"));
  const std::string embargo =
      read_error("signatur,level,title,embargo_until\nA 1,file,Eins,2030-02-30\n");
  EXPECT_TRUE(contains(embargo, "in.csv:2"));
  EXPECT_TRUE(contains(embargo, "embargo_until"));
  const std::string persons =
      read_error("signatur,level,title,persons_concerned\nA 1,file,Eins,Anna|gestern|\n");
  EXPECT_TRUE(contains(persons, "in.csv:2"));
  EXPECT_TRUE(contains(persons, "persons_concerned"));
}

TEST_F(CsvImport, NewUnitWithoutLevelIsRefused) {
  import(kBestand);
  const auto count = cat().unit_count();
  const std::size_t log = log_size();
  const std::string message = error_of(
      "signatur,title,parent\n"
      "C 5.63 Nr. 1,Haus Markt 1 (neu),\n"
      "C 5.63 Nr. 7,Neue Akte,C 5.63\n");
  EXPECT_TRUE(contains(message, "in.csv:3"));
  EXPECT_TRUE(contains(message, "level"));
  // All or nothing: the update of Nr. 1 on line 2 was rolled back too.
  EXPECT_EQ(cat().unit_count(), count);
  EXPECT_EQ(log_size(), log);
  EXPECT_EQ(unit("C 5.63 Nr. 1").title, "Haus Markt 1");
}

TEST_F(CsvImport, ErrorInLastRowLeavesNothing) {
  const std::string message = error_of(
      "signatur,level,title,parent\n"
      "G,tektonik_group,Gruppe,\n"
      "G 1,bestand,Bestand,G\n"
      "G 1 Nr. 1,file,Akte,G 1\n"
      "G 9,item,Einzelstück oben,\n");  // an Einzelstück cannot stand at the top
  EXPECT_TRUE(contains(message, "in.csv:5"));
  EXPECT_EQ(cat().unit_count(), 0);
  EXPECT_EQ(log_size(), 0u);
}

// --- Updates -------------------------------------------------------------------------------

TEST_F(CsvImport, PartialCsvUpdatesOnlyItsColumns) {
  import(kBestand);
  const Unit before = unit("C 5.63 Nr. 1");
  const std::size_t log = log_size();
  const ImportReport r = import("signatur,storage_location\nC 5.63 Nr. 1,Magazin 3 R 7\n");
  EXPECT_EQ(r.created, 0);
  EXPECT_EQ(r.changed, 1);
  const Unit after = unit("C 5.63 Nr. 1");
  EXPECT_EQ(after.storage_location, "Magazin 3 R 7");
  Unit expected = before;
  expected.storage_location = "Magazin 3 R 7";
  EXPECT_TRUE(after.same_description(expected));
  EXPECT_EQ(after.title, "Haus Markt 1");
  EXPECT_EQ(after.laufzeit.text, "1980-1985");
  EXPECT_EQ(after.enthaelt, "Pläne");
  EXPECT_EQ(after.notes, "vorläufig");
  EXPECT_EQ(after.level, Level::File);
  EXPECT_EQ(after.parent_id, before.parent_id);
  ASSERT_EQ(after.index_terms.size(), 1u);
  // One audit entry, for the one field.
  const auto entries = cat().log(std::nullopt, 1'000'000);
  ASSERT_EQ(entries.size(), log + 1);
  EXPECT_EQ(entries.front().field, "storage_location");
  EXPECT_EQ(entries.front().new_value, "Magazin 3 R 7");
  EXPECT_EQ(entries.front().old_value, "Magazin 1 R 2");
  EXPECT_EQ(unit("C 5.63").storage_location, "Magazin 1");  // other rows untouched
}

TEST_F(CsvImport, ProvidedButEmptyColumnClearsTheField) {
  import(kBestand);
  import("signatur,notes,persons,storage_location\nC 5.63 Nr. 1,,,\n");
  const Unit u = unit("C 5.63 Nr. 1");
  EXPECT_EQ(u.notes, "");
  EXPECT_EQ(u.storage_location, "");
  EXPECT_TRUE(u.index_terms.empty());
  EXPECT_EQ(u.title, "Haus Markt 1");  // not provided: kept
  EXPECT_EQ(u.enthaelt, "Pläne");
}

TEST_F(CsvImport, EmptyTitleIsRefusedNotCleared) {
  import(kBestand);
  const std::string message = error_of("signatur,title\nC 5.63 Nr. 1,\n");
  EXPECT_TRUE(contains(message, "in.csv:2"));
  EXPECT_TRUE(contains(message, "title"));
  EXPECT_EQ(unit("C 5.63 Nr. 1").title, "Haus Markt 1");
}

TEST_F(CsvImport, ReimportIsIdempotent) {
  const std::string csv = std::string(kBestand) +
                          "C 5.63 Nr. 2,file,Haus Markt 2,ca. 1990,,,,,C 5.63\n"
                          "C 5.63 Nr. 3,file,Haus Markt 3,o.D.,,,,,C 5.63\n";
  const std::string with_more =
      "signatur,level,title,laufzeit,personal_data,persons_concerned,embargo_until,"
      "digital_objects,places,parent\n"
      "C 5.63 Nr. 4,file,Akte Schmidt,1950-1960,ja,\"Schmidt, Karl|1921|1990\",2031-12-31,"
      "image_full|https://example.org/4.jpg|Blatt 1,Hilden|4024788-1,C 5.63\n";
  EXPECT_EQ(import(csv).created, 4);
  EXPECT_EQ(import(with_more).created, 1);
  const std::size_t log = log_size();

  const ImportReport again = import(csv);
  EXPECT_EQ(again.created, 0);
  EXPECT_EQ(again.changed, 0);
  EXPECT_EQ(again.moved, 0);
  EXPECT_EQ(again.unchanged, 4);
  const ImportReport again_more = import(with_more);
  EXPECT_EQ(again_more.created, 0);
  EXPECT_EQ(again_more.changed, 0);
  EXPECT_EQ(again_more.moved, 0);
  EXPECT_EQ(again_more.unchanged, 1);
  EXPECT_EQ(log_size(), log);
  for (const auto& d : again.details) ADD_FAILURE() << "unexpected: " << d;
  for (const auto& d : again_more.details) ADD_FAILURE() << "unexpected: " << d;

  const Unit u = unit("C 5.63 Nr. 4");
  EXPECT_TRUE(u.personal_data);
  ASSERT_EQ(u.persons_concerned.size(), 1u);
  EXPECT_EQ(u.persons_concerned[0].name, "Schmidt, Karl");
  EXPECT_EQ(u.persons_concerned[0].born, "1921");
  ASSERT_EQ(u.digital_objects.size(), 1u);
  EXPECT_EQ(u.digital_objects[0].href, "https://example.org/4.jpg");
}

TEST_F(CsvImport, DryRunWritesNothing) {
  ImportOptions dry;
  dry.dry_run = true;
  const ImportReport r = import(kBestand, dry);
  EXPECT_EQ(r.created, 2);
  EXPECT_EQ(cat().unit_count(), 0);
  EXPECT_EQ(log_size(), 0u);
}

}  // namespace
}  // namespace findbuch

namespace findbuch {
namespace {

TEST(CsvImportShortRows, MissingTrailingCellsLeaveFieldsAlone) {
  // Spreadsheets drop trailing empty cells; that must not clear personal data and open a file.
  const auto dir = std::filesystem::temp_directory_path() / "findbuch-csv-short";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    Catalogue cat(dir / "c.db", true);
    const std::string header =
        "signatur,parent,level,title,laufzeit,personal_data,persons_concerned\n";
    apply_import(cat,
                 read_csv_units(
                     header + "B,,Bestand,Personalakten,,,\n"
                              "B Nr. 1,B,Akte,Personalakte Muster,1952-1985,ja,Muster|1925|2020\n",
                     "a.csv"),
                 {});
    const ImportReport r = apply_import(
        cat, read_csv_units(header + "B Nr. 1,B,Akte,Personalakte Muster,1952-1986\n", "b.csv"),
        {});
    EXPECT_EQ(r.changed, 1);
    const Unit u = *cat.find("B Nr. 1");
    EXPECT_EQ(u.laufzeit.text, "1952-1986");
    EXPECT_TRUE(u.personal_data);
    ASSERT_EQ(u.persons_concerned.size(), 1u);
    EXPECT_EQ(u.persons_concerned[0].died, "2020");
    // An explicitly empty cell still clears.
    apply_import(
        cat, read_csv_units(header + "B Nr. 1,B,Akte,Personalakte Muster,1952-1986,,\n", "c.csv"),
        {});
    EXPECT_FALSE(cat.find("B Nr. 1")->personal_data);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace findbuch

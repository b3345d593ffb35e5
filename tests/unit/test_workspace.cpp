// Proves the workspace on disk: create makes the folders, findbuch.json and a WAL catalogue with
// foreign keys; a second workspace in the same place is refused; only one writer at a time while
// readers may open; an older schema is migrated on open and a newer one refused; findbuch.json
// errors name the field, and the configuration round-trips.
#include "store/workspace.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.hpp"
#include "store/schema.hpp"
#include "store/sqlite.hpp"
#include "support/checks.hpp"

namespace findbuch {
namespace {

namespace fs = std::filesystem;

fs::path unique_dir(const std::string& stem) {
  static std::atomic<int> counter{0};
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return fs::temp_directory_path() /
         ("findbuch-" + stem + "-" + std::to_string(::getpid()) + "-" +
          (info ? std::string(info->name()) : "x") + "-" + std::to_string(counter++));
}

using testing::contains;

using testing::error_of;

ArchiveConfig sample_config() {
  ArchiveConfig c;
  c.isil = "DE-MS123";
  c.name = "Stadtarchiv Hilden";
  return c;
}

void write_text(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
}

std::string pragma_text(Database& db, const char* pragma) {
  Statement st(db, std::string("PRAGMA ") + pragma);
  if (!st.step()) return "";
  return st.text(0);
}

class WorkspaceTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = unique_dir("ws"); }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  fs::path dir_;
};

// --- create -----------------------------------------------------------------------------------

TEST_F(WorkspaceTest, CreateMakesFoldersConfigAndCatalogue) {
  auto ws = Workspace::create(dir_, sample_config());
  ASSERT_TRUE(ws);
  EXPECT_EQ(ws->dir(), dir_);
  for (const char* folder : {"masters", "derivatives", "iiif", "index", "exports"})
    EXPECT_TRUE(fs::is_directory(dir_ / folder)) << folder;
  EXPECT_EQ(Workspace::folders().size(), 5u);
  EXPECT_TRUE(fs::is_regular_file(dir_ / "findbuch.json"));
  EXPECT_TRUE(fs::is_regular_file(dir_ / "catalogue.sqlite"));
  EXPECT_EQ(Workspace::config_file(dir_), dir_ / "findbuch.json");
  EXPECT_EQ(Workspace::catalogue_file(dir_), dir_ / "catalogue.sqlite");

  Database& db = ws->catalogue().db();
  EXPECT_EQ(pragma_text(db, "journal_mode"), "wal");
  EXPECT_EQ(pragma_text(db, "foreign_keys"), "1");
  EXPECT_EQ(ws->catalogue().schema_version(), current_schema_version());
  EXPECT_EQ(ws->catalogue().unit_count(), 0);

  EXPECT_EQ(ws->config().isil, "DE-MS123");
  EXPECT_EQ(ws->config().name, "Stadtarchiv Hilden");
  const auto loaded = load_config(dir_ / "findbuch.json");
  EXPECT_EQ(loaded.isil, "DE-MS123");
  EXPECT_EQ(loaded.name, "Stadtarchiv Hilden");
  EXPECT_EQ(loaded.languages, (std::vector<std::string>{"ger"}));
}

TEST_F(WorkspaceTest, ForeignKeysAreEnforced) {
  auto ws = Workspace::create(dir_, sample_config());
  Database& db = ws->catalogue().db();
  // A unit whose parent does not exist.
  EXPECT_THROW(db.exec("INSERT INTO units (parent_id, position, signatur, sort_key, level, title, "
                       "updated_at) VALUES (4242, 0, 'X 1', 'x 1', 'file', 'Akte', "
                       "'2024-01-01T00:00:00Z')"),
               EnvironmentError);
}

TEST_F(WorkspaceTest, OpenedWorkspaceAlsoHasWalAndForeignKeys) {
  Workspace::create(dir_, sample_config());
  auto ws = Workspace::open(dir_, Workspace::Mode::Read);
  Database& db = ws->catalogue().db();
  EXPECT_EQ(pragma_text(db, "journal_mode"), "wal");
  EXPECT_EQ(pragma_text(db, "foreign_keys"), "1");
}

TEST_F(WorkspaceTest, CreateTwiceIsRefused) {
  Workspace::create(dir_, sample_config());
  const auto msg = error_of<InputError>([&] { Workspace::create(dir_, sample_config()); });
  EXPECT_TRUE(contains(msg, dir_.string())) << msg;
  EXPECT_TRUE(contains(msg, "already")) << msg;
  // The first workspace is untouched.
  EXPECT_EQ(load_config(dir_ / "findbuch.json").name, "Stadtarchiv Hilden");
}

TEST_F(WorkspaceTest, CreateChecksIsilAndName) {
  ArchiveConfig bad = sample_config();
  bad.isil = "Hilden";
  auto msg = error_of<InputError>([&] { Workspace::create(dir_, bad); });
  EXPECT_TRUE(contains(msg, "Hilden")) << msg;
  EXPECT_FALSE(fs::exists(dir_ / "findbuch.json"));

  bad = sample_config();
  bad.name = "   ";
  EXPECT_THROW(Workspace::create(dir_, bad), InputError);
  EXPECT_FALSE(fs::exists(dir_ / "catalogue.sqlite"));
}

TEST_F(WorkspaceTest, ValidIsil) {
  EXPECT_TRUE(valid_isil("DE-MS123"));
  EXPECT_TRUE(valid_isil("DE-2165"));
  EXPECT_TRUE(valid_isil("DE-Hil1"));
  EXPECT_FALSE(valid_isil(""));
  EXPECT_FALSE(valid_isil("DEMS123"));
  EXPECT_FALSE(valid_isil("DE-"));
  EXPECT_FALSE(valid_isil("DE-MS 123"));
  EXPECT_FALSE(valid_isil("DE-123456789012345"));  // longer than 16 characters
}

// --- open and locking -------------------------------------------------------------------------

TEST_F(WorkspaceTest, OpenMissingDirNamesIt) {
  const auto msg =
      error_of<EnvironmentError>([&] { Workspace::open(dir_, Workspace::Mode::Read); });
  EXPECT_TRUE(contains(msg, dir_.string())) << msg;
  EXPECT_TRUE(contains(msg, "findbuch.json")) << msg;
  EXPECT_FALSE(fs::exists(dir_));
}

TEST_F(WorkspaceTest, OpenWithoutCatalogueFileFails) {
  Workspace::create(dir_, sample_config());
  for (const char* suffix : {"", "-wal", "-shm"})
    fs::remove(dir_.string() + "/catalogue.sqlite" + suffix);
  const auto msg =
      error_of<EnvironmentError>([&] { Workspace::open(dir_, Workspace::Mode::Read); });
  EXPECT_TRUE(contains(msg, "catalogue.sqlite")) << msg;
}

TEST_F(WorkspaceTest, DataSurvivesReopen) {
  {
    auto ws = Workspace::create(dir_, sample_config());
    Unit b;
    b.signatur = "C 5.63";
    b.level = Level::Bestand;
    b.title = "Bauordnungsamt";
    ws->catalogue().insert(b, "test");
  }
  auto ws = Workspace::open(dir_, Workspace::Mode::Read);
  const auto b = ws->catalogue().find("C 5.63");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->title, "Bauordnungsamt");
}

TEST_F(WorkspaceTest, SecondWriterIsRefusedWhileTheFirstHoldsTheLock) {
  Workspace::create(dir_, sample_config());
  auto first = Workspace::open(dir_, Workspace::Mode::Write, "findbuch import");
  const auto msg = error_of<EnvironmentError>(
      [&] { Workspace::open(dir_, Workspace::Mode::Write, "findbuch set"); });
  EXPECT_TRUE(contains(msg, "another findbuch")) << msg;
  EXPECT_TRUE(contains(msg, dir_.string())) << msg;
  // The holder's description is in the message.
  EXPECT_TRUE(contains(msg, "findbuch import")) << msg;
  EXPECT_TRUE(contains(msg, "pid " + std::to_string(::getpid()))) << msg;

  // A reader may open while the writer holds the lock.
  auto reader = Workspace::open(dir_, Workspace::Mode::Read);
  ASSERT_TRUE(reader);
  EXPECT_EQ(reader->catalogue().unit_count(), 0);

  // Once the writer is gone, a new writer gets in.
  first.reset();
  auto second = Workspace::open(dir_, Workspace::Mode::Write, "findbuch set");
  EXPECT_TRUE(second);
}

TEST_F(WorkspaceTest, CreatorHoldsTheWriterLock) {
  auto ws = Workspace::create(dir_, sample_config());
  const auto msg =
      error_of<EnvironmentError>([&] { Workspace::open(dir_, Workspace::Mode::Write); });
  EXPECT_TRUE(contains(msg, "another findbuch")) << msg;
  ws.reset();
  EXPECT_NO_THROW(Workspace::open(dir_, Workspace::Mode::Write));
}

TEST_F(WorkspaceTest, ReadersDoNotBlockAWriter) {
  Workspace::create(dir_, sample_config());
  auto r1 = Workspace::open(dir_, Workspace::Mode::Read);
  auto r2 = Workspace::open(dir_, Workspace::Mode::Read);
  EXPECT_NO_THROW(Workspace::open(dir_, Workspace::Mode::Write));
}

// --- schema migration -------------------------------------------------------------------------

TEST_F(WorkspaceTest, OlderSchemaIsMigratedOnOpen) {
  fs::create_directories(dir_);
  const fs::path file = dir_ / "catalogue.sqlite";
  {
    Database db(file.string(), /*create=*/true);
    migrate(db, file.string(), 1);
    EXPECT_EQ(db.user_version(), 1);
    // Version 1 has no list columns yet.
    EXPECT_THROW(db.exec("SELECT index_terms FROM units"), EnvironmentError);
    db.exec(
        "INSERT INTO units (id, parent_id, position, signatur, sort_key, level, title, date_text, "
        "updated_at) VALUES (1, NULL, 0, 'C 5.63', 'c 5.63', 'bestand', 'Bauordnungsamt', "
        "'1950-1990', '2024-01-01T00:00:00Z')");
  }
  ASSERT_GE(current_schema_version(), 2);
  Catalogue cat(file, /*create=*/false);
  EXPECT_EQ(cat.schema_version(), current_schema_version());
  const auto u = cat.find("C 5.63");
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->id, 1);
  EXPECT_EQ(u->title, "Bauordnungsamt");
  EXPECT_EQ(u->level, Level::Bestand);
  EXPECT_EQ(u->laufzeit.text, "1950-1990");
  EXPECT_TRUE(u->index_terms.empty());

  // The migrated catalogue takes list fields.
  Unit after = *u;
  after.index_terms = {{IndexTerm::Kind::Place, "Hilden", ""}};
  EXPECT_EQ(cat.update(*u, after, "test"), 1);
  EXPECT_EQ(cat.find("C 5.63")->index_terms, after.index_terms);
}

TEST_F(WorkspaceTest, OlderSchemaIsMigratedWhenTheWorkspaceOpens) {
  Workspace::create(dir_, sample_config());
  {
    // Rebuild the catalogue at version 1.
    for (const char* suffix : {"", "-wal", "-shm"})
      fs::remove(dir_.string() + "/catalogue.sqlite" + suffix);
    const fs::path file = dir_ / "catalogue.sqlite";
    Database db(file.string(), /*create=*/true);
    migrate(db, file.string(), 1);
  }
  auto ws = Workspace::open(dir_, Workspace::Mode::Write);
  EXPECT_EQ(ws->catalogue().schema_version(), current_schema_version());
}

TEST_F(WorkspaceTest, MigrateIsIdempotent) {
  fs::create_directories(dir_);
  const fs::path file = dir_ / "catalogue.sqlite";
  Database db(file.string(), true);
  migrate(db, file.string());
  EXPECT_EQ(db.user_version(), current_schema_version());
  EXPECT_NO_THROW(migrate(db, file.string()));
  EXPECT_EQ(db.user_version(), current_schema_version());
}

TEST_F(WorkspaceTest, NewerSchemaIsRefused) {
  Workspace::create(dir_, sample_config());
  const fs::path file = dir_ / "catalogue.sqlite";
  {
    Database db(file.string(), false);
    db.set_user_version(current_schema_version() + 1);
  }
  const auto msg = error_of<EnvironmentError>([&] { Catalogue cat(file, false); });
  EXPECT_TRUE(contains(msg, "newer")) << msg;
  EXPECT_TRUE(contains(msg, std::to_string(current_schema_version() + 1))) << msg;
  const auto ws_msg =
      error_of<EnvironmentError>([&] { Workspace::open(dir_, Workspace::Mode::Read); });
  EXPECT_TRUE(contains(ws_msg, "newer")) << ws_msg;
  // Nothing was changed by the refusal.
  Database db(file.string(), false);
  EXPECT_EQ(db.user_version(), current_schema_version() + 1);
}

// --- configuration ----------------------------------------------------------------------------

class ConfigTest : public WorkspaceTest {
 protected:
  void SetUp() override {
    WorkspaceTest::SetUp();
    fs::create_directories(dir_);
    file_ = dir_ / "findbuch.json";
  }
  std::string load_error(const std::string& json) {
    write_text(file_, json);
    return error_of<InputError>([&] { load_config(file_); });
  }
  fs::path file_;
};

TEST_F(ConfigTest, MinimalConfigGetsDefaults) {
  write_text(file_, R"({"isil": "DE-MS123", "name": "Stadtarchiv"})");
  const auto c = load_config(file_);
  EXPECT_EQ(c.isil, "DE-MS123");
  EXPECT_EQ(c.name, "Stadtarchiv");
  EXPECT_EQ(c.languages, (std::vector<std::string>{"ger"}));
  EXPECT_TRUE(c.address.empty());
  EXPECT_EQ(c.protection.general_years, 30);
  EXPECT_EQ(c.protection.after_death_years, 10);
  EXPECT_EQ(c.protection.after_birth_years, 100);
  EXPECT_EQ(c.protection.personal_unknown_years, 60);
  EXPECT_EQ(c.protection.secrecy_years, 60);
  EXPECT_TRUE(c.protection.closed_shown_as_stub);
}

TEST_F(ConfigTest, BadIsilNamesTheField) {
  const auto msg = load_error(R"({"isil": "Hilden", "name": "Stadtarchiv"})");
  EXPECT_TRUE(contains(msg, "\"isil\"")) << msg;
  EXPECT_TRUE(contains(msg, "Hilden")) << msg;
  EXPECT_TRUE(contains(msg, file_.string())) << msg;
}

TEST_F(ConfigTest, MissingNameNamesTheField) {
  const auto msg = load_error(R"({"isil": "DE-MS123"})");
  EXPECT_TRUE(contains(msg, "\"name\"")) << msg;
}

TEST_F(ConfigTest, UnknownKeyNamesTheField) {
  const auto msg = load_error(R"({"isil": "DE-MS123", "name": "S", "colour": "blue"})");
  EXPECT_TRUE(contains(msg, "\"colour\"")) << msg;
  EXPECT_TRUE(contains(msg, "unknown")) << msg;
  const auto inner =
      load_error(R"({"isil": "DE-MS123", "name": "S", "protection": {"general": 30}})");
  EXPECT_TRUE(contains(inner, "protection.general")) << inner;
}

TEST_F(ConfigTest, NonNumericYearsNameTheField) {
  const auto msg =
      load_error(R"({"isil": "DE-MS123", "name": "S", "protection": {"general_years": "x"}})");
  EXPECT_TRUE(contains(msg, "protection.general_years")) << msg;
  EXPECT_TRUE(contains(msg, "number")) << msg;
  const auto negative =
      load_error(R"({"isil": "DE-MS123", "name": "S", "protection": {"secrecy_years": -1}})");
  EXPECT_TRUE(contains(negative, "protection.secrecy_years")) << negative;
}

TEST_F(ConfigTest, BadClosedUnitsPublicAsNamesTheFieldAndChoices) {
  const auto msg = load_error(
      R"({"isil": "DE-MS123", "name": "S", "protection": {"closed_units_public_as": "maybe"}})");
  EXPECT_TRUE(contains(msg, "protection.closed_units_public_as")) << msg;
  EXPECT_TRUE(contains(msg, "maybe")) << msg;
  EXPECT_TRUE(contains(msg, "stub")) << msg;
  EXPECT_TRUE(contains(msg, "hidden")) << msg;
}

TEST_F(ConfigTest, WrongTypesAndBadJson) {
  auto msg = load_error(R"({"isil": 5, "name": "S"})");
  EXPECT_TRUE(contains(msg, "\"isil\"")) << msg;
  msg = load_error(R"({"isil": "DE-MS123", "name": "S", "languages": "ger"})");
  EXPECT_TRUE(contains(msg, "\"languages\"")) << msg;
  msg = load_error(R"({"isil": "DE-MS123", "name": "S", "protection": 30})");
  EXPECT_TRUE(contains(msg, "\"protection\"")) << msg;
  msg = load_error("{not json");
  EXPECT_TRUE(contains(msg, file_.string())) << msg;
  msg = load_error("[1, 2]");
  EXPECT_TRUE(contains(msg, "object")) << msg;
}

TEST_F(ConfigTest, NewerConfigVersionIsRefused) {
  write_text(file_, R"({"findbuch_config_version": 99, "isil": "DE-MS123", "name": "S"})");
  const auto msg = error_of<EnvironmentError>([&] { load_config(file_); });
  EXPECT_TRUE(contains(msg, "newer")) << msg;
}

TEST_F(ConfigTest, SaveLoadRoundTripKeepsAllValues) {
  ArchiveConfig c;
  c.isil = "DE-2165";
  c.name = "Stadtarchiv Hilden";
  c.address = {"Am Rathaus 1", "40721 Hilden"};
  c.email = "stadtarchiv@hilden.de";
  c.languages = {"ger", "lat"};
  c.public_base_url = "https://archiv.hilden.de/";
  c.protection.general_years = 25;
  c.protection.after_death_years = 11;
  c.protection.after_birth_years = 110;
  c.protection.personal_unknown_years = 70;
  c.protection.secrecy_years = 80;
  c.protection.closed_shown_as_stub = false;
  save_config(file_, c);

  const auto l = load_config(file_);
  EXPECT_EQ(l.isil, c.isil);
  EXPECT_EQ(l.name, c.name);
  EXPECT_EQ(l.address, c.address);
  EXPECT_EQ(l.email, c.email);
  EXPECT_EQ(l.languages, c.languages);
  EXPECT_EQ(l.public_base_url, c.public_base_url);
  EXPECT_EQ(l.protection.general_years, 25);
  EXPECT_EQ(l.protection.after_death_years, 11);
  EXPECT_EQ(l.protection.after_birth_years, 110);
  EXPECT_EQ(l.protection.personal_unknown_years, 70);
  EXPECT_EQ(l.protection.secrecy_years, 80);
  EXPECT_FALSE(l.protection.closed_shown_as_stub);

  // And the stub setting round-trips the other way too.
  c.protection.closed_shown_as_stub = true;
  save_config(file_, c);
  EXPECT_TRUE(load_config(file_).protection.closed_shown_as_stub);
}

TEST_F(ConfigTest, IiifSettingsAreCheckedFieldByField) {
  const std::string head = R"({"isil": "DE-MS123", "name": "S", "iiif": )";
  auto msg = load_error(head + R"({"tile_sise": 256}})");
  EXPECT_TRUE(contains(msg, "\"iiif.tile_sise\"")) << msg;
  EXPECT_TRUE(contains(msg, "unknown")) << msg;
  EXPECT_TRUE(contains(msg, file_.string())) << msg;
  msg = load_error(head + R"({"rights": "https://creativecommons.org/licenses/by/4.0/"}})");
  EXPECT_TRUE(contains(msg, "\"iiif.rights\"")) << msg;
  msg = load_error(head + R"({"rights": "CC BY 4.0"}})");
  EXPECT_TRUE(contains(msg, "\"iiif.rights\"")) << msg;
  for (const char* bad : {"15", "4097", "-512", "512.5", "\"512\"", "0"}) {
    msg = load_error(head + R"({"tile_size": )" + bad + "}}");
    EXPECT_TRUE(contains(msg, "\"iiif.tile_size\"")) << bad << ": " << msg;
  }
  msg = load_error(head + R"({"quality": 101}})");
  EXPECT_TRUE(contains(msg, "\"iiif.quality\"")) << msg;
  msg = load_error(head + R"({"base_url": 5}})");
  EXPECT_TRUE(contains(msg, "\"iiif.base_url\"")) << msg;
  msg = load_error(head + R"("big"})");
  EXPECT_TRUE(contains(msg, "\"iiif\"")) << msg;

  // The limits are accepted.
  write_text(file_, head + R"({"tile_size": 16, "quality": 1}})");
  EXPECT_EQ(load_config(file_).iiif.tile_size, 16);
  write_text(file_, head + R"({"tile_size": 4096, "rights":
      "http://rightsstatements.org/vocab/InC/1.0/"}})");
  EXPECT_EQ(load_config(file_).iiif.tile_size, 4096);
}

TEST_F(ConfigTest, IiifSettingsRoundTripAndDefault) {
  write_text(file_, R"({"isil": "DE-MS123", "name": "S"})");
  const ArchiveConfig d = load_config(file_);
  EXPECT_EQ(d.iiif.tile_size, 512);
  EXPECT_EQ(d.iiif.quality, 85);
  EXPECT_TRUE(d.iiif.base_url.empty());
  EXPECT_TRUE(d.iiif.rights.empty());

  ArchiveConfig c = sample_config();
  c.iiif.base_url = "https://bilder.example/iiif/";
  c.iiif.tile_size = 256;
  c.iiif.quality = 70;
  c.iiif.max_width = 4000;
  c.iiif.max_height = 5000;
  c.iiif.max_area = 16'000'000;
  c.iiif.rights = "http://creativecommons.org/publicdomain/mark/1.0/";
  c.iiif.required_statement = "Stadtarchiv Hilden, Fotosammlung";
  save_config(file_, c);
  const ArchiveConfig l = load_config(file_);
  EXPECT_EQ(l.iiif.base_url, c.iiif.base_url);
  EXPECT_EQ(l.iiif.tile_size, 256);
  EXPECT_EQ(l.iiif.quality, 70);
  EXPECT_EQ(l.iiif.max_width, 4000u);
  EXPECT_EQ(l.iiif.max_height, 5000u);
  EXPECT_EQ(l.iiif.max_area, 16'000'000u);
  EXPECT_EQ(l.iiif.rights, c.iiif.rights);
  EXPECT_EQ(l.iiif.required_statement, c.iiif.required_statement);
}

TEST(IiifBaseUrl, IiifBaseUrlOrPublicBaseUrlWithoutTrailingSlashes) {
  ArchiveConfig c = sample_config();
  c.public_base_url = "https://archiv.example";
  EXPECT_EQ(c.iiif_base_url(), "https://archiv.example/iiif");
  c.public_base_url = "https://archiv.example//";
  EXPECT_EQ(c.iiif_base_url(), "https://archiv.example/iiif");
  c.iiif.base_url = "https://bilder.example/stadtarchiv/iiif/";
  EXPECT_EQ(c.iiif_base_url(), "https://bilder.example/stadtarchiv/iiif") << "it wins";
  c.iiif.base_url = "https://bilder.example/iiif";
  EXPECT_EQ(c.iiif_base_url(), "https://bilder.example/iiif");
}

TEST_F(ConfigTest, WorkspacePolicyUsesTheConfiguredFigures) {
  const fs::path ws_dir = dir_ / "archive";
  ArchiveConfig c = sample_config();
  c.protection.general_years = 10;
  Workspace::create(ws_dir, c);
  auto ws = Workspace::open(ws_dir, Workspace::Mode::Read);
  EXPECT_EQ(ws->config().protection.general_years, 10);
  Unit u;
  u.level = Level::File;
  u.laufzeit.from = Date{2001, 1, 1};
  u.laufzeit.to = Date{2001, 12, 31};
  const auto decision = ws->policy().decide(u, {}, Date{2026, 11, 26});
  EXPECT_TRUE(decision.open);
  EXPECT_EQ(decision.opens_on, (Date{2012, 1, 1}));
}

}  // namespace
}  // namespace findbuch

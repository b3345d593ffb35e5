// Proves the catalogue store on a real SQLite file: units are stored and found, the tree keeps
// its arrangement order and level rules, Signatur and EAD id are unique, every change is audited
// field by field, list fields round-trip, moves keep Signaturen and renumber positions, and a
// rolled-back transaction leaves nothing behind.
#include "store/catalogue.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "catalogue/fields.hpp"
#include "core/error.hpp"
#include "core/laufzeit.hpp"
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

Unit make(std::string signatur, Level level, std::int64_t parent_id = 0,
          std::string title = "Titel") {
  Unit u;
  u.signatur = std::move(signatur);
  u.level = level;
  u.parent_id = parent_id;
  u.position = -1;
  u.title = std::move(title);
  return u;
}

template <typename Fn>
std::string input_error(Fn fn) {
  try {
    fn();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

using testing::contains;

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = unique_dir("store");
    fs::create_directories(dir_);
    cat_ = std::make_unique<Catalogue>(dir_ / "catalogue.sqlite", /*create=*/true);
  }
  void TearDown() override {
    cat_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  Unit add(std::string signatur, Level level, std::int64_t parent_id = 0,
           std::string title = "Titel") {
    Unit u = make(std::move(signatur), level, parent_id, std::move(title));
    cat_->insert(u, "test");
    return u;
  }

  std::vector<std::string> child_signaturen(std::int64_t parent_id) {
    std::vector<std::string> out;
    for (const auto& c : cat_->children(parent_id)) out.push_back(c.signatur);
    return out;
  }

  std::vector<int> child_positions(std::int64_t parent_id) {
    std::vector<int> out;
    for (const auto& c : cat_->children(parent_id)) out.push_back(cat_->find_by_id(c.id)->position);
    return out;
  }

  fs::path dir_;
  std::unique_ptr<Catalogue> cat_;
};

// --- insert, find, require --------------------------------------------------------------------

TEST_F(StoreTest, NewCatalogueIsEmptyAndAtCurrentSchema) {
  EXPECT_EQ(cat_->unit_count(), 0);
  EXPECT_TRUE(cat_->children(0).empty());
  EXPECT_EQ(cat_->schema_version(), current_schema_version());
  EXPECT_GE(current_schema_version(), 2);
  EXPECT_FALSE(cat_->find("C 1").has_value());
  EXPECT_TRUE(cat_->log(std::nullopt, 10).empty());
}

TEST_F(StoreTest, OpeningAMissingFileWithoutCreateFails) {
  EXPECT_THROW(Catalogue(dir_ / "nope.sqlite", /*create=*/false), EnvironmentError);
  EXPECT_FALSE(fs::exists(dir_ / "nope.sqlite"));
}

TEST_F(StoreTest, OpeningAFileThatIsNoDatabaseFails) {
  const fs::path junk = dir_ / "junk.sqlite";
  {
    std::ofstream out(junk, std::ios::binary);
    out << std::string(4096, 'x');
  }
  EXPECT_THROW(Catalogue(junk, /*create=*/false), EnvironmentError);
}

TEST_F(StoreTest, InsertAndFindEveryField) {
  const Unit group = add("C", Level::TektonikGroup, 0, "Akten der Stadtverwaltung");
  const Unit bestand = add("C 5.63", Level::Bestand, group.id, "Bauordnungsamt");
  Unit u = make("C 5.63 Nr. 1234", Level::File, bestand.id, "Neubau Rathaus");
  u.ead_id = "DE-MS123-c563-1234";
  u.signatur_generated = true;
  u.laufzeit = parse_laufzeit("ca. 1890-1923");
  u.extent = "1 Akte";
  u.creator = "Bauordnungsamt";
  u.enthaelt = "Pläne";
  u.darin = "Foto";
  u.archival_history = "Abgabe 1990";
  u.access_conditions = "keine";
  u.use_conditions = "Reproduktion nur mit Genehmigung";
  u.language = "ger";
  u.notes = "Bemerkung";
  u.former_reference = "Alt 7";
  u.aktenzeichen = "63-12/4";
  u.storage_location = "Magazin 3";
  u.personal_data = true;
  u.secrecy = true;
  u.embargo_until = Date{2030, 12, 31};
  u.shortened_to = Date{2024, 5, 1};
  u.shortening_reason = "Einwilligung";
  u.zwischenarchiv = true;
  u.index_terms = {{IndexTerm::Kind::Place, "Hilden", "4024844-8"},
                   {IndexTerm::Kind::Person, "Meier, Karl", ""}};
  u.persons_concerned = {{"Karl Meier", "1921", "1990-05-01"}, {"Anna", "", ""}};
  u.digital_objects = {{"image_full", "https://x.de/1.jpg", "Blatt 1"},
                       {"externer_viewer", "https://v.de/1", ""}};
  cat_->insert(u, "test");
  EXPECT_GT(u.id, 0);
  EXPECT_EQ(u.position, 0);

  const auto found = cat_->find("C 5.63 Nr. 1234");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, u.id);
  EXPECT_EQ(found->parent_id, bestand.id);
  // Index terms are stored grouped by kind (person before place).
  Unit expected = u;
  expected.index_terms = {{IndexTerm::Kind::Person, "Meier, Karl", ""},
                          {IndexTerm::Kind::Place, "Hilden", "4024844-8"}};
  EXPECT_TRUE(found->same_description(expected));
  EXPECT_EQ(found->laufzeit, u.laufzeit);
  EXPECT_EQ(found->persons_concerned, u.persons_concerned);
  EXPECT_EQ(found->digital_objects, u.digital_objects);
  EXPECT_EQ(found->index_terms, expected.index_terms);

  // Every field's text form survives the round trip.
  for (const auto& f : field_table()) EXPECT_EQ(f.get(*found), f.get(u)) << f.key;

  EXPECT_EQ(cat_->find_by_id(u.id)->signatur, "C 5.63 Nr. 1234");
  EXPECT_EQ(cat_->find_by_ead_id("DE-MS123-c563-1234")->id, u.id);
  EXPECT_FALSE(cat_->find_by_ead_id("other").has_value());
  EXPECT_FALSE(cat_->find_by_id(9999).has_value());
  EXPECT_EQ(cat_->unit_count(), 3);
}

TEST_F(StoreTest, EmptyOptionalFieldsReadBackEmpty) {
  add("A", Level::TektonikGroup);
  const auto a = cat_->find("A");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->parent_id, 0);
  EXPECT_EQ(a->ead_id, "");
  EXPECT_TRUE(a->laufzeit.empty());
  EXPECT_FALSE(a->embargo_until.has_value());
  EXPECT_FALSE(a->shortened_to.has_value());
  EXPECT_TRUE(a->index_terms.empty());
  EXPECT_EQ(a->level, Level::TektonikGroup);
}

TEST_F(StoreTest, FindNormalisesSpace) {
  add("E 2", Level::Bestand);
  EXPECT_TRUE(cat_->find("  E   2 ").has_value());
  EXPECT_TRUE(cat_->require(" E  2").id > 0);
}

TEST_F(StoreTest, RequireUnknownSuggestsTheNearest) {
  const Unit b = add("C 5.63", Level::Bestand);
  add("C 5.63 Nr. 1234", Level::File, b.id);
  add("C 5.63 Nr. 999", Level::File, b.id);
  const auto msg = input_error([&] { cat_->require("C 5.63 Nr. 1235"); });
  EXPECT_TRUE(contains(msg, "\"C 5.63 Nr. 1235\"")) << msg;
  EXPECT_TRUE(contains(msg, "did you mean \"C 5.63 Nr. 1234\"")) << msg;

  const auto far = input_error([&] { cat_->require("Z 99"); });
  EXPECT_TRUE(contains(far, "Z 99")) << far;
  EXPECT_FALSE(contains(far, "did you mean")) << far;
}

TEST_F(StoreTest, InsertWritesACreateAuditEntry) {
  const Unit u = add("A", Level::TektonikGroup, 0, "Urkunden");
  const auto log = cat_->log(u.id, 10);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].action, "create");
  EXPECT_EQ(log[0].signatur, "A");
  EXPECT_EQ(log[0].new_value, "Urkunden");
  EXPECT_EQ(log[0].source, "test");
  ASSERT_EQ(log[0].at.size(), 20u) << log[0].at;
  EXPECT_EQ(log[0].at[10], 'T');
  EXPECT_EQ(log[0].at.back(), 'Z');
}

// --- tree and level rules ---------------------------------------------------------------------

TEST_F(StoreTest, ChildrenInArrangementOrderNotSignaturOrder) {
  const Unit b = add("C 5.63", Level::Bestand);
  // Appended in an order that is neither natural nor lexical Signatur order.
  add("C 5.63 Nr. 10", Level::File, b.id);
  add("C 5.63 Nr. 9", Level::File, b.id);
  add("C 5.63 Nr. 100", Level::File, b.id);
  add("C 5.63 Nr. 1", Level::File, b.id);
  EXPECT_EQ(child_signaturen(b.id), (std::vector<std::string>{"C 5.63 Nr. 10", "C 5.63 Nr. 9",
                                                              "C 5.63 Nr. 100", "C 5.63 Nr. 1"}));
  EXPECT_EQ(child_positions(b.id), (std::vector<int>{0, 1, 2, 3}));
  const auto kids = cat_->children(b.id);
  EXPECT_EQ(kids[0].level, Level::File);
  EXPECT_EQ(kids[0].title, "Titel");
  EXPECT_EQ(cat_->children(0).size(), 1u);
  EXPECT_EQ(cat_->children(0)[0].child_count, 4);
}

TEST_F(StoreTest, ExplicitPositionsOrderChildren) {
  const Unit b = add("B", Level::Bestand);
  Unit x = make("B Nr. 1", Level::File, b.id);
  x.position = 5;
  cat_->insert(x, "t");
  Unit y = make("B Nr. 2", Level::File, b.id);
  y.position = 2;
  cat_->insert(y, "t");
  EXPECT_EQ(child_signaturen(b.id), (std::vector<std::string>{"B Nr. 2", "B Nr. 1"}));
  // Appending continues after the highest position.
  const Unit z = add("B Nr. 3", Level::File, b.id);
  EXPECT_EQ(z.position, 6);
}

TEST_F(StoreTest, SamePositionFallsBackToNaturalSignaturOrder) {
  const Unit b = add("B", Level::Bestand);
  for (const char* s : {"B Nr. 10", "B Nr. 9", "B Nr. 1"}) {
    Unit u = make(s, Level::File, b.id);
    u.position = 0;
    cat_->insert(u, "t");
  }
  EXPECT_EQ(child_signaturen(b.id), (std::vector<std::string>{"B Nr. 1", "B Nr. 9", "B Nr. 10"}));
}

TEST_F(StoreTest, LevelPlacementRules) {
  Unit file = make("X 1", Level::File);
  auto msg = input_error([&] { cat_->insert(file, "t"); });
  EXPECT_TRUE(contains(msg, "Akte")) << msg;
  EXPECT_TRUE(contains(msg, "top")) << msg;
  EXPECT_EQ(file.id, 0);

  Unit series = make("X 2", Level::Series);
  EXPECT_THROW(cat_->insert(series, "t"), InputError);

  const Unit group = add("C", Level::TektonikGroup);
  add("C 0", Level::TektonikGroup, group.id);
  const Unit bestand = add("C 1", Level::Bestand, group.id);
  const Unit f = add("C 1 Nr. 1", Level::File, bestand.id);

  Unit nested = make("C 2", Level::Bestand, f.id);
  msg = input_error([&] { cat_->insert(nested, "t"); });
  EXPECT_TRUE(contains(msg, "Bestand")) << msg;
  EXPECT_TRUE(contains(msg, "Akte")) << msg;

  Unit file_in_group = make("C Nr. 1", Level::File, group.id);
  EXPECT_THROW(cat_->insert(file_in_group, "t"), InputError);
  Unit bestand_in_bestand = make("C 1.1", Level::Bestand, bestand.id);
  EXPECT_THROW(cat_->insert(bestand_in_bestand, "t"), InputError);

  add("C 1 Nr. 1/1", Level::Item, f.id);
  add("C 1 Nr. 1/2", Level::File, f.id);

  Unit orphan = make("C 9", Level::Bestand, 424242);
  EXPECT_THROW(cat_->insert(orphan, "t"), InputError);
  EXPECT_EQ(cat_->unit_count(), 6);
}

TEST_F(StoreTest, SignaturAndEadIdAreUnique) {
  const Unit b = add("B", Level::Bestand);
  Unit one = make("B Nr. 1", Level::File, b.id);
  one.ead_id = "ead-1";
  cat_->insert(one, "t");

  Unit dup = make("B Nr. 1", Level::File, b.id);
  auto msg = input_error([&] { cat_->insert(dup, "t"); });
  EXPECT_TRUE(contains(msg, "B Nr. 1")) << msg;
  EXPECT_TRUE(contains(msg, "taken")) << msg;

  Unit dup_id = make("B Nr. 2", Level::File, b.id);
  dup_id.ead_id = "ead-1";
  msg = input_error([&] { cat_->insert(dup_id, "t"); });
  EXPECT_TRUE(contains(msg, "ead-1")) << msg;

  // Units without an EAD id do not collide with each other.
  add("B Nr. 3", Level::File, b.id);
  add("B Nr. 4", Level::File, b.id);
  EXPECT_EQ(cat_->unit_count(), 4);

  // Renaming onto a taken Signatur is refused too.
  Unit before = *cat_->find("B Nr. 3");
  Unit after = before;
  after.signatur = "B Nr. 1";
  EXPECT_THROW(cat_->update(before, after, "t"), InputError);
  after = before;
  after.ead_id = "ead-1";
  EXPECT_THROW(cat_->update(before, after, "t"), InputError);
}

// --- update and audit -------------------------------------------------------------------------

TEST_F(StoreTest, UpdateWritesOneAuditEntryPerChangedField) {
  const Unit b = add("B", Level::Bestand);
  Unit before = add("B Nr. 1", Level::File, b.id, "Alter Titel");
  before = *cat_->find("B Nr. 1");
  Unit after = before;
  after.title = "Neuer Titel";
  after.storage_location = "Magazin 2";
  after.embargo_until = Date{2030, 12, 31};
  const int changed = cat_->update(before, after, "findbuch set");
  EXPECT_EQ(changed, 3);

  const auto log = cat_->log(before.id, 10);
  ASSERT_EQ(log.size(), 4u);  // three sets, newest first, then the create
  EXPECT_EQ(log[3].action, "create");
  std::map<std::string, AuditEntry> by_field;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(log[i].action, "set");
    EXPECT_EQ(log[i].signatur, "B Nr. 1");
    EXPECT_EQ(log[i].source, "findbuch set");
    by_field[log[i].field] = log[i];
  }
  ASSERT_EQ(by_field.count("title"), 1u);
  EXPECT_EQ(by_field["title"].old_value, "Alter Titel");
  EXPECT_EQ(by_field["title"].new_value, "Neuer Titel");
  ASSERT_EQ(by_field.count("storage_location"), 1u);
  EXPECT_EQ(by_field["storage_location"].old_value, "");
  EXPECT_EQ(by_field["storage_location"].new_value, "Magazin 2");
  ASSERT_EQ(by_field.count("embargo_until"), 1u);
  EXPECT_EQ(by_field["embargo_until"].new_value, "2030-12-31");

  const auto stored = cat_->find("B Nr. 1");
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->title, "Neuer Titel");
  EXPECT_EQ(stored->storage_location, "Magazin 2");
  EXPECT_EQ(stored->embargo_until, (Date{2030, 12, 31}));
  EXPECT_EQ(stored->parent_id, b.id);
  EXPECT_EQ(stored->position, before.position);
}

TEST_F(StoreTest, UpdateWithoutChangesWritesNothing) {
  const Unit b = add("B", Level::Bestand);
  const Unit u = *cat_->find("B");
  EXPECT_EQ(cat_->update(u, u, "t"), 0);
  EXPECT_EQ(cat_->log(b.id, 10).size(), 1u);
}

TEST_F(StoreTest, UpdateCanRenameAndLogsUnderTheNewSignatur) {
  const Unit b = add("B", Level::Bestand);
  const Unit before = *cat_->find("B");
  Unit after = before;
  after.signatur = "B neu";
  EXPECT_EQ(cat_->update(before, after, "t"), 1);
  EXPECT_FALSE(cat_->find("B").has_value());
  EXPECT_EQ(cat_->find("B neu")->id, b.id);
  const auto log = cat_->log(b.id, 1);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].field, "signatur");
  EXPECT_EQ(log[0].old_value, "B");
  EXPECT_EQ(log[0].new_value, "B neu");
  EXPECT_EQ(log[0].signatur, "B neu");
}

TEST_F(StoreTest, ListsRoundTripThroughUpdate) {
  const Unit b = add("B", Level::Bestand);
  add("B Nr. 1", Level::File, b.id);
  const Unit before = *cat_->find("B Nr. 1");
  Unit after = before;
  find_field("subjects")->set(after, "Bauwesen|4004733-8; Rathaus");
  find_field("persons")->set(after, "Meier, Karl|118");
  find_field("persons_concerned")->set(after, "Karl Meier|1921|1990-05-01");
  find_field("digital_objects")->set(after, "image_full|https://x.de/a.jpg|Seite 1");
  EXPECT_EQ(cat_->update(before, after, "t"), 4);

  const Unit stored = *cat_->find("B Nr. 1");
  EXPECT_EQ(find_field("subjects")->get(stored), "Bauwesen|4004733-8; Rathaus");
  EXPECT_EQ(find_field("persons")->get(stored), "Meier, Karl|118");
  EXPECT_EQ(stored.persons_concerned,
            (std::vector<PersonConcerned>{{"Karl Meier", "1921", "1990-05-01"}}));
  EXPECT_EQ(stored.digital_objects,
            (std::vector<DigitalObject>{{"image_full", "https://x.de/a.jpg", "Seite 1"}}));
  ASSERT_EQ(stored.index_terms.size(), 3u);
  EXPECT_EQ(stored.index_terms[0].kind, IndexTerm::Kind::Person);

  // Replacing lists removes the old entries instead of adding to them.
  Unit cleared = stored;
  cleared.index_terms.clear();
  cleared.persons_concerned = {{"Anna", "", "2001"}};
  cleared.digital_objects.clear();
  cat_->update(stored, cleared, "t");
  const Unit again = *cat_->find("B Nr. 1");
  EXPECT_TRUE(again.index_terms.empty());
  EXPECT_TRUE(again.digital_objects.empty());
  EXPECT_EQ(again.persons_concerned, (std::vector<PersonConcerned>{{"Anna", "", "2001"}}));
  Statement stored_terms(cat_->db(), "SELECT index_terms FROM units WHERE signatur='B Nr. 1'");
  ASSERT_TRUE(stored_terms.step());
  EXPECT_TRUE(stored_terms.is_null(0));
}

TEST_F(StoreTest, UpdateLevelChecksParentAndChildren) {
  const Unit b = add("B", Level::Bestand);
  const Unit f = add("B Nr. 1", Level::File, b.id);
  add("B Nr. 1/1", Level::File, f.id);
  add("B Nr. 2", Level::File, b.id);

  // An Akte holding an Akte cannot become an Einzelstück.
  Unit before = *cat_->find("B Nr. 1");
  Unit after = before;
  after.level = Level::Item;
  auto msg = input_error([&] { cat_->update(before, after, "t"); });
  EXPECT_TRUE(contains(msg, "B Nr. 1/1")) << msg;

  // A Bestand cannot stand below a Bestand.
  before = *cat_->find("B Nr. 2");
  after = before;
  after.level = Level::Bestand;
  EXPECT_THROW(cat_->update(before, after, "t"), InputError);

  // An empty Akte can become a Serie in a Bestand.
  after.level = Level::Series;
  EXPECT_EQ(cat_->update(before, after, "t"), 1);
  EXPECT_EQ(cat_->find("B Nr. 2")->level, Level::Series);
}

TEST_F(StoreTest, LogLimitAndOrder) {
  const Unit a = add("A", Level::TektonikGroup);
  const Unit b = add("B", Level::TektonikGroup);
  const auto all = cat_->log(std::nullopt, 10);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].signatur, "B");
  EXPECT_EQ(all[1].signatur, "A");
  EXPECT_GT(all[0].id, all[1].id);
  EXPECT_EQ(cat_->log(std::nullopt, 1).size(), 1u);
  EXPECT_EQ(cat_->log(a.id, 10).size(), 1u);
  EXPECT_EQ(cat_->log(b.id, 10)[0].signatur, "B");
}

// --- move -------------------------------------------------------------------------------------

class MoveTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    b1_ = add("B1", Level::Bestand);
    b2_ = add("B2", Level::Bestand);
    for (const char* s : {"B1 Nr. 1", "B1 Nr. 2", "B1 Nr. 3", "B1 Nr. 4"})
      add(s, Level::File, b1_.id);
    for (const char* s : {"B2 Nr. 1", "B2 Nr. 2"}) add(s, Level::File, b2_.id);
  }
  Unit get(const char* s) { return *cat_->find(s); }
  void move(const char* s, std::int64_t parent, std::optional<std::int64_t> before = {}) {
    Transaction tx(cat_->db());
    cat_->move(get(s), parent, before, "findbuch move");
    tx.commit();
  }
  Unit b1_, b2_;
};

TEST_F(MoveTest, ToAnotherParentAtTheEnd) {
  const Unit u = get("B1 Nr. 2");
  move("B1 Nr. 2", b2_.id);
  const Unit moved = get("B1 Nr. 2");
  EXPECT_EQ(moved.id, u.id);
  EXPECT_EQ(moved.signatur, "B1 Nr. 2");  // Signaturen never change
  EXPECT_EQ(moved.parent_id, b2_.id);
  EXPECT_EQ(child_signaturen(b1_.id),
            (std::vector<std::string>{"B1 Nr. 1", "B1 Nr. 3", "B1 Nr. 4"}));
  EXPECT_EQ(child_positions(b1_.id), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(child_signaturen(b2_.id),
            (std::vector<std::string>{"B2 Nr. 1", "B2 Nr. 2", "B1 Nr. 2"}));
  EXPECT_EQ(child_positions(b2_.id), (std::vector<int>{0, 1, 2}));

  const auto log = cat_->log(u.id, 1);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].action, "move");
  EXPECT_EQ(log[0].old_value, "B1");
  EXPECT_EQ(log[0].new_value, "B2");
  EXPECT_EQ(log[0].source, "findbuch move");
}

TEST_F(MoveTest, BeforeASiblingInAnotherParent) {
  move("B1 Nr. 3", b2_.id, get("B2 Nr. 2").id);
  EXPECT_EQ(child_signaturen(b2_.id),
            (std::vector<std::string>{"B2 Nr. 1", "B1 Nr. 3", "B2 Nr. 2"}));
  EXPECT_EQ(child_positions(b2_.id), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(child_positions(b1_.id), (std::vector<int>{0, 1, 2}));
}

TEST_F(MoveTest, BeforeTheFirstSibling) {
  move("B1 Nr. 4", b2_.id, get("B2 Nr. 1").id);
  EXPECT_EQ(child_signaturen(b2_.id),
            (std::vector<std::string>{"B1 Nr. 4", "B2 Nr. 1", "B2 Nr. 2"}));
  EXPECT_EQ(child_positions(b2_.id), (std::vector<int>{0, 1, 2}));
}

TEST_F(MoveTest, WithinTheSameParentForwardAndBackward) {
  move("B1 Nr. 1", b1_.id, get("B1 Nr. 4").id);
  EXPECT_EQ(child_signaturen(b1_.id),
            (std::vector<std::string>{"B1 Nr. 2", "B1 Nr. 3", "B1 Nr. 1", "B1 Nr. 4"}));
  EXPECT_EQ(child_positions(b1_.id), (std::vector<int>{0, 1, 2, 3}));

  move("B1 Nr. 4", b1_.id, get("B1 Nr. 2").id);
  EXPECT_EQ(child_signaturen(b1_.id),
            (std::vector<std::string>{"B1 Nr. 4", "B1 Nr. 2", "B1 Nr. 3", "B1 Nr. 1"}));
  EXPECT_EQ(child_positions(b1_.id), (std::vector<int>{0, 1, 2, 3}));

  move("B1 Nr. 2", b1_.id);  // to the end of its own parent
  EXPECT_EQ(child_signaturen(b1_.id),
            (std::vector<std::string>{"B1 Nr. 4", "B1 Nr. 3", "B1 Nr. 1", "B1 Nr. 2"}));
  EXPECT_EQ(child_positions(b1_.id), (std::vector<int>{0, 1, 2, 3}));
}

TEST_F(MoveTest, SubtreeComesAlong) {
  const Unit f = get("B1 Nr. 1");
  add("B1 Nr. 1/1", Level::Item, f.id);
  move("B1 Nr. 1", b2_.id);
  const Unit item = get("B1 Nr. 1/1");
  EXPECT_EQ(item.parent_id, f.id);
  const auto chain = cat_->ancestors(item);
  ASSERT_EQ(chain.size(), 2u);
  EXPECT_EQ(chain[0].signatur, "B2");
  EXPECT_EQ(chain[1].signatur, "B1 Nr. 1");
}

TEST_F(MoveTest, BelowItselfOrItsDescendantIsRefused) {
  const Unit f = get("B1 Nr. 1");
  const Unit sub = add("B1 Nr. 1/1", Level::File, f.id);
  auto msg = input_error([&] { move("B1 Nr. 1", f.id); });
  EXPECT_TRUE(contains(msg, "below itself")) << msg;
  msg = input_error([&] { move("B1 Nr. 1", sub.id); });
  EXPECT_TRUE(contains(msg, "below itself")) << msg;
  EXPECT_EQ(get("B1 Nr. 1").parent_id, b1_.id);
  EXPECT_EQ(child_positions(b1_.id), (std::vector<int>{0, 1, 2, 3}));
}

TEST_F(MoveTest, LevelRulesApply) {
  EXPECT_THROW(move("B1 Nr. 1", 0), InputError);  // a file at the root
  const Unit group = add("G", Level::TektonikGroup);
  EXPECT_THROW(move("B1 Nr. 1", group.id), InputError);
  move("B1", group.id);  // a Bestand into a Tektonik group is fine
  EXPECT_EQ(get("B1").parent_id, group.id);
  EXPECT_EQ(child_signaturen(0), (std::vector<std::string>{"B2", "G"}));
  EXPECT_EQ(child_positions(0), (std::vector<int>{0, 1}));
  move("B1", 0);  // and back to the top
  EXPECT_EQ(child_signaturen(0), (std::vector<std::string>{"B2", "G", "B1"}));
}

TEST_F(MoveTest, BeforeAUnitOfAnotherParentIsRefusedAndRolledBack) {
  const auto msg = input_error([&] { move("B1 Nr. 2", b2_.id, get("B1 Nr. 4").id); });
  EXPECT_TRUE(contains(msg, "--before")) << msg;
  EXPECT_EQ(get("B1 Nr. 2").parent_id, b1_.id);
  EXPECT_EQ(child_signaturen(b1_.id),
            (std::vector<std::string>{"B1 Nr. 1", "B1 Nr. 2", "B1 Nr. 3", "B1 Nr. 4"}));
  EXPECT_EQ(child_positions(b1_.id), (std::vector<int>{0, 1, 2, 3}));
}

// --- ancestors --------------------------------------------------------------------------------

TEST_F(StoreTest, AncestorsRootFirst) {
  const Unit g = add("C", Level::TektonikGroup);
  const Unit b = add("C 5.63", Level::Bestand, g.id);
  const Unit s = add("C 5.63 / 1", Level::Series, b.id);
  const Unit f = add("C 5.63 Nr. 1", Level::File, s.id);
  const Unit i = add("C 5.63 Nr. 1/1", Level::Item, f.id);
  const auto chain = cat_->ancestors(*cat_->find_by_id(i.id));
  ASSERT_EQ(chain.size(), 4u);
  EXPECT_EQ(chain[0].signatur, "C");
  EXPECT_EQ(chain[1].signatur, "C 5.63");
  EXPECT_EQ(chain[2].signatur, "C 5.63 / 1");
  EXPECT_EQ(chain[3].signatur, "C 5.63 Nr. 1");
  EXPECT_TRUE(cat_->ancestors(g).empty());

  EXPECT_TRUE(cat_->is_same_or_ancestor(g.id, i.id));
  EXPECT_TRUE(cat_->is_same_or_ancestor(i.id, i.id));
  EXPECT_TRUE(cat_->is_same_or_ancestor(f.id, i.id));
  EXPECT_FALSE(cat_->is_same_or_ancestor(i.id, g.id));
  EXPECT_FALSE(cat_->is_same_or_ancestor(f.id, b.id));
}

TEST_F(StoreTest, AncestorFactsFoldTheEnclosingFile) {
  const Unit b = add("C 5.63", Level::Bestand);
  Unit f = make("C 5.63 Nr. 1", Level::File, b.id);
  f.laufzeit = parse_laufzeit("1995-2001");
  cat_->insert(f, "t");
  Unit i = make("C 5.63 Nr. 1/1", Level::Item, f.id);
  i.laufzeit = parse_laufzeit("1950");
  cat_->insert(i, "t");

  const AccessPolicy policy({});
  const Date today{2026, 11, 26};
  const Unit item = *cat_->find("C 5.63 Nr. 1/1");
  const AncestorFacts facts = cat_->ancestor_facts(item, policy, today);
  EXPECT_FALSE(facts.in_zwischenarchiv);
  EXPECT_FALSE(facts.record_undetermined);
  ASSERT_TRUE(facts.record_opens_on.has_value());
  EXPECT_EQ(*facts.record_opens_on, (Date{2032, 1, 1}));
  const auto decision = policy.decide(item, facts, today);
  EXPECT_FALSE(decision.open);
  EXPECT_EQ(decision.rule, "enclosing-record");

  // The Bestand alone gives no record facts.
  const AncestorFacts of_file = cat_->ancestor_facts(*cat_->find("C 5.63 Nr. 1"), policy, today);
  EXPECT_FALSE(of_file.record_opens_on.has_value());
}

TEST_F(StoreTest, AncestorFactsSeeZwischenarchiv) {
  Unit g = make("F", Level::TektonikGroup);
  g.zwischenarchiv = true;
  cat_->insert(g, "t");
  const Unit b = add("F 1", Level::Bestand, g.id);
  const Unit f = add("F 1 Nr. 1", Level::File, b.id);
  const AccessPolicy policy({});
  const Date today{2026, 11, 26};
  const auto facts = cat_->ancestor_facts(*cat_->find_by_id(f.id), policy, today);
  EXPECT_TRUE(facts.in_zwischenarchiv);
  EXPECT_EQ(policy
                .decide(*cat_->find_by_id(b.id),
                        cat_->ancestor_facts(*cat_->find_by_id(b.id), policy, today), today)
                .visibility,
            Visibility::Hidden);
}

// --- transactions -----------------------------------------------------------------------------

TEST_F(StoreTest, RolledBackTransactionLeavesNothing) {
  {
    Transaction tx(cat_->db());
    const Unit b = add("B", Level::Bestand);
    add("B Nr. 1", Level::File, b.id);
    EXPECT_EQ(cat_->unit_count(), 2);
  }  // no commit
  EXPECT_EQ(cat_->unit_count(), 0);
  EXPECT_FALSE(cat_->find("B").has_value());
  EXPECT_TRUE(cat_->log(std::nullopt, 10).empty());
  EXPECT_TRUE(cat_->children(0).empty());

  // The catalogue stays usable and the Signatur is free again.
  const Unit b = add("B", Level::Bestand);
  EXPECT_EQ(cat_->unit_count(), 1);
  EXPECT_EQ(cat_->log(b.id, 10).size(), 1u);
}

TEST_F(StoreTest, CommittedTransactionSurvivesReopen) {
  {
    Transaction tx(cat_->db());
    add("B", Level::Bestand);
    tx.commit();
  }
  cat_.reset();
  cat_ = std::make_unique<Catalogue>(dir_ / "catalogue.sqlite", /*create=*/false);
  EXPECT_EQ(cat_->unit_count(), 1);
  EXPECT_TRUE(cat_->find("B").has_value());
}

TEST_F(StoreTest, FailedUpdateInsideTransactionLeavesNoAuditEntry) {
  const Unit b = add("B", Level::Bestand);
  add("B Nr. 1", Level::File, b.id);
  add("B Nr. 2", Level::File, b.id);
  const Unit before = *cat_->find("B Nr. 2");
  Unit after = before;
  after.title = "geändert";
  after.signatur = "B Nr. 1";  // taken
  {
    Transaction tx(cat_->db());
    EXPECT_THROW(cat_->update(before, after, "t"), InputError);
  }
  EXPECT_EQ(cat_->log(before.id, 10).size(), 1u);
  EXPECT_EQ(cat_->find("B Nr. 2")->title, "Titel");
}

TEST_F(StoreTest, SignaturenAreNeverGivenOutAgain) {
  const Unit b = add("B", Level::Bestand);
  const Unit f = add("B Nr. 1", Level::File, b.id);
  Unit renamed = f;
  renamed.signatur = "B Nr. 1a";
  cat_->update(f, renamed, "test");
  // "B Nr. 1" is free among the living units, but was cited: it stays retired.
  Unit newcomer = make("B Nr. 1", Level::File, b.id, "Neu");
  EXPECT_THROW(cat_->insert(newcomer, "test"), InputError);
  Unit other = make("B Nr. 2", Level::File, b.id, "Andere");
  cat_->insert(other, "test");
  Unit taken = other;
  taken.signatur = "B Nr. 1";
  EXPECT_THROW(cat_->update(other, taken, "test"), InputError);
  // The unit that had it may take it back (a corrected typo).
  const Unit current = *cat_->find("B Nr. 1a");
  Unit back = current;
  back.signatur = "B Nr. 1";
  EXPECT_NO_THROW(cat_->update(current, back, "test"));
}

}  // namespace
}  // namespace findbuch

// Updating the index in place: what changed since the last run (new units, changed fields,
// moves, a Bestand's new title reaching every unit below it), protection periods that ended,
// units closed since (their text and their words in "Meinten Sie" leave the public index), and
// full builds that readers of the previous database survive.
#include <gtest/gtest.h>
#include <xapian.h>

#include <filesystem>

#include "core/laufzeit.hpp"
#include "search/search_index.hpp"
#include "support/archive_fixture.hpp"

namespace findbuch::testing {
namespace {

using search::IndexKind;
using search::SearchRequest;

const Date kToday{2026, 11, 26};

class IndexUpdateTest : public ArchiveWithFileTest {
 protected:
  void SetUp() override {
    ArchiveWithFileTest::SetUp();
    // Dated, so that the fixture's Akte is open (an undated record's period is unknown).
    const Unit before = ws_->catalogue().require("C 5.63 Nr. 1");
    Unit after = before;
    after.laufzeit = parse_laufzeit("1900-1910");
    ws_->catalogue().update(before, after, "test");
  }

  void set_title(const std::string& sig, const std::string& title) {
    const Unit before = ws_->catalogue().require(sig);
    Unit after = before;
    after.title = title;
    ws_->catalogue().update(before, after, "test");
  }

  search::IndexReport update(Date day = kToday, IndexKind kind = IndexKind::Public) {
    return search::update_index(*ws_, kind, day);
  }

  search::SearchResult find(const std::string& query, SearchRequest r = {}) {
    r.query = query;
    return search::run_search(search::index_path(ws_->dir(), IndexKind::Public), r);
  }

  std::int64_t total(const std::string& query) { return find(query).total; }

  /// Whether the public index's synonym table (where plain and title words are found by their
  /// stem) holds `term`.
  bool public_word_classes_name(const std::string& term) {
    const Xapian::Database db(search::index_path(ws_->dir(), IndexKind::Public).string());
    for (auto key = db.synonym_keys_begin(); key != db.synonym_keys_end(); ++key) {
      for (auto s = db.synonyms_begin(*key); s != db.synonyms_end(*key); ++s) {
        if (*s == term) return true;
      }
    }
    return false;
  }
};

TEST_F(IndexUpdateTest, FirstRunBuildsThenOnlyChangesAreWritten) {
  const auto first = update();
  EXPECT_TRUE(first.full);
  EXPECT_EQ(first.documents, 2);

  const auto nothing = update();
  EXPECT_FALSE(nothing.full);
  EXPECT_EQ(nothing.documents, 0);

  add("C 5.63 Nr. 2", Level::File, "Baugenehmigung Windmühle", "1901-1903", bestand_.id);
  set_title("C 5.63 Nr. 1", "Abbruch der Scheune");
  const auto changed = update();
  EXPECT_FALSE(changed.full);
  EXPECT_EQ(changed.documents, 2);  // the new unit and the changed one, not the Bestand
  EXPECT_EQ(total("Windmühle"), 1);
  EXPECT_EQ(total("Scheune"), 1);
  EXPECT_EQ(total("Windmühlen"), 1) << "a new word is found by its stem after an update in place";
  EXPECT_EQ(total("Scheunen"), 1);
  EXPECT_EQ(total("titel:Windmühlen"), 1) << "and a new word of a field people search by name";
  EXPECT_EQ(total("Bauakte"), 0) << "the old title is gone from the index";
}

TEST_F(IndexUpdateTest, ABestandsNewTitleReachesEveryUnitBelow) {
  update();
  set_title("C 5.63", "Stadtbauamt");
  const auto r = update();
  EXPECT_EQ(r.documents, 2);  // the Bestand and its Akte
  EXPECT_EQ(total("bestand:Stadtbauamt Bauakte"), 1)
      << "the Akte is found by its Bestand's new title";
  EXPECT_EQ(total("bestand:Bauordnungsamt"), 0);
  const auto hit = find("Bauakte");
  ASSERT_EQ(hit.hits.size(), 1u);
  ASSERT_FALSE(hit.hits[0].breadcrumb.empty());
  EXPECT_EQ(hit.hits[0].breadcrumb.back(), "C 5.63 Stadtbauamt");
}

TEST_F(IndexUpdateTest, AMovedUnitIsFoundWithinItsNewParent) {
  const Unit other = add("C 7", Level::Bestand, "Schulverwaltung", "", 0);
  update();
  const Unit file = ws_->catalogue().require("C 5.63 Nr. 1");
  ws_->catalogue().move(file, other.id, std::nullopt, "test");
  update();
  SearchRequest in_new;
  in_new.within = other.id;
  EXPECT_EQ(find("Bauakte", in_new).total, 1);
  SearchRequest in_old;
  in_old.within = bestand_.id;
  EXPECT_EQ(find("Bauakte", in_old).total, 0);
}

TEST_F(IndexUpdateTest, AProtectionPeriodThatEndedOpensTheUnit) {
  // Closed for 30 years after its last year: open from 2026-01-01.
  add("C 5.63 Nr. 2", Level::File, "Sanierung Zechensiedlung", "1990-1995", bestand_.id);
  const auto before = update(Date{2025, 6, 1});
  EXPECT_EQ(before.stubs, 1);
  EXPECT_EQ(total("Zechensiedlung"), 0);
  EXPECT_EQ(total("\"C 5.63 Nr. 2\""), 1) << "the stub is there";

  const auto after = update(kToday);
  EXPECT_FALSE(after.full);
  EXPECT_EQ(after.documents, 1);
  EXPECT_EQ(after.stubs, 0);
  EXPECT_EQ(total("Zechensiedlung"), 1);
}

TEST_F(IndexUpdateTest, AUnitClosedSinceLeavesNoTextAndNoSuggestionBehind) {
  add("C 5.63 Nr. 2", Level::File, "Vormundschaft Gablonski", "1960-1962", bestand_.id);
  update();
  EXPECT_EQ(total("Gablonski"), 1);
  const auto before_closing = find("Gablonsky");
  EXPECT_TRUE(before_closing.ran_suggestion) << "before closing, the word is suggested";
  EXPECT_TRUE(public_word_classes_name("gablonski")) << "plain words are found by their stem";
  EXPECT_TRUE(public_word_classes_name("Sgablonski")) << "so are the words of the title";

  const Unit before = ws_->catalogue().require("C 5.63 Nr. 2");
  Unit after = before;
  after.laufzeit = parse_laufzeit("1960-2010");  // closed until 30 years after 2010
  ws_->catalogue().update(before, after, "test");
  const auto r = update();
  EXPECT_EQ(r.stubs, 1);
  EXPECT_EQ(total("Gablonski"), 0);
  const auto typo = find("Gablonsky");
  EXPECT_EQ(typo.total, 0);
  EXPECT_EQ(typo.suggestion, "") << "a closed unit's words are no longer suggested";
  EXPECT_FALSE(typo.ran_suggestion);
  EXPECT_FALSE(public_word_classes_name("gablonski"))
      << "a closed unit's words leave the public index's synonym table";
  EXPECT_FALSE(public_word_classes_name("Sgablonski")) << "its title words too";
  // The internal index still finds it.
  update(kToday, IndexKind::Internal);
  SearchRequest internal;
  internal.query = "Gablonski";
  EXPECT_EQ(search::run_search(search::index_path(ws_->dir(), IndexKind::Internal), internal).total,
            1);
}

TEST_F(IndexUpdateTest, ReadersOfThePreviousDatabaseSurviveAFullBuild) {
  update();
  const fs::path link = search::index_path(ws_->dir(), IndexKind::Public);
  const fs::path first = link.parent_path() / fs::read_symlink(link);
  search::update_index(*ws_, IndexKind::Public, kToday, true);
  const fs::path second = link.parent_path() / fs::read_symlink(link);
  EXPECT_NE(first, second);
  SearchRequest r;
  r.query = "Bauakte";
  EXPECT_EQ(search::run_search(first, r).total, 1) << "the previous database is kept";
  search::update_index(*ws_, IndexKind::Public, kToday, true);
  EXPECT_FALSE(fs::exists(first)) << "the one before the previous is removed";
  EXPECT_TRUE(fs::exists(second));
}

TEST_F(IndexUpdateTest, AnOpenSearcherSeesUpdatesAndNewBuilds) {
  update();
  search::Searcher searcher(search::index_path(ws_->dir(), IndexKind::Public));
  SearchRequest r;
  r.query = "Windmühle";
  EXPECT_EQ(searcher.search(r).total, 0);
  add("C 5.63 Nr. 2", Level::File, "Baugenehmigung Windmühle", "1901-1903", bestand_.id);
  update();
  EXPECT_EQ(searcher.search(r).total, 1) << "an update in place";
  set_title("C 5.63 Nr. 2", "Baugenehmigung Wassermühle");
  search::update_index(*ws_, IndexKind::Public, kToday, true);
  EXPECT_EQ(searcher.search(r).total, 0) << "a new generation";
  r.query = "Wassermühle";
  EXPECT_EQ(searcher.search(r).total, 1);
}

TEST_F(IndexUpdateTest, TheInternalIndexHasClosedUnitsInFullAndNotTheirStubs) {
  add("C 5.63 Nr. 2", Level::File, "Vormundschaft Gablonski", "2000-2010", bestand_.id);
  add("C 5.63 Nr. 3", Level::File, "Straßenbeleuchtung", "1910", bestand_.id);
  const auto reports = search::update_indexes(*ws_, kToday, true);
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].documents, 4);
  EXPECT_EQ(reports[0].stubs, 1);
  EXPECT_EQ(reports[1].documents, 4);
  EXPECT_EQ(reports[1].stubs, 0);

  EXPECT_EQ(total("Gablonski"), 0);
  const auto stub = find("C 5.63 Nr. 2");
  ASSERT_FALSE(stub.hits.empty());
  EXPECT_TRUE(stub.hits[0].stub);

  const auto internal = [&](const std::string& query) {
    SearchRequest r;
    r.query = query;
    return search::run_search(search::index_path(ws_->dir(), IndexKind::Internal), r);
  };
  const auto full = internal("Gablonski");
  ASSERT_EQ(full.total, 1);
  EXPECT_FALSE(full.hits[0].stub);
  EXPECT_EQ(full.hits[0].title, "Vormundschaft Gablonski");
  const auto by_signatur = internal("C 5.63 Nr. 2");
  ASSERT_FALSE(by_signatur.hits.empty());
  for (const auto& hit : by_signatur.hits) EXPECT_FALSE(hit.stub) << hit.signatur;
  EXPECT_EQ(internal("").total, 4) << "every unit once";
  EXPECT_EQ(find("").total, 4) << "public: three units and a stub";
}

}  // namespace
}  // namespace findbuch::testing

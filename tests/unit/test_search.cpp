// Search over a fixed corpus: German spelling folded (Müller = Mueller, Straße = Strasse), stems,
// phrases, Laufzeit overlap, subtree and level filters, facet counts, an exact Signatur first,
// malformed queries and "Meinten Sie". And the promise of the public index: a closed unit is
// never returned, snippeted or counted, whatever the options; the internal index finds it.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "core/error.hpp"
#include "search/german_text.hpp"
#include "search/search_index.hpp"
#include "support/archive_fixture.hpp"

namespace findbuch::testing {
namespace {

using search::IndexKind;
using search::SearchRequest;
using search::SearchResult;

const Date kToday{2026, 11, 26};

class SearchTest : public ArchiveWithFileTest {
 protected:
  void SetUp() override {
    ArchiveWithFileTest::SetUp();
    // Bestand "C 5.63" with "C 5.63 Nr. 1" exists (fixture); add a group above another Bestand.
    Unit group = add("D", Level::TektonikGroup, "Nachlässe", "", 0);
    Unit nachlass = add("D 1", Level::Bestand, "Nachlass Müller", "1850-1930", group.id);
    add("D 1 Nr. 1", Level::File, "Briefe an Heinrich Müller", "1890-1923", nachlass.id,
        "Korrespondenz mit der Bürgermeisterei");
    add("D 1 Nr. 2", Level::File, "Grundstück an der Kölner Straße", "1925-1928", nachlass.id);
    add("D 1 Nr. 3", Level::Item, "Foto der Mühle am Bach", "1912", nachlass.id);
    Unit closed = add("D 1 Nr. 4", Level::File, "Geheimakte Krankengeschichte Erna Gablonski",
                      "2015-2020", nachlass.id, "Arztberichte über Gablonski");
    (void)closed;
    add("C 5.63 Nr. 2", Level::File, "Bauantrag Kölner Strasse 12", "1951-1953", bestand_.id);
    add("D 1 Nr. 5", Level::File, "Reparatur der Thür am Rathhaus zu Cöln, Theil 2", "1788",
        nachlass.id, "Schlüssel und Schloss");
    reindex();
  }

  Unit add(const std::string& sig, Level level, const std::string& title,
           const std::string& laufzeit, std::int64_t parent, const std::string& enthaelt = "") {
    Unit u;
    u.signatur = sig;
    u.level = level;
    u.title = title;
    u.laufzeit = parse_laufzeit(laufzeit);
    u.enthaelt = enthaelt;
    u.parent_id = parent;
    u.position = -1;
    ws_->catalogue().insert(u, "test");
    return u;
  }

  void reindex() {
    search::build_index(*ws_, IndexKind::Public, kToday);
    search::build_index(*ws_, IndexKind::Internal, kToday);
  }

  SearchResult find(const std::string& query, SearchRequest r = {},
                    IndexKind kind = IndexKind::Public) {
    r.query = query;
    return search::run_search(search::index_path(ws_->dir(), kind), r);
  }

  static std::vector<std::string> signaturen(const SearchResult& r) {
    std::vector<std::string> out;
    for (const auto& h : r.hits) out.push_back(h.signatur);
    return out;
  }
};

TEST_F(SearchTest, UmlautsAndSharpSAreFoldedBothWays) {
  EXPECT_EQ(signaturen(find("Mueller", {})), signaturen(find("Müller", {})));
  EXPECT_GE(find("Mueller").total, 2) << "the Bestand and its letters";
  const auto strasse = signaturen(find("Strasse"));
  const auto strasse_sz = signaturen(find("Straße"));
  EXPECT_EQ(strasse, strasse_sz);
  EXPECT_EQ(strasse.size(), 2u) << "Straße and Strasse in titles";
}

TEST_F(SearchTest, WordsAreCombinedWithAndAndPhrasesKeepTheirOrder) {
  EXPECT_EQ(signaturen(find("Kölner Straße")).size(), 2u);
  EXPECT_EQ(signaturen(find("Kölner Straße Grundstück")), std::vector<std::string>{"D 1 Nr. 2"});
  EXPECT_EQ(signaturen(find("\"an der Kölner Straße\"")), std::vector<std::string>{"D 1 Nr. 2"});
  EXPECT_EQ(find("\"Straße Kölner\"").total, 0) << "a phrase is not a bag of words";
  EXPECT_EQ(signaturen(find("Kölner -Bauantrag")),
            (std::vector<std::string>{"D 1 Nr. 2", "D 1 Nr. 5"}))
      << "Kölner and Cöln share their stem";
  EXPECT_EQ(find("Foto OR Bauantrag").total, 2);
}

TEST_F(SearchTest, HistoricalSpellingsFindTodaysAndBack) {
  for (const std::string q : {"Tür", "Thür", "Teil", "Theil", "Rathaus", "Rathhaus"}) {
    EXPECT_EQ(signaturen(find(q)), std::vector<std::string>{"D 1 Nr. 5"}) << q;
  }
  const auto koeln = signaturen(find("Köln"));
  EXPECT_EQ(signaturen(find("Cöln")), koeln);
  EXPECT_NE(std::find(koeln.begin(), koeln.end(), "D 1 Nr. 5"), koeln.end());
  EXPECT_EQ(signaturen(find("enthaelt:Schlüssel")), std::vector<std::string>{"D 1 Nr. 5"})
      << "field names keep their spelling";
  EXPECT_EQ(search::modern_spelling("Meyer thema: Creis"), "Meier thema: Kreis");
}

TEST_F(SearchTest, InflectedFormsFindEachOther) {
  EXPECT_EQ(signaturen(find("Brief")), std::vector<std::string>{"D 1 Nr. 1"})
      << "German stemming of a capitalised noun";
}

TEST_F(SearchTest, LaufzeitRangesOverlap) {
  SearchRequest r;
  r.from_year = 1900;
  r.to_year = 1910;
  EXPECT_EQ(signaturen(find("", r)), (std::vector<std::string>{"D 1", "D 1 Nr. 1"}))
      << "1890-1923 overlaps 1900-1910; 1912 does not";
  r.from_year = 1926;
  r.to_year = 1926;
  EXPECT_EQ(signaturen(find("Straße", r)), std::vector<std::string>{"D 1 Nr. 2"});
}

TEST_F(SearchTest, WithinASubtreeAndByLevel) {
  SearchRequest r;
  r.within = ws_->catalogue().require("C 5.63").id;
  EXPECT_EQ(signaturen(find("Strasse", r)), std::vector<std::string>{"C 5.63 Nr. 2"});
  r = {};
  r.level = Level::Item;
  EXPECT_EQ(signaturen(find("", r)), std::vector<std::string>{"D 1 Nr. 3"});
  r.within = ws_->catalogue().require("D").id;
  r.level = Level::File;
  r.sort = search::SortOrder::Signatur;
  const SearchResult files = find("", r);
  EXPECT_EQ(signaturen(files),
            (std::vector<std::string>{"D 1 Nr. 1", "D 1 Nr. 2", "D 1 Nr. 4", "D 1 Nr. 5"}));
  ASSERT_EQ(files.hits.size(), 4u);
  EXPECT_TRUE(files.hits[2].stub) << "the closed file is listed as a stub";
}

TEST_F(SearchTest, FacetsCountTheMatches) {
  const SearchResult r = find("Straße");
  std::map<std::string, std::map<std::string, std::int64_t>> facets;
  for (const auto& f : r.facets) {
    for (const auto& v : f.values) facets[f.name][v.value] = v.count;
  }
  EXPECT_EQ(facets["bestand"], (std::map<std::string, std::int64_t>{{"C 5.63", 1}, {"D 1", 1}}));
  EXPECT_EQ(facets["tektonik"], (std::map<std::string, std::int64_t>{{"C 5.63", 1}, {"D", 1}}));
  EXPECT_EQ(facets["century"], (std::map<std::string, std::int64_t>{{"20. Jh.", 2}}));
}

TEST_F(SearchTest, AnExactSignaturComesFirst) {
  const SearchResult r = find("D 1 Nr. 3");
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits.front().signatur, "D 1 Nr. 3");
}

TEST_F(SearchTest, MalformedQueriesNeverFail) {
  for (const std::string q : {"\"unclosed", "AND OR NOT", "((Müller", "person:", "*", "a*"}) {
    EXPECT_NO_THROW(find(q)) << q;
  }
  EXPECT_FALSE(find("Mü*").note.empty()) << "truncation needs three letters";
  EXPECT_EQ(find(std::string(5000, 'x')).note, "Die Anfrage wurde gekürzt");
  EXPECT_GE(find("Müll*").total, 2) << "right truncation";
}

TEST_F(SearchTest, ATypoRunsTheSuggestionWhenNothingIsFound) {
  const SearchResult r = find("Grundstueck Koelner Strase");
  EXPECT_TRUE(r.ran_suggestion);
  EXPECT_EQ(signaturen(r), std::vector<std::string>{"D 1 Nr. 2"});
}

TEST_F(SearchTest, TheHitCarriesItsPlaceAndMarksTheQueryTerms) {
  const SearchResult r = find("Bürgermeisterei");
  ASSERT_EQ(r.hits.size(), 1u);
  const auto& h = r.hits[0];
  EXPECT_EQ(h.signatur, "D 1 Nr. 1");
  EXPECT_EQ(h.laufzeit, "1890-1923");
  EXPECT_EQ(h.breadcrumb, (std::vector<std::string>{"D Nachlässe", "D 1 Nachlass Müller"}));
  EXPECT_NE(h.snippet.find("«Bürgermeisterei»"), std::string::npos) << h.snippet;
}

TEST_F(SearchTest, AClosedUnitIsNeverReachedThroughThePublicIndex) {
  ASSERT_FALSE(ws_->access(ws_->catalogue().require("D 1 Nr. 4"), kToday).open);
  for (const std::string q :
       {"Gablonski", "Krankengeschichte", "Arztberichte", "Geheimakte", "\"Erna Gablonski\"",
        "Gablon*", "person:Gablonski", "titel:Geheimakte", "Gablonsky"}) {
    for (const bool internal : {false, true}) {
      SearchRequest r;
      r.from_year = 2010;
      const SearchResult res = find(q, r, internal ? IndexKind::Internal : IndexKind::Public);
      if (internal) {
        EXPECT_GE(res.total, q == "person:Gablonski" ? 0 : 1) << q;
        continue;
      }
      EXPECT_EQ(res.total, 0) << q;
      EXPECT_TRUE(res.hits.empty()) << q;
      for (const auto& f : res.facets) EXPECT_TRUE(f.values.empty()) << q << " " << f.name;
      EXPECT_EQ(res.suggestion.find("gablon"), std::string::npos) << "no spelling from closed text";
    }
  }
  // Listed as a stub when searched by what a stub shows: Signatur, level, Laufzeit only.
  const SearchResult stub = find("D 1 Nr. 4");
  ASSERT_FALSE(stub.hits.empty());
  EXPECT_EQ(stub.hits.front().signatur, "D 1 Nr. 4");
  EXPECT_TRUE(stub.hits.front().stub);
  EXPECT_TRUE(stub.hits.front().title.empty());
  EXPECT_TRUE(stub.hits.front().snippet.empty());
  EXPECT_EQ(stub.hits.front().closed_until, "2050-12-31") << "the last closed day";
  // Facet counts of a broad search include the stub only as what it shows.
  const SearchResult all = find("");
  for (const auto& h : all.hits) {
    EXPECT_EQ(h.title.find("Gablonski"), std::string::npos);
    EXPECT_EQ(h.snippet.find("Gablonski"), std::string::npos);
  }
}

TEST_F(SearchTest, WithoutAnIndexTheErrorSaysWhatToRun) {
  std::filesystem::remove_all(ws_->dir() / "index");
  try {
    find("Müller");
    FAIL() << "no error";
  } catch (const EnvironmentError& e) {
    EXPECT_NE(std::string(e.what()).find("findbuch index"), std::string::npos);
  }
}

}  // namespace
}  // namespace findbuch::testing

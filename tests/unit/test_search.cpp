// Search over a fixed corpus: German spelling folded (Müller = Mueller, Straße = Strasse), stems,
// phrases, Laufzeit overlap, subtree and level filters, facet counts, an exact Signatur first,
// malformed queries and "Meinten Sie". And the promise of the public index: a closed unit is
// never returned, snippeted or counted, whatever the options; the internal index finds it.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "core/error.hpp"
#include "search/field_map.hpp"
#include "search/german_text.hpp"
#include "search/language.hpp"
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
    Unit repair;
    repair.signatur = "D 1 Nr. 5";
    repair.level = Level::File;
    repair.title = "Reparatur der Thür am Rathhaus zu Cöln, Theil 2";
    repair.laufzeit = parse_laufzeit("1788");
    repair.enthaelt = "Schlüssel und Schloss";
    repair.index_terms = {{IndexTerm::Kind::Subject, "Schließwesen", ""}};
    repair.parent_id = nachlass.id;
    repair.position = -1;
    ws_->catalogue().insert(repair, "test");
    reindex();
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

  /// The hits in Signatur order.
  std::vector<std::string> by_signatur(const std::string& query) {
    SearchRequest r;
    r.sort = search::SortOrder::Signatur;
    return signaturen(find(query, r));
  }

  /// The snippet of the hit `signatur` ("" when it is not found).
  static std::string snippet_of(const SearchResult& r, const std::string& signatur) {
    for (const auto& h : r.hits) {
      if (h.signatur == signatur) return h.snippet;
    }
    return "";
  }

  std::int64_t nachlass() { return ws_->catalogue().require("D 1").id; }

  /// Writes the workspace's search/<name> (the archive's own language data).
  void write_language_file(const std::string& name, const std::string& text) {
    std::filesystem::create_directories(ws_->dir() / "search");
    std::ofstream(ws_->dir() / "search" / name) << text;
  }

  /// The message of the InputError an index update throws ("" when none).
  std::string index_error() {
    try {
      search::update_index(*ws_, IndexKind::Public, kToday);
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
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
  EXPECT_EQ(signaturen(find("thema:Schließwesen")), std::vector<std::string>{"D 1 Nr. 5"})
      << "field names keep their spelling";
  EXPECT_EQ(signaturen(find("Schlüssel")), std::vector<std::string>{"D 1 Nr. 5"})
      << "Enthält is plain text";
  EXPECT_EQ(search::modern_spelling("Meyer thema: Creis"), "Meier thema: Kreis");
}

TEST_F(SearchTest, InflectedFormsFindEachOther) {
  EXPECT_EQ(signaturen(find("Brief")), std::vector<std::string>{"D 1 Nr. 1"})
      << "German stemming of a capitalised noun";
  EXPECT_EQ(signaturen(find("titel:Mühlen")), std::vector<std::string>{"D 1 Nr. 3"})
      << "within a field too";
  EXPECT_EQ(find("titel:Mühlen", {}, IndexKind::Internal).total, 1) << "in the internal index too";
}

TEST_F(SearchTest, BestandFindsEverythingInTheBestaendeWithThoseWords) {
  const std::vector<std::string> nachlass{"D 1",       "D 1 Nr. 1", "D 1 Nr. 2",
                                          "D 1 Nr. 3", "D 1 Nr. 4", "D 1 Nr. 5"};
  EXPECT_EQ(by_signatur("bestand:Müller"), nachlass) << "a word of the title, the stub as such";
  EXPECT_EQ(by_signatur("bestand:Nachlässe"), nachlass) << "inflected";
  EXPECT_EQ(by_signatur("bestand:5.63"),
            (std::vector<std::string>{"C 5.63", "C 5.63 Nr. 1", "C 5.63 Nr. 2"}))
      << "the Signatur";
  EXPECT_EQ(by_signatur("bestand:Müller Straße"), std::vector<std::string>{"D 1 Nr. 2"});
  EXPECT_EQ(by_signatur("bestand:\"Nachlass Müller\""), nachlass) << "quoted words";
  EXPECT_EQ(by_signatur("bestand:\"Nachlass Schmitz\"").size(), 0u) << "all of them";
  const std::string snippet = snippet_of(find("bestand:\"Nachlass Müller\" Nachlass"), "D 1");
  EXPECT_NE(snippet.find("«Nachlass»"), std::string::npos) << snippet;
  EXPECT_EQ(snippet.find("«Müller»"), std::string::npos)
      << "the field's value is no phrase to mark";
  EXPECT_EQ(by_signatur("bestand:5.63 bestand:Müller").size(), 3u + nachlass.size())
      << "the field twice: either Bestand";
  EXPECT_EQ(by_signatur("bestand:Briefe").size(), 0u) << "a unit's title is not its Bestand's";
  EXPECT_EQ(by_signatur("bestand:Gablonski").size(), 0u);
}

TEST_F(SearchTest, AWordInTheTitleRanksAboveTheSameWordInTheDescription) {
  add("D 1 Nr. 6", Level::File, "Protokolle des Vereins", "1905", nachlass(),
      "Vorstandssitzungen, Kassenberichte, Schützenfest, Mitgliederlisten");
  add("D 1 Nr. 7", Level::File, "Schützenfest", "1906", nachlass(),
      "Festzug, Königsschießen, Ball im Saal Hoffmann, Rechnungen der Musikkapelle");
  add("D 1 Nr. 8", Level::File, "Schützenfest", "1905", nachlass());
  reindex();
  // Equal weights keep the order of the units: a richer description ranks no lower.
  EXPECT_EQ(signaturen(find("Schützenfest")),
            (std::vector<std::string>{"D 1 Nr. 7", "D 1 Nr. 8", "D 1 Nr. 6"}));
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

TEST_F(SearchTest, WithoutFacetsTheSameHitsComeQuicker) {
  SearchRequest plain;
  plain.facets = false;
  const SearchResult quick = find("Straße", plain);
  const SearchResult full = find("Straße");
  EXPECT_TRUE(quick.facets.empty());
  EXPECT_FALSE(full.facets.empty());
  EXPECT_EQ(signaturen(quick), signaturen(full));
  EXPECT_TRUE(full.total_exact);
}

TEST_F(SearchTest, SignaturSelectsAUnitWithEverythingBelowAndTheSignaturenBeginningSo) {
  add("D 1 Nr. 10", Level::File, "Rechnungen", "1901", nachlass());
  add("D 10", Level::Bestand, "Nachlass Schmitz", "1900-1950", ws_->catalogue().require("D").id);
  const Unit collection = add("Cl 7", Level::Bestand, "Sammlung Clemens", "1900", 0);
  add("Mappe 3", Level::File, "Quittungen", "1902", collection.id);
  add("Bü 3", Level::Bestand, "Bürgerbücher", "1800", 0);
  reindex();
  const std::vector<std::string> in_d1{"D 1",       "D 1 Nr. 1", "D 1 Nr. 2", "D 1 Nr. 3",
                                       "D 1 Nr. 4", "D 1 Nr. 5", "D 1 Nr. 10"};
  EXPECT_EQ(by_signatur("signatur:\"D 1\""), in_d1) << "not D 10: whole numbers";
  EXPECT_EQ(by_signatur("signatur:\"d 1 nr. 1\""), std::vector<std::string>{"D 1 Nr. 1"})
      << "not Nr. 10; case does not matter";
  EXPECT_EQ(by_signatur("signatur:D Rechnungen"), std::vector<std::string>{"D 1 Nr. 10"})
      << "combined with words";
  EXPECT_EQ(by_signatur("signatur:\"Cl 7\""), (std::vector<std::string>{"Cl 7", "Mappe 3"}))
      << "as typed, not in modern spelling (Kl 7), and what is below it by any Signatur";
  EXPECT_EQ(by_signatur("signatur:\"D 1 Nr\""),
            std::vector<std::string>(in_d1.begin() + 1, in_d1.end()))
      << "a beginning that is no unit's Signatur";
  EXPECT_EQ(by_signatur("signatur:C"),
            (std::vector<std::string>{"C 5.63", "C 5.63 Nr. 1", "C 5.63 Nr. 2"}))
      << "whole parts: not Cl 7";
  EXPECT_EQ(by_signatur("signatur:Bü"), std::vector<std::string>{"Bü 3"}) << "with an umlaut";
  EXPECT_EQ(find("signatur:\"D 9\"").total, 0);
  EXPECT_EQ(find("signatur:nr").total, 0) << "a part of a Signatur is a plain word";
  const SearchResult closed = find("signatur:\"D 1 Nr. 4\"");
  ASSERT_EQ(closed.hits.size(), 1u);
  EXPECT_TRUE(closed.hits[0].stub) << "a closed unit as its stub";
  EXPECT_TRUE(find("signatur:\"D 1 Nr. 4\"", {}, IndexKind::Internal).hits.at(0).title.size() > 0);
}

TEST_F(SearchTest, AnExactSignaturComesFirst) {
  const SearchResult r = find("D 1 Nr. 3");
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits.front().signatur, "D 1 Nr. 3");
}

TEST_F(SearchTest, MalformedQueriesNeverFail) {
  for (const std::string q : {"\"unclosed", "AND OR NOT", "((Müller", "person:", "*", "a*",
                              "signatur:", "signatur:\"", "signatur:\"D 1"}) {
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

TEST_F(SearchTest, QueriesAreNormalisedAsTheIndexIs) {
  const search::Language& builtin = search::Language::builtin();
  EXPECT_EQ(builtin.normalise_query("Thür AND Titel:Cöln NOT \"Meyer's Hülfe\" OR rath*"),
            "tuer AND titel:koeln NOT \"meier's hilfe\" OR rat*")
      << "lower case but the operators; field names kept";
  EXPECT_EQ(builtin.exact_word("Rathhaus"), "rataus");
  write_language_file("spellings.txt", "c > z before ei\nHülfe = Hülff\n");
  const search::Language ours = search::Language::load(ws_->dir());
  EXPECT_EQ(ours.exact_word("Concert"), "konzert") << "the built-in rules first, then ours";
  EXPECT_EQ(ours.exact_word("Hülfe"), "huelff") << "our word mapping overrides the built-in one";
  EXPECT_NE(ours.fingerprint(), builtin.fingerprint());
  EXPECT_EQ(search::Language::load(ws_->dir()).fingerprint(), ours.fingerprint());
}

TEST_F(SearchTest, SynonymsFindEachOtherAlsoInflectedAndInFields) {
  add("D 1 Nr. 6", Level::File, "Haushaltsplan des Bürgermeisteramts", "1901", nachlass());
  reindex();
  const std::vector<std::string> both{"D 1 Nr. 1", "D 1 Nr. 6"};
  EXPECT_EQ(by_signatur("Bürgermeisterei"), both);
  EXPECT_EQ(by_signatur("Bürgermeisteramt"), both);
  EXPECT_EQ(by_signatur("Buergermeistereien"), both) << "inflected, umlaut spelt out";
  EXPECT_EQ(by_signatur("titel:Bürgermeisterei"), std::vector<std::string>{"D 1 Nr. 6"});
  EXPECT_NE(snippet_of(find("Bürgermeisterei"), "D 1 Nr. 6").find("«Bürgermeisteramts»"),
            std::string::npos)
      << "the synonym is marked";
}

TEST_F(SearchTest, TheArchivesSpellingsTakeEffectWithTheNextIndexRun) {
  add("D 1 Nr. 6", Level::File, "Photographie der Wittib Schmitz", "1890", nachlass());
  reindex();
  EXPECT_EQ(find("Fotografie").total, 0);
  EXPECT_EQ(find("Witwe").total, 0);
  write_language_file("spellings.txt",
                      "# Stadtarchiv Musterstadt\n\nph > f  # Photographie\nWittib = Witwe\n");
  // An update, not a full build: other rules make the indexer rebuild by itself.
  EXPECT_TRUE(search::update_index(*ws_, IndexKind::Public, kToday).full);
  for (const std::string q : {"Fotografie", "Photographie", "Witwe", "Wittib", "Wittwe"}) {
    EXPECT_EQ(signaturen(find(q)), std::vector<std::string>{"D 1 Nr. 6"}) << q;
  }
  EXPECT_NE(snippet_of(find("Witwe"), "D 1 Nr. 6").find("«Wittib»"), std::string::npos);
  EXPECT_EQ(signaturen(find("Theil")), std::vector<std::string>{"D 1 Nr. 5"})
      << "the built-in rules still apply";
}

TEST_F(SearchTest, TheArchivesSynonymsMayHaveSeveralWordsAndExtendBuiltInOnes) {
  add("D 1 Nr. 6", Level::File, "Schreiben an das Amt des Bürgermeisters", "1901", nachlass());
  write_language_file("synonyms.txt", "Amt des Bürgermeisters, Bürgermeisterei\n");
  reindex();
  const std::vector<std::string> both{"D 1 Nr. 1", "D 1 Nr. 6"};
  EXPECT_EQ(by_signatur("Bürgermeisterei"), both);
  EXPECT_EQ(by_signatur("Amt des Bürgermeisters"), both);
  EXPECT_EQ(by_signatur("Bürgermeisteramt"), both) << "joined to the built-in line";
  EXPECT_EQ(by_signatur("Amt der Stadt"), std::vector<std::string>{})
      << "only the entry's words in their order";
  EXPECT_NE(snippet_of(find("Bürgermeisterei"), "D 1 Nr. 6").find("«Amt» «des» «Bürgermeisters»"),
            std::string::npos)
      << snippet_of(find("Bürgermeisterei"), "D 1 Nr. 6");
}

TEST_F(SearchTest, ABadLineOfTheArchivesLanguageFilesNamesFileAndLine) {
  write_language_file("spellings.txt", "# ours\nth > t\n\nTheil\n");
  std::string error = index_error();
  EXPECT_NE(error.find("search/spellings.txt:4: expected"), std::string::npos) << error;
  write_language_file("spellings.txt", "c > k vor aou\n");
  error = index_error();
  EXPECT_NE(error.find("spellings.txt:1: after the new spelling only `before letters`"),
            std::string::npos)
      << error;
  write_language_file("spellings.txt", "Coeln = Köln Stadt\n");
  EXPECT_NE(index_error().find("spellings.txt:1: \"Köln Stadt\" is not one word"),
            std::string::npos);
  write_language_file("spellings.txt", "");
  write_language_file("synonyms.txt", "Stadtrat, Rat der Stadt\nBürgermeisterei\n");
  error = index_error();
  EXPECT_NE(error.find("search/synonyms.txt:2: a synonym line needs two entries"),
            std::string::npos)
      << error;
  write_language_file("synonyms.txt", "Stadtrat,, Magistrat\n");
  EXPECT_NE(index_error().find("synonyms.txt:1: an empty entry"), std::string::npos);
  write_language_file("synonyms.txt", "Stadtrat, Rat d. Stadt\n");
  EXPECT_NE(index_error().find("synonyms.txt:1: \"Rat d. Stadt\" is not a word"),
            std::string::npos);
  write_language_file("synonyms.txt", "");
  EXPECT_EQ(index_error(), "");
}

TEST_F(SearchTest, PhrasesMatchTheExactWordsInOrder) {
  EXPECT_EQ(signaturen(find("\"Briefe an Heinrich\"")), std::vector<std::string>{"D 1 Nr. 1"});
  SearchResult r = find("\"Brief an Heinrich\"");
  EXPECT_TRUE(r.ran_suggestion) << "another inflection: only the correction finds the unit";
  EXPECT_EQ(r.suggestion, "\"Briefe an Heinrich\"");
  EXPECT_EQ(signaturen(find("Brief an Heinrich")), std::vector<std::string>{"D 1 Nr. 1"})
      << "the plain words are stemmed";
  EXPECT_EQ(signaturen(find("\"Heinrich Mueller\"")), std::vector<std::string>{"D 1 Nr. 1"})
      << "umlauts spelt out";
  EXPECT_EQ(signaturen(find("\"Tür am Rathaus\"")), std::vector<std::string>{"D 1 Nr. 5"})
      << "old spellings brought to today's";
  EXPECT_EQ(find("\"Müller Korrespondenz\"").total, 0) << "not from one field into the next";
  EXPECT_EQ(by_signatur("titel:\"Kölner Strasse\""),
            (std::vector<std::string>{"C 5.63 Nr. 2", "D 1 Nr. 2"}));
  EXPECT_EQ(find("person:\"Kölner Straße\"").total, 0) << "a field phrase keeps to its field";
  EXPECT_EQ(signaturen(find("titel:Brief")), std::vector<std::string>{"D 1 Nr. 1"});
}

TEST_F(SearchTest, MeintenSieKeepsTheReadersWordsAndWritesTheCorrectionAsTheTextDoes) {
  SearchResult r = find("Grundstueck Koelner Strase");
  EXPECT_TRUE(r.ran_suggestion);
  EXPECT_EQ(r.suggestion, "Grundstueck Koelner Straße");
  EXPECT_EQ(signaturen(r), std::vector<std::string>{"D 1 Nr. 2"});
  r = find("Mühel");
  EXPECT_EQ(r.suggestion, "Mühle");
  EXPECT_EQ(signaturen(r), std::vector<std::string>{"D 1 Nr. 3"});
  EXPECT_EQ(find("foto der mühel").suggestion, "foto der mühle") << "lower case as typed";
}

TEST_F(SearchTest, SnippetsMarkTheQueryInTheTextsOwnSpelling) {
  const auto marked = [&](const std::string& q, const std::string& sig, const std::string& word) {
    const std::string snippet = snippet_of(find(q), sig);
    EXPECT_NE(snippet.find("«" + word + "»"), std::string::npos) << q << ": " << snippet;
  };
  marked("Tür", "D 1 Nr. 5", "Thür");
  marked("Rathaus", "D 1 Nr. 5", "Rathhaus");
  marked("Köln", "D 1 Nr. 5", "Cöln");
  marked("Mueller", "D 1 Nr. 1", "Müller");
  marked("Müll*", "D 1 Nr. 1", "Müller");
  marked("\"Kölner Strasse\"", "D 1 Nr. 2", "Straße");
  EXPECT_EQ(snippet_of(find("\"Reparatur der Tür\""), "D 1 Nr. 5"),
            "«Reparatur» «der» «Thür» am Rathhaus zu Cöln, Theil 2. Schlüssel und Schloss")
      << "a phrase's words are marked where they form it";
  EXPECT_EQ(snippet_of(find("Thür Reparatur der"), "D 1 Nr. 5"),
            "«Reparatur» «der» «Thür» am Rathhaus zu Cöln, Theil 2. Schlüssel und Schloss");
  marked("Briefes", "D 1 Nr. 1", "Briefe");

  std::string long_text;
  for (int i = 0; i < 40; ++i) long_text += "Rechnungen und Belege. ";
  add("D 1 Nr. 6", Level::File, "Kassenbuch", "1801", nachlass(), long_text + "Darin: ein Brief.");
  reindex();
  const std::string snippet = snippet_of(find("Brief"), "D 1 Nr. 6");
  EXPECT_EQ(snippet.rfind("…", 0), 0u) << snippet;
  EXPECT_NE(snippet.find("«Brief»"), std::string::npos) << snippet;
  EXPECT_LE(snippet.size(), 220u);
}

TEST_F(SearchTest, AClosedUnitIsNeverReachedThroughThePublicIndex) {
  ASSERT_FALSE(ws_->access(ws_->catalogue().require("D 1 Nr. 4"), kToday).open);
  for (const std::string q :
       {"Gablonski", "Krankengeschichte", "Arztberichte", "Geheimakte", "\"Erna Gablonski\"",
        "Gablon*", "person:Gablonski", "titel:Geheimakte", "Gablonsky",
        "signatur:\"D 1 Nr. 4\" Gablonski"}) {
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
  // Below a closed unit, the public breadcrumb names it by its Signatur only.
  const Unit closed = ws_->catalogue().require("D 1 Nr. 4");
  add("D 1 Nr. 4/1", Level::Item, "Beiblatt", "2016", closed.id);
  reindex();
  const std::vector<std::string> public_crumbs{"D Nachlässe", "D 1 Nachlass Müller", "D 1 Nr. 4"};
  const SearchResult below = find("D 1 Nr. 4/1");
  ASSERT_FALSE(below.hits.empty());
  EXPECT_EQ(below.hits.front().breadcrumb, public_crumbs);
  const SearchResult below_internal = find("D 1 Nr. 4/1", {}, IndexKind::Internal);
  ASSERT_FALSE(below_internal.hits.empty());
  EXPECT_EQ(below_internal.hits.front().breadcrumb.back(),
            "D 1 Nr. 4 Geheimakte Krankengeschichte Erna Gablonski");
  // Facet counts of a broad search include the stub only as what it shows.
  const SearchResult all = find("");
  for (const auto& h : all.hits) {
    EXPECT_EQ(h.title.find("Gablonski"), std::string::npos);
    EXPECT_EQ(h.snippet.find("Gablonski"), std::string::npos);
  }
}

TEST(FacetValues, PackedInOneSlotTheyComeBackFieldByField) {
  search::FacetFields fields;
  fields[search::kFacetBestand] = "C 5.63";
  fields[search::kFacetLevel] = "Akte";
  fields[search::kFacetDigitised] =
      "n\x1f"
      "ein";  // the separator cannot break the packing
  const std::string packed = search::pack_facets(fields);
  const auto back = search::unpack_facets(packed);
  EXPECT_EQ(back[search::kFacetBestand], "C 5.63");
  EXPECT_EQ(back[search::kFacetGroup], "");
  EXPECT_EQ(back[search::kFacetLevel], "Akte");
  EXPECT_EQ(back[search::kFacetDigitised], "nein");
  for (const auto field : search::unpack_facets("")) EXPECT_EQ(field, "");
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

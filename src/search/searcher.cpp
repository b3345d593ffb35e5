// run_search: German query parsing (the index's own language rules, the same stemmer), filters
// for Laufzeit overlap, subtree, level and digitised, exact Signatur first, facets by value
// counts, snippets marking the query's words in the text's spelling, and "Meinten Sie …?" from
// the index's spelling data in the reader's spelling.
#include <xapian.h>

#include <algorithm>
#include <array>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/error.hpp"
#include "core/text.hpp"
#include "search/bestand_filter.hpp"
#include "search/document_builder.hpp"
#include "search/field_map.hpp"
#include "search/german_text.hpp"
#include "search/highlight.hpp"
#include "search/language.hpp"
#include "search/search_index.hpp"
#include "search/signatur_filter.hpp"

namespace findbuch::search {

namespace {

constexpr std::size_t kMaxQueryBytes = 500;
constexpr unsigned kMaxWildcardExpansion = 200;
// Facet counts are exact up to this many matches: counting every match of a word found in half
// the archive would cost a tenth of a second.
constexpr Xapian::doccount kCountedMatches = 20000;

// Right truncation needs three letters before the '*': "a*" would expand to half the index.
std::string guard_wildcards(const std::string& query, std::string& note) {
  std::string out;
  int letters = 0;  // in the current word, counted as UTF-8 characters
  for (const char c : query) {
    if (c == ' ' || c == '"' || c == '(' || c == ')' || c == ':')
      letters = 0;
    else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
      ++letters;
    if (c == '*' && letters - 1 < 3) {
      note = "Platzhalter * erst nach mindestens drei Buchstaben; ohne * gesucht";
      continue;
    }
    out += c;
  }
  return out;
}

Xapian::QueryParser parser(const Xapian::Database& db) {
  Xapian::QueryParser qp;
  qp.set_database(db);
  qp.set_stemmer(Xapian::Stem(kStemmer));
  // On a lower-cased query (Language::normalise_query) STEM_SOME stems the plain words ("Z"
  // terms) and leaves the words of phrases exact, as DocumentBuilder indexes them.
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  qp.set_default_op(Xapian::Query::OP_AND);
  qp.set_max_expansion(kMaxWildcardExpansion, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
  for (const FieldMapping& m : field_mappings()) {
    if (m.query_name.empty()) continue;
    if (m.field == Field::Bestand) {
      // A boolean prefix, so that its value may be quoted (`bestand:"Amt Oberdorf"`).
      qp.add_boolean_prefix(std::string(m.query_name), (new BestandFilter(db))->release());
    } else {
      qp.add_prefix(std::string(m.query_name), std::string(m.prefix));
    }
  }
  // Likewise: `signatur:"C 5.63"`.
  qp.add_boolean_prefix(std::string(kSignaturFieldName), (new SignaturFilter(db))->release());
  return qp;
}

constexpr unsigned kPlainFlags = Xapian::QueryParser::FLAG_SPELLING_CORRECTION |
                                 Xapian::QueryParser::FLAG_AUTO_SYNONYMS |
                                 Xapian::QueryParser::FLAG_AUTO_MULTIWORD_SYNONYMS;
constexpr unsigned kFlags = kPlainFlags | Xapian::QueryParser::FLAG_PHRASE |
                            Xapian::QueryParser::FLAG_BOOLEAN | Xapian::QueryParser::FLAG_LOVEHATE |
                            Xapian::QueryParser::FLAG_WILDCARD | Xapian::QueryParser::FLAG_PURE_NOT;

struct Parsed {
  Xapian::Query query;
  std::string corrected;  ///< the parser's spelling correction, normalised; "" when none
};

// A malformed query never fails: it runs as plain words, with a note.
Parsed parse(const Xapian::Database& db, const std::string& normalised, std::string& note) {
  Xapian::QueryParser qp = parser(db);
  Parsed out;
  try {
    out.query = qp.parse_query(normalised, kFlags);
  } catch (const Xapian::QueryParserError&) {
    // Lower case throughout: "AND" is a word now, and must be stemmed like one.
    out.query = qp.parse_query(lower_case(normalised), kPlainFlags);
    note = "Die Anfrage war nicht lesbar; nach den einzelnen Wörtern gesucht";
  }
  out.corrected = qp.get_corrected_query_string();
  return out;
}

Xapian::Query filters(const SearchRequest& r, Xapian::Query query) {
  std::vector<Xapian::Query> parts;
  if (r.from_year || r.to_year) {
    // Overlap: the unit starts before the range ends and ends after it starts.
    if (r.to_year) {
      parts.emplace_back(Xapian::Query::OP_VALUE_LE, kYearFrom,
                         Xapian::sortable_serialise(*r.to_year));
    }
    if (r.from_year) {
      parts.emplace_back(Xapian::Query::OP_VALUE_GE, kYearTo,
                         Xapian::sortable_serialise(*r.from_year));
    }
  }
  if (r.within) parts.push_back(at_or_below(std::to_string(*r.within)));
  if (r.level)
    parts.emplace_back(std::string(kLevelPrefix) + std::string(level_info(*r.level).key));
  if (r.digitised_only) parts.emplace_back(std::string(kDigitisedTerm));
  if (parts.empty()) return query;
  const Xapian::Query filter(Xapian::Query::OP_AND, parts.begin(), parts.end());
  if (query.empty()) return filter;
  return Xapian::Query(Xapian::Query::OP_FILTER, query, filter);
}

// The facets' names, in FacetField order.
constexpr std::array<const char*, kFacetFields> kFacetNames = {"bestand", "tektonik", "level",
                                                               "century", "decade",   "digitised"};

// Counts the facet values of the matches it is shown, from the one packed slot.
class FacetCounts : public Xapian::MatchSpy {
 public:
  void operator()(const Xapian::Document& doc, double) override {
    ++seen_;
    const std::string packed = doc.get_value(kFacetValues);
    const auto fields = unpack_facets(packed);
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (fields[i].empty()) continue;
      auto& counts = counts_[i];
      if (const auto it = counts.find(fields[i]); it != counts.end()) {
        ++it->second;
      } else {
        counts.emplace(std::string(fields[i]), 1);
      }
    }
  }
  std::string name() const override { return "findbuch::FacetCounts"; }

  Xapian::doccount seen() const { return seen_; }
  /// By value, in value order.
  const std::map<std::string, Xapian::doccount, std::less<>>& counts(std::size_t field) const {
    return counts_[field];
  }

 private:
  Xapian::doccount seen_ = 0;
  std::array<std::map<std::string, Xapian::doccount, std::less<>>, kFacetFields> counts_;
};

struct Outcome {
  SearchResult result;
  std::string corrected;  ///< see Parsed
};

Hit hit_of(const Xapian::Database& db, const Xapian::Document& doc, const nlohmann::json& data) {
  Hit hit;
  hit.signatur = data.value("signatur", "");
  hit.title = data.value("title", "");
  hit.laufzeit = data.value("laufzeit", "");
  const std::string facets = doc.get_value(kFacetValues);
  const auto facet = unpack_facets(facets);
  hit.level = facet[kFacetLevel];
  if (const std::int64_t parent = data.value("parent", std::int64_t{0}); parent != 0) {
    const std::string crumbs = db.get_metadata(breadcrumb_key(parent));
    if (!crumbs.empty()) hit.breadcrumb = nlohmann::json::parse(crumbs);
  }
  hit.digitised = facet[kFacetDigitised] == "ja";
  hit.stub = data.value("stub", false);
  hit.closed_until = data.value("closed_until", "");
  return hit;
}

// Runs `normalised` (Language::normalise_query); `typed` is looked up as a Signatur.
Outcome execute(const Xapian::Database& db, const Language& language, const SearchRequest& r,
                const std::string& normalised, std::string_view typed, SearchResult result) {
  Outcome out;
  Xapian::Query query = Xapian::Query::MatchAll;
  std::set<std::string> text_terms;  // what snippets may mark: not the filters' terms
  if (!trim(normalised).empty()) {
    Parsed parsed = parse(db, normalised, result.note);
    query = parsed.query;
    for (auto t = query.get_unique_terms_begin(); t != query.get_unique_terms_end(); ++t) {
      // Not the id and Tektonik terms through which `bestand:` and `signatur:` select.
      if ((*t).rfind(kTektonikPrefix, 0) != 0 && (*t).rfind(kIdPrefix, 0) != 0) {
        text_terms.insert(*t);
      }
    }
    out.corrected = parsed.corrected;
    // A Signatur typed alone comes first.
    const std::string exact = exact_signatur_term(typed);
    if (db.term_exists(exact)) {
      out.corrected.clear();  // a Signatur is not misspelt
      query =
          Xapian::Query(Xapian::Query::OP_OR, query,
                        Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(exact), 100));
    }
  }
  Xapian::Enquire enquire(db);
  // BM25 without length normalisation (b = 0): units are short, and a rich description is no
  // reason to rank lower. Reading every candidate's length cost more than half of a search for
  // a single word. The field weights (wdf) still put the title first.
  enquire.set_weighting_scheme(Xapian::BM25Weight(1, 0, 1, 0, 0.5));
  Xapian::Query filtered = filters(r, query);
  // The internal index leaves out the public stubs: it holds those units in full.
  if (const std::string exclude = db.get_metadata(kExcludeKey); !exclude.empty()) {
    filtered = Xapian::Query(Xapian::Query::OP_AND_NOT, filtered, Xapian::Query(exclude));
  }
  enquire.set_query(filtered);
  if (r.sort == SortOrder::Signatur) enquire.set_sort_by_value(kSortKey, false);
  if (r.sort == SortOrder::Date) enquire.set_sort_by_value_then_relevance(kYearFrom, false);
  FacetCounts facet_counts;
  if (r.facets) enquire.add_matchspy(&facet_counts);
  // Facets: the matches are looked at up to kCountedMatches (exact totals and counts below
  // that; above, counts are scaled from those looked at, as estimates). Without facets the
  // match stops once the page is certain, and the total is Xapian's estimate.
  const auto first = static_cast<Xapian::doccount>(r.offset);
  const auto page = static_cast<Xapian::doccount>(r.limit);
  const Xapian::doccount look_at = r.count_every_match ? db.get_doccount()
                                   : r.facets          ? std::max(first + page, kCountedMatches)
                                                       : first + page;
  const Xapian::MSet mset = enquire.get_mset(first, page, look_at);
  result.total = mset.get_matches_estimated();
  result.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
  const Marks marks_of_query = query_marks(normalised);
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    const Xapian::Document doc = it.get_document();
    const nlohmann::json data = nlohmann::json::parse(doc.get_data());
    Hit hit = hit_of(db, doc, data);
    const std::string more = data.value("more", "");
    const std::string body = more.empty() ? hit.title : hit.title + ". " + more;
    if (!body.empty()) {
      Marks marks = marks_of_query;
      for (auto t = enquire.get_matching_terms_begin(it); t != enquire.get_matching_terms_end(it);
           ++t) {
        if (text_terms.count(*t) != 0) marks.add_term(*t);
      }
      hit.snippet = snippet(body, marks, language);
    }
    result.hits.push_back(std::move(hit));
  }
  if (r.facets) {
    const double seen = facet_counts.seen();
    const double scale = result.total_exact || seen == 0 ? 1.0 : result.total / seen;
    for (std::size_t i = 0; i < kFacetFields; ++i) {
      Facet facet{kFacetNames[i], {}};
      for (const auto& [value, n] : facet_counts.counts(i)) {
        const auto count = static_cast<std::int64_t>(n * scale + 0.5);
        facet.values.push_back({value, std::max<std::int64_t>(count, 1)});
      }
      if (!facet.values.empty()) result.facets.push_back(std::move(facet));
    }
  }
  out.result = std::move(result);
  return out;
}

// The search on one snapshot of the index, normalised by the rules it was built with. The
// correction runs as the parser wrote it (normalised) and is shown in the reader's spelling.
SearchResult search(const Xapian::Database& db, const Language& language,
                    const SearchRequest& request, const std::string& typed,
                    const std::string& note) {
  const std::string normalised = language.normalise_query(typed);
  SearchResult start;
  start.note = note;
  Outcome first = execute(db, language, request, normalised, typed, start);
  const std::string& corrected = first.corrected;
  if (corrected.empty()) return std::move(first.result);
  if (first.result.total == 0) {
    Outcome second = execute(db, language, request, corrected, corrected, start);
    second.result.suggestion = in_readers_terms(db, language, typed, normalised, corrected);
    second.result.ran_suggestion = true;
    return std::move(second.result);
  }
  // "Meinten Sie" only when the query finds little and the suggestion finds more.
  if (first.result.total < 3) {
    SearchRequest count_only = request;
    count_only.limit = 0;
    if (execute(db, language, count_only, corrected, corrected, {}).result.total >
        first.result.total) {
      first.result.suggestion = in_readers_terms(db, language, typed, normalised, corrected);
    }
  }
  return std::move(first.result);
}

// At most kMaxQueryBytes, not ending inside a UTF-8 sequence.
std::string cut(const std::string& query) {
  if (query.size() <= kMaxQueryBytes) return query;
  std::size_t end = kMaxQueryBytes;
  while (end > 0 && (static_cast<unsigned char>(query[end]) & 0xC0) == 0x80) --end;
  return query.substr(0, end);
}

}  // namespace

// One open snapshot of the index and the language rules it was built with.
struct Searcher::Open {
  explicit Open(const std::filesystem::path& index)
      : db(index.string()), language(Language::from_index(db)) {}
  Xapian::Database db;
  Language language;
};

Searcher::Searcher(std::filesystem::path index) : index_(std::move(index)) {
  std::error_code ec;
  if (!std::filesystem::exists(index_, ec)) {
    throw EnvironmentError(index_.string() + ": no search index yet; run `findbuch index`");
  }
}

Searcher::~Searcher() = default;

SearchResult Searcher::search(const SearchRequest& request) {
  std::string note;
  std::string typed = cut(request.query);
  if (typed.size() < request.query.size()) note = "Die Anfrage wurde gekürzt";
  typed = guard_wildcards(typed, note);
  for (int attempt = 0;; ++attempt) {
    try {
      // A full build switches the link to a new generation: then open that one.
      std::error_code ec;
      const std::filesystem::path target = std::filesystem::read_symlink(index_, ec);
      if (!open_ || target != target_) {
        open_.reset();
        open_ = std::make_unique<Open>(index_);
        target_ = target;
      } else {
        open_->db.reopen();  // the newest revision of an update in place (cheap when none)
      }
      return findbuch::search::search(open_->db, open_->language, request, typed, note);
    } catch (const Xapian::DatabaseModifiedError&) {
      // Updated in place under this search: read the newest revision and try again.
      if (attempt >= 3) throw EnvironmentError(index_.string() + ": the index kept changing");
      open_.reset();
    } catch (const Xapian::Error& e) {
      open_.reset();
      throw EnvironmentError(index_.string() + ": " + e.get_description());
    }
  }
}

SearchResult run_search(const std::filesystem::path& index, const SearchRequest& request) {
  return Searcher(index).search(request);
}

}  // namespace findbuch::search

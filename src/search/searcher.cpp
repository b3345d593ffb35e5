// run_search: German query parsing (the same folding and stemmer as the index), filters for
// Laufzeit overlap, subtree, level and digitised, exact Signatur first, facets by value counts,
// and "Meinten Sie …?" from the index's spelling data.
#include <xapian.h>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/text.hpp"
#include "search/field_map.hpp"
#include "search/german_text.hpp"
#include "search/search_index.hpp"

namespace findbuch::search {

namespace {

constexpr std::size_t kMaxQueryBytes = 500;
constexpr unsigned kMaxWildcardExpansion = 200;

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
  qp.set_stemmer(Xapian::Stem("german2"));
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_ALL_Z);
  qp.set_default_op(Xapian::Query::OP_AND);
  qp.set_max_expansion(kMaxWildcardExpansion, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
  for (const FieldMapping& m : field_mappings()) {
    if (!m.query_name.empty()) qp.add_prefix(std::string(m.query_name), std::string(m.prefix));
  }
  return qp;
}

constexpr unsigned kFlags =
    Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
    Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD |
    Xapian::QueryParser::FLAG_PURE_NOT | Xapian::QueryParser::FLAG_SPELLING_CORRECTION;

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
  if (r.within) parts.emplace_back(std::string(kTektonikPrefix) + std::to_string(*r.within));
  if (r.level)
    parts.emplace_back(std::string(kLevelPrefix) + std::string(level_info(*r.level).key));
  if (r.digitised_only) parts.emplace_back(std::string(kDigitisedTerm));
  if (parts.empty()) return query;
  const Xapian::Query filter(Xapian::Query::OP_AND, parts.begin(), parts.end());
  if (query.empty()) return filter;
  return Xapian::Query(Xapian::Query::OP_FILTER, query, filter);
}

struct Spy {
  const char* name;
  Slot slot;
};
constexpr Spy kFacets[] = {{"bestand", kBestandValue}, {"tektonik", kGroupValue},
                           {"level", kLevelValue},     {"century", kCentury},
                           {"decade", kDecade},        {"digitised", kDigitisedValue}};

SearchResult execute(const Xapian::Database& db, const SearchRequest& r, const std::string& text,
                     SearchResult result) {
  Xapian::QueryParser qp = parser(db);
  Xapian::Query query;
  if (!trim(text).empty()) {
    const std::string modern = modern_spelling(text);  // the Signatur lookup below uses `text`
    try {
      query = qp.parse_query(modern, kFlags);
    } catch (const Xapian::QueryParserError&) {
      query = qp.parse_query(modern, Xapian::QueryParser::FLAG_SPELLING_CORRECTION);
      result.note = "Die Anfrage war nicht lesbar; nach den einzelnen Wörtern gesucht";
    }
    result.suggestion = qp.get_corrected_query_string();
    // A Signatur typed alone comes first.
    const std::string exact = exact_signatur_term(text);
    if (db.term_exists(exact)) {
      result.suggestion.clear();  // a Signatur is not misspelt
      query =
          Xapian::Query(Xapian::Query::OP_OR, query,
                        Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(exact), 100));
    }
  } else {
    query = Xapian::Query::MatchAll;
  }
  Xapian::Enquire enquire(db);
  enquire.set_query(filters(r, query));
  if (r.sort == SortOrder::Signatur) enquire.set_sort_by_value(kSortKey, false);
  if (r.sort == SortOrder::Date) enquire.set_sort_by_value_then_relevance(kYearFrom, false);
  std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
  for (const Spy& s : kFacets) {
    spies.push_back(std::make_unique<Xapian::ValueCountMatchSpy>(s.slot));
    enquire.add_matchspy(spies.back().get());
  }
  // check_at_least the whole index: exact totals and facet counts.
  const Xapian::MSet mset =
      enquire.get_mset(static_cast<Xapian::doccount>(r.offset),
                       static_cast<Xapian::doccount>(r.limit), db.get_doccount());
  result.total = mset.get_matches_estimated();
  const Xapian::Stem stem("german2");
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    const nlohmann::json data = nlohmann::json::parse(it.get_document().get_data());
    Hit hit;
    hit.signatur = data.value("signatur", "");
    hit.title = data.value("title", "");
    hit.laufzeit = data.value("laufzeit", "");
    hit.level = data.value("level", "");
    hit.breadcrumb = data.value("breadcrumb", std::vector<std::string>{});
    hit.digitised = data.value("digitised", false);
    hit.stub = data.value("stub", false);
    hit.closed_until = data.value("closed_until", "");
    const std::string body = data.value("text", "");
    if (!body.empty()) {
      hit.snippet = mset.snippet(body, 200, stem, Xapian::MSet::SNIPPET_EXHAUSTIVE, "«", "»", "…");
    }
    result.hits.push_back(std::move(hit));
  }
  for (std::size_t i = 0; i < spies.size(); ++i) {
    Facet facet{kFacets[i].name, {}};
    for (auto v = spies[i]->values_begin(); v != spies[i]->values_end(); ++v) {
      facet.values.push_back({*v, static_cast<std::int64_t>(v.get_termfreq())});
    }
    if (!facet.values.empty()) result.facets.push_back(std::move(facet));
  }
  return result;
}

}  // namespace

SearchResult run_search(const std::filesystem::path& index, const SearchRequest& request) {
  std::error_code ec;
  if (!std::filesystem::exists(index, ec)) {
    throw EnvironmentError(index.string() + ": no search index yet; run `findbuch index`");
  }
  std::string note;
  std::string text = request.query.substr(0, kMaxQueryBytes);
  if (text.size() < request.query.size()) note = "Die Anfrage wurde gekürzt";
  text = fold_german(guard_wildcards(text, note));
  for (int attempt = 0;; ++attempt) {
    try {
      const Xapian::Database db(index.string());
      SearchResult result;
      result.note = note;
      result = execute(db, request, text, std::move(result));
      if (result.total == 0 && !result.suggestion.empty()) {
        SearchResult corrected;
        corrected.note = note;
        corrected = execute(db, request, result.suggestion, std::move(corrected));
        corrected.suggestion = result.suggestion;
        corrected.ran_suggestion = true;
        return corrected;
      }
      // "Meinten Sie" only when the query finds little and the suggestion finds more.
      if (!result.suggestion.empty() && result.total < 3) {
        SearchRequest count_only = request;
        count_only.limit = 0;
        if (execute(db, count_only, result.suggestion, {}).total <= result.total) {
          result.suggestion.clear();
        }
      } else {
        result.suggestion.clear();
      }
      return result;
    } catch (const Xapian::DatabaseModifiedError&) {
      if (attempt >= 3) throw EnvironmentError(index.string() + ": the index kept changing");
    } catch (const Xapian::Error& e) {
      throw EnvironmentError(index.string() + ": " + e.get_description());
    }
  }
}

}  // namespace findbuch::search

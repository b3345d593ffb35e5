#include "search/bestand_filter.hpp"

#include <vector>

#include "catalogue/unit.hpp"
#include "search/document_builder.hpp"
#include "search/field_map.hpp"
#include "search/language.hpp"

namespace findbuch::search {

namespace {

// More Bestände than an archive has: a word found in all of them still filters correctly.
constexpr Xapian::doccount kMaxBestaende = 10000;

std::string bestand_prefix() {
  for (const FieldMapping& m : field_mappings()) {
    if (m.field == Field::Bestand) return std::string(m.prefix);
  }
  return "";
}

}  // namespace

Xapian::Query BestandFilter::operator()(const std::string& words) {
  // The terms DocumentBuilder writes for the field, made the same way.
  Xapian::TermGenerator field;
  field.set_stemmer(Xapian::Stem(kStemmer));
  field.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL_Z);
  Xapian::Document scratch;
  field.set_document(scratch);
  field.index_text_without_positions(words, 1, bestand_prefix());
  const std::vector<std::string> terms(scratch.termlist_begin(), scratch.termlist_end());
  if (terms.empty()) return Xapian::Query::MatchNothing;
  const Xapian::Query bestaende(
      Xapian::Query::OP_FILTER, Xapian::Query(Xapian::Query::OP_AND, terms.begin(), terms.end()),
      Xapian::Query(std::string(kLevelPrefix) + std::string(level_info(Level::Bestand).key)));
  Xapian::Enquire enquire(db_);
  enquire.set_query(bestaende);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  const Xapian::MSet found = enquire.get_mset(0, kMaxBestaende);
  std::vector<Xapian::Query> below;
  for (auto it = found.begin(); it != found.end(); ++it) {
    const std::string id = unit_id_of(it.get_document());
    if (!id.empty()) below.push_back(at_or_below(id));
  }
  if (below.empty()) return Xapian::Query::MatchNothing;
  return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                       Xapian::Query(Xapian::Query::OP_OR, below.begin(), below.end()), 0);
}

}  // namespace findbuch::search

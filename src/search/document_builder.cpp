#include "search/document_builder.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "core/natural_sort.hpp"
#include "search/field_map.hpp"
#include "search/german_text.hpp"

namespace findbuch::search {

namespace {

std::string year_label(int year, bool century) {
  if (century) return std::to_string(year / 100 + 1) + ". Jh.";
  return std::to_string(year / 10 * 10) + "er";
}

std::string value_of(const Unit& u, Field field, bool stub) {
  const auto terms = [&](IndexTerm::Kind kind) {
    std::string out;
    for (const auto& t : u.index_terms) {
      if (t.kind == kind) out += t.name + "; ";
    }
    return out;
  };
  switch (field) {
    case Field::Signatur:
      return u.signatur;
    case Field::Laufzeit:
      return u.laufzeit.text;
    case Field::Title:
      return u.title;
    case Field::Enthaelt:
      return u.enthaelt;
    case Field::Darin:
      return u.darin;
    case Field::Provenance:
      return u.creator;
    case Field::Persons: {
      std::string out = terms(IndexTerm::Kind::Person);
      for (const auto& p : u.persons_concerned) out += p.name + "; ";
      return out;
    }
    case Field::Places:
      return terms(IndexTerm::Kind::Place);
    case Field::CorporateBodies:
      return terms(IndexTerm::Kind::CorporateBody);
    case Field::Subjects:
      return terms(IndexTerm::Kind::Subject);
    case Field::Bestand:
      // On the Bestand's own document only (a closed one: its Signatur): `bestand:` finds the
      // Bestände, then everything below them (bestand_filter.hpp).
      if (u.level != Level::Bestand) return "";
      return stub ? u.signatur : u.signatur + " " + u.title;
  }
  return "";
}

}  // namespace

Place Place::below(const Unit& unit, const AccessDecision& decision, bool shown_public) const {
  Place out = *this;
  out.facts.add(unit, decision);
  out.ancestor_ids.push_back(unit.id);
  out.breadcrumb.push_back(shown_public ? unit.signatur + " " + unit.title : unit.signatur);
  if (unit.level == Level::Bestand) {
    out.bestand = unit.signatur;
  }
  if (ancestor_ids.empty()) out.group = unit.signatur;
  return out;
}

std::string breadcrumb_key(std::int64_t parent_id) {
  return "breadcrumb:" + std::to_string(parent_id);
}

std::string breadcrumb_value(const Place& below_parent) {
  return nlohmann::json(below_parent.breadcrumb).dump();
}

std::string id_term(std::int64_t unit_id) {
  return std::string(kIdPrefix) + std::to_string(unit_id);
}

std::string unit_id_of(const Xapian::Document& doc) {
  auto id = doc.termlist_begin();
  id.skip_to(std::string(kIdPrefix));
  if (id == doc.termlist_end() || (*id).rfind(kIdPrefix, 0) != 0) return "";
  return (*id).substr(kIdPrefix.size());
}

Xapian::Query at_or_below(std::string_view unit_id) {
  return Xapian::Query(Xapian::Query::OP_OR, Xapian::Query(std::string(kIdPrefix) += unit_id),
                       Xapian::Query(std::string(kTektonikPrefix) += unit_id));
}

void add_spelling(Xapian::WritableDatabase& db, const Xapian::Document& doc) {
  for_each_spelling_word(doc,
                         [&](const std::string& w, Xapian::termcount n) { db.add_spelling(w, n); });
}

void remove_spelling(Xapian::WritableDatabase& db, const Xapian::Document& doc) {
  for_each_spelling_word(
      doc, [&](const std::string& w, Xapian::termcount n) { db.remove_spelling(w, n); });
}

namespace {

// The German stemmer with a memory: an archive's vocabulary is small beside its units. Owned by
// one builder, so one thread.
class RememberingStemmer final : public Xapian::StemImplementation {
 public:
  std::string operator()(const std::string& word) override {
    if (const auto it = known_.find(word); it != known_.end()) return it->second;
    if (known_.size() >= kMaxWords) known_.clear();  // bounds memory on a huge vocabulary
    return known_.emplace(word, stemmer_(word)).first->second;
  }
  std::string get_description() const override {
    return "remembering " + stemmer_.get_description();
  }

 private:
  static constexpr std::size_t kMaxWords = 1 << 20;
  Xapian::Stem stemmer_{kStemmer};
  std::unordered_map<std::string, std::string> known_;
};

}  // namespace

DocumentBuilder::DocumentBuilder(const Language& language) : language_(language) {
  // Words as written, with positions: quoted phrases match them, and a query word finds them by
  // its stem through the synonym table (WordClasses).
  fields_.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
  exact_.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
  // The other fields: stems only (the text is lower case to Xapian, as the query side is).
  field_stems_.set_stemmer(Xapian::Stem(new RememberingStemmer));
  field_stems_.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL_Z);
}

void DocumentBuilder::text(std::string_view value, const FieldMapping& field) {
  if (value.empty()) return;
  const std::string normal = language_.normalise(value);
  const auto wdf = static_cast<Xapian::termcount>(field.weight);
  if (!field.query_name.empty()) {
    const std::string prefix(field.prefix);
    if (field.field_phrases) {
      fields_.index_text(normal, wdf, prefix);
      fields_.increase_termpos();  // a phrase does not reach from one field into the next
    } else {
      field_stems_.index_text_without_positions(normal, wdf, prefix);
    }
  }
  if (field.plain) {
    exact_.index_text(normal, wdf);
    exact_.increase_termpos();
    mark_multi_word_entries(normal, wdf);
  }
  remember_forms(value);
}

void DocumentBuilder::mark_multi_word_entries(std::string_view normal, Xapian::termcount wdf) {
  const auto& entries = language_.multi_word_entries();
  if (entries.empty()) return;
  std::vector<std::string> words;
  for (const WordSpan& w : words_of(normal)) words.push_back(lower_case(w.of(normal)));
  for (const auto& entry : entries) {
    if (std::search(words.begin(), words.end(), entry.begin(), entry.end()) == words.end()) {
      continue;
    }
    std::string term(kPhraseSynonymPrefix);
    for (std::size_t i = 0; i < entry.size(); ++i) term += (i > 0 ? " " : "") + entry[i];
    doc_->add_term(term, wdf);
  }
}

void DocumentBuilder::remember_forms(std::string_view value) {
  constexpr std::size_t kMaxForms = 64;  // enough to find one; bounds the stored data
  for (const WordSpan& w : words_of(value)) {
    const std::string_view word = w.of(value);
    if (forms_.size() >= kMaxForms) return;
    // Without umlaut or ß (all lead byte 0xC3) the index has the word as written.
    if (word.find('\xC3') == std::string_view::npos || fold_german(word) == word) continue;
    if (std::find(forms_.begin(), forms_.end(), word) == forms_.end()) forms_.emplace_back(word);
  }
}

Xapian::Document DocumentBuilder::build(const Unit& u, const Place& place, bool stub,
                                        const AccessDecision& decision, bool digitised) {
  Xapian::Document doc;
  doc_ = &doc;
  forms_.clear();
  fields_.set_document(doc);
  field_stems_.set_document(doc);
  exact_.set_document(doc);
  for (const FieldMapping& m : field_mappings()) {
    // A stub carries nothing but its Signatur and Laufzeit (and a Bestand its Signatur as such).
    if (stub && m.field != Field::Signatur && m.field != Field::Laufzeit &&
        m.field != Field::Bestand) {
      continue;
    }
    text(value_of(u, m.field, stub), m);
  }
  doc.add_boolean_term(id_term(u.id));
  doc.add_boolean_term(exact_signatur_term(u.signatur));
  for (const auto a : place.ancestor_ids) {
    doc.add_boolean_term(std::string(kTektonikPrefix) + std::to_string(a));
  }
  doc.add_boolean_term(std::string(kLevelPrefix) + std::string(level_info(u.level).key));
  if (digitised) doc.add_boolean_term(std::string(kDigitisedTerm));
  if (stub) doc.add_boolean_term(std::string(kStubTerm));

  FacetFields facets;
  if (u.laufzeit.from && u.laufzeit.to) {
    doc.add_value(kYearFrom, Xapian::sortable_serialise(u.laufzeit.from->year));
    doc.add_value(kYearTo, Xapian::sortable_serialise(u.laufzeit.to->year));
    facets[kFacetCentury] = year_label(u.laufzeit.from->year, true);
    facets[kFacetDecade] = year_label(u.laufzeit.from->year, false);
  }
  doc.add_value(kSortKey, natural_sort_key(u.signatur));
  facets[kFacetLevel] = level_info(u.level).german;
  facets[kFacetBestand] = u.level == Level::Bestand ? u.signatur : place.bestand;
  facets[kFacetGroup] = place.group;
  facets[kFacetDigitised] = digitised ? "ja" : "nein";
  doc.add_value(kFacetValues, pack_facets(facets));

  // The stored hit: what values and metadata do not hold already, since every byte of it is
  // compressed once per document (a tenth of indexing time). Level and digitised are facet
  // values; the breadcrumb is its parent's, kept once per parent (breadcrumb_key).
  nlohmann::json data = {{"signatur", u.signatur}, {"laufzeit", u.laufzeit.text}};
  if (u.parent_id != 0) data["parent"] = u.parent_id;
  if (stub) {
    data["stub"] = true;
    // The last closed day, as the finding aids say "gesperrt bis".
    data["closed_until"] = decision.opens_on ? decision.opens_on->previous_day().iso() : "";
  } else {
    data["title"] = u.title;
    const std::string more =
        u.enthaelt.empty() || u.darin.empty() ? u.enthaelt + u.darin : u.enthaelt + ". " + u.darin;
    if (!more.empty()) data["more"] = more;
  }
  // Only what this document indexes (a stub: its Signatur and Laufzeit), so nothing closed.
  if (!forms_.empty()) data["forms"] = forms_;
  doc.set_data(data.dump());
  doc_ = nullptr;
  return doc;
}

}  // namespace findbuch::search

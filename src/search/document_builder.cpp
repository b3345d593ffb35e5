#include "search/document_builder.hpp"

#include <nlohmann/json.hpp>

#include "core/natural_sort.hpp"
#include "search/field_map.hpp"

namespace findbuch::search {

namespace {

std::string year_label(int year, bool century) {
  if (century) return std::to_string(year / 100 + 1) + ". Jh.";
  return std::to_string(year / 10 * 10) + "er";
}

std::string value_of(const Unit& u, Field field, const Place& place) {
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
      return place.bestand + " " + place.bestand_title;
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
    out.bestand_title = unit.title;
  }
  if (ancestor_ids.empty()) out.group = unit.signatur;
  return out;
}

std::string id_term(std::int64_t unit_id) {
  return std::string(kIdPrefix) + std::to_string(unit_id);
}

namespace {

template <typename Apply>
void for_each_spelling_word(const Xapian::Document& doc, Apply apply) {
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    const std::string term = *t;
    // Prefixed terms (field, boolean and stemmed Z terms) start with a capital letter.
    if (!term.empty() && !(term[0] >= 'A' && term[0] <= 'Z')) apply(term, t.get_wdf());
  }
}

}  // namespace

void add_spelling(Xapian::WritableDatabase& db, const Xapian::Document& doc) {
  for_each_spelling_word(doc, [&](const std::string& w, Xapian::termcount n) {
    db.add_spelling(w, n);
  });
}

void remove_spelling(Xapian::WritableDatabase& db, const Xapian::Document& doc) {
  for_each_spelling_word(doc, [&](const std::string& w, Xapian::termcount n) {
    db.remove_spelling(w, n);
  });
}

DocumentBuilder::DocumentBuilder(const Language& language) : language_(language) {
  terms_.set_stemmer(Xapian::Stem("german2"));
  // German nouns are capitalised: the default strategy would leave them unstemmed.
  terms_.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL_Z);
  // The exact (unstemmed) words too: right truncation expands over them, and they are the
  // words of the spelling data (one wdf per occurrence, see add_spelling).
  exact_.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
}

void DocumentBuilder::text(std::string_view value, int weight, std::string_view prefix) {
  if (value.empty()) return;
  const std::string folded = language_.normalise(value);
  const auto wdf = static_cast<Xapian::termcount>(weight);
  terms_.index_text(folded, wdf, std::string(prefix));
  terms_.increase_termpos();
  terms_.index_text(folded, wdf);
  terms_.increase_termpos();
  exact_.index_text_without_positions(folded);
}

Xapian::Document DocumentBuilder::build(const Unit& u, const Place& place, bool stub,
                                        const AccessDecision& decision, bool digitised) {
  Xapian::Document doc;
  terms_.set_document(doc);
  exact_.set_document(doc);
  for (const FieldMapping& m : field_mappings()) {
    // A stub carries nothing but its Signatur and Laufzeit.
    if (stub && m.field != Field::Signatur && m.field != Field::Laufzeit) continue;
    text(value_of(u, m.field, place), m.weight, m.prefix);
  }
  doc.add_boolean_term(id_term(u.id));
  doc.add_boolean_term(exact_signatur_term(u.signatur));
  for (const auto a : place.ancestor_ids) {
    doc.add_boolean_term(std::string(kTektonikPrefix) + std::to_string(a));
  }
  doc.add_boolean_term(std::string(kTektonikPrefix) + std::to_string(u.id));
  doc.add_boolean_term(std::string(kLevelPrefix) + std::string(level_info(u.level).key));
  if (digitised) doc.add_boolean_term(std::string(kDigitisedTerm));

  if (u.laufzeit.from && u.laufzeit.to) {
    doc.add_value(kYearFrom, Xapian::sortable_serialise(u.laufzeit.from->year));
    doc.add_value(kYearTo, Xapian::sortable_serialise(u.laufzeit.to->year));
    doc.add_value(kCentury, year_label(u.laufzeit.from->year, true));
    doc.add_value(kDecade, year_label(u.laufzeit.from->year, false));
  }
  doc.add_value(kSortKey, natural_sort_key(u.signatur));
  doc.add_value(kLevelValue, std::string(level_info(u.level).german));
  const std::string& bestand = u.level == Level::Bestand ? u.signatur : place.bestand;
  if (!bestand.empty()) doc.add_value(kBestandValue, bestand);
  if (!place.group.empty()) doc.add_value(kGroupValue, place.group);
  doc.add_value(kDigitisedValue, digitised ? "ja" : "nein");

  nlohmann::json data = {{"signatur", u.signatur},
                         {"level", level_info(u.level).german},
                         {"laufzeit", u.laufzeit.text},
                         {"breadcrumb", place.breadcrumb},
                         {"digitised", digitised}};
  if (stub) {
    data["stub"] = true;
    // The last closed day, as the finding aids say "gesperrt bis".
    data["closed_until"] = decision.opens_on ? decision.opens_on->previous_day().iso() : "";
  } else {
    data["title"] = u.title;
    data["text"] = u.title + (u.enthaelt.empty() ? "" : ". " + u.enthaelt) +
                   (u.darin.empty() ? "" : ". " + u.darin);
  }
  doc.set_data(data.dump());
  return doc;
}

}  // namespace findbuch::search

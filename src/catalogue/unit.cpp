#include "catalogue/unit.hpp"

#include <algorithm>

#include "core/text.hpp"

namespace findbuch {

const std::vector<LevelInfo>& level_table() {
  static const std::vector<LevelInfo> table = {
      {Level::TektonikGroup, "tektonik_group", "Tektonikgruppe", "", "class", 0},
      {Level::Bestand, "bestand", "Bestand", "fonds", "collection", 1},
      {Level::Teilbestand, "teilbestand", "Teilbestand", "sub-fonds", "class", 2},
      {Level::Classification, "classification", "Gliederung", "", "class", 3},
      {Level::Series, "series", "Serie", "series", "series", 3},
      {Level::File, "file", "Akte", "file", "file", 5},
      {Level::Item, "item", "Einzelstück", "item", "item", 6},
  };
  return table;
}

const LevelInfo& level_info(Level level) {
  for (const auto& info : level_table())
    if (info.level == level) return info;
  return level_table().back();  // unreachable: the table covers the enum
}

std::optional<Level> level_from_name(std::string_view name) {
  struct Synonym {
    std::string_view name;
    Level level;
  };
  // Lower-case names; German umlauts are matched in their UTF-8 lower-case form.
  static const Synonym synonyms[] = {
      {"tektonikgruppe", Level::TektonikGroup},
      {"bestandsgruppe", Level::TektonikGroup},
      {"gruppe", Level::TektonikGroup},
      {"group", Level::TektonikGroup},
      {"fonds", Level::Bestand},
      {"collection", Level::Bestand},
      {"sub-fonds", Level::Teilbestand},
      {"subfonds", Level::Teilbestand},
      {"gliederung", Level::Classification},
      {"klassifikation", Level::Classification},
      {"class", Level::Classification},
      {"serie", Level::Series},
      {"subseries", Level::Series},
      {"akte", Level::File},
      {"verzeichnungseinheit", Level::File},
      {"einzelstück", Level::Item},
      {"einzelstueck", Level::Item},
      {"dokument", Level::Item},
      {"vorgang", Level::Item},
      {"unterserie", Level::Series},
      {"teilserie", Level::Series},
      {"untergliederung", Level::Classification},
      {"klassifikationsgruppe", Level::Classification},
  };
  const std::string lower = ascii_lower(trim(name));
  for (const auto& info : level_table())
    if (lower == info.key || lower == ascii_lower(info.german)) return info.level;
  for (const auto& s : synonyms)
    if (lower == s.name) return s.level;
  return std::nullopt;
}

std::string level_names_for_humans() {
  std::string out;
  for (const auto& info : level_table()) {
    if (!out.empty()) out += ", ";
    out += std::string(info.key) + " (" + std::string(info.german) + ")";
  }
  return out;
}

bool is_structural_level(Level level) {
  return level_info(level).rank <= 3;
}

bool is_holdings_level(Level level) {
  return level == Level::TektonikGroup || level == Level::Bestand;
}

bool level_may_contain(Level parent, Level child) {
  switch (parent) {
    case Level::TektonikGroup:
      return child == Level::TektonikGroup || child == Level::Bestand;
    case Level::Bestand:
    case Level::Teilbestand:
      return level_info(child).rank >= 2;
    case Level::Classification:
    case Level::Series:
      return level_info(child).rank >= 3;
    case Level::File:
      return child == Level::File || child == Level::Item;
    case Level::Item:
      return child == Level::Item;
  }
  return false;
}

std::string_view index_kind_key(IndexTerm::Kind kind) {
  switch (kind) {
    case IndexTerm::Kind::Person:
      return "person";
    case IndexTerm::Kind::Place:
      return "place";
    case IndexTerm::Kind::CorporateBody:
      return "corporate_body";
    case IndexTerm::Kind::Subject:
      return "subject";
  }
  return "subject";
}

bool Unit::same_description(const Unit& o) const {
  return signatur == o.signatur && signatur_generated == o.signatur_generated &&
         ead_id == o.ead_id && level == o.level && title == o.title && laufzeit == o.laufzeit &&
         extent == o.extent && creator == o.creator && enthaelt == o.enthaelt && darin == o.darin &&
         archival_history == o.archival_history && access_conditions == o.access_conditions &&
         use_conditions == o.use_conditions && language == o.language && notes == o.notes &&
         former_reference == o.former_reference && aktenzeichen == o.aktenzeichen &&
         storage_location == o.storage_location && index_terms == o.index_terms &&
         digital_objects == o.digital_objects && personal_data == o.personal_data &&
         persons_concerned == o.persons_concerned && secrecy == o.secrecy &&
         embargo_until == o.embargo_until && shortened_to == o.shortened_to &&
         shortening_reason == o.shortening_reason && zwischenarchiv == o.zwischenarchiv;
}

}  // namespace findbuch

#include "search/field_map.hpp"

#include "search/german_text.hpp"

namespace findbuch::search {

const std::vector<FieldMapping>& field_mappings() {
  static const std::vector<FieldMapping> table = {
      {Field::Signatur, "XSIG", 3, "signatur"},
      {Field::Title, "S", 5, "titel"},
      {Field::Enthaelt, "XE", 2, "enthaelt"},
      {Field::Darin, "XD", 2, "darin"},
      {Field::Laufzeit, "XL", 1, ""},
      {Field::Provenance, "XP", 2, "provenienz"},
      {Field::Persons, "XPER", 3, "person"},
      {Field::Places, "XORT", 3, "ort"},
      {Field::CorporateBodies, "XKOR", 2, "koerperschaft"},
      {Field::Subjects, "XSUB", 2, "thema"},
      {Field::Bestand, "XB", 1, "bestand"},
  };
  return table;
}

std::string exact_signatur_term(std::string_view text) {
  std::string out(kSignaturPrefix);
  for (const char c : fold_german(text)) {
    if (c != ' ') out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return out;
}

}  // namespace findbuch::search

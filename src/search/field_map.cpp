#include "search/field_map.hpp"

#include "search/german_text.hpp"

namespace findbuch::search {

const std::vector<FieldMapping>& field_mappings() {
  // The Bestand's Signatur and title are on its own document only, under `bestand:`, which
  // finds everything below it (bestand_filter.hpp); plain queries leave it to the facet. Field
  // phrases for the short fields people quote (titles and names); positions on the long ones would
  // cost a quarter of indexing time. Enthält and Darin, the longest fields, are plain text only:
  // their own field names would cost a tenth of indexing time for searches hardly anyone types.
  static const std::vector<FieldMapping> table = {
      // `signatur:` selects units by their exact Signatur terms and sort keys
      // (signatur_filter.hpp).
      {Field::Signatur, "", 3, "", true, false},
      {Field::Title, "S", 5, "titel", true, true},
      {Field::Enthaelt, "XE", 2, "", true, false},
      {Field::Darin, "XD", 2, "", true, false},
      {Field::Laufzeit, "XL", 1, "", true, false},
      {Field::Provenance, "XP", 2, "provenienz", true, false},
      {Field::Persons, "XPER", 3, "person", true, true},
      {Field::Places, "XORT", 3, "ort", true, true},
      {Field::CorporateBodies, "XKOR", 2, "koerperschaft", true, true},
      {Field::Subjects, "XSUB", 2, "thema", true, false},
      {Field::Bestand, "XB", 1, "bestand", false, false},
  };
  return table;
}

std::size_t word_class_prefix_length(std::string_view term) {
  const auto is_capital = [](char c) { return c >= 'A' && c <= 'Z'; };
  if (term.empty()) return std::string_view::npos;
  if (!is_capital(term[0])) return 0;
  for (const FieldMapping& m : field_mappings()) {
    if (m.field_phrases && term.size() > m.prefix.size() && term.rfind(m.prefix, 0) == 0 &&
        !is_capital(term[m.prefix.size()])) {
      return m.prefix.size();
    }
  }
  return std::string_view::npos;
}

std::string exact_signatur_term(std::string_view text) {
  std::string out(kSignaturPrefix);
  for (const char c : fold_german(text)) {
    if (c != ' ') out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return out;
}

namespace {
constexpr char kFacetSeparator = '\x1f';  // the ASCII unit separator: not in catalogue text
}  // namespace

std::string pack_facets(const FacetFields& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += kFacetSeparator;
    for (const char c : fields[i]) {
      if (c != kFacetSeparator) out += c;
    }
  }
  return out;
}

std::array<std::string_view, kFacetFields> unpack_facets(std::string_view packed) {
  std::array<std::string_view, kFacetFields> out;
  for (std::size_t i = 0; i < out.size() && !packed.empty(); ++i) {
    const std::size_t end = packed.find(kFacetSeparator);
    out[i] = packed.substr(0, end);
    packed = end == std::string_view::npos ? std::string_view() : packed.substr(end + 1);
  }
  return out;
}

}  // namespace findbuch::search

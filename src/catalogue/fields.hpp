#pragma once
// The descriptive fields as a table of data: one place that names every field for `show`,
// `set`, CSV columns and JSON, with German labels and aliases.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "catalogue/unit.hpp"

namespace findbuch {

struct FieldSpec {
  std::string_view key;                         ///< JSON key, CSV column, `set` name
  std::string_view label;                       ///< German label in `show`
  std::vector<std::string_view> aliases;        ///< German names accepted by `set` and CSV headers
  std::function<std::string(const Unit&)> get;  ///< canonical text form ("" when empty)
  /// Parses the text form; throws InputError naming the field and the allowed values.
  std::function<void(Unit&, std::string_view)> set;
  /// Copies the field's value from one unit to another without a detour through text (which
  /// would lose e.g. a Laufzeit's EAD @normal or a term containing ";").
  std::function<void(Unit& to, const Unit& from)> copy;
};

const std::vector<FieldSpec>& field_table();
/// Finds a field by key or alias (case-insensitive); nullptr when unknown.
const FieldSpec* find_field(std::string_view name);
/// The value as the audit log and change reports show it: the text form, and for the Laufzeit
/// also the interval it was read as (a re-read of the same text can move the interval, which
/// moves protection periods, so it must not go unrecorded).
std::string logged_value(const FieldSpec& field, const Unit& unit);

/// All keys, for "did you mean" and error messages.
std::vector<std::string> field_keys();

// Text forms of list fields, shared by `set` and CSV import:
//   terms:   "Name|GND; Name2"              (GND id optional)
//   persons: "Name|born|died; Name2|1931|"  (dates "YYYY", "YYYY-MM" or "YYYY-MM-DD", may be empty)
//   yes/no:  ja/nein, yes/no, true/false, 1/0, x/"" (empty = no)
std::vector<IndexTerm> parse_terms(std::string_view text, IndexTerm::Kind kind,
                                   std::string_view field);
std::string format_terms(const std::vector<IndexTerm>& terms, IndexTerm::Kind kind);
std::vector<PersonConcerned> parse_persons_concerned(std::string_view text);
std::string format_persons_concerned(const std::vector<PersonConcerned>& persons);
bool parse_yes_no(std::string_view text, std::string_view field);

}  // namespace findbuch

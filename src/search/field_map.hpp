#pragma once
// The document mapping as a table of data (ARCHITECTURE.md example 9): which catalogue field goes
// to which term prefix with which weight, and by which name a reader may search it
// ("person:Müller"). Boolean filter terms and value slots are listed here too.
#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace findbuch::search {

enum class Field {
  Signatur,
  Title,
  Enthaelt,
  Darin,
  Laufzeit,
  Provenance,
  Persons,
  Places,
  CorporateBodies,
  Subjects,
  Bestand
};

struct FieldMapping {
  Field field;
  std::string_view prefix;      ///< term prefix for field-restricted search
  int weight;                   ///< wdf increment: title counts most
  std::string_view query_name;  ///< what readers type before ':' ("" = not searchable alone)
  bool plain;                   ///< also found by plain queries (without a field name)
  /// `name:"…"` phrases work: the field's words are kept as written, with positions (they cost
  /// indexing time), and found by their stems through the synonym table (WordClasses); the
  /// other fields keep their stems only.
  bool field_phrases;
};

/// Every free-text field, indexed under its prefix (when it has a query name) and, when
/// `plain`, without one. Positions are kept for plain phrases and the fields marked so.
const std::vector<FieldMapping>& field_mappings();

/// The length of `term`'s prefix when it is a word that a document holds as written and that a
/// query finds by its stem through the synonym table (WordClasses): 0 for a plain word, the
/// prefix's length for a word of a field with `field_phrases`; std::string_view::npos for any
/// other term.
std::size_t word_class_prefix_length(std::string_view term);

/// `signatur:X`: the unit X with everything below it, and the Signaturen beginning with X
/// (SignaturFilter). Its value is searched as typed, not in modern spelling.
inline constexpr std::string_view kSignaturFieldName = "signatur";

// Boolean terms (filters, not ranked).
inline constexpr std::string_view kIdPrefix = "Q";            ///< Q<unit id>: unique per unit
inline constexpr std::string_view kSignaturPrefix = "XSIGX";  ///< exact Signatur, see below
inline constexpr std::string_view kTektonikPrefix = "XTEK";   ///< every ancestor's id
inline constexpr std::string_view kLevelPrefix = "XLEVEL";    ///< level key
inline constexpr std::string_view kDigitisedTerm = "XDIG";    ///< has pages
inline constexpr std::string_view kStubTerm = "XSTUB";        ///< a closed unit's public stub
/// Metadata of an index: a term whose documents its searches leave out (the internal index
/// leaves out the public stubs: it has the full documents of those units).
inline constexpr const char* kExcludeKey = "exclude";
/// XSYN<words>: a synonym entry of several words occurs here, in this order (language.hpp)
inline constexpr std::string_view kPhraseSynonymPrefix = "XSYN";

/// The boolean term of a Signatur as typed: folded, lower-case, without spaces.
std::string exact_signatur_term(std::string_view text);

// Value slots (sorting, ranges, facets).
enum Slot : unsigned {
  kYearFrom = 0,    ///< sortable_serialise(first year)
  kYearTo = 1,      ///< sortable_serialise(last year)
  kSortKey = 2,     ///< natural sort key of the Signatur
  kFacetValues = 3  ///< every facet value of the document, packed (pack_facets)
};

/// The facets of a document, in the order pack_facets keeps them: Bestand Signatur, top Tektonik
/// group Signatur, level ("Akte"), century and decade of the first year ("19. Jh.", "1890er"),
/// digitised ("ja" / "nein"). One slot for all: counting the facets of a match reads one value
/// instead of six, which matters when the matches are spread over the whole index.
enum FacetField : std::size_t {
  kFacetBestand,
  kFacetGroup,
  kFacetLevel,
  kFacetCentury,
  kFacetDecade,
  kFacetDigitised,
  kFacetFields
};
using FacetFields = std::array<std::string, kFacetFields>;
std::string pack_facets(const FacetFields& fields);
/// The fields of a packed value ("" for those missing).
std::array<std::string_view, kFacetFields> unpack_facets(std::string_view packed);

}  // namespace findbuch::search

#pragma once
// One Xapian document per unit: the field table (field_map.hpp) applied to a unit, with the
// German analysis (german_text.hpp), boolean filter terms, value slots and the stored hit data.
// The indexer decides which units go in and as what; this decides what a document contains.
#include <xapian.h>

#include <cstdint>
#include <string>
#include <vector>

#include "catalogue/access_policy.hpp"
#include "catalogue/unit.hpp"
#include "search/field_map.hpp"
#include "search/language.hpp"

namespace findbuch::search {

/// Where a unit stands in the Tektonik, as its document needs to know it.
struct Place {
  AncestorFacts facts;
  std::vector<std::int64_t> ancestor_ids;
  std::vector<std::string> breadcrumb;  ///< labels of the ancestors (Signatur only when closed)
  std::string bestand, group;           ///< Signaturen of the nearest Bestand and the top group

  /// The place of the children of `unit`, which stands here and was decided as `decision`.
  Place below(const Unit& unit, const AccessDecision& decision, bool shown_public) const;
};

class DocumentBuilder {
 public:
  explicit DocumentBuilder(const Language& language);

  /// The document of `unit`; a `stub` (a closed unit in the public index) carries nothing but
  /// Signatur, level, Laufzeit and the last closed day.
  Xapian::Document build(const Unit& unit, const Place& place, bool stub,
                         const AccessDecision& decision, bool digitised);

 private:
  void text(std::string_view value, const FieldMapping& field);
  void mark_multi_word_entries(std::string_view normal, Xapian::termcount wdf);
  void remember_forms(std::string_view value);

  const Language& language_;
  Xapian::Document* doc_ = nullptr;  ///< the document being built
  /// The fields people quote (titles and names) under their prefixes, and the plain words
  /// without one: exact, with positions and the field's weight. They serve phrases, right
  /// truncation and (plain words) the spelling data; a query word finds them by its stem through
  /// the synonym table (WordClasses), which costs far less than a stemmed term per word and
  /// document would.
  Xapian::TermGenerator fields_;
  Xapian::TermGenerator exact_;
  /// The other fields under their prefixes: Z-prefixed German stems only, without positions.
  Xapian::TermGenerator field_stems_;
  /// Words with umlauts or ß as written, so that "Meinten Sie …?" can show them so.
  std::vector<std::string> forms_;
};

/// Calls apply(term) for every term of `doc` that a query finds by its stem through the synonym
/// table (word_class_prefix_length): its plain words and the words of the fields people quote.
template <typename Apply>
void for_each_class_word(const Xapian::Document& doc, Apply apply) {
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    const std::string term = *t;
    if (word_class_prefix_length(term) != std::string_view::npos) apply(term);
  }
}

/// "Meinten Sie …?" suggests only words of documents in the index: a document's spelling words
/// are its unprefixed exact terms, counted by their wdf, so weighted like the field they occur in
/// (prefixed terms — fields, boolean and stemmed Z terms — start with a capital letter). They
/// are its plain words as well (WordClasses).
template <typename Apply>
void for_each_spelling_word(const Xapian::Document& doc, Apply apply) {
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    const std::string term = *t;
    if (!term.empty() && !(term[0] >= 'A' && term[0] <= 'Z')) apply(term, t.get_wdf());
  }
}

/// These add and take back a document's spelling words. A replaced or removed document must be
/// taken back first, or its words would outlive it (a unit closed since would still be
/// suggested).
void add_spelling(Xapian::WritableDatabase& db, const Xapian::Document& doc);
void remove_spelling(Xapian::WritableDatabase& db, const Xapian::Document& doc);

/// The breadcrumb of the children of a parent is kept once, as metadata of the first database of
/// an index (the one Xapian reads metadata from): under this key, the value made of the place
/// below that parent (a JSON array of labels). A document's data names its "parent".
std::string breadcrumb_key(std::int64_t parent_id);
std::string breadcrumb_value(const Place& below_parent);

/// The unique id term of a unit's document (Q<id>); the document id is the unit id as well.
std::string id_term(std::int64_t unit_id);

/// The unit id (decimal) of a document, from its id term; "" when it has none.
std::string unit_id_of(const Xapian::Document& doc);

/// The filter for everything at or below the unit `unit_id` (decimal): its own document by the
/// id term, the others by the Tektonik term of every ancestor they carry. (A Tektonik term of
/// each document's own unit would be a million terms of one document each.)
Xapian::Query at_or_below(std::string_view unit_id);

}  // namespace findbuch::search

#pragma once
// What a reader sees of a search besides the hits themselves: snippets with the query's words
// marked in whatever spelling the text has them (Thür for Tür, Müller for Mueller, a synonym for
// its partner), and "Meinten Sie …?" in the reader's own spelling rather than the index's.
#include <xapian.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "search/language.hpp"

namespace findbuch::search {

/// What a snippet marks: the words behind the query terms that matched a hit.
struct Marks {
  std::set<std::string> exact;     ///< exact words ("tuer")
  std::set<std::string> stems;     ///< stems ("tur")
  std::vector<std::string> roots;  ///< right truncation ("muell" of "Müll*")
  /// Marked only where they occur in this order: quoted phrases, synonym entries of more words.
  std::vector<std::vector<std::string>> phrases;

  /// Adds a query term as indexed: "Ztur", "ZStur", "tuer", "XSYNamt des buergermeisters". An
  /// exact word of a phrase is left to the phrase ("der" is marked in "Reparatur der Tür" only).
  void add_term(std::string_view term);
};

/// The marks a normalised query gives every hit: its right truncations ("muell*" → "muell")
/// and its quoted phrases.
Marks query_marks(std::string_view normalised_query);

/// Up to about `length` bytes of `text` where it has the most marked words: a word is marked
/// «…» when its normalised form (Language::exact_word) or that form's stem is among the marks;
/// "…" where the text is cut.
std::string snippet(std::string_view text, const Marks& marks, const Language& language,
                    std::size_t length = 200);

/// The parser's correction `corrected` of the query `normalised` (Language::normalise_query of
/// `typed`) in the reader's terms: `typed`, with each corrected word replaced by a natural form
/// of the correction — as a document containing it writes it (umlauts, ß: the "forms" of its
/// stored data), capitalised when the reader's word was. `corrected` as is when the words do
/// not line up.
std::string in_readers_terms(const Xapian::Database& db, const Language& language,
                             std::string_view typed, std::string_view normalised,
                             std::string_view corrected);

}  // namespace findbuch::search

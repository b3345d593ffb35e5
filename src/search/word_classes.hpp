#pragma once
// Plain words are indexed as written only (DocumentBuilder). A plain query word, which the
// QueryParser stems to "Z<stem>" (STEM_SOME, FLAG_AUTO_SYNONYMS), finds the words of the index
// with that stem through Xapian's synonym table: once per word of the vocabulary instead of a
// stemmed term in every document, which saves a fifth of indexing time. The words of a stem
// also join the keys of its synonym lines (Language::plain_keys_of_stem). Each database keeps
// the classes of its own words only, so the public one names no word of a closed unit.
#include <xapian.h>

#include <string>

#include "search/language.hpp"

namespace findbuch::search {

class WordClasses {
 public:
  explicit WordClasses(const Language& language) : language_(language) {}

  /// Makes the plain word `word` (an exact term of `db`) findable by its stem and synonyms.
  void add(Xapian::WritableDatabase& db, const std::string& word) const;
  /// Takes `word` back once no document of `db` has it any more.
  void remove_if_unused(Xapian::WritableDatabase& db, const std::string& word) const;

 private:
  /// Calls apply(key) for every synonym key that holds `word`.
  template <typename Apply>
  void for_each_key(const std::string& word, Apply apply) const;

  const Language& language_;
  Xapian::Stem stem_{kStemmer};
};

}  // namespace findbuch::search

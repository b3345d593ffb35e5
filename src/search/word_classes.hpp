#pragma once
// Plain words, and the words of the fields people quote, are indexed as written only
// (DocumentBuilder). A query word, which the QueryParser stems to "Z<prefix><stem>" (STEM_SOME,
// FLAG_AUTO_SYNONYMS), finds the words of the index with that stem through Xapian's synonym
// table: once per word of the vocabulary instead of a stemmed term in every document, which
// saves a fifth of indexing time for the plain words and a tenth more for the fields. The words
// of a stem also join the keys of its synonym lines (Language::keys_of_stem). Each database keeps
// the classes of its own words only, so the public one names no word of a closed unit.
#include <xapian.h>

#include <string>

#include "search/language.hpp"

namespace findbuch::search {

class WordClasses {
 public:
  explicit WordClasses(const Language& language) : language_(language) {}

  /// Makes `term`, a plain or field word of `db` (word_class_prefix_length), findable by its
  /// stem and synonyms; any other term is left alone.
  void add(Xapian::WritableDatabase& db, const std::string& term) const;
  /// Takes `term` back once no document of `db` has it any more.
  void remove_if_unused(Xapian::WritableDatabase& db, const std::string& term) const;

 private:
  /// Calls apply(key) for every synonym key that holds `term`.
  template <typename Apply>
  void for_each_key(const std::string& term, Apply apply) const;

  const Language& language_;
  Xapian::Stem stem_{kStemmer};
};

}  // namespace findbuch::search

#include "search/word_classes.hpp"

namespace findbuch::search {

template <typename Apply>
void WordClasses::for_each_key(const std::string& word, Apply apply) const {
  // Any other word the QueryParser searches as written, and that term is in the documents.
  if (!is_stemmed_word(word)) return;
  const std::string stem = stem_(word);
  const std::string own = "Z" + stem;
  apply(own);
  for (const std::string& key : language_.plain_keys_of_stem(stem)) {
    if (key != own) apply(key);
  }
}

void WordClasses::add(Xapian::WritableDatabase& db, const std::string& word) const {
  for_each_key(word, [&](const std::string& key) { db.add_synonym(key, word); });
}

void WordClasses::remove_if_unused(Xapian::WritableDatabase& db, const std::string& word) const {
  if (db.term_exists(word)) return;
  for_each_key(word, [&](const std::string& key) { db.remove_synonym(key, word); });
}

}  // namespace findbuch::search

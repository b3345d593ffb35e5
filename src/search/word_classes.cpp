#include "search/word_classes.hpp"

#include "search/field_map.hpp"

namespace findbuch::search {

template <typename Apply>
void WordClasses::for_each_key(const std::string& term, Apply apply) const {
  const std::size_t prefix_length = word_class_prefix_length(term);
  if (prefix_length == std::string_view::npos) return;
  const std::string prefix = term.substr(0, prefix_length);
  const std::string word = term.substr(prefix_length);
  // Any other word the QueryParser searches as written, and that term is in the documents.
  if (!is_stemmed_word(word)) return;
  const std::string stem = stem_(word);
  const std::string own = "Z" + prefix + stem;
  apply(own);
  for (const std::string& key : language_.keys_of_stem(prefix, stem)) {
    if (key != own) apply(key);
  }
}

void WordClasses::add(Xapian::WritableDatabase& db, const std::string& term) const {
  for_each_key(term, [&](const std::string& key) { db.add_synonym(key, term); });
}

void WordClasses::remove_if_unused(Xapian::WritableDatabase& db, const std::string& term) const {
  if (db.term_exists(term)) return;
  for_each_key(term, [&](const std::string& key) { db.remove_synonym(key, term); });
}

}  // namespace findbuch::search

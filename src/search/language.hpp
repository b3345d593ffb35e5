#pragma once
// The language rules of one index: how German text is normalised before stemming (umlauts spelt
// out, historical spellings brought to today's) and which words count as synonyms. Built-in
// data files (src/search/language/, compiled in) are extended by the archive's own in its
// workspace (search/spellings.txt, search/synonyms.txt). The indexer records the rules in the
// index, and searches read them from there, so that both sides of a search always agree.
#include <xapian.h>

#include <array>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace findbuch::search {

/// Xapian's stemmer for both sides of a search.
inline constexpr const char* kStemmer = "german2";

/// Whether Xapian stems this word (the TermGenerator and the QueryParser alike): only a word
/// starting with a letter.
bool is_stemmed_word(std::string_view word);

class Language {
 public:
  /// The built-in data and, when present, the workspace's search/spellings.txt and
  /// search/synonyms.txt. A bad line is an InputError naming file:line.
  static Language load(const std::filesystem::path& workspace);
  /// The rules an index was built with (as store() recorded them); the built-in ones for an
  /// index from before they were recorded.
  static Language from_index(const Xapian::Database& db);
  /// The built-in data alone.
  static const Language& builtin();

  /// Records the rules in `db` (metadata) and the synonyms as Xapian synonyms, replacing what
  /// was there.
  void store(Xapian::WritableDatabase& db) const;
  /// Changes whenever the rules or synonyms change: an index built otherwise must be rebuilt.
  std::string fingerprint() const;

  /// Text as it is indexed: folded, modern spelling (case kept; Xapian lower-cases).
  std::string normalise(std::string_view text) const;
  /// A query as the QueryParser gets it: normalised and lower case (under STEM_SOME a capital
  /// would keep a word from being stemmed), except the operators AND, OR, NOT, XOR, NEAR, ADJ;
  /// field names before ':' keep their spelling.
  std::string normalise_query(std::string_view query) const;
  /// One word as its exact term: normalised, lower case ("Thür" → "tuer").
  std::string exact_word(std::string_view word) const;
  /// Folded text with the word mappings and rules applied, word by word, case kept;
  /// `keep_field_names`: search field names right before ':' are left alone. (Unfolded text
  /// keeps its umlauts: "Thür" → "Tür", as "Meinten Sie" writes a word.)
  std::string modernise(std::string_view folded, bool keep_field_names) const;

  /// The synonym entries of more than one word, as exact words: the index marks where they
  /// occur (DocumentBuilder), because a Xapian synonym can only be a single term.
  const std::vector<std::vector<std::string>>& multi_word_entries() const { return multi_word_; }
  /// The synonym keys under field prefix `prefix` ("" for none) whose synonyms include every
  /// word of the index under that prefix with stem `stem`: those of the other entries of a
  /// synonym line with a one-word entry of that stem ("Z<prefix><stem>" of a one-word entry;
  /// without a prefix also the words of a longer one). The key "Z<prefix><stem>" itself holds
  /// the word anyway, see WordClasses.
  std::vector<std::string> keys_of_stem(const std::string& prefix, const std::string& stem) const;

 private:
  struct Rule {
    std::string old_form, new_form;  ///< folded, lower case
    std::string before;              ///< letters one of which must follow; "" = anything
  };
  struct WordMapping {
    std::string old_form, new_form;  ///< as written
  };

  void read_spellings(std::string_view text, const std::string& source);
  void read_synonyms(std::string_view text, const std::string& source);
  void add_rule(Rule rule);
  void add_word(const WordMapping& mapping);
  void finish();
  std::vector<std::string> entry_words(std::string_view entry) const;
  std::string modern_word(std::string_view word) const;
  std::string apply_rules(std::string_view word) const;
  std::string normalise_query_words(std::string_view query) const;
  std::string spellings_text() const;
  std::string synonyms_text() const;
  void store_synonyms(Xapian::WritableDatabase& db) const;

  std::vector<Rule> rules_;
  std::array<std::vector<std::size_t>, 256> rules_by_letter_;  ///< by the old form's first byte
  std::vector<WordMapping> word_list_;                         ///< in file order
  std::unordered_map<std::string, std::string> words_;         ///< folded lower case → folded
  std::vector<std::vector<std::string>> synonyms_;             ///< lines of entries as written
  /// Entries as exact words, lines that share an entry merged (the archive extends a built-in
  /// line by naming one of its entries).
  std::vector<std::vector<std::vector<std::string>>> synonym_groups_;
  std::vector<std::vector<std::string>> multi_word_;
  /// By the stem of a one-word entry: the other entries of its lines (keys_of_stem makes the
  /// keys of them).
  std::unordered_map<std::string, std::vector<std::vector<std::string>>> other_entries_of_stem_;
};

}  // namespace findbuch::search

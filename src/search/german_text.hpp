#pragma once
// German text as search sees it: one spelling for what readers consider the same word. Umlauts
// and ß are spelt out (Müller = Mueller, Straße = Strasse) before the text reaches Xapian, on
// the indexing and on the query side alike; historical spellings are brought to today's by the
// rules of a Language (language.hpp). And the small Unicode word helpers search needs.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace findbuch::search {

/// Spells out ä ö ü ß as ae oe ue ss (Ä as Ae, …); other text passes unchanged.
std::string fold_german(std::string_view text);

/// Historical spellings brought to today's by the built-in rules (Language::builtin()), word
/// by word, on folded text, case kept; search field names right before ':' are left alone
/// ("Meyer thema: Creis" → "Meier thema: Kreis").
std::string modern_spelling(std::string_view folded);

/// Where a word of a text stands (byte offsets): a run of Unicode letters and digits, as
/// Xapian's TermGenerator and QueryParser split words.
struct WordSpan {
  std::size_t begin = 0, end = 0;
  std::string_view of(std::string_view text) const { return text.substr(begin, end - begin); }
};
std::vector<WordSpan> words_of(std::string_view text);

/// Unicode lower case, as Xapian's terms are.
std::string lower_case(std::string_view text);
/// Does the word start with a capital letter?
bool is_capitalised(std::string_view word);
/// The word with its first letter a capital.
std::string capitalise(std::string_view word);

}  // namespace findbuch::search

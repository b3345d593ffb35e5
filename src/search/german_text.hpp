#pragma once
// German text as search sees it: one spelling for what readers consider the same word. Umlauts
// and ß are spelt out (Müller = Mueller, Straße = Strasse) before the text reaches Xapian, on
// the indexing and on the query side alike; Xapian lower-cases (case stays, so that AND, OR and
// NOT keep their meaning in queries).
#include <string>
#include <string_view>

namespace findbuch::search {

/// Spells out ä ö ü ß as ae oe ue ss (Ä as Ae, …); other text passes unchanged.
std::string fold_german(std::string_view text);

/// Historical spellings brought to today's (Thür → Tür, Theil → Teil, Cöln → Köln, Meyer →
/// Meier), word by word, on folded text, on both sides: old and new spellings find each other.
/// The rules are a table (german_text.cpp). Words right before ':' (field names) are left alone.
std::string modern_spelling(std::string_view folded);

}  // namespace findbuch::search

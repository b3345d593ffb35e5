#include "search/german_text.hpp"

#include <xapian.h>

#include "search/language.hpp"

namespace findbuch::search {

std::string fold_german(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0xC3 && i + 1 < text.size()) {
      const char* spelt = nullptr;
      switch (static_cast<unsigned char>(text[i + 1])) {
        case 0x84:  // Ä
          spelt = "Ae";
          break;
        case 0xA4:  // ä
          spelt = "ae";
          break;
        case 0x96:  // Ö
          spelt = "Oe";
          break;
        case 0xB6:  // ö
          spelt = "oe";
          break;
        case 0x9C:  // Ü
          spelt = "Ue";
          break;
        case 0xBC:  // ü
          spelt = "ue";
          break;
        case 0x9F:  // ß
          spelt = "ss";
          break;
        default:
          break;
      }
      if (spelt != nullptr) {
        out += spelt;
        ++i;
        continue;
      }
    }
    out += static_cast<char>(c);
  }
  return out;
}

std::string modern_spelling(std::string_view folded) {
  return Language::builtin().modernise(folded, true);
}

std::vector<WordSpan> words_of(std::string_view text) {
  std::vector<WordSpan> out;
  bool in_word = false;
  for (Xapian::Utf8Iterator it(text.data(), text.size()), end; it != end; ++it) {
    const auto at = static_cast<std::size_t>(it.raw() - text.data());
    if (Xapian::Unicode::is_wordchar(*it)) {
      if (!in_word) out.push_back({at, at});
      in_word = true;
    } else if (in_word) {
      out.back().end = at;
      in_word = false;
    }
  }
  if (in_word) out.back().end = text.size();
  return out;
}

std::string lower_case(std::string_view text) {
  return Xapian::Unicode::tolower(std::string(text));
}

bool is_capitalised(std::string_view word) {
  const Xapian::Utf8Iterator it(word.data(), word.size());
  return it != Xapian::Utf8Iterator() &&
         Xapian::Unicode::get_category(*it) == Xapian::Unicode::UPPERCASE_LETTER;
}

std::string capitalise(std::string_view word) {
  Xapian::Utf8Iterator it(word.data(), word.size());
  if (it == Xapian::Utf8Iterator()) return std::string(word);
  std::string out;
  Xapian::Unicode::append_utf8(out, Xapian::Unicode::toupper(*it));
  ++it;
  out.append(it.raw(), it.left());
  return out;
}

}  // namespace findbuch::search

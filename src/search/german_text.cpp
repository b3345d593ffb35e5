#include "search/german_text.hpp"

#include <cstring>

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

namespace {

// Old spellings of the 19th century and before, as archives meet them: th for t (Thür, Theil,
// Rath), c for k before a, o, u, l, r (Cöln, Cassel, Clemens, Creis), ey for ei (Meyer, seyn).
// A rule matches lower-case letters; a capital first letter stays a capital.
struct SpellingRule {
  const char* old_form;
  const char* new_form;
  const char* before;  ///< the next letter must be one of these; nullptr: anything
};
constexpr SpellingRule kRules[] = {
    {"th", "t", nullptr},
    {"c", "k", "aoulr"},
    {"ey", "ei", nullptr},
};

bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (static_cast<unsigned char>(c) >= 0x80);
}

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

void modernise_word(std::string_view word, std::string& out) {
  for (std::size_t i = 0; i < word.size();) {
    const SpellingRule* hit = nullptr;
    for (const SpellingRule& r : kRules) {
      const std::size_t n = std::strlen(r.old_form);
      if (i + n > word.size()) continue;
      bool same = true;
      for (std::size_t k = 0; k < n && same; ++k) same = lower(word[i + k]) == r.old_form[k];
      if (!same) continue;
      if (r.before != nullptr &&
          (i + n >= word.size() || std::strchr(r.before, lower(word[i + n])) == nullptr)) {
        continue;
      }
      hit = &r;
      break;
    }
    if (hit == nullptr) {
      out += word[i++];
      continue;
    }
    const bool capital = word[i] >= 'A' && word[i] <= 'Z';
    std::string replacement = hit->new_form;
    if (capital) replacement[0] = static_cast<char>(replacement[0] - 'a' + 'A');
    out += replacement;
    i += std::strlen(hit->old_form);
  }
}

}  // namespace

std::string modern_spelling(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (!is_letter(text[i])) {
      out += text[i++];
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && is_letter(text[end])) ++end;
    const std::string_view word = text.substr(i, end - i);
    if (end < text.size() && text[end] == ':') {
      out += word;  // a field name: thema:, enthaelt:
    } else {
      // Until nothing changes: "Rathhaus" → "Rathaus" → "Rataus", as "Rathaus" itself becomes.
      std::string current(word), next;
      for (int pass = 0; pass < 4; ++pass) {
        next.clear();
        modernise_word(current, next);
        if (next == current) break;
        current.swap(next);
      }
      out += current;
    }
    i = end;
  }
  return out;
}

}  // namespace findbuch::search

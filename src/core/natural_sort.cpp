#include "core/natural_sort.hpp"

#include <algorithm>
#include <cstdio>

namespace findbuch {

// Key layout. The main part is a sequence of tokens:
//   whitespace run   -> ' '
//   digit run        -> '0', a length byte ('0' + number of significant digits, or 0x7F and 20
//                       decimal digits for absurdly long runs), then the digits without leading
//                       zeros
//   letter / other   -> the folded character
// '0' can only start a digit token, because every input digit is swallowed by a run, so two keys
// that agree up to a token boundary also agree on the token kind and byte-wise comparison of the
// length byte decides between numbers of different magnitude. If any run had leading zeros, a
// tail '\x01' + one byte per run with its zero count follows: it only ever breaks ties ("7" before
// "07"), since 0x01 never occurs in the main part. The key contains no NUL byte.

namespace {

constexpr size_t kShortRunLimit = 0x7E - '0';  // longest run whose length fits in one byte

bool is_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}
// Control characters count as whitespace so the key never holds bytes below ' ' in its main part.
bool is_space_like(unsigned char c) {
  return c <= ' ' || c == 0x7F;
}

bool starts_with_at(std::string_view s, size_t i, std::string_view what) {
  return s.size() - i >= what.size() && s.compare(i, what.size(), what) == 0;
}

// German letters folded to the ASCII letter they sort with; returns bytes consumed (0 = none).
size_t fold_german(std::string_view s, size_t i, std::string& out) {
  struct Fold {
    std::string_view utf8;
    std::string_view ascii;
  };
  static constexpr Fold kFolds[] = {
      {"\xC3\xA4", "a"}, {"\xC3\x84", "a"}, {"\xC3\xB6", "o"},  {"\xC3\x96", "o"},
      {"\xC3\xBC", "u"}, {"\xC3\x9C", "u"}, {"\xC3\x9F", "ss"}, {"\xE1\xBA\x9E", "ss"},
  };
  for (const Fold& f : kFolds) {
    if (starts_with_at(s, i, f.utf8)) {
      out += f.ascii;
      return f.utf8.size();
    }
  }
  return 0;
}

}  // namespace

std::string natural_sort_key(std::string_view text) {
  std::string key;
  key.reserve(text.size() + 8);
  std::string zero_counts;
  bool any_leading_zero = false;
  bool pending_space = false;
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (is_space_like(c)) {
      pending_space = !key.empty();
      ++i;
      continue;
    }
    if (pending_space) key += ' ';
    pending_space = false;
    if (is_digit(c)) {
      size_t start = i;
      while (i < text.size() && is_digit(static_cast<unsigned char>(text[i]))) ++i;
      size_t significant = start;
      while (significant < i && text[significant] == '0') ++significant;
      const size_t length = i - significant;
      const size_t zeros = significant - start;
      key += '0';
      if (length <= kShortRunLimit) {
        key += static_cast<char>('0' + length);
      } else {
        char buffer[24];
        std::snprintf(buffer, sizeof buffer, "%020zu", length);
        key += '\x7F';
        key += buffer;
      }
      key.append(text.substr(significant, length));
      zero_counts += static_cast<char>('0' + std::min(zeros, kShortRunLimit));
      if (zeros > 0) any_leading_zero = true;
      continue;
    }
    if (c >= 'A' && c <= 'Z') {
      key += static_cast<char>(c - 'A' + 'a');
      ++i;
      continue;
    }
    if (const size_t used = fold_german(text, i, key)) {
      i += used;
      continue;
    }
    key += static_cast<char>(c);
    ++i;
  }
  if (any_leading_zero) {
    key += '\x01';
    key += zero_counts;
  }
  return key;
}

bool natural_less(std::string_view a, std::string_view b) {
  return natural_sort_key(a) < natural_sort_key(b);
}

}  // namespace findbuch

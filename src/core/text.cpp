#include "core/text.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>

namespace findbuch {

namespace {

bool is_space(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    // Only BMP code points arise from Windows-1252.
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Windows-1252 differs from Latin-1 only in 0x80..0x9F; 0xFFFD marks its five unassigned bytes.
constexpr uint16_t kCp1252High[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  // 80-87
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,  // 88-8F
    0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 90-97
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,  // 98-9F
};

}  // namespace

bool is_valid_utf8(std::string_view bytes) {
  const size_t n = bytes.size();
  size_t i = 0;
  while (i < n) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    // The allowed range of the second byte rules out overlongs (E0, F0), surrogates (ED) and
    // code points above U+10FFFF (F4).
    unsigned char lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (n - i < len) return false;
    const auto second = static_cast<unsigned char>(bytes[i + 1]);
    if (second < lo || second > hi) return false;
    for (size_t k = 2; k < len; ++k) {
      const auto c = static_cast<unsigned char>(bytes[i + k]);
      if (c < 0x80 || c > 0xBF) return false;
    }
    i += len;
  }
  return true;
}

std::string cp1252_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 4);
  for (const char ch : bytes) {
    const auto b = static_cast<unsigned char>(ch);
    if (b < 0x80) {
      out += ch;
    } else if (b < 0xA0) {
      append_utf8(out, kCp1252High[b - 0x80]);
    } else {
      append_utf8(out, b);  // 0xA0..0xFF are the Latin-1 code points
    }
  }
  return out;
}

std::string normalize_space(std::string_view text) {
  // Most field texts are already normal: one scan, one copy.
  bool normal = text.empty() || (!is_space(text.front()) && !is_space(text.back()));
  for (std::size_t i = 0; normal && i < text.size(); ++i)
    if (is_space(text[i]) && (text[i] != ' ' || is_space(text[i + 1]))) normal = false;
  if (normal) return std::string(text);

  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (const char c : text) {
    if (is_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

std::string trim(std::string_view text) {
  size_t begin = 0, end = text.size();
  while (begin < end && is_space(text[begin])) ++begin;
  while (end > begin && is_space(text[end - 1])) --end;
  return std::string(text.substr(begin, end - begin));
}

std::vector<std::string> split_list(std::string_view text, char sep) {
  std::vector<std::string> pieces;
  size_t start = 0;
  while (start <= text.size()) {
    size_t stop = text.find(sep, start);
    if (stop == std::string_view::npos) stop = text.size();
    std::string piece = trim(text.substr(start, stop - start));
    if (!piece.empty()) pieces.push_back(std::move(piece));
    start = stop + 1;
  }
  return pieces;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

int edit_distance(std::string_view a, std::string_view b) {
  // Three rolling rows (two back for transpositions) keep memory linear in |b|.
  const size_t m = b.size();
  std::vector<int> before(m + 1), previous(m + 1), current(m + 1);
  for (size_t j = 0; j <= m; ++j) previous[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = static_cast<int>(i);
    for (size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int best = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        best = std::min(best, before[j - 2] + 1);
      current[j] = best;
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[m];
}

bool starts_with_word(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size() || text.compare(0, prefix.size(), prefix) != 0) return false;
  if (text.size() == prefix.size()) return true;
  const char next = text[prefix.size()];
  return next == ' ' || next == '/' || next == '.' || next == '-';
}

std::string nearest_match(std::string_view word, const std::vector<std::string>& candidates,
                          int max_distance) {
  const std::string wanted = ascii_lower(word);
  std::string best;
  int best_distance = max_distance + 1;
  for (const auto& candidate : candidates) {
    const int d = edit_distance(wanted, ascii_lower(candidate));
    if (d < best_distance) best_distance = d, best = candidate;
  }
  return best;
}

std::string url_slug(std::string_view text) {
  // Two-byte UTF-8 letters of Latin-1 (C3 xx): German ones spelt out, others by their base letter.
  static const std::pair<unsigned char, const char*> latin1[] = {
      {0x84, "Ae"}, {0x96, "Oe"}, {0x9C, "Ue"}, {0xA4, "ae"}, {0xB6, "oe"}, {0xBC, "ue"},
      {0x9F, "ss"}, {0x80, "A"},  {0x81, "A"},  {0x82, "A"},  {0x83, "A"},  {0x87, "C"},
      {0x88, "E"},  {0x89, "E"},  {0x8A, "E"},  {0x8B, "E"},  {0x8C, "I"},  {0x8D, "I"},
      {0x8E, "I"},  {0x8F, "I"},  {0x91, "N"},  {0x92, "O"},  {0x93, "O"},  {0x94, "O"},
      {0x99, "U"},  {0x9A, "U"},  {0x9B, "U"},  {0xA0, "a"},  {0xA1, "a"},  {0xA2, "a"},
      {0xA3, "a"},  {0xA7, "c"},  {0xA8, "e"},  {0xA9, "e"},  {0xAA, "e"},  {0xAB, "e"},
      {0xAC, "i"},  {0xAD, "i"},  {0xAE, "i"},  {0xAF, "i"},  {0xB1, "n"},  {0xB2, "o"},
      {0xB3, "o"},  {0xB4, "o"},  {0xB9, "u"},  {0xBA, "u"},  {0xBB, "u"}};
  std::string out;
  bool gap = false;
  const auto put = [&](std::string_view piece) {
    if (gap && !out.empty()) out += '-';
    gap = false;
    out += piece;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
      put(std::string_view(&text[i], 1));
      continue;
    }
    if (c == 0xC3 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      const auto* found = std::find_if(std::begin(latin1), std::end(latin1),
                                       [&](const auto& e) { return e.first == next; });
      if (found != std::end(latin1)) {
        put(found->second);
        ++i;
        continue;
      }
    }
    gap = true;
  }
  return out.empty() ? "x" : out;
}

}  // namespace findbuch

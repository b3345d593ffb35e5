#include "core/laufzeit.hpp"

#include <algorithm>
#include <cstdio>
#include <initializer_list>
#include <vector>

#include "core/text.hpp"

namespace findbuch {

namespace {

// ---------------------------------------------------------------------------------------------
// Tokens. Words are folded (ASCII lower case, ä→ae, ö→oe, ü→ue, ß→ss) so that "März", "Maerz"
// and "MÄRZ" meet in one table entry.

enum class Tok {
  kNum,
  kWord,
  kDot,
  kDash,
  kSlash,
  kComma,
  kSemicolon,
  kLBracket,
  kRBracket,
  kLParen,
  kRParen,
  kQuestion,
  kOther,
};

struct Token {
  Tok kind = Tok::kOther;
  bool space_before = false;
  std::string word;     // kWord only
  long long value = 0;  // kNum only; saturates far above any year
  size_t digits = 0;    // kNum only
};

constexpr long long kValueCap = 1'000'000'000'000LL;

bool starts_with_at(std::string_view s, size_t i, std::string_view what) {
  return s.size() - i >= what.size() && s.compare(i, what.size(), what) == 0;
}

// Multi-byte characters that are not letters: dashes of all kinds and non-breaking spaces.
enum class Special { kNone, kDash, kSpace };

Special special_at(std::string_view s, size_t i, size_t* length) {
  static constexpr std::string_view kDashes[] = {
      "\xE2\x80\x90",  // hyphen
      "\xE2\x80\x91",  // non-breaking hyphen
      "\xE2\x80\x92",  // figure dash
      "\xE2\x80\x93",  // en dash
      "\xE2\x80\x94",  // em dash
      "\xE2\x80\x95",  // horizontal bar
      "\xE2\x88\x92",  // minus sign
  };
  static constexpr std::string_view kSpaces[] = {
      "\xC2\xA0",      // no-break space
      "\xE2\x80\x89",  // thin space
      "\xE2\x80\xAF",  // narrow no-break space
  };
  for (std::string_view d : kDashes) {
    if (starts_with_at(s, i, d)) {
      *length = d.size();
      return Special::kDash;
    }
  }
  for (std::string_view sp : kSpaces) {
    if (starts_with_at(s, i, sp)) {
      *length = sp.size();
      return Special::kSpace;
    }
  }
  return Special::kNone;
}

bool is_ascii_space(unsigned char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}
bool is_ascii_alpha(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}

// Appends the folded form of the letter at s[i] and returns the bytes consumed; 0 if no letter.
size_t fold_letter(std::string_view s, size_t i, std::string& out) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (is_ascii_alpha(c)) {
    out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return 1;
  }
  if (c < 0x80) return 0;
  size_t special_length = 0;
  if (special_at(s, i, &special_length) != Special::kNone) return 0;
  struct Fold {
    std::string_view utf8;
    std::string_view ascii;
  };
  static constexpr Fold kFolds[] = {
      {"\xC3\xA4", "ae"}, {"\xC3\x84", "ae"}, {"\xC3\xB6", "oe"}, {"\xC3\x96", "oe"},
      {"\xC3\xBC", "ue"}, {"\xC3\x9C", "ue"}, {"\xC3\x9F", "ss"},
  };
  for (const Fold& f : kFolds) {
    if (starts_with_at(s, i, f.utf8)) {
      out += f.ascii;
      return f.utf8.size();
    }
  }
  // Any other non-ASCII byte becomes part of a word no table knows, so the text is rejected.
  out += static_cast<char>(c);
  return 1;
}

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> tokens;
  bool space = false;
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (is_ascii_space(c)) {
      space = true;
      ++i;
      continue;
    }
    Token t;
    t.space_before = space;
    space = false;
    size_t special_length = 0;
    const Special special = c >= 0x80 ? special_at(s, i, &special_length) : Special::kNone;
    if (special == Special::kSpace) {
      space = true;
      i += special_length;
      continue;
    }
    if (special == Special::kDash) {
      t.kind = Tok::kDash;
      i += special_length;
    } else if (is_digit(c)) {
      t.kind = Tok::kNum;
      while (i < s.size() && is_digit(static_cast<unsigned char>(s[i]))) {
        if (t.value < kValueCap) t.value = t.value * 10 + (s[i] - '0');
        ++t.digits;
        ++i;
      }
    } else if (size_t used = fold_letter(s, i, t.word)) {
      t.kind = Tok::kWord;
      i += used;
      while (i < s.size() && (used = fold_letter(s, i, t.word)) != 0) i += used;
    } else {
      switch (c) {
        case '.':
          t.kind = Tok::kDot;
          break;
        case '-':
          t.kind = Tok::kDash;
          break;
        case '/':
          t.kind = Tok::kSlash;
          break;
        case ',':
          t.kind = Tok::kComma;
          break;
        case ';':
          t.kind = Tok::kSemicolon;
          break;
        case '[':
          t.kind = Tok::kLBracket;
          break;
        case ']':
          t.kind = Tok::kRBracket;
          break;
        case '(':
          t.kind = Tok::kLParen;
          break;
        case ')':
          t.kind = Tok::kRParen;
          break;
        case '?':
          t.kind = Tok::kQuestion;
          break;
        default:
          t.kind = Tok::kOther;
          break;
      }
      ++i;
    }
    tokens.push_back(std::move(t));
  }
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Word tables.

bool word_in(std::string_view word, std::initializer_list<std::string_view> words) {
  for (std::string_view w : words)
    if (word == w) return true;
  return false;
}

int month_of(std::string_view word) {
  struct Month {
    std::string_view name;
    int month;
  };
  static constexpr Month kMonths[] = {
      {"januar", 1},   {"jan", 1},  {"jaenner", 1},   {"jaen", 1},  {"februar", 2},
      {"feb", 2},      {"febr", 2}, {"feber", 2},     {"maerz", 3}, {"maer", 3},
      {"marz", 3},     {"mrz", 3},  {"mar", 3},       {"april", 4}, {"apr", 4},
      {"mai", 5},      {"juni", 6}, {"jun", 6},       {"juli", 7},  {"jul", 7},
      {"august", 8},   {"aug", 8},  {"september", 9}, {"sep", 9},   {"sept", 9},
      {"oktober", 10}, {"okt", 10}, {"november", 11}, {"nov", 11},  {"dezember", 12},
      {"dez", 12},
  };
  for (const Month& m : kMonths)
    if (word == m.name) return m.month;
  return 0;
}

bool is_century_word(std::string_view word) {
  return word_in(word, {"jh", "jhd", "jhdt", "jhdts", "jhs", "jahrhundert", "jahrhunderts"});
}

bool is_approx_word(std::string_view word) {
  return word_in(word, {"ca", "circa", "zirka", "um", "etwa", "ungefaehr", "gegen"});
}

// Words that make a parenthesis a remark on the tradition of a charter, not part of its date:
// "1350 (Abschrift 16. Jh.)", "1412 (beglaubigte Kopie)".
bool is_remark_word(std::string_view word) {
  return word_in(
      word,
      {"abschrift",     "abschriften", "abschr",    "kopie",        "kopien",         "kop",
       "transsumpt",    "transsumpte", "transsumt", "vidimus",      "insert",         "inseriert",
       "konzept",       "konzepte",    "entwurf",   "ausfertigung", "ausfertigungen", "ausf",
       "original",      "orig",        "druck",     "abdruck",      "regest",         "fragment",
       "nachzeichnung", "faelschung"});
}

// Words that make a list part an addition to the main run: "Nachträge bis 1925",
// "Vorakten ab 1850".
bool is_extension_word(std::string_view word) {
  return word_in(word, {"nachtrag", "nachtraege", "nachtraegen", "nachtr", "vorakten", "vorakte"});
}

// ---------------------------------------------------------------------------------------------
// Spans: what one endpoint or one whole expression covers.

enum class Precision { kYear, kMonth, kDay, kCoarse };

struct Span {
  std::optional<Date> from;
  std::optional<Date> to;
  std::string from_normal;  // ISO form of `from` at the precision it was written with
  std::string to_normal;
  Precision precision = Precision::kCoarse;
  int year = 0;             // the written year when precision is kYear (before widening)
  int month = 0;            // the written month of a year-first date ("1412 März 3")
  bool year_first = false;  // written year first, as in charter regests ("1412 März 3")
  bool approximate = false;
  bool circa = false;      // led by "ca.", "um", …
  bool extension = false;  // "Nachträge bis 1925": only widens the other parts of a list
};

constexpr int kMinYear = 1;
constexpr int kMaxYear = 9999;
constexpr int kCircaYears = 5;

std::string year_normal(int year) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d", year);
  return buffer;
}

std::string month_normal(int year, int month) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d", year, month);
  return buffer;
}

bool year_ok(long long year) {
  return year >= kMinYear && year <= kMaxYear;
}

Span year_span(int first, int last, Precision precision) {
  Span s;
  s.from = Date{first, 1, 1};
  s.to = Date{last, 12, 31};
  s.from_normal = year_normal(first);
  s.to_normal = year_normal(last);
  s.precision = precision;
  s.year = first;
  return s;
}

Span month_span(int year, int first, int last, Precision precision) {
  Span s;
  s.from = Date{year, first, 1};
  s.to = Date{year, last, Date::days_in_month(year, last)};
  s.from_normal = month_normal(year, first);
  s.to_normal = month_normal(year, last);
  s.precision = precision;
  return s;
}

Span day_span(const Date& d) {
  Span s;
  s.from = d;
  s.to = d;
  s.from_normal = d.iso();
  s.to_normal = s.from_normal;
  s.precision = Precision::kDay;
  return s;
}

// "ca. 1900" covers 1895..1905: the writer only knew the year roughly.
void widen_start(Span& s) {
  if (s.precision != Precision::kYear || !s.from) return;
  const int y = std::max(kMinYear, s.from->year - kCircaYears);
  s.from = Date{y, 1, 1};
  s.from_normal = year_normal(y);
}

void widen_end(Span& s) {
  if (s.precision != Precision::kYear || !s.to) return;
  const int y = std::min(kMaxYear, s.to->year + kCircaYears);
  s.to = Date{y, 12, 31};
  s.to_normal = year_normal(y);
}

std::optional<Date> previous_day(const Date& d) {
  if (d.day > 1) return Date{d.year, d.month, d.day - 1};
  if (d.month > 1) return Date{d.year, d.month - 1, Date::days_in_month(d.year, d.month - 1)};
  if (d.year > kMinYear) return Date{d.year - 1, 12, 31};
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Recursive-descent parser over tokens[pos, end). Alternatives backtrack by restoring `pos`;
// `invalid` is set when text clearly meant a date that does not exist ("31.02.1901"), which
// must fail the whole expression rather than be read some other way.

class Parser {
 public:
  Parser(const std::vector<Token>& tokens, size_t begin, size_t end, bool* invalid)
      : tokens_(tokens), pos_(begin), end_(end), invalid_(invalid) {}

  bool at_end() const { return pos_ >= end_; }

  // A whole part: a single date, a range, or an open interval; must consume every token.
  std::optional<Span> expression() {
    if (auto open = open_interval()) return open;
    std::optional<Span> left = endpoint();
    if (!left) return std::nullopt;
    if (at_end()) return left;
    const Token* sep = peek();
    const bool is_sep = sep->kind == Tok::kDash || sep->kind == Tok::kSlash || is_word(0, "bis");
    if (!is_sep) return std::nullopt;
    ++pos_;
    if (at_end()) {
      // "1900-": still running.
      if (sep->kind != Tok::kDash) return std::nullopt;
      Span s = *left;
      s.to.reset();
      s.to_normal.clear();
      return s;
    }
    std::optional<Span> right = endpoint();
    if (!right && !invalid()) right = short_year(*left);
    if (!right && !invalid()) right = continuation(*left);
    if (!right || !at_end()) return std::nullopt;
    // A leading "ca." qualifies the whole range ("ca. 1890-1923").
    if (left->circa && !right->circa) widen_end(*right);
    Span s;
    s.from = left->from;
    s.from_normal = left->from_normal;
    s.to = right->to;
    s.to_normal = right->to_normal;
    s.approximate = left->approximate || right->approximate;
    // "1923-1890" is no range, also not inside a list ("1923-1890, 1950").
    if (s.from && s.to && *s.from > *s.to) return std::nullopt;
    return s;
  }

 private:
  const Token* peek(size_t k = 0) const { return pos_ + k < end_ ? &tokens_[pos_ + k] : nullptr; }
  bool is(size_t k, Tok kind) const {
    const Token* t = peek(k);
    return t != nullptr && t->kind == kind;
  }
  bool is_word(size_t k, std::string_view w) const {
    const Token* t = peek(k);
    return t != nullptr && t->kind == Tok::kWord && t->word == w;
  }
  // A number token with `min`..`max` digits.
  bool is_num(size_t k, size_t min, size_t max) const {
    const Token* t = peek(k);
    return t != nullptr && t->kind == Tok::kNum && t->digits >= min && t->digits <= max;
  }
  // Token k directly follows token k-1 without whitespace.
  bool glued(size_t k) const {
    const Token* t = peek(k);
    return t != nullptr && !t->space_before;
  }
  bool accept(Tok kind) {
    if (!is(0, kind)) return false;
    ++pos_;
    return true;
  }
  int num(size_t k) const { return static_cast<int>(tokens_[pos_ + k].value); }
  bool invalid() const { return *invalid_; }
  std::nullopt_t fail_invalid() {
    *invalid_ = true;
    return std::nullopt;
  }

  // A trailing "?" or "(?)": the writer doubted the date.
  bool accept_doubt() {
    if (accept(Tok::kQuestion)) return true;
    if (is(0, Tok::kLParen) && is(1, Tok::kQuestion) && is(2, Tok::kRParen)) {
      pos_ += 3;
      return true;
    }
    return false;
  }

  // "vor 1900", "nach 1900", "bis 1900", "ab 1900", "seit 1900".
  std::optional<Span> open_interval() {
    const Token* t = peek();
    if (t == nullptr || t->kind != Tok::kWord) return std::nullopt;
    const std::string& w = t->word;
    if (!word_in(w, {"vor", "nach", "bis", "ab", "seit"})) return std::nullopt;
    const size_t start = pos_;
    ++pos_;
    std::optional<Span> e = endpoint();
    if (!e || !at_end()) {
      pos_ = start;
      return std::nullopt;
    }
    Span s;
    s.approximate = e->approximate;
    if (w == "vor") {
      s.to = previous_day(*e->from);
      if (!s.to) return fail_invalid();
      s.to_normal = s.to->iso();
    } else if (w == "nach") {
      s.from = e->to->next_day();
      if (s.from->year > kMaxYear) return fail_invalid();
      s.from_normal = s.from->iso();
    } else if (w == "bis") {
      s.to = e->to;
      s.to_normal = e->to_normal;
    } else {
      s.from = e->from;
      s.from_normal = e->from_normal;
    }
    // The closed side keeps its ISO form for "…, Nachträge bis 1925"; the whole expression has
    // no @normal as long as one side stays open: EAD(DDB) does not accept open ISO intervals.
    return s;
  }

  // One date with its qualifiers: "[…]", "ca.", trailing "?" or "(?)".
  std::optional<Span> endpoint() {
    const size_t start = pos_;
    const bool bracket = accept(Tok::kLBracket);
    bool circa = false;
    if (peek() != nullptr && peek()->kind == Tok::kWord && is_approx_word(peek()->word)) {
      circa = true;
      ++pos_;
      accept(Tok::kDot);
    }
    std::optional<Span> s = bare_date();
    if (!s) {
      pos_ = start;
      return std::nullopt;
    }
    if (bracket && !accept(Tok::kRBracket)) {
      pos_ = start;
      return std::nullopt;
    }
    if (circa) {
      widen_start(*s);
      widen_end(*s);
      s->circa = true;
    }
    if (accept_doubt() || bracket || circa) s->approximate = true;
    return s;
  }

  std::optional<Span> bare_date() {
    if (invalid()) return std::nullopt;
    if (auto s = iso_date()) return s;
    if (invalid()) return std::nullopt;
    if (auto s = dotted_date()) return s;
    if (invalid()) return std::nullopt;
    if (auto s = named_month()) return s;
    if (invalid()) return std::nullopt;
    if (auto s = year_first()) return s;
    if (invalid()) return std::nullopt;
    if (auto s = season()) return s;
    if (auto s = century_range()) return s;
    if (auto s = century()) return s;
    if (auto s = decade()) return s;
    if (auto s = plain_year()) return s;
    return std::nullopt;
  }

  // "1901-03-12" and, when it cannot be a short range, "1950-06".
  std::optional<Span> iso_date() {
    if (!is_num(0, 4, 4) || !is(1, Tok::kDash) || !glued(1) || !is_num(2, 2, 2) || !glued(2))
      return std::nullopt;
    const int y = num(0), m = num(2);
    if (is(3, Tok::kDash) && glued(3) && is_num(4, 2, 2) && glued(4)) {
      const int d = num(4);
      pos_ += 5;
      if (!Date::valid(y, m, d)) return fail_invalid();
      return day_span(Date{y, m, d});
    }
    // "1914-18" is how archivists write 1914 to 1918; "YYYY-MM" is only read as a month when
    // the second number cannot be a later year of the same century.
    if (m <= y % 100 && m >= 1 && m <= 12 && year_ok(y)) {
      pos_ += 3;
      return month_span(y, m, m, Precision::kMonth);
    }
    return std::nullopt;
  }

  // "12.03.1901", "1.3.1901", "03.1901".
  std::optional<Span> dotted_date() {
    if (!is_num(0, 1, 2) || !is(1, Tok::kDot) || (!is_num(2, 1, 2) && !is_num(2, 4, 4)))
      return std::nullopt;
    if (is_num(2, 1, 2) && is(3, Tok::kDot) && is_num(4, 4, 4)) {
      const int d = num(0), m = num(2), y = num(4);
      pos_ += 5;
      if (!Date::valid(y, m, d)) return fail_invalid();
      return day_span(Date{y, m, d});
    }
    if (is_num(2, 4, 4)) {
      const int m = num(0), y = num(2);
      pos_ += 3;
      if (!Date::valid(y, m, 1)) return fail_invalid();
      return month_span(y, m, m, Precision::kMonth);
    }
    return std::nullopt;
  }

  // "März 1901", "Sept. 1901", "12. März 1901".
  std::optional<Span> named_month() {
    const size_t start = pos_;
    std::optional<int> day;
    if (is_num(0, 1, 2) && is(1, Tok::kDot) && is(2, Tok::kWord) && month_of(peek(2)->word)) {
      day = num(0);
      pos_ += 2;
    }
    if (!is(0, Tok::kWord)) return std::nullopt;
    const int month = month_of(peek()->word);
    if (month == 0) return std::nullopt;
    ++pos_;
    accept(Tok::kDot);
    if (!is_num(0, 3, 4)) {
      pos_ = start;
      return std::nullopt;
    }
    const int year = num(0);
    ++pos_;
    return month_or_day(year, month, day);
  }

  // A month name with optional dot and an optional day with optional dot: "März", "Mrz. 3",
  // "Sept 16.". Returns the month, or 0 with pos_ unchanged.
  int month_and_day(std::optional<int>* day) {
    day->reset();
    if (!is(0, Tok::kWord)) return 0;
    const int month = month_of(peek()->word);
    if (month == 0) return 0;
    ++pos_;
    accept(Tok::kDot);
    if (is_num(0, 1, 2)) {
      *day = num(0);
      ++pos_;
      accept(Tok::kDot);
    }
    return month;
  }

  // The day, or without one the month; a date that does not exist fails the whole text.
  std::optional<Span> month_or_day(int year, int month, std::optional<int> day) {
    if (day) {
      if (!Date::valid(year, month, *day)) return fail_invalid();
      return day_span(Date{year, month, *day});
    }
    if (!year_ok(year)) return fail_invalid();
    return month_span(year, month, month, Precision::kMonth);
  }

  // Charter regests write the year first: "1412 März 3", "1609 Sept. 16", "1350 Juni".
  std::optional<Span> year_first() {
    if (!is_num(0, 3, 4) || !is(1, Tok::kWord) || month_of(peek(1)->word) == 0) return std::nullopt;
    const int year = num(0);
    ++pos_;
    std::optional<int> day;
    const int month = month_and_day(&day);
    std::optional<Span> s = month_or_day(year, month, day);
    if (s) {
      s->year_first = true;
      s->year = year;
      s->month = month;
    }
    return s;
  }

  // The right side of "1412 März 3-5" and "1412 März 3 - Mai 1": a year-first date completed
  // from the left side's year (and month).
  std::optional<Span> continuation(const Span& left) {
    if (!left.year_first) return std::nullopt;
    std::optional<int> day;
    int month = 0;
    if (is_num(0, 1, 2)) {
      if (left.precision != Precision::kDay) return std::nullopt;
      month = left.month;
      day = num(0);
      ++pos_;
      accept(Tok::kDot);
    } else {
      month = month_and_day(&day);
      if (month == 0) return std::nullopt;
    }
    std::optional<Span> s = month_or_day(left.year, month, day);
    if (s && accept_doubt()) s->approximate = true;
    return s;
  }

  // "Frühjahr 1901", "Sommer 1901", "Herbst 1901" (winter spans two years and is not guessed).
  std::optional<Span> season() {
    if (!is(0, Tok::kWord) || !is_num(1, 3, 4)) return std::nullopt;
    const std::string& w = peek()->word;
    int first = 0;
    if (word_in(w, {"fruehjahr", "fruehling"}))
      first = 3;
    else if (w == "sommer")
      first = 6;
    else if (w == "herbst")
      first = 9;
    if (first == 0) return std::nullopt;
    const int year = num(1);
    if (!year_ok(year)) return std::nullopt;
    pos_ += 2;
    Span s = month_span(year, first, first + 2, Precision::kCoarse);
    s.approximate = true;
    return s;
  }

  // Ordinal before "Hälfte"/"Drittel"/"Viertel": "1." or "erste", "letztes", …; 0 if none.
  // `last` receives true for "letzte".
  int ordinal(bool* last) {
    *last = false;
    if (is_num(0, 1, 1) && is(1, Tok::kDot)) {
      const int n = num(0);
      pos_ += 2;
      return n;
    }
    if (!is(0, Tok::kWord)) return 0;
    const std::string& w = peek()->word;
    int n = 0;
    if (word_in(w, {"erste", "ersten", "erstes", "erster"}))
      n = 1;
    else if (word_in(w, {"zweite", "zweiten", "zweites", "zweiter"}))
      n = 2;
    else if (word_in(w, {"dritte", "dritten", "drittes", "dritter"}))
      n = 3;
    else if (word_in(w, {"vierte", "vierten", "viertes", "vierter"}))
      n = 4;
    else if (word_in(w, {"letzte", "letzten", "letztes", "letzter"}))
      n = -1;
    *last = n == -1;
    if (n != 0) ++pos_;
    return n;
  }

  static constexpr int kThirds[4] = {0, 33, 67, 100};

  // Part of a century in years 0..99: "Anfang", "Mitte", "Ende", "1. Hälfte", "letztes Viertel".
  bool century_part(int* lo, int* hi) {
    const size_t start = pos_;
    if (is(0, Tok::kWord)) {
      // Thirds, as archivists read "Anfang/Mitte/Ende": 0-32, 33-66, 67-99.
      const std::string& w = peek()->word;
      int third = 0;
      if (word_in(w, {"anfang", "beginn", "fruehes", "fruehe", "frueher"}))
        third = 1;
      else if (w == "mitte")
        third = 2;
      else if (word_in(w, {"ende", "spaetes", "spaete", "spaeter"}))
        third = 3;
      if (third != 0) {
        ++pos_;
        *lo = kThirds[third - 1];
        *hi = kThirds[third] - 1;
        return true;
      }
    }
    bool last = false;
    const int n = ordinal(&last);
    if (n != 0 && is(0, Tok::kWord)) {
      const std::string& w = peek()->word;
      int parts = 0;
      if (w == "haelfte")
        parts = 2;
      else if (w == "drittel")
        parts = 3;
      else if (w == "viertel")
        parts = 4;
      const int index = last ? parts : n;
      if (parts != 0 && index >= 1 && index <= parts) {
        ++pos_;
        // Halves and quarters split evenly; thirds as above.
        *lo = parts == 3 ? kThirds[index - 1] : (index - 1) * 100 / parts;
        *hi = (parts == 3 ? kThirds[index] : index * 100 / parts) - 1;
        return true;
      }
    }
    pos_ = start;
    return false;
  }

  // "19. Jh.", "19. Jahrhundert", "Mitte des 19. Jhdt.", "1. Hälfte 19. Jh.".
  std::optional<Span> century() {
    const size_t start = pos_;
    int lo = 0, hi = 99;
    if (century_part(&lo, &hi)) {
      if (is_word(0, "des")) ++pos_;
    }
    if (!is_num(0, 1, 2)) {
      pos_ = start;
      return std::nullopt;
    }
    const int c = num(0);
    size_t k = 1;
    if (is(k, Tok::kDot)) ++k;
    if (!is(k, Tok::kWord) || !is_century_word(peek(k)->word) || c < 1) {
      pos_ = start;
      return std::nullopt;
    }
    pos_ += k + 1;
    accept(Tok::kDot);
    const int base = (c - 1) * 100;
    Span s = year_span(std::max(kMinYear, base + lo), base + hi, Precision::kCoarse);
    s.approximate = true;
    return s;
  }

  // "18.-19. Jh.": the century word is written once, after the second number.
  std::optional<Span> century_range() {
    if (!is_num(0, 1, 2) || !is(1, Tok::kDot)) return std::nullopt;
    if (!is(2, Tok::kDash) && !is_word(2, "bis")) return std::nullopt;
    if (!is_num(3, 1, 2)) return std::nullopt;
    size_t k = 4;
    if (is(k, Tok::kDot)) ++k;
    if (!is(k, Tok::kWord) || !is_century_word(peek(k)->word)) return std::nullopt;
    const int first = num(0), last = num(3);
    if (first < 1 || last < first) return std::nullopt;
    pos_ += k + 1;
    accept(Tok::kDot);
    Span s =
        year_span(std::max(kMinYear, (first - 1) * 100), (last - 1) * 100 + 99, Precision::kCoarse);
    s.approximate = true;
    return s;
  }

  // "1920er", "1920er Jahre", "1920er-Jahre".
  std::optional<Span> decade() {
    if (!is_num(0, 3, 4) || !is_word(1, "er") || !glued(1)) return std::nullopt;
    const int y = num(0);
    if (y % 10 != 0 || !year_ok(y)) return std::nullopt;
    pos_ += 2;
    if (is(0, Tok::kDash) && glued(0) && (is_word(1, "jahre") || is_word(1, "jahren"))) {
      pos_ += 2;
    } else if (is_word(0, "jahre") || is_word(0, "jahren")) {
      ++pos_;
    }
    Span s = year_span(y, y + 9, Precision::kCoarse);
    s.approximate = true;
    return s;
  }

  std::optional<Span> plain_year() {
    if (!is_num(0, 3, 4)) return std::nullopt;
    const int y = num(0);
    ++pos_;
    if (!year_ok(y)) return fail_invalid();
    return year_span(y, y, Precision::kYear);
  }

  // The right side of "1914-18": two digits completing the left year's century.
  std::optional<Span> short_year(const Span& left) {
    if (left.precision != Precision::kYear || !is_num(0, 2, 2)) return std::nullopt;
    const int y = left.year / 100 * 100 + num(0);
    if (y <= left.year) return std::nullopt;
    ++pos_;
    Span s = year_span(y, y, Precision::kYear);
    if (accept_doubt()) s.approximate = true;
    return s;
  }

  const std::vector<Token>& tokens_;
  size_t pos_;
  size_t end_;
  bool* invalid_;
};

// Undated markers: "o.D.", "o. J.", "ohne Datum", "undatiert", "s.d.", "sine dato", "n.d.".
// Returns the index after the marker, or `begin` when there is none.
size_t match_undated(const std::vector<Token>& tokens, size_t begin, size_t end) {
  static const std::vector<std::vector<std::string_view>> kMarkers = {
      {"o", "d"},    {"o", "dat"}, {"o", "j"}, {"ohne", "datum"}, {"ohne", "jahr"}, {"ohne", "dat"},
      {"undatiert"}, {"undat"},    {"s", "d"}, {"sine", "dato"},  {"sine", "anno"}, {"n", "d"},
  };
  size_t best = begin;
  for (const auto& marker : kMarkers) {
    size_t i = begin;
    bool matched = true;
    for (std::string_view w : marker) {
      if (i >= end || tokens[i].kind != Tok::kWord || tokens[i].word != w) {
        matched = false;
        break;
      }
      ++i;
      if (i < end && tokens[i].kind == Tok::kDot) ++i;
    }
    if (matched && i > best) best = i;
  }
  return best;
}

// Index of the ']' matching the '[' at `open`, or `end`.
size_t matching_bracket(const std::vector<Token>& tokens, size_t open, size_t end) {
  int depth = 0;
  for (size_t i = open; i < end; ++i) {
    if (tokens[i].kind == Tok::kLBracket) ++depth;
    if (tokens[i].kind == Tok::kRBracket && --depth == 0) return i;
  }
  return end;
}

bool wrapped_in_brackets(const std::vector<Token>& tokens, size_t begin, size_t end) {
  return end - begin >= 2 && tokens[begin].kind == Tok::kLBracket &&
         matching_bracket(tokens, begin, end) == end - 1;
}

// Index of the '(' matching the ')' at `close`, or `close` itself when there is none.
size_t matching_paren(const std::vector<Token>& tokens, size_t begin, size_t close) {
  int depth = 0;
  for (size_t i = close + 1; i-- > begin;) {
    if (tokens[i].kind == Tok::kRParen) ++depth;
    if (tokens[i].kind == Tok::kLParen && --depth == 0) return i;
  }
  return close;
}

// Drops trailing remarks on the tradition ("1350 (Abschrift 16. Jh.)"); returns the new end.
// A remark alone is left in place, so that it is not mistaken for an empty text.
size_t strip_remarks(const std::vector<Token>& tokens, size_t begin, size_t end) {
  while (end - begin >= 3 && tokens[end - 1].kind == Tok::kRParen) {
    const size_t open = matching_paren(tokens, begin, end - 1);
    if (open == end - 1 || open == begin) break;
    bool remark = false;
    for (size_t i = open + 1; i < end - 1; ++i)
      if (tokens[i].kind == Tok::kWord && is_remark_word(tokens[i].word)) remark = true;
    if (!remark) break;
    end = open;
  }
  return end;
}

// The start of the date after "Nachträge", "mit Nachträgen", "Vorakten" …; `begin` if none.
size_t skip_extension_words(const std::vector<Token>& tokens, size_t begin, size_t end) {
  size_t i = begin;
  if (i < end && tokens[i].kind == Tok::kWord && tokens[i].word == "mit") ++i;
  if (i >= end || tokens[i].kind != Tok::kWord || !is_extension_word(tokens[i].word)) return begin;
  ++i;
  if (i < end && tokens[i].kind == Tok::kDot) ++i;
  return i;
}

// One list element without remarks or "Nachträge"; "[1890-1923]" is an inferred range.
std::optional<Span> parse_plain_part(const std::vector<Token>& tokens, size_t begin, size_t end,
                                     bool* invalid) {
  {
    Parser p(tokens, begin, end, invalid);
    std::optional<Span> s = p.expression();
    if (s && p.at_end()) return s;
  }
  if (*invalid || !wrapped_in_brackets(tokens, begin, end)) return std::nullopt;
  Parser p(tokens, begin + 1, end - 1, invalid);
  std::optional<Span> s = p.expression();
  if (!s || !p.at_end()) return std::nullopt;
  s->approximate = true;
  return s;
}

// One list element: "1901", "1350 (Abschrift 16. Jh.)", "Nachträge bis 1925".
std::optional<Span> parse_part(const std::vector<Token>& tokens, size_t begin, size_t end,
                               bool* invalid) {
  end = strip_remarks(tokens, begin, end);
  const size_t after_extension = skip_extension_words(tokens, begin, end);
  const bool extension = after_extension != begin;
  begin = after_extension;
  if (begin >= end) return std::nullopt;
  std::optional<Span> s = parse_plain_part(tokens, begin, end, invalid);
  if (s) s->extension = extension;
  return s;
}

bool is_list_separator(const std::vector<Token>& tokens, size_t i, size_t end, size_t* width) {
  const Token& t = tokens[i];
  *width = 1;
  if (t.kind == Tok::kComma || t.kind == Tok::kSemicolon) return true;
  if (t.kind != Tok::kWord) return false;
  if (t.word == "und") return true;
  if (t.word == "u") {
    if (i + 1 < end && tokens[i + 1].kind == Tok::kDot) *width = 2;
    return true;
  }
  return false;
}

// Folds the parts of "1901, 1905-1907" into one covering span.
void merge_into(Span& total, const Span& part, bool first) {
  total.approximate = total.approximate || part.approximate;
  if (first) {
    total.from = part.from;
    total.to = part.to;
    total.from_normal = part.from_normal;
    total.to_normal = part.to_normal;
    return;
  }
  // An open start or end anywhere leaves the whole open on that side.
  if (!part.from || !total.from) {
    total.from.reset();
  } else if (*part.from < *total.from) {
    total.from = part.from;
    total.from_normal = part.from_normal;
  }
  if (!part.to || !total.to) {
    total.to.reset();
  } else if (*part.to > *total.to) {
    total.to = part.to;
    total.to_normal = part.to_normal;
  }
}

// Widens `total` by an addition such as "Nachträge bis 1925": a side the addition leaves open
// says nothing about the whole, and an open side of the whole stays open.
void extend_with(Span& total, const Span& part) {
  total.approximate = total.approximate || part.approximate;
  if (part.from && total.from && *part.from < *total.from) {
    total.from = part.from;
    total.from_normal = part.from_normal;
  }
  if (part.to && total.to && *part.to > *total.to) {
    total.to = part.to;
    total.to_normal = part.to_normal;
  }
}

// "Nachträge" or "mit Nachträgen" at `i` begins a new list part even without a comma
// ("1583-1593 mit Nachträgen bis 1596").
bool starts_extension(const std::vector<Token>& tokens, size_t i, size_t end) {
  if (skip_extension_words(tokens, i, end) == i) return false;
  return i == 0 || tokens[i - 1].kind != Tok::kWord || tokens[i - 1].word != "mit";
}

// Parses a whole token list into one span; nullopt when any part is unreadable.
std::optional<Span> parse_tokens(const std::vector<Token>& tokens, size_t begin, size_t end) {
  bool invalid = false;
  std::vector<Span> parts;
  size_t part_begin = begin;
  int brackets = 0;
  int parens = 0;
  for (size_t i = begin; i <= end; ++i) {
    size_t width = 1;
    if (i < end) {
      if (tokens[i].kind == Tok::kLBracket) ++brackets;
      if (tokens[i].kind == Tok::kRBracket) --brackets;
      if (tokens[i].kind == Tok::kLParen) ++parens;
      if (tokens[i].kind == Tok::kRParen) --parens;
      if (brackets != 0 || parens != 0) continue;
      if (i > part_begin && starts_extension(tokens, i, end)) {
        width = 0;
      } else if (!is_list_separator(tokens, i, end, &width)) {
        continue;
      }
    }
    if (i > part_begin) {
      std::optional<Span> part = parse_part(tokens, part_begin, i, &invalid);
      if (!part) return std::nullopt;
      parts.push_back(std::move(*part));
    } else if (i < end || !parts.empty()) {
      // "1901,,1905" or a leading/trailing separator: not a date list someone meant.
      return std::nullopt;
    }
    part_begin = i + width;
    if (width > 0) i += width - 1;
  }
  // Additions only widen the main dates; alone ("Nachträge bis 1925") they are the dates.
  const bool has_main =
      std::any_of(parts.begin(), parts.end(), [](const Span& part) { return !part.extension; });
  Span total;
  bool first = true;
  for (const Span& part : parts) {
    if (has_main && part.extension) continue;
    merge_into(total, part, first);
    first = false;
  }
  if (first) return std::nullopt;
  for (const Span& part : parts)
    if (has_main && part.extension) extend_with(total, part);
  return total;
}

}  // namespace

Laufzeit parse_laufzeit(std::string_view text, bool* ok) {
  Laufzeit result;
  result.text = trim(text);
  bool success = false;
  const std::vector<Token> tokens = tokenize(result.text);
  // "o.D. (Abschrift)": a remark on the tradition of the whole is no part of its date.
  const size_t content_end = strip_remarks(tokens, 0, tokens.size());
  // "[o.D.]" and "[1901, 1905]": peel the brackets once, then read the inside.
  const bool inferred = wrapped_in_brackets(tokens, 0, content_end);
  const size_t begin = inferred ? 1 : 0;
  const size_t end = inferred ? content_end - 1 : content_end;
  const size_t after_undated = match_undated(tokens, begin, end);
  if (tokens.empty()) {
    success = true;  // nothing written is nothing to complain about
  } else if (begin == end) {
    success = false;  // "[]"
  } else if (after_undated == end) {
    result.undated = true;
    success = true;
  } else {
    // "o.D. [um 1900]": undated in the source, dated by the archivist.
    const bool dated_by_archivist = after_undated != begin;
    const std::optional<Span> span = parse_tokens(tokens, after_undated, end);
    if (span && (!span->from || !span->to || *span->from <= *span->to)) {
      result.from = span->from;
      result.to = span->to;
      result.approximate = span->approximate || inferred || dated_by_archivist;
      if (span->from && span->to) {
        result.normal = span->from_normal == span->to_normal
                            ? span->from_normal
                            : span->from_normal + "/" + span->to_normal;
      }
      success = true;
    }
  }
  if (ok != nullptr) *ok = success;
  return result;
}

namespace {

// One side of an ISO interval: "YYYY", "YYYY-MM" or "YYYY-MM-DD", as its first and last day.
bool parse_normal_side(std::string_view s, Date* first, Date* last) {
  auto digits = [&](size_t pos, size_t count, int* out) {
    int v = 0;
    for (size_t i = pos; i < pos + count; ++i) {
      if (!is_digit(static_cast<unsigned char>(s[i]))) return false;
      v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
  };
  int y = 0, m = 0, d = 0;
  if (s.size() == 4) {
    if (!digits(0, 4, &y) || !year_ok(y)) return false;
    *first = Date{y, 1, 1};
    *last = Date{y, 12, 31};
    return true;
  }
  if (s.size() == 7) {
    if (s[4] != '-' || !digits(0, 4, &y) || !digits(5, 2, &m) || !Date::valid(y, m, 1))
      return false;
    *first = Date{y, m, 1};
    *last = Date{y, m, Date::days_in_month(y, m)};
    return true;
  }
  if (s.size() == 10) {
    if (s[4] != '-' || s[7] != '-' || !digits(0, 4, &y) || !digits(5, 2, &m) || !digits(8, 2, &d) ||
        !Date::valid(y, m, d))
      return false;
    *first = *last = Date{y, m, d};
    return true;
  }
  return false;
}

}  // namespace

std::optional<Laufzeit> laufzeit_from_normal(std::string_view normal, std::string_view text) {
  const std::string trimmed = trim(normal);
  const std::string_view n = trimmed;
  const size_t slash = n.find('/');
  const std::string_view left = n.substr(0, slash);
  const std::string_view right = slash == std::string_view::npos ? left : n.substr(slash + 1);
  Date from, unused, to;
  if (!parse_normal_side(left, &from, &unused) || !parse_normal_side(right, &unused, &to))
    return std::nullopt;
  if (from > to) return std::nullopt;
  Laufzeit result;
  result.text = std::string(text);
  result.normal = std::string(normal);
  result.from = from;
  result.to = to;
  // The interval comes from @normal, but "ca." or "[…]" in the text still mark it approximate.
  // Plain numeric text ("1890-1923", "12.03.1901") cannot, and is most of a finding aid.
  const bool plain = text.find_first_not_of("0123456789-./, ") == std::string_view::npos;
  if (!plain) {
    bool ok = false;
    const Laufzeit from_text = parse_laufzeit(text, &ok);
    result.approximate = ok && from_text.approximate;
  }
  return result;
}

}  // namespace findbuch

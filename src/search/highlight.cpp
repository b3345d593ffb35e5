#include "search/highlight.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "search/field_map.hpp"
#include "search/german_text.hpp"

namespace findbuch::search {

namespace {

struct Token {
  WordSpan span;
  bool marked = false;
};

bool is_marked(const std::string& word, const Marks& marks, const Xapian::Stem& stem) {
  if (marks.exact.count(word) != 0) return true;
  if (!marks.stems.empty() && marks.stems.count(stem(word)) != 0) return true;
  return std::any_of(marks.roots.begin(), marks.roots.end(),
                     [&](const std::string& root) { return word.rfind(root, 0) == 0; });
}

// The words of `text`, each normalised as the index has it and checked against the marks.
std::vector<Token> marked_words(std::string_view text, const Marks& marks,
                                const Language& language) {
  const Xapian::Stem stem(kStemmer);
  std::vector<Token> tokens;
  std::vector<std::string> words;
  for (const WordSpan& w : words_of(text)) {
    words.push_back(language.exact_word(w.of(text)));
    tokens.push_back({w, is_marked(words.back(), marks, stem)});
  }
  for (const auto& phrase : marks.phrases) {
    for (std::size_t i = 0; i + phrase.size() <= words.size(); ++i) {
      if (!std::equal(phrase.begin(), phrase.end(), words.begin() + static_cast<long>(i))) {
        continue;
      }
      for (std::size_t k = 0; k < phrase.size(); ++k) tokens[i + k].marked = true;
    }
  }
  return tokens;
}

// The first token of the window of `length` bytes with the most marked words (0 when none is).
std::size_t best_start(const std::vector<Token>& tokens, std::size_t length) {
  std::size_t best = 0, best_count = 0, count = 0, end = 0;
  for (std::size_t start = 0; start < tokens.size(); ++start) {
    if (end < start) {
      end = start;
      count = 0;
    }
    while (end < tokens.size() && tokens[end].span.end - tokens[start].span.begin <= length) {
      count += tokens[end++].marked ? 1 : 0;
    }
    if (count > best_count) {
      best_count = count;
      best = start;
    }
    if (end > start && tokens[start].marked) --count;
  }
  return best;
}

// A few words of context before the first mark, as long as every mark stays in the window.
std::size_t with_context(const std::vector<Token>& tokens, std::size_t start, std::size_t length) {
  std::size_t last_mark_end = tokens[start].span.end;
  for (std::size_t i = start; i < tokens.size(); ++i) {
    if (tokens[i].span.end - tokens[start].span.begin > length) break;
    if (tokens[i].marked) last_mark_end = tokens[i].span.end;
  }
  std::size_t first = start;
  while (first > 0 && start - first < 3 && last_mark_end - tokens[first - 1].span.begin <= length) {
    --first;
  }
  return first;
}

// The form of `word` (an exact term) that a document containing it writes: umlauts and ß
// back; for an old spelling ("Thür" for "tuer") today's, keeping its umlauts. Lower case.
std::string natural_form(const Xapian::Database& db, const Language& language,
                         const std::string& word) {
  constexpr int kDocuments = 10;  // one usually has it; a few more for words written both ways
  std::string best = word;
  int seen = 0;
  for (auto p = db.postlist_begin(word); p != db.postlist_end(word) && seen < kDocuments;
       ++p, ++seen) {
    const auto data = nlohmann::json::parse(db.get_document(*p).get_data());
    for (const auto& form : data.value("forms", std::vector<std::string>{})) {
      if (lower_case(fold_german(form)) == word) return lower_case(form);
      const std::string modern = lower_case(language.modernise(form, false));
      if (language.exact_word(modern) == word) best = modern;
    }
  }
  return best;
}

}  // namespace

void Marks::add_term(std::string_view term) {
  if (term.rfind(kPhraseSynonymPrefix, 0) == 0) {
    phrases.emplace_back();
    const std::string_view words = term.substr(kPhraseSynonymPrefix.size());
    for (const WordSpan& w : words_of(words)) phrases.back().emplace_back(w.of(words));
    return;
  }
  const bool stemmed = !term.empty() && term[0] == 'Z';
  std::size_t i = stemmed ? 1 : 0;
  while (i < term.size() && term[i] >= 'A' && term[i] <= 'Z') ++i;  // the field prefix
  if (i == term.size()) return;
  const std::string word(term.substr(i));
  if (stemmed) {
    stems.insert(word);
  } else if (std::none_of(phrases.begin(), phrases.end(), [&](const auto& phrase) {
               return std::find(phrase.begin(), phrase.end(), word) != phrase.end();
             })) {
    exact.insert(word);
  }
}

Marks query_marks(std::string_view query) {
  Marks marks;
  bool quoted = false;
  bool field_value = false;  // quoted after "name:" (bestand:"…", signatur:"…"): no text
  for (std::size_t i = 0, start = 0; i <= query.size(); ++i) {
    if (i < query.size() && query[i] != '"') continue;
    const std::string_view part = query.substr(start, i - start);
    const std::vector<WordSpan> words = field_value ? std::vector<WordSpan>{} : words_of(part);
    if (quoted && words.size() > 1) {
      marks.phrases.emplace_back();
      for (const WordSpan& w : words) marks.phrases.back().push_back(lower_case(w.of(part)));
    }
    for (const WordSpan& w : words) {
      if (w.end < part.size() && part[w.end] == '*') marks.roots.push_back(lower_case(w.of(part)));
    }
    quoted = !quoted;  // an unclosed quote runs to the end, as for Xapian
    field_value = quoted && i > 0 && query[i - 1] == ':';
    start = i + 1;
  }
  return marks;
}

std::string snippet(std::string_view text, const Marks& marks, const Language& language,
                    std::size_t length) {
  const std::vector<Token> tokens = marked_words(text, marks, language);
  if (tokens.empty()) return text.size() <= length ? std::string(text) : std::string();
  const std::size_t first = with_context(tokens, best_start(tokens, length), length);
  const std::size_t from = first == 0 ? 0 : tokens[first].span.begin;
  std::size_t last = first;
  while (last + 1 < tokens.size() && tokens[last + 1].span.end - from <= length) ++last;
  std::size_t to = tokens[last].span.end;
  if (last + 1 == tokens.size() && text.size() - from <= length) to = text.size();

  std::string out = from > 0 ? "…" : "";
  std::size_t at = from;
  for (std::size_t i = first; i <= last; ++i) {
    const WordSpan& w = tokens[i].span;
    out.append(text.substr(at, w.begin - at));
    out.append(tokens[i].marked ? "«" : "").append(w.of(text)).append(tokens[i].marked ? "»" : "");
    at = w.end;
  }
  out.append(text.substr(at, to - at));
  if (to < text.size()) out += "…";
  return out;
}

std::string in_readers_terms(const Xapian::Database& db, const Language& language,
                             std::string_view typed, std::string_view normalised,
                             std::string_view corrected) {
  const std::vector<WordSpan> mine = words_of(typed);
  const std::vector<WordSpan> before = words_of(normalised);
  const std::vector<WordSpan> after = words_of(corrected);
  if (mine.size() != before.size() || before.size() != after.size()) {
    return std::string(corrected);
  }
  std::string out(typed);
  for (std::size_t i = after.size(); i-- > 0;) {  // from the back: earlier offsets stay valid
    const std::string word = lower_case(after[i].of(corrected));
    if (word == lower_case(before[i].of(normalised))) continue;
    const std::string natural = natural_form(db, language, word);
    out.replace(mine[i].begin, mine[i].end - mine[i].begin,
                is_capitalised(mine[i].of(typed)) ? capitalise(natural) : natural);
  }
  return out;
}

}  // namespace findbuch::search

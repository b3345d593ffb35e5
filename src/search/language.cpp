#include "search/language.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "core/error.hpp"
#include "core/sha256.hpp"
#include "core/text.hpp"
#include "search/field_map.hpp"
#include "search/german_text.hpp"
#include "search/language_data.hpp"

namespace findbuch::search {

namespace fs = std::filesystem;

namespace {

// Bumped whenever the meaning of the data or what the index makes of it (the terms
// DocumentBuilder writes) changes: an index of another version is rebuilt.
constexpr const char* kVersion = "german-4";
constexpr const char* kFingerprintKey = "language";
constexpr const char* kSpellingsKey = "language:spellings";
constexpr const char* kSynonymsKey = "language:synonyms";
// "Rathhaus" needs two passes (→ "Rathaus" → "Rataus"); rules that undo each other stop here.
constexpr int kMaxPasses = 4;
// Far below Xapian's term limit (245 bytes), with a field prefix and "Z" added.
constexpr std::size_t kMaxEntryBytes = 120;

// Words for the rules are runs of letters, bytes of UTF-8 sequences counting as letters: cheap,
// and enough on folded text.
bool is_letter_byte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (static_cast<unsigned char>(c) >= 0x80);
}

char lower_byte(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_upper_byte(char c) {
  return c >= 'A' && c <= 'Z';
}

bool is_unicode_letter(unsigned ch) {
  switch (Xapian::Unicode::get_category(ch)) {
    case Xapian::Unicode::UPPERCASE_LETTER:
    case Xapian::Unicode::LOWERCASE_LETTER:
    case Xapian::Unicode::TITLECASE_LETTER:
    case Xapian::Unicode::MODIFIER_LETTER:
    case Xapian::Unicode::OTHER_LETTER:
      return true;
    default:
      return false;
  }
}

/// One word of letters only (what rules and word mappings are made of).
bool is_letters(std::string_view word) {
  if (word.empty()) return false;
  for (Xapian::Utf8Iterator it(word.data(), word.size()), end; it != end; ++it) {
    if (!is_unicode_letter(*it)) return false;
  }
  return true;
}

/// Words of letters and digits separated by single spaces (a synonym entry).
bool is_entry(std::string_view entry) {
  for (Xapian::Utf8Iterator it(entry.data(), entry.size()), end; it != end; ++it) {
    if (*it != ' ' && !Xapian::Unicode::is_wordchar(*it)) return false;
  }
  return !entry.empty();
}

std::vector<std::string> split_spaces(std::string_view text) {
  std::vector<std::string> out;
  std::istringstream in{std::string(text)};
  for (std::string word; in >> word;) out.push_back(word);
  return out;
}

std::string join(const std::vector<std::string>& words, std::string_view sep) {
  std::string out;
  for (const auto& w : words) out.append(out.empty() ? "" : sep).append(w);
  return out;
}

[[noreturn]] void bad_line(const std::string& source, int line, const std::string& what) {
  throw InputError(source + ":" + std::to_string(line) + ": " + what);
}

// Calls each(line, number) for every line that is not blank once its comment is gone.
template <typename Each>
void for_each_line(std::string_view text, Each each) {
  int number = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++number;
    const std::string content = trim(line.substr(0, line.find('#')));
    if (!content.empty()) each(content, number);
  }
}

std::optional<std::string> read_if_present(const fs::path& file) {
  std::error_code ec;
  if (!fs::exists(file, ec)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in && !in.eof()) throw EnvironmentError(file.string() + ": cannot read");
  if (!is_valid_utf8(out)) throw InputError(file.string() + ": not UTF-8 text");
  if (out.rfind("\xEF\xBB\xBF", 0) == 0) out.erase(0, 3);  // a byte order mark
  return out;
}

bool is_field_name(std::string_view word) {
  const std::string name = ascii_lower(word);
  if (name == kSignaturFieldName) return true;
  for (const FieldMapping& m : field_mappings()) {
    if (!m.query_name.empty() && m.query_name == name) return true;
  }
  return false;
}

// Where the values of `signatur:` are in a query: [begin, end) of each, quoted or up to the
// next space or ')'.
std::vector<std::pair<std::size_t, std::size_t>> signatur_values(std::string_view query) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  const std::size_t name = kSignaturFieldName.size();
  for (std::size_t i = 0; i + name < query.size(); ++i) {
    if (query[i + name] != ':' || (i > 0 && is_letter_byte(query[i - 1])) ||
        ascii_lower(query.substr(i, name)) != kSignaturFieldName) {
      continue;
    }
    const std::size_t begin = i + name + 1;
    std::size_t end = begin;
    if (end < query.size() && query[end] == '"') {
      end = query.find('"', end + 1);
      end = end == std::string_view::npos ? query.size() : end + 1;
    } else {
      while (end < query.size() && query[end] != ' ' && query[end] != ')') ++end;
    }
    out.emplace_back(begin, end);
    i = end;
  }
  return out;
}

bool is_operator(std::string_view word) {
  for (const char* op : {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"}) {
    if (word == op) return true;
  }
  return false;
}

struct RuleParts {
  std::string old_form, new_form, before;
};

// "old > new" or "old > new before letters"; the error, or "".
std::string parse_rule(std::string_view line, RuleParts& out) {
  const std::size_t gt = line.find('>');
  if (line.find('>', gt + 1) != std::string_view::npos) return "one `>` per rule";
  const std::string old_form = trim(line.substr(0, gt));
  const std::vector<std::string> rest = split_spaces(line.substr(gt + 1));
  if (old_form.empty()) return "the old spelling before `>` is missing";
  if (!is_letters(old_form)) return "the old spelling " + in_quotes(old_form) + " is not letters";
  if (rest.empty()) return "the new spelling after `>` is missing";
  if (!is_letters(rest[0])) return "the new spelling " + in_quotes(rest[0]) + " is not letters";
  const bool before = rest.size() == 3 && rest[1] == "before" && is_letters(rest[2]);
  if (rest.size() != 1 && !before) return "after the new spelling only `before letters` may follow";
  out.old_form = lower_case(fold_german(old_form));
  out.new_form = lower_case(fold_german(rest[0]));
  out.before = before ? lower_case(fold_german(rest[2])) : "";
  if (out.old_form == out.new_form) return "the rule changes nothing";
  return "";
}

// "Word = Word"; the error, or "".
std::string parse_mapping(std::string_view line, std::string& old_form, std::string& new_form) {
  const std::size_t eq = line.find('=');
  if (line.find('=', eq + 1) != std::string_view::npos) return "one `=` per word mapping";
  old_form = trim(line.substr(0, eq));
  new_form = trim(line.substr(eq + 1));
  for (const std::string* w : {&old_form, &new_form}) {
    if (w->empty()) return "a word on each side of `=`, please";
    if (!is_letters(*w)) return in_quotes(*w) + " is not one word of letters";
  }
  if (lower_case(fold_german(old_form)) == lower_case(fold_german(new_form))) {
    return "the mapping changes nothing";
  }
  return "";
}

// A synonym line's entries, separated by commas, inner spaces collapsed; the error, or "".
std::string parse_synonyms(std::string_view line, std::vector<std::string>& entries) {
  std::size_t start = 0;
  while (start <= line.size()) {
    const std::size_t comma = std::min(line.find(',', start), line.size());
    const std::string entry = join(split_spaces(line.substr(start, comma - start)), " ");
    if (entry.empty()) return "an empty entry (two commas, or a comma at either end)";
    if (!is_entry(entry)) {
      return in_quotes(entry) + " is not a word or words (letters and digits, spaces between)";
    }
    if (entry.size() > kMaxEntryBytes) return in_quotes(entry) + " is too long";
    entries.push_back(entry);
    start = comma + 1;
  }
  if (entries.size() < 2) return "a synonym line needs two entries or more, separated by commas";
  return "";
}

// How the QueryParser (STEM_SOME) writes a word under a field prefix: "Z" + prefix + stem when
// the word starts with a letter, else prefix + word.
std::string query_term(std::string_view prefix, const std::string& word, const Xapian::Stem& stem) {
  if (!is_stemmed_word(word)) return std::string(prefix) + word;
  return "Z" + std::string(prefix) + stem(word);
}

// The key under which the QueryParser looks up an entry's synonyms without a field prefix.
std::string plain_key(const std::vector<std::string>& entry, const Xapian::Stem& stem) {
  return entry.size() == 1 ? query_term("", entry[0], stem) : join(entry, " ");
}

}  // namespace

bool is_stemmed_word(std::string_view word) {
  const Xapian::Utf8Iterator it(word.data(), word.size());
  return it != Xapian::Utf8Iterator() && is_unicode_letter(*it);
}

Language Language::load(const fs::path& workspace) {
  Language out;
  out.read_spellings(builtin_spellings(), "built-in spellings.txt");
  const fs::path dir = workspace / "search";
  if (const auto text = read_if_present(dir / "spellings.txt")) {
    out.read_spellings(*text, (dir / "spellings.txt").string());
  }
  out.read_synonyms(builtin_synonyms(), "built-in synonyms.txt");
  if (const auto text = read_if_present(dir / "synonyms.txt")) {
    out.read_synonyms(*text, (dir / "synonyms.txt").string());
  }
  out.finish();
  return out;
}

Language Language::from_index(const Xapian::Database& db) {
  const std::string spellings = db.get_metadata(kSpellingsKey);
  if (spellings.empty()) return builtin();
  Language out;
  out.read_spellings(spellings, "the index's spelling rules");
  out.read_synonyms(db.get_metadata(kSynonymsKey), "the index's synonyms");
  out.finish();
  return out;
}

const Language& Language::builtin() {
  static const Language language = [] {
    Language out;
    out.read_spellings(builtin_spellings(), "built-in spellings.txt");
    out.read_synonyms(builtin_synonyms(), "built-in synonyms.txt");
    out.finish();
    return out;
  }();
  return language;
}

void Language::read_spellings(std::string_view text, const std::string& source) {
  for_each_line(text, [&](const std::string& line, int number) {
    std::string error;
    if (line.find('>') != std::string::npos) {
      RuleParts rule;
      error = line.find('=') != std::string::npos ? "either `>` (a rule) or `=` (a word), not both"
                                                  : parse_rule(line, rule);
      if (error.empty()) add_rule({rule.old_form, rule.new_form, rule.before});
    } else if (line.find('=') != std::string::npos) {
      WordMapping mapping;
      error = parse_mapping(line, mapping.old_form, mapping.new_form);
      if (error.empty()) add_word(mapping);
    } else {
      error = "expected `old > new`, `old > new before letters` or `Word = Word`";
    }
    if (!error.empty()) bad_line(source, number, error);
  });
}

void Language::read_synonyms(std::string_view text, const std::string& source) {
  for_each_line(text, [&](const std::string& line, int number) {
    std::vector<std::string> entries;
    const std::string error = parse_synonyms(line, entries);
    if (!error.empty()) bad_line(source, number, error);
    synonyms_.push_back(std::move(entries));
  });
}

void Language::add_rule(Rule rule) {
  rules_by_letter_[static_cast<unsigned char>(rule.old_form[0])].push_back(rules_.size());
  rules_.push_back(std::move(rule));
}

void Language::add_word(const WordMapping& mapping) {
  // A later mapping of the same word wins: the archive's files overrule the built-in one.
  words_[lower_case(fold_german(mapping.old_form))] = fold_german(mapping.new_form);
  word_list_.push_back(mapping);
}

std::vector<std::string> Language::entry_words(std::string_view entry) const {
  std::vector<std::string> words;
  const std::string normal = normalise(entry);
  for (const WordSpan& w : words_of(normal)) words.push_back(lower_case(w.of(normal)));
  return words;
}

// Entries are normalised with the final rules: they must meet the words as indexed.
void Language::finish() {
  using Entry = std::vector<std::string>;
  std::map<Entry, std::size_t> group_of;
  std::vector<std::set<Entry>> groups;
  for (const auto& line : synonyms_) {
    std::set<Entry> merged;
    for (const auto& entry : line) {
      Entry words = entry_words(entry);
      if (const auto it = group_of.find(words); it != group_of.end()) {
        merged.merge(groups[it->second]);  // leaves that group empty
      }
      merged.insert(std::move(words));
    }
    for (const auto& e : merged) group_of[e] = groups.size();
    groups.push_back(std::move(merged));
  }
  synonym_groups_.clear();
  multi_word_.clear();
  other_entries_of_stem_.clear();
  const Xapian::Stem stem(kStemmer);
  for (auto& group : groups) {
    if (group.size() < 2) continue;
    synonym_groups_.emplace_back(group.begin(), group.end());
    for (const auto& e : group) {
      if (e.size() > 1) multi_word_.push_back(e);
    }
    // The words of the index with a one-word entry's stem are synonyms of the other entries.
    for (const auto& b : synonym_groups_.back()) {
      if (b.size() != 1 || !is_stemmed_word(b[0])) continue;
      auto& others = other_entries_of_stem_[stem(b[0])];
      for (const auto& a : synonym_groups_.back()) {
        if (a != b && std::find(others.begin(), others.end(), a) == others.end()) {
          others.push_back(a);
        }
      }
    }
  }
}

std::string Language::modern_word(std::string_view word) const {
  std::string current(word);
  if (!words_.empty()) {
    if (const auto it = words_.find(lower_case(word)); it != words_.end()) {
      current = it->second;
      // The mapping keeps the word's capital, as the rules do.
      if (is_upper_byte(word[0]) && !current.empty() && current[0] >= 'a' && current[0] <= 'z') {
        current[0] = static_cast<char>(current[0] - 'a' + 'A');
      }
    }
  }
  for (int pass = 0; pass < kMaxPasses && !rules_.empty(); ++pass) {
    std::string next = apply_rules(current);
    if (next == current) break;
    current.swap(next);
  }
  return current;
}

// One pass over a word: at each letter the first rule that matches there, in file order.
std::string Language::apply_rules(std::string_view word) const {
  std::string out;
  out.reserve(word.size() + 4);
  for (std::size_t i = 0; i < word.size();) {
    const Rule* hit = nullptr;
    for (const std::size_t r : rules_by_letter_[static_cast<unsigned char>(lower_byte(word[i]))]) {
      const Rule& rule = rules_[r];
      const std::size_t n = rule.old_form.size();
      if (i + n > word.size()) continue;
      bool same = true;
      for (std::size_t k = 0; k < n && same; ++k)
        same = lower_byte(word[i + k]) == rule.old_form[k];
      if (!same) continue;
      if (!rule.before.empty() &&
          (i + n >= word.size() ||
           rule.before.find(lower_byte(word[i + n])) == std::string::npos)) {
        continue;
      }
      hit = &rule;
      break;
    }
    if (hit == nullptr) {
      out += word[i++];
      continue;
    }
    std::string replacement = hit->new_form;
    if (is_upper_byte(word[i]) && replacement[0] >= 'a' && replacement[0] <= 'z') {
      replacement[0] = static_cast<char>(replacement[0] - 'a' + 'A');
    }
    out += replacement;
    i += hit->old_form.size();
  }
  return out;
}

std::string Language::modernise(std::string_view folded, bool keep_field_names) const {
  std::string out;
  out.reserve(folded.size());
  for (std::size_t i = 0; i < folded.size();) {
    if (!is_letter_byte(folded[i])) {
      out += folded[i++];
      continue;
    }
    std::size_t end = i;
    while (end < folded.size() && is_letter_byte(folded[end])) ++end;
    const std::string_view word = folded.substr(i, end - i);
    const bool field_name =
        keep_field_names && end < folded.size() && folded[end] == ':' && is_field_name(word);
    out += field_name ? std::string(word) : modern_word(word);
    i = end;
  }
  return out;
}

std::string Language::normalise(std::string_view text) const {
  return modernise(fold_german(text), false);
}

std::string Language::normalise_query(std::string_view query) const {
  // A Signatur is not a word of the language: after `signatur:` it stays as typed ("Cl 7" is
  // not "Kl 7", "Bü 3" not "Bue 3"); SignaturFilter folds it as the documents' Signatur terms
  // and sort keys are.
  std::string out;
  std::size_t at = 0;
  for (const auto& [begin, end] : signatur_values(query)) {
    out += normalise_query_words(query.substr(at, begin - at));
    out.append(query.substr(begin, end - begin));
    at = end;
  }
  out += normalise_query_words(query.substr(at));
  return out;
}

std::string Language::normalise_query_words(std::string_view query) const {
  const std::string modern = modernise(fold_german(query), true);
  std::string out;
  out.reserve(modern.size());
  std::size_t at = 0;
  for (const WordSpan& w : words_of(modern)) {
    out.append(modern, at, w.begin - at);
    const std::string_view word = w.of(modern);
    out += is_operator(word) ? std::string(word) : lower_case(word);
    at = w.end;
  }
  out.append(modern, at);
  return out;
}

std::string Language::exact_word(std::string_view word) const {
  return lower_case(normalise(word));
}

std::string Language::spellings_text() const {
  std::string out;
  for (const Rule& r : rules_) {
    out += r.old_form + " > " + r.new_form + (r.before.empty() ? "" : " before " + r.before) + "\n";
  }
  for (const WordMapping& m : word_list_) out += m.old_form + " = " + m.new_form + "\n";
  return out;
}

std::string Language::synonyms_text() const {
  std::string out;
  for (const auto& line : synonyms_) out += join(line, ", ") + "\n";
  return out;
}

std::string Language::fingerprint() const {
  return std::string(kVersion) + ":" +
         sha256_hex(std::string(kVersion) + "\n" + spellings_text() + "\f" + synonyms_text());
}

void Language::store(Xapian::WritableDatabase& db) const {
  db.set_metadata(kFingerprintKey, fingerprint());
  db.set_metadata(kSpellingsKey, spellings_text());
  db.set_metadata(kSynonymsKey, synonyms_text());
  store_synonyms(db);
}

// Every entry of a line is a synonym of every other, keyed as the QueryParser looks them up
// (FLAG_AUTO_SYNONYMS, STEM_SOME): a one-word entry by its stemmed term "Z<prefix><stem>", once
// per search field and once without a prefix; an entry of more words by its exact words joined
// by spaces (FLAG_AUTO_MULTIWORD_SYNONYMS, no prefix). A synonym is a single term: under the
// prefix of a field with stems only a one-word entry's stemmed term; elsewhere the term that
// DocumentBuilder adds where the words of a longer entry occur in this order, or a word that is
// not stemmed. The words with a one-word entry's stem come from the index's vocabulary
// (WordClasses, keys_of_stem).
void Language::store_synonyms(Xapian::WritableDatabase& db) const {
  const std::vector<std::string> old_keys(db.synonym_keys_begin(), db.synonym_keys_end());
  for (const auto& key : old_keys) db.clear_synonyms(key);
  std::vector<std::pair<std::string_view, bool>> prefixes;  // and whether it has stems only
  for (const FieldMapping& m : field_mappings()) {
    if (!m.query_name.empty()) prefixes.emplace_back(m.prefix, !m.field_phrases);
  }
  const Xapian::Stem stem(kStemmer);
  for (const auto& entries : synonym_groups_) {
    for (const auto& a : entries) {
      // The QueryParser adds the words of a longer entry as they are typed, stemmed; they are
      // found as written where the entry occurs.
      if (a.size() > 1)
        db.add_synonym(plain_key(a, stem), std::string(kPhraseSynonymPrefix) + join(a, " "));
      for (const auto& b : entries) {
        if (a == b) continue;
        if (a.size() == 1 && b.size() == 1) {
          for (const auto& [prefix, stems_only] : prefixes) {
            // A field kept as written has no stemmed terms: its words join the key with the
            // index's vocabulary (WordClasses, keys_of_stem).
            if (!stems_only && is_stemmed_word(b[0])) continue;
            const std::string key = query_term(prefix, a[0], stem);
            const std::string value = query_term(prefix, b[0], stem);
            if (key != value) db.add_synonym(key, value);
          }
        }
        const std::string key = plain_key(a, stem);
        if (b.size() > 1) {
          db.add_synonym(key, std::string(kPhraseSynonymPrefix) + join(b, " "));
        } else if (!is_stemmed_word(b[0]) && key != b[0]) {
          db.add_synonym(key, b[0]);
        }
      }
    }
  }
}

std::vector<std::string> Language::keys_of_stem(const std::string& prefix,
                                                const std::string& stem) const {
  std::vector<std::string> keys;
  const auto it = other_entries_of_stem_.find(stem);
  if (it == other_entries_of_stem_.end()) return keys;
  const Xapian::Stem stemmer(kStemmer);
  for (const auto& a : it->second) {
    // Under a field prefix the QueryParser looks up one-word entries only.
    if (!prefix.empty() && a.size() != 1) continue;
    const std::string key =
        prefix.empty() ? plain_key(a, stemmer) : query_term(prefix, a[0], stemmer);
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
  }
  return keys;
}

}  // namespace findbuch::search

#include "search/language.hpp"

#include "search/german_text.hpp"

namespace findbuch::search {

namespace {
// Bumped whenever the built-in rules (german_text.cpp) change.
constexpr const char* kRulesVersion = "german-1";
}  // namespace

Language Language::load(const std::filesystem::path&) {
  return Language();
}

Language Language::from_index(const Xapian::Database&) {
  return Language();
}

void Language::store(Xapian::WritableDatabase& db) const {
  db.set_metadata("language", fingerprint());
}

std::string Language::fingerprint() const {
  return kRulesVersion;
}

std::string Language::normalise(std::string_view text) const {
  return modern_spelling(fold_german(text));
}

}  // namespace findbuch::search

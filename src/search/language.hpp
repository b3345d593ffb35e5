#pragma once
// The language rules of one index: how German text is normalised before stemming (umlauts spelt
// out, historical spellings brought to today's). The indexer records them in the index, and
// searches read them from there, so that both sides of a search always agree.
#include <xapian.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace findbuch::search {

class Language {
 public:
  /// The rules for the workspace at `workspace`.
  static Language load(const std::filesystem::path& workspace);
  /// The rules an index was built with (as store() recorded them).
  static Language from_index(const Xapian::Database& db);

  /// Records the rules in `db` (metadata), replacing what was there.
  void store(Xapian::WritableDatabase& db) const;
  /// Changes whenever the rules change: an index built with other rules must be rebuilt.
  std::string fingerprint() const;

  /// Text as it is indexed and searched: folded, modern spelling.
  std::string normalise(std::string_view text) const;
};

}  // namespace findbuch::search

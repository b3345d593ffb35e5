#pragma once
// `bestand:WORDS` — everything in the Bestände whose Signatur or title has these words. Only a
// Bestand's own document carries them (DocumentBuilder): the filter finds the Bestände first,
// then selects everything at or below them by their Tektonik terms. Words of every unit's
// Bestand in every document would cost a twentieth of indexing time, and a Bestand's new title
// would have to reach all its units.
#include <xapian.h>

#include <string>

namespace findbuch::search {

class BestandFilter : public Xapian::FieldProcessor {
 public:
  explicit BestandFilter(const Xapian::Database& db) : db_(db) {}

  /// `words`: the normalised text after "bestand:". A filter without weight; nothing when no
  /// Bestand has the words.
  Xapian::Query operator()(const std::string& words) override;

 private:
  Xapian::Database db_;
};

}  // namespace findbuch::search

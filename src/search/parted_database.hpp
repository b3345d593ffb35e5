#pragma once
// A Xapian database written fresh in parts. Adding a document costs Xapian more the larger the
// database it goes into (each flush merges the buffered postings into the posting lists on
// disk), so a full build writes parts of a bounded size, flushing often, and merges them at the
// end in one streaming pass (Xapian::Database::compact, document ids kept). The result is also
// compact: smaller and quicker to search than a database grown document by document.
#include <xapian.h>

#include <cstddef>
#include <filesystem>
#include <memory>
#include <vector>

namespace findbuch::search {

class PartedDatabase {
 public:
  /// Parts go next to `final_dir` (which must not exist yet): `<final_dir>.part-N`. Document ids
  /// must be added in increasing order, so that the parts' id ranges are disjoint.
  PartedDatabase(std::filesystem::path final_dir, Xapian::doccount part_documents,
                 Xapian::doccount flush_documents);
  ~PartedDatabase();
  PartedDatabase(const PartedDatabase&) = delete;
  PartedDatabase& operator=(const PartedDatabase&) = delete;

  /// The part to add the next document to: a new one when the current part is full.
  Xapian::WritableDatabase& database();

  /// Merges the parts into `final_dir` and removes them; returns the merged database opened
  /// for writing (for what is written once: spelling, metadata).
  Xapian::WritableDatabase finish();

 private:
  void close_part();

  std::filesystem::path final_dir_;
  Xapian::doccount part_documents_;
  Xapian::doccount flush_documents_;
  std::unique_ptr<Xapian::WritableDatabase> current_;
  Xapian::doccount flushed_at_ = 0;  // the current part's document count at its last flush
  std::vector<std::filesystem::path> parts_;
};

}  // namespace findbuch::search

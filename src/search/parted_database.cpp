#include "search/parted_database.hpp"

#include <system_error>

#include "core/atomic_file.hpp"

namespace findbuch::search {

namespace fs = std::filesystem;

PartedDatabase::PartedDatabase(fs::path final_dir, Xapian::doccount part_documents,
                               Xapian::doccount flush_documents)
    : final_dir_(std::move(final_dir)),
      part_documents_(part_documents),
      flush_documents_(flush_documents) {}

PartedDatabase::~PartedDatabase() {
  current_.reset();  // the parts are scratch: whatever a failed build wrote goes with them
  std::error_code ignored;
  for (const auto& part : parts_) fs::remove_all(part, ignored);
}

Xapian::WritableDatabase& PartedDatabase::database() {
  if (current_) {
    const Xapian::doccount count = current_->get_doccount();
    if (count >= part_documents_) {
      close_part();
    } else if (count - flushed_at_ >= flush_documents_) {
      // Earlier than Xapian would (10,000 documents by default): its buffer of postings is a
      // tree per term, and adding to small trees saves more than the extra flushes cost.
      current_->commit();
      flushed_at_ = count;
    }
  }
  if (!current_) {
    parts_.push_back(final_dir_.string() + ".part-" + std::to_string(parts_.size()));
    // Scratch, so not synced: finish() syncs the merged database.
    current_ = std::make_unique<Xapian::WritableDatabase>(parts_.back().string(),
                                                          Xapian::DB_CREATE | Xapian::DB_NO_SYNC);
    flushed_at_ = 0;
  }
  return *current_;
}

void PartedDatabase::close_part() {
  current_->commit();
  current_->close();
  current_.reset();
}

Xapian::WritableDatabase PartedDatabase::finish() {
  if (!current_) database();  // nothing added: one empty part
  close_part();
  Xapian::Database parts;
  for (const auto& part : parts_) parts.add_database(Xapian::Database(part.string()));
  parts.compact(final_dir_.string(), Xapian::DBCOMPACT_NO_RENUMBER);
  parts.close();
  sync_folder(final_dir_);  // the parts were not synced, and the merge need not sync either
  std::error_code ignored;
  for (const auto& part : parts_) fs::remove_all(part, ignored);
  parts_.clear();
  return Xapian::WritableDatabase(final_dir_.string(), Xapian::DB_OPEN);
}

}  // namespace findbuch::search

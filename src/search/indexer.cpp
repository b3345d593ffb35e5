// build_index: walks the Tektonik from the roots, asks the access policy about every unit (the
// ancestors' facts folded in on the way down), and writes one document per unit the index may
// hold. A full rebuild into a fresh database, switched in by renaming a symbolic link.
#include <stdio.h>
#include <unistd.h>
#include <xapian.h>

#include <atomic>
#include <set>

#include "core/error.hpp"
#include "search/document_builder.hpp"
#include "search/search_index.hpp"
#include "store/masters.hpp"

namespace findbuch::search {

namespace fs = std::filesystem;

std::string_view index_name(IndexKind kind) {
  return kind == IndexKind::Public ? "public" : "internal";
}

fs::path index_path(const fs::path& workspace, IndexKind kind) {
  return workspace / "index" / std::string(index_name(kind));
}

namespace {

class Indexer {
 public:
  Indexer(Workspace& ws, IndexKind kind, Date today, Xapian::WritableDatabase& db)
      : ws_(ws), kind_(kind), today_(today), policy_(ws.policy()), db_(db), builder_(db) {
    Masters masters(ws.catalogue().db(), ws.dir());
    for (const auto id : masters.digitised_units()) digitised_.insert(id);
  }

  void walk(std::int64_t parent_id, const Place& place) {
    for (const UnitSummary& child : ws_.catalogue().children(parent_id)) {
      const std::optional<Unit> unit = ws_.catalogue().find_by_id(child.id);
      if (!unit) continue;
      const AccessDecision decision = policy_.decide(*unit, place.facts, today_);
      const Visibility visibility =
          kind_ == IndexKind::Internal ? Visibility::Public : decision.visibility;
      if (visibility == Visibility::Hidden) {
        ++report_.left_out;
      } else {
        const bool stub = visibility == Visibility::RedactedStub;
        const Xapian::Document doc =
            builder_.build(*unit, place, stub, decision, digitised_.count(unit->id) != 0);
        db_.replace_document(id_term(unit->id), doc);
        ++report_.documents;
        if (stub) ++report_.stubs;
      }
      walk(unit->id, place.below(*unit, decision, visibility == Visibility::Public));
    }
  }

  IndexReport report() const { return report_; }

 private:
  Workspace& ws_;
  IndexKind kind_;
  Date today_;
  AccessPolicy policy_;
  Xapian::WritableDatabase& db_;
  DocumentBuilder builder_;
  std::set<std::int64_t> digitised_;
  IndexReport report_;
};

}  // namespace

IndexReport build_index(Workspace& ws, IndexKind kind, Date today) {
  const fs::path link = index_path(ws.dir(), kind);
  fs::create_directories(link.parent_path());
  static std::atomic<unsigned> counter{0};
  const std::string name = std::string(index_name(kind)) + "-" + std::to_string(::getpid()) + "-" +
                           std::to_string(counter++) + "-" + utc_timestamp();
  const fs::path fresh = link.parent_path() / name;
  IndexReport report;
  try {
    Xapian::WritableDatabase db(fresh.string(), Xapian::DB_CREATE);
    Indexer indexer(ws, kind, today, db);
    indexer.walk(0, {});
    db.set_metadata("as_of", today.iso());
    db.commit();
    report = indexer.report();
  } catch (const Xapian::Error& e) {
    std::error_code ignored;
    fs::remove_all(fresh, ignored);
    throw EnvironmentError(fresh.string() + ": cannot build the index: " + e.get_description());
  }
  // Switch: a new link renamed over the old one; then the old database goes.
  std::error_code ec;
  const fs::path previous = fs::is_symlink(link, ec) ? fs::read_symlink(link, ec) : fs::path();
  const fs::path new_link = link.parent_path() / ("." + name + ".link");
  fs::create_directory_symlink(fresh.filename(), new_link);
  if (::rename(new_link.c_str(), link.c_str()) != 0) {
    fs::remove(new_link, ec);
    throw EnvironmentError(link.string() + ": cannot switch to the new index");
  }
  if (!previous.empty()) fs::remove_all(link.parent_path() / previous, ec);
  return report;
}

}  // namespace findbuch::search

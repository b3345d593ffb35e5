// update_index: the catalogue into the index, in full or by what changed since the last run.
// A full build streams the units in one ordered scan into a fresh database and switches to it
// by renaming a symbolic link; an update replaces or deletes the documents of changed units in
// place and moves the resume point in the same commit. Document ids are unit ids.
#include <stdio.h>
#include <unistd.h>
#include <xapian.h>

#include <atomic>
#include <exception>
#include <limits>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "core/error.hpp"
#include "search/document_builder.hpp"
#include "search/field_map.hpp"
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

// Bumped whenever what a document holds changes: an index of another format is rebuilt.
constexpr const char* kFormat = "findbuch-index-3";
// Metadata of the index, written in the same commit as the documents.
constexpr const char* kSettingsKey = "settings";  // format, protection rules, language rules
constexpr const char* kAsOfKey = "as_of";         // the day access was decided for
constexpr const char* kAuditKey = "audit_id";     // the last audit entry indexed

std::string settings_of(const AccessPolicy& policy, const Language& language) {
  const ProtectionRules& r = policy.rules();
  return std::string(kFormat) + ";" + std::to_string(r.general_years) + "," +
         std::to_string(r.after_death_years) + "," + std::to_string(r.after_birth_years) + "," +
         std::to_string(r.personal_unknown_years) + "," + std::to_string(r.secrecy_years) + "," +
         (r.closed_shown_as_stub ? "stub" : "hide") + ";" + language.fingerprint();
}

Xapian::docid docid_of(std::int64_t unit_id) {
  if (unit_id <= 0 || unit_id > std::numeric_limits<Xapian::docid>::max()) {
    throw EnvironmentError("unit id " + std::to_string(unit_id) + " is out of the index's range");
  }
  return static_cast<Xapian::docid>(unit_id);
}

// The tree's shape: parents, and children in CSR form (for the subtrees of changed units).
class TreeShape {
 public:
  explicit TreeShape(std::vector<Catalogue::TreeLink> links) : links_(std::move(links)) {
    std::int64_t max_id = 0;
    for (const auto& l : links_) max_id = std::max(max_id, l.id);
    parent_.assign(static_cast<std::size_t>(max_id) + 1, -1);
    first_child_.assign(parent_.size() + 1, 0);
    for (const auto& l : links_) {
      parent_[static_cast<std::size_t>(l.id)] = l.parent_id;
      if (l.parent_id > 0) ++first_child_[static_cast<std::size_t>(l.parent_id) + 1];
    }
    for (std::size_t i = 1; i < first_child_.size(); ++i) first_child_[i] += first_child_[i - 1];
    children_.resize(links_.size());
    std::vector<std::int64_t> next(first_child_.begin(), first_child_.end() - 1);
    for (const auto& l : links_) {
      if (l.parent_id > 0) children_[static_cast<std::size_t>(next[l.parent_id]++)] = l.id;
    }
  }
  bool exists(std::int64_t id) const {
    return id > 0 && static_cast<std::size_t>(id) < parent_.size() && parent_[id] >= 0;
  }
  /// Adds `id` and everything below it to `out`.
  void add_subtree(std::int64_t id, std::unordered_set<std::int64_t>& out) const {
    std::vector<std::int64_t> todo{id};
    while (!todo.empty()) {
      const std::int64_t n = todo.back();
      todo.pop_back();
      if (!out.insert(n).second || !exists(n)) continue;
      for (auto i = first_child_[n]; i < first_child_[n + 1]; ++i) todo.push_back(children_[i]);
    }
  }
  std::size_t size() const { return links_.size(); }

 private:
  std::vector<Catalogue::TreeLink> links_;
  std::vector<std::int64_t> parent_;       ///< by id; -1: no such unit, 0: a root
  std::vector<std::int64_t> first_child_;  ///< by id, into children_
  std::vector<std::int64_t> children_;
};

// The place of every unit with children as of one day: what their children's documents and
// access decisions need (the ancestors' facts, breadcrumb, Bestand), computed once.
class Places {
 public:
  Places(const std::unordered_map<std::int64_t, Unit>& parents, const AccessPolicy& policy,
         IndexKind kind, Date day)
      : parents_(parents), policy_(policy), kind_(kind), day_(day) {}

  /// The place of the children of `id` (0: of the roots).
  const Place& below(std::int64_t id) {
    if (id == 0) return root_;
    if (auto it = below_.find(id); it != below_.end()) return it->second;
    const Unit& unit = parents_.at(id);
    const Place& place = below(unit.parent_id);
    const AccessDecision decision = policy_.decide(unit, place.facts, day_);
    Place next = place.below(unit, decision, visibility(decision) == Visibility::Public);
    return below_.emplace(id, std::move(next)).first->second;
  }

  Visibility visibility(const AccessDecision& decision) const {
    return kind_ == IndexKind::Internal ? Visibility::Public : decision.visibility;
  }
  Date day() const { return day_; }

 private:
  const std::unordered_map<std::int64_t, Unit>& parents_;
  const AccessPolicy& policy_;
  IndexKind kind_;
  Date day_;
  Place root_;
  std::unordered_map<std::int64_t, Place> below_;
};

class Indexer {
 public:
  Indexer(Workspace& ws, IndexKind kind, Date today, const Language& language)
      : ws_(ws), kind_(kind), policy_(ws.policy()), builder_(language) {
    ws.catalogue().for_each_unit(Catalogue::Scope::Parents,
                                 [&](const Unit& u) { parents_.emplace(u.id, u); });
    places_.emplace(parents_, policy_, kind, today);
    Masters masters(ws.catalogue().db(), ws.dir());
    for (const auto id : masters.digitised_units()) digitised_.insert(id);
  }

  /// `units` into a fresh database. Touches nothing but this indexer and `db`: indexers of
  /// other kinds may run on other threads meanwhile.
  void add(Xapian::WritableDatabase& db, const std::vector<Unit>& units) {
    for (const Unit& u : units) write(db, u, false);
  }

  /// The units changed since the index's resume point, with their subtrees; false when so
  /// much changed that a full build is quicker.
  bool update(Xapian::WritableDatabase& db, std::int64_t since_audit, Date as_of) {
    const TreeShape tree(ws_.catalogue().tree_links());
    std::unordered_set<std::int64_t> seeds;
    for (const auto id : ws_.catalogue().units_changed_since(since_audit)) seeds.insert(id);
    // Pages ingested (or removed) since: the digitised flag differs from the index's.
    std::unordered_set<std::int64_t> indexed_digitised;
    const std::string dig(kDigitisedTerm);
    for (auto p = db.postlist_begin(dig); p != db.postlist_end(dig); ++p) {
      indexed_digitised.insert(*p);
    }
    for (const auto id : digitised_) {
      if (!indexed_digitised.count(id)) seeds.insert(id);
    }
    for (const auto id : indexed_digitised) {
      if (!digitised_.count(id)) seeds.insert(id);
    }
    if (as_of != places_->day()) add_newly_decided(as_of, seeds);

    std::unordered_set<std::int64_t> affected;
    for (const auto id : seeds) tree.add_subtree(id, affected);
    if (affected.size() > tree.size() / 4 + 100) return false;
    std::vector<std::int64_t> ids(affected.begin(), affected.end());
    std::sort(ids.begin(), ids.end());
    for (const auto id : ids) {
      if (const std::optional<Unit> unit = ws_.catalogue().find_by_id(id)) {
        write(db, *unit, true);
      } else {
        remove(db, docid_of(id));
        ++report_.removed;
      }
    }
    return true;
  }

  IndexReport report() const { return report_; }

 private:
  // Units whose access decision differs between `as_of` (the index's day) and today: a
  // protection period ended, or an embargo did. Only the visibility matters: the rest of a
  // document does not depend on the day.
  void add_newly_decided(Date as_of, std::unordered_set<std::int64_t>& seeds) {
    Places before(parents_, policy_, kind_, as_of);
    ws_.catalogue().for_each_unit(Catalogue::Scope::All, [&](const Unit& u) {
      const auto now = policy_.decide(u, places_->below(u.parent_id).facts, places_->day());
      const auto then = policy_.decide(u, before.below(u.parent_id).facts, as_of);
      if (places_->visibility(now) != before.visibility(then) || (now.opens_on != then.opens_on)) {
        seeds.insert(u.id);
      }
    });
  }

  void remove(Xapian::WritableDatabase& db, Xapian::docid id) {
    try {
      remove_spelling(db, db.get_document(id));
      db.delete_document(id);
    } catch (const Xapian::DocNotFoundError&) {
    }
  }

  void write(Xapian::WritableDatabase& db, const Unit& unit, bool replacing) {
    const Xapian::docid id = docid_of(unit.id);
    if (replacing) remove(db, id);
    const Place& place = places_->below(unit.parent_id);
    const AccessDecision decision = policy_.decide(unit, place.facts, places_->day());
    const Visibility visibility = places_->visibility(decision);
    if (visibility == Visibility::Hidden) {
      ++report_.left_out;
      return;
    }
    const bool stub = visibility == Visibility::RedactedStub;
    const Xapian::Document doc =
        builder_.build(unit, place, stub, decision, digitised_.count(unit.id) != 0);
    db.replace_document(id, doc);
    add_spelling(db, doc);
    ++report_.documents;
    if (stub) ++report_.stubs;
  }

  Workspace& ws_;
  IndexKind kind_;
  AccessPolicy policy_;
  DocumentBuilder builder_;
  std::unordered_map<std::int64_t, Unit> parents_;  ///< every unit with children
  std::optional<Places> places_;                    ///< as of today
  std::unordered_set<std::int64_t> digitised_;
  IndexReport report_;
};

void record(Xapian::WritableDatabase& db, const std::string& settings, Date today,
            std::int64_t audit_id) {
  db.set_metadata(kSettingsKey, settings);
  db.set_metadata(kAsOfKey, today.iso());
  db.set_metadata(kAuditKey, std::to_string(audit_id));
}

// A database being built beside the current one, for one kind of index.
struct FreshIndex {
  IndexKind kind;
  std::string name;  ///< of its directory, unique
  fs::path dir;
  std::unique_ptr<Xapian::WritableDatabase> db;
  std::unique_ptr<Indexer> indexer;
};

// Switch: a new link renamed over the old one. The database before the previous one goes; the
// previous one stays for searches that opened it a moment ago.
void switch_to(const fs::path& workspace, const FreshIndex& fresh) {
  const fs::path link = index_path(workspace, fresh.kind);
  std::error_code ec;
  const fs::path previous = fs::is_symlink(link, ec) ? fs::read_symlink(link, ec) : fs::path();
  const fs::path new_link = link.parent_path() / ("." + fresh.name + ".link");
  fs::create_directory_symlink(fresh.dir.filename(), new_link);
  if (::rename(new_link.c_str(), link.c_str()) != 0) {
    fs::remove(new_link, ec);
    throw EnvironmentError(link.string() + ": cannot switch to the new index");
  }
  const std::string prefix = std::string(index_name(fresh.kind)) + "-";
  for (const auto& entry : fs::directory_iterator(link.parent_path(), ec)) {
    const std::string file = entry.path().filename().string();
    if (file.rfind(prefix, 0) == 0 && file != fresh.name && fs::path(file) != previous) {
      fs::remove_all(entry.path(), ec);
    }
  }
}

// Builds the indexes of `kinds` anew from one scan of the catalogue, each on its own thread
// (the scan feeds them in batches), and switches to them.
std::vector<IndexReport> build_fresh(Workspace& ws, const std::vector<IndexKind>& kinds, Date today,
                                     const Language& language, const std::string& settings) {
  static std::atomic<unsigned> counter{0};
  std::vector<FreshIndex> fresh;
  const auto discard = [&] {
    std::error_code ignored;
    for (const auto& f : fresh) fs::remove_all(f.dir, ignored);
  };
  try {
    // The resume point is read before the scan: a change made meanwhile is indexed again.
    const std::int64_t audit_id = ws.catalogue().last_audit_id();
    for (const IndexKind kind : kinds) {
      const fs::path link = index_path(ws.dir(), kind);
      fs::create_directories(link.parent_path());
      FreshIndex f{kind,
                   std::string(index_name(kind)) + "-" + std::to_string(::getpid()) + "-" +
                       std::to_string(counter++) + "-" + utc_timestamp(),
                   {},
                   nullptr,
                   nullptr};
      f.dir = link.parent_path() / f.name;
      fresh.push_back(std::move(f));
      fresh.back().db =
          std::make_unique<Xapian::WritableDatabase>(fresh.back().dir.string(), Xapian::DB_CREATE);
      fresh.back().indexer = std::make_unique<Indexer>(ws, kind, today, language);
    }
    std::vector<Unit> batch;
    constexpr std::size_t kBatch = 2048;
    batch.reserve(kBatch);
    const auto index_batch = [&] {
      std::vector<std::thread> others;
      std::vector<std::exception_ptr> errors(fresh.size());
      for (std::size_t i = 1; i < fresh.size(); ++i) {
        others.emplace_back([&, i] {
          try {
            fresh[i].indexer->add(*fresh[i].db, batch);
          } catch (...) {
            errors[i] = std::current_exception();
          }
        });
      }
      try {
        fresh[0].indexer->add(*fresh[0].db, batch);
      } catch (...) {
        errors[0] = std::current_exception();
      }
      for (auto& t : others) t.join();
      for (const auto& e : errors) {
        if (e) std::rethrow_exception(e);
      }
      batch.clear();
    };
    ws.catalogue().for_each_unit(Catalogue::Scope::All, [&](const Unit& u) {
      batch.push_back(u);
      if (batch.size() == kBatch) index_batch();
    });
    if (!batch.empty()) index_batch();
    for (auto& f : fresh) {
      language.store(*f.db);
      record(*f.db, settings, today, audit_id);
      f.db->commit();
      f.db->close();
    }
  } catch (const Xapian::Error& e) {
    discard();
    throw EnvironmentError(ws.dir().string() +
                           "/index: cannot build the index: " + e.get_description());
  } catch (...) {
    discard();
    throw;
  }
  std::vector<IndexReport> reports;
  for (const auto& f : fresh) {
    switch_to(ws.dir(), f);
    reports.push_back(f.indexer->report());
    reports.back().full = true;
  }
  return reports;
}

// Updates the index of `kind` in place; nullopt when it must be built anew.
std::optional<IndexReport> update_in_place(Workspace& ws, IndexKind kind, Date today,
                                           const Language& language, const std::string& settings) {
  const fs::path link = index_path(ws.dir(), kind);
  std::error_code ec;
  if (!fs::exists(link, ec)) return std::nullopt;
  try {
    Xapian::WritableDatabase db(link.string(), Xapian::DB_OPEN);
    const std::string as_of = db.get_metadata(kAsOfKey);
    const std::string audit = db.get_metadata(kAuditKey);
    if (db.get_metadata(kSettingsKey) != settings || audit.empty() || !Date::parse_iso(as_of)) {
      return std::nullopt;
    }
    const std::int64_t since = std::stoll(audit);
    const std::int64_t audit_id = ws.catalogue().last_audit_id();
    Indexer indexer(ws, kind, today, language);
    if (!indexer.update(db, since, *Date::parse_iso(as_of))) {
      return std::nullopt;  // closing without commit drops what was written
    }
    record(db, settings, today, audit_id);
    db.commit();  // the documents and the resume point together
    return indexer.report();
  } catch (const Xapian::DatabaseLockError&) {
    throw EnvironmentError(link.string() + ": another process is writing the index");
  } catch (const Xapian::DatabaseOpeningError&) {
    return std::nullopt;  // unreadable (e.g. from another Xapian version): build it anew
  } catch (const Xapian::DatabaseCorruptError&) {
    return std::nullopt;
  } catch (const Xapian::Error& e) {
    throw EnvironmentError(link.string() + ": cannot update the index: " + e.get_description());
  }
}

}  // namespace

std::vector<IndexReport> update_indexes(Workspace& ws, const std::vector<IndexKind>& kinds,
                                        Date today, bool full) {
  const Language language = Language::load(ws.dir());
  const std::string settings = settings_of(ws.policy(), language);
  std::vector<std::optional<IndexReport>> done(kinds.size());
  std::vector<IndexKind> rebuild;
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    if (!full) done[i] = update_in_place(ws, kinds[i], today, language, settings);
    if (!done[i]) rebuild.push_back(kinds[i]);
  }
  if (!rebuild.empty()) {
    const std::vector<IndexReport> built = build_fresh(ws, rebuild, today, language, settings);
    for (std::size_t i = 0, b = 0; i < kinds.size(); ++i) {
      if (!done[i]) done[i] = built[b++];
    }
  }
  std::vector<IndexReport> reports;
  for (auto& d : done) reports.push_back(*d);
  return reports;
}

IndexReport update_index(Workspace& ws, IndexKind kind, Date today, bool full) {
  return update_indexes(ws, {kind}, today, full).front();
}

IndexReport build_index(Workspace& ws, IndexKind kind, Date today) {
  return update_index(ws, kind, today, true);
}

}  // namespace findbuch::search

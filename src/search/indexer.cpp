// update_indexes: the catalogue into the search indexes, in full or by what changed since the
// last run.
//
// Layout under index/ — every unit is written once for the public side and, when it is not
// public, once more in full for the internal side:
//   public   -> public-<gen>/    XAPIANDB listing shard-0 and shard-1 (units by id parity): the
//                                public documents, and stubs for redacted units
//   internal -> internal-<gen>/  XAPIANDB listing closed, ../public-<gen>/shard-0 and shard-1:
//                                "closed" holds the full documents of the units that are not
//                                public; internal searches leave out the public stubs
// The public side holds no closed text, so a public search cannot reach it. A full build writes
// a new generation from one ordered scan, a writer per database on its own thread, and switches
// to it by renaming symbolic links; an update replaces or deletes the documents of changed
// units in place and moves the resume point in the same commits. Document ids are unit ids.
#include <stdio.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <exception>
#include <limits>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "search/batch_queue.hpp"
#include "search/document_builder.hpp"
#include "search/field_map.hpp"
#include "search/parted_database.hpp"
#include "search/search_index.hpp"
#include "search/word_classes.hpp"
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
constexpr const char* kFormat = "findbuch-index-9";
// Metadata of every database, written in the same commit as its documents.
constexpr const char* kSettingsKey = "settings";      // format, protection rules, language rules
constexpr const char* kAsOfKey = "as_of";             // the day access was decided for
constexpr const char* kAuditKey = "audit_id";         // the last audit entry indexed
constexpr const char* kGenerationKey = "generation";  // which build the databases belong to

constexpr unsigned kShards = 2;  // public shards, built side by side
constexpr std::size_t kDatabases = kShards + 1;
constexpr std::size_t kClosed = kShards;  // the index of the closed database
// A full build writes each database in parts of this many documents, flushed this often, and
// merges them (parted_database.hpp). Measured on the search benchmark.
constexpr Xapian::doccount kPartDocuments = 100000;
constexpr Xapian::doccount kFlushDocuments = 3000;

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
  explicit TreeShape(const std::vector<Catalogue::TreeLink>& links) : units_(links.size()) {
    std::int64_t max_id = 0;
    for (const auto& l : links) max_id = std::max(max_id, l.id);
    parent_.assign(static_cast<std::size_t>(max_id) + 1, -1);
    first_child_.assign(parent_.size() + 1, 0);
    for (const auto& l : links) {
      parent_[static_cast<std::size_t>(l.id)] = l.parent_id;
      if (l.parent_id > 0) ++first_child_[static_cast<std::size_t>(l.parent_id) + 1];
    }
    for (std::size_t i = 1; i < first_child_.size(); ++i) first_child_[i] += first_child_[i - 1];
    children_.resize(links.size());
    std::vector<std::int64_t> next(first_child_.begin(), first_child_.end() - 1);
    for (const auto& l : links) {
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
  std::size_t size() const { return units_; }

 private:
  std::size_t units_;
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

// What every writer reads and none changes: shared by the writer threads.
struct Catalogued {
  explicit Catalogued(Workspace& ws) : policy(ws.policy()) {
    ws.catalogue().for_each_unit(Catalogue::Scope::Parents,
                                 [&](const Unit& u) { parents.emplace(u.id, u); });
    Masters masters(ws.catalogue().db(), ws.dir());
    for (const auto id : masters.digitised_units()) digitised.insert(id);
  }
  AccessPolicy policy;
  std::unordered_map<std::int64_t, Unit> parents;  ///< every unit with children
  std::unordered_set<std::int64_t> digitised;
};

// The plain words of `db`: its terms that do not start with a capital letter (prefixed terms
// do), read before the spelling and synonym tables change.
std::vector<std::string> plain_words(const Xapian::Database& db) {
  std::vector<std::string> out;
  const auto end = db.allterms_end();
  for (auto t = db.allterms_begin(); t != end;) {
    const std::string term = *t;
    if (term[0] >= 'A' && term[0] <= 'Z') {
      t.skip_to("[");  // the byte after 'Z': past every prefixed term
      continue;
    }
    out.push_back(term);
    ++t;
  }
  return out;
}

// Writes the documents of one database: a public shard (the units of its id parity, public or
// as stubs) or the closed one (the units that are not public, in full).
class Writer {
 public:
  Writer(const Catalogued& catalogued, std::size_t database, Date today, const Language& language)
      : catalogued_(catalogued),
        database_(database),
        places_(catalogued.parents, catalogued.policy,
                database == kClosed ? IndexKind::Internal : IndexKind::Public, today),
        builder_(language),
        classes_(language) {}

  bool owns(std::int64_t unit_id) const {
    return database_ == kClosed || static_cast<std::size_t>(unit_id) % kShards == database_;
  }

  /// Writes (or, when `replacing`, rewrites or deletes) the document of `unit` if it belongs
  /// here. Touches nothing but this writer and `db`: writers run on threads side by side.
  void write(Xapian::WritableDatabase& db, const Unit& unit, bool replacing) {
    const bool mine = owns(unit.id);
    // The breadcrumbs of the parents of every document of the index, whichever database has it:
    // a unit of another database is looked at only while its parent's is missing.
    const bool breadcrumb_missing =
        keeps_breadcrumbs() && unit.parent_id != 0 && breadcrumbs_kept_.count(unit.parent_id) == 0;
    if (!mine && !breadcrumb_missing) return;
    const Place& place = places_.below(unit.parent_id);
    const AccessDecision decision = catalogued_.policy.decide(unit, place.facts, places_.day());
    if (breadcrumb_missing && (database_ == kClosed || decision.visibility != Visibility::Hidden)) {
      breadcrumbs_kept_.insert(unit.parent_id);
      db.set_metadata(breadcrumb_key(unit.parent_id), breadcrumb_value(place));
    }
    if (!mine) return;
    const Xapian::docid id = docid_of(unit.id);
    if (replacing) remove(db, id);
    const bool is_public = decision.visibility == Visibility::Public;
    const bool stub = decision.visibility == Visibility::RedactedStub;
    if (database_ == kClosed ? is_public : decision.visibility == Visibility::Hidden) {
      if (database_ != kClosed) ++report_.left_out;
      return;
    }
    const bool as_stub = database_ != kClosed && stub;
    const Xapian::Document doc =
        builder_.build(unit, place, as_stub, decision, catalogued_.digitised.count(unit.id) != 0);
    db.replace_document(id, doc);
    // A full build writes the spelling data and word classes at the end (write_words).
    if (replacing) {
      add_spelling(db, doc);
      for_each_class_word(doc, [&](const std::string& term) { classes_.add(db, term); });
    }
    ++report_.documents;
    if (as_stub) ++report_.stubs;
  }

  /// A fresh database's spelling data and word classes, from its vocabulary: one update per
  /// word instead of one per word and document. A spelling word counts as often as its
  /// documents have it, by their wdf (for_each_spelling_word): its collection frequency. After
  /// Language::store, which replaces the synonyms.
  void write_words(Xapian::WritableDatabase& db) {
    for (const auto& word : plain_words(db)) {
      db.add_spelling(word, db.get_collection_freq(word));
      classes_.add(db, word);
    }
    for (const FieldMapping& m : field_mappings()) {
      if (!m.field_phrases) continue;
      const std::string prefix(m.prefix);
      const std::vector<std::string> words(db.allterms_begin(prefix), db.allterms_end(prefix));
      for (const auto& term : words) classes_.add(db, term);
    }
  }

  void remove(Xapian::WritableDatabase& db, Xapian::docid id) {
    try {
      const Xapian::Document doc = db.get_document(id);
      remove_spelling(db, doc);
      std::vector<std::string> words;  // read before the document goes
      for_each_class_word(doc, [&](const std::string& term) { words.push_back(term); });
      db.delete_document(id);
      for (const auto& term : words) classes_.remove_if_unused(db, term);
    } catch (const Xapian::DocNotFoundError&) {
    }
  }

  const IndexReport& report() const { return report_; }

 private:
  /// Xapian reads the metadata of an index from its first database: shard 0 for the public
  /// index, the closed one for the internal index (see the stub files).
  bool keeps_breadcrumbs() const { return database_ == 0 || database_ == kClosed; }

  const Catalogued& catalogued_;
  /// Parents whose breadcrumb this run wrote: once per parent and run (an update rewrites the
  /// parents of what it writes, which includes everything below a unit that changed).
  std::unordered_set<std::int64_t> breadcrumbs_kept_;
  std::size_t database_;
  Places places_;
  DocumentBuilder builder_;
  WordClasses classes_;
  IndexReport report_;
};

using Databases = std::array<std::unique_ptr<Xapian::WritableDatabase>, kDatabases>;
using Writers = std::array<std::unique_ptr<Writer>, kDatabases>;
using Builds = std::array<std::unique_ptr<PartedDatabase>, kDatabases>;  // of a full build

// The public and internal reports from the writers' counts.
std::vector<IndexReport> reports_of(const Writers& writers, bool full) {
  IndexReport pub, internal;
  for (std::size_t i = 0; i < kShards; ++i) {
    const IndexReport& r = writers[i]->report();
    pub.documents += r.documents;
    pub.stubs += r.stubs;
    pub.left_out += r.left_out;
  }
  internal.documents = pub.documents - pub.stubs + writers[kClosed]->report().documents;
  pub.full = internal.full = full;
  return {pub, internal};
}

// Units whose documents must be written again since the index's resume point: changed in the
// catalogue (and everything below them), pages ingested or removed, access decided otherwise
// than on the index's day.
class ChangedUnits {
 public:
  ChangedUnits(Workspace& ws, const Catalogued& catalogued, Date today)
      : ws_(ws), catalogued_(catalogued), today_(today) {}

  /// Sorted ids; empty optional when so much changed that a full build is quicker.
  std::optional<std::vector<std::int64_t>> since(std::int64_t audit_id, Date as_of,
                                                 const Databases& dbs) {
    const TreeShape tree(ws_.catalogue().tree_links());
    std::unordered_set<std::int64_t> seeds;
    for (const auto id : ws_.catalogue().units_changed_since(audit_id)) seeds.insert(id);
    std::unordered_set<std::int64_t> indexed_digitised;
    const std::string dig(kDigitisedTerm);
    for (const auto& db : dbs) {
      for (auto p = db->postlist_begin(dig); p != db->postlist_end(dig); ++p) {
        indexed_digitised.insert(*p);
      }
    }
    for (const auto id : catalogued_.digitised) {
      if (!indexed_digitised.count(id)) seeds.insert(id);
    }
    for (const auto id : indexed_digitised) {
      if (!catalogued_.digitised.count(id)) seeds.insert(id);
    }
    if (as_of != today_) add_newly_decided(as_of, seeds);
    std::unordered_set<std::int64_t> affected;
    for (const auto id : seeds) tree.add_subtree(id, affected);
    if (affected.size() > tree.size() / 4 + 100) return std::nullopt;
    std::vector<std::int64_t> ids(affected.begin(), affected.end());
    std::sort(ids.begin(), ids.end());
    return ids;
  }

 private:
  // A protection period or an embargo ended (or, with another day, began). Only the decision
  // matters: the rest of a document does not depend on the day.
  void add_newly_decided(Date as_of, std::unordered_set<std::int64_t>& seeds) {
    const AccessPolicy& policy = catalogued_.policy;
    Places now(catalogued_.parents, policy, IndexKind::Public, today_);
    Places then(catalogued_.parents, policy, IndexKind::Public, as_of);
    ws_.catalogue().for_each_unit(Catalogue::Scope::All, [&](const Unit& u) {
      const auto a = policy.decide(u, now.below(u.parent_id).facts, today_);
      const auto b = policy.decide(u, then.below(u.parent_id).facts, as_of);
      if (a.visibility != b.visibility || a.opens_on != b.opens_on) seeds.insert(u.id);
    });
  }

  Workspace& ws_;
  const Catalogued& catalogued_;
  Date today_;
};

void record(Xapian::WritableDatabase& db, const std::string& settings, Date today,
            std::int64_t audit_id, const std::string& generation) {
  db.set_metadata(kSettingsKey, settings);
  db.set_metadata(kAsOfKey, today.iso());
  db.set_metadata(kAuditKey, std::to_string(audit_id));
  db.set_metadata(kGenerationKey, generation);
}

std::string database_name(std::size_t i) {
  return i == kClosed ? "closed" : "shard-" + std::to_string(i);
}

// The stub file that makes a folder of databases one database to Xapian.
void write_stub(const fs::path& dir, const std::vector<std::string>& members) {
  std::string text;
  for (const auto& m : members) text += "auto " + m + "\n";
  write_file_atomic(dir / "XAPIANDB", text);
}

// Switch: a new link renamed over the old one. The generation before the previous one goes;
// the previous one stays for searches that opened it a moment ago.
void switch_to(const fs::path& workspace, IndexKind kind, const std::string& folder) {
  const fs::path link = index_path(workspace, kind);
  std::error_code ec;
  const fs::path previous = fs::is_symlink(link, ec) ? fs::read_symlink(link, ec) : fs::path();
  const fs::path new_link = link.parent_path() / ("." + folder + ".link");
  fs::remove(new_link, ec);
  fs::create_directory_symlink(folder, new_link);
  if (::rename(new_link.c_str(), link.c_str()) != 0) {
    fs::remove(new_link, ec);
    throw EnvironmentError(link.string() + ": cannot switch to the new index");
  }
  const std::string prefix = std::string(index_name(kind)) + "-";
  for (const auto& entry : fs::directory_iterator(link.parent_path(), ec)) {
    const std::string file = entry.path().filename().string();
    if (file.rfind(prefix, 0) == 0 && file != folder && fs::path(file) != previous) {
      fs::remove_all(entry.path(), ec);
    }
  }
}

// Runs `work(i)` for every database, each on its own thread; rethrows the first failure.
template <typename Work>
void on_every_database(Work work) {
  std::vector<std::thread> threads;
  std::array<std::exception_ptr, kDatabases> errors;
  for (std::size_t i = 1; i < kDatabases; ++i) {
    threads.emplace_back([&, i] {
      try {
        work(i);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    });
  }
  try {
    work(0);
  } catch (...) {
    errors[0] = std::current_exception();
  }
  for (auto& t : threads) t.join();
  for (const auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

// One ordered scan of the catalogue, in batches, to every writer on its own thread (the scan on
// this one). A failure on either side stops both; the first is rethrown.
void write_all(Workspace& ws, const Builds& builds, const Writers& writers) {
  constexpr std::size_t kBatch = 4096;
  constexpr std::size_t kBatchesAhead = 4;
  std::vector<std::unique_ptr<BatchQueue>> queues;
  std::vector<std::thread> threads;
  std::array<std::exception_ptr, kDatabases> errors;
  // Every queue before the first thread: a vector growing under a running thread would move
  // the queue pointers it reads.
  for (std::size_t i = 0; i < kDatabases; ++i) {
    queues.push_back(std::make_unique<BatchQueue>(kBatchesAhead));
  }
  for (std::size_t i = 0; i < kDatabases; ++i) {
    threads.emplace_back([&, i] {
      try {
        while (const auto batch = queues[i]->pop()) {
          for (const Unit& u : *batch) writers[i]->write(builds[i]->database(), u, false);
        }
      } catch (...) {
        errors[i] = std::current_exception();
        queues[i]->abort();
      }
    });
  }
  struct Stopped {};  // a writer gave up: the scan stops
  std::exception_ptr scan_error;
  try {
    auto batch = std::make_shared<std::vector<Unit>>();
    const auto hand_over = [&] {
      const BatchQueue::Batch full = std::move(batch);
      for (const auto& q : queues) {
        if (!q->push(full)) throw Stopped{};
      }
      batch = std::make_shared<std::vector<Unit>>();
      batch->reserve(kBatch);
    };
    ws.catalogue().for_each_unit(Catalogue::Scope::All, [&](const Unit& u) {
      batch->push_back(u);
      if (batch->size() == kBatch) hand_over();
    });
    if (!batch->empty()) hand_over();
    for (const auto& q : queues) q->close();
  } catch (const Stopped&) {
    for (const auto& q : queues) q->abort();
  } catch (...) {
    scan_error = std::current_exception();
    for (const auto& q : queues) q->abort();
  }
  for (auto& t : threads) t.join();
  if (scan_error) std::rethrow_exception(scan_error);
  for (const auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

std::vector<IndexReport> build_fresh(Workspace& ws, Date today, const Language& language,
                                     const std::string& settings) {
  static std::atomic<unsigned> counter{0};
  const std::string generation =
      std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + utc_timestamp();
  const fs::path root = ws.dir() / "index";
  const std::string public_folder = "public-" + generation;
  const std::string internal_folder = "internal-" + generation;
  const auto discard = [&] {
    std::error_code ignored;
    fs::remove_all(root / public_folder, ignored);
    fs::remove_all(root / internal_folder, ignored);
  };
  Builds builds;
  Writers writers;
  try {
    // The resume point is read before the scan: a change made meanwhile is indexed again.
    const std::int64_t audit_id = ws.catalogue().last_audit_id();
    fs::create_directories(root / public_folder);
    fs::create_directories(root / internal_folder);
    const Catalogued catalogued(ws);
    for (std::size_t i = 0; i < kDatabases; ++i) {
      const fs::path dir =
          root / (i == kClosed ? internal_folder : public_folder) / database_name(i);
      builds[i] = std::make_unique<PartedDatabase>(dir, kPartDocuments, kFlushDocuments);
      writers[i] = std::make_unique<Writer>(catalogued, i, today, language);
    }
    write_all(ws, builds, writers);
    on_every_database([&](std::size_t i) {
      Xapian::WritableDatabase db = builds[i]->finish();
      language.store(db);
      writers[i]->write_words(db);
      record(db, settings, today, audit_id, generation);
      // The internal index leaves out the public stubs; it reads this from its first
      // database, the closed one (see the stub file below).
      if (i == kClosed) db.set_metadata(kExcludeKey, std::string(kStubTerm));
      db.commit();
      db.close();
    });
    write_stub(root / public_folder, {database_name(0), database_name(1)});
    write_stub(root / internal_folder, {"closed", "../" + public_folder + "/" + database_name(0),
                                        "../" + public_folder + "/" + database_name(1)});
  } catch (const Xapian::Error& e) {
    discard();
    throw EnvironmentError(root.string() + ": cannot build the index: " + e.get_description());
  } catch (...) {
    discard();
    throw;
  }
  // Public first: the new internal index refers to the new public shards.
  switch_to(ws.dir(), IndexKind::Public, public_folder);
  switch_to(ws.dir(), IndexKind::Internal, internal_folder);
  return reports_of(writers, true);
}

// Updates the databases in place; nullopt when they must be built anew.
std::optional<std::vector<IndexReport>> update_in_place(Workspace& ws, Date today,
                                                        const Language& language,
                                                        const std::string& settings) {
  std::error_code ec;
  const fs::path public_dir = fs::canonical(index_path(ws.dir(), IndexKind::Public), ec);
  if (ec) return std::nullopt;
  const fs::path internal_dir = fs::canonical(index_path(ws.dir(), IndexKind::Internal), ec);
  if (ec) return std::nullopt;
  try {
    Databases dbs;
    for (std::size_t i = 0; i < kDatabases; ++i) {
      const fs::path dir = (i == kClosed ? internal_dir : public_dir) / database_name(i);
      dbs[i] = std::make_unique<Xapian::WritableDatabase>(dir.string(), Xapian::DB_OPEN);
    }
    // All from one build, with today's settings, and all as far as each other.
    const auto meta = [&](const char* key) { return dbs[0]->get_metadata(key); };
    for (const auto& db : dbs) {
      for (const char* key : {kSettingsKey, kAsOfKey, kAuditKey, kGenerationKey}) {
        if (db->get_metadata(key) != meta(key)) return std::nullopt;
      }
    }
    const std::optional<Date> as_of = Date::parse_iso(meta(kAsOfKey));
    if (meta(kSettingsKey) != settings || meta(kAuditKey).empty() || !as_of) return std::nullopt;
    const std::int64_t since = std::stoll(meta(kAuditKey));
    const std::int64_t audit_id = ws.catalogue().last_audit_id();
    const Catalogued catalogued(ws);
    const auto ids = ChangedUnits(ws, catalogued, today).since(since, *as_of, dbs);
    if (!ids) return std::nullopt;  // closing without commit drops nothing written yet
    Writers writers;
    for (std::size_t i = 0; i < kDatabases; ++i) {
      writers[i] = std::make_unique<Writer>(catalogued, i, today, language);
    }
    std::int64_t removed = 0;
    for (const auto id : *ids) {
      if (const std::optional<Unit> unit = ws.catalogue().find_by_id(id)) {
        for (std::size_t i = 0; i < kDatabases; ++i) writers[i]->write(*dbs[i], *unit, true);
      } else {
        for (std::size_t i = 0; i < kDatabases; ++i) writers[i]->remove(*dbs[i], docid_of(id));
        ++removed;
      }
    }
    // Each database's documents and resume point in one commit. Should one fail, they no
    // longer agree, and the next run builds anew.
    for (const auto& db : dbs) {
      record(*db, settings, today, audit_id, meta(kGenerationKey));
      db->commit();
    }
    std::vector<IndexReport> reports = reports_of(writers, false);
    for (auto& r : reports) r.removed = removed;
    return reports;
  } catch (const Xapian::DatabaseLockError&) {
    throw EnvironmentError(ws.dir().string() + "/index: another process is writing the index");
  } catch (const Xapian::DatabaseOpeningError&) {
    return std::nullopt;  // missing or unreadable (another Xapian version): build it anew
  } catch (const Xapian::DatabaseCorruptError&) {
    return std::nullopt;
  } catch (const Xapian::Error& e) {
    throw EnvironmentError(ws.dir().string() +
                           "/index: cannot update the index: " + e.get_description());
  }
}

}  // namespace

std::vector<IndexReport> update_indexes(Workspace& ws, Date today, bool full) {
  const Language language = Language::load(ws.dir());
  const std::string settings = settings_of(ws.policy(), language);
  if (!full) {
    if (auto reports = update_in_place(ws, today, language, settings)) return *reports;
  }
  return build_fresh(ws, today, language, settings);
}

IndexReport update_index(Workspace& ws, IndexKind kind, Date today, bool full) {
  return update_indexes(ws, today, full)[kind == IndexKind::Public ? 0 : 1];
}

IndexReport build_index(Workspace& ws, IndexKind kind, Date today) {
  return update_index(ws, kind, today, true);
}

}  // namespace findbuch::search

#pragma once
// The catalogue facade: units of description in one tree, persisted in SQLite, every change
// written to the audit log in the same transaction.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalogue/access_policy.hpp"
#include "catalogue/unit.hpp"
#include "store/sqlite.hpp"

namespace findbuch {

struct AuditEntry {
  std::int64_t id = 0;
  std::string at;  ///< UTC, "YYYY-MM-DDThh:mm:ssZ"
  std::string signatur;
  std::string action;  ///< create, set, move
  std::string field;
  std::string old_value;
  std::string new_value;
  std::string source;  ///< the command or file that made the change
};

/// A light row for listings (`tree`): no list fields loaded.
struct UnitSummary {
  std::int64_t id = 0;
  std::string signatur;
  Level level = Level::File;
  std::string title;
  std::string laufzeit;
  std::int64_t child_count = 0;
};

class Catalogue {
 public:
  /// Opens (creating when `create`) and migrates the catalogue database.
  Catalogue(const std::filesystem::path& db_file, bool create);
  ~Catalogue();
  Catalogue(const Catalogue&) = delete;
  Catalogue& operator=(const Catalogue&) = delete;

  Database& db();
  int schema_version();

  std::optional<Unit> find(std::string_view signatur);
  std::optional<Unit> find_by_id(std::int64_t id);
  std::optional<Unit> find_by_ead_id(std::string_view ead_id);
  /// Like find, but an unknown Signatur is an InputError with the nearest Signatur suggested.
  Unit require(std::string_view signatur);

  /// Children of `parent_id` (0 = roots) in arrangement order.
  std::vector<UnitSummary> children(std::int64_t parent_id);
  /// Ancestors of `unit`, the root first.
  std::vector<Unit> ancestors(const Unit& unit);
  /// Walks the ancestors from the root and folds their access decisions.
  AncestorFacts ancestor_facts(const Unit& unit, const AccessPolicy& policy, Date today);
  /// Is `ancestor_id` the unit `id` itself or above it?
  bool is_same_or_ancestor(std::int64_t ancestor_id, std::int64_t id);
  std::int64_t unit_count();

  /// Which units for_each_unit visits.
  enum class Scope { All, Parents /* units with at least one child */ };
  /// Visits units in id order from one statement: for readers of the whole catalogue (the
  /// search index), where one lookup per unit would cost more than the work itself.
  void for_each_unit(Scope scope, const std::function<void(const Unit&)>& visit);
  struct TreeLink {
    std::int64_t id = 0, parent_id = 0;  ///< parent 0: a root
  };
  /// Every unit's parent, in id order: the tree's shape without its descriptions.
  std::vector<TreeLink> tree_links();
  /// The newest audit entry's id (0 when there is none): a resume point for readers that
  /// follow changes.
  std::int64_t last_audit_id();
  /// Units with audit entries after `audit_id`, ascending; a unit since removed is listed too.
  std::vector<std::int64_t> units_changed_since(std::int64_t audit_id);
  /// The position a unit appended under `parent_id` (0 = root) would get.
  int next_position(std::int64_t parent_id);

  /// Stores a new unit under unit.parent_id; position < 0 appends. Sets unit.id (and the
  /// position). Checks the level rules and the uniqueness of Signatur and EAD id (InputError);
  /// `known_unique` skips the latter when the caller has just looked both up.
  void insert(Unit& unit, std::string_view source, bool known_unique = false);
  /// Writes `after` over the stored unit `before` (same id), one audit entry per changed field.
  /// Returns the number of changed fields.
  int update(const Unit& before, const Unit& after, std::string_view source);
  /// Moves a subtree under `new_parent_id` (0 = root), before the sibling `before_id` or at the
  /// end. Signaturen never change.
  void move(const Unit& unit, std::int64_t new_parent_id, std::optional<std::int64_t> before_id,
            std::string_view source);

  /// Audit entries, newest first; for one unit or for all.
  std::vector<AuditEntry> log(std::optional<std::int64_t> unit_id, int limit);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace findbuch

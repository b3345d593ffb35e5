#pragma once
// What every importer produces: units in parent-before-child order with where they came from.
// ImportWriter writes them in one transaction: all or nothing, idempotent by EAD id or
// Signatur, with a report of what was (or, with dry_run, would be) created and changed.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "catalogue/unit.hpp"
#include "store/catalogue.hpp"

namespace findbuch {

struct ImportedUnit {
  Unit unit;
  int parent = -1;  ///< index of the parent in the batch; -1 = a top unit of the batch
  /// For a top unit: the Signatur of an existing unit to place it under (CSV "parent" column).
  std::string parent_signatur;
  std::string where;  ///< "FILE:LINE" or "FILE: /ead/archdesc/dsc/c[2]/c[1]", for messages
  /// Field keys the source states explicitly (CSV columns): those are written even when empty.
  /// When empty, only non-empty fields overwrite what the catalogue holds (EAD: a Findbuch
  /// enriches the Bestand record of the Tektonik without erasing it).
  std::vector<std::string> provided;
  /// Only fill fields the catalogue leaves empty: a Tektonik file places a Bestand, but its
  /// Findbuch describes it, so re-importing the Tektonik must not undo the Findbuch.
  bool fill_only = false;
};

struct ImportBatch {
  std::string source;  ///< the file name
  std::string kind;    ///< "ead" or "csv", for the audit log
  std::vector<ImportedUnit> units;
  std::vector<std::string> warnings;
};

struct ImportOptions {
  std::string under;  ///< Signatur to place the batch's top units under; "" = keep / root
  bool dry_run = false;
  bool collect_details = true;  ///< list every created/changed unit in the report
};

struct ImportReport {
  int created = 0;
  int changed = 0;
  int moved = 0;
  int unchanged = 0;
  std::vector<std::string> details;  ///< "create C 5.63 Nr. 1", "change … (title, laufzeit)"
  std::vector<std::string> warnings;
};

/// Receives the units of one import as a reader produces them (large finding aids are not held
/// in memory twice). Returns the index the unit's children refer to as `parent`.
using UnitSink = std::function<int(ImportedUnit&&)>;

/// Writes one import into the catalogue, unit by unit, inside one transaction that commits in
/// finish() (unless dry_run) and rolls back if the writer is destroyed before, e.g. when the
/// reader throws on unit 90,000 of 100,000.
class ImportWriter {
 public:
  ImportWriter(Catalogue& catalogue, std::string kind, std::string source,
               const ImportOptions& options);
  ~ImportWriter();
  ImportWriter(const ImportWriter&) = delete;
  ImportWriter& operator=(const ImportWriter&) = delete;

  /// Creates, changes or moves the unit; InputError names iu.where and the Signatur.
  int add(ImportedUnit&& iu);
  void warn(std::string warning);
  ImportReport finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Writes a whole batch (the CSV importer sorts before it writes; tests build batches).
ImportReport apply_import(Catalogue& catalogue, const ImportBatch& batch,
                          const ImportOptions& options);

}  // namespace findbuch

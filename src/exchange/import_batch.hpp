#pragma once
// What every importer produces: units in parent-before-child order with where they came from.
// apply_import writes a batch in one transaction: all or nothing, idempotent by EAD id or
// Signatur, with a report of what was (or, with dry_run, would be) created and changed.
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
};

struct ImportReport {
  int created = 0;
  int changed = 0;
  int moved = 0;
  int unchanged = 0;
  std::vector<std::string> details;  ///< "create C 5.63 Nr. 1", "change … (title, laufzeit)"
  std::vector<std::string> warnings;
};

ImportReport apply_import(Catalogue& catalogue, const ImportBatch& batch,
                          const ImportOptions& options);

}  // namespace findbuch

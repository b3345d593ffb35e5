#pragma once
// The spreadsheet import: one row per unit, columns named by the field table
// (schemas/csv-import.schema.json documents them), plus "parent" for the Signatur above.
#include <string>
#include <string_view>

#include "exchange/import_batch.hpp"

namespace findbuch {

/// Turns CSV bytes into a batch, parents before children. Throws InputError "FILE:LINE: …"
/// for unknown columns, bad values, duplicate Signaturen and parent cycles.
ImportBatch read_csv_units(std::string_view bytes, const std::string& source);

}  // namespace findbuch

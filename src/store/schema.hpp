#pragma once
// The catalogue's SQLite schema as an ordered list of migrations. PRAGMA user_version is the
// schema version: an older workspace is migrated forward on open, a newer one is refused.
#include "store/sqlite.hpp"

namespace findbuch {

/// The schema version this build writes.
int current_schema_version();

/// Applies the migrations from the database's version up to `target` (default: current), each in
/// its own transaction. Throws EnvironmentError when the database is newer than this build.
void migrate(Database& db, const std::string& path, int target = -1);

}  // namespace findbuch

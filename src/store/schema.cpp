#include "store/schema.hpp"

#include <vector>

#include "core/error.hpp"

namespace findbuch {
namespace {

// Each entry upgrades from version i to i+1. Never edit a released step: add a new one.
const std::vector<const char*>& migrations() {
  static const std::vector<const char*> steps = {
      // 1: units of description in one tree, and the audit log.
      R"sql(
      CREATE TABLE units (
        id INTEGER PRIMARY KEY,
        parent_id INTEGER REFERENCES units(id) ON DELETE RESTRICT,
        position INTEGER NOT NULL DEFAULT 0,
        signatur TEXT NOT NULL UNIQUE,
        sort_key TEXT NOT NULL,
        signatur_generated INTEGER NOT NULL DEFAULT 0,
        ead_id TEXT UNIQUE,
        level TEXT NOT NULL CHECK (level IN ('tektonik_group','bestand','teilbestand',
                                             'classification','series','file','item')),
        title TEXT NOT NULL,
        date_text TEXT, date_from TEXT, date_to TEXT, date_normal TEXT,
        date_approximate INTEGER NOT NULL DEFAULT 0, date_undated INTEGER NOT NULL DEFAULT 0,
        extent TEXT, creator TEXT, enthaelt TEXT, darin TEXT, archival_history TEXT,
        access_conditions TEXT, use_conditions TEXT, language TEXT, notes TEXT,
        former_reference TEXT, aktenzeichen TEXT, storage_location TEXT,
        personal_data INTEGER NOT NULL DEFAULT 0,
        secrecy INTEGER NOT NULL DEFAULT 0,
        embargo_until TEXT,
        shortened_to TEXT, shortening_reason TEXT,
        zwischenarchiv INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX units_children ON units(parent_id, position);
      CREATE INDEX units_sort ON units(sort_key);
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        unit_id INTEGER,
        signatur TEXT NOT NULL,
        action TEXT NOT NULL,
        field TEXT,
        old_value TEXT,
        new_value TEXT,
        source TEXT
      );
      CREATE INDEX audit_by_unit ON audit_log(unit_id, id);
      )sql",
      // 2: list fields: index terms, persons concerned (life dates), digital objects.
      R"sql(
      CREATE TABLE index_terms (
        unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('person','place','corporate_body','subject')),
        name TEXT NOT NULL,
        gnd TEXT,
        PRIMARY KEY (unit_id, position)
      ) WITHOUT ROWID;
      CREATE INDEX index_terms_name ON index_terms(kind, name);
      CREATE TABLE persons_concerned (
        unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        born TEXT,
        died TEXT,
        PRIMARY KEY (unit_id, position)
      ) WITHOUT ROWID;
      CREATE TABLE digital_objects (
        unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        role TEXT NOT NULL,
        href TEXT NOT NULL,
        title TEXT,
        PRIMARY KEY (unit_id, position)
      ) WITHOUT ROWID;
      )sql",
  };
  return steps;
}

}  // namespace

int current_schema_version() {
  return static_cast<int>(migrations().size());
}

void migrate(Database& db, const std::string& path, int target) {
  if (target < 0) target = current_schema_version();
  const int version = db.user_version();
  if (version > current_schema_version())
    throw EnvironmentError("catalogue " + path + " has schema version " + std::to_string(version) +
                           ", written by a newer Findbuch; this build understands up to version " +
                           std::to_string(current_schema_version()) +
                           ". Install a newer findbuch to open it.");
  for (int v = version; v < target; ++v) {
    Transaction tx(db);
    db.exec(migrations()[static_cast<std::size_t>(v)]);
    db.set_user_version(v + 1);
    tx.commit();
  }
}

}  // namespace findbuch

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
        -- OR rather than IN (…): SQLite builds a temporary table for IN on every INSERT.
        level TEXT NOT NULL CHECK (level = 'tektonik_group' OR level = 'bestand' OR
                                   level = 'teilbestand' OR level = 'classification' OR
                                   level = 'series' OR level = 'file' OR level = 'item'),
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
      // 2: list fields, stored as JSON arrays beside the unit they belong to (they are always
      // read and written with it; a row per term made big imports four times slower).
      R"sql(
      ALTER TABLE units ADD COLUMN index_terms TEXT;        -- [[kind, name, gnd], …]
      ALTER TABLE units ADD COLUMN persons_concerned TEXT;  -- [[name, born, died], …]
      ALTER TABLE units ADD COLUMN digital_objects TEXT;    -- [[role, href, title], …]
      )sql",
      // 3: Signaturen are never reused (DOMAIN.md §1): a Signatur a unit gave up stays in the
      // audit log; this index finds it there.
      R"sql(
      CREATE INDEX audit_former_signaturen ON audit_log(old_value) WHERE field = 'signatur';
      )sql",
      // 4: preservation masters (content-addressed by SHA-256) and the pages of units.
      R"sql(
      CREATE TABLE masters (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,
        path TEXT NOT NULL,
        original_name TEXT NOT NULL,
        ingested_at TEXT NOT NULL,
        format TEXT NOT NULL, compression TEXT NOT NULL, file_size INTEGER NOT NULL,
        width INTEGER NOT NULL, height INTEGER NOT NULL,
        bits_per_sample INTEGER NOT NULL, samples_per_pixel INTEGER NOT NULL,
        colour_space TEXT NOT NULL, icc_profile TEXT NOT NULL,
        ppi INTEGER NOT NULL,  -- milli-ppi
        make TEXT NOT NULL, model TEXT NOT NULL, software TEXT NOT NULL,
        capture_date TEXT NOT NULL, pages INTEGER NOT NULL
      );
      CREATE TABLE pages (
        unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE RESTRICT,
        sequence INTEGER NOT NULL,
        master_id INTEGER NOT NULL REFERENCES masters(id) ON DELETE RESTRICT,
        PRIMARY KEY (unit_id, sequence)
      ) WITHOUT ROWID;
      CREATE INDEX pages_by_master ON pages(master_id);
      )sql",
      // 5: derivatives of masters made by cleaning pipelines, each with its processing history
      // (JSON: master hash, pipeline, every stage's parameters and measurements, tool version).
      R"sql(
      CREATE TABLE derivatives (
        id INTEGER PRIMARY KEY,
        master_id INTEGER NOT NULL REFERENCES masters(id) ON DELETE RESTRICT,
        pipeline TEXT NOT NULL,
        pipeline_sha256 TEXT NOT NULL,
        part INTEGER NOT NULL,
        role TEXT NOT NULL,
        path TEXT NOT NULL,
        format TEXT NOT NULL,
        width INTEGER NOT NULL, height INTEGER NOT NULL, file_size INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        history TEXT NOT NULL,
        UNIQUE (master_id, pipeline, part, role)
      );
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
    // Another process may have migrated meanwhile: re-read under the write transaction.
    const int now = db.user_version();
    if (now > v) {
      v = now - 1;
      continue;
    }
    db.exec(migrations()[static_cast<std::size_t>(v)]);
    db.set_user_version(v + 1);
    tx.commit();
  }
}

}  // namespace findbuch

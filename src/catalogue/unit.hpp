#pragma once
// The unit of description (Verzeichnungseinheit) with the ISAD(G) fields of DOMAIN.md §1, and
// its level in the one tree: Tektonik groups → Bestand → Teilbestand/Gliederung → Serie → Akte
// → Einzelstück.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/laufzeit.hpp"

namespace findbuch {

enum class Level { TektonikGroup, Bestand, Teilbestand, Classification, Series, File, Item };

/// One row of the level table (data, not code): German name, key, ISAD(G) and EAD names.
struct LevelInfo {
  Level level;
  std::string_view key;      ///< stable key in JSON, CSV and the catalogue
  std::string_view german;   ///< shown to archivists
  std::string_view isad;     ///< ISAD(G) level
  std::string_view ead_ddb;  ///< EAD(DDB) c/@level in a Findbuch
  int rank;                  ///< depth class: a child's rank is never below its parent's
};

const std::vector<LevelInfo>& level_table();
const LevelInfo& level_info(Level level);
/// Accepts the key, the German names and their usual synonyms (Bestandsgruppe, Klassifikation,
/// Verzeichnungseinheit, Dokument …), case-insensitive. nullopt when unknown.
std::optional<Level> level_from_name(std::string_view name);
/// The allowed values, for error messages.
std::string level_names_for_humans();
/// Tektonik groups, Bestände and their inner order (Teilbestand, Gliederung, Serie) describe
/// holdings, not records: they are always public. Protection periods apply to Akte and Einzelstück.
bool is_structural_level(Level level);
/// Tektonik groups and Bestände: always public, whatever is recorded on them.
bool is_holdings_level(Level level);
/// May a unit of level `child` stand below one of level `parent`?
bool level_may_contain(Level parent, Level child);

struct IndexTerm {
  enum class Kind { Person, Place, CorporateBody, Subject };
  Kind kind = Kind::Subject;
  std::string name;
  std::string gnd;  ///< GND id where known
  bool operator==(const IndexTerm&) const = default;
};
std::string_view index_kind_key(IndexTerm::Kind kind);

/// A natural person a unit is about, with the life dates that drive personal protection periods.
struct PersonConcerned {
  std::string name;
  std::string born;  ///< as recorded: "1921", "1921-04-03"; empty if unknown
  std::string died;
  bool operator==(const PersonConcerned&) const = default;
};

/// A linked digital object (EAD daogrp/dao), e.g. a viewer link or an image.
struct DigitalObject {
  std::string role;  ///< image_full, image_thumb, externer_viewer, METS, or free
  std::string href;
  std::string title;
  bool operator==(const DigitalObject&) const = default;
};

struct Unit {
  std::int64_t id = 0;         ///< catalogue row id; 0 = not stored yet
  std::int64_t parent_id = 0;  ///< 0 = at the root of the Tektonik
  int position = 0;            ///< order among siblings (arrangement), 0-based
  std::string signatur;
  bool signatur_generated = false;  ///< made up on import because the source had no unitid
  std::string ead_id;

  Level level = Level::File;
  std::string title;
  Laufzeit laufzeit;
  std::string extent;
  std::string creator;  ///< Provenienz
  std::string enthaelt;
  std::string darin;
  std::string archival_history;
  std::string access_conditions;
  std::string use_conditions;
  std::string language;
  std::string notes;
  std::string former_reference;  ///< alte Signatur / Vorsignatur
  std::string aktenzeichen;      ///< the office's file reference
  std::string storage_location;
  std::vector<IndexTerm> index_terms;
  std::vector<DigitalObject> digital_objects;

  // Access facts (DOMAIN.md §3)
  bool personal_data = false;
  std::vector<PersonConcerned> persons_concerned;
  bool secrecy = false;
  std::optional<Date> embargo_until;  ///< deposit contract or explicit embargo
  std::optional<Date> shortened_to;   ///< recorded shortening: accessible from this day
  std::string shortening_reason;
  bool zwischenarchiv = false;  ///< this node and everything below is never public

  /// Same description (ignores id, parent_id and position).
  bool same_description(const Unit& other) const;
};

}  // namespace findbuch

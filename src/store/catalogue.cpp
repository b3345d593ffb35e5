#include "store/catalogue.hpp"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "catalogue/fields.hpp"
#include "core/error.hpp"
#include "core/natural_sort.hpp"
#include "core/text.hpp"
#include "store/schema.hpp"

namespace findbuch {
namespace {

constexpr const char* kUnitColumns =
    "id, parent_id, position, signatur, signatur_generated, ead_id, level, title, date_text, "
    "date_from, date_to, date_normal, date_approximate, date_undated, extent, creator, enthaelt, "
    "darin, archival_history, access_conditions, use_conditions, language, notes, "
    "former_reference, aktenzeichen, storage_location, personal_data, secrecy, embargo_until, "
    "shortened_to, shortening_reason, zwischenarchiv, index_terms, persons_concerned, "
    "digital_objects";

// List fields as compact JSON arrays of arrays; "" (NULL) when empty. Terms are kept grouped by
// kind so that a unit read back compares equal to one rebuilt field by field.
/// Appends `text` as a JSON string. Hand-written: nlohmann's DOM costs more than the INSERT.
void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      static const char hex[] = "0123456789abcdef";
      out += "\\u00";
      out += hex[u >> 4];
      out += hex[u & 15];
    } else {
      out += c;
    }
  }
  out += '"';
}

template <typename T, typename Fields>
std::string triples_to_json(const std::vector<T>& rows, Fields fields) {
  if (rows.empty()) return "";
  std::string out = "[";
  for (const auto& row : rows) {
    if (out.size() > 1) out += ',';
    out += '[';
    const auto [a, b, c] = fields(row);
    append_json_string(out, a);
    out += ',';
    append_json_string(out, b);
    out += ',';
    append_json_string(out, c);
    out += ']';
  }
  out += ']';
  return out;
}

std::string terms_to_json(const std::vector<IndexTerm>& terms) {
  std::vector<IndexTerm> sorted = terms;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const IndexTerm& a, const IndexTerm& b) { return a.kind < b.kind; });
  return triples_to_json(sorted, [](const IndexTerm& t) {
    return std::array<std::string_view, 3>{index_kind_key(t.kind), t.name, t.gnd};
  });
}

std::string persons_to_json(const std::vector<PersonConcerned>& persons) {
  return triples_to_json(persons, [](const PersonConcerned& p) {
    return std::array<std::string_view, 3>{p.name, p.born, p.died};
  });
}

std::string objects_to_json(const std::vector<DigitalObject>& objects) {
  return triples_to_json(objects, [](const DigitalObject& o) {
    return std::array<std::string_view, 3>{o.role, o.href, o.title};
  });
}

/// Rows of three strings; a damaged value is reported, not guessed at.
std::vector<std::array<std::string, 3>> triples(const std::string& text) {
  std::vector<std::array<std::string, 3>> out;
  if (text.empty()) return out;
  try {
    for (const auto& row : nlohmann::json::parse(text))
      out.push_back({row.at(0).get<std::string>(), row.at(1).get<std::string>(),
                     row.at(2).get<std::string>()});
  } catch (const nlohmann::json::exception& e) {
    throw EnvironmentError("catalogue: damaged list value " + text.substr(0, 80) + ": " + e.what());
  }
  return out;
}

std::vector<IndexTerm> terms_from_json(const std::string& text) {
  std::vector<IndexTerm> out;
  for (auto& [kind, name, gnd] : triples(text)) {
    IndexTerm t{IndexTerm::Kind::Subject, std::move(name), std::move(gnd)};
    for (auto k : {IndexTerm::Kind::Person, IndexTerm::Kind::Place, IndexTerm::Kind::CorporateBody,
                   IndexTerm::Kind::Subject})
      if (kind == index_kind_key(k)) t.kind = k;
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<PersonConcerned> persons_from_json(const std::string& text) {
  std::vector<PersonConcerned> out;
  for (auto& [name, born, died] : triples(text))
    out.push_back({std::move(name), std::move(born), std::move(died)});
  return out;
}

std::vector<DigitalObject> objects_from_json(const std::string& text) {
  std::vector<DigitalObject> out;
  for (auto& [role, href, title] : triples(text))
    out.push_back({std::move(role), std::move(href), std::move(title)});
  return out;
}

std::optional<Date> opt_date(const Statement& st, int col) {
  return st.is_null(col) ? std::nullopt : Date::parse_iso(st.text(col));
}

Unit read_unit(const Statement& st) {
  Unit u;
  int c = 0;
  u.id = st.integer(c++);
  u.parent_id = st.integer(c++);
  u.position = static_cast<int>(st.integer(c++));
  u.signatur = st.text(c++);
  u.signatur_generated = st.integer(c++) != 0;
  u.ead_id = st.text(c++);
  u.level = level_from_name(st.text(c++)).value_or(Level::File);
  u.title = st.text(c++);
  u.laufzeit.text = st.text(c++);
  u.laufzeit.from = opt_date(st, c++);
  u.laufzeit.to = opt_date(st, c++);
  u.laufzeit.normal = st.text(c++);
  u.laufzeit.approximate = st.integer(c++) != 0;
  u.laufzeit.undated = st.integer(c++) != 0;
  for (std::string* s : {&u.extent, &u.creator, &u.enthaelt, &u.darin, &u.archival_history,
                         &u.access_conditions, &u.use_conditions, &u.language, &u.notes,
                         &u.former_reference, &u.aktenzeichen, &u.storage_location})
    *s = st.text(c++);
  u.personal_data = st.integer(c++) != 0;
  u.secrecy = st.integer(c++) != 0;
  u.embargo_until = opt_date(st, c++);
  u.shortened_to = opt_date(st, c++);
  u.shortening_reason = st.text(c++);
  u.zwischenarchiv = st.integer(c++) != 0;
  u.index_terms = terms_from_json(st.text(c++));
  u.persons_concerned = persons_from_json(st.text(c++));
  u.digital_objects = objects_from_json(st.text(c++));
  return u;
}

/// Binds the descriptive columns (all but id, parent_id, position) starting at `first`.
int bind_description(Statement& st, const Unit& u, int first) {
  int i = first;
  st.bind_ref_or_null(i++, u.signatur);
  st.bind(i++, natural_sort_key(u.signatur));
  st.bind(i++, u.signatur_generated);
  st.bind_ref_or_null(i++, u.ead_id);
  st.bind(i++, level_info(u.level).key);
  st.bind_ref_or_null(i++, u.title);
  st.bind_ref_or_null(i++, u.laufzeit.text);
  st.bind_or_null(i++, u.laufzeit.from ? u.laufzeit.from->iso() : "");
  st.bind_or_null(i++, u.laufzeit.to ? u.laufzeit.to->iso() : "");
  st.bind_ref_or_null(i++, u.laufzeit.normal);
  st.bind(i++, u.laufzeit.approximate);
  st.bind(i++, u.laufzeit.undated);
  for (const std::string* s : {&u.extent, &u.creator, &u.enthaelt, &u.darin, &u.archival_history,
                               &u.access_conditions, &u.use_conditions, &u.language, &u.notes,
                               &u.former_reference, &u.aktenzeichen, &u.storage_location})
    st.bind_ref_or_null(i++, *s);
  st.bind(i++, u.personal_data);
  st.bind(i++, u.secrecy);
  st.bind_or_null(i++, u.embargo_until ? u.embargo_until->iso() : "");
  st.bind_or_null(i++, u.shortened_to ? u.shortened_to->iso() : "");
  st.bind_ref_or_null(i++, u.shortening_reason);
  st.bind(i++, u.zwischenarchiv);
  st.bind_or_null(i++, terms_to_json(u.index_terms));
  st.bind_or_null(i++, persons_to_json(u.persons_concerned));
  st.bind_or_null(i++, objects_to_json(u.digital_objects));
  st.bind(i++, utc_timestamp());
  return i;
}

constexpr const char* kDescriptionAssignments =
    "signatur=?, sort_key=?, signatur_generated=?, ead_id=?, level=?, title=?, date_text=?, "
    "date_from=?, date_to=?, date_normal=?, date_approximate=?, date_undated=?, extent=?, "
    "creator=?, enthaelt=?, darin=?, archival_history=?, access_conditions=?, use_conditions=?, "
    "language=?, notes=?, former_reference=?, aktenzeichen=?, storage_location=?, "
    "personal_data=?, secrecy=?, embargo_until=?, shortened_to=?, shortening_reason=?, "
    "zwischenarchiv=?, index_terms=?, persons_concerned=?, digital_objects=?, updated_at=?";

}  // namespace

struct Catalogue::Impl {
  std::filesystem::path path;
  Database db;
  bool ready;  // set by configure(): statements below need the migrated schema
  Statement by_signatur, by_id, by_ead_id, insert_unit, update_unit, children_of, parent_of,
      insert_audit, append_position, level_by_id, former_signatur;

  Impl(const std::filesystem::path& p, bool create)
      : path(p),
        db(p.string(), create),
        ready(configure(db, p)),
        by_signatur(db, std::string("SELECT ") + kUnitColumns + " FROM units WHERE signatur=?"),
        by_id(db, std::string("SELECT ") + kUnitColumns + " FROM units WHERE id=?"),
        by_ead_id(db, std::string("SELECT ") + kUnitColumns + " FROM units WHERE ead_id=?"),
        insert_unit(db,
                    "INSERT INTO units (parent_id, position, signatur, sort_key, "
                    "signatur_generated, ead_id, level, title, date_text, date_from, date_to, "
                    "date_normal, date_approximate, date_undated, extent, creator, enthaelt, "
                    "darin, archival_history, access_conditions, use_conditions, language, notes, "
                    "former_reference, aktenzeichen, storage_location, personal_data, secrecy, "
                    "embargo_until, shortened_to, shortening_reason, zwischenarchiv, index_terms, "
                    "persons_concerned, digital_objects, updated_at) VALUES "
                    "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"),
        update_unit(db, std::string("UPDATE units SET ") + kDescriptionAssignments + " WHERE id=?"),
        children_of(db,
                    "SELECT u.id, u.signatur, u.level, u.title, u.date_text, "
                    "(SELECT count(*) FROM units c WHERE c.parent_id = u.id) "
                    "FROM units u WHERE u.parent_id IS ? ORDER BY u.position, u.sort_key"),
        parent_of(db, "SELECT parent_id FROM units WHERE id=?"),
        insert_audit(db,
                     "INSERT INTO audit_log (at, unit_id, signatur, action, field, old_value, "
                     "new_value, source) VALUES (?,?,?,?,?,?,?,?)"),
        append_position(db,
                        "SELECT coalesce(max(position) + 1, 0) FROM units WHERE parent_id IS ?"),
        level_by_id(db, "SELECT level FROM units WHERE id=?"),
        former_signatur(db,
                        "SELECT unit_id FROM audit_log WHERE field = 'signatur' AND old_value = ? "
                        "AND coalesce(unit_id, 0) != ? LIMIT 1") {}

  static bool configure(Database& d, const std::filesystem::path& p) {
    d.exec("PRAGMA journal_mode=WAL");
    d.exec("PRAGMA foreign_keys=ON");
    d.exec("PRAGMA synchronous=NORMAL");
    // A large page cache keeps big imports from spilling half-done pages to the WAL.
    d.exec("PRAGMA cache_size=-16384");
    migrate(d, p.string());
    return true;
  }

  Statement& bind_parent(Statement& st, int index, std::int64_t parent_id) {
    return parent_id ? st.bind(index, parent_id) : st.bind_null(index);
  }

  std::optional<Unit> load(Statement& st) {
    std::optional<Unit> result;
    if (st.step()) result = read_unit(st);
    st.reset();
    return result;
  }

  void audit(std::int64_t unit_id, std::string_view signatur, std::string_view action,
             std::string_view field, std::string_view old_value, std::string_view new_value,
             std::string_view source) {
    insert_audit.bind(1, utc_timestamp()).bind(2, unit_id).bind(3, signatur).bind(4, action);
    insert_audit.bind_or_null(5, field).bind_or_null(6, old_value).bind_or_null(7, new_value);
    insert_audit.bind_or_null(8, source).run();
  }

  std::int64_t cached_level_id = 0;  // imports place many units under the same parent
  Level cached_level = Level::File;

  std::optional<Level> level_of(std::int64_t id) {
    if (!id) return std::nullopt;
    if (id == cached_level_id) return cached_level;
    level_by_id.bind(1, id);
    const bool found = level_by_id.step();
    const std::optional<Level> level = found ? level_from_name(level_by_id.text(0)) : std::nullopt;
    level_by_id.reset();
    if (!found) throw InputError("no unit with id " + std::to_string(id));
    cached_level_id = id;
    cached_level = *level;
    return level;
  }

  void check_placement(const Unit& u, std::int64_t parent_id) {
    const auto parent_level = level_of(parent_id);
    if (!parent_level) {
      if (u.level != Level::TektonikGroup && u.level != Level::Bestand)
        throw InputError("unit " + in_quotes(u.signatur) + ": a " +
                         std::string(level_info(u.level).german) +
                         " cannot stand at the top of the Tektonik; only Tektonikgruppe or "
                         "Bestand can");
      return;
    }
    if (!level_may_contain(*parent_level, u.level))
      throw InputError("unit " + in_quotes(u.signatur) + ": a " +
                       std::string(level_info(u.level).german) + " cannot stand below a " +
                       std::string(level_info(*parent_level).german));
  }

  /// A Signatur another unit once had is retired: citations in the literature point to it.
  void check_not_retired(const Unit& u) {
    former_signatur.bind(1, u.signatur).bind(2, u.id);
    const bool retired = former_signatur.step();
    former_signatur.reset();
    if (retired)
      throw InputError("Signatur " + in_quotes(u.signatur) +
                       " was used before by another unit and is never given out again");
  }

  void check_unique(const Unit& u) {
    check_not_retired(u);
    by_signatur.bind(1, u.signatur);
    const bool taken = by_signatur.step() && by_signatur.integer(0) != u.id;
    by_signatur.reset();
    if (taken) throw InputError("Signatur " + in_quotes(u.signatur) + " is already taken");
    if (u.ead_id.empty()) return;
    by_ead_id.bind(1, u.ead_id);
    const bool id_taken = by_ead_id.step() && by_ead_id.integer(0) != u.id;
    by_ead_id.reset();
    if (id_taken) throw InputError("EAD id " + in_quotes(u.ead_id) + " is already taken");
  }
};

Catalogue::Catalogue(const std::filesystem::path& db_file, bool create)
    : impl_(std::make_unique<Impl>(db_file, create)) {}
Catalogue::~Catalogue() = default;

Database& Catalogue::db() {
  return impl_->db;
}
int Catalogue::schema_version() {
  return impl_->db.user_version();
}

std::optional<Unit> Catalogue::find(std::string_view signatur) {
  impl_->by_signatur.bind(1, normalize_space(signatur));
  return impl_->load(impl_->by_signatur);
}

std::optional<Unit> Catalogue::find_by_id(std::int64_t id) {
  impl_->by_id.bind(1, id);
  return impl_->load(impl_->by_id);
}

std::optional<Unit> Catalogue::find_by_ead_id(std::string_view ead_id) {
  impl_->by_ead_id.bind(1, ead_id);
  return impl_->load(impl_->by_ead_id);
}

Unit Catalogue::require(std::string_view signatur) {
  if (auto u = find(signatur)) return *u;
  // Suggest the nearest Signatur among those sharing the first character.
  const std::string wanted = normalize_space(signatur);
  std::vector<std::string> candidates;
  Statement st(impl_->db,
               "SELECT signatur FROM units WHERE lower(substr(signatur,1,1))=lower(?) LIMIT 20000");
  st.bind(1, wanted.substr(0, 1));
  while (st.step()) candidates.push_back(st.text(0));
  const std::string best = nearest_match(wanted, candidates, 3);
  std::string msg = "no unit with Signatur " + in_quotes(wanted);
  if (!best.empty()) msg += "; did you mean " + in_quotes(best) + "?";
  throw InputError(msg);
}

std::vector<UnitSummary> Catalogue::children(std::int64_t parent_id) {
  auto& st = impl_->children_of;
  impl_->bind_parent(st, 1, parent_id);
  std::vector<UnitSummary> out;
  while (st.step())
    out.push_back({st.integer(0), st.text(1), level_from_name(st.text(2)).value_or(Level::File),
                   st.text(3), st.text(4), st.integer(5)});
  st.reset();
  return out;
}

std::vector<Unit> Catalogue::ancestors(const Unit& unit) {
  std::vector<Unit> chain;
  std::int64_t id = unit.parent_id;
  while (id) {
    auto u = find_by_id(id);
    if (!u) break;
    id = u->parent_id;
    chain.insert(chain.begin(), std::move(*u));
    if (chain.size() > 10000)
      throw EnvironmentError("catalogue: parent cycle above unit " + unit.signatur);
  }
  return chain;
}

AncestorFacts Catalogue::ancestor_facts(const Unit& unit, const AccessPolicy& policy, Date today) {
  AncestorFacts facts;
  for (const auto& a : ancestors(unit)) facts.add(a, policy.decide(a, facts, today));
  return facts;
}

bool Catalogue::is_same_or_ancestor(std::int64_t ancestor_id, std::int64_t id) {
  for (int guard = 0; id && guard < 100000; ++guard) {
    if (id == ancestor_id) return true;
    impl_->parent_of.bind(1, id);
    id = impl_->parent_of.step() ? impl_->parent_of.integer(0) : 0;
    impl_->parent_of.reset();
  }
  return false;
}

std::int64_t Catalogue::unit_count() {
  Statement st(impl_->db, "SELECT count(*) FROM units");
  st.step();
  return st.integer(0);
}

void Catalogue::for_each_unit(Scope scope, const std::function<void(const Unit&)>& visit) {
  std::string sql = std::string("SELECT ") + kUnitColumns + " FROM units";
  if (scope == Scope::Parents) {
    sql += " WHERE id IN (SELECT parent_id FROM units WHERE parent_id IS NOT NULL)";
  }
  Statement st(impl_->db, sql + " ORDER BY id");
  while (st.step()) visit(read_unit(st));
}

std::vector<Catalogue::TreeLink> Catalogue::tree_links() {
  std::vector<TreeLink> links;
  Statement st(impl_->db, "SELECT id, coalesce(parent_id, 0) FROM units ORDER BY id");
  while (st.step()) links.push_back({st.integer(0), st.integer(1)});
  return links;
}

std::int64_t Catalogue::last_audit_id() {
  Statement st(impl_->db, "SELECT coalesce(max(id), 0) FROM audit_log");
  st.step();
  return st.integer(0);
}

std::vector<std::int64_t> Catalogue::units_changed_since(std::int64_t audit_id) {
  std::vector<std::int64_t> ids;
  Statement st(impl_->db,
               "SELECT DISTINCT unit_id FROM audit_log WHERE id > ? AND unit_id IS NOT NULL "
               "ORDER BY unit_id");
  st.bind(1, audit_id);
  while (st.step()) ids.push_back(st.integer(0));
  return ids;
}

int Catalogue::next_position(std::int64_t parent_id) {
  impl_->bind_parent(impl_->append_position, 1, parent_id);
  impl_->append_position.step();
  const int position = static_cast<int>(impl_->append_position.integer(0));
  impl_->append_position.reset();
  return position;
}

void Catalogue::insert(Unit& unit, std::string_view source, bool known_unique) {
  unit.signatur = normalize_space(unit.signatur);  // find() looks Signaturen up normalised
  if (unit.signatur.empty()) throw InputError("a unit needs a Signatur");
  impl_->check_placement(unit, unit.parent_id);
  if (known_unique)
    impl_->check_not_retired(unit);  // the caller looked up the living units only
  else
    impl_->check_unique(unit);
  if (unit.position < 0) unit.position = next_position(unit.parent_id);
  auto& st = impl_->insert_unit;
  impl_->bind_parent(st, 1, unit.parent_id);
  st.bind(2, unit.position);
  bind_description(st, unit, 3);
  st.run();
  unit.id = impl_->db.last_insert_id();
  impl_->audit(unit.id, unit.signatur, "create", "", "", unit.title, source);
}

int Catalogue::update(const Unit& before, const Unit& after, std::string_view source) {
  int changed = 0;
  for (const auto& f : field_table()) {
    const std::string old_value = logged_value(f, before);
    const std::string new_value = logged_value(f, after);
    if (old_value == new_value) continue;
    ++changed;
    impl_->audit(before.id, after.signatur, "set", f.key, old_value, new_value, source);
  }
  if (!changed && before.same_description(after)) return 0;
  if (after.level != before.level) {
    impl_->cached_level_id = 0;
    impl_->check_placement(after, before.parent_id);
    for (const auto& child : children(before.id)) {
      if (!level_may_contain(after.level, child.level))
        throw InputError("unit " + in_quotes(after.signatur) + " cannot become a " +
                         std::string(level_info(after.level).german) + ": its child " +
                         in_quotes(child.signatur) + " is a " +
                         std::string(level_info(child.level).german));
    }
  }
  if (after.signatur != before.signatur || after.ead_id != before.ead_id)
    impl_->check_unique(after);
  auto& st = impl_->update_unit;
  const int next = bind_description(st, after, 1);
  st.bind(next, before.id);
  st.run();
  return changed;
}

void Catalogue::move(const Unit& unit, std::int64_t new_parent_id,
                     std::optional<std::int64_t> before_id, std::string_view source) {
  if (new_parent_id && is_same_or_ancestor(unit.id, new_parent_id))
    throw InputError("cannot move " + in_quotes(unit.signatur) + " below itself");
  impl_->check_placement(unit, new_parent_id);
  Database& db = impl_->db;
  std::string old_parent = "(Wurzel)";
  if (auto p = unit.parent_id ? find_by_id(unit.parent_id) : std::nullopt) old_parent = p->signatur;
  std::string new_parent = "(Wurzel)";
  if (auto p = new_parent_id ? find_by_id(new_parent_id) : std::nullopt) new_parent = p->signatur;

  // Close the gap at the old place, then open one at the new place.
  {
    Statement st(db,
                 "UPDATE units SET position = position - 1 WHERE parent_id IS ? AND position > ?");
    impl_->bind_parent(st, 1, unit.parent_id);
    st.bind(2, unit.position).run();
  }
  int position;
  if (before_id) {
    Statement st(db, "SELECT parent_id, position FROM units WHERE id=?");
    st.bind(1, *before_id);
    if (!st.step() || st.integer(0) != new_parent_id)
      throw InputError("--before: that unit is not a child of " + in_quotes(new_parent));
    position = static_cast<int>(st.integer(1));
    Statement shift(
        db, "UPDATE units SET position = position + 1 WHERE parent_id IS ? AND position >= ?");
    impl_->bind_parent(shift, 1, new_parent_id);
    shift.bind(2, position).run();
  } else {
    Statement st(
        db, "SELECT coalesce(max(position) + 1, 0) FROM units WHERE parent_id IS ? AND id != ?");
    impl_->bind_parent(st, 1, new_parent_id);
    st.bind(2, unit.id);
    st.step();
    position = static_cast<int>(st.integer(0));
  }
  Statement st(db, "UPDATE units SET parent_id=?, position=?, updated_at=? WHERE id=?");
  impl_->bind_parent(st, 1, new_parent_id);
  st.bind(2, position).bind(3, utc_timestamp()).bind(4, unit.id).run();
  if (new_parent_id == unit.parent_id) {
    // Rearranged among the same siblings: the order is what changed.
    impl_->audit(unit.id, unit.signatur, "move", "position", std::to_string(unit.position + 1),
                 std::to_string(position + 1) + " under " + new_parent, source);
  } else {
    impl_->audit(unit.id, unit.signatur, "move", "parent", old_parent, new_parent, source);
  }
}

std::vector<AuditEntry> Catalogue::log(std::optional<std::int64_t> unit_id, int limit) {
  const std::string columns =
      "SELECT id, at, signatur, action, field, old_value, new_value, source FROM audit_log ";
  Statement st(impl_->db,
               columns + (unit_id ? "WHERE unit_id=?2 " : "") + "ORDER BY id DESC LIMIT ?1");
  st.bind(1, limit);
  if (unit_id) st.bind(2, *unit_id);
  std::vector<AuditEntry> out;
  while (st.step())
    out.push_back({st.integer(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5),
                   st.text(6), st.text(7)});
  return out;
}

}  // namespace findbuch

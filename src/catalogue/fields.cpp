#include "catalogue/fields.hpp"

#include "core/error.hpp"
#include "core/text.hpp"

namespace findbuch {
namespace {

using Kind = IndexTerm::Kind;

/// Replaces the terms of one kind, keeping all terms grouped by kind in the enum's order (the
/// order the catalogue stores), so that a unit edited field by field compares equal to the
/// stored one.
void replace_terms(Unit& u, IndexTerm::Kind kind, std::vector<IndexTerm> replacement) {
  std::vector<IndexTerm> merged;
  merged.reserve(u.index_terms.size() + replacement.size());
  for (auto k : {IndexTerm::Kind::Person, IndexTerm::Kind::Place, IndexTerm::Kind::CorporateBody,
                 IndexTerm::Kind::Subject}) {
    if (k == kind) {
      for (auto& t : replacement) merged.push_back(std::move(t));
    } else {
      for (const auto& t : u.index_terms)
        if (t.kind == k) merged.push_back(t);
    }
  }
  u.index_terms = std::move(merged);
}

template <typename T>
std::function<void(Unit&, const Unit&)> copier(T Unit::*member) {
  return [member](Unit& to, const Unit& from) { to.*member = from.*member; };
}

FieldSpec text_field(std::string_view key, std::string_view label,
                     std::vector<std::string_view> aliases, std::string Unit::*member) {
  return {key,
          label,
          std::move(aliases),
          [member](const Unit& u) { return u.*member; },
          [member](Unit& u, std::string_view v) { u.*member = trim(v); },
          copier(member)};
}

FieldSpec flag_field(std::string_view key, std::string_view label,
                     std::vector<std::string_view> aliases, bool Unit::*member) {
  return {key,
          label,
          std::move(aliases),
          [member](const Unit& u) { return std::string(u.*member ? "ja" : ""); },
          [member, key](Unit& u, std::string_view v) { u.*member = parse_yes_no(v, key); },
          copier(member)};
}

FieldSpec terms_field(std::string_view key, std::string_view label,
                      std::vector<std::string_view> aliases, Kind kind) {
  return {key,
          label,
          std::move(aliases),
          [kind](const Unit& u) { return format_terms(u.index_terms, kind); },
          [kind, key](Unit& u, std::string_view v) {
            replace_terms(u, kind, parse_terms(v, kind, key));
          },
          [kind](Unit& to, const Unit& from) {
            std::vector<IndexTerm> theirs;
            for (const auto& t : from.index_terms)
              if (t.kind == kind) theirs.push_back(t);
            replace_terms(to, kind, std::move(theirs));
          }};
}

/// Splits on `sep` keeping empty pieces (an object may have no role), each trimmed.
std::vector<std::string> split_keep_empty(std::string_view text, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto pos = text.find(sep, start);
    parts.push_back(trim(text.substr(start, pos == std::string_view::npos ? pos : pos - start)));
    if (pos == std::string_view::npos) return parts;
    start = pos + 1;
  }
}

std::optional<Date> parse_day(std::string_view text, std::string_view field) {
  const std::string t = trim(text);
  if (t.empty()) return std::nullopt;
  auto d = Date::parse_lenient(t, /*latest=*/true);
  if (!d)
    throw InputError("field " + std::string(field) + ": " + in_quotes(t) +
                     " is not a date (use YYYY-MM-DD or DD.MM.YYYY)");
  return d;
}

std::string format_digital_objects(const std::vector<DigitalObject>& objects) {
  std::string out;
  for (const auto& o : objects) {
    if (!out.empty()) out += "; ";
    out += o.role + "|" + o.href;
    if (!o.title.empty()) out += "|" + o.title;
  }
  return out;
}

std::vector<DigitalObject> parse_digital_objects(std::string_view text) {
  std::vector<DigitalObject> out;
  for (const auto& entry : split_list(text, ';')) {
    auto parts = split_keep_empty(entry, '|');
    if (parts.size() < 2 || parts.size() > 3 || parts[1].empty())
      throw InputError("field digital_objects: " + in_quotes(entry) +
                       " must be ROLE|URL or ROLE|URL|TITLE");
    out.push_back({parts[0], parts[1], parts.size() > 2 ? parts[2] : ""});
  }
  return out;
}

std::vector<FieldSpec> build_table() {
  std::vector<FieldSpec> t;
  t.push_back({"signatur",
               "Signatur",
               {"reference", "unitid"},
               [](const Unit& u) { return u.signatur; },
               [](Unit& u, std::string_view v) {
                 const std::string s = normalize_space(v);
                 if (s.empty()) throw InputError("field signatur: must not be empty");
                 u.signatur = s;
                 u.signatur_generated = false;
               },
               [](Unit& to, const Unit& from) {
                 to.signatur = from.signatur;
                 to.signatur_generated = from.signatur_generated;
               }});
  t.push_back(text_field("ead_id", "EAD-ID", {"id"}, &Unit::ead_id));
  t.push_back({"level",
               "Stufe",
               {"stufe", "ebene", "verzeichnungsstufe"},
               [](const Unit& u) { return std::string(level_info(u.level).key); },
               [](Unit& u, std::string_view v) {
                 auto level = level_from_name(v);
                 if (!level)
                   throw InputError("field level: unknown level " + in_quotes(trim(v)) +
                                    "; allowed: " + level_names_for_humans());
                 u.level = *level;
               },
               copier(&Unit::level)});
  t.push_back({"title",
               "Titel",
               {"titel"},
               [](const Unit& u) { return u.title; },
               [](Unit& u, std::string_view v) {
                 const std::string s = normalize_space(v);
                 if (s.empty()) throw InputError("field title: must not be empty");
                 u.title = s;
               },
               copier(&Unit::title)});
  t.push_back({"laufzeit",
               "Laufzeit",
               {"date", "dates", "datierung", "unitdate"},
               [](const Unit& u) { return u.laufzeit.text; },
               [](Unit& u, std::string_view v) { u.laufzeit = parse_laufzeit(v); },
               copier(&Unit::laufzeit)});
  t.push_back(text_field("extent", "Umfang", {"umfang"}, &Unit::extent));
  t.push_back(text_field("creator", "Provenienz", {"provenienz", "provenance", "origination"},
                         &Unit::creator));
  t.push_back(text_field("enthaelt", "Enthält", {"enthält", "scope_content", "scopecontent"},
                         &Unit::enthaelt));
  t.push_back(text_field("darin", "Darin", {}, &Unit::darin));
  t.push_back(text_field("archival_history", "Bestandsgeschichte",
                         {"bestandsgeschichte", "custodhist"}, &Unit::archival_history));
  t.push_back(text_field("access_conditions", "Zugangsbestimmungen", {"zugang", "accessrestrict"},
                         &Unit::access_conditions));
  t.push_back(text_field("use_conditions", "Benutzungsbedingungen", {"userestrict", "nutzung"},
                         &Unit::use_conditions));
  t.push_back(text_field("language", "Sprache", {"sprache"}, &Unit::language));
  t.push_back(
      text_field("notes", "Bemerkungen", {"bemerkungen", "bemerkung", "note"}, &Unit::notes));
  t.push_back(text_field("former_reference", "Alte Signatur",
                         {"altsignatur", "alte_signatur", "vorsignatur"}, &Unit::former_reference));
  t.push_back(
      text_field("aktenzeichen", "Aktenzeichen", {"file_reference", "az"}, &Unit::aktenzeichen));
  t.push_back(text_field("storage_location", "Lagerort", {"lagerort", "standort"},
                         &Unit::storage_location));
  t.push_back(terms_field("persons", "Personen", {"personen", "persname"}, Kind::Person));
  t.push_back(terms_field("places", "Orte", {"orte", "geogname"}, Kind::Place));
  t.push_back(terms_field("corporate_bodies", "Körperschaften",
                          {"körperschaften", "koerperschaften", "corpname"}, Kind::CorporateBody));
  t.push_back(terms_field("subjects", "Sachbegriffe", {"sachbegriffe", "subject"}, Kind::Subject));
  t.push_back({"digital_objects",
               "Digitalisate",
               {"digitalisate", "dao"},
               [](const Unit& u) { return format_digital_objects(u.digital_objects); },
               [](Unit& u, std::string_view v) { u.digital_objects = parse_digital_objects(v); },
               copier(&Unit::digital_objects)});
  t.push_back(
      flag_field("personal_data", "Personenbezogen", {"personenbezogen"}, &Unit::personal_data));
  t.push_back(
      {"persons_concerned",
       "Betroffene Personen",
       {"betroffene", "lebensdaten"},
       [](const Unit& u) { return format_persons_concerned(u.persons_concerned); },
       [](Unit& u, std::string_view v) { u.persons_concerned = parse_persons_concerned(v); },
       copier(&Unit::persons_concerned)});
  t.push_back(flag_field("secrecy", "Geheimhaltung", {"geheimhaltung", "vs"}, &Unit::secrecy));
  t.push_back({"embargo_until",
               "Sperre bis",
               {"sperre_bis", "embargo"},
               [](const Unit& u) { return u.embargo_until ? u.embargo_until->iso() : ""; },
               [](Unit& u, std::string_view v) { u.embargo_until = parse_day(v, "embargo_until"); },
               copier(&Unit::embargo_until)});
  t.push_back({"shortening",
               "Schutzfristverkürzung",
               {"verkürzung", "verkuerzung"},
               [](const Unit& u) {
                 return u.shortened_to ? u.shortened_to->iso() + " " + u.shortening_reason : "";
               },
               [](Unit& u, std::string_view v) {
                 const std::string t = trim(v);
                 if (t.empty()) {
                   u.shortened_to.reset();
                   u.shortening_reason.clear();
                   return;
                 }
                 const auto space = t.find(' ');
                 const std::string reason =
                     space == std::string::npos ? "" : trim(t.substr(space + 1));
                 const auto day = parse_day(t.substr(0, space), "shortening");
                 if (reason.empty())
                   throw InputError(
                       "field shortening: a reason is required, e.g. \"2024-05-01 Einwilligung "
                       "der Betroffenen\"");
                 u.shortened_to = day;
                 u.shortening_reason = reason;
               },
               [](Unit& to, const Unit& from) {
                 to.shortened_to = from.shortened_to;
                 to.shortening_reason = from.shortening_reason;
               }});
  t.push_back(flag_field("zwischenarchiv", "Zwischenarchiv", {}, &Unit::zwischenarchiv));
  return t;
}

}  // namespace

const std::vector<FieldSpec>& field_table() {
  static const std::vector<FieldSpec> table = build_table();
  return table;
}

const FieldSpec* find_field(std::string_view name) {
  const std::string lower = ascii_lower(trim(name));
  for (const auto& f : field_table()) {
    if (lower == f.key) return &f;
    for (auto alias : f.aliases)
      if (lower == alias) return &f;
  }
  return nullptr;
}

std::string logged_value(const FieldSpec& field, const Unit& unit) {
  std::string value = field.get(unit);
  if (field.key == "laufzeit" && (unit.laufzeit.from || unit.laufzeit.to))
    value += " [" + (unit.laufzeit.from ? unit.laufzeit.from->iso() : "") + " … " +
             (unit.laufzeit.to ? unit.laufzeit.to->iso() : "") + "]";
  return value;
}

std::vector<std::string> field_keys() {
  std::vector<std::string> keys;
  for (const auto& f : field_table()) keys.emplace_back(f.key);
  return keys;
}

std::vector<IndexTerm> parse_terms(std::string_view text, IndexTerm::Kind kind,
                                   std::string_view field) {
  std::vector<IndexTerm> out;
  for (const auto& entry : split_list(text, ';')) {
    const auto bar = entry.find('|');
    IndexTerm term{kind, normalize_space(entry.substr(0, bar)),
                   bar == std::string::npos ? "" : trim(entry.substr(bar + 1))};
    if (term.name.empty())
      throw InputError("field " + std::string(field) + ": entry " + in_quotes(entry) +
                       " has no name (use NAME or NAME|GND-ID)");
    out.push_back(std::move(term));
  }
  return out;
}

std::string format_terms(const std::vector<IndexTerm>& terms, IndexTerm::Kind kind) {
  std::string out;
  for (const auto& t : terms) {
    if (t.kind != kind) continue;
    if (!out.empty()) out += "; ";
    out += t.name;
    if (!t.gnd.empty()) out += "|" + t.gnd;
  }
  return out;
}

std::vector<PersonConcerned> parse_persons_concerned(std::string_view text) {
  std::vector<PersonConcerned> out;
  for (const auto& entry : split_list(text, ';')) {
    const std::vector<std::string> parts = split_keep_empty(entry, '|');
    if (parts.size() > 3 || parts[0].empty())
      throw InputError("field persons_concerned: " + in_quotes(entry) +
                       " must be NAME|BORN|DIED (dates YYYY, YYYY-MM or YYYY-MM-DD, may be empty)");
    PersonConcerned p{parts[0], parts.size() > 1 ? parts[1] : "", parts.size() > 2 ? parts[2] : ""};
    for (const auto* date : {&p.born, &p.died})
      if (!date->empty() && !Date::parse_lenient(*date, true))
        throw InputError("field persons_concerned: " + in_quotes(*date) + " in " +
                         in_quotes(entry) +
                         " is not a date (YYYY, YYYY-MM, YYYY-MM-DD or DD.MM.YYYY)");
    out.push_back(std::move(p));
  }
  return out;
}

std::string format_persons_concerned(const std::vector<PersonConcerned>& persons) {
  std::string out;
  for (const auto& p : persons) {
    if (!out.empty()) out += "; ";
    out += p.name + "|" + p.born + "|" + p.died;
  }
  return out;
}

bool parse_yes_no(std::string_view text, std::string_view field) {
  const std::string v = ascii_lower(trim(text));
  if (v.empty() || v == "nein" || v == "no" || v == "false" || v == "0" || v == "n") return false;
  if (v == "ja" || v == "yes" || v == "true" || v == "1" || v == "x" || v == "j" || v == "y")
    return true;
  throw InputError("field " + std::string(field) + ": " + in_quotes(text) +
                   " is not yes/no (allowed: ja, nein, true, false, 1, 0, x, empty)");
}

}  // namespace findbuch

#include "exchange/ead/ead_import.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <cstring>

#include "core/error.hpp"
#include "core/laufzeit.hpp"
#include "core/text.hpp"

namespace findbuch {
namespace {

std::string_view local_name(const char* name) {
  const char* colon = std::strrchr(name, ':');
  return colon ? std::string_view(colon + 1) : std::string_view(name);
}

bool is(const pugi::xml_node& n, std::string_view name) {
  return local_name(n.name()) == name;
}

/// <c> or <c01> … <c12>.
bool is_component(const pugi::xml_node& n) {
  const std::string_view l = local_name(n.name());
  return l == "c" ||
         (l.size() == 3 && l[0] == 'c' && l[1] >= '0' && l[1] <= '1' && l[2] >= '0' && l[2] <= '9');
}

std::string attr(const pugi::xml_node& n, std::string_view name) {
  for (auto a : n.attributes())
    if (local_name(a.name()) == name) return a.value();
  return {};
}

pugi::xml_node child(const pugi::xml_node& n, std::string_view name) {
  for (auto c : n.children())
    if (c.type() == pugi::node_element && is(c, name)) return c;
  return {};
}

std::string lower(std::string_view s) {
  return ascii_lower(s);
}

/// Refuses a DOCTYPE that declares entities. pugixml never expands them, but a file that
/// declares entities is hostile (XXE, expansion bombs) or broken, and its text would come out
/// wrong. Checked on the parsed doctype, so UTF-16 files cannot slip past a byte search.
void refuse_entity_declarations(const pugi::xml_document& doc, const std::string& source) {
  for (auto n : doc.children())
    if (n.type() == pugi::node_doctype && std::strstr(n.value(), "<!ENTITY"))
      throw InputError(source +
                       ": the DOCTYPE declares entities (<!ENTITY …>); entity declarations are "
                       "refused (external entities and entity expansion are never processed)");
}

/// @normal is what portals index, but protection periods must not end earlier than the text
/// says ("1950-1960, Nachträge bis 1995" with normal="1950/1960"): the wider interval wins.
Laufzeit widest(const Laufzeit& from_normal, const Laufzeit& from_text, bool text_ok) {
  if (!text_ok || !from_text.from || !from_text.to) return from_normal;
  Laufzeit out = from_normal;
  const bool wider = *from_text.from < *out.from || *from_text.to > *out.to;
  if (!wider) return out;
  out.from = std::min(*out.from, *from_text.from);
  out.to = std::max(*out.to, *from_text.to);
  out.normal = from_text.from == out.from && from_text.to == out.to ? from_text.normal : "";
  out.approximate = out.approximate || from_text.approximate;
  return out;
}

constexpr const char* kUnknownPerson = "(unbekannt)";

class EadReader {
 public:
  EadReader(const std::string& source, const EadLimits& limits, const UnitSink& sink,
            const std::function<void(std::string)>& warn)
      : source_(source), limits_(limits), sink_(sink), warn_(warn) {}

  std::size_t units() const { return units_; }

  void read(pugi::xml_node ead) {
    const pugi::xml_node header = child(ead, "eadheader");
    eadid_ = normalize_space(child(header, "eadid").text().get());
    const pugi::xml_node archdesc = child(ead, "archdesc");
    if (!archdesc) throw InputError(source_ + ": /ead: no <archdesc> element");
    tektonik_ = lower(attr(archdesc, "type")) == "tektonik";
    const std::string path = "/ead/archdesc";

    if (tektonik_) {
      // The archive itself is the workspace: its <c level="collection"> is not a unit.
      std::vector<std::pair<pugi::xml_node, std::string>> tops;
      collect_all_dsc(archdesc, path, tops);
      for (auto& [c, p] : tops) {
        const std::string level = lower(attr(c, "level"));
        if (level == "collection" || level == "fonds") {
          std::vector<std::pair<pugi::xml_node, std::string>> inner;
          collect_components(c, p, inner);
          read_children(inner, -1, "", 1);
        } else {
          read_children({{c, p}}, -1, "", 1);
        }
      }
      return;
    }

    std::vector<std::pair<pugi::xml_node, std::string>> tops;
    collect_all_dsc(archdesc, path, tops);
    const bool bestand_in_dsc =
        tops.size() == 1 && (lower(attr(tops[0].first, "level")) == "collection" ||
                             lower(attr(tops[0].first, "level")) == "fonds");
    if (bestand_in_dsc) {
      read_component(tops[0].first, tops[0].second, -1, "", 1, 1, Level::Bestand);
    } else {
      // EAD 2002 style: archdesc itself describes the Bestand, dsc holds its parts.
      ImportedUnit bestand = describe(archdesc, path, Level::Bestand);
      if (bestand.unit.ead_id.empty()) bestand.unit.ead_id = eadid_;
      bestand_signatur_ = sign_bestand(bestand, archdesc);
      const int index = push(std::move(bestand));
      read_children(tops, index, bestand_signatur_, 2);
    }
  }

 private:
  /// EAD 2002 allows several <dsc> in one archdesc; their components are read in order.
  void collect_all_dsc(pugi::xml_node archdesc, const std::string& path,
                       std::vector<std::pair<pugi::xml_node, std::string>>& out) {
    int count = 0;
    for (auto d : archdesc.children())
      if (d.type() == pugi::node_element && is(d, "dsc"))
        // The first is written "dsc" (as XPath allows), later ones "dsc[2]" …
        collect_components(
            d, path + (++count == 1 ? "/dsc" : "/dsc[" + std::to_string(count) + "]"), out);
  }

  void collect_components(pugi::xml_node parent, const std::string& path,
                          std::vector<std::pair<pugi::xml_node, std::string>>& out) {
    if (!parent) return;
    int count = 0;
    for (auto c : parent.children())
      if (c.type() == pugi::node_element && is_component(c))
        out.emplace_back(c, path + "/" + std::string(local_name(c.name())) + "[" +
                                std::to_string(++count) + "]");
  }

  void read_children(const std::vector<std::pair<pugi::xml_node, std::string>>& kids, int parent,
                     const std::string& parent_signatur, int depth) {
    int n = 0;
    for (const auto& [c, p] : kids) read_component(c, p, parent, parent_signatur, ++n, depth, {});
  }

  Level level_of(pugi::xml_node c, const std::string& path, bool has_children, int parent) {
    const std::string raw = attr(c, "level");
    std::string level = lower(raw);
    if (level == "otherlevel") {
      const std::string other = attr(c, "otherlevel");
      if (auto l = level_from_name(other)) return *l;
      throw InputError(source_ + ": " + path + "/@otherlevel: unknown level \"" + other +
                       "\"; allowed: " + level_names_for_humans());
    }
    const bool below_bestand = parent >= 0 && !tektonik_;
    if (level.empty()) {
      if (tektonik_) return has_children ? Level::TektonikGroup : Level::Bestand;
      return has_children ? Level::Classification : Level::File;
    }
    if (tektonik_) {
      // A Tektonik file describes holdings only: Bestände are its leaves, all else groups.
      if (level == "file" || level == "fonds" || level == "collection") return Level::Bestand;
      static const char* const grouping[] = {"class",  "series",   "subseries", "recordgrp",
                                             "subgrp", "subfonds", "item"};
      for (const char* g : grouping)
        if (level == g) return Level::TektonikGroup;
    }
    if (level == "collection" || level == "fonds")
      return below_bestand ? Level::Teilbestand : Level::Bestand;
    if (level == "subfonds") return Level::Teilbestand;
    if (level == "class" || level == "recordgrp" || level == "subgrp") return Level::Classification;
    if (level == "series" || level == "subseries") return Level::Series;
    if (level == "file") return Level::File;
    if (level == "item") return Level::Item;
    throw InputError(source_ + ": " + path + "/@level: unknown level \"" + raw +
                     "\"; EAD allows collection, fonds, class, subfonds, series, subseries, "
                     "file, item, recordgrp, subgrp, otherlevel");
  }

  void read_component(pugi::xml_node c, const std::string& path, int parent,
                      const std::string& parent_signatur, int position, int depth,
                      std::optional<Level> forced) {
    if (depth > limits_.max_depth)
      throw InputError(source_ + ": " + path + ": components nested deeper than " +
                       std::to_string(limits_.max_depth) + " levels");
    std::vector<std::pair<pugi::xml_node, std::string>> kids;
    collect_components(c, path, kids);
    const Level level = forced ? *forced : level_of(c, path, !kids.empty(), parent);
    ImportedUnit iu = describe(c, path, level);
    iu.parent = parent;
    iu.unit.ead_id = normalize_space(attr(c, "id"));

    std::string signatur;
    if (level == Level::Bestand && !tektonik_) {
      if (iu.unit.ead_id.empty()) iu.unit.ead_id = eadid_;
      signatur = sign_bestand(iu, c);
      bestand_signatur_ = signatur;
    } else {
      signatur = sign(iu, parent_signatur, position);
    }
    iu.fill_only = tektonik_ && level == Level::Bestand;
    const int index = push(std::move(iu));
    read_children(kids, index, signatur, depth + 1);
  }

  std::string sign_bestand(ImportedUnit& iu, pugi::xml_node) {
    if (iu.unit.signatur.empty()) {
      iu.unit.signatur = !iu.unit.ead_id.empty() ? iu.unit.ead_id : iu.unit.title;
      iu.unit.signatur_generated = true;
    }
    return iu.unit.signatur;
  }

  /// Real finding aids often number files within the Bestand only ("1234"); the Signatur is
  /// Bestand code + number ("C 5.63 Nr. 1234").
  std::string sign(ImportedUnit& iu, const std::string& parent_signatur, int position) {
    Unit& u = iu.unit;
    const std::string raw = u.signatur;
    if (raw.empty()) {
      const std::string base = !parent_signatur.empty() ? parent_signatur
                               : !eadid_.empty()        ? eadid_
                                                        : std::string("Import");
      // Parenthesised so it cannot collide with a sibling whose unitid is the same number.
      u.signatur = base + "/(" + std::to_string(position) + ")";
      u.signatur_generated = true;
    } else if (!tektonik_ && !bestand_signatur_.empty() &&
               !starts_with_word(raw, bestand_signatur_)) {
      const bool record = u.level == Level::File || u.level == Level::Item;
      const bool numeric = raw[0] >= '0' && raw[0] <= '9';
      if (record && numeric)
        u.signatur = bestand_signatur_ + " Nr. " + raw;
      else if (record)
        u.signatur = bestand_signatur_ + " " + raw;
      else
        u.signatur = bestand_signatur_ + "/" + raw;
    }
    return u.signatur;
  }

  int push(ImportedUnit iu) {
    if (units_ >= limits_.max_units)
      throw InputError(source_ + ": more than " + std::to_string(limits_.max_units) + " units");
    ++units_;
    return sink_(std::move(iu));
  }

  /// All text below `n`, whitespace normalised, with a size limit.
  std::string text_of(pugi::xml_node n, const std::string& path) {
    // The common case, <unittitle>text</unittitle>, without building an intermediate string.
    const pugi::xml_node first = n.first_child();
    if (first && !first.next_sibling() && first.type() == pugi::node_pcdata) {
      const std::string_view value = first.value();
      if (value.size() <= limits_.max_text_bytes) return normalize_space(value);
    }
    std::string out;
    collect_text(n, out, 0, path);
    return normalize_space(out);
  }

  /// `path` is the enclosing component's; the element's own name is added only to errors.
  void collect_text(pugi::xml_node n, std::string& out, int depth, const std::string& path) {
    if (depth > 256)
      throw InputError(source_ + ": " + path + "/…/" + std::string(local_name(n.name())) +
                       ": markup nested too deeply");
    for (auto c : n.children()) {
      if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
        out += c.value();
        if (out.size() > limits_.max_text_bytes)
          throw InputError(source_ + ": " + path + "/…/" + std::string(local_name(n.name())) +
                           ": text longer than " + std::to_string(limits_.max_text_bytes) +
                           " bytes");
      } else if (c.type() == pugi::node_element) {
        if (is(c, "head")) continue;  // headings like "Zugangsbeschränkung" are labels
        if (!out.empty()) out += ' ';
        collect_text(c, out, depth + 1, path);
      }
    }
  }

  static void append(std::string& field, const std::string& text, std::string_view sep = " ") {
    if (text.empty()) return;
    if (!field.empty()) field += sep;
    field += text;
  }

  void read_index_entries(pugi::xml_node n, Unit& u, int depth) {
    if (depth > 8) return;
    for (auto e : n.children()) {
      if (e.type() != pugi::node_element) continue;
      const std::string_view name = local_name(e.name());
      std::optional<IndexTerm::Kind> kind;
      if (name == "persname" || name == "famname") kind = IndexTerm::Kind::Person;
      if (name == "geogname") kind = IndexTerm::Kind::Place;
      if (name == "corpname") kind = IndexTerm::Kind::CorporateBody;
      if (name == "subject" || name == "genreform" || name == "function" || name == "occupation")
        kind = IndexTerm::Kind::Subject;
      if (kind) {
        IndexTerm t{*kind, normalize_space(e.text().get()), ""};
        if (*kind == IndexTerm::Kind::Person && lower(attr(e, "role")) == "betroffene person")
          u.personal_data = true;
        if (t.name.empty()) t.name = text_of(e, "index");
        const std::string auth = trim(attr(e, "authfilenumber"));
        if (!auth.empty() && lower(attr(e, "source")).find("gnd") != std::string::npos)
          t.gnd = auth;
        if (!t.name.empty()) u.index_terms.push_back(std::move(t));
      } else if (name == "indexentry" || name == "index" || name == "controlaccess") {
        read_index_entries(e, u, depth + 1);
      }
    }
  }

  void read_dao(pugi::xml_node n, Unit& u, const std::string& path) {
    const std::string_view name = local_name(n.name());
    if (name == "dao" || name == "daoloc") {
      std::string role = attr(n, "role");
      const std::string href = trim(attr(n, "href"));
      std::string title = attr(n, "title");
      if (title.empty()) title = text_of(n, path);
      if (!href.empty()) u.digital_objects.push_back({trim(role), href, normalize_space(title)});
      return;
    }
    if (name == "daogrp")
      for (auto c : n.children())
        if (c.type() == pugi::node_element && !is(c, "daogrp")) read_dao(c, u, path);
  }

  /// <odd> carries what EAD has no element for, labelled by its <head>: Darin, Aktenzeichen,
  /// and the person a record is about with life dates (which drive protection periods).
  void read_odd(pugi::xml_node e, Unit& u, const std::string& path) {
    const std::string head = lower(normalize_space(child(e, "head").text().get()));
    const std::string text = text_of(e, path);
    if (head.find("darin") != std::string::npos) {
      append(u.darin, text);
    } else if (head == "aktenzeichen") {
      append(u.aktenzeichen, text, "; ");
    } else if (head == "betroffene person") {
      u.personal_data = true;
      if (text.empty()) return;
      // Life dates given before the name went to a placeholder: give it the name.
      if (!u.persons_concerned.empty() && u.persons_concerned.back().name == kUnknownPerson)
        u.persons_concerned.back().name = text;
      else
        u.persons_concerned.push_back({text, "", ""});
    } else if (head == "geburtsdatum" || head == "sterbedatum") {
      std::string date = text;
      for (auto d : e.select_nodes(".//*[local-name()='date']/@normal"))
        date = d.attribute().value();
      if (!date.empty() && !Date::parse_lenient(date, true))
        warn_(source_ + ": " + path + ": " + head + " \"" + date +
              "\" is not a date; the record stays closed until it is corrected");
      if (u.persons_concerned.empty()) u.persons_concerned.push_back({kUnknownPerson, "", ""});
      (head == "geburtsdatum" ? u.persons_concerned.back().born : u.persons_concerned.back().died) =
          trim(date);
    } else {
      append(u.notes, text);
    }
  }

  ImportedUnit describe(pugi::xml_node c, const std::string& path, Level level) {
    ImportedUnit iu;
    iu.where = source_ + ": " + path;
    Unit& u = iu.unit;
    u.level = level;
    const pugi::xml_node did = child(c, "did");
    std::string date_text, date_normal;
    int dates = 0;
    std::vector<std::pair<std::string, std::string>> title_dates;  // (text, normal) in titles
    for (auto e : did.children()) {
      if (e.type() != pugi::node_element) continue;
      const std::string_view name = local_name(e.name());
      const std::string& epath = path;  // element paths are spelled out only in errors
      if (name == "unitid") {
        const std::string type = lower(attr(e, "type"));
        const std::string value = text_of(e, epath);
        if (type == "altsignatur" || type == "former" || type == "vorsignatur" ||
            type == "alte signatur")
          append(u.former_reference, value, "; ");
        else if (u.signatur.empty())
          u.signatur = value;
      } else if (name == "unittitle") {
        if (!u.title.empty()) continue;
        // EAD 2002 allows the date inside the title: <unittitle>Akten <unitdate>…</unitdate>.
        if (const auto inner = child(e, "unitdate"); inner) {
          const std::string text = text_of(inner, epath);
          const std::string normal = trim(attr(inner, "normal"));
          title_dates.emplace_back(text.empty() ? normal : text, normal);
          std::string title;
          for (auto part : e.children())
            if (!(part.type() == pugi::node_element && is(part, "unitdate")))
              title += part.type() == pugi::node_element ? " " + text_of(part, epath)
                                                         : std::string(part.value());
          u.title = normalize_space(title);
        } else {
          u.title = text_of(e, epath);
        }
      } else if (name == "unitdate") {
        const std::string text = text_of(e, epath);
        const std::string normal = trim(attr(e, "normal"));
        append(date_text, text.empty() ? normal : text, ", ");
        if (++dates == 1) date_normal = normal;
      } else if (name == "abstract") {
        const std::string type = lower(attr(e, "type"));
        append(type.find("darin") != std::string::npos ? u.darin : u.enthaelt, text_of(e, epath));
      } else if (name == "physdesc") {
        bool structured = false;
        for (auto x : e.children())
          if (x.type() == pugi::node_element && is(x, "extent")) {
            append(u.extent, text_of(x, epath), ", ");
            structured = true;
          }
        if (!structured) append(u.extent, text_of(e, epath), ", ");
      } else if (name == "origination") {
        append(u.creator, text_of(e, epath), "; ");
      } else if (name == "langmaterial") {
        append(u.language, text_of(e, epath), ", ");
      } else if (name == "note" || name == "materialspec") {
        append(u.notes, text_of(e, epath));
      } else if (name == "physloc") {
        append(u.storage_location, text_of(e, epath), "; ");
      } else if (name == "dao" || name == "daogrp") {
        read_dao(e, u, epath);
      }
    }
    if (dates == 0)  // only when did has no unitdate of its own
      for (const auto& [text, normal] : title_dates) {
        append(date_text, text, ", ");
        if (++dates == 1) date_normal = normal;
      }
    if (dates > 0) {
      std::optional<Laufzeit> from_normal;
      if (dates == 1) from_normal = laufzeit_from_normal(date_normal, date_text);
      bool ok = true;
      const Laufzeit from_text = parse_laufzeit(date_text, &ok);
      u.laufzeit = from_normal ? widest(*from_normal, from_text, ok) : from_text;
      if (!ok && !from_normal)
        warn_(iu.where + "/did/unitdate: \"" + date_text +
              "\" is not a date Findbuch can read; kept as text");
    }
    for (auto e : c.children()) {
      if (e.type() != pugi::node_element) continue;
      const std::string_view name = local_name(e.name());
      const std::string& epath = path;
      if (name == "scopecontent") {
        const std::string head = lower(child(e, "head").text().get());
        append(head.find("darin") != std::string::npos ? u.darin : u.enthaelt, text_of(e, epath));
      } else if (name == "accessrestrict") {
        append(u.access_conditions, text_of(e, epath));
      } else if (name == "userestrict") {
        append(u.use_conditions, text_of(e, epath), "; ");
      } else if (name == "custodhist" || name == "bioghist" || name == "acqinfo") {
        append(u.archival_history, text_of(e, epath));
      } else if (name == "odd" || name == "note") {
        read_odd(e, u, epath);
      } else if (name == "index" || name == "controlaccess") {
        read_index_entries(e, u, 0);
      } else if (name == "dao" || name == "daogrp") {
        read_dao(e, u, epath);
      }
    }
    if (u.title.empty()) {
      u.title = !u.signatur.empty() ? u.signatur : "[ohne Titel]";
      warn_(iu.where + "/did: no unittitle; titled \"" + u.title + "\"");
    }
    return iu;
  }

  const std::string& source_;
  const EadLimits& limits_;
  const UnitSink& sink_;
  const std::function<void(std::string)>& warn_;
  std::size_t units_ = 0;
  std::string eadid_;
  std::string bestand_signatur_;
  bool tektonik_ = false;
};

}  // namespace

void read_ead(std::string xml, const std::string& source, const UnitSink& sink,
              const std::function<void(std::string)>& warn, const EadLimits& limits) {
  // Parsed in place (a second copy of a large finding aid costs more than the parse). In-place
  // parsing rewrites text before an error but not the error's offset, so the line is found
  // from newline offsets taken beforehand.
  std::vector<std::uint32_t> newlines;
  for (auto p = xml.find('\n'); p != std::string::npos; p = xml.find('\n', p + 1))
    newlines.push_back(static_cast<std::uint32_t>(p));
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_buffer_inplace(
      xml.data(), xml.size(), pugi::parse_default | pugi::parse_doctype, pugi::encoding_auto);
  if (!parsed) {
    const auto offset = static_cast<std::uint32_t>(
        std::min<std::size_t>(static_cast<std::size_t>(parsed.offset), xml.size()));
    const auto line =
        1 + (std::lower_bound(newlines.begin(), newlines.end(), offset) - newlines.begin());
    throw InputError(source + ":" + std::to_string(line) +
                     ": not well-formed XML: " + parsed.description());
  }
  refuse_entity_declarations(doc, source);
  pugi::xml_node root = doc.document_element();
  if (!root || !is(root, "ead"))
    throw InputError(source + ": the root element is <" + std::string(root ? root.name() : "") +
                     ">, not <ead>: not an EAD file");
  EadReader reader(source, limits, sink, warn);
  reader.read(root);
  if (reader.units() == 0) throw InputError(source + ": no units of description found");
}

ImportBatch read_ead(std::string xml, const std::string& source, const EadLimits& limits) {
  ImportBatch batch;
  batch.source = source;
  batch.kind = "ead";
  read_ead(
      std::move(xml), source,
      [&](ImportedUnit&& iu) {
        batch.units.push_back(std::move(iu));
        return static_cast<int>(batch.units.size() - 1);
      },
      [&](std::string w) { batch.warnings.push_back(std::move(w)); }, limits);
  return batch;
}

}  // namespace findbuch

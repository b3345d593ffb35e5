// build_index: walks the Tektonik from the roots, asks the access policy about every unit (the
// ancestors' facts folded in on the way down), and writes one document per unit the index may
// hold. A full rebuild into a fresh database, switched in by renaming a symbolic link.
#include <stdio.h>
#include <unistd.h>
#include <xapian.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <set>

#include "core/error.hpp"
#include "core/natural_sort.hpp"
#include "search/field_map.hpp"
#include "search/german_text.hpp"
#include "search/search_index.hpp"
#include "store/masters.hpp"

namespace findbuch::search {

namespace fs = std::filesystem;

std::string_view index_name(IndexKind kind) {
  return kind == IndexKind::Public ? "public" : "internal";
}

fs::path index_path(const fs::path& workspace, IndexKind kind) {
  return workspace / "index" / std::string(index_name(kind));
}

namespace {

std::string year_label(int year, bool century) {
  if (century) return std::to_string(year / 100 + 1) + ". Jh.";
  return std::to_string(year / 10 * 10) + "er";
}

// What a document needs to know about where its unit stands.
struct Place {
  AncestorFacts facts;
  std::vector<std::int64_t> ancestor_ids;
  std::vector<std::string> breadcrumb;  ///< public labels of the ancestors
  std::string bestand, bestand_title, group;
};

class Indexer {
 public:
  Indexer(Workspace& ws, IndexKind kind, Date today, Xapian::WritableDatabase& db)
      : ws_(ws), kind_(kind), today_(today), policy_(ws.policy()), db_(db) {
    Masters masters(ws.catalogue().db(), ws.dir());
    for (const auto id : masters.digitised_units()) digitised_.insert(id);
    terms_.set_stemmer(Xapian::Stem("german2"));
    // German nouns are capitalised: the default strategy would leave them unstemmed.
    terms_.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL_Z);
    terms_.set_database(db_);
    terms_.set_flags(Xapian::TermGenerator::FLAG_SPELLING);
    // The exact (unstemmed) words too: right truncation expands over them.
    exact_.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
  }

  void walk(std::int64_t parent_id, const Place& place) {
    for (const UnitSummary& child : ws_.catalogue().children(parent_id)) {
      const std::optional<Unit> unit = ws_.catalogue().find_by_id(child.id);
      if (!unit) continue;
      const AccessDecision decision = policy_.decide(*unit, place.facts, today_);
      const Visibility visibility =
          kind_ == IndexKind::Internal ? Visibility::Public : decision.visibility;
      if (visibility == Visibility::Hidden) {
        ++report_.left_out;
      } else {
        add(*unit, place, visibility == Visibility::RedactedStub, decision);
      }
      Place below = place;
      below.facts.add(*unit, decision);
      below.ancestor_ids.push_back(unit->id);
      below.breadcrumb.push_back(
          visibility == Visibility::Public ? unit->signatur + " " + unit->title : unit->signatur);
      if (unit->level == Level::Bestand) {
        below.bestand = unit->signatur;
        below.bestand_title = unit->title;
      }
      if (place.ancestor_ids.empty()) below.group = unit->signatur;
      walk(unit->id, below);
    }
  }

  IndexReport report() const { return report_; }

 private:
  void text(std::string_view value, const FieldMapping& m) {
    if (value.empty()) return;
    const std::string folded = modern_spelling(fold_german(value));
    terms_.index_text(folded, static_cast<Xapian::termcount>(m.weight), std::string(m.prefix));
    terms_.increase_termpos();
    terms_.index_text(folded, static_cast<Xapian::termcount>(m.weight));
    terms_.increase_termpos();
    exact_.index_text_without_positions(folded, static_cast<Xapian::termcount>(m.weight));
  }

  void add(const Unit& u, const Place& place, bool stub, const AccessDecision& decision) {
    Xapian::Document doc;
    terms_.set_document(doc);
    exact_.set_document(doc);
    const bool digitised = digitised_.count(u.id) != 0;
    for (const FieldMapping& m : field_mappings()) {
      switch (m.field) {
        case Field::Signatur:
          text(u.signatur, m);
          break;
        case Field::Laufzeit:
          text(u.laufzeit.text, m);
          break;
        default:
          if (!stub) text(value_of(u, m.field, place), m);  // a stub carries nothing else
      }
    }
    const std::string id_term = std::string(kIdPrefix) + std::to_string(u.id);
    doc.add_boolean_term(id_term);
    doc.add_boolean_term(exact_signatur_term(u.signatur));
    for (const auto a : place.ancestor_ids) {
      doc.add_boolean_term(std::string(kTektonikPrefix) + std::to_string(a));
    }
    doc.add_boolean_term(std::string(kTektonikPrefix) + std::to_string(u.id));
    doc.add_boolean_term(std::string(kLevelPrefix) + std::string(level_info(u.level).key));
    if (digitised) doc.add_boolean_term(std::string(kDigitisedTerm));

    if (u.laufzeit.from && u.laufzeit.to) {
      doc.add_value(kYearFrom, Xapian::sortable_serialise(u.laufzeit.from->year));
      doc.add_value(kYearTo, Xapian::sortable_serialise(u.laufzeit.to->year));
      doc.add_value(kCentury, year_label(u.laufzeit.from->year, true));
      doc.add_value(kDecade, year_label(u.laufzeit.from->year, false));
    }
    doc.add_value(kSortKey, natural_sort_key(u.signatur));
    doc.add_value(kLevelValue, std::string(level_info(u.level).german));
    const std::string& bestand = u.level == Level::Bestand ? u.signatur : place.bestand;
    if (!bestand.empty()) doc.add_value(kBestandValue, bestand);
    if (!place.group.empty()) doc.add_value(kGroupValue, place.group);
    doc.add_value(kDigitisedValue, digitised ? "ja" : "nein");

    nlohmann::json data = {{"signatur", u.signatur},
                           {"level", level_info(u.level).german},
                           {"laufzeit", u.laufzeit.text},
                           {"breadcrumb", place.breadcrumb},
                           {"digitised", digitised}};
    if (stub) {
      data["stub"] = true;
      // The last closed day, as the finding aids say "gesperrt bis".
      data["closed_until"] = decision.opens_on ? decision.opens_on->previous_day().iso() : "";
      ++report_.stubs;
    } else {
      data["title"] = u.title;
      data["text"] = u.title + (u.enthaelt.empty() ? "" : ". " + u.enthaelt) +
                     (u.darin.empty() ? "" : ". " + u.darin);
    }
    doc.set_data(data.dump());
    db_.replace_document(id_term, doc);
    ++report_.documents;
  }

  static std::string value_of(const Unit& u, Field field, const Place& place) {
    const auto terms = [&](IndexTerm::Kind kind) {
      std::string out;
      for (const auto& t : u.index_terms) {
        if (t.kind == kind) out += t.name + "; ";
      }
      return out;
    };
    switch (field) {
      case Field::Title:
        return u.title;
      case Field::Enthaelt:
        return u.enthaelt;
      case Field::Darin:
        return u.darin;
      case Field::Provenance:
        return u.creator;
      case Field::Persons: {
        std::string out = terms(IndexTerm::Kind::Person);
        for (const auto& p : u.persons_concerned) out += p.name + "; ";
        return out;
      }
      case Field::Places:
        return terms(IndexTerm::Kind::Place);
      case Field::CorporateBodies:
        return terms(IndexTerm::Kind::CorporateBody);
      case Field::Subjects:
        return terms(IndexTerm::Kind::Subject);
      case Field::Bestand:
        return place.bestand + " " + place.bestand_title;
      default:
        return "";
    }
  }

  Workspace& ws_;
  IndexKind kind_;
  Date today_;
  AccessPolicy policy_;
  Xapian::WritableDatabase& db_;
  Xapian::TermGenerator terms_;  ///< Z-prefixed German stems, with positions
  Xapian::TermGenerator exact_;  ///< the words as written (folded)
  std::set<std::int64_t> digitised_;
  IndexReport report_;
};

}  // namespace

IndexReport build_index(Workspace& ws, IndexKind kind, Date today) {
  const fs::path link = index_path(ws.dir(), kind);
  fs::create_directories(link.parent_path());
  static std::atomic<unsigned> counter{0};
  const std::string name = std::string(index_name(kind)) + "-" + std::to_string(::getpid()) + "-" +
                           std::to_string(counter++) + "-" + utc_timestamp();
  const fs::path fresh = link.parent_path() / name;
  IndexReport report;
  try {
    Xapian::WritableDatabase db(fresh.string(), Xapian::DB_CREATE);
    Indexer indexer(ws, kind, today, db);
    indexer.walk(0, {});
    db.set_metadata("as_of", today.iso());
    db.commit();
    report = indexer.report();
  } catch (const Xapian::Error& e) {
    std::error_code ignored;
    fs::remove_all(fresh, ignored);
    throw EnvironmentError(fresh.string() + ": cannot build the index: " + e.get_description());
  }
  // Switch: a new link renamed over the old one; then the old database goes.
  std::error_code ec;
  const fs::path previous = fs::is_symlink(link, ec) ? fs::read_symlink(link, ec) : fs::path();
  const fs::path new_link = link.parent_path() / ("." + name + ".link");
  fs::create_directory_symlink(fresh.filename(), new_link);
  if (::rename(new_link.c_str(), link.c_str()) != 0) {
    fs::remove(new_link, ec);
    throw EnvironmentError(link.string() + ": cannot switch to the new index");
  }
  if (!previous.empty()) fs::remove_all(link.parent_path() / previous, ec);
  return report;
}

}  // namespace findbuch::search

#include "exchange/import_batch.hpp"

#include <algorithm>
#include <unordered_map>

#include "catalogue/fields.hpp"
#include "core/error.hpp"
#include "store/sqlite.hpp"

namespace findbuch {
namespace {

bool provides(const ImportedUnit& iu, std::string_view key) {
  return std::find(iu.provided.begin(), iu.provided.end(), key) != iu.provided.end();
}

/// The stored unit with the imported fields laid over it.
Unit overlay(const Unit& existing, const ImportedUnit& iu) {
  Unit after = existing;
  const Unit& in = iu.unit;
  const bool explicit_fields = !iu.provided.empty();
  for (const auto& f : field_table()) {
    const bool take = explicit_fields ? provides(iu, f.key) : !f.get(in).empty();
    // A Signatur made up for a source without unitid never replaces the one on record.
    if (f.key == "signatur" && in.signatur_generated && !existing.signatur.empty()) continue;
    if (take) f.copy(after, in);
  }
  return after;
}

std::vector<std::string> changed_fields(const Unit& before, const Unit& after) {
  std::vector<std::string> out;
  for (const auto& f : field_table())
    if (f.get(before) != f.get(after)) out.emplace_back(f.key);
  return out;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

}  // namespace

ImportReport apply_import(Catalogue& catalogue, const ImportBatch& batch,
                          const ImportOptions& options) {
  ImportReport report;
  report.warnings = batch.warnings;
  Transaction tx(catalogue.db());
  const std::string source = "import " + batch.kind + " " + batch.source;

  std::int64_t under_id = 0;
  if (!options.under.empty()) under_id = catalogue.require(options.under).id;

  std::unordered_map<std::string, std::size_t> signaturen, ead_ids;
  signaturen.reserve(batch.units.size());
  ead_ids.reserve(batch.units.size());
  std::vector<std::int64_t> ids(batch.units.size(), 0);
  for (std::size_t i = 0; i < batch.units.size(); ++i) {
    const ImportedUnit& iu = batch.units[i];
    const Unit& in = iu.unit;
    try {
      if (iu.parent >= static_cast<int>(i)) throw InputError("internal order: parent after child");
      if (auto [it, fresh] = signaturen.emplace(in.signatur, i); !fresh)
        throw InputError("duplicate Signatur " + in_quotes(in.signatur) + " (also at " +
                         batch.units[it->second].where + ")");
      if (!in.ead_id.empty())
        if (auto [it, fresh] = ead_ids.emplace(in.ead_id, i); !fresh)
          throw InputError("duplicate id " + in_quotes(in.ead_id) + " (also at " +
                           batch.units[it->second].where + ")");

      std::optional<std::int64_t> wanted_parent;
      if (iu.parent >= 0) {
        wanted_parent = ids[static_cast<std::size_t>(iu.parent)];
      } else if (!iu.parent_signatur.empty()) {
        wanted_parent = catalogue.require(iu.parent_signatur).id;
      } else if (under_id) {
        wanted_parent = under_id;
      }

      std::optional<Unit> existing;
      if (!in.ead_id.empty()) existing = catalogue.find_by_ead_id(in.ead_id);
      if (!existing) {
        existing = catalogue.find(in.signatur);
        if (existing && !existing->ead_id.empty() && !in.ead_id.empty())
          throw InputError("Signatur " + in_quotes(in.signatur) +
                           " already belongs to the unit with id " + in_quotes(existing->ead_id) +
                           ", not " + in_quotes(in.ead_id));
      }

      if (!existing) {
        if (!iu.provided.empty() && !provides(iu, "level"))
          throw InputError("a new unit needs a level; allowed: " + level_names_for_humans());
        if (in.title.empty()) throw InputError("a new unit needs a title");
        Unit fresh = in;
        fresh.parent_id = wanted_parent.value_or(0);
        fresh.position = -1;
        catalogue.insert(fresh, source, /*known_unique=*/true);
        ids[i] = fresh.id;
        ++report.created;
        report.details.push_back("create " + fresh.signatur + "  " + fresh.title);
        continue;
      }

      ids[i] = existing->id;
      const Unit after = overlay(*existing, iu);
      const auto fields = changed_fields(*existing, after);
      bool touched = false;
      if (!fields.empty() || !existing->same_description(after)) {
        catalogue.update(*existing, after, source);
        ++report.changed;
        touched = true;
        report.details.push_back("change " + after.signatur + "  (" + join(fields) + ")");
      }
      if (wanted_parent && *wanted_parent != existing->parent_id) {
        Unit moved = after;
        moved.id = existing->id;
        moved.parent_id = existing->parent_id;
        moved.position = existing->position;
        catalogue.move(moved, *wanted_parent, std::nullopt, source);
        ++report.moved;
        touched = true;
        report.details.push_back("move " + after.signatur);
      }
      if (!touched) ++report.unchanged;
    } catch (const InputError& e) {
      throw InputError(iu.where + " (Signatur " + in_quotes(in.signatur) + "): " + e.what());
    }
  }
  if (!options.dry_run) tx.commit();  // otherwise the destructor rolls everything back
  return report;
}

}  // namespace findbuch

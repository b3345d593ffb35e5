#include "exchange/import_batch.hpp"

#include <algorithm>
#include <unordered_map>

#include "catalogue/fields.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
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
    bool take = explicit_fields ? provides(iu, f.key) : !f.get(in).empty();
    if (iu.fill_only && !f.get(existing).empty()) take = false;
    // A real Signatur replaces one that was made up when the unit came without unitid.
    if (f.key == "signatur" && existing.signatur_generated && !in.signatur_generated &&
        !in.signatur.empty())
      take = true;
    // A Signatur made up for a source without unitid never replaces the one on record.
    if (f.key == "signatur" && in.signatur_generated && !existing.signatur.empty()) continue;
    if (take) f.copy(after, in);
  }
  return after;
}

std::vector<std::string> changed_fields(const Unit& before, const Unit& after) {
  std::vector<std::string> out;
  for (const auto& f : field_table())
    if (logged_value(f, before) != logged_value(f, after)) out.emplace_back(f.key);
  return out;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

}  // namespace

struct ImportWriter::Impl {
  Catalogue& catalogue;
  Transaction tx;
  std::string source;
  ImportOptions options;
  std::int64_t under_id = 0;
  ImportReport report;
  std::unordered_map<std::string, std::size_t> signaturen, ead_ids;
  std::vector<std::string> where;  ///< per added unit, for "also at …" messages
  std::vector<std::int64_t> ids;   ///< catalogue id per added unit
  /// When a unit whose Signatur the source lacked (a Findbuch's Bestand without unitid) is
  /// known under its real Signatur, Signaturen derived from the made-up one move onto the real
  /// one: per added unit, the (from, to) prefix its children inherit.
  std::vector<std::pair<std::string, std::string>> rebase;

  Impl(Catalogue& c, const std::string& kind, const std::string& file, const ImportOptions& o)
      : catalogue(c), tx(c.db()), source("import " + kind + " " + file), options(o) {
    if (!options.under.empty()) under_id = catalogue.require(options.under).id;
  }

  /// Next position per parent, so appending needs no query per unit.
  std::unordered_map<std::int64_t, int> next_position;

  /// Units below `id` numbered from a made-up Signatur take the real one as their prefix.
  void rename_below(std::int64_t id, const std::string& from, const std::string& to) {
    for (const auto& child : catalogue.children(id)) {
      if (starts_with_word(child.signatur, from)) {
        const Unit before = *catalogue.find_by_id(child.id);
        Unit renamed = before;
        renamed.signatur = to + before.signatur.substr(from.size());
        catalogue.update(before, renamed, source);
        ++report.changed;
      }
      rename_below(child.id, from, to);
    }
  }

  int add(ImportedUnit&& iu) {
    const std::size_t i = ids.size();
    std::pair<std::string, std::string> inherited;
    if (iu.parent >= 0) {
      if (static_cast<std::size_t>(iu.parent) >= i)
        throw InputError(iu.where + ": internal order: parent after child");
      inherited = rebase[static_cast<std::size_t>(iu.parent)];
      const auto& [from, to] = inherited;
      if (!from.empty() && starts_with_word(iu.unit.signatur, from))
        iu.unit.signatur = to + iu.unit.signatur.substr(from.size());
    }
    ids.push_back(0);
    where.push_back(iu.where);
    rebase.push_back(std::move(inherited));
    try {
      write(iu, i);
    } catch (const InputError& e) {
      throw InputError(iu.where + " (Signatur " + in_quotes(iu.unit.signatur) + "): " + e.what());
    }
    return static_cast<int>(i);
  }

  void write(ImportedUnit& iu, std::size_t i) {
    const Unit& in = iu.unit;
    if (auto [it, fresh] = signaturen.emplace(in.signatur, i); !fresh)
      throw InputError("duplicate Signatur " + in_quotes(in.signatur) + " (also at " +
                       where[it->second] + ")");
    if (!in.ead_id.empty())
      if (auto [it, fresh] = ead_ids.emplace(in.ead_id, i); !fresh)
        throw InputError("duplicate id " + in_quotes(in.ead_id) + " (also at " + where[it->second] +
                         ")");

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
      Unit& fresh = iu.unit;  // consumed: the reader is done with it
      fresh.parent_id = wanted_parent.value_or(0);
      auto [slot, first] = next_position.try_emplace(fresh.parent_id, 0);
      if (first) slot->second = catalogue.next_position(fresh.parent_id);
      fresh.position = slot->second++;
      catalogue.insert(fresh, source, /*known_unique=*/true);
      ids[i] = fresh.id;
      ++report.created;
      if (options.collect_details)
        report.details.push_back("create " + fresh.signatur + "  " + fresh.title);
      return;
    }

    ids[i] = existing->id;
    if (in.signatur_generated && existing->signatur != in.signatur)
      rebase[i] = {in.signatur, existing->signatur};
    const Unit after = overlay(*existing, iu);
    const auto fields = changed_fields(*existing, after);
    bool touched = false;
    if (!fields.empty() || !existing->same_description(after)) {
      catalogue.update(*existing, after, source);
      if (existing->signatur_generated && after.signatur != existing->signatur)
        rename_below(existing->id, existing->signatur, after.signatur);
      ++report.changed;
      touched = true;
      if (options.collect_details)
        report.details.push_back("change " + after.signatur + "  (" + join(fields) + ")");
    }
    if (wanted_parent && *wanted_parent != existing->parent_id) {
      Unit moved = after;
      moved.id = existing->id;
      moved.parent_id = existing->parent_id;
      moved.position = existing->position;
      catalogue.move(moved, *wanted_parent, std::nullopt, source);
      next_position.erase(*wanted_parent);
      next_position.erase(existing->parent_id);
      ++report.moved;
      touched = true;
      if (options.collect_details) report.details.push_back("move " + after.signatur);
    }
    if (!touched) ++report.unchanged;
  }
};

ImportWriter::ImportWriter(Catalogue& catalogue, std::string kind, std::string source,
                           const ImportOptions& options)
    : impl_(std::make_unique<Impl>(catalogue, kind, source, options)) {}
ImportWriter::~ImportWriter() = default;

int ImportWriter::add(ImportedUnit&& iu) {
  return impl_->add(std::move(iu));
}
void ImportWriter::warn(std::string warning) {
  impl_->report.warnings.push_back(std::move(warning));
}

ImportReport ImportWriter::finish() {
  if (!impl_->options.dry_run) impl_->tx.commit();  // else the destructor rolls it all back
  return std::move(impl_->report);
}

ImportReport apply_import(Catalogue& catalogue, const ImportBatch& batch,
                          const ImportOptions& options) {
  ImportWriter writer(catalogue, batch.kind, batch.source, options);
  for (const auto& w : batch.warnings) writer.warn(w);
  for (const auto& iu : batch.units) writer.add(ImportedUnit(iu));
  return writer.finish();
}

}  // namespace findbuch

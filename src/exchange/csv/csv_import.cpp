#include "exchange/csv/csv_import.hpp"

#include <algorithm>
#include <numeric>
#include <unordered_map>

#include "catalogue/fields.hpp"
#include "core/error.hpp"
#include "core/natural_sort.hpp"
#include "core/text.hpp"
#include "exchange/csv/csv_reader.hpp"

namespace findbuch {
namespace {

struct Row {
  ImportedUnit unit;
  std::string parent;  ///< parent Signatur as written
  int line = 0;
};

}  // namespace

ImportBatch read_csv_units(std::string_view bytes, const std::string& source) {
  const CsvTable table = read_csv(bytes, source);
  std::vector<const FieldSpec*> columns(table.header.size(), nullptr);
  int parent_column = -1;
  int signatur_column = -1;
  for (std::size_t i = 0; i < table.header.size(); ++i) {
    const std::string& name = table.header[i];
    const std::string lower = ascii_lower(name);  // leaves Ü/ü as they are
    if (lower == "parent" || lower == "übergeordnet" || lower == "Übergeordnet") {
      parent_column = static_cast<int>(i);
      continue;
    }
    const FieldSpec* f = find_field(name);
    if (!f) {
      auto keys = field_keys();
      keys.push_back("parent");
      std::string msg = source + ":1: unknown column " + in_quotes(name);
      if (auto n = nearest_match(name, keys); !n.empty())
        msg += " (did you mean " + in_quotes(n) + "?)";
      throw InputError(msg + "; see schemas/csv-import.schema.json for the columns");
    }
    for (std::size_t j = 0; j < i; ++j)
      if (columns[j] == f)
        throw InputError(source + ":1: columns " + in_quotes(table.header[j]) + " and " +
                         in_quotes(name) + " are the same field " + in_quotes(f->key));
    columns[i] = f;
    if (f->key == "signatur") signatur_column = static_cast<int>(i);
  }
  if (signatur_column < 0) throw InputError(source + ":1: a \"signatur\" column is required");

  std::vector<Row> rows;
  rows.reserve(table.rows.size());
  std::unordered_map<std::string, std::size_t> by_signatur;
  for (const CsvRow& r : table.rows) {
    Row row;
    row.line = r.line;
    row.unit.where = source + ":" + std::to_string(r.line);
    // A short record (spreadsheets drop trailing empty cells) states only the cells it has:
    // the missing ones must not clear what the catalogue holds.
    for (std::size_t i = 0; i < columns.size() && i < r.present; ++i)
      if (columns[i]) row.unit.provided.emplace_back(columns[i]->key);
    Unit& u = row.unit.unit;
    for (std::size_t i = 0; i < columns.size() && i < r.present; ++i) {
      if (static_cast<int>(i) == parent_column) {
        row.parent = normalize_space(r.cells[i]);
        continue;
      }
      try {
        columns[i]->set(u, r.cells[i]);
      } catch (const InputError& e) {
        throw InputError(row.unit.where + ": column " + in_quotes(table.header[i]) + ": " +
                         e.what());
      }
    }
    if (auto [it, fresh] = by_signatur.emplace(u.signatur, rows.size()); !fresh)
      throw InputError(row.unit.where + ": duplicate Signatur " + in_quotes(u.signatur) +
                       " (also on line " + std::to_string(rows[it->second].line) + ")");
    rows.push_back(std::move(row));
  }

  // Siblings in natural order of their Signatur, parents before children.
  std::vector<std::size_t> order(rows.size());
  std::iota(order.begin(), order.end(), 0);
  std::vector<std::string> keys(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i)
    keys[i] = natural_sort_key(rows[i].unit.unit.signatur);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });

  std::vector<std::vector<std::size_t>> children(rows.size());
  std::vector<std::size_t> tops;
  std::vector<int> parent_index(rows.size(), -1);
  for (std::size_t i : order) {
    const auto it = rows[i].parent.empty() ? by_signatur.end() : by_signatur.find(rows[i].parent);
    if (it == by_signatur.end()) {
      tops.push_back(i);
    } else {
      if (it->second == i) throw InputError(rows[i].unit.where + ": the unit is its own parent");
      children[it->second].push_back(i);
      parent_index[i] = static_cast<int>(it->second);
    }
  }

  ImportBatch batch;
  batch.source = source;
  batch.kind = "csv";
  batch.units.reserve(rows.size());
  std::vector<int> batch_index(rows.size(), -1);
  // Iterative depth-first walk from the top rows; rows never reached sit on a parent cycle.
  std::vector<std::size_t> stack(tops.rbegin(), tops.rend());
  while (!stack.empty()) {
    const std::size_t i = stack.back();
    stack.pop_back();
    ImportedUnit iu = std::move(rows[i].unit);
    if (parent_index[i] >= 0) {
      iu.parent = batch_index[static_cast<std::size_t>(parent_index[i])];
    } else {
      iu.parent_signatur = rows[i].parent;
    }
    batch_index[i] = static_cast<int>(batch.units.size());
    batch.units.push_back(std::move(iu));
    for (auto it = children[i].rbegin(); it != children[i].rend(); ++it) stack.push_back(*it);
  }
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (batch_index[i] < 0)
      throw InputError(rows[i].unit.where +
                       ": parent cycle: " + in_quotes(rows[i].unit.unit.signatur) +
                       " is (indirectly) its own parent via " + in_quotes(rows[i].parent));
  for (auto& iu : batch.units)
    if (!iu.unit.laufzeit.text.empty() && !iu.unit.laufzeit.from && !iu.unit.laufzeit.to &&
        !iu.unit.laufzeit.undated)
      batch.warnings.push_back(iu.where + ": Laufzeit \"" + iu.unit.laufzeit.text +
                               "\" is not a date Findbuch can read; kept as text");
  if (batch.units.empty()) throw InputError(source + ": no rows");
  return batch;
}

}  // namespace findbuch

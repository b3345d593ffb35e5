// libFuzzer harness for the CSV reader: any byte string must either parse into a consistent table
// or raise InputError; anything else (a crash, a sanitizer report, another exception) is a bug.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "exchange/csv/csv_reader.hpp"

namespace {

void check(std::string_view bytes, const findbuch::CsvLimits& limits) {
  try {
    const findbuch::CsvTable table = findbuch::read_csv(bytes, "fuzz.csv", limits);
    // Invariants the importers rely on; a violation aborts so libFuzzer records the input.
    if (table.header.empty() || table.header.size() > limits.max_columns) __builtin_trap();
    if (table.rows.size() > limits.max_rows) __builtin_trap();
    int previous_line = 0;
    for (const auto& row : table.rows) {
      if (row.cells.size() != table.header.size() || row.line <= previous_line) __builtin_trap();
      previous_line = row.line;
      for (const auto& cell : row.cells)
        if (cell.size() > limits.max_cell_bytes) __builtin_trap();
    }
  } catch (const findbuch::InputError&) {
    // Rejecting malformed input is the expected outcome for most fuzz inputs.
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  check(bytes, findbuch::CsvLimits{});
  // Tiny limits so that short inputs reach the limit checks too.
  check(bytes, findbuch::CsvLimits{8, 4, 4});
  return 0;
}

// libFuzzer harness for the CSV unit importer: any byte string must either read into a
// consistent batch (parents before children) or raise InputError; anything else (a crash, a
// sanitizer report, another exception, a hang on parent cycles) is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "exchange/csv/csv_import.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    const findbuch::ImportBatch batch = findbuch::read_csv_units(bytes, "fuzz.csv");
    // Invariants apply_import relies on; a violation aborts so libFuzzer records the input.
    if (batch.units.empty()) __builtin_trap();
    for (std::size_t i = 0; i < batch.units.size(); ++i) {
      const findbuch::ImportedUnit& iu = batch.units[i];
      if (iu.parent < -1 || iu.parent >= static_cast<int>(i)) __builtin_trap();
      if (iu.parent >= 0 && !iu.parent_signatur.empty()) __builtin_trap();
      if (iu.unit.signatur.empty() || iu.provided.empty()) __builtin_trap();
    }
  } catch (const findbuch::InputError&) {
    // Rejecting malformed input is the expected outcome for most fuzz inputs.
  }
  return 0;
}

// libFuzzer harness for the EAD importer: any byte string must either read into a consistent
// batch or raise InputError; anything else (a crash, a sanitizer report, another exception, a
// stack overflow on deep nesting, a hang on entity tricks) is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "exchange/ead/ead_import.hpp"

namespace {

void check(const uint8_t* data, size_t size, const findbuch::EadLimits& limits) {
  std::string xml(reinterpret_cast<const char*>(data), size);  // read_ead may modify it
  try {
    const findbuch::ImportBatch batch = findbuch::read_ead(xml, "fuzz.xml", limits);
    // Invariants apply_import relies on; a violation aborts so libFuzzer records the input.
    if (batch.units.empty() || batch.units.size() > limits.max_units) __builtin_trap();
    for (std::size_t i = 0; i < batch.units.size(); ++i) {
      const findbuch::ImportedUnit& iu = batch.units[i];
      if (iu.parent < -1 || iu.parent >= static_cast<int>(i)) __builtin_trap();
      if (iu.unit.signatur.empty() || iu.unit.title.empty() || iu.where.empty()) __builtin_trap();
    }
  } catch (const findbuch::InputError&) {
    // Rejecting malformed input is the expected outcome for most fuzz inputs.
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  check(data, size, findbuch::EadLimits{});
  // Tiny limits so that short inputs reach the limit checks too.
  check(data, size, findbuch::EadLimits{3, 3, 16});
  return 0;
}

#pragma once
// Access to ../shared/data (SOURCES.md) from tests: when the folder is missing the test is
// skipped with a message, except in CI (CI=true) where a missing file is a failure.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace findbuch::testing {

inline const std::filesystem::path kSharedData = FINDBUCH_SOURCE_DIR "/../shared/data";

inline bool in_ci() {
  const char* ci = std::getenv("CI");
  return ci && std::string(ci) == "true";
}

}  // namespace findbuch::testing

// Skips the test when the shared data are missing; in CI that is a failure.
#define REQUIRE_SAMPLES(path)                                                                     \
  do {                                                                                            \
    if (!std::filesystem::exists(path)) {                                                         \
      if (::findbuch::testing::in_ci()) FAIL() << "shared sample data missing in CI: " << (path); \
      GTEST_SKIP() << "shared sample data not found at " << (path)                                \
                   << " (see ../shared/data/SOURCES.md); skipped outside CI";                     \
    }                                                                                             \
  } while (0)

#pragma once
// A fresh, uniquely named folder under the system's temporary directory for one test.
#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>

namespace findbuch {

/// Creates `<tmp>/<stem>-XXXXXX`; throws (failing the test) when it cannot.
inline std::filesystem::path make_temp_dir(const std::string& stem) {
  std::string pattern = (std::filesystem::temp_directory_path() / (stem + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("cannot create a temporary folder " + pattern);
  }
  return pattern;
}

}  // namespace findbuch

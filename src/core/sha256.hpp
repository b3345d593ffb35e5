#pragma once
// SHA-256 fixity values of masters (hex, lower case), computed while streaming.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace findbuch {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(const void* data, std::size_t size);
  /// Hex digest; the object is spent afterwards.
  std::string hex();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// SHA-256 of `text`, hex.
std::string sha256_hex(std::string_view text);

/// SHA-256 of a whole file; EnvironmentError naming it when it cannot be read.
std::string sha256_of_file(const std::filesystem::path& file);

}  // namespace findbuch

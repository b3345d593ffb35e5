#pragma once
// Files appear whole or not at all: write to a temporary file beside the target, fsync, rename.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace findbuch {

/// Replaces `path` with `content` atomically. Throws EnvironmentError naming the file.
void write_file_atomic(const std::filesystem::path& path, std::string_view content);

/// Reads a whole file; throws EnvironmentError naming it. Refuses files above `max_bytes`.
std::string read_file(const std::filesystem::path& path, std::uintmax_t max_bytes = 1ull << 32);

}  // namespace findbuch

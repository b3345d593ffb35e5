#pragma once
// Files appear whole or not at all: write to a temporary file beside the target, fsync, rename.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace findbuch {

/// Replaces `path` with `content` atomically. Throws EnvironmentError naming the file.
void write_file_atomic(const std::filesystem::path& path, std::string_view content);

/// A name beside `target` for building it: hidden (".<name>.tmp-<pid>-<n>"), so servers and
/// viewers never list it, and unique within the process.
std::filesystem::path temporary_sibling(const std::filesystem::path& target);

/// Puts the finished folder `built` at `target` in one step. An existing `target` is swapped out
/// atomically (RENAME_EXCHANGE) and then removed, so readers see the old or the new folder,
/// never none and never a mix. Throws EnvironmentError naming `target`.
void replace_directory(const std::filesystem::path& built, const std::filesystem::path& target);

/// Flushes the files directly in `dir`, and the folder itself, to disk: for folders written by
/// others without syncing. Throws EnvironmentError naming the file.
void sync_folder(const std::filesystem::path& dir);

/// Reads a whole file; throws EnvironmentError naming it. Refuses files above `max_bytes`.
std::string read_file(const std::filesystem::path& path, std::uintmax_t max_bytes = 1ull << 32);

}  // namespace findbuch

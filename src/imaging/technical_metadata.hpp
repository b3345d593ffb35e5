#pragma once
// Technical metadata of a master image (MIX / NISO Z39.87 subset, DOMAIN.md §4), read from the
// file's headers without decoding the pixels.
#include <cstdint>
#include <filesystem>
#include <string>

#include "core/technical_metadata.hpp"

namespace findbuch {

/// Reads the headers of `file`; throws InputError for unsupported formats (name the format when
/// recognisable, e.g. "GIF is not supported" for a GIF signature), truncated or corrupt
/// headers, and images over `max_pixels` (decompression bombs: checked from the header, before any
/// allocation).
TechnicalMetadata read_technical_metadata(const std::filesystem::path& file,
                                          std::uint64_t max_pixels = 1'000'000'000);

}  // namespace findbuch

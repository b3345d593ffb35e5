#pragma once
// Internal to the image codecs (image_io*.cpp): the per-format entry points behind read_image and
// write_image, and the few checks and pixel conversions more than one format needs. Nothing
// outside src/imaging includes this header.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "imaging/image.hpp"
#include "imaging/image_io.hpp"

namespace findbuch::imageio {

namespace fs = std::filesystem;

/// InputError "<file>": <reason>.
[[noreturn]] void fail(const fs::path& file, const std::string& reason);

/// EnvironmentError "<file>": <what>: <strerror(error_number)>.
[[noreturn]] void fail_io(const fs::path& file, const std::string& what, int error_number);

/// Refuses empty, oversized (more than `max_pixels`: a decompression bomb) and unrepresentable
/// dimensions. Call with the header's numbers before anything of that size is allocated.
void check_dimensions(const fs::path& file, std::uint64_t width, std::uint64_t height,
                      std::uint64_t max_pixels);

/// check_dimensions, then a zeroed image of that shape.
Image new_image(const fs::path& file, std::uint64_t width, std::uint64_t height, int channels,
                int bits, std::uint64_t max_pixels);

/// Turns pixels stored in TIFF/Exif orientation `orientation` (1 … 8) upright as displayed.
/// Transposing orientations (5 … 8) swap width and height and ppi_x and ppi_y. Other values are
/// ignored, as viewers do.
void apply_orientation(Image& image, int orientation);

// Row conversions shared by several readers. `width` is in pixels; samples are native-endian.

/// Grey+alpha or RGB+alpha (interleaved, `colour` colour channels then alpha) composited on
/// white; `premultiplied` for associated alpha.
void composite_on_white_8(const std::uint8_t* in, std::uint8_t* out, std::size_t width, int colour,
                          int in_step, bool premultiplied);
void composite_on_white_16(const std::uint16_t* in, std::uint16_t* out, std::size_t width,
                           int colour, int in_step, bool premultiplied);

/// Naive CMYK to RGB (no colour management): R = (1 − C)(1 − K) and so on. `in_step` samples per
/// input pixel (4 or more); `inverted` when 0 means full ink (Adobe CMYK JPEGs).
void cmyk_to_rgb_8(const std::uint8_t* in, std::uint8_t* out, std::size_t width, int in_step,
                   bool inverted);
void cmyk_to_rgb_16(const std::uint16_t* in, std::uint16_t* out, std::size_t width, int in_step);

// Readers: `file` has the format's signature (checked by read_image) and is a regular file.
Image read_tiff(const fs::path& file, const ReadOptions& options);
int count_tiff_pages(const fs::path& file);
/// A band-by-band reader of the page, or nullptr when the layout needs read_tiff.
std::unique_ptr<RowReader> open_tiff_rows(const fs::path& file, const ReadOptions& options);
Image read_jpeg(const fs::path& file, const ReadOptions& options);
Image read_png(const fs::path& file, const ReadOptions& options);
Image read_jp2(const fs::path& file, const ReadOptions& options, bool raw_codestream);
Image read_pnm(const fs::path& file, const ReadOptions& options);

// Writers: encode a validated image (1 or 3 channels, 8 or 16 bits, pixels of the right size)
// into the open file descriptor `fd`; `file` is the final name, for messages. They throw
// EnvironmentError when writing fails and do not close `fd`.
void write_tiff(const Image& image, const WriteOptions& options, int fd, const fs::path& file);
void write_jpeg(const Image& image, const WriteOptions& options, int fd, const fs::path& file);
void write_png(const Image& image, const WriteOptions& options, int fd, const fs::path& file);

/// Writes all of `data` to `fd`, retrying after EINTR; false with errno set on failure.
bool write_all(int fd, const void* data, std::size_t size);

/// A 16-bit sample rounded to 8 bits (v·255/65535 to nearest, without a division).
inline std::uint8_t to_8_bits(std::uint16_t v) {
  return static_cast<std::uint8_t>((v * 255u + 32895u) >> 16);
}

/// Whether the image should be stored as 1 bit per pixel (bitonal 8-bit grey).
inline bool is_bitonal_grey(const Image& image) {
  return image.bitonal && image.channels == 1 && image.bits == 8;
}

}  // namespace findbuch::imageio

#pragma once
// Decoding and encoding whole images (issue 3). Readers: TIFF (libtiff: strips and tiles; 1, 8
// and 16 bit; grey, RGB, palette, CMYK; every compression libtiff decodes; multi-page; BigTIFF;
// the orientation tag applied), JPEG (libjpeg-turbo, EXIF orientation applied), PNG, JPEG 2000
// (libopenjp2, JP2 and raw codestream) and Netpbm (PBM/PGM/PPM, the format of unpaper's test
// pages). Writers: TIFF (Deflate, LZW or uncompressed; 1-bit CCITT G4 for bitonal images), JPEG,
// PNG (1-bit for bitonal), each with resolution and ICC profile. Writes are atomic (temp + rename).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "imaging/image.hpp"

namespace findbuch {

struct ReadOptions {
  /// Images declaring more pixels are refused before any pixel buffer is allocated.
  std::uint64_t max_pixels = 1'000'000'000;
  /// Page of a multi-page file (TIFF directory), 0-based.
  int page = 0;
};

/// Decodes `file`. Throws InputError naming the file and the reason for unsupported formats,
/// corrupt or truncated data, empty files and images over the pixel limit. 16-bit samples stay
/// 16-bit; palette and CMYK become RGB; 1-bit becomes bitonal 8-bit grey; alpha is dropped
/// (composited on white).
Image read_image(const std::filesystem::path& file, const ReadOptions& options = {});

/// Decodes an image top to bottom a few rows at a time, so that tiling a 600 ppi plan does not
/// hold the whole image in memory. Rows come out as read_image would have them.
class RowReader {
 public:
  virtual ~RowReader() = default;
  /// Shape and metadata (width, height, channels, bits, bitonal, resolution, ICC); no pixels.
  const Image& header() const { return header_; }
  /// Decodes the next `rows` rows into `out` (header().row_bytes() each). Throws InputError for
  /// corrupt data, naming the file.
  virtual void read(std::uint8_t* out, int rows) = 0;
  /// How many rows a read() should ask for to avoid copies (a TIFF's rows per strip).
  virtual int preferred_rows() const { return 64; }

 protected:
  Image header_;
};

/// Streams upright TIFFs with plain samples (strips, or rows of tiles: the usual masters) band by
/// band; every other file is decoded whole first. Throws like read_image.
std::unique_ptr<RowReader> open_rows(const std::filesystem::path& file,
                                     const ReadOptions& options = {});

/// Rows of an image in memory, which must outlive the reader.
std::unique_ptr<RowReader> rows_of(const Image& image);

/// Number of pages (TIFF directories; 1 for every other format). Throws like read_image.
int count_pages(const std::filesystem::path& file);

enum class ImageFormat { tiff, jpeg, png };
/// none: baseline uncompressed TIFF, the usual form of scanner masters (DFG-Praxisregeln).
enum class TiffCompression { deflate, lzw, none };

struct WriteOptions {
  ImageFormat format = ImageFormat::tiff;
  int jpeg_quality = 85;  ///< 1 … 100
  TiffCompression tiff_compression = TiffCompression::deflate;
};

/// The format an output file name asks for: .tif/.tiff, .jpg/.jpeg, .png (case-insensitive).
/// Throws UsageError naming the file and the allowed extensions otherwise.
ImageFormat format_for_extension(const std::filesystem::path& file);

/// The format's name in pipelines and the catalogue: "tiff", "jpeg", "png".
std::string format_id(ImageFormat format);

/// The usual file extension of a format, with the dot: ".tif", ".jpg", ".png".
std::string extension_of(ImageFormat format);

/// Encodes `image` into `file` atomically: nothing appears under `file` unless the whole image
/// was written. JPEG cannot hold 16 bits: such images are reduced to 8 bits for JPEG only.
/// Throws EnvironmentError for I/O failures, InputError for images a format cannot hold.
void write_image(const Image& image, const std::filesystem::path& file,
                 const WriteOptions& options);

}  // namespace findbuch

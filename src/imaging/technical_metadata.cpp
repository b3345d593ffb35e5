// Reads technical metadata from image headers. TIFF goes through libtiff (BigTIFF, odd byte
// orders and IFD chains are its job); JPEG, PNG and JPEG 2000 headers are simple enough to walk
// by hand, which keeps the pixel decoders out of the picture entirely. Every length and offset
// taken from the file is checked against the bytes actually present before it is used.
#include "imaging/technical_metadata.hpp"

#include <tiffio.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "imaging/exif.hpp"

namespace findbuch {
namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<unsigned char>;

// Bytes from the end of the file searched for the end marker; generous enough for padding or a
// small trailer after the image, bounded so that a huge file costs nothing extra.
constexpr std::uint64_t kTailWindow = 1 << 20;

[[noreturn]] void fail(const fs::path& file, const std::string& reason) {
  throw InputError(file.string() + ": " + reason);
}

void check_pixels(const fs::path& file, std::uint64_t width, std::uint64_t height,
                  std::uint64_t max_pixels) {
  if (width == 0 || height == 0) fail(file, "the image header declares no pixels");
  if (width * height > max_pixels) {
    fail(file, "image of " + std::to_string(width) + " x " + std::to_string(height) +
                   " pixels exceeds the limit of " + std::to_string(max_pixels) +
                   " pixels (possible decompression bomb)");
  }
}

std::uint16_t be16(const unsigned char* p) {
  return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}
std::uint32_t be32(const unsigned char* p) {
  return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | cp >> 6);
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | cp >> 12);
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | cp >> 18);
    out += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80         ? 1
                          : (c >> 5) == 6  ? 2
                          : (c >> 4) == 14 ? 3
                          : (c >> 3) == 30 ? 4
                                           : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

// Header text ends up in the catalogue and in XML exports: cut at the first NUL, drop control
// characters (not allowed in XML 1.0), trim, and read non-UTF-8 bytes as Latin-1 (PNG text is
// Latin-1 by definition; TIFF "ASCII" tags in the wild are either UTF-8 or Latin-1).
std::string clean_text(std::string_view raw, bool latin1 = false) {
  raw = raw.substr(0, raw.find('\0'));
  std::string decoded;
  if (!latin1 && valid_utf8(raw)) {
    decoded = raw;
  } else {
    for (const char c : raw) append_utf8(decoded, static_cast<unsigned char>(c));
  }
  std::string out;
  for (const char c : decoded) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u != 0x7F) out += c;
  }
  const auto first = out.find_first_not_of(' ');
  if (first == std::string::npos) return "";
  return out.substr(first, out.find_last_not_of(' ') - first + 1);
}

std::string clean_text(const unsigned char* p, std::size_t n, bool latin1 = false) {
  return clean_text(std::string_view(reinterpret_cast<const char*>(p), n), latin1);
}

// "YYYY:MM:DD HH:MM:SS" (TIFF/Exif) -> ISO 8601; cameras write blanks for an unknown date.
std::string exif_date_to_iso(const std::string& raw) {
  static constexpr std::string_view kPattern = "dddd:dd:dd dd:dd:dd";
  bool matches = raw.size() == kPattern.size();
  for (std::size_t i = 0; matches && i < raw.size(); ++i) {
    const bool digit = raw[i] >= '0' && raw[i] <= '9';
    matches = kPattern[i] == 'd' ? digit : raw[i] == kPattern[i];
  }
  if (matches) {
    return raw.substr(0, 4) + "-" + raw.substr(5, 2) + "-" + raw.substr(8, 2) + "T" +
           raw.substr(11);
  }
  if (raw.find_first_not_of(" :0") == std::string::npos) return "";
  return raw;
}

// ---------------------------------------------------------------------------------------------
// ICC profile description

std::string utf16be_to_utf8(const unsigned char* p, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i + 1 < n; i += 2) {
    std::uint32_t cp = be16(p + i);
    if (cp >= 0xD800 && cp < 0xDC00 && i + 3 < n) {
      const std::uint32_t low = be16(p + i + 2);
      if (low >= 0xDC00 && low < 0xE000) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        i += 2;
      } else {
        cp = 0xFFFD;
      }
    } else if (cp >= 0xD800 && cp < 0xE000) {
      cp = 0xFFFD;
    }
    if (cp == 0) break;
    append_utf8(out, cp);
  }
  return out;
}

// The profile is ancillary: a malformed one yields "" rather than rejecting the master image.
std::string icc_description(const unsigned char* p, std::size_t n) {
  if (p == nullptr || n < 132) return "";
  const std::uint32_t tags = be32(p + 128);
  for (std::uint64_t i = 0; i < tags && 132 + 12 * (i + 1) <= n; ++i) {
    const unsigned char* entry = p + 132 + 12 * i;
    if (std::memcmp(entry, "desc", 4) != 0) continue;
    const std::uint32_t offset = be32(entry + 4), size = be32(entry + 8);
    if (size < 12 || offset > n || size > n - offset) return "";
    const unsigned char* tag = p + offset;
    if (std::memcmp(tag, "desc", 4) == 0) {
      const std::uint32_t count = be32(tag + 8);
      return clean_text(tag + 12, std::min<std::size_t>(count, size - 12));
    }
    if (std::memcmp(tag, "mluc", 4) == 0 && size >= 28) {
      const std::uint32_t records = be32(tag + 8), record_size = be32(tag + 12);
      if (records == 0 || record_size < 12) return "";
      const std::uint32_t length = be32(tag + 16 + 4), text = be32(tag + 16 + 8);
      if (text > size || length > size - text) return "";
      return clean_text(utf16be_to_utf8(tag + text, length));
    }
    return "";
  }
  return "";
}

// ---------------------------------------------------------------------------------------------
// Sequential reader for the hand-parsed formats: every read is checked against the file size, so
// a length field pointing past the end is reported as truncation before anything is allocated.

class Reader {
 public:
  Reader(const fs::path& file, std::uint64_t size)
      : file_(file), size_(size), in_(file, std::ios::binary) {
    if (!in_) fail(file, "cannot open the file");
  }

  std::uint64_t pos() const { return pos_; }
  std::uint64_t remaining() const { return size_ - pos_; }

  void read(unsigned char* out, std::uint64_t n, const std::string& what) {
    if (n > remaining()) fail(file_, "truncated " + what);
    if (n == 0) return;
    in_.read(reinterpret_cast<char*>(out), static_cast<std::streamsize>(n));
    if (!in_) fail(file_, "cannot read " + what);
    pos_ += n;
  }
  Bytes read(std::uint64_t n, const std::string& what) {
    if (n > remaining()) fail(file_, "truncated " + what);
    Bytes out(n);
    read(out.data(), n, what);
    return out;
  }
  unsigned char byte(const std::string& what) {
    unsigned char b = 0;
    read(&b, 1, what);
    return b;
  }
  std::uint16_t u16(const std::string& what) {
    unsigned char b[2];
    read(b, 2, what);
    return be16(b);
  }
  std::uint32_t u32(const std::string& what) {
    unsigned char b[4];
    read(b, 4, what);
    return be32(b);
  }
  void skip(std::uint64_t n, const std::string& what) {
    if (n > remaining()) fail(file_, "truncated " + what);
    pos_ += n;
    in_.seekg(static_cast<std::streamoff>(pos_));
    if (!in_) fail(file_, "cannot read " + what);
  }

  // Whether `needle` occurs in the file at or after `from`, within the last kTailWindow bytes.
  bool tail_contains(std::uint64_t from, std::string_view needle) {
    const std::uint64_t start = std::max(from, size_ > kTailWindow ? size_ - kTailWindow : 0);
    if (start >= size_) return false;
    std::string tail(size_ - start, '\0');
    in_.seekg(static_cast<std::streamoff>(start));
    in_.read(tail.data(), static_cast<std::streamsize>(tail.size()));
    if (!in_) fail(file_, "cannot read the end of the file");
    in_.seekg(static_cast<std::streamoff>(pos_));
    return tail.find(needle) != std::string::npos;
  }

 private:
  const fs::path& file_;
  std::uint64_t size_;
  std::uint64_t pos_ = 0;
  std::ifstream in_;
};

// ---------------------------------------------------------------------------------------------
// TIFF

int on_tiff_error(TIFF*, void* user_data, const char* module, const char* fmt, va_list ap) {
  auto* message = static_cast<std::string*>(user_data);
  if (message->empty()) {
    std::array<char, 512> buffer{};
    std::vsnprintf(buffer.data(), buffer.size(), fmt, ap);
    *message = (module ? std::string(module) + ": " : std::string()) + buffer.data();
  }
  return 1;  // handled: nothing reaches stderr
}

int on_tiff_warning(TIFF*, void* user_data, const char* module, const char* fmt, va_list ap) {
  // Most warnings (unknown tags and similar) do not make a master unusable, but libtiff reports
  // tag values beyond the end of the file only as "IO error ...; tag ignored": that is truncation.
  std::array<char, 512> buffer{};
  std::vsnprintf(buffer.data(), buffer.size(), fmt, ap);
  const std::string_view text(buffer.data());
  if (text.find("IO error") != std::string_view::npos ||
      text.find("I/O error") != std::string_view::npos) {
    auto* message = static_cast<std::string*>(user_data);
    if (message->empty())
      *message = (module ? std::string(module) + ": " : std::string()) + buffer.data();
  }
  return 1;
}

std::string tiff_compression(std::uint16_t c) {
  switch (c) {
    case COMPRESSION_NONE:
      return "none";
    case COMPRESSION_LZW:
      return "LZW";
    case COMPRESSION_ADOBE_DEFLATE:
    case COMPRESSION_DEFLATE:
      return "Deflate";
    case COMPRESSION_OJPEG:
    case COMPRESSION_JPEG:
      return "JPEG";
    case COMPRESSION_PACKBITS:
      return "PackBits";
    case COMPRESSION_CCITTFAX4:
      return "CCITT G4";
    default:
      return "TIFF compression " + std::to_string(c);
  }
}

std::string tiff_colour_space(bool has_photometric, std::uint16_t photometric, int bits,
                              int samples) {
  if (!has_photometric) return "";
  switch (photometric) {
    case PHOTOMETRIC_MINISWHITE:
    case PHOTOMETRIC_MINISBLACK:
      if (bits == 1 && samples == 1) return "bilevel";
      return samples >= 2 ? "grey+alpha" : "grey";
    case PHOTOMETRIC_RGB:
      return samples >= 4 ? "RGBA" : "RGB";
    case PHOTOMETRIC_PALETTE:
      return "palette";
    case PHOTOMETRIC_SEPARATED:
      return "CMYK";
    case PHOTOMETRIC_YCBCR:
      return "YCbCr";
    case PHOTOMETRIC_CIELAB:
    case PHOTOMETRIC_ICCLAB:
    case PHOTOMETRIC_ITULAB:
      return "CIELab";
    default:
      return "TIFF photometric " + std::to_string(photometric);
  }
}

std::string tiff_text(TIFF* tif, ttag_t tag) {
  const char* value = nullptr;
  if (TIFFGetField(tif, tag, &value) != 1 || value == nullptr) return "";
  return clean_text(value);
}

using TiffPtr = std::unique_ptr<TIFF, decltype(&TIFFClose)>;
using TiffOptionsPtr = std::unique_ptr<TIFFOpenOptions, decltype(&TIFFOpenOptionsFree)>;

// Checks the current directory: pixel budget, and image data inside the file (a master cut short
// in transfer usually still has readable tags but its strips point past the end).
void check_tiff_directory(const fs::path& file, TIFF* tif, std::uint64_t size,
                          std::uint64_t max_pixels) {
  std::uint32_t width = 0, height = 0;
  if (TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &width) != 1 ||
      TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &height) != 1) {
    fail(file, "TIFF directory " + std::to_string(TIFFCurrentDirectory(tif)) +
                   " has no image dimensions");
  }
  check_pixels(file, width, height, max_pixels);
  const std::uint32_t striles = TIFFIsTiled(tif) ? TIFFNumberOfTiles(tif) : TIFFNumberOfStrips(tif);
  for (std::uint32_t i = 0; i < striles; ++i) {
    int err = 0;
    const std::uint64_t offset = TIFFGetStrileOffsetWithErr(tif, i, &err);
    const std::uint64_t count = err ? 0 : TIFFGetStrileByteCountWithErr(tif, i, &err);
    if (err) fail(file, "corrupt TIFF: unreadable strip or tile table");
    if (count > size || offset > size - count) {
      fail(file, "truncated TIFF: image data of directory " +
                     std::to_string(TIFFCurrentDirectory(tif)) +
                     " lies beyond the end of the file");
    }
  }
}

TechnicalMetadata read_tiff(const fs::path& file, std::uint64_t size, std::uint64_t max_pixels) {
  // Per-handle handlers (libtiff >= 4.5) keep concurrent reads from mixing their messages; the
  // global ones are silenced once for the few messages libtiff emits without a handle.
  static const bool silenced = [] {
    TIFFSetErrorHandler(nullptr);
    TIFFSetWarningHandler(nullptr);
    return true;
  }();
  (void)silenced;

  std::string error;
  const TiffOptionsPtr options(TIFFOpenOptionsAlloc(), &TIFFOpenOptionsFree);
  if (!options) throw EnvironmentError(file.string() + ": out of memory");
  TIFFOpenOptionsSetErrorHandlerExtR(options.get(), &on_tiff_error, &error);
  TIFFOpenOptionsSetWarningHandlerExtR(options.get(), &on_tiff_warning, &error);
  // Hostile tag counts must not make libtiff allocate gigabytes for a header read.
  TIFFOpenOptionsSetMaxSingleMemAlloc(options.get(), 256 << 20);
  // "m": no memory mapping, so a file truncated while we read it cannot raise SIGBUS.
  const TiffPtr tif(TIFFOpenExt(file.c_str(), "rm", options.get()), &TIFFClose);
  const auto check = [&](const char* what) {
    if (!error.empty()) fail(file, std::string(what) + ": " + error);
  };
  if (!tif) {
    check("not a readable TIFF");
    fail(file, "not a readable TIFF");
  }
  check("truncated or corrupt TIFF");
  check_tiff_directory(file, tif.get(), size, max_pixels);

  TechnicalMetadata m;
  m.format = "TIFF";
  m.file_size = size;
  TIFFGetField(tif.get(), TIFFTAG_IMAGEWIDTH, &m.width);
  TIFFGetField(tif.get(), TIFFTAG_IMAGELENGTH, &m.height);
  std::uint16_t bits = 1, samples = 1, compression = COMPRESSION_NONE, photometric = 0;
  TIFFGetFieldDefaulted(tif.get(), TIFFTAG_BITSPERSAMPLE, &bits);
  TIFFGetFieldDefaulted(tif.get(), TIFFTAG_SAMPLESPERPIXEL, &samples);
  TIFFGetFieldDefaulted(tif.get(), TIFFTAG_COMPRESSION, &compression);
  const bool has_photometric = TIFFGetField(tif.get(), TIFFTAG_PHOTOMETRIC, &photometric) == 1;
  m.bits_per_sample = bits;
  m.samples_per_pixel = samples;
  m.compression = tiff_compression(compression);
  m.colour_space = tiff_colour_space(has_photometric, photometric, bits, samples);

  float xres = 0;
  std::uint16_t unit = RESUNIT_INCH;
  if (TIFFGetField(tif.get(), TIFFTAG_XRESOLUTION, &xres) == 1 && std::isfinite(xres) && xres > 0) {
    TIFFGetFieldDefaulted(tif.get(), TIFFTAG_RESOLUTIONUNIT, &unit);
    if (unit == RESUNIT_INCH) m.ppi = xres;
    if (unit == RESUNIT_CENTIMETER) m.ppi = xres * 2.54;
  }
  m.make = tiff_text(tif.get(), TIFFTAG_MAKE);
  m.model = tiff_text(tif.get(), TIFFTAG_MODEL);
  m.software = tiff_text(tif.get(), TIFFTAG_SOFTWARE);
  m.capture_date = exif_date_to_iso(tiff_text(tif.get(), TIFFTAG_DATETIME));

  std::uint32_t icc_size = 0;
  void* icc = nullptr;
  if (TIFFGetField(tif.get(), TIFFTAG_ICCPROFILE, &icc_size, &icc) == 1) {
    m.icc_profile = icc_description(static_cast<const unsigned char*>(icc), icc_size);
  }

  // Walk the IFD chain rather than only counting it, so a damaged later page is reported too.
  m.pages = 1;
  while (!TIFFLastDirectory(tif.get())) {
    if (TIFFReadDirectory(tif.get()) != 1) {
      check("truncated or corrupt TIFF");
      fail(file, "corrupt TIFF: directory " + std::to_string(m.pages) + " cannot be read");
    }
    check("truncated or corrupt TIFF");
    check_tiff_directory(file, tif.get(), size, max_pixels);
    ++m.pages;
  }
  return m;
}

// ---------------------------------------------------------------------------------------------
// JPEG

bool starts_with(const Bytes& data, std::string_view prefix) {
  return data.size() >= prefix.size() &&
         std::memcmp(data.data(), prefix.data(), prefix.size()) == 0;
}

TechnicalMetadata read_jpeg(const fs::path& file, std::uint64_t size, std::uint64_t max_pixels) {
  TechnicalMetadata m;
  m.format = "JPEG";
  m.file_size = size;
  Reader in(file, size);
  in.skip(2, "JPEG header");

  bool have_sof = false, have_jfif = false;
  double jfif_ppi = 0;
  int adobe_transform = -1;
  Bytes component_ids;
  ExifIfd0 exif;
  std::map<int, Bytes> icc_chunks;
  int icc_count = 0;

  for (;;) {
    const std::uint64_t at = in.pos();
    if (in.byte("JPEG marker") != 0xFF) {
      fail(file, "corrupt JPEG: no marker at offset " + std::to_string(at));
    }
    unsigned char marker = in.byte("JPEG marker");
    while (marker == 0xFF) marker = in.byte("JPEG marker");              // fill bytes
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;  // no length field
    if (marker == 0xD9) fail(file, "corrupt JPEG: end of image before any scan");
    if (marker == 0x00 || marker == 0xD8) {
      fail(file, "corrupt JPEG: unexpected marker at offset " + std::to_string(at));
    }
    const std::uint16_t length = in.u16("JPEG segment length");
    if (length < 2) fail(file, "corrupt JPEG: segment length below 2");
    const std::uint32_t payload = length - 2u;

    if (marker == 0xDA) {  // SOS: the headers end here
      if (!have_sof) fail(file, "corrupt JPEG: scan without a frame header");
      in.skip(payload, "JPEG scan header");
      // Entropy-coded data cannot contain FF D9 (FF is stuffed), so its presence after the scan
      // header shows the image was not cut short.
      if (!in.tail_contains(in.pos(), "\xFF\xD9")) {
        fail(file, "truncated JPEG: no end-of-image marker");
      }
      break;
    }

    const bool sof =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    const bool wanted = sof || marker == 0xE0 || marker == 0xE1 || marker == 0xE2 || marker == 0xEE;
    if (!wanted) {
      in.skip(payload, "JPEG segment");
      continue;
    }
    const Bytes data = in.read(payload, "JPEG segment");

    if (sof && !have_sof) {
      if (data.size() < 6) fail(file, "corrupt JPEG: short frame header");
      const unsigned components = data[5];
      if (components == 0 || data.size() < 6 + 3 * components) {
        fail(file, "corrupt JPEG: frame header with " + std::to_string(components) +
                       " components in " + std::to_string(data.size()) + " bytes");
      }
      m.bits_per_sample = data[0];
      m.height = be16(&data[1]);
      m.width = be16(&data[3]);
      m.samples_per_pixel = static_cast<int>(components);
      for (unsigned c = 0; c < components; ++c) component_ids.push_back(data[6 + 3 * c]);
      // Height 0 means "defined by a later DNL marker", legal but never seen in masters.
      check_pixels(file, m.width, m.height, max_pixels);
      switch (marker) {
        case 0xC0:
        case 0xC1:
          m.compression = "JPEG baseline";
          break;
        case 0xC2:
          m.compression = "JPEG progressive";
          break;
        case 0xC3:
          m.compression = "JPEG lossless";
          break;
        default:
          m.compression = "JPEG SOF" + std::to_string(marker - 0xC0);
          break;
      }
      have_sof = true;
    } else if (marker == 0xE0 && starts_with(data, std::string_view("JFIF\0", 5))) {
      have_jfif = true;
      if (data.size() >= 12) {
        const unsigned units = data[7];
        const double x_density = be16(&data[8]);
        if (units == 1) jfif_ppi = x_density;
        if (units == 2) jfif_ppi = x_density * 2.54;
      }
    } else if (marker == 0xE1 && starts_with(data, std::string_view("Exif\0\0", 6))) {
      exif = parse_exif_ifd0(data.data() + 6, data.size() - 6);
    } else if (marker == 0xE2 && starts_with(data, std::string_view("ICC_PROFILE\0", 12)) &&
               data.size() >= 14) {
      icc_count = data[13];
      icc_chunks[data[12]].assign(data.begin() + 14, data.end());
    } else if (marker == 0xEE && starts_with(data, "Adobe") && data.size() >= 12) {
      adobe_transform = data[11];
    }
  }

  switch (m.samples_per_pixel) {
    case 1:
      m.colour_space = "grey";
      break;
    case 3:
      if (have_jfif || adobe_transform == 1) {
        m.colour_space = "YCbCr";
      } else if (adobe_transform == 0 ||
                 component_ids == Bytes{static_cast<unsigned char>('R'), 'G', 'B'}) {
        m.colour_space = "RGB";
      } else {
        m.colour_space = "YCbCr";  // the JPEG default for three components
      }
      break;
    case 4:
      m.colour_space = "CMYK";
      break;
    default:
      break;
  }
  m.ppi = jfif_ppi > 0 ? jfif_ppi : exif.ppi_x;
  m.make = clean_text(exif.make);
  m.model = clean_text(exif.model);
  m.software = clean_text(exif.software);
  m.capture_date = exif_date_to_iso(clean_text(exif.date_time));

  // Chunks are numbered 1..count; a gap means the profile is incomplete and is ignored.
  Bytes icc;
  bool complete = icc_count > 0 && static_cast<int>(icc_chunks.size()) == icc_count;
  for (int seq = 1; complete && seq <= icc_count; ++seq) {
    const auto it = icc_chunks.find(seq);
    if (it == icc_chunks.end()) {
      complete = false;
    } else {
      icc.insert(icc.end(), it->second.begin(), it->second.end());
    }
  }
  if (complete) m.icc_profile = icc_description(icc.data(), icc.size());
  return m;
}

// ---------------------------------------------------------------------------------------------
// PNG

std::uint32_t crc32_update(std::uint32_t crc, const unsigned char* p, std::size_t n) {
  static const auto table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  for (std::size_t i = 0; i < n; ++i) crc = table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
  return crc;
}

// Reads a chunk's data and CRC, keeping at most `keep` bytes but checking the CRC over all of
// them, so an oversized text chunk costs a bounded amount of memory.
Bytes read_png_chunk(const fs::path& file, Reader& in, const std::string& type,
                     std::uint32_t length, std::size_t keep) {
  const std::string what = "PNG " + type + " chunk";
  std::uint32_t crc =
      crc32_update(0xFFFFFFFFu, reinterpret_cast<const unsigned char*>(type.data()), 4);
  Bytes kept;
  std::array<unsigned char, 65536> block{};
  for (std::uint32_t done = 0; done < length;) {
    const auto n = std::min<std::uint32_t>(length - done, block.size());
    in.read(block.data(), n, what);
    crc = crc32_update(crc, block.data(), n);
    const std::size_t take = std::min<std::size_t>(n, keep - std::min(keep, kept.size()));
    kept.insert(kept.end(), block.begin(), block.begin() + static_cast<std::ptrdiff_t>(take));
    done += n;
  }
  if ((crc ^ 0xFFFFFFFFu) != in.u32(what))
    fail(file, "corrupt PNG: CRC mismatch in " + type + " chunk");
  return kept;
}

TechnicalMetadata read_png(const fs::path& file, std::uint64_t size, std::uint64_t max_pixels) {
  TechnicalMetadata m;
  m.format = "PNG";
  m.compression = "Deflate";
  m.file_size = size;
  Reader in(file, size);
  in.skip(8, "PNG signature");

  bool first = true;
  for (;;) {
    const std::uint32_t length = in.u32("PNG chunk header");
    unsigned char raw_type[4];
    in.read(raw_type, 4, "PNG chunk header");
    const std::string type(reinterpret_cast<const char*>(raw_type), 4);
    const bool letters = std::all_of(type.begin(), type.end(), [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    });
    if (!letters || length > 0x7FFFFFFFu) fail(file, "corrupt PNG: invalid chunk header");
    if (std::uint64_t{length} + 4 > in.remaining()) fail(file, "truncated PNG " + type + " chunk");
    if (first && type != "IHDR") fail(file, "corrupt PNG: the first chunk is not IHDR");
    first = false;

    if (type == "IHDR") {
      const Bytes d = read_png_chunk(file, in, type, length, 13);
      if (length != 13)
        fail(file, "corrupt PNG: IHDR chunk of " + std::to_string(length) + " bytes");
      m.width = be32(&d[0]);
      m.height = be32(&d[4]);
      const int depth = d[8], colour = d[9];
      if (m.width > 0x7FFFFFFFu || m.height > 0x7FFFFFFFu) fail(file, "corrupt PNG: image size");
      check_pixels(file, m.width, m.height, max_pixels);
      const auto depth_in = [depth](std::initializer_list<int> allowed) {
        return std::find(allowed.begin(), allowed.end(), depth) != allowed.end();
      };
      bool ok = false;
      switch (colour) {
        case 0:
          ok = depth_in({1, 2, 4, 8, 16}), m.colour_space = "grey", m.samples_per_pixel = 1;
          break;
        case 2:
          ok = depth_in({8, 16}), m.colour_space = "RGB", m.samples_per_pixel = 3;
          break;
        case 3:
          ok = depth_in({1, 2, 4, 8}), m.colour_space = "palette", m.samples_per_pixel = 1;
          break;
        case 4:
          ok = depth_in({8, 16}), m.colour_space = "grey+alpha", m.samples_per_pixel = 2;
          break;
        case 6:
          ok = depth_in({8, 16}), m.colour_space = "RGBA", m.samples_per_pixel = 4;
          break;
        default:
          break;
      }
      if (!ok) {
        fail(file, "corrupt PNG: colour type " + std::to_string(colour) + " with bit depth " +
                       std::to_string(depth));
      }
      m.bits_per_sample = depth;
    } else if (type == "IDAT") {
      // Pixel data starts; the IEND chunk (length, type and its fixed CRC) must close the file.
      if (!in.tail_contains(in.pos(), std::string_view("\0\0\0\0IEND\xAE\x42\x60\x82", 12))) {
        fail(file, "truncated PNG: no IEND chunk");
      }
      break;
    } else if (type == "IEND") {
      fail(file, "corrupt PNG: no image data");
    } else if (type == "pHYs") {
      const Bytes d = read_png_chunk(file, in, type, length, 9);
      if (d.size() == 9 && d[8] == 1) m.ppi = be32(&d[0]) * 0.0254;
    } else if (type == "iCCP") {
      const Bytes d = read_png_chunk(file, in, type, length, 80);
      const auto nul = std::find(d.begin(), d.end(), 0);
      if (nul != d.end())
        m.icc_profile = clean_text(d.data(), static_cast<std::size_t>(nul - d.begin()), true);
    } else if (type == "tEXt") {
      const Bytes d = read_png_chunk(file, in, type, length, 65536);
      const auto nul = std::find(d.begin(), d.end(), 0);
      if (nul != d.end()) {
        const std::string keyword(d.begin(), nul);
        const auto text_at = static_cast<std::size_t>(nul - d.begin()) + 1;
        const std::string text = clean_text(d.data() + text_at, d.size() - text_at, true);
        if (keyword == "Software") m.software = text;
        if (keyword == "Creation Time") m.capture_date = text;
      }
    } else {
      in.skip(std::uint64_t{length} + 4, "PNG " + type + " chunk");
    }
  }
  return m;
}

// ---------------------------------------------------------------------------------------------
// JPEG 2000: the JP2 box structure and the codestream main header (SIZ, COD), walked by hand like
// JPEG and PNG; OpenJPEG is only needed to decode the pixels.

// The header box is small unless it carries an ICC profile; anything beyond this is not a master.
constexpr std::uint64_t kMaxJp2HeaderBox = 64 << 20;

std::string box_name(const unsigned char* type) {
  std::string name;
  for (int i = 0; i < 4; ++i) {
    const unsigned char c = type[i];
    name += c >= 0x20 && c < 0x7F ? static_cast<char>(c) : '?';
  }
  return "'" + name + "'";
}

struct Box {
  unsigned char type[4] = {};
  const unsigned char* data = nullptr;  // payload, `size` bytes
  std::size_t size = 0;
};

// The boxes inside a superbox's payload; a box reaching past its parent is truncation.
std::vector<Box> child_boxes(const fs::path& file, const unsigned char* p, std::size_t n,
                             const std::string& parent) {
  std::vector<Box> boxes;
  for (std::size_t at = 0; at < n;) {
    if (n - at < 8) fail(file, "truncated JPEG 2000 box header in " + parent);
    Box box;
    std::memcpy(box.type, p + at + 4, 4);
    std::uint64_t length = be32(p + at);
    std::size_t header = 8;
    if (length == 1) {
      if (n - at < 16) fail(file, "truncated JPEG 2000 box header in " + parent);
      length = std::uint64_t{be32(p + at + 8)} << 32 | be32(p + at + 12);
      header = 16;
    } else if (length == 0) {
      length = n - at;  // "to the end": of the enclosing box here
    }
    if (length < header) {
      fail(file, "corrupt JPEG 2000: box " + box_name(box.type) + " in " + parent +
                     " declares a length of " + std::to_string(length) + " bytes");
    }
    if (length > n - at) fail(file, "truncated JPEG 2000 box " + box_name(box.type));
    box.data = p + at + header;
    box.size = static_cast<std::size_t>(length - header);
    boxes.push_back(box);
    at += static_cast<std::size_t>(length);
  }
  return boxes;
}

// A resolution box (resc, resd): vertical then horizontal grid points per metre, each as 16-bit
// numerator and denominator with a signed decimal exponent. Returns horizontal ppi, 0 if unusable.
double jp2_resolution_ppi(const Box& box) {
  if (box.size < 10) return 0;
  const unsigned num = be16(box.data + 4), den = be16(box.data + 6);
  const auto exponent = static_cast<signed char>(box.data[9]);
  if (den == 0) return 0;
  const double ppi = static_cast<double>(num) / den * std::pow(10.0, exponent) * 0.0254;
  return std::isfinite(ppi) && ppi > 0 ? ppi : 0;
}

// Same vocabulary as the TIFF, JPEG and PNG paths; a fourth (or second) component is alpha.
std::string jp2_colour_by_components(int samples) {
  switch (samples) {
    case 1:
      return "grey";
    case 2:
      return "grey+alpha";
    case 3:
      return "RGB";
    case 4:
      return "RGBA";
    default:
      return "";
  }
}

// Enumerated colour spaces of ISO/IEC 15444-1 (16 … 18) and 15444-2 (the others).
std::string jp2_enumerated_colour(std::uint32_t cs, int samples) {
  switch (cs) {
    case 0:
    case 15:
      return "bilevel";
    case 17:
      return samples >= 2 ? "grey+alpha" : "grey";
    case 16:
    case 20:
    case 21:
      return samples >= 4 ? "RGBA" : "RGB";
    case 1:
    case 3:
    case 4:
    case 9:
    case 18:
    case 22:
    case 23:
    case 24:
      return "YCbCr";
    case 11:
      return "CMY";
    case 12:
      return "CMYK";
    case 13:
      return "YCCK";
    case 14:
      return "CIELab";
    default:
      return "JPEG 2000 colour space " + std::to_string(cs);
  }
}

// The data colour space in bytes 16 … 19 of an ICC profile header.
std::string icc_colour(const unsigned char* p, std::size_t n, int samples) {
  if (n < 20) return jp2_colour_by_components(samples);
  const std::string_view space(reinterpret_cast<const char*>(p + 16), 4);
  if (space == "GRAY") return samples >= 2 ? "grey+alpha" : "grey";
  if (space == "RGB ") return samples >= 4 ? "RGBA" : "RGB";
  if (space == "CMYK") return "CMYK";
  if (space == "Lab ") return "CIELab";
  if (space == "YCbr") return "YCbCr";
  return jp2_colour_by_components(samples);
}

struct Jp2Header {
  std::uint32_t width = 0, height = 0;
  int components = 0;
  int bits = 0;  // 0: varies by component (BPC 255)
  std::string colour_space, icc_profile;
  double ppi = 0;
};

Jp2Header parse_jp2_header(const fs::path& file, const Bytes& jp2h) {
  Jp2Header h;
  const std::vector<Box> boxes = child_boxes(file, jp2h.data(), jp2h.size(), "box 'jp2h'");
  if (boxes.empty() || std::memcmp(boxes[0].type, "ihdr", 4) != 0) {
    fail(file, "corrupt JPEG 2000: header box 'jp2h' does not start with an image header box");
  }
  bool have_colour = false;
  double capture_ppi = 0, display_ppi = 0;
  for (const Box& box : boxes) {
    if (std::memcmp(box.type, "ihdr", 4) == 0) {
      if (box.size < 14) {
        fail(file, "corrupt JPEG 2000: image header box 'ihdr' of " + std::to_string(box.size) +
                       " bytes");
      }
      h.height = be32(box.data);
      h.width = be32(box.data + 4);
      h.components = be16(box.data + 8);
      h.bits = box.data[10] == 255 ? 0 : (box.data[10] & 0x7F) + 1;
      if (h.components == 0) fail(file, "corrupt JPEG 2000: image header without components");
    } else if (std::memcmp(box.type, "colr", 4) == 0 && !have_colour) {
      // Only the first colour specification counts (ISO/IEC 15444-1 I.5.3.3).
      if (box.size < 3) fail(file, "corrupt JPEG 2000: colour specification box 'colr' too short");
      const unsigned method = box.data[0];
      if (method == 1) {
        if (box.size < 7) {
          fail(file, "corrupt JPEG 2000: colour specification box 'colr' too short");
        }
        h.colour_space = jp2_enumerated_colour(be32(box.data + 3), h.components);
        have_colour = true;
      } else if (method == 2 || method == 3) {
        h.icc_profile = icc_description(box.data + 3, box.size - 3);
        h.colour_space = icc_colour(box.data + 3, box.size - 3, h.components);
        have_colour = true;
      }
    } else if (std::memcmp(box.type, "res ", 4) == 0) {
      for (const Box& res : child_boxes(file, box.data, box.size, "box 'res '")) {
        if (std::memcmp(res.type, "resc", 4) == 0) capture_ppi = jp2_resolution_ppi(res);
        if (std::memcmp(res.type, "resd", 4) == 0) display_ppi = jp2_resolution_ppi(res);
      }
    }
  }
  if (!have_colour) h.colour_space = jp2_colour_by_components(h.components);
  h.ppi = capture_ppi > 0 ? capture_ppi : display_ppi;
  return h;
}

// The codestream's main header from the reader's position up to `end` (absolute): SOC, SIZ, and
// the COD marker segment that names the wavelet. Fills size, depth, components and compression.
void read_codestream_header(const fs::path& file, Reader& in, std::uint64_t end,
                            const std::string& kind, TechnicalMetadata& m,
                            std::uint64_t max_pixels) {
  const auto need = [&](std::uint64_t n, const std::string& what) {
    if (in.pos() > end || n > end - in.pos()) fail(file, "truncated " + kind + " " + what);
  };
  need(4, "main header");
  unsigned char marker[2];
  in.read(marker, 2, kind + " main header");
  if (marker[0] != 0xFF || marker[1] != 0x4F) {
    fail(file, "corrupt " + kind + ": no start-of-codestream marker");
  }
  in.read(marker, 2, kind + " main header");
  if (marker[0] != 0xFF || marker[1] != 0x51) fail(file, kind + " without SIZ marker");

  need(2, "SIZ marker segment");
  const std::uint16_t lsiz = in.u16(kind + " SIZ marker segment");
  if (lsiz < 41)
    fail(file, "corrupt " + kind + ": SIZ marker segment of " + std::to_string(lsiz) + " bytes");
  need(lsiz - 2u, "SIZ marker segment");
  const Bytes siz = in.read(lsiz - 2u, kind + " SIZ marker segment");
  const std::uint32_t xsiz = be32(&siz[2]), ysiz = be32(&siz[6]);
  const std::uint32_t xosiz = be32(&siz[10]), yosiz = be32(&siz[14]);
  const std::uint32_t xtsiz = be32(&siz[18]), ytsiz = be32(&siz[22]);
  const std::uint32_t xtosiz = be32(&siz[26]), ytosiz = be32(&siz[30]);
  const unsigned csiz = be16(&siz[34]);
  if (csiz == 0 || csiz > 16384 || siz.size() != 36 + 3 * std::size_t{csiz}) {
    fail(file, "corrupt " + kind + ": SIZ marker segment of " + std::to_string(lsiz) +
                   " bytes for " + std::to_string(csiz) + " components");
  }
  const std::uint64_t width = xsiz > xosiz ? xsiz - xosiz : 0;
  const std::uint64_t height = ysiz > yosiz ? ysiz - yosiz : 0;
  check_pixels(file, width, height, max_pixels);
  if (xtsiz == 0 || ytsiz == 0 || xtosiz > xosiz || ytosiz > yosiz ||
      std::uint64_t{xtosiz} + xtsiz <= xosiz || std::uint64_t{ytosiz} + ytsiz <= yosiz) {
    fail(file, "corrupt " + kind + ": inconsistent tile grid in the SIZ marker segment");
  }
  int bits = 0;
  for (unsigned c = 0; c < csiz; ++c) {
    const unsigned char* comp = &siz[36 + 3 * c];
    const int precision = (comp[0] & 0x7F) + 1;
    if (precision > 38 || comp[1] == 0 || comp[2] == 0) {
      fail(file,
           "corrupt " + kind + ": component " + std::to_string(c) + " in the SIZ marker segment");
    }
    bits = std::max(bits, precision);
  }
  m.width = static_cast<std::uint32_t>(width);
  m.height = static_cast<std::uint32_t>(height);
  m.samples_per_pixel = static_cast<int>(csiz);
  m.bits_per_sample = bits;

  // The remaining main-header marker segments, up to the first tile: COD is mandatory there.
  for (;;) {
    need(2, "main header");
    const std::uint64_t at = in.pos();
    in.read(marker, 2, kind + " main header");
    if (marker[0] != 0xFF) {
      fail(file, "corrupt " + kind + ": no marker at offset " + std::to_string(at));
    }
    if (marker[1] == 0x90 || marker[1] == 0xD9) fail(file, kind + " without COD marker");
    need(2, "marker segment");
    const std::uint16_t length = in.u16(kind + " marker segment");
    if (length < 2) fail(file, "corrupt " + kind + ": marker segment length below 2");
    need(length - 2u, "marker segment");
    if (marker[1] != 0x52) {
      in.skip(length - 2u, kind + " marker segment");
      continue;
    }
    const Bytes cod = in.read(length - 2u, kind + " COD marker segment");
    if (cod.size() < 10) {
      fail(file,
           "corrupt " + kind + ": COD marker segment of " + std::to_string(length) + " bytes");
    }
    // Scod, SGcod (progression, layers, MCT), SPcod (levels, code-block size and style, wavelet).
    switch (cod[9]) {
      case 0:
        m.compression = "JPEG 2000 lossy";
        break;
      case 1:
        m.compression = "JPEG 2000 lossless";
        break;
      default:
        m.compression = "JPEG 2000 wavelet " + std::to_string(cod[9]);
        break;
    }
    break;
  }
  // Coded data cannot contain FF D9 (bytes after FF stay below 0x90), so its presence after the
  // main header shows the codestream was not cut short.
  if (!in.tail_contains(in.pos(), "\xFF\xD9")) {
    fail(file, "truncated " + kind + ": no end-of-codestream marker");
  }
}

TechnicalMetadata read_j2k(const fs::path& file, std::uint64_t size, std::uint64_t max_pixels) {
  TechnicalMetadata m;
  m.format = "JPEG 2000 codestream";
  m.file_size = size;
  Reader in(file, size);
  read_codestream_header(file, in, size, "JPEG 2000 codestream", m, max_pixels);
  m.colour_space = jp2_colour_by_components(m.samples_per_pixel);
  return m;
}

TechnicalMetadata read_jp2(const fs::path& file, std::uint64_t size, std::uint64_t max_pixels) {
  TechnicalMetadata m;
  m.format = "JPEG 2000";
  m.file_size = size;
  Reader in(file, size);

  bool have_header = false;
  Jp2Header header;
  for (int index = 0;; ++index) {
    if (in.remaining() == 0) {
      if (index == 0) fail(file, "truncated JPEG 2000 signature box");
      fail(file, "truncated JPEG 2000: no codestream box 'jp2c'");
    }
    unsigned char head[16];
    in.read(head, 8, "JPEG 2000 box header");
    std::uint64_t length = be32(head);
    std::uint64_t header_size = 8;
    if (length == 1) {
      in.read(head + 8, 8, "JPEG 2000 box header");
      length = std::uint64_t{be32(head + 8)} << 32 | be32(head + 12);
      header_size = 16;
    } else if (length == 0) {
      length = in.remaining() + 8;  // the last box: to the end of the file
    }
    const unsigned char* type = head + 4;
    const std::string name = box_name(type);
    if (length < header_size) {
      fail(file, "corrupt JPEG 2000: box " + name + " declares a length of " +
                     std::to_string(length) + " bytes");
    }
    const std::uint64_t payload = length - header_size;
    if (payload > in.remaining()) fail(file, "truncated JPEG 2000 box " + name);

    if (index == 0) {  // the signature box: 12 bytes, "jP  ", 0D 0A 87 0A
      static constexpr unsigned char kSignature[4] = {0x0D, 0x0A, 0x87, 0x0A};
      if (std::memcmp(type, "jP  ", 4) != 0 || payload != 4) {
        fail(file, "corrupt JPEG 2000: bad signature box");
      }
      unsigned char signature[4];
      in.read(signature, 4, "JPEG 2000 signature box");
      if (std::memcmp(signature, kSignature, 4) != 0) {
        fail(file, "corrupt JPEG 2000: bad signature box");
      }
    } else if (index == 1 && std::memcmp(type, "ftyp", 4) != 0) {
      fail(file, "corrupt JPEG 2000: the signature is not followed by a file type box 'ftyp'");
    } else if (std::memcmp(type, "jp2h", 4) == 0 && !have_header) {
      if (payload > kMaxJp2HeaderBox) {
        fail(file, "corrupt JPEG 2000: header box 'jp2h' of " + std::to_string(payload) + " bytes");
      }
      header = parse_jp2_header(file, in.read(payload, "JPEG 2000 box 'jp2h'"));
      have_header = true;
    } else if (std::memcmp(type, "jp2c", 4) == 0) {
      if (!have_header) fail(file, "JPEG 2000 codestream box 'jp2c' before the header box 'jp2h'");
      read_codestream_header(file, in, in.pos() + payload, "JPEG 2000 codestream", m, max_pixels);
      break;
    } else {
      in.skip(payload, "JPEG 2000 box " + name);
    }
  }

  if (header.width != m.width || header.height != m.height ||
      header.components != m.samples_per_pixel) {
    fail(file, "corrupt JPEG 2000: the header box declares " + std::to_string(header.width) +
                   " x " + std::to_string(header.height) + " pixels with " +
                   std::to_string(header.components) + " components, the codestream " +
                   std::to_string(m.width) + " x " + std::to_string(m.height) + " with " +
                   std::to_string(m.samples_per_pixel));
  }
  if (header.bits != 0 && header.bits != m.bits_per_sample) {
    fail(file, "corrupt JPEG 2000: the header box declares " + std::to_string(header.bits) +
                   "-bit samples, the codestream " + std::to_string(m.bits_per_sample) + "-bit");
  }
  m.colour_space = header.colour_space;
  m.icc_profile = header.icc_profile;
  m.ppi = header.ppi;
  return m;
}

}  // namespace

TechnicalMetadata read_technical_metadata(const fs::path& file, std::uint64_t max_pixels) {
  std::error_code ec;
  const auto status = fs::status(file, ec);
  if (ec || !fs::exists(status)) fail(file, "no such file");
  if (!fs::is_regular_file(status)) fail(file, "not a regular file");
  const std::uint64_t size = fs::file_size(file, ec);
  if (ec) throw EnvironmentError(file.string() + ": cannot determine the file size");
  if (size == 0) fail(file, "empty file");

  unsigned char head[12] = {};
  {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw EnvironmentError(file.string() + ": cannot open the file");
    in.read(reinterpret_cast<char*>(head),
            static_cast<std::streamsize>(std::min<std::uint64_t>(size, 12)));
  }
  const auto is = [&](std::string_view magic) {
    return size >= magic.size() && std::memcmp(head, magic.data(), magic.size()) == 0;
  };

  using std::string_view_literals::operator""sv;
  if (is("II*\0"sv) || is("MM\0*"sv) || is("II+\0"sv) || is("MM\0+"sv)) {
    return read_tiff(file, size, max_pixels);
  }
  if (is("\xFF\xD8\xFF"sv)) return read_jpeg(file, size, max_pixels);
  if (is("\x89PNG\r\n\x1A\n"sv)) return read_png(file, size, max_pixels);
  if (is("\0\0\0\x0CjP  "sv)) return read_jp2(file, size, max_pixels);
  if (is("\xFF\x4F\xFF\x51"sv)) return read_j2k(file, size, max_pixels);
  if (is("GIF87a"sv) || is("GIF89a"sv)) fail(file, "GIF is not supported");
  if (is("%PDF-"sv)) fail(file, "PDF is not supported as a master image");
  if (is("RIFF"sv) && size >= 12 && std::memcmp(head + 8, "WEBP", 4) == 0) {
    fail(file, "WebP is not supported");
  }
  fail(file, "unsupported format (not TIFF, JPEG, PNG or JPEG 2000)");
}

}  // namespace findbuch

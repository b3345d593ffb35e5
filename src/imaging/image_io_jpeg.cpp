// JPEG through libjpeg(-turbo). libjpeg reports errors by calling error_exit, which must not
// return: ours copies the message and longjmps back. Every setjmp lives in a small function whose
// frame holds only plain C data, and everything with a destructor (the image, the FILE, the
// libjpeg state's cleanup) lives in the C++ caller, so the jump never skips a destructor.
#include <cstdio>
// jpeglib.h needs FILE and size_t declared first.
#include <jerror.h>
#include <jpeglib.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csetjmp>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "imaging/exif.hpp"
#include "imaging/image_io_internal.hpp"

namespace findbuch::imageio {
namespace {

// Progressive files can declare thousands of tiny scans, each a pass over the whole image.
constexpr int kMaxScans = 500;

struct ErrorManager {
  jpeg_error_mgr pub;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
  bool truncated;
  bool unsupported;
};

[[noreturn]] void on_error_exit(j_common_ptr cinfo) {
  auto* e = reinterpret_cast<ErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, e->message);
  const int code = cinfo->err->msg_code;
  e->unsupported = code == JERR_BAD_PRECISION || code == JERR_NOT_COMPILED ||
                   code == JERR_CONVERSION_NOTIMPL || code == JERR_NOTIMPL;
  std::longjmp(e->jump, 1);
}

// Warnings: libjpeg recovers from most corrupt data on its own, but at the end of the file it
// would invent grey rows. A master cut short must be reported, so that warning is an error.
void on_emit_message(j_common_ptr cinfo, int level) {
  if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) {
    auto* e = reinterpret_cast<ErrorManager*>(cinfo->err);
    (*cinfo->err->format_message)(cinfo, e->message);
    e->truncated = true;
    std::longjmp(e->jump, 1);
  }
}

void on_output_message(j_common_ptr) {}  // never print

void install(ErrorManager& e) {
  jpeg_std_error(&e.pub);
  e.pub.error_exit = &on_error_exit;
  e.pub.emit_message = &on_emit_message;
  e.pub.output_message = &on_output_message;
}

void on_progress(j_common_ptr cinfo) {
  if (!cinfo->is_decompressor) return;
  if (reinterpret_cast<j_decompress_ptr>(cinfo)->input_scan_number > kMaxScans) {
    auto* e = reinterpret_cast<ErrorManager*>(cinfo->err);
    std::snprintf(e->message, sizeof e->message, "more than %d progressive scans", kMaxScans);
    std::longjmp(e->jump, 1);
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

struct Decoder {
  jpeg_decompress_struct cinfo{};
  ErrorManager err{};
  jpeg_progress_mgr progress{};
  bool created = false;
  JOCTET* icc = nullptr;  // malloc'ed by jpeg_read_icc_profile
  unsigned icc_size = 0;

  Decoder() = default;
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;
  ~Decoder() {
    if (created) jpeg_destroy_decompress(&cinfo);
    std::free(icc);
  }
};

bool read_header(Decoder& d, std::FILE* in) {
  install(d.err);
  d.cinfo.err = &d.err.pub;
  if (setjmp(d.err.jump)) return false;
  jpeg_create_decompress(&d.cinfo);
  d.created = true;
  d.progress.progress_monitor = &on_progress;
  d.cinfo.progress = &d.progress;
  jpeg_stdio_src(&d.cinfo, in);
  jpeg_save_markers(&d.cinfo, JPEG_APP0 + 1, 0xFFFF);  // Exif
  jpeg_save_markers(&d.cinfo, JPEG_APP0 + 2, 0xFFFF);  // ICC profile
  jpeg_read_header(&d.cinfo, TRUE);
  jpeg_read_icc_profile(&d.cinfo, &d.icc, &d.icc_size);
  return true;
}

// Decodes into `pixels` (rows of `row_bytes`). CMYK goes through `cmyk_row` (4 bytes a pixel).
bool decode(Decoder& d, std::uint8_t* pixels, std::size_t row_bytes, std::uint8_t* cmyk_row,
            bool adobe_inverted) {
  if (setjmp(d.err.jump)) return false;
  jpeg_start_decompress(&d.cinfo);
  while (d.cinfo.output_scanline < d.cinfo.output_height) {
    std::uint8_t* out = pixels + std::size_t{d.cinfo.output_scanline} * row_bytes;
    if (cmyk_row == nullptr) {
      JSAMPROW rows[1] = {out};
      jpeg_read_scanlines(&d.cinfo, rows, 1);
    } else {
      JSAMPROW rows[1] = {cmyk_row};
      jpeg_read_scanlines(&d.cinfo, rows, 1);
      cmyk_to_rgb_8(cmyk_row, out, d.cinfo.output_width, 4, adobe_inverted);
    }
  }
  jpeg_finish_decompress(&d.cinfo);
  return true;
}

[[noreturn]] void fail_jpeg(const fs::path& file, const ErrorManager& e) {
  const char* kind = e.truncated     ? "truncated JPEG: "
                     : e.unsupported ? "unsupported JPEG: "
                                     : "corrupt JPEG: ";
  fail(file, kind + std::string(e.message));
}

ExifIfd0 find_exif(const jpeg_decompress_struct& cinfo) {
  for (jpeg_saved_marker_ptr m = cinfo.marker_list; m != nullptr; m = m->next) {
    if (m->marker == JPEG_APP0 + 1 && m->data_length >= 6 &&
        std::memcmp(m->data, "Exif\0\0", 6) == 0) {
      return parse_exif_ifd0(m->data + 6, m->data_length - 6);
    }
  }
  return {};
}

// ---------------------------------------------------------------------------------------------
// Writing

// Streams the compressed data into the temporary file through a fixed buffer.
struct FdDestination {
  jpeg_destination_mgr pub;
  int fd;
  int error;  // errno of a failed write, or 0
  JOCTET buffer[1 << 16];
};

void on_init_destination(j_compress_ptr cinfo) {
  auto* d = reinterpret_cast<FdDestination*>(cinfo->dest);
  d->pub.next_output_byte = d->buffer;
  d->pub.free_in_buffer = sizeof d->buffer;
}

boolean on_empty_output_buffer(j_compress_ptr cinfo) {
  auto* d = reinterpret_cast<FdDestination*>(cinfo->dest);
  if (!write_all(d->fd, d->buffer, sizeof d->buffer)) {
    d->error = errno;
    ERREXIT(cinfo, JERR_FILE_WRITE);
  }
  on_init_destination(cinfo);
  return TRUE;
}

void on_term_destination(j_compress_ptr cinfo) {
  auto* d = reinterpret_cast<FdDestination*>(cinfo->dest);
  if (!write_all(d->fd, d->buffer, sizeof d->buffer - d->pub.free_in_buffer)) {
    d->error = errno;
    ERREXIT(cinfo, JERR_FILE_WRITE);
  }
}

struct Encoder {
  jpeg_compress_struct cinfo{};
  ErrorManager err{};
  FdDestination dest{};
  bool created = false;

  Encoder() = default;
  Encoder(const Encoder&) = delete;
  Encoder& operator=(const Encoder&) = delete;
  ~Encoder() {
    if (created) jpeg_destroy_compress(&cinfo);
  }
};

std::uint16_t density(double ppi) {
  return static_cast<std::uint16_t>(std::clamp(std::lround(ppi), 1L, 65535L));
}

// `row8` holds one row of 8-bit samples, for images with 16 bits.
bool encode(Encoder& e, const Image& image, int quality, std::uint8_t* row8) {
  install(e.err);
  e.cinfo.err = &e.err.pub;
  if (setjmp(e.err.jump)) return false;
  jpeg_create_compress(&e.cinfo);
  e.created = true;
  e.dest.pub.init_destination = &on_init_destination;
  e.dest.pub.empty_output_buffer = &on_empty_output_buffer;
  e.dest.pub.term_destination = &on_term_destination;
  e.cinfo.dest = &e.dest.pub;
  e.cinfo.image_width = static_cast<JDIMENSION>(image.width);
  e.cinfo.image_height = static_cast<JDIMENSION>(image.height);
  e.cinfo.input_components = image.channels;
  e.cinfo.in_color_space = image.channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&e.cinfo);
  jpeg_set_quality(&e.cinfo, quality, TRUE);
  // optimize_coding stays off: on an A4 colour page it costs 20 ms (+70 %) to save 1 … 3 %.
  if (quality >= 90) {
    // Asking for high quality includes the colour detail: no chroma subsampling.
    for (int c = 0; c < e.cinfo.num_components; ++c) {
      e.cinfo.comp_info[c].h_samp_factor = 1;
      e.cinfo.comp_info[c].v_samp_factor = 1;
    }
  }
  if (image.ppi_x > 0 || image.ppi_y > 0) {
    e.cinfo.density_unit = 1;  // dots per inch
    e.cinfo.X_density = density(image.ppi_x > 0 ? image.ppi_x : image.ppi_y);
    e.cinfo.Y_density = density(image.ppi_y > 0 ? image.ppi_y : image.ppi_x);
  }
  jpeg_start_compress(&e.cinfo, TRUE);
  if (!image.icc_profile.empty()) {
    jpeg_write_icc_profile(&e.cinfo, image.icc_profile.data(),
                           static_cast<unsigned>(image.icc_profile.size()));
  }
  const std::size_t samples = static_cast<std::size_t>(image.width) * image.channels;
  while (e.cinfo.next_scanline < e.cinfo.image_height) {
    const std::uint8_t* in = image.row(static_cast<int>(e.cinfo.next_scanline));
    JSAMPROW rows[1] = {const_cast<std::uint8_t*>(in)};  // libjpeg only reads the rows
    if (image.bits == 16) {
      const auto* in16 = reinterpret_cast<const std::uint16_t*>(in);
      for (std::size_t i = 0; i < samples; ++i) {
        row8[i] = static_cast<std::uint8_t>((in16[i] * 255u + 32767u) / 65535u);
      }
      rows[0] = row8;
    }
    jpeg_write_scanlines(&e.cinfo, rows, 1);
  }
  jpeg_finish_compress(&e.cinfo);
  return true;
}

}  // namespace

Image read_jpeg(const fs::path& file, const ReadOptions& options) {
  const std::unique_ptr<std::FILE, decltype(&std::fclose)> in(std::fopen(file.c_str(), "rb"),
                                                              &std::fclose);
  if (!in) fail_io(file, "cannot open", errno);
  Decoder d;
  if (!read_header(d, in.get())) fail_jpeg(file, d.err);
  check_dimensions(file, d.cinfo.image_width, d.cinfo.image_height, options.max_pixels);
  const ExifIfd0 exif = find_exif(d.cinfo);  // saved markers are freed when decoding finishes

  const bool grey = d.cinfo.jpeg_color_space == JCS_GRAYSCALE;
  const bool cmyk = d.cinfo.jpeg_color_space == JCS_CMYK || d.cinfo.jpeg_color_space == JCS_YCCK;
  d.cinfo.out_color_space = grey ? JCS_GRAYSCALE : cmyk ? JCS_CMYK : JCS_RGB;

  Image image = new_image(file, d.cinfo.image_width, d.cinfo.image_height, grey ? 1 : 3, 8,
                          options.max_pixels);
  std::vector<std::uint8_t> cmyk_row(cmyk ? std::size_t{d.cinfo.image_width} * 4 : 0);
  // Adobe applications store CMYK inverted (0 = full ink) and always write their marker.
  if (!decode(d, image.pixels.data(), image.row_bytes(), cmyk ? cmyk_row.data() : nullptr,
              d.cinfo.saw_Adobe_marker)) {
    fail_jpeg(file, d.err);
  }

  if (d.cinfo.saw_JFIF_marker && (d.cinfo.density_unit == 1 || d.cinfo.density_unit == 2) &&
      d.cinfo.X_density > 0 && d.cinfo.Y_density > 0) {
    const double scale = d.cinfo.density_unit == 1 ? 1.0 : 2.54;
    image.ppi_x = d.cinfo.X_density * scale;
    image.ppi_y = d.cinfo.Y_density * scale;
  } else if (exif.ppi_x > 0 && exif.ppi_y > 0) {
    image.ppi_x = exif.ppi_x;
    image.ppi_y = exif.ppi_y;
  }
  if (d.icc != nullptr) image.icc_profile.assign(d.icc, d.icc + d.icc_size);
  apply_orientation(image, exif.orientation);
  return image;
}

void write_jpeg(const Image& image, const WriteOptions& options, int fd, const fs::path& file) {
  std::vector<std::uint8_t> row8(image.bits == 16 ? image.row_bytes() / 2 : 0);
  Encoder e;
  e.dest.fd = fd;
  if (!encode(e, image, options.jpeg_quality, row8.data())) {
    if (e.dest.error != 0) fail_io(file, "cannot write", e.dest.error);
    throw EnvironmentError(in_quotes(file.string()) + ": cannot write JPEG: " + e.err.message);
  }
}

}  // namespace findbuch::imageio

// JPEG through libjpeg(-turbo): decoding here, encoding with JpegEncoder (jpeg_encoder.cpp).
// Errors longjmp out of libjpeg (jpeg_error.hpp): every setjmp lives in a small function whose
// frame holds only plain C data, so the jump never skips a destructor.

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
#include "imaging/jpeg_encoder.hpp"
#include "imaging/jpeg_error.hpp"

namespace findbuch::imageio {
namespace {

// Progressive files can declare thousands of tiny scans, each a pass over the whole image.
constexpr int kMaxScans = 500;

void on_progress(j_common_ptr cinfo) {
  if (!cinfo->is_decompressor) return;
  if (reinterpret_cast<j_decompress_ptr>(cinfo)->input_scan_number > kMaxScans) {
    auto* e = reinterpret_cast<JpegErrorManager*>(cinfo->err);
    std::snprintf(e->message, sizeof e->message, "more than %d progressive scans", kMaxScans);
    std::longjmp(e->jump, 1);
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

struct Decoder {
  jpeg_decompress_struct cinfo{};
  JpegErrorManager err{};
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
  install_jpeg_errors(d.err, reinterpret_cast<jpeg_common_struct*>(&d.cinfo));
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

[[noreturn]] void fail_jpeg(const fs::path& file, const JpegErrorManager& e) {
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
  JpegSettings settings;
  settings.width = image.width;
  settings.height = image.height;
  settings.channels = image.channels;
  settings.quality = options.jpeg_quality;
  settings.ppi_x = image.ppi_x;
  settings.ppi_y = image.ppi_y;
  settings.icc_profile = &image.icc_profile;
  JpegEncoder encoder(settings, fd, file.string());
  if (image.bits == 8) {
    encoder.write_rows(image.pixels.data(), image.row_bytes(), image.height);
  } else {
    const std::size_t samples = static_cast<std::size_t>(image.width) * image.channels;
    std::vector<std::uint8_t> row8(samples);
    for (int y = 0; y < image.height; ++y) {
      const auto* in16 = reinterpret_cast<const std::uint16_t*>(image.row(y));
      for (std::size_t i = 0; i < samples; ++i) {
        row8[i] = to_8_bits(in16[i]);
      }
      encoder.write_rows(row8.data(), samples, 1);
    }
  }
  encoder.finish();
}

}  // namespace findbuch::imageio

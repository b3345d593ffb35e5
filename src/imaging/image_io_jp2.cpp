// JPEG 2000 through libopenjp2: the JP2 file format and raw J2K codestreams. OpenJPEG decodes to
// one int32 plane per component; these are scaled to 8 bits (precision up to 8) or 16 bits
// (precision 9 … 16) and interleaved. The capture resolution lives in a JP2 box OpenJPEG does
// not expose, so the header boxes are walked here.
#include <openjpeg.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <type_traits>
#include <vector>

#include "core/error.hpp"
#include "imaging/image_io_internal.hpp"

namespace findbuch::imageio {
namespace {

struct Messages {
  char error[256] = {};
};

// OpenJPEG reports several lines for one failure; the first names the cause.
void on_error(const char* text, void* user) {
  auto* m = static_cast<Messages*>(user);
  if (m->error[0] != '\0' || text == nullptr) return;
  std::snprintf(m->error, sizeof m->error, "%s", text);
  const std::size_t n = std::strlen(m->error);
  if (n > 0 && m->error[n - 1] == '\n') m->error[n - 1] = '\0';
}

void on_message(const char*, void*) {}

using CodecPtr = std::unique_ptr<opj_codec_t, decltype(&opj_destroy_codec)>;
using StreamPtr = std::unique_ptr<opj_stream_t, decltype(&opj_stream_destroy)>;
using ImagePtr = std::unique_ptr<opj_image_t, decltype(&opj_image_destroy)>;

std::uint32_t be32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}

// A resolution box (resc or resd): vertical then horizontal grid points per metre, each as
// numerator, denominator and a decimal exponent.
bool parse_resolution(const std::uint8_t* p, std::size_t n, double& ppi_x, double& ppi_y) {
  if (n < 10) return false;
  const auto value = [](unsigned num, unsigned den, signed char exponent) {
    return den == 0 ? 0.0 : num / static_cast<double>(den) * std::pow(10.0, exponent) * 0.0254;
  };
  const double y = value(p[0] << 8 | p[1], p[2] << 8 | p[3], static_cast<signed char>(p[8]));
  const double x = value(p[4] << 8 | p[5], p[6] << 8 | p[7], static_cast<signed char>(p[9]));
  if (!(x > 0 && y > 0 && std::isfinite(x) && std::isfinite(y))) return false;
  // Writers store whole ppi values as whole pixels per metre: snap back to the whole number.
  const auto snap = [](double v) {
    return std::abs(v - std::round(v)) <= 0.5 * 0.0254 + 1e-9 ? std::round(v) : v;
  };
  ppi_x = snap(x);
  ppi_y = snap(y);
  return true;
}

// Walks the boxes in `p` (n bytes); calls `visit(type, payload, size)` for each whole one.
template <class Visit>
void walk_boxes(const std::uint8_t* p, std::size_t n, Visit visit) {
  std::size_t at = 0;
  while (n - at >= 8) {
    std::uint64_t length = be32(p + at);
    std::size_t header = 8;
    if (length == 1) {
      if (n - at < 16) return;
      length = std::uint64_t{be32(p + at + 8)} << 32 | be32(p + at + 12);
      header = 16;
    } else if (length == 0) {
      length = n - at;
    }
    if (length < header || length > n - at) return;
    visit(p + at + 4, p + at + header, static_cast<std::size_t>(length - header));
    at += static_cast<std::size_t>(length);
  }
}

// The capture resolution (resc) or else the display resolution (resd) from the JP2 header box.
void read_resolution(const fs::path& file, Image& image) {
  const std::unique_ptr<std::FILE, decltype(&std::fclose)> in(std::fopen(file.c_str(), "rb"),
                                                              &std::fclose);
  if (!in) return;
  // The header box comes before the codestream; it is small unless it holds an ICC profile.
  constexpr std::uint64_t kMaxHeaderBox = 64 << 20;
  for (;;) {
    std::uint8_t box[16];
    if (std::fread(box, 1, 8, in.get()) != 8) return;
    std::uint64_t length = be32(box);
    std::uint64_t header = 8;
    if (length == 1) {
      if (std::fread(box + 8, 1, 8, in.get()) != 8) return;
      length = std::uint64_t{be32(box + 8)} << 32 | be32(box + 12);
      header = 16;
    }
    if (length < header || std::memcmp(box + 4, "jp2c", 4) == 0) return;
    const std::uint64_t payload = length - header;
    if (std::memcmp(box + 4, "jp2h", 4) != 0) {
      if (payload > static_cast<std::uint64_t>(LONG_MAX) ||
          std::fseek(in.get(), static_cast<long>(payload), SEEK_CUR) != 0) {
        return;
      }
      continue;
    }
    if (payload > kMaxHeaderBox) return;
    std::vector<std::uint8_t> data(static_cast<std::size_t>(payload));
    if (std::fread(data.data(), 1, data.size(), in.get()) != data.size()) return;
    double capture_x = 0, capture_y = 0, display_x = 0, display_y = 0;
    walk_boxes(data.data(), data.size(),
               [&](const std::uint8_t* type, const std::uint8_t* p, std::size_t n) {
                 if (std::memcmp(type, "res ", 4) != 0) return;
                 walk_boxes(p, n,
                            [&](const std::uint8_t* sub, const std::uint8_t* q, std::size_t m) {
                              if (std::memcmp(sub, "resc", 4) == 0)
                                parse_resolution(q, m, capture_x, capture_y);
                              if (std::memcmp(sub, "resd", 4) == 0)
                                parse_resolution(q, m, display_x, display_y);
                            });
               });
    image.ppi_x = capture_x > 0 ? capture_x : display_x;
    image.ppi_y = capture_y > 0 ? capture_y : display_y;
    return;
  }
}

// Signed samples are shifted to unsigned; values are clamped to the declared precision.
struct Scale {
  std::int64_t offset, max, out_max;
  std::uint32_t scale(std::int32_t v) const {
    const std::int64_t u = std::clamp<std::int64_t>(v + offset, 0, max);
    return static_cast<std::uint32_t>(max == out_max ? u : (u * out_max + max / 2) / max);
  }
};

void ycc_to_rgb(Image& image) {
  const double half = image.bits == 16 ? 32768.0 : 128.0;
  const double max = image.bits == 16 ? 65535.0 : 255.0;
  const std::size_t n = static_cast<std::size_t>(image.width) * image.height;
  const auto convert = [&](auto* p) {
    for (std::size_t i = 0; i < n; ++i, p += 3) {
      const double y = p[0], cb = p[1] - half, cr = p[2] - half;
      const double rgb[3] = {y + 1.402 * cr, y - 0.344136 * cb - 0.714136 * cr, y + 1.772 * cb};
      for (int c = 0; c < 3; ++c) {
        p[c] = static_cast<std::remove_reference_t<decltype(*p)>>(
            std::lround(std::clamp(rgb[c], 0.0, max)));
      }
    }
  };
  if (image.bits == 16) {
    convert(reinterpret_cast<std::uint16_t*>(image.pixels.data()));
  } else {
    convert(image.pixels.data());
  }
}

}  // namespace

Image read_jp2(const fs::path& file, const ReadOptions& options, bool raw_codestream) {
  const char* kind = raw_codestream ? "JPEG 2000 codestream" : "JPEG 2000";
  Messages messages;
  const auto fail_decode = [&](const char* what) {
    fail(file, std::string("corrupt ") + kind + ": " +
                   (messages.error[0] != '\0' ? messages.error : what));
  };
  const CodecPtr codec(opj_create_decompress(raw_codestream ? OPJ_CODEC_J2K : OPJ_CODEC_JP2),
                       &opj_destroy_codec);
  if (!codec) throw std::bad_alloc();
  opj_set_error_handler(codec.get(), &on_error, &messages);
  opj_set_warning_handler(codec.get(), &on_message, nullptr);
  opj_set_info_handler(codec.get(), &on_message, nullptr);
  opj_dparameters_t parameters;
  opj_set_default_decoder_parameters(&parameters);
  if (!opj_setup_decoder(codec.get(), &parameters)) fail_decode("cannot set up the decoder");
  // Without strict mode OpenJPEG decodes what it has of a truncated file and reports success.
  opj_decoder_set_strict_mode(codec.get(), OPJ_TRUE);

  const StreamPtr stream(opj_stream_create_default_file_stream(file.c_str(), OPJ_TRUE),
                         &opj_stream_destroy);
  if (!stream) fail_io(file, "cannot open", errno);
  opj_image_t* header = nullptr;
  const bool read = opj_read_header(stream.get(), codec.get(), &header);
  const ImagePtr j2k(header, &opj_image_destroy);
  if (!read || !j2k) fail_decode("unreadable header");
  if (j2k->x1 <= j2k->x0 || j2k->y1 <= j2k->y0 || j2k->numcomps == 0) {
    fail_decode("the header declares no pixels");
  }
  const std::uint32_t width = j2k->x1 - j2k->x0, height = j2k->y1 - j2k->y0;
  check_dimensions(file, width, height, options.max_pixels);

  const std::uint32_t comps = j2k->numcomps;
  // OpenJPEG decodes every component at four bytes a sample; beyond RGBA/CMYK they are unused.
  if (comps > 4) {
    fail(file, std::string("unsupported ") + kind + ": " + std::to_string(comps) + " components");
  }
  const bool cmyk = j2k->color_space == OPJ_CLRSPC_CMYK && comps >= 4;
  const std::uint32_t colour = cmyk ? 4 : comps >= 3 ? 3 : 1;
  const bool alpha =
      !cmyk && comps > colour && (comps == 2 || comps == 4 || j2k->comps[colour].alpha);
  const std::uint32_t used = colour + (alpha ? 1 : 0);
  std::uint32_t precision = 0;
  for (std::uint32_t c = 0; c < used; ++c) {
    const opj_image_comp_t& comp = j2k->comps[c];
    if (comp.dx != 1 || comp.dy != 1) {
      fail(file, std::string("unsupported ") + kind + ": subsampled components");
    }
    if (comp.prec < 1 || comp.prec > 16) {
      fail(file, std::string("unsupported ") + kind + ": " + std::to_string(comp.prec) +
                     "-bit samples (1 … 16 are supported)");
    }
    precision = std::max(precision, comp.prec);
  }

  if (!opj_decode(codec.get(), stream.get(), j2k.get()) ||
      !opj_end_decompress(codec.get(), stream.get())) {
    fail_decode("cannot decode the image");
  }
  for (std::uint32_t c = 0; c < used; ++c) {
    if (j2k->comps[c].data == nullptr || j2k->comps[c].w != width || j2k->comps[c].h != height) {
      fail_decode("component size does not match the image");
    }
  }

  const int bits = precision > 8 ? 16 : 8;
  const std::int64_t out_max = bits == 16 ? 65535 : 255;
  std::vector<Scale> scales(used);
  for (std::uint32_t c = 0; c < used; ++c) {
    const opj_image_comp_t& comp = j2k->comps[c];
    scales[c] = {comp.sgnd ? std::int64_t{1} << (comp.prec - 1) : 0,
                 (std::int64_t{1} << comp.prec) - 1, out_max};
  }
  // Interleave the planes (colour, then alpha) into one buffer of `used` samples per pixel.
  const std::size_t pixels = std::size_t{width} * height;
  Image image = new_image(file, width, height, colour == 1 ? 1 : 3, bits, options.max_pixels);
  image.bitonal = colour == 1 && precision == 1;
  const bool direct = used == static_cast<std::uint32_t>(image.channels);
  std::vector<std::uint8_t> interleaved(direct ? 0 : pixels * used * (bits / 8));
  std::uint8_t* target = direct ? image.pixels.data() : interleaved.data();
  for (std::uint32_t c = 0; c < used; ++c) {
    const OPJ_INT32* in = j2k->comps[c].data;
    const Scale s = scales[c];
    if (bits == 16) {
      auto* out = reinterpret_cast<std::uint16_t*>(target) + c;
      for (std::size_t i = 0; i < pixels; ++i)
        out[i * used] = static_cast<std::uint16_t>(s.scale(in[i]));
    } else {
      std::uint8_t* out = target + c;
      for (std::size_t i = 0; i < pixels; ++i)
        out[i * used] = static_cast<std::uint8_t>(s.scale(in[i]));
    }
  }
  if (cmyk) {
    for (int y = 0; y < image.height; ++y) {
      const std::size_t offset = std::size_t(y) * width * 4 * (bits / 8);
      if (bits == 16) {
        cmyk_to_rgb_16(reinterpret_cast<const std::uint16_t*>(interleaved.data() + offset),
                       reinterpret_cast<std::uint16_t*>(image.row(y)), width, 4);
      } else {
        cmyk_to_rgb_8(interleaved.data() + offset, image.row(y), width, 4, false);
      }
    }
  } else if (alpha) {
    for (int y = 0; y < image.height; ++y) {
      const std::size_t offset = std::size_t(y) * width * used * (bits / 8);
      if (bits == 16) {
        composite_on_white_16(reinterpret_cast<const std::uint16_t*>(interleaved.data() + offset),
                              reinterpret_cast<std::uint16_t*>(image.row(y)), width, image.channels,
                              static_cast<int>(used), false);
      } else {
        composite_on_white_8(interleaved.data() + offset, image.row(y), width, image.channels,
                             static_cast<int>(used), false);
      }
    }
  }
  if (colour == 3 && (j2k->color_space == OPJ_CLRSPC_SYCC || j2k->color_space == OPJ_CLRSPC_EYCC)) {
    ycc_to_rgb(image);
  }
  if (j2k->icc_profile_buf != nullptr && j2k->icc_profile_len > 0) {
    image.icc_profile.assign(j2k->icc_profile_buf, j2k->icc_profile_buf + j2k->icc_profile_len);
  }
  if (!raw_codestream) read_resolution(file, image);
  return image;
}

}  // namespace findbuch::imageio

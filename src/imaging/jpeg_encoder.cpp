#include "imaging/jpeg_encoder.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <utility>

#include "core/error.hpp"
#include "imaging/image_io_internal.hpp"
#include "imaging/jpeg_error.hpp"

namespace findbuch::imageio {

// Compressed bytes go through a buffer: to the file descriptor when it is full, or into a
// growing vector for memory encoders.
struct JpegEncoder::State {
  jpeg_compress_struct cinfo{};
  JpegErrorManager err{};
  jpeg_destination_mgr dest{};
  bool created = false;
  int fd = -1;  // -1: memory
  int write_error = 0;
  std::string file;
  std::vector<JOCTET> buffer;
  std::size_t flushed = 0;  // memory: bytes of `buffer` already complete
};

namespace {

using State = JpegEncoder::State;

State& state_of(j_compress_ptr cinfo) {
  return *static_cast<State*>(cinfo->client_data);
}

constexpr std::size_t kChunk = 1 << 16;

void on_init_destination(j_compress_ptr cinfo) {
  State& s = state_of(cinfo);
  s.buffer.resize(kChunk);
  s.dest.next_output_byte = s.buffer.data();
  s.dest.free_in_buffer = s.buffer.size();
}

boolean on_empty_output_buffer(j_compress_ptr cinfo) {
  State& s = state_of(cinfo);
  if (s.fd >= 0) {
    if (!write_all(s.fd, s.buffer.data(), s.buffer.size())) {
      s.write_error = errno;
      ERREXIT(cinfo, JERR_FILE_WRITE);
    }
    s.dest.next_output_byte = s.buffer.data();
    s.dest.free_in_buffer = s.buffer.size();
    return TRUE;
  }
  // libjpeg calls this when the whole buffer is used, whatever free_in_buffer said before.
  const std::size_t used = s.buffer.size();
  s.buffer.resize(used * 2);
  s.dest.next_output_byte = s.buffer.data() + used;
  s.dest.free_in_buffer = s.buffer.size() - used;
  return TRUE;
}

void on_term_destination(j_compress_ptr cinfo) {
  State& s = state_of(cinfo);
  const std::size_t used = s.buffer.size() - s.dest.free_in_buffer;
  if (s.fd >= 0) {
    if (!write_all(s.fd, s.buffer.data(), used)) {
      s.write_error = errno;
      ERREXIT(cinfo, JERR_FILE_WRITE);
    }
    return;
  }
  s.buffer.resize(used);
}

std::uint16_t density(double ppi) {
  return static_cast<std::uint16_t>(std::clamp(std::lround(ppi), 1L, 65535L));
}

bool start(State& s, const JpegSettings& settings) {
  if (setjmp(s.err.jump)) return false;
  jpeg_create_compress(&s.cinfo);
  s.created = true;
  s.dest.init_destination = &on_init_destination;
  s.dest.empty_output_buffer = &on_empty_output_buffer;
  s.dest.term_destination = &on_term_destination;
  s.cinfo.dest = &s.dest;
  s.cinfo.image_width = static_cast<JDIMENSION>(settings.width);
  s.cinfo.image_height = static_cast<JDIMENSION>(settings.height);
  s.cinfo.input_components = settings.channels;
  s.cinfo.in_color_space = settings.channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&s.cinfo);
  jpeg_set_quality(&s.cinfo, settings.quality, TRUE);
  // optimize_coding stays off: on an A4 colour page it costs 20 ms (+70 %) to save 1 … 3 %.
  if (settings.quality >= 90) {
    // Asking for high quality includes the colour detail: no chroma subsampling.
    for (int c = 0; c < s.cinfo.num_components; ++c) {
      s.cinfo.comp_info[c].h_samp_factor = 1;
      s.cinfo.comp_info[c].v_samp_factor = 1;
    }
  }
  if (settings.ppi_x > 0 || settings.ppi_y > 0) {
    s.cinfo.density_unit = 1;  // dots per inch
    s.cinfo.X_density = density(settings.ppi_x > 0 ? settings.ppi_x : settings.ppi_y);
    s.cinfo.Y_density = density(settings.ppi_y > 0 ? settings.ppi_y : settings.ppi_x);
  }
  jpeg_start_compress(&s.cinfo, TRUE);
  if (settings.icc_profile != nullptr && !settings.icc_profile->empty()) {
    jpeg_write_icc_profile(&s.cinfo, settings.icc_profile->data(),
                           static_cast<unsigned>(settings.icc_profile->size()));
  }
  return true;
}

// Up to 16 rows.
bool write(State& s, JSAMPROW* rows, int count) {
  if (setjmp(s.err.jump)) return false;
  jpeg_write_scanlines(&s.cinfo, rows, static_cast<JDIMENSION>(count));
  return true;
}

bool finish_stream(State& s) {
  if (setjmp(s.err.jump)) return false;
  jpeg_finish_compress(&s.cinfo);
  return true;
}

[[noreturn]] void fail_encoder(const State& s) {
  if (s.write_error != 0) fail_io(s.file, "cannot write", s.write_error);
  const std::string where = s.file.empty() ? std::string("JPEG encoder") : in_quotes(s.file);
  throw EnvironmentError(where + ": cannot write JPEG: " + s.err.message);
}

}  // namespace

JpegEncoder::JpegEncoder(const JpegSettings& settings, int fd, std::string file_for_messages)
    : state_(std::make_unique<State>()) {
  state_->cinfo.client_data = state_.get();  // kept by jpeg_create_compress
  state_->fd = fd;
  state_->file = std::move(file_for_messages);
  install_jpeg_errors(state_->err, reinterpret_cast<jpeg_common_struct*>(&state_->cinfo));
  if (!start(*state_, settings)) fail_encoder(*state_);
}

JpegEncoder::JpegEncoder(const JpegSettings& settings) : JpegEncoder(settings, -1, "") {}

JpegEncoder::~JpegEncoder() {
  if (state_->created) jpeg_destroy_compress(&state_->cinfo);
}

void JpegEncoder::write_rows(const std::uint8_t* rows, std::size_t stride, int count) {
  JSAMPROW pointers[16];
  for (int done = 0; done < count; done += 16) {
    const int n = std::min(count - done, 16);
    // libjpeg only reads the rows.
    for (int i = 0; i < n; ++i) {
      pointers[i] = const_cast<std::uint8_t*>(rows + static_cast<std::size_t>(done + i) * stride);
    }
    if (!write(*state_, pointers, n)) fail_encoder(*state_);
  }
}

void JpegEncoder::finish() {
  if (!finish_stream(*state_)) fail_encoder(*state_);
}

std::vector<std::uint8_t> JpegEncoder::take_bytes() {
  return std::move(state_->buffer);
}

std::vector<std::uint8_t> encode_jpeg(const std::uint8_t* pixels, std::size_t stride, int width,
                                      int height, int channels, int quality) {
  JpegSettings settings;
  settings.width = width;
  settings.height = height;
  settings.channels = channels;
  settings.quality = quality;
  JpegEncoder encoder(settings);
  encoder.write_rows(pixels, stride, height);
  encoder.finish();
  return encoder.take_bytes();
}

}  // namespace findbuch::imageio

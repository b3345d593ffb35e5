#pragma once
// A streaming JPEG encoder (libjpeg-turbo): rows go in top to bottom, compressed bytes go to a
// file descriptor or to memory. write_jpeg encodes whole images with it; the tiler encodes tiles
// into memory and whole pyramid levels band by band. Internal to src/imaging.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace findbuch::imageio {

struct JpegSettings {
  int width = 0;
  int height = 0;
  int channels = 3;  ///< 1 (grey) or 3 (RGB)
  int quality = 85;  ///< ≥ 90 also keeps full chroma resolution
  double ppi_x = 0, ppi_y = 0;
  const std::vector<std::uint8_t>* icc_profile = nullptr;
};

class JpegEncoder {
 public:
  /// Writes to `fd` (not closed). Errors: EnvironmentError naming `file_for_messages`.
  JpegEncoder(const JpegSettings& settings, int fd, std::string file_for_messages);
  /// Collects the bytes in memory (see take_bytes()).
  explicit JpegEncoder(const JpegSettings& settings);
  ~JpegEncoder();
  JpegEncoder(const JpegEncoder&) = delete;
  JpegEncoder& operator=(const JpegEncoder&) = delete;

  /// `count` 8-bit rows, `stride` bytes apart.
  void write_rows(const std::uint8_t* rows, std::size_t stride, int count);
  /// After the last row: completes the stream.
  void finish();
  /// The compressed bytes (memory encoders, after finish()).
  std::vector<std::uint8_t> take_bytes();

  struct State;  ///< libjpeg's state and our destination (jpeg_encoder.cpp)

 private:
  std::unique_ptr<State> state_;
};

/// One image from 8-bit rows straight into memory: a tile.
std::vector<std::uint8_t> encode_jpeg(const std::uint8_t* pixels, std::size_t stride, int width,
                                      int height, int channels, int quality);

}  // namespace findbuch::imageio

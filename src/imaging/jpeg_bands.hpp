#pragma once
// One large baseline JPEG encoded in parallel: every band of rows is encoded on its own, and the
// bands' entropy-coded data are joined with restart markers between them. A restart marker
// resets the DC predictors exactly as starting a new image does, so the joined file is a valid
// JPEG with one restart interval per band (DRI). Used for the IIIF sizes, above all full/max,
// which would otherwise be one long sequential encode. Internal to src/imaging.
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace findbuch::imageio {

class BandedJpeg {
 public:
  /// Whether bands of `band_rows` can be joined: whole MCU rows, and an interval (MCUs per band)
  /// that fits the 16-bit DRI field.
  static bool possible(int width, int channels, int quality, int band_rows);

  /// Writes to `fd` (not closed); `file` names it in messages.
  BandedJpeg(int fd, std::string file, int width, int height, int channels, int quality,
             int band_rows);

  /// Band `index` (rows index·band_rows …): any order, from any thread.
  void add_band(int index, const std::uint8_t* rows, std::size_t stride, int count);
  /// After every band: ends the file.
  void finish();

 private:
  void write(const std::vector<std::uint8_t>& bytes);

  int fd_;
  std::string file_;
  int width_, height_, channels_, quality_, band_rows_;
  std::mutex mutex_;
  std::map<int, std::vector<std::uint8_t>> waiting_;  ///< encoded bands not yet written
  int next_ = 0;                                      ///< band to write next
};

}  // namespace findbuch::imageio

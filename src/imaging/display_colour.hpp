#pragma once
// What viewers get: 8-bit sRGB (or 8-bit grey), whatever the master holds. 16-bit samples are
// rounded to 8 bits; an embedded ICC profile other than sRGB is converted to sRGB (LittleCMS,
// perceptual intent), so a scan in Adobe RGB or eciRGB does not look washed out in the browser.
// Internal to src/imaging.
#include <cstdint>
#include <memory>
#include <vector>

#include "imaging/image.hpp"

namespace findbuch::imageio {

class DisplayConverter {
 public:
  /// For rows shaped like `header` (channels, bits, ICC profile). A profile LittleCMS cannot
  /// read, or one for another colour space than the image's, is ignored (taken as sRGB).
  explicit DisplayConverter(const Image& header);
  ~DisplayConverter();
  DisplayConverter(const DisplayConverter&) = delete;
  DisplayConverter& operator=(const DisplayConverter&) = delete;

  /// Whether rows pass unchanged (8-bit, no profile or sRGB): the caller can skip convert().
  bool identity() const { return identity_; }
  /// Whether an ICC profile is applied.
  bool converts_colour() const { return transform_ != nullptr; }
  /// `count` rows of the source (header.row_bytes() each) into 8-bit rows (width·channels each).
  void convert(const std::uint8_t* in, std::uint8_t* out, int count) const;

 private:
  int width_, channels_, bits_;
  bool identity_ = true;
  void* transform_ = nullptr;  // cmsHTRANSFORM
};

}  // namespace findbuch::imageio

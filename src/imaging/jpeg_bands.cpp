#include "imaging/jpeg_bands.hpp"

#include <cerrno>

#include "core/error.hpp"
#include "imaging/image_io_internal.hpp"
#include "imaging/jpeg_encoder.hpp"

namespace findbuch::imageio {
namespace {

// Below quality 90 colour is subsampled 4:2:0 (16 × 16 MCUs), otherwise 8 × 8 (jpeg_encoder.cpp).
int mcu_side(int channels, int quality) {
  return channels == 3 && quality < 90 ? 16 : 8;
}

struct Parts {
  std::size_t sof = 0;          ///< offset of the SOF0 marker
  std::size_t sos = 0;          ///< offset of the SOS marker
  std::size_t entropy = 0;      ///< first byte after the SOS segment
  std::size_t entropy_end = 0;  ///< offset of the EOI marker
};

// Markers of a libjpeg baseline stream up to the scan: each FF xx with a 16-bit length.
Parts parse(const std::vector<std::uint8_t>& j) {
  Parts p;
  std::size_t at = 2;  // after SOI
  while (at + 4 <= j.size() && j[at] == 0xFF) {
    const std::uint8_t marker = j[at + 1];
    const std::size_t length = static_cast<std::size_t>(j[at + 2]) << 8 | j[at + 3];
    if (marker == 0xC0) p.sof = at;
    if (marker == 0xDA) {
      p.sos = at;
      p.entropy = at + 2 + length;
      break;
    }
    at += 2 + length;
  }
  if (p.entropy == 0 || p.sof == 0 || j.size() < p.entropy + 2 || j[j.size() - 2] != 0xFF ||
      j.back() != 0xD9) {
    throw EnvironmentError("unexpected JPEG stream from the encoder");
  }
  p.entropy_end = j.size() - 2;
  return p;
}

}  // namespace

bool BandedJpeg::possible(int width, int channels, int quality, int band_rows) {
  const int mcu = mcu_side(channels, quality);
  const long interval = static_cast<long>((width + mcu - 1) / mcu) * (band_rows / mcu);
  return band_rows % mcu == 0 && interval <= 65535;
}

BandedJpeg::BandedJpeg(int fd, std::string file, int width, int height, int channels, int quality,
                       int band_rows)
    : fd_(fd),
      file_(std::move(file)),
      width_(width),
      height_(height),
      channels_(channels),
      quality_(quality),
      band_rows_(band_rows) {}

void BandedJpeg::add_band(int index, const std::uint8_t* rows, std::size_t stride, int count) {
  std::vector<std::uint8_t> jpeg = encode_jpeg(rows, stride, width_, count, channels_, quality_);
  const Parts p = parse(jpeg);
  std::vector<std::uint8_t> piece;
  if (index == 0) {
    // The header of band 0 with the full height, plus the restart interval before the scan.
    piece.assign(jpeg.begin(), jpeg.begin() + static_cast<std::ptrdiff_t>(p.sos));
    piece[p.sof + 5] = static_cast<std::uint8_t>(height_ >> 8);
    piece[p.sof + 6] = static_cast<std::uint8_t>(height_ & 0xFF);
    const int mcu = mcu_side(channels_, quality_);
    const int interval = (width_ + mcu - 1) / mcu * (band_rows_ / mcu);
    const std::uint8_t dri[] = {0xFF,
                                0xDD,
                                0x00,
                                0x04,
                                static_cast<std::uint8_t>(interval >> 8),
                                static_cast<std::uint8_t>(interval & 0xFF)};
    piece.insert(piece.end(), std::begin(dri), std::end(dri));
    piece.insert(piece.end(), jpeg.begin() + static_cast<std::ptrdiff_t>(p.sos),
                 jpeg.begin() + static_cast<std::ptrdiff_t>(p.entropy_end));
  } else {
    // RST0 … RST7 in turn before every band after the first.
    piece.push_back(0xFF);
    piece.push_back(static_cast<std::uint8_t>(0xD0 + (index - 1) % 8));
    piece.insert(piece.end(), jpeg.begin() + static_cast<std::ptrdiff_t>(p.entropy),
                 jpeg.begin() + static_cast<std::ptrdiff_t>(p.entropy_end));
  }
  const std::lock_guard lock(mutex_);
  waiting_.emplace(index, std::move(piece));
  for (auto it = waiting_.find(next_); it != waiting_.end(); it = waiting_.find(next_)) {
    write(it->second);
    waiting_.erase(it);
    ++next_;
  }
}

void BandedJpeg::finish() {
  const int bands = (height_ + band_rows_ - 1) / band_rows_;
  if (next_ != bands) throw EnvironmentError(in_quotes(file_) + ": bands missing");
  write({0xFF, 0xD9});
}

void BandedJpeg::write(const std::vector<std::uint8_t>& bytes) {
  if (!write_all(fd_, bytes.data(), bytes.size())) fail_io(file_, "cannot write", errno);
}

}  // namespace findbuch::imageio

#include "imaging/exif.hpp"

namespace findbuch {

ExifIfd0 parse_exif_ifd0(const std::uint8_t* t, std::size_t n) {
  ExifIfd0 out;
  if (n < 8 || !((t[0] == 'I' && t[1] == 'I') || (t[0] == 'M' && t[1] == 'M'))) return out;
  const bool little = t[0] == 'I';
  const auto u16 = [&](std::size_t at) -> std::uint32_t {
    return little ? t[at] | t[at + 1] << 8 : t[at] << 8 | t[at + 1];
  };
  const auto u32 = [&](std::size_t at) -> std::uint32_t {
    return little ? u16(at) | u16(at + 2) << 16 : u16(at) << 16 | u16(at + 2);
  };
  if (u16(2) != 42) return out;
  const std::uint32_t ifd = u32(4);
  if (ifd > n - 2) return out;
  double x = 0, y = 0;
  std::uint32_t unit = 2;  // inch, the Exif default
  const std::uint32_t entries = u16(ifd);
  for (std::uint32_t i = 0; i < entries; ++i) {
    const std::uint64_t e = std::uint64_t{ifd} + 2 + 12 * std::uint64_t{i};
    if (e + 12 > n) break;
    const std::uint32_t tag = u16(e), type = u16(e + 2), count = u32(e + 4);
    if (type == 2) {  // ASCII: inline up to 4 bytes, else at an offset
      const std::uint32_t at = count <= 4 ? static_cast<std::uint32_t>(e + 8) : u32(e + 8);
      if (count > n || at > n - count) continue;
      const std::string text(reinterpret_cast<const char*>(t + at), count);
      if (tag == 0x10F) out.make = text;
      if (tag == 0x110) out.model = text;
      if (tag == 0x131) out.software = text;
      if (tag == 0x132) out.date_time = text;
    } else if (type == 3 && count >= 1) {  // SHORT
      if (tag == 0x112) out.orientation = static_cast<int>(u16(e + 8));
      if (tag == 0x128) unit = u16(e + 8);
    } else if (type == 5 && count >= 1 && (tag == 0x11A || tag == 0x11B)) {  // RATIONAL
      const std::uint32_t at = u32(e + 8);
      if (at > n || n - at < 8) continue;
      const std::uint32_t num = u32(at), den = u32(at + 4);
      (tag == 0x11A ? x : y) = den != 0 ? static_cast<double>(num) / den : 0;
    }
  }
  const double scale = unit == 2 ? 1.0 : unit == 3 ? 2.54 : 0.0;
  out.ppi_x = (x > 0 ? x : y) * scale;
  out.ppi_y = (y > 0 ? y : x) * scale;
  return out;
}

}  // namespace findbuch

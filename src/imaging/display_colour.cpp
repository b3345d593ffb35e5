#include "imaging/display_colour.hpp"

#include "imaging/image_io_internal.hpp"

#include <lcms2.h>

#include <cstring>
#include <string>

namespace findbuch::imageio {
namespace {

bool is_srgb(cmsHPROFILE profile) {
  char description[256] = {};
  cmsGetProfileInfoASCII(profile, cmsInfoDescription, "en", "US", description, sizeof description);
  return std::string(description).find("sRGB") != std::string::npos;
}

// Grey output keeps one channel but gets the sRGB tone curve, as browsers assume for grey JPEGs.
cmsHPROFILE srgb_grey() {
  cmsToneCurve* curve = cmsBuildGamma(nullptr, 2.2);
  cmsHPROFILE profile = cmsCreateGrayProfile(cmsD50_xyY(), curve);
  cmsFreeToneCurve(curve);
  return profile;
}

}  // namespace

DisplayConverter::DisplayConverter(const Image& header)
    : width_(header.width), channels_(header.channels), bits_(header.bits) {
  identity_ = bits_ == 8;
  if (header.icc_profile.empty()) return;
  cmsHPROFILE source = cmsOpenProfileFromMem(
      header.icc_profile.data(), static_cast<cmsUInt32Number>(header.icc_profile.size()));
  if (source == nullptr) return;
  const cmsColorSpaceSignature space = cmsGetColorSpace(source);
  const bool matches =
      (channels_ == 3 && space == cmsSigRgbData) || (channels_ == 1 && space == cmsSigGrayData);
  if (matches && !is_srgb(source)) {
    cmsHPROFILE target = channels_ == 3 ? cmsCreate_sRGBProfile() : srgb_grey();
    const cmsUInt32Number in_type = channels_ == 3 ? (bits_ == 16 ? TYPE_RGB_16 : TYPE_RGB_8)
                                                   : (bits_ == 16 ? TYPE_GRAY_16 : TYPE_GRAY_8);
    const cmsUInt32Number out_type = channels_ == 3 ? TYPE_RGB_8 : TYPE_GRAY_8;
    transform_ = cmsCreateTransform(source, in_type, target, out_type, INTENT_PERCEPTUAL, 0);
    cmsCloseProfile(target);
    if (transform_ != nullptr) identity_ = false;
  }
  cmsCloseProfile(source);
}

DisplayConverter::~DisplayConverter() {
  if (transform_ != nullptr) cmsDeleteTransform(static_cast<cmsHTRANSFORM>(transform_));
}

void DisplayConverter::convert(const std::uint8_t* in, std::uint8_t* out, int count) const {
  const std::size_t samples = static_cast<std::size_t>(width_) * channels_;
  const std::size_t in_row = samples * (bits_ == 16 ? 2 : 1);
  if (transform_ != nullptr) {
    // One call per row: LittleCMS takes pixel counts as 32-bit numbers.
    for (int r = 0; r < count; ++r) {
      cmsDoTransform(static_cast<cmsHTRANSFORM>(transform_), in + r * in_row, out + r * samples,
                     static_cast<cmsUInt32Number>(width_));
    }
    return;
  }
  if (bits_ == 8) {
    std::memcpy(out, in, samples * static_cast<std::size_t>(count));
    return;
  }
  const auto* in16 = reinterpret_cast<const std::uint16_t*>(in);
  const std::size_t total = samples * static_cast<std::size_t>(count);
  for (std::size_t i = 0; i < total; ++i) {
    out[i] = to_8_bits(in16[i]);
  }
}

}  // namespace findbuch::imageio

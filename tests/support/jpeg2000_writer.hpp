#pragma once
// Writes JPEG 2000 test files with OpenJPEG: the readers' and the metadata tests' source of real
// JP2 files and raw codestreams.
#include <gtest/gtest.h>
#include <openjpeg.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <vector>

namespace findbuch::testing {

/// `planes` holds each component's samples one plane after another; empty: a fixed pattern.
/// `irreversible`: the lossy 9-7 wavelet instead of the lossless 5-3.
inline void write_jpeg2000(const std::filesystem::path& file, bool jp2, int width, int height,
                           int comps, unsigned precision, const std::vector<std::int32_t>& planes,
                           bool irreversible = false) {
  std::vector<opj_image_cmptparm_t> parameters(static_cast<std::size_t>(comps));
  for (auto& p : parameters) {
    p = {};
    p.dx = p.dy = 1;
    p.w = static_cast<OPJ_UINT32>(width);
    p.h = static_cast<OPJ_UINT32>(height);
    p.prec = precision;
  }
  opj_image_t* image = opj_image_create(static_cast<OPJ_UINT32>(comps), parameters.data(),
                                        comps == 1 ? OPJ_CLRSPC_GRAY : OPJ_CLRSPC_SRGB);
  ASSERT_NE(image, nullptr);
  image->x1 = static_cast<OPJ_UINT32>(width);
  image->y1 = static_cast<OPJ_UINT32>(height);
  const std::size_t n = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
  const std::uint32_t max = (1u << precision) - 1;
  for (int c = 0; c < comps; ++c) {
    for (std::size_t i = 0; i < n; ++i)
      image->comps[c].data[i] =
          planes.empty()
              ? static_cast<OPJ_INT32>((i * 37 + static_cast<std::size_t>(c) * 1000) % (max + 1))
              : planes[static_cast<std::size_t>(c) * n + i];
  }
  opj_cparameters_t cp;
  opj_set_default_encoder_parameters(&cp);
  cp.numresolution = 3;
  cp.irreversible = irreversible ? 1 : 0;
  cp.tcp_mct = comps == 3 ? 1 : 0;
  opj_codec_t* codec = opj_create_compress(jp2 ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K);
  ASSERT_NE(codec, nullptr);
  ASSERT_TRUE(opj_setup_encoder(codec, &cp, image));
  opj_stream_t* stream = opj_stream_create_default_file_stream(file.c_str(), OPJ_FALSE);
  ASSERT_NE(stream, nullptr);
  EXPECT_TRUE(opj_start_compress(codec, image, stream));
  EXPECT_TRUE(opj_encode(codec, stream));
  EXPECT_TRUE(opj_end_compress(codec, stream));
  opj_stream_destroy(stream);
  opj_destroy_codec(codec);
  opj_image_destroy(image);
}

}  // namespace findbuch::testing

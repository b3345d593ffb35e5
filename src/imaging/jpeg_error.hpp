#pragma once
// libjpeg reports errors by calling error_exit, which must not return: ours copies the message
// and longjmps back. Every setjmp lives in a small function whose frame holds only plain C
// data, and everything with a destructor lives in the C++ caller, so the jump never skips a
// destructor. Internal to the JPEG reader and encoder.
#include <cstdio>
// jpeglib.h needs FILE and size_t declared first.
#include <jerror.h>
#include <jpeglib.h>

#include <csetjmp>

namespace findbuch::imageio {

struct JpegErrorManager {
  jpeg_error_mgr pub;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
  bool truncated;
  bool unsupported;
};

/// Points `cinfo->err` at `e` with error_exit jumping to e.jump and messages never printed.
/// Warnings are ignored, except that a decoder treats premature end of data as an error.
void install_jpeg_errors(JpegErrorManager& e, jpeg_common_struct* cinfo);

}  // namespace findbuch::imageio

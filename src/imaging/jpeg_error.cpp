#include "imaging/jpeg_error.hpp"

namespace findbuch::imageio {
namespace {

[[noreturn]] void on_error_exit(j_common_ptr cinfo) {
  auto* e = reinterpret_cast<JpegErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, e->message);
  const int code = cinfo->err->msg_code;
  e->unsupported = code == JERR_BAD_PRECISION || code == JERR_NOT_COMPILED ||
                   code == JERR_CONVERSION_NOTIMPL || code == JERR_NOTIMPL;
  std::longjmp(e->jump, 1);
}

// Warnings: libjpeg recovers from most corrupt data on its own, but at the end of the file it
// would invent grey rows. A master cut short must be reported, so that warning is an error.
void on_emit_message(j_common_ptr cinfo, int level) {
  if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) {
    auto* e = reinterpret_cast<JpegErrorManager*>(cinfo->err);
    (*cinfo->err->format_message)(cinfo, e->message);
    e->truncated = true;
    std::longjmp(e->jump, 1);
  }
}

void on_output_message(j_common_ptr) {}  // never print

}  // namespace

void install_jpeg_errors(JpegErrorManager& e, jpeg_common_struct* cinfo) {
  jpeg_std_error(&e.pub);
  e.pub.error_exit = &on_error_exit;
  e.pub.emit_message = &on_emit_message;
  e.pub.output_message = &on_output_message;
  cinfo->err = &e.pub;
}

}  // namespace findbuch::imageio

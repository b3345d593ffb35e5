// read_image, count_pages and write_image: recognise the format by its signature (never by the
// file name), hand over to the codec in image_io_<format>.cpp, and make writes atomic.
#include "imaging/image_io.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "core/error.hpp"
#include "imaging/image_io_internal.hpp"

namespace findbuch {
namespace {

namespace fs = std::filesystem;
using imageio::fail;

enum class Format { tiff, jpeg, png, jp2, j2k, pnm };

// Checks that `file` is a non-empty regular file with a supported signature. Formats we can
// recognise but not read are named, so the message tells the user what to convert from.
Format sniff(const fs::path& file) {
  std::error_code ec;
  const auto status = fs::status(file, ec);
  if (ec || !fs::exists(status)) fail(file, "no such file");
  if (!fs::is_regular_file(status)) fail(file, "not a regular file");
  const auto size = fs::file_size(file, ec);
  if (ec) imageio::fail_io(file, "cannot determine the file size", ec.value());
  if (size == 0) fail(file, "empty file");

  unsigned char head[16] = {};
  std::FILE* in = std::fopen(file.c_str(), "rb");
  if (in == nullptr) imageio::fail_io(file, "cannot open", errno);
  const std::size_t got = std::fread(head, 1, sizeof head, in);
  std::fclose(in);
  const auto is = [&](std::string_view magic, std::size_t at = 0) {
    return got >= at + magic.size() && std::memcmp(head + at, magic.data(), magic.size()) == 0;
  };

  using std::string_view_literals::operator""sv;
  if (is("II*\0"sv) || is("MM\0*"sv) || is("II+\0"sv) || is("MM\0+"sv)) return Format::tiff;
  if (is("\xFF\xD8\xFF"sv)) return Format::jpeg;
  if (is("\x89PNG\r\n\x1A\n"sv)) return Format::png;
  if (is("\0\0\0\x0CjP  \r\n\x87\n"sv)) return Format::jp2;
  if (is("\xFF\x4F\xFF\x51"sv)) return Format::j2k;
  if (got >= 3 && head[0] == 'P' && head[1] >= '1' && head[1] <= '6' &&
      std::strchr(" \t\r\n#", head[2]) != nullptr && head[2] != '\0') {
    return Format::pnm;
  }

  std::string name;
  if (is("GIF87a"sv) || is("GIF89a"sv)) name = "GIF";
  if (is("BM"sv) && got >= 10 && std::memcmp(head + 6, "\0\0\0\0", 4) == 0) name = "BMP";
  if (is("%PDF-"sv)) name = "PDF";
  if (is("RIFF"sv) && is("WEBP"sv, 8)) name = "WebP";
  if (is("ftyp"sv, 4) && (is("heic"sv, 8) || is("heix"sv, 8) || is("mif1"sv, 8))) name = "HEIF";
  if (is("ftypavif"sv, 4)) name = "AVIF";
  if (is("\xFF\x0A"sv) || is("\0\0\0\x0CJXL \r\n\x87\n"sv)) name = "JPEG XL";
  if (is("II\xBC"sv)) name = "JPEG XR";
  if (is("8BPS"sv)) name = "Photoshop (PSD)";
  if (is("P7\n"sv)) name = "PAM";
  if (is("%!PS"sv)) name = "PostScript";
  if (is("AT&TFORM"sv)) name = "DjVu";
  const std::string supported = "TIFF, JPEG, PNG, JPEG 2000 and Netpbm are supported";
  if (!name.empty()) fail(file, "unsupported format: " + name + " (" + supported + ")");
  fail(file, "unsupported format: not an image format Findbuch recognises (" + supported + ")");
}

[[noreturn]] void page_out_of_range(const fs::path& file, int page, int pages) {
  fail(file, "page " + std::to_string(page) + " is out of range (the file has " +
                 std::to_string(pages) + (pages == 1 ? " page)" : " pages)"));
}

// A uniquely named file beside the target, removed again unless commit() renamed it into place.
class TempFile {
 public:
  explicit TempFile(const fs::path& target) : target_(target) {
    static std::atomic<unsigned> counter{0};
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    for (int attempt = 0;; ++attempt) {
      path_ = dir / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                     std::to_string(counter++));
      fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
      if (fd_ >= 0) break;
      if (errno != EEXIST || attempt >= 100) {
        imageio::fail_io(target, "cannot create a temporary file in " + in_quotes(dir.string()),
                         errno);
      }
    }
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(path_.c_str());
  }

  int fd() const { return fd_; }

  void commit() {
    if (::fsync(fd_) != 0) imageio::fail_io(target_, "cannot flush", errno);
    const int closed = ::close(fd_);
    fd_ = -1;
    if (closed != 0) imageio::fail_io(target_, "cannot write", errno);
    if (::rename(path_.c_str(), target_.c_str()) != 0) {
      imageio::fail_io(target_, "cannot replace", errno);
    }
    committed_ = true;
  }

 private:
  fs::path target_, path_;
  int fd_ = -1;
  bool committed_ = false;
};

std::string format_name(ImageFormat format) {
  switch (format) {
    case ImageFormat::tiff:
      return "TIFF";
    case ImageFormat::jpeg:
      return "JPEG";
    case ImageFormat::png:
      return "PNG";
  }
  return "?";
}

void check_writable(const Image& image, const fs::path& file, const WriteOptions& options) {
  const auto refuse = [&](const std::string& why) {
    fail(file, "cannot write " + format_name(options.format) + ": " + why);
  };
  if (image.width <= 0 || image.height <= 0) refuse("the image has no pixels");
  if (image.channels != 1 && image.channels != 3) {
    refuse("images have 1 or 3 channels, not " + std::to_string(image.channels));
  }
  if (image.bits != 8 && image.bits != 16) {
    refuse("samples have 8 or 16 bits, not " + std::to_string(image.bits));
  }
  if (image.pixels.size() != image.row_bytes() * static_cast<std::size_t>(image.height)) {
    refuse("the pixel buffer does not match the image size");
  }
  if (options.format == ImageFormat::jpeg) {
    if (options.jpeg_quality < 1 || options.jpeg_quality > 100) {
      refuse("JPEG quality " + std::to_string(options.jpeg_quality) + " is outside 1 … 100");
    }
    if (image.width > 65500 || image.height > 65500) {
      refuse("JPEG holds at most 65500 x 65500 pixels, not " + std::to_string(image.width) + " x " +
             std::to_string(image.height));
    }
  }
}

}  // namespace

Image read_image(const fs::path& file, const ReadOptions& options) {
  const Format format = sniff(file);
  if (format == Format::tiff) return imageio::read_tiff(file, options);
  if (options.page != 0) page_out_of_range(file, options.page, 1);
  switch (format) {
    case Format::jpeg:
      return imageio::read_jpeg(file, options);
    case Format::png:
      return imageio::read_png(file, options);
    case Format::jp2:
      return imageio::read_jp2(file, options, false);
    case Format::j2k:
      return imageio::read_jp2(file, options, true);
    default:
      return imageio::read_pnm(file, options);
  }
}

namespace {

// An image in memory handed out row by row: borrowed (rows_of) or owned (formats without a
// streaming decoder).
class ImageRows final : public RowReader {
 public:
  explicit ImageRows(const Image& image) : image_(&image) { describe(); }
  explicit ImageRows(Image&& image) : owned_(std::move(image)), image_(&owned_) { describe(); }
  void read(std::uint8_t* out, int rows) override {
    const std::size_t bytes = static_cast<std::size_t>(rows) * image_->row_bytes();
    std::memcpy(out, image_->row(next_row_), bytes);
    next_row_ += rows;
  }

 private:
  void describe() {
    header_.width = image_->width;
    header_.height = image_->height;
    header_.channels = image_->channels;
    header_.bits = image_->bits;
    header_.bitonal = image_->bitonal;
    header_.ppi_x = image_->ppi_x;
    header_.ppi_y = image_->ppi_y;
    header_.icc_profile = image_->icc_profile;
  }
  Image owned_;
  const Image* image_;
  int next_row_ = 0;
};

}  // namespace

std::unique_ptr<RowReader> open_rows(const fs::path& file, const ReadOptions& options) {
  if (sniff(file) == Format::tiff) {
    if (auto rows = imageio::open_tiff_rows(file, options)) return rows;
  }
  return std::make_unique<ImageRows>(read_image(file, options));
}

std::unique_ptr<RowReader> rows_of(const Image& image) {
  return std::make_unique<ImageRows>(image);
}

int count_pages(const fs::path& file) {
  return sniff(file) == Format::tiff ? imageio::count_tiff_pages(file) : 1;
}

ImageFormat format_for_extension(const fs::path& file) {
  std::string ext = file.extension().string();
  for (char& c : ext) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (ext == ".tif" || ext == ".tiff") return ImageFormat::tiff;
  if (ext == ".jpg" || ext == ".jpeg") return ImageFormat::jpeg;
  if (ext == ".png") return ImageFormat::png;
  throw UsageError(in_quotes(file.string()) +
                   ": unknown image file extension (use .tif, .tiff, .jpg, .jpeg or .png)");
}

std::string format_id(ImageFormat format) {
  switch (format) {
    case ImageFormat::tiff:
      return "tiff";
    case ImageFormat::jpeg:
      return "jpeg";
    case ImageFormat::png:
      return "png";
  }
  return "";
}

std::string extension_of(ImageFormat format) {
  switch (format) {
    case ImageFormat::tiff:
      return ".tif";
    case ImageFormat::jpeg:
      return ".jpg";
    case ImageFormat::png:
      return ".png";
  }
  return "";
}

void write_image(const Image& image, const fs::path& file, const WriteOptions& options) {
  check_writable(image, file, options);
  TempFile temp(file);
  switch (options.format) {
    case ImageFormat::tiff:
      imageio::write_tiff(image, options, temp.fd(), file);
      break;
    case ImageFormat::jpeg:
      imageio::write_jpeg(image, options, temp.fd(), file);
      break;
    case ImageFormat::png:
      imageio::write_png(image, options, temp.fd(), file);
      break;
  }
  temp.commit();
}

}  // namespace findbuch

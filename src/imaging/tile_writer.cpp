#include "imaging/tile_writer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "core/error.hpp"
#include "imaging/image_io_internal.hpp"

namespace findbuch::tiling {

std::unique_ptr<TileWriter> make_iiif_writer(const TileOptions& options, const fs::path& target);
std::unique_ptr<TileWriter> make_dz_writer(const TileOptions& options, const fs::path& target);
std::unique_ptr<TileWriter> make_ptif_writer(const TileOptions& options, const fs::path& target);

std::unique_ptr<TileWriter> make_tile_writer(const TileOptions& options, const fs::path& target) {
  switch (options.layout) {
    case TileLayout::iiif3:
      return make_iiif_writer(options, target);
    case TileLayout::dz:
      return make_dz_writer(options, target);
    default:
      return make_ptif_writer(options, target);
  }
}

OutputDirectory::OutputDirectory(const fs::path& root) : root_(root) {
  fd_ = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd_ < 0) imageio::fail_io(root, "cannot open the output folder", errno);
}

OutputDirectory::~OutputDirectory() {
  ::close(fd_);
}

void OutputDirectory::make_parents(const std::string& relative) {
  for (std::size_t slash = relative.find('/'); slash != std::string::npos;
       slash = relative.find('/', slash + 1)) {
    const std::string dir = relative.substr(0, slash);
    if (::mkdirat(fd_, dir.c_str(), 0755) != 0 && errno != EEXIST) {
      imageio::fail_io(root_ / dir, "cannot create folder", errno);
    }
  }
}

int OutputDirectory::create(const std::string& relative) {
  make_parents(relative);
  const int fd = ::openat(fd_, relative.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) imageio::fail_io(root_ / relative, "cannot create", errno);
  return fd;
}

void OutputDirectory::write(const std::string& relative, const std::uint8_t* data,
                            std::size_t size) {
  const int fd = create(relative);
  const bool written = imageio::write_all(fd, data, size);
  const int error = errno;
  if (::close(fd) != 0 || !written) imageio::fail_io(root_ / relative, "cannot write", error);
  count(size);
}

void OutputDirectory::link(const std::string& from, const std::string& to) {
  make_parents(to);
  if (::linkat(fd_, from.c_str(), fd_, to.c_str(), 0) == 0) {
    ++files_;
    return;
  }
  std::error_code ec;
  fs::copy_file(root_ / from, root_ / to, fs::copy_options::overwrite_existing, ec);
  if (ec) imageio::fail_io(root_ / to, "cannot write", ec.value());
  count(fs::file_size(root_ / to));
}

}  // namespace findbuch::tiling

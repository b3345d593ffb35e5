#include "core/atomic_file.hpp"

#include <fcntl.h>
#include <stdio.h>  // renameat2
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/error.hpp"

namespace findbuch {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::filesystem::path& path, std::string_view what) {
  throw EnvironmentError(path.string() + ": " + std::string(what) + ": " + std::strerror(errno));
}

}  // namespace

void write_file_atomic(const std::filesystem::path& path, std::string_view content) {
  const std::filesystem::path tmp = path.parent_path() / std::string(".")
                                                             .append(path.filename().string())
                                                             .append(".tmp-")
                                                             .append(std::to_string(getpid()));
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail(tmp, "cannot create");
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      ::unlink(tmp.c_str());
      fail(tmp, "cannot write");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    fail(tmp, "cannot flush");
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    fail(path, "cannot replace");
  }
}

std::string read_file(const std::filesystem::path& path, std::uintmax_t max_bytes) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw EnvironmentError(path.string() + ": cannot read: " + ec.message());
  if (size > max_bytes)
    throw InputError(path.string() + ": file is too large (" + std::to_string(size) +
                     " bytes; the limit is " + std::to_string(max_bytes) + ")");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "cannot open");
  std::string data(size, '\0');
  in.read(data.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::uintmax_t>(in.gcount()) != size) fail(path, "cannot read");
  return data;
}

void sync_folder(const fs::path& dir) {
  const auto sync = [](const fs::path& path, int flags) {
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) fail(path, "cannot open");
    if (::fsync(fd) != 0) {
      ::close(fd);
      fail(path, "cannot flush");
    }
    ::close(fd);
  };
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file()) sync(entry.path(), O_RDONLY);
  }
  sync(dir, O_RDONLY | O_DIRECTORY);
}

fs::path temporary_sibling(const fs::path& target) {
  static std::atomic<unsigned> counter{0};
  return target.parent_path() / ("." + target.filename().string() + ".tmp-" +
                                 std::to_string(::getpid()) + "-" + std::to_string(counter++));
}

void replace_directory(const fs::path& built, const fs::path& target) {
  if (::renameat2(AT_FDCWD, built.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) == 0) {
    return;
  }
  if (errno != EEXIST) fail(target, "cannot rename the finished folder into place");
  if (::renameat2(AT_FDCWD, built.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) != 0) {
    fail(target, "cannot replace the existing folder");
  }
  std::error_code ignored;
  fs::remove_all(built, ignored);  // now the old folder
}

}  // namespace findbuch

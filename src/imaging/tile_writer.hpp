#pragma once
// The layouts behind tile_file: the orchestration (tiler.cpp) streams rows through the pyramid
// and hands every tile to a TileWriter, which encodes and stores it where its layout wants it.
// Internal to src/imaging.
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "imaging/pyramid.hpp"
#include "imaging/tiler.hpp"

namespace findbuch::tiling {

namespace fs = std::filesystem;

/// The source as the writers need it: shape after display conversion, and resolution.
struct SourceInfo {
  int width = 0, height = 0;
  int channels = 3;  ///< 1 or 3, 8-bit
  double ppi_x = 0, ppi_y = 0;
};

class TileWriter {
 public:
  virtual ~TileWriter() = default;
  int tile_size() const { return tile_size_; }
  int overlap() const { return overlap_; }
  /// The pyramid ends with the first level whose sides are both at most this.
  virtual int stop_at() const { return tile_size_; }
  /// Before any tile; `levels` from pyramid_levels.
  virtual void begin(const std::vector<LevelSize>& levels, const SourceInfo& source) = 0;
  /// Encodes and stores tile (col, row) of `level`; `pixels` is its top-left sample. Called from
  /// several threads at once.
  virtual void write_tile(int level, int col, int row, const std::uint8_t* pixels,
                          std::size_t stride, int width, int height) = 0;
  /// Levels also stored as one image (IIIF sizes), fed band by band (the band's own rows,
  /// without overlap) through write_level_rows: in any order, from several threads at once.
  virtual std::vector<int> whole_levels() const { return {}; }
  virtual void write_level_rows(int level, int band, const std::uint8_t* rows, std::size_t stride,
                                int count) {
    (void)level, (void)band, (void)rows, (void)stride, (void)count;
  }
  /// After the last tile: whatever describes the pyramid (info.json, .dzi, TIFF directories).
  virtual void finish(TileResult& result) = 0;

 protected:
  int tile_size_ = 512, overlap_ = 0;
};

/// Runs jobs in turn order 0, 1, 2, … whatever order they arrive in. Tiling jobs are taken first
/// in, first out, so band b's job waits at most for band b − 1's, which has already started.
class InOrder {
 public:
  void run(int turn, const std::function<void()>& job) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return next_ == turn || abandoned_; });
    const bool skip = abandoned_;
    lock.unlock();
    try {
      if (!skip) job();
    } catch (...) {
      lock.lock();
      abandoned_ = true;
      changed_.notify_all();
      throw;
    }
    lock.lock();
    ++next_;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int next_ = 0;
  bool abandoned_ = false;
};

/// The writer for `options.layout`, writing under `target` (a directory for iiif3 and dz, which
/// exists and is empty; a file for ptif, which does not exist yet).
std::unique_ptr<TileWriter> make_tile_writer(const TileOptions& options, const fs::path& target);

/// A directory the writers put files into, addressed by relative paths; parent directories are
/// created as needed. Thread-safe. Counts files and bytes.
class OutputDirectory {
 public:
  explicit OutputDirectory(const fs::path& root);
  ~OutputDirectory();
  OutputDirectory(const OutputDirectory&) = delete;
  OutputDirectory& operator=(const OutputDirectory&) = delete;

  void write(const std::string& relative, const std::uint8_t* data, std::size_t size);
  void write(const std::string& relative, const std::string& text) {
    write(relative, reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
  }
  /// Creates `relative` for writing (parents made); the caller closes it.
  int create(const std::string& relative);
  /// `to` becomes a second name of the file `from` (a copy where hard links are refused).
  void link(const std::string& from, const std::string& to);
  void make_parents(const std::string& relative);
  std::uint64_t files() const { return files_; }
  std::uint64_t bytes() const { return bytes_; }
  /// Counts a file written through create().
  void count(std::uint64_t bytes) {
    ++files_;
    bytes_ += bytes;
  }
  const fs::path& root() const { return root_; }

 private:
  fs::path root_;
  int fd_ = -1;
  std::atomic<std::uint64_t> files_{0}, bytes_{0};
};

}  // namespace findbuch::tiling

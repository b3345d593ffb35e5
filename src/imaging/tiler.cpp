// tile_file / tile_image: rows → display colour → pyramid bands → tiles encoded on worker
// threads → the layout's writer; built under a temporary name and renamed into place.
#include "imaging/tiler.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <cstdio>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "imaging/display_colour.hpp"
#include "imaging/image_io.hpp"
#include "imaging/image_io_internal.hpp"
#include "imaging/pyramid.hpp"
#include "imaging/tile_writer.hpp"

namespace findbuch {

std::string layout_id(TileLayout layout) {
  switch (layout) {
    case TileLayout::iiif3:
      return "iiif3";
    case TileLayout::dz:
      return "dz";
    default:
      return "ptif";
  }
}

TileLayout parse_tile_layout(const std::string& text) {
  for (const TileLayout layout : {TileLayout::iiif3, TileLayout::dz, TileLayout::ptif}) {
    if (text == layout_id(layout)) return layout;
  }
  throw UsageError("unknown tile layout " + in_quotes(text) + " (use iiif3, dz or ptif)");
}

int default_tile_size(TileLayout layout) {
  switch (layout) {
    case TileLayout::iiif3:
      return 512;
    case TileLayout::dz:
      return 254;
    default:
      return 256;
  }
}

void check_tile_options(const TileOptions& o) {
  if (o.quality < 1 || o.quality > 100) {
    throw UsageError("JPEG quality must be 1 … 100, not " + std::to_string(o.quality));
  }
  if (o.tile_size != 0 && (o.tile_size < 16 || o.tile_size > 4096)) {
    throw UsageError("tile size must be 16 … 4096 pixels, not " + std::to_string(o.tile_size));
  }
  const int t = o.tile_size > 0 ? o.tile_size : default_tile_size(o.layout);
  if (o.layout == TileLayout::ptif && t % 16 != 0) {
    throw UsageError("TIFF tiles must be a multiple of 16 pixels wide, not " + std::to_string(t));
  }
  if (o.layout == TileLayout::dz && o.overlap > t / 2) {
    throw UsageError("overlap " + std::to_string(o.overlap) + " is more than half the tile size");
  }
  if (o.layout != TileLayout::iiif3) return;
  if (o.max_height != 0 && o.max_width == 0) {
    throw UsageError(
        "a maximum height needs a maximum width too (IIIF: maxHeight requires maxWidth)");
  }
  // Tiles are images clients ask for too. Without a maximum height the width limits it.
  const auto side = static_cast<std::uint64_t>(t);
  const auto over = [](std::uint64_t value, std::uint64_t limit) {
    return limit != 0 && value > limit;
  };
  if (over(side, o.max_width) || over(side, o.height_limit()) || over(side * side, o.max_area)) {
    throw UsageError("tile size " + std::to_string(t) +
                     " exceeds the size limits (max width, height or area)");
  }
}

namespace tiling {
namespace {

// A fixed set of threads running jobs first in, first out. submit() waits while the queue is
// full, which bounds the bands held in memory. The first exception stops the work and is
// rethrown by wait().
class WorkQueue {
 public:
  WorkQueue(int threads, std::size_t capacity) : capacity_(capacity) {
    for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
  }
  ~WorkQueue() {
    {
      const std::lock_guard lock(mutex_);
      closing_ = true;
    }
    changed_.notify_all();
    for (auto& worker : workers_) worker.join();
  }

  void submit(std::function<void()> job) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return jobs_.size() < capacity_ || failure_; });
    if (failure_) std::rethrow_exception(failure_);
    jobs_.push_back(std::move(job));
    changed_.notify_all();
  }

  void wait() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return (jobs_.empty() && running_ == 0) || failure_; });
    if (failure_) std::rethrow_exception(failure_);
  }

  bool failed() {
    const std::lock_guard lock(mutex_);
    return failure_ != nullptr;
  }

 private:
  void work() {
    std::unique_lock lock(mutex_);
    for (;;) {
      changed_.wait(lock, [&] { return closing_ || !jobs_.empty(); });
      if (jobs_.empty()) return;
      std::function<void()> job = std::move(jobs_.front());
      jobs_.pop_front();
      ++running_;
      lock.unlock();
      std::exception_ptr error;
      try {
        job();
      } catch (...) {
        error = std::current_exception();
      }
      lock.lock();
      --running_;
      if (error && !failure_) {
        failure_ = error;
        jobs_.clear();
      }
      changed_.notify_all();
    }
  }

  std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> workers_;
  int running_ = 0;
  bool closing_ = false;
  std::exception_ptr failure_;
};

// Hands a finished band to the encoders: one job per tile, and one for the band's rows when
// the level is also stored whole.
void submit_band(WorkQueue& queue, TileWriter& w, Band band, const LevelSize size, bool whole) {
  const int t = w.tile_size(), o = w.overlap();
  const auto shared = std::make_shared<const Band>(std::move(band));
  const int row = shared->index;
  const int y0 = std::max(0, row * t - o), y1 = std::min(size.height, (row + 1) * t + o);
  const int columns = (size.width + t - 1) / t;
  for (int col = 0; col < columns; ++col) {
    queue.submit([&w, shared, col, row, t, o, y0, y1, size] {
      const int x0 = std::max(0, col * t - o), x1 = std::min(size.width, (col + 1) * t + o);
      w.write_tile(shared->level, col, row,
                   shared->row(y0) + static_cast<std::size_t>(x0) * shared->channels,
                   shared->stride(), x1 - x0, y1 - y0);
    });
  }
  if (whole) {
    queue.submit([&w, shared, t, size] {
      const int first = shared->index * t;
      const int count = std::min(size.height, first + t) - first;
      w.write_level_rows(shared->level, shared->index, shared->row(first), shared->stride(), count);
    });
  }
}

// Reads the source top to bottom in display colour into the pyramid.
void stream_rows(RowReader& rows, const imageio::DisplayConverter& display, PyramidBuilder& pyramid,
                 WorkQueue& queue) {
  const Image& header = rows.header();
  // Whole strips decode straight into our buffer; absurd strip heights fall back to 64.
  const int preferred = rows.preferred_rows();
  const int chunk = preferred >= 16 && preferred <= 512 ? preferred : 64;
  const std::size_t out_row = static_cast<std::size_t>(header.width) * header.channels;
  std::vector<std::uint8_t> raw(display.identity() ? 0 : chunk * header.row_bytes());
  std::vector<std::uint8_t> converted(chunk * out_row);
  for (int y = 0; y < header.height && !queue.failed(); y += chunk) {
    const int count = std::min(chunk, header.height - y);
    if (display.identity()) {
      rows.read(converted.data(), count);
    } else {
      rows.read(raw.data(), count);
      display.convert(raw.data(), converted.data(), count);
    }
    pyramid.push(converted.data(), count);
  }
}

TileResult build(RowReader& rows, fs::path target, const TileOptions& options) {
  check_tile_options(options);
  if (target.filename().empty()) target = target.parent_path();  // "tiles/page1/"
  const Image& header = rows.header();
  const imageio::DisplayConverter display(header);
  const SourceInfo source{header.width, header.height, header.channels, header.ppi_x, header.ppi_y};

  std::error_code ec;
  const fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  if (!fs::is_directory(parent, ec)) {
    throw EnvironmentError(in_quotes(target.string()) + ": the folder " +
                           in_quotes(parent.string()) + " does not exist");
  }
  const fs::path building = temporary_sibling(parent / target.filename());
  const bool is_file = options.layout == TileLayout::ptif;
  if (!is_file && !fs::create_directory(building, ec)) {
    imageio::fail_io(building, "cannot create folder", ec.value());
  }
  try {
    TileResult result;
    result.width = header.width;
    result.height = header.height;
    {
      const auto writer = make_tile_writer(options, building);
      const auto levels = pyramid_levels(header.width, header.height, writer->stop_at());
      writer->begin(levels, source);
      std::vector<bool> whole(levels.size());
      for (const int level : writer->whole_levels()) whole[static_cast<std::size_t>(level)] = true;

      const int threads = options.threads > 0
                              ? options.threads
                              : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
      // A queue as long as there are threads: the reader stays just ahead of the encoders.
      WorkQueue queue(threads, static_cast<std::size_t>(threads));
      PyramidBuilder pyramid(levels, header.channels, writer->tile_size(), writer->overlap(),
                             [&](Band band) {
                               const auto k = static_cast<std::size_t>(band.level);
                               submit_band(queue, *writer, std::move(band), levels[k], whole[k]);
                             });
      stream_rows(rows, display, pyramid, queue);
      queue.wait();
      writer->finish(result);
    }
    if (is_file) {
      if (::rename(building.c_str(), (parent / target.filename()).c_str()) != 0) {
        imageio::fail_io(target, "cannot rename the finished TIFF into place", errno);
      }
    } else {
      replace_directory(building, parent / target.filename());
    }
    return result;
  } catch (...) {
    fs::remove_all(building, ec);
    throw;
  }
}

}  // namespace
}  // namespace tiling

TileResult tile_file(const std::filesystem::path& source, const std::filesystem::path& target,
                     const TileOptions& options) {
  check_tile_options(options);  // before any reading
  ReadOptions read;
  read.max_pixels = options.max_pixels;
  const auto rows = open_rows(source, read);
  return tiling::build(*rows, target, options);
}

TileResult tile_image(const Image& image, const std::filesystem::path& target,
                      const TileOptions& options) {
  const auto rows = rows_of(image);
  return tiling::build(*rows, target, options);
}

}  // namespace findbuch

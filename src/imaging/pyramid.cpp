#include "imaging/pyramid.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

namespace findbuch::tiling {

std::vector<LevelSize> pyramid_levels(int width, int height, int stop_at) {
  std::vector<LevelSize> levels{{width, height}};
  while (levels.back().width > stop_at || levels.back().height > stop_at) {
    const LevelSize& last = levels.back();
    levels.push_back({(last.width + 1) / 2, (last.height + 1) / 2});
  }
  return levels;
}

namespace {

template <int C>
void halve_pixels(const std::uint8_t* a, const std::uint8_t* b, std::uint8_t* out, int width) {
  const int pairs = width / 2;
  for (int x = 0; x < pairs; ++x) {
    for (int c = 0; c < C; ++c) {
      const int i = 2 * x * C + c;
      out[x * C + c] = static_cast<std::uint8_t>((a[i] + a[i + C] + b[i] + b[i + C] + 2) >> 2);
    }
  }
  if (width % 2 != 0) {
    for (int c = 0; c < C; ++c) {
      const int i = (width - 1) * C + c;
      out[pairs * C + c] = static_cast<std::uint8_t>((a[i] + b[i] + 1) >> 1);
    }
  }
}

}  // namespace

void halve_row(const std::uint8_t* a, const std::uint8_t* b, std::uint8_t* out, int width,
               int channels) {
  if (channels == 3) {
    halve_pixels<3>(a, b, out, width);
  } else {
    halve_pixels<1>(a, b, out, width);
  }
}

std::vector<std::uint8_t> PyramidBuilder::Buffers::take(std::size_t capacity) {
  std::unique_lock lock(mutex);
  if (free.empty() && allocated < 2) {
    ++allocated;
    lock.unlock();
    std::vector<std::uint8_t> buffer;
    buffer.reserve(capacity);
    return buffer;
  }
  returned.wait(lock, [&] { return !free.empty(); });
  std::vector<std::uint8_t> buffer = std::move(free.back());
  free.pop_back();
  buffer.clear();
  return buffer;
}

void PyramidBuilder::Buffers::give_back(std::vector<std::uint8_t>* buffer) {
  {
    const std::lock_guard lock(mutex);
    free.push_back(std::move(*buffer));
  }
  delete buffer;
  returned.notify_all();
}

PyramidBuilder::PyramidBuilder(std::vector<LevelSize> levels, int channels, int tile, int overlap,
                               BandFn on_band)
    : channels_(channels), tile_(tile), overlap_(overlap), on_band_(std::move(on_band)) {
  for (const LevelSize& size : levels) {
    Level level;
    level.size = size;
    level.buffers = std::make_shared<Buffers>();
    levels_.push_back(std::move(level));
  }
  for (std::size_t k = 0; k < levels_.size(); ++k) {
    levels_[k].held = levels_[k].buffers->take(band_capacity(k));
  }
}

std::size_t PyramidBuilder::band_capacity(std::size_t k) const {
  return static_cast<std::size_t>(tile_ + 2 * overlap_) * levels_[k].size.width * channels_;
}

void PyramidBuilder::push(const std::uint8_t* rows, int count) {
  push_level(0, rows, count);
}

void PyramidBuilder::push_level(std::size_t k, const std::uint8_t* rows, int count) {
  Level& level = levels_[k];
  count = std::min(count, level.size.height - level.received);
  if (count <= 0) return;
  const std::size_t stride = static_cast<std::size_t>(level.size.width) * channels_;
  // Rows up to the end of the band being filled, then that band goes out, and so on: a band
  // buffer never holds more than its band.
  // When the last rows are within the overlap, the last two bands end at the same row.
  const auto band_end = [&](int b) {
    return std::min(level.size.height, (b + 1) * tile_ + overlap_);
  };
  const int bands = (level.size.height + tile_ - 1) / tile_;
  const std::uint8_t* next = rows;
  for (int left = count; left > 0;) {
    const int take = std::min(left, band_end(level.next_band) - level.received);
    level.held.insert(level.held.end(), next, next + static_cast<std::size_t>(take) * stride);
    level.received += take;
    next += static_cast<std::size_t>(take) * stride;
    left -= take;
    while (level.next_band < bands && level.received == band_end(level.next_band)) emit_band(k);
  }
  if (k + 1 < levels_.size()) halve_into_next(k, rows, count);
}

void PyramidBuilder::emit_band(std::size_t k) {
  Level& level = levels_[k];
  const std::size_t stride = static_cast<std::size_t>(level.size.width) * channels_;
  const int b = level.next_band;
  Band band;
  band.level = static_cast<int>(k);
  band.index = b;
  band.y0 = level.held_y0;
  band.rows = level.received - level.held_y0;
  band.width = level.size.width;
  band.channels = channels_;
  ++level.next_band;
  if (level.next_band * tile_ >= level.size.height) {  // the last band
    band.pixels = std::make_shared<const std::vector<std::uint8_t>>(std::move(level.held));
    on_band_(std::move(band));
    return;
  }
  // The next band starts with the rows its top overlap shares with this one.
  std::vector<std::uint8_t> next = level.buffers->take(band_capacity(k));
  const int keep_from = (b + 1) * tile_ - overlap_;
  next.assign(
      level.held.begin() + static_cast<std::ptrdiff_t>((keep_from - level.held_y0) * stride),
      level.held.end());
  std::shared_ptr<Buffers> buffers = level.buffers;
  auto* out = new std::vector<std::uint8_t>(std::move(level.held));
  band.pixels = std::shared_ptr<const std::vector<std::uint8_t>>(
      out, [buffers](const std::vector<std::uint8_t>* p) {
        buffers->give_back(const_cast<std::vector<std::uint8_t>*>(p));
      });
  level.held = std::move(next);
  level.held_y0 = keep_from;
  on_band_(std::move(band));
}

void PyramidBuilder::halve_into_next(std::size_t k, const std::uint8_t* rows, int count) {
  Level& level = levels_[k];
  const std::size_t stride = static_cast<std::size_t>(level.size.width) * channels_;
  const LevelSize next = levels_[k + 1].size;
  const std::size_t next_stride = static_cast<std::size_t>(next.width) * channels_;
  const bool ends_level = level.received == level.size.height;
  const int pending = level.odd.empty() ? 0 : 1;
  const int available = pending + count;
  const int out_rows = available / 2 + (ends_level && available % 2 != 0 ? 1 : 0);
  level.halved.resize(static_cast<std::size_t>(out_rows) * next_stride);
  const auto source = [&](int i) {
    return i < pending ? level.odd.data() : rows + (i - pending) * stride;
  };
  for (int r = 0; r < out_rows; ++r) {
    const std::uint8_t* a = source(2 * r);
    const std::uint8_t* b = 2 * r + 1 < available ? source(2 * r + 1) : a;
    halve_row(a, b, level.halved.data() + r * next_stride, level.size.width, channels_);
  }
  if (available % 2 != 0 && !ends_level) {
    const std::uint8_t* last = source(available - 1);
    level.odd.assign(last, last + stride);
  } else {
    level.odd.clear();
  }
  // Moved out: the recursion below reuses this level's scratch only after we are done with it.
  std::vector<std::uint8_t> halved = std::move(level.halved);
  push_level(k + 1, halved.data(), out_rows);
  levels_[k].halved = std::move(halved);
}

}  // namespace findbuch::tiling

#pragma once
// The level geometry of a tile pyramid and a streaming builder for it (ARCHITECTURE.md example 3:
// level 0 → halve with an area filter → tiles). Rows go in at the top, bands of finished tiles
// come out of every level as soon as their rows exist, so memory stays at a few bands per level
// however large the image is. Internal to src/imaging.
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace findbuch::tiling {

struct LevelSize {
  int width = 0;
  int height = 0;
};

/// Level k has ceil(width / 2^k) × ceil(height / 2^k) pixels (the IIIF sizes of scale factor 2^k).
/// The list ends with the first level whose sides are both at most `stop_at` (1 for Deep Zoom,
/// whose pyramid goes down to a single pixel; the tile size for IIIF and pyramidal TIFF).
std::vector<LevelSize> pyramid_levels(int width, int height, int stop_at);

/// A horizontal strip of one level holding one row of tiles plus their overlap above and below.
struct Band {
  int level = 0;
  int index = 0;  ///< tile row
  int y0 = 0;     ///< level row of the first row held (index·tile − overlap, at least 0)
  int rows = 0;   ///< rows held
  int width = 0;  ///< level width
  int channels = 0;
  std::shared_ptr<const std::vector<std::uint8_t>> pixels;  ///< rows·width·channels, 8-bit

  std::size_t stride() const { return static_cast<std::size_t>(width) * channels; }
  const std::uint8_t* row(int level_y) const {
    return pixels->data() + static_cast<std::size_t>(level_y - y0) * stride();
  }
};

/// Feeds level 0 row by row; calls `on_band` for every band of every level, in order within a
/// level. 8-bit samples, 1 or 3 channels. Reduction is a 2×2 box (area) average; at odd edges the
/// last pixel averages the one or two source pixels it covers, matching the ceil sizes.
/// Memory: each level owns two band buffers, one filling and one out with the encoders; before
/// a level hands out a band it waits until the encoders have let go of the one before.
class PyramidBuilder {
 public:
  using BandFn = std::function<void(Band)>;
  PyramidBuilder(std::vector<LevelSize> levels, int channels, int tile, int overlap,
                 BandFn on_band);

  /// `count` rows of level 0 (width·channels bytes each), following the rows pushed before.
  void push(const std::uint8_t* rows, int count);

 private:
  // The two buffers of a level: one filling, one handed out. Shared with the bands' deleters,
  // which hand a buffer back from an encoding thread.
  struct Buffers {
    std::mutex mutex;
    std::condition_variable returned;
    std::vector<std::vector<std::uint8_t>> free;
    int allocated = 0;
    std::vector<std::uint8_t> take(std::size_t capacity);
    void give_back(std::vector<std::uint8_t>* buffer);
  };
  struct Level {
    LevelSize size;
    std::shared_ptr<Buffers> buffers;
    int received = 0;                  ///< rows pushed into this level so far
    int next_band = 0;                 ///< next tile row to emit
    int held_y0 = 0;                   ///< level row of held.front()
    std::vector<std::uint8_t> held;    ///< rows not yet emitted in every band that needs them
    std::vector<std::uint8_t> odd;     ///< a row waiting for its partner to be halved
    std::vector<std::uint8_t> halved;  ///< scratch: rows for the next level
  };
  void push_level(std::size_t k, const std::uint8_t* rows, int count);
  void emit_band(std::size_t k);
  std::size_t band_capacity(std::size_t k) const;
  void halve_into_next(std::size_t k, const std::uint8_t* rows, int count);

  std::vector<Level> levels_;
  int channels_, tile_, overlap_;
  BandFn on_band_;
};

/// One row of level k+1 from rows `a` and `b` of level k (`b` == `a` for a lone last row).
void halve_row(const std::uint8_t* a, const std::uint8_t* b, std::uint8_t* out, int width,
               int channels);

}  // namespace findbuch::tiling

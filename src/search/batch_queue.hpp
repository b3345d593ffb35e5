#pragma once
// Batches of units handed from one reader to one writer thread, a few batches ahead: each writer
// of a full index build keeps its own pace, so a shard flushing to disk holds up neither the
// other shard nor the catalogue scan.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "catalogue/unit.hpp"

namespace findbuch::search {

class BatchQueue {
 public:
  using Batch = std::shared_ptr<const std::vector<Unit>>;

  explicit BatchQueue(std::size_t capacity) : capacity_(capacity) {}

  /// Waits while the queue is full; false when the writer has given up (abort).
  bool push(Batch batch) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return aborted_ || batches_.size() < capacity_; });
    if (aborted_) return false;
    batches_.push_back(std::move(batch));
    changed_.notify_all();
    return true;
  }

  /// Waits for the next batch; nullptr once the queue is closed and empty, or aborted.
  Batch pop() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return aborted_ || closed_ || !batches_.empty(); });
    if (aborted_ || batches_.empty()) return nullptr;
    Batch batch = std::move(batches_.front());
    batches_.pop_front();
    changed_.notify_all();
    return batch;
  }

  /// No more batches: the writer finishes those queued.
  void close() {
    const std::lock_guard lock(mutex_);
    closed_ = true;
    changed_.notify_all();
  }

  /// Stops both sides at once (a failure on either side).
  void abort() {
    const std::lock_guard lock(mutex_);
    aborted_ = true;
    changed_.notify_all();
  }

 private:
  std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Batch> batches_;
  bool closed_ = false;
  bool aborted_ = false;
};

}  // namespace findbuch::search

#pragma once
// A progress bar for long batches, drawn only on a terminal: pages done/total, pages per
// minute and the time left.
#include <chrono>
#include <cstddef>
#include <iosfwd>
#include <string>

namespace findbuch::cli {

class ProgressBar {
 public:
  ProgressBar(std::ostream& out, bool enabled, std::string unit = "pages");
  void update(std::size_t done, std::size_t total);
  /// Ends the line the bar was drawn on (nothing when disabled or never drawn).
  void finish();
  /// Seconds since construction.
  double elapsed() const;

 private:
  std::ostream& out_;
  bool enabled_;
  bool drawn_ = false;
  std::string unit_;
  std::chrono::steady_clock::time_point start_;
};

/// "1:05" or "1:02:03".
std::string clock_time(double seconds);

}  // namespace findbuch::cli

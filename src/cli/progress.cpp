#include "cli/progress.hpp"

#include <cmath>
#include <cstdio>
#include <ostream>
#include <sstream>

namespace findbuch::cli {

ProgressBar::ProgressBar(std::ostream& out, bool enabled, std::string unit)
    : out_(out),
      enabled_(enabled),
      unit_(std::move(unit)),
      start_(std::chrono::steady_clock::now()) {}

double ProgressBar::elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

std::string clock_time(double seconds) {
  const long s = std::lround(std::max(0.0, seconds));
  char text[32];
  if (s >= 3600)
    std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  else
    std::snprintf(text, sizeof text, "%ld:%02ld", s / 60, s % 60);
  return text;
}

void ProgressBar::update(std::size_t done, std::size_t total) {
  if (!enabled_ || total == 0) return;
  constexpr int kWidth = 24;
  const int filled = static_cast<int>(kWidth * done / total);
  // Built with a stream: GCC 12 mis-warns (-Wrestrict) about "literal" + std::string at -O3.
  std::ostringstream bar;
  bar << "[" << std::string(filled, '#') << std::string(kWidth - filled, '-') << "] " << done << "/"
      << total << " " << unit_;
  const double seconds = elapsed();
  if (done > 0 && seconds > 0.5) {
    bar << " · " << std::lround(done * 60.0 / seconds) << " " << unit_ << "/min";
    if (done < total) bar << " · " << clock_time((total - done) * seconds / done) << " left";
  }
  // \x1b[K clears what a longer previous line left behind.
  out_ << "\r" << bar.str() << "\x1b[K" << std::flush;
  drawn_ = true;
}

void ProgressBar::finish() {
  if (drawn_) out_ << "\n" << std::flush;
  drawn_ = false;
}

}  // namespace findbuch::cli

#include "clients/placectl/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace placement::placectl {

ProgressBar::ProgressBar(std::string label, std::uint64_t first, std::uint64_t last, bool allowed)
    : enabled_(allowed && isatty(STDERR_FILENO) == 1), label_(std::move(label)), first_(first), last_(last) {}

ProgressBar::~ProgressBar() {
  if (!enabled_ || last_draw_ == std::chrono::steady_clock::time_point{}) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
}

void ProgressBar::update(std::uint64_t position) {
  position_ = position;
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100) && position != last_) return;
  last_draw_ = now;
  draw();
}

void ProgressBar::draw() {
  constexpr int kWidth = 30;
  if (last_ < first_ || last_ == 0) {
    std::fprintf(stderr, "\r%s %llu", label_.c_str(), static_cast<unsigned long long>(position_));
  } else {
    const double total = static_cast<double>(last_ - first_ + 1);
    const double done = position_ < first_ ? 0.0 : static_cast<double>(std::min(position_, last_) - first_ + 1);
    const double fraction = std::clamp(done / total, 0.0, 1.0);
    const int filled = static_cast<int>(fraction * kWidth);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(kWidth, '.');
    std::fprintf(stderr, "\r%s [%s] %3d%%  %llu/%llu", label_.c_str(), bar.c_str(), static_cast<int>(fraction * 100),
                 static_cast<unsigned long long>(position_), static_cast<unsigned long long>(last_));
  }
  std::fflush(stderr);
}

}  // namespace placement::placectl

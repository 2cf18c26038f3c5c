#pragma once
// A progress bar for long streams (export, verify), drawn on stderr only when stderr is a
// terminal; when piped or redirected it draws nothing, so logs and scripts stay clean.

#include <chrono>
#include <cstdint>
#include <string>

namespace placement::placectl {

class ProgressBar {
 public:
  // first..last are log positions; last == 0 draws a counter without a bar. Nothing is drawn
  // unless stderr is a terminal and `allowed`.
  ProgressBar(std::string label, std::uint64_t first, std::uint64_t last, bool allowed = true);
  ~ProgressBar();  // clears the line
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // The stream reached this position; redraws at most ten times a second.
  void update(std::uint64_t position);

 private:
  void draw();

  const bool enabled_;
  std::string label_;
  std::uint64_t first_;
  std::uint64_t last_;
  std::uint64_t position_ = 0;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace placement::placectl

#pragma once
// The log lines of refused calls (a missing, forged or expired token), bounded: a flood of bad
// tokens writes at most `lines_per_window` lines per window, and the first line of the next
// window says how many were left out. Each line names the peer and the reason, never the token.
// Thread-safe: every gRPC thread that refuses a call writes through the one instance.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string_view>

namespace placement::api {

class RefusalLog {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RefusalLog(std::size_t lines_per_window = 20, std::chrono::seconds window = std::chrono::seconds(10))
      : lines_per_window_(lines_per_window), window_(window) {}

  struct Decision {
    bool write = false;            // write this refusal's line
    std::uint64_t suppressed = 0;  // lines left out in the window that ended; report them first
  };

  // The decision for one refusal at `now`; windows start at the first refusal after the last one
  // ended, so a quiet server reports a flood's count with its next refusal.
  Decision admit(Clock::time_point now);

  // admit(now), then the line (info) and the count of the lines left out before it, if any.
  void refused(std::string_view peer, std::string_view reason);

  std::size_t lines_per_window() const { return lines_per_window_; }
  std::chrono::seconds window() const { return window_; }

 private:
  const std::size_t lines_per_window_;
  const std::chrono::seconds window_;
  std::mutex mutex_;
  bool started_ = false;
  Clock::time_point window_start_;
  std::size_t written_ = 0;
  std::uint64_t suppressed_ = 0;
};

}  // namespace placement::api

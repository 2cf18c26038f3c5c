#pragma once
// Latencies of calls, recorded from any thread, and their percentiles. Every sample is kept (a few
// million at most per run), so the percentiles are exact rather than bucketed.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <mutex>
#include <vector>

namespace placement::bench {

class LatencyRecorder {
 public:
  void record(std::chrono::nanoseconds latency) {
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(latency).count();
    std::lock_guard lock(mutex_);
    micros_.push_back(micros);
    sorted_ = false;
  }

  std::size_t count() const {
    std::lock_guard lock(mutex_);
    return micros_.size();
  }

  // The q-quantile (0 < q ≤ 1) in microseconds, nearest rank; 0 when nothing was recorded.
  std::int64_t percentile_us(double q) const {
    std::lock_guard lock(mutex_);
    if (micros_.empty()) return 0;
    if (!sorted_) {
      std::sort(micros_.begin(), micros_.end());
      sorted_ = true;
    }
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(micros_.size())));  // 1-based
    return micros_[std::min(rank == 0 ? 0 : rank - 1, micros_.size() - 1)];
  }

 private:
  mutable std::mutex mutex_;
  mutable std::vector<std::int64_t> micros_;
  mutable bool sorted_ = false;
};

}  // namespace placement::bench

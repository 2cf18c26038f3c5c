#include "services/api/refusal_log.h"

#include <spdlog/spdlog.h>

namespace placement::api {

RefusalLog::Decision RefusalLog::admit(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  Decision decision;
  if (!started_ || now >= window_start_ + window_) {
    decision.suppressed = suppressed_;
    started_ = true;
    window_start_ = now;
    written_ = 0;
    suppressed_ = 0;
  }
  if (written_ < lines_per_window_) {
    ++written_;
    decision.write = true;
  } else {
    ++suppressed_;
  }
  return decision;
}

void RefusalLog::refused(std::string_view peer, std::string_view reason) {
  const Decision decision = admit(Clock::now());
  if (decision.suppressed > 0)
    spdlog::info("{} more refused calls were not logged (at most {} lines per {} s)", decision.suppressed,
                 lines_per_window_, window_.count());
  if (decision.write) spdlog::info("refused a call from {}: {}", peer, reason);
}

}  // namespace placement::api

#pragma once
// Time enters the system only through a Clock, so the domain stays deterministic and tests
// control time. The domain itself never holds a Clock: time arrives with each command.

#include <chrono>

namespace placement {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point now() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override { return std::chrono::system_clock::now(); }
};

}  // namespace placement

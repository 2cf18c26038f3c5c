// services/api/refusal_log.*: a flood of refused calls writes a bounded number of lines and then
// says how many it left out.

#include "services/api/refusal_log.h"

#include <gtest/gtest.h>

namespace placement::api {
namespace {

using namespace std::chrono_literals;

TEST(RefusalLog, AFloodWritesTheWindowsLinesAndCountsTheRest) {
  RefusalLog log(3, 10s);
  const auto start = RefusalLog::Clock::time_point(1000s);
  int written = 0;
  for (int i = 0; i < 1000; ++i) {
    const auto decision = log.admit(start + std::chrono::milliseconds(i));
    EXPECT_EQ(decision.suppressed, 0u);
    written += decision.write ? 1 : 0;
  }
  EXPECT_EQ(written, 3);
  // The first refusal after the window reports what was left out, and is written itself.
  const auto next = log.admit(start + 10s);
  EXPECT_TRUE(next.write);
  EXPECT_EQ(next.suppressed, 997u);
  // Reported once.
  EXPECT_EQ(log.admit(start + 10s + 1ms).suppressed, 0u);
}

TEST(RefusalLog, AQuietServerWritesEveryRefusal) {
  RefusalLog log(3, 10s);
  const auto start = RefusalLog::Clock::time_point(1000s);
  for (int i = 0; i < 20; ++i) {
    const auto decision = log.admit(start + i * 11s);
    EXPECT_TRUE(decision.write) << i;
    EXPECT_EQ(decision.suppressed, 0u);
  }
}

}  // namespace
}  // namespace placement::api

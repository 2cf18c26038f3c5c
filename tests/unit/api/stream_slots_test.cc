// services/api/stream_slots.h: the audit streams one caller, one role and the server may hold.

#include "services/api/stream_slots.h"

#include <gtest/gtest.h>

#include <vector>

namespace placement::api {
namespace {

TEST(StreamSlots, ARoleHoldsAtMostItsShareAndLeavesTheRestToOtherRoles) {
  StreamSlots slots(/*max_total=*/8, /*max_per_role=*/4, /*max_per_caller=*/2);
  std::vector<std::unique_ptr<StreamSlots::Slot>> held;
  // Four auditors of two streams each would take the server; the role stops at four streams.
  for (const char* subject : {"a", "b"}) {
    for (int i = 0; i < 2; ++i) {
      auto acquired = slots.acquire("auditor", subject);
      ASSERT_TRUE(acquired.slot) << acquired.refusal;
      held.push_back(std::move(acquired.slot));
    }
  }
  auto refused = slots.acquire("auditor", "c");
  EXPECT_FALSE(refused.slot);
  EXPECT_NE(refused.refusal.find("share of 4"), std::string::npos) << refused.refusal;
  // Another role still has its own share.
  for (const char* subject : {"x", "y"}) {
    auto acquired = slots.acquire("admin", subject);
    EXPECT_TRUE(acquired.slot) << acquired.refusal;
    held.push_back(std::move(acquired.slot));
  }
  // A slot given back is free again for its role.
  held.erase(held.begin());
  EXPECT_TRUE(slots.acquire("auditor", "c").slot);
}

TEST(StreamSlots, ACallerIsItsRoleAndScopeAndSubjectTogether) {
  StreamSlots slots(8, 8, 1);
  auto first = slots.acquire("auditor", "0/0/same");
  ASSERT_TRUE(first.slot);
  auto again = slots.acquire("auditor", "0/0/same");
  EXPECT_FALSE(again.slot);
  EXPECT_NE(again.refusal.find("the most one caller may"), std::string::npos) << again.refusal;
  // The same subject under another role or scope is another caller.
  EXPECT_TRUE(slots.acquire("planner", "0/0/same").slot);
  EXPECT_TRUE(slots.acquire("auditor", "101/0/same").slot);
}

TEST(StreamSlots, TheServerTotalBoundsEveryRole) {
  StreamSlots slots(2, 2, 2);
  auto a = slots.acquire("auditor", "a");
  auto b = slots.acquire("admin", "b");
  ASSERT_TRUE(a.slot && b.slot);
  auto c = slots.acquire("planner", "c");
  EXPECT_FALSE(c.slot);
  EXPECT_NE(c.refusal.find("the server has its maximum"), std::string::npos) << c.refusal;
}

}  // namespace
}  // namespace placement::api

#include "services/domain/timeline.h"

#include <gtest/gtest.h>

#include "tests/support/dates.h"

namespace placement::domain {
namespace {

using placement::testing::d;

TEST(Timeline, NothingBeforeTheFirstEntry) {
  EffectiveTimeline<int> t;
  t.set(d("2024-01-01"), 5);
  EXPECT_EQ(t.at(d("2023-12-31")), nullptr);
  EXPECT_EQ(*t.at(d("2024-01-01")), 5);
}

TEST(Timeline, EachEntryHoldsUntilTheNext) {
  EffectiveTimeline<int> t;
  t.set(d("2024-01-01"), 5);
  t.set(d("2024-03-01"), 8);
  EXPECT_EQ(*t.at(d("2024-02-29")), 5);
  EXPECT_EQ(*t.at(d("2024-03-01")), 8);
  EXPECT_EQ(*t.at(d("2099-01-01")), 8);
  EXPECT_EQ(t.next_change_after(d("2024-01-15")), d("2024-03-01"));
  EXPECT_EQ(t.next_change_after(d("2024-03-01")), Date::max());
}

TEST(Timeline, SettingAnEarlierEntryKeepsLaterOnes) {
  EffectiveTimeline<int> t;
  t.set(d("2024-03-01"), 8);
  t.set(d("2024-01-01"), 5);
  EXPECT_EQ(*t.at(d("2024-04-01")), 8);
  t.set(d("2024-03-01"), 2);  // same date replaces
  EXPECT_EQ(*t.at(d("2024-04-01")), 2);
  EXPECT_EQ(t.entries().size(), 2u);
}

}  // namespace
}  // namespace placement::domain

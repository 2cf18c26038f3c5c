#include "services/projections/intervals.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/unit/projections/projections_fixture.h"

namespace placement::projections::testing {
namespace {

class IntervalsTest : public ProjectionsTest {};

TEST(Intervals, OverlapDaysOfHalfOpenRanges) {
  EXPECT_EQ(overlap_days({d("2024-01-01"), d("2024-01-11")}, {d("2024-01-05"), d("2024-02-01")}), 6);
  EXPECT_EQ(overlap_days({d("2024-01-01"), d("2024-01-05")}, {d("2024-01-05"), d("2024-02-01")}), 0);
  EXPECT_EQ(overlap_days({d("2024-01-01"), Date::max()}, {d("2024-03-01"), d("2024-03-08")}), 7);
}

TEST_F(IntervalsTest, OpenPlaceDaysFollowCapacityChangesAndClosing) {
  offer("o1", 4);                                  // 4 places from 2024-01-01
  must(ChangeCapacity{"o1", d("2024-01-11"), 6});  // 6 from 2024-01-11
  must(CloseOffer{"o1", d("2024-01-21")});         // 0 from 2024-01-21
  // [2023-12-27, 2024-01-31): 5 days × 0 + 10 × 4 + 10 × 6 + 10 × 0 = 100
  EXPECT_EQ(open_place_days(offer_state("o1"), {d("2023-12-27"), d("2024-01-31")}), 100);
  std::vector<std::int64_t> places;
  for_each_capacity_segment(offer_state("o1"), {d("2024-01-05"), d("2024-01-25")},
                            [&](const DateRange&, std::int64_t p) { places.push_back(p); });
  EXPECT_EQ(places, (std::vector<std::int64_t>{4, 6, 0}));
}

TEST(Intervals, RateSegmentsSplitAtRateChanges) {
  EffectiveTimeline<Rate> rates;
  rates.set(d("2024-01-10"), Rate{Ore{100}, {}, {}, {}});
  rates.set(d("2024-01-20"), Rate{Ore{200}, {}, {}, {}});
  std::vector<std::pair<std::int64_t, std::int64_t>> seen;  // (days, rate or -1)
  for_each_rate_segment(rates, {d("2024-01-05"), d("2024-01-25")}, [&](const DateRange& s, const Rate* r) {
    seen.emplace_back(s.days(), r ? r->daily_rate.value : -1);
  });
  EXPECT_EQ(seen, (std::vector<std::pair<std::int64_t, std::int64_t>>{{5, -1}, {10, 100}, {5, 200}}));
}

TEST(Intervals, MonthsOfARange) {
  std::vector<std::pair<unsigned, std::int64_t>> seen;
  for_each_month({d("2024-01-30"), d("2024-03-02")},
                 [&](domain::YearMonth m, const DateRange& part) { seen.emplace_back(m.month, part.days()); });
  EXPECT_EQ(seen, (std::vector<std::pair<unsigned, std::int64_t>>{{1, 2}, {2, 29}, {3, 1}}));
}

TEST(Intervals, WholeYearsCountAnniversaries) {
  EXPECT_EQ(whole_years_between(d("2000-06-15"), d("2010-06-14")), 9);
  EXPECT_EQ(whole_years_between(d("2000-06-15"), d("2010-06-15")), 10);
  EXPECT_EQ(whole_years_between(d("2000-02-29"), d("2001-02-28")), 0);
  EXPECT_EQ(whole_years_between(d("2000-02-29"), d("2001-03-01")), 1);
  EXPECT_EQ(whole_years_between(d("2010-01-01"), d("2000-01-01")), 0);
}

}  // namespace
}  // namespace placement::projections::testing

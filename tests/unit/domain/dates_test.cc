#include "services/domain/dates.h"

#include <gtest/gtest.h>

#include "tests/support/dates.h"

namespace placement::domain {
namespace {

using placement::testing::d;

TEST(Dates, EpochIsDayZero) { EXPECT_EQ(d("1970-01-01").days_since_epoch(), 0); }

TEST(Dates, KnownDayCounts) {
  EXPECT_EQ(d("2000-03-01").days_since_epoch(), 11017);
  EXPECT_EQ(d("1969-12-31").days_since_epoch(), -1);
  EXPECT_EQ(d("2018-10-15").days_since_epoch(), 17819);
  EXPECT_EQ(d("1858-01-01").days_since_epoch(), -40907);
}

TEST(Dates, RoundTripsEveryDayOfFourCenturies) {
  for (std::int32_t day = -150'000; day < 150'000; ++day) {
    const Date date = Date::from_days(day);
    const auto again = make_date(date.year(), date.month(), date.day());
    ASSERT_TRUE(again);
    ASSERT_EQ(again.value(), date);
    ASSERT_EQ(parse_date(to_string(date)).value(), date);
  }
}

TEST(Dates, AccessorsReturnCivilParts) {
  const Date date = d("2024-02-29");
  EXPECT_EQ(date.year(), 2024);
  EXPECT_EQ(date.month(), 2u);
  EXPECT_EQ(date.day(), 29u);
}

TEST(Dates, ToStringPadsParts) {
  EXPECT_EQ(to_string(d("0987-01-05")), "0987-01-05");
  EXPECT_EQ(to_string(Date::max()), "open");
}

TEST(Dates, ImpossibleDatesAreRefused) {
  EXPECT_FALSE(parse_date("2023-02-29"));
  EXPECT_FALSE(parse_date("1900-02-29"));
  EXPECT_TRUE(parse_date("2000-02-29"));
  EXPECT_FALSE(parse_date("2024-04-31"));
  EXPECT_FALSE(parse_date("2024-13-01"));
  EXPECT_FALSE(parse_date("2024-00-10"));
  EXPECT_FALSE(parse_date("2024-01-00"));
  EXPECT_FALSE(parse_date("0000-01-01"));
  EXPECT_EQ(parse_date("2023-02-29").error().code, Errc::invalid_argument);
}

TEST(Dates, MalformedTextIsRefused) {
  for (const char* text : {"2024-1-01", "2024/01/01", "20240101", "2024-01-01 ", "+024-01-01", "2024-0a-01", ""}) {
    EXPECT_FALSE(parse_date(text)) << text;
  }
}

TEST(Dates, DaysInYearAndMonth) {
  EXPECT_EQ(days_in_year(2018), 365);
  EXPECT_EQ(days_in_year(2020), 366);
  EXPECT_EQ(days_in_year(1900), 365);
  EXPECT_EQ(days_in_year(2000), 366);
  EXPECT_EQ(days_in_month(2023, 2), 28u);
  EXPECT_EQ(days_in_month(2024, 2), 29u);
  EXPECT_EQ(days_in_month(2024, 4), 30u);
  EXPECT_EQ(days_in_month(2024, 12), 31u);
  EXPECT_EQ(days_in_month(2024, 13), 0u);
}

TEST(Dates, AddDaysCrossesMonthsAndYears) {
  EXPECT_EQ(add_days(d("2023-12-31"), 1), d("2024-01-01"));
  EXPECT_EQ(add_days(d("2024-02-28"), 1), d("2024-02-29"));
  EXPECT_EQ(add_days(d("2024-03-01"), -1), d("2024-02-29"));
  EXPECT_EQ(days_between(d("2024-01-01"), d("2025-01-01")), 366);
}

TEST(Dates, ComparisonsFollowTheCalendar) {
  EXPECT_LT(d("2024-01-01"), d("2024-01-02"));
  EXPECT_LT(d("9999-12-31"), Date::max());
}

TEST(DateRange, IsHalfOpen) {
  const DateRange stay{d("2024-01-10"), d("2024-01-13")};
  EXPECT_EQ(stay.days(), 3);
  EXPECT_TRUE(stay.contains(d("2024-01-10")));
  EXPECT_TRUE(stay.contains(d("2024-01-12")));
  EXPECT_FALSE(stay.contains(d("2024-01-13")));
  EXPECT_FALSE(stay.contains(d("2024-01-09")));
}

TEST(DateRange, SameDayRangeIsEmpty) {
  const DateRange none{d("2024-01-10"), d("2024-01-10")};
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(none.days(), 0);
  EXPECT_FALSE(none.contains(d("2024-01-10")));
}

TEST(DateRange, OpenEndContainsAllLaterDays) {
  const DateRange open{d("2024-01-10")};
  EXPECT_TRUE(open.open_ended());
  EXPECT_TRUE(open.contains(d("9999-12-31")));
}

TEST(DateRange, OverlapIsTheCommonPart) {
  const DateRange a{d("2024-01-01"), d("2024-02-01")};
  const DateRange b{d("2024-01-20"), Date::max()};
  EXPECT_EQ(overlap(a, b), (DateRange{d("2024-01-20"), d("2024-02-01")}));
  EXPECT_EQ(overlap(b, a), overlap(a, b));
}

TEST(DateRange, AdjacentRangesDoNotOverlap) {
  const DateRange a{d("2024-01-01"), d("2024-02-01")};
  const DateRange b{d("2024-02-01"), d("2024-03-01")};
  EXPECT_EQ(overlap(a, b), std::nullopt);
}

}  // namespace
}  // namespace placement::domain

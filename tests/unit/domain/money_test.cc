#include "services/domain/money.h"

#include <gtest/gtest.h>

#include <limits>
#include <numeric>

namespace placement::domain {
namespace {

std::vector<std::int64_t> values(const std::vector<Ore>& parts) {
  std::vector<std::int64_t> out;
  for (Ore p : parts) out.push_back(p.value);
  return out;
}

std::vector<std::int64_t> split(std::int64_t total, std::vector<std::int64_t> weights) {
  return values(split_largest_remainder(Ore{total}, weights).value());
}

TEST(Split, HundredByThreeEqualWeightsGivesTheExtraOreToTheFirst) {
  EXPECT_EQ(split(100, {1, 1, 1}), (std::vector<std::int64_t>{34, 33, 33}));
}

TEST(Split, TwoLeftoverOreGoToTheTwoLowestIndicesOnTies) {
  EXPECT_EQ(split(101, {1, 1, 1}), (std::vector<std::int64_t>{34, 34, 33}));
}

TEST(Split, LargestRemainderWinsOverLowerIndex) {
  // exact shares 1.4 and 8.6: floors 1 and 8, the leftover øre goes to the larger remainder.
  EXPECT_EQ(split(10, {14, 86}), (std::vector<std::int64_t>{1, 9}));
}

TEST(Split, ZeroWeightGetsZero) { EXPECT_EQ(split(7, {0, 1, 0, 1}), (std::vector<std::int64_t>{0, 4, 0, 3})); }

TEST(Split, NegativeTotalSplitsSymmetrically) {
  EXPECT_EQ(split(-100, {1, 1, 1}), (std::vector<std::int64_t>{-34, -33, -33}));
}

TEST(Split, ZeroTotalGivesZeros) { EXPECT_EQ(split(0, {3, 5}), (std::vector<std::int64_t>{0, 0})); }

TEST(Split, PartsAlwaysAddUpExactly) {
  const std::vector<std::int64_t> weights = {1924641, 420474, 219822, 154197, 7, 0, 1};
  for (std::int64_t total : {1LL, 99LL, 190'000'000LL, 123'456'789'012LL, -5LL}) {
    const auto parts = split(total, weights);
    EXPECT_EQ(std::accumulate(parts.begin(), parts.end(), std::int64_t{0}), total);
  }
}

TEST(Split, HugeTotalsAndWeightsDoNotOverflow) {
  const std::int64_t big = std::numeric_limits<std::int64_t>::max();
  const auto parts = split(big, {big, big});
  EXPECT_EQ(parts[0], big / 2 + 1);
  EXPECT_EQ(parts[1], big / 2);
}

TEST(Split, NegativeWeightIsRefused) {
  const std::vector<std::int64_t> weights = {1, -1};
  const auto result = split_largest_remainder(Ore{10}, weights);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, Errc::invalid_argument);
}

TEST(Split, AllZeroWeightsAreRefused) {
  const std::vector<std::int64_t> weights = {0, 0};
  EXPECT_FALSE(split_largest_remainder(Ore{10}, weights));
}

TEST(Split, NoWeightsAreRefused) { EXPECT_FALSE(split_largest_remainder(Ore{10}, {})); }

TEST(Scale, RoundsHalfAwayFromZero) {
  EXPECT_EQ(scale(Ore{5}, 1, 2).value(), Ore{3});     // 2.5 → 3
  EXPECT_EQ(scale(Ore{-5}, 1, 2).value(), Ore{-3});   // -2.5 → -3
  EXPECT_EQ(scale(Ore{10}, 1, 3).value(), Ore{3});    // 3.33 → 3
  EXPECT_EQ(scale(Ore{20}, 1, 3).value(), Ore{7});    // 6.67 → 7
  EXPECT_EQ(scale(Ore{20}, -1, 3).value(), Ore{-7});  // sign from the numerator
  EXPECT_EQ(scale(Ore{20}, 1, -3).value(), Ore{-7});  // or from the denominator
}

TEST(Scale, UsesWideIntermediateProducts) {
  const std::int64_t big = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(scale(Ore{big}, big, big).value(), Ore{big});
}

TEST(Scale, ZeroDenominatorIsRefused) { EXPECT_FALSE(scale(Ore{1}, 1, 0)); }

TEST(Scale, OverflowingResultIsRefused) { EXPECT_FALSE(scale(Ore{std::numeric_limits<std::int64_t>::max()}, 2, 1)); }

TEST(BasisPoints, SixPercentOfTenThousandKroner) {
  EXPECT_EQ(apply_basis_points(Ore{1'000'000}, 600).value(), Ore{60'000});
  EXPECT_EQ(apply_basis_points(Ore{5}, 5'000).value(), Ore{3});
}

}  // namespace
}  // namespace placement::domain

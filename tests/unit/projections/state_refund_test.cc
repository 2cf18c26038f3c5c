#include "services/projections/state_refund.h"

#include <gtest/gtest.h>

#include <limits>
#include <map>
#include <random>
#include <set>
#include <tuple>
#include <vector>

#include "tests/unit/projections/projections_fixture.h"

namespace placement::projections::testing {
namespace {

PlacementState citizen(std::string id, std::int32_t age, std::string household = "", std::int32_t paying = 101) {
  PlacementState p;
  p.id = id;
  p.citizen = CitizenRef{"citizen-" + id, std::move(household), ""};
  p.age_at_start = age;
  p.paying_municipality = paying;
  p.requested_start = d("2013-01-01");
  return p;
}

// The whole cost of a month on its first day, so tests state monthly amounts directly.
PlacementCost month_cost(const PlacementState& p, int year, unsigned month, std::int64_t amount) {
  const Date first = Date::from_civil(year, month, 1);
  return PlacementCost{&p, {first, add_days(first, 1)}, Ore{amount}};
}

TEST(StateRefund, DomainExampleTwoMillionKronerIn2012Gives320000) {
  // 2,000,000 kr = 200,000,000 øre over 12 months, as even as øre allow:
  // 8 × 16,666,667 + 4 × 16,666,666 = 133,333,336 + 66,666,664 = 200,000,000.
  std::vector<Ore> months;
  for (int i = 0; i < 12; ++i) months.push_back(Ore{i < 8 ? 16'666'667 : 16'666'666});
  const auto tiers = default_refund_tables().at(2012).tiers;
  // 25 % × (1,770,000 − 950,000) + 50 % × (2,000,000 − 1,770,000) = 205,000 + 115,000 = 320,000 kr
  EXPECT_EQ(refund_of_months(months, tiers), Ore{32'000'000});
}

TEST(StateRefund, MonthlyAgainstATwelfthOfTheThresholds) {
  const auto tiers = default_refund_tables().at(2012).tiers;
  // a month of 8,000,000 øre is 96,000,000 a year: 25 % of (96,000,000 − 95,000,000) = 250,000 a year,
  // ÷ 12 = 20,833.33 → numerator 2,500 × 1,000,000 = 2,500,000,000
  EXPECT_EQ(refund_numerator(Ore{8'000'000}, tiers), 2'500'000'000);
  EXPECT_EQ(refund_numerator(Ore{7'000'000}, tiers), 0);  // 84,000,000 < 95,000,000
  EXPECT_EQ(refund_numerator(Ore{-5}, tiers), 0);         // income beyond cost: no negative cost
  const std::vector<Ore> one{Ore{8'000'000}};
  EXPECT_EQ(refund_of_months(one, tiers), Ore{20'833});  // 2,500,000,000 ÷ 120,000 = 20,833.33
}

TEST(StateRefund, ThreeTiersOf2022) {
  const auto tiers = default_refund_tables().at(2022).tiers;
  // one month of 20,000,000 øre = 240,000,000 a year:
  // 25 % × (168 − 86) M + 50 % × (212 − 168) M + 75 % × (240 − 212) M
  // = 2,500 × 82,000,000 + 5,000 × 44,000,000 + 7,500 × 28,000,000 = 205e9 + 220e9 + 210e9 = 635e9
  EXPECT_EQ(refund_numerator(Ore{20'000'000}, tiers), 635'000'000'000);
  const std::vector<Ore> one{Ore{20'000'000}};
  EXPECT_EQ(refund_of_months(one, tiers), Ore{5'291'667});  // 635e9 ÷ 120,000 = 5,291,666.67
}

TEST(StateRefund, ChildrenOfOneHouseholdAreSummed) {
  domain::PlanningInputs inputs = default_planning_inputs();
  const PlacementState a = citizen("a", 10, "home");
  const PlacementState b = citizen("b", 12, "home");
  std::vector<PlacementCost> costs{month_cost(a, 2013, 1, 8'000'000), month_cost(b, 2013, 1, 8'000'000)};
  // summed: 16,000,000 a month = 192,000,000 a year: 2,500 × 82,000,000 + 5,000 × 15,000,000 = 280e9
  // ÷ 120,000 = 2,333,333.33 → 2,333,333
  EXPECT_EQ(state_refunds(inputs, costs).at(101), Ore{2'333'333});

  const PlacementState c = citizen("c", 10);  // no household: each child on its own
  const PlacementState e = citizen("e", 12);
  costs = {month_cost(c, 2013, 1, 8'000'000), month_cost(e, 2013, 1, 8'000'000)};
  EXPECT_EQ(state_refunds(inputs, costs).at(101), Ore{41'666});  // 2 × 20,833
}

TEST(StateRefund, IncomeIsDeductedFirstPerPlacementAndMonth) {
  domain::PlanningInputs inputs = default_planning_inputs();
  const PlacementState a = citizen("a", 30);
  inputs.income["a"][domain::YearMonth{2013, 1}] = domain::MonthIncome{Ore{500'000}, Ore{500'000}};
  const std::vector<PlacementCost> costs{month_cost(a, 2013, 1, 9'000'000)};
  // 9,000,000 − 1,000,000 = 8,000,000 → 20,833 (as above)
  EXPECT_EQ(state_refunds(inputs, costs).at(101), Ore{20'833});
}

TEST(StateRefund, OnlyPlacementsBegunUnder67Count) {
  domain::PlanningInputs inputs = default_planning_inputs();
  const PlacementState old = citizen("old", 67);
  const PlacementState turning = citizen("turning", 66);  // turns 67 in 2014: still covered
  const std::vector<PlacementCost> costs{month_cost(old, 2014, 1, 20'000'000), month_cost(turning, 2014, 1, 8'000'000)};
  EXPECT_EQ(state_refunds(inputs, costs).at(101), Ore{20'833});
}

TEST(StateRefund, AChildLeavesTheHouseholdUnitAt18) {
  PlacementState p = citizen("p", 17, "home");
  p.requested_start = d("2013-01-15");
  EXPECT_EQ(refund_unit(p, domain::YearMonth{2014, 1}), "household:home");     // still 17 on 2014-01-01
  EXPECT_EQ(refund_unit(p, domain::YearMonth{2014, 2}), "citizen:citizen-p");  // 18 on 2014-02-01
}

TEST(StateRefund, EachPayingMunicipalityIsAssessedOnItsOwnCost) {
  domain::PlanningInputs inputs = default_planning_inputs();
  const PlacementState a = citizen("a", 30, "", 101);
  PlacementState b = citizen("b", 30, "", 147);
  b.citizen = a.citizen;  // the same citizen, later paid by another municipality
  const std::vector<PlacementCost> costs{month_cost(a, 2013, 1, 8'000'000), month_cost(b, 2013, 2, 7'000'000)};
  const auto refunds = state_refunds(inputs, costs);
  EXPECT_EQ(refunds.at(101), Ore{20'833});
  EXPECT_EQ(refunds.at(147), Ore{0});
}

TEST(StateRefund, ACostRangeIsCountedPerCalendarMonth) {
  domain::PlanningInputs inputs = default_planning_inputs();
  const PlacementState a = citizen("a", 30);
  // 2013-01-17 .. 2013-03-01 at 500,000 a day: January 15 days = 7,500,000 (90,000,000 a year: below
  // 95,000,000), February 28 days = 14,000,000 (168,000,000 a year): 2,500 × 73,000,000 = 182.5e9
  // ÷ 120,000 = 1,520,833.33 → 1,520,833. Counted as one year (21,500,000 øre) it would refund nothing.
  const std::vector<PlacementCost> costs{{&a, {d("2013-01-17"), d("2013-03-01")}, Ore{500'000}}};
  EXPECT_EQ(state_refunds(inputs, costs).at(101), Ore{1'520'833});
}

TEST(StateRefund, NoTiersNoRefund) {
  domain::PlanningInputs inputs;  // nothing recorded
  const PlacementState a = citizen("a", 30);
  const std::vector<PlacementCost> costs{month_cost(a, 2013, 1, 80'000'000)};
  EXPECT_FALSE(state_refunds(inputs, costs).contains(101));
}

TEST(StateRefund, OneHouseholdAcrossTheYearBoundaryWithSeveralPlacementsAndIncomes) {
  // 2013 and 2014 use the 2012 tiers: 25 % above 95,000,000 øre a year, 50 % above 177,000,000.
  domain::PlanningInputs inputs = default_planning_inputs();
  PlacementState a1 = citizen("a1", 17, "home");  // a: 17 until 2014-04-01 (requested 2013-03-15)
  a1.requested_start = d("2013-03-15");
  PlacementState a2 = a1;  // a's next placement, same citizen and household
  a2.id = "a2";
  const PlacementState b = citizen("b", 10, "home");
  const PlacementState c = citizen("c", 8, "home", 147);  // same household, another municipality pays
  inputs.income["a1"][domain::YearMonth{2013, 12}] = domain::MonthIncome{Ore{300'000}, Ore{0}};
  inputs.income["a1"][domain::YearMonth{2014, 1}] = domain::MonthIncome{Ore{200'000}, Ore{300'000}};  // deducted once
  inputs.income["b"][domain::YearMonth{2014, 1}] = domain::MonthIncome{Ore{100'000}, Ore{0}};
  inputs.income["a2"][domain::YearMonth{2014, 2}] = domain::MonthIncome{Ore{5'000'000}, Ore{0}};  // a2 has no cost then
  inputs.income["a2"][domain::YearMonth{2014, 4}] = domain::MonthIncome{Ore{0}, Ore{1'000'000}};
  const std::vector<PlacementCost> costs{
      {&a1, {d("2013-12-01"), d("2014-01-16")}, Ore{200'000}},  // across the year boundary
      {&a1, {d("2014-01-16"), d("2014-02-01")}, Ore{200'000}},  // the same month again (a rate change)
      {&b, {d("2013-12-01"), d("2014-05-01")}, Ore{100'000}},
      {&b, {d("2014-02-01"), d("2014-03-01")}, Ore{300'000}},   // overlapping: summed
      {&a2, {d("2014-03-01"), d("2014-06-01")}, Ore{300'000}},  // a turns 18 on the way
      {&c, {d("2014-01-01"), d("2014-02-01")}, Ore{400'000}},
  };
  // (101, 2013, household): Dec 6,200,000 + 3,100,000 − 300,000 = 9,000,000 → 2,500 × 13,000,000
  //   = 32.5e9 → ÷ 120,000 = 270,833.33 → 270,833
  // (101, 2014, household): Jan 6,200,000 + 3,100,000 − 500,000 − 100,000 = 8,700,000 → 23.5e9;
  //   Feb 2,800,000 + 8,400,000 = 11,200,000 (a2's income not deducted: no cost then) → 98.5e9;
  //   Mar a2 9,300,000 + b 3,100,000 = 12,400,000 → 134.5e9; Apr b 3,000,000 → 0;
  //   256.5e9 ÷ 120,000 = 2,137,500
  // (101, 2014, citizen a): Apr 9,000,000 − 1,000,000 = 8,000,000 → 2.5e9; May 9,300,000 → 41.5e9;
  //   44e9 ÷ 120,000 = 366,666.67 → 366,667
  // (147, 2014, household): Jan 12,400,000 → 134.5e9 ÷ 120,000 = 1,120,833.33 → 1,120,833
  const auto refunds = state_refunds(inputs, costs);
  EXPECT_EQ(refunds.at(101), Ore{270'833 + 2'137'500 + 366'667});
  EXPECT_EQ(refunds.at(147), Ore{1'120'833});
  EXPECT_EQ(refunds.size(), 2U);

  // Any order of the entries gives the same cases.
  std::vector<PlacementCost> reversed(costs.rbegin(), costs.rend());
  EXPECT_EQ(state_refunds(inputs, reversed), refunds);
}

// The rules as DOMAIN.md states them, computed the plain way: one map entry per case keyed by
// refund_unit's text, walked day by day. state_refunds must give the same øre.
std::map<std::int32_t, Ore> reference_refunds(const domain::PlanningInputs& inputs,
                                              std::span<const PlacementCost> costs) {
  struct Month {
    std::int64_t cost = 0;
    std::set<const PlacementState*> placements;
  };
  std::map<std::tuple<std::int32_t, int, std::string>, std::map<unsigned, Month>> cases;
  for (const PlacementCost& entry : costs) {
    if (!counts_for_refund(*entry.placement)) continue;
    for (Date day = entry.days.from; day < entry.days.to; day = add_days(day, 1)) {
      const domain::YearMonth month = domain::YearMonth::of(day);
      Month& m =
          cases[{entry.placement->paying_municipality, month.year, refund_unit(*entry.placement, month)}][month.month];
      m.cost += entry.daily.value;
      m.placements.insert(entry.placement);
    }
  }
  std::map<std::int32_t, Ore> refunds;
  for (const auto& [key, months] : cases) {
    const auto* tiers = tiers_for_year(inputs, std::get<1>(key));
    if (!tiers) continue;
    std::vector<Ore> nets;
    for (const auto& [month, m] : months) {
      Ore net{m.cost};
      for (const PlacementState* p : m.placements) net -= income_of(inputs, p->id, {std::get<1>(key), month}).total();
      nets.push_back(net);
    }
    Int128 numerator = 0;
    for (Ore net : nets) numerator += refund_numerator(net, *tiers);
    refunds[std::get<0>(key)] += Ore{static_cast<std::int64_t>(divide_round_half_away(numerator, 120'000))};
  }
  return refunds;
}

TEST(StateRefund, EqualsThePlainComputationOnRandomHouseholdsPlacementsAndIncomes) {
  std::mt19937 random(20261130);
  auto uniform = [&](int low, int high) { return std::uniform_int_distribution<int>(low, high)(random); };
  for (int round = 0; round < 60; ++round) {
    domain::PlanningInputs inputs = default_planning_inputs();
    if (round % 3 == 0) inputs.refund_tables.emplace(2014, domain::RefundTable{2014, {{Ore{40'000'000}, 10'000}}});
    std::vector<PlacementState> placements(40);
    for (std::size_t i = 0; i < placements.size(); ++i) {
      PlacementState& p = placements[i];
      p.id = "p" + std::to_string(i);
      const int who = uniform(0, 14);  // 15 citizens, so most have several placements
      p.citizen = CitizenRef{"c" + std::to_string(who), who < 9 ? "h" + std::to_string(who % 3) : "", ""};
      p.age_at_start = uniform(0, 5) == 0 ? uniform(60, 70) : uniform(8, 19);
      p.paying_municipality = uniform(0, 3) == 0 ? 147 : 101;
      p.requested_start = add_days(d("2012-01-01"), uniform(0, 900));
    }
    std::vector<PlacementCost> costs;
    for (int i = 0; i < 70; ++i) {
      const PlacementState& p = placements[static_cast<std::size_t>(uniform(0, 39))];
      const Date from = add_days(d("2012-10-01"), uniform(0, 800));
      costs.push_back({&p, {from, add_days(from, uniform(1, 200))}, Ore{uniform(50, 700) * 1'000}});
    }
    for (int i = 0; i < 40; ++i) {
      const std::string id = "p" + std::to_string(uniform(0, 39));
      const domain::YearMonth month{uniform(2012, 2015), static_cast<unsigned>(uniform(1, 12))};
      inputs.income[id][month] = domain::MonthIncome{Ore{uniform(0, 3'000) * 1'000}, Ore{uniform(0, 1) * 500'000}};
    }
    ASSERT_EQ(state_refunds(inputs, costs), reference_refunds(inputs, costs)) << "round " << round;
  }
}

TEST(StateRefund, RefundOfMonthsIsExactForAnyAmount) {
  // 64-bit arithmetic where it is exact, 128 bits beyond (the edge: 1,601,279,867,509 øre a month):
  // both must equal the exact formula.
  std::mt19937_64 random(7);
  const std::vector<std::vector<domain::RefundTier>> tier_sets{
      default_refund_tables().at(2012).tiers,
      default_refund_tables().at(2022).tiers,
      {{Ore{0}, 10'000}},
      {{Ore{1}, 1}, {Ore{2}, 9'999}, {Ore{std::numeric_limits<std::int64_t>::max() / 2}, 10'000}}};
  const std::int64_t edges[] = {0,
                                -1,
                                1,
                                95'000'000 / 12,
                                95'000'000 / 12 + 1,
                                1'601'279'867'508,
                                1'601'279'867'509,
                                1'601'279'867'510,
                                1'000'000'000'000'000,
                                std::numeric_limits<std::int64_t>::max() / 12};
  for (const auto& tiers : tier_sets) {
    for (int round = 0; round < 300; ++round) {
      std::vector<Ore> months(static_cast<std::size_t>(round % 13));
      for (Ore& m : months) {
        const auto pick = random() % 4;
        m = Ore{pick == 0   ? edges[random() % std::size(edges)]
                : pick == 1 ? static_cast<std::int64_t>(random() % 40'000'000)
                : pick == 2 ? static_cast<std::int64_t>(random() % 20'000'000'000'000)
                            : -static_cast<std::int64_t>(random() % 1'000'000)};
      }
      Int128 numerator = 0;
      for (Ore m : months) numerator += refund_numerator(m, tiers);
      EXPECT_EQ(refund_of_months(months, tiers).value,
                static_cast<std::int64_t>(divide_round_half_away(numerator, 120'000)))
          << "round " << round;
    }
  }
}

}  // namespace
}  // namespace placement::projections::testing

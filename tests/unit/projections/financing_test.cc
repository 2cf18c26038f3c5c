#include "services/projections/financing.h"

#include <gtest/gtest.h>

#include "tests/unit/projections/projections_fixture.h"

namespace placement::projections::testing {
namespace {

class FinancingTest : public ProjectionsTest {
 protected:
  FinancingView financing(DateRange period, const FinancingOverrides& overrides = {}) {
    const PlanningIndex idx = index();
    auto view = compute_financing(idx, inputs_, period, overrides);
    EXPECT_TRUE(view) << (view ? "" : view.error().message);
    if (!view) return {};
    expect_reconciled(view.value());
    return std::move(view).value();
  }

  // The identities of financing.h, to the øre.
  static void expect_reconciled(const FinancingView& view) {
    Ore usage{0}, copay{0}, objective{0}, mixed{0}, refund{0}, net{0}, grant_used{0}, region_cost{0};
    for (const MunicipalityFinancing& m : view.municipalities) {
      usage += m.usage_payments;
      copay += m.copayments;
      objective += m.objective_share;
      mixed += m.mixed_objective_share;
      refund += m.refund;
      net += m.net;
      EXPECT_EQ(m.net, m.usage_payments + m.copayments + m.objective_share + m.mixed_objective_share - m.refund);
    }
    for (const RegionGrant& r : view.regions) {
      grant_used += r.used;
      EXPECT_EQ(r.left, r.block_grant - r.used);
    }
    for (const OfferFinancing& o : view.offers) {
      region_cost += o.region_cost;
      EXPECT_EQ(o.total_cost,
                o.usage_paid + o.copayments + o.vacancy_cost + o.objective_part + o.region_cost + o.operator_vacancy);
    }
    EXPECT_EQ(usage, view.totals.usage_paid);
    EXPECT_EQ(copay, view.totals.copayments);
    EXPECT_EQ(objective, view.totals.vacancy_cost);
    EXPECT_EQ(mixed, view.totals.objective_part);
    EXPECT_EQ(grant_used, region_cost);
    EXPECT_EQ(refund, view.totals.refund);
    EXPECT_EQ(net, view.totals.municipalities_net);
  }

  static const MunicipalityFinancing& m(const FinancingView& view, std::int32_t code) {
    for (const auto& row : view.municipalities) {
      if (row.municipality_code == code) return row;
    }
    ADD_FAILURE() << "no row for municipality " << code;
    static const MunicipalityFinancing none;
    return none;
  }
  static const OfferFinancing& o(const FinancingView& view, const std::string& id) {
    for (const auto& row : view.offers) {
      if (row.offer_id == id) return row;
    }
    ADD_FAILURE() << "no row for offer " << id;
    static const OfferFinancing none;
    return none;
  }

  const DateRange january_2024{d("2024-01-01"), d("2024-02-01")};
};

TEST_F(FinancingTest, TakstPaysEachRateForItsDaysAndLeavesVacancyToTheOperator) {
  financed_offer("t", Financing{FinancingModel::takst, 0}, 2, d("2024-01-01"));
  rate("t", d("2024-01-01"), 100'000);
  rate("t", d("2024-01-16"), 120'000);
  stay("p1", "t", 101, d("2024-01-01"));
  stay("p2", "t", 147, d("2024-01-11"), d("2024-01-21"));
  const FinancingView view = financing(january_2024);
  // p1: 15 days × 100,000 + 16 days × 120,000 = 1,500,000 + 1,920,000 = 3,420,000
  EXPECT_EQ(m(view, 101).usage_payments, Ore{3'420'000});
  EXPECT_EQ(m(view, 101).occupied_place_days, 31);
  // p2: 01-11..01-15 5 × 100,000 + 01-16..01-20 5 × 120,000 = 500,000 + 600,000 = 1,100,000
  EXPECT_EQ(m(view, 147).usage_payments, Ore{1'100'000});
  EXPECT_EQ(m(view, 147).net, Ore{1'100'000});
  const OfferFinancing& t = o(view, "t");
  EXPECT_EQ(t.open_place_days, 62);      // 2 × 31
  EXPECT_EQ(t.occupied_place_days, 41);  // 31 + 10
  // vacant: first rate (15 days) 30 − 20 = 10 × 100,000; second (16 days) 32 − 21 = 11 × 120,000
  EXPECT_EQ(t.operator_vacancy, Ore{2'320'000});
  // total = 30 × 100,000 + 32 × 120,000 = 6,840,000 = 4,520,000 paid + 2,320,000 vacancy
  EXPECT_EQ(t.total_cost, Ore{6'840'000});
  EXPECT_EQ(t.vacancy_cost, Ore{0});
}

TEST_F(FinancingTest, BasisChargesCopaymentsAndDrawsTheRestFromEachYearsBlockGrant) {
  financed_offer("b", Financing{FinancingModel::basis, 0}, 2, d("2024-01-01"));
  rate("b", d("2024-01-01"), 200'000, 50'000);
  stay("p1", "b", 101, d("2024-12-01"));
  inputs_.block_grants[{1084, 2024}] = Ore{10'000'000};
  inputs_.block_grants[{1084, 2025}] = Ore{5'000'000};
  const FinancingView view = financing({d("2024-12-01"), d("2025-02-01")});
  // co-payments: 62 days × 50,000 = 3,100,000
  EXPECT_EQ(m(view, 101).copayments, Ore{3'100'000});
  EXPECT_EQ(m(view, 101).usage_payments, Ore{0});
  ASSERT_EQ(view.regions.size(), 2u);
  // each month: 2 places × 31 days × 200,000 = 12,400,000 − 31 × 50,000 = 10,850,000 from the grant
  EXPECT_EQ(view.regions[0], (RegionGrant{1084, 2024, Ore{10'000'000}, Ore{10'850'000}, Ore{-850'000}}));
  EXPECT_EQ(view.regions[1], (RegionGrant{1084, 2025, Ore{5'000'000}, Ore{10'850'000}, Ore{-5'850'000}}));
  EXPECT_EQ(o(view, "b").total_cost, Ore{24'800'000});  // 124 open place-days × 200,000
  EXPECT_EQ(o(view, "b").region_cost, Ore{21'700'000});
}

TEST_F(FinancingTest, ObjektivSplitsTheVacancyCostAmongTheCatchmentByTheKey) {
  financed_offer("o", Financing{FinancingModel::objektiv, 0}, 3, d("2024-01-01"));
  rate("o", d("2024-01-01"), 100'000, std::nullopt, 90'000);
  stay("p1", "o", 851, d("2024-01-01"));  // Aalborg uses a place in Hovedstaden
  const FinancingView view = financing(january_2024);
  EXPECT_EQ(m(view, 851).usage_payments, Ore{3'100'000});  // 31 × 100,000
  EXPECT_EQ(m(view, 851).objective_share, Ore{0});         // outside the catchment
  // vacancy: (93 − 31) × 90,000 = 5,580,000 over 101 (1,924,641) and 147 (420,474), Σ 2,345,115:
  // 101: 5,580,000 × 1,924,641 ÷ 2,345,115 = 4,579,518.18 → 4,579,518; 147: 1,000,481.82 → 1,000,482
  EXPECT_EQ(o(view, "o").vacancy_cost, Ore{5'580'000});
  EXPECT_EQ(m(view, 101).objective_share, Ore{4'579'518});
  EXPECT_EQ(m(view, 147).objective_share, Ore{1'000'482});
  EXPECT_EQ(o(view, "o").total_cost, Ore{8'680'000});  // 3,100,000 + 5,580,000
}

TEST_F(FinancingTest, ObjektivSplitWhereRoundingMatters) {
  must(RegisterMunicipality{153, "Brøndby", 1084, 154197});
  inputs_.objective_key_override = std::map<std::int32_t, std::int64_t>{{101, 1}, {147, 1}, {153, 1}};
  financed_offer("o", Financing{FinancingModel::objektiv, 0}, 1, d("2024-01-01"));
  rate("o", d("2024-01-01"), 100);
  const FinancingView view = financing({d("2024-01-01"), d("2024-01-02")});
  // one vacant place-day × 100 øre over weights 1, 1, 1 → 34, 33, 33
  EXPECT_EQ(m(view, 101).objective_share, Ore{34});
  EXPECT_EQ(m(view, 147).objective_share, Ore{33});
  EXPECT_EQ(m(view, 153).objective_share, Ore{33});
}

TEST_F(FinancingTest, MixedSplitsTheSetShareAndChargesTheRestPerOccupiedDay) {
  financed_offer("m", Financing{FinancingModel::mixed, 3'000}, 2, d("2024-01-01"), 1084, Catchment::national());
  rate("m", d("2024-01-01"), 100'001);
  stay("p1", "m", 101, d("2024-01-01"));
  stay("p2", "m", 751, d("2024-01-01"));
  const FinancingView view = financing(january_2024);
  // u = 70,001 (financing_terms_test); usage 31 × 70,001 = 2,170,031 each
  EXPECT_EQ(m(view, 101).usage_payments, Ore{2'170'031});
  EXPECT_EQ(m(view, 751).usage_payments, Ore{2'170'031});
  // objective part 62 × 30,000 = 1,860,000 over 101, 147, 751, 851 by 1,924,641 / 420,474 / 1,060,744 /
  // 706,756 (Σ 4,112,615): 870,451.59, 190,167.2, 479,739.3, 319,641.9 → floors Σ 1,859,998; +1 to the two
  // largest remainders (101: .59, 851: .9) → 870,452 / 190,167 / 479,739 / 319,642
  EXPECT_EQ(o(view, "m").objective_part, Ore{1'860'000});
  EXPECT_EQ(m(view, 101).mixed_objective_share, Ore{870'452});
  EXPECT_EQ(m(view, 147).mixed_objective_share, Ore{190'167});
  EXPECT_EQ(m(view, 751).mixed_objective_share, Ore{479'739});
  EXPECT_EQ(m(view, 851).mixed_objective_share, Ore{319'642});
  // fully occupied: usage + objective part = 4,340,062 + 1,860,000 = 6,200,062 = 62 × 100,001 exactly
  EXPECT_EQ(o(view, "m").usage_paid + o(view, "m").objective_part, Ore{6'200'062});
  EXPECT_EQ(o(view, "m").operator_vacancy, Ore{0});
  EXPECT_EQ(m(view, 101).net, Ore{2'170'031 + 870'452});
}

TEST_F(FinancingTest, RefundCrossingBothThresholdsReducesTheNet) {
  // 2013 uses the 2012 tiers. 6,000 kr a day all year: 365 × 600,000 = 219,000,000 øre (2,190,000 kr).
  financed_offer("t", Financing{FinancingModel::takst, 0}, 1, d("2013-01-01"));
  rate("t", d("2013-01-01"), 600'000);
  stay("p1", "t", 101, d("2013-01-01"));
  inputs_.income["p1"][domain::YearMonth{2013, 3}] = domain::MonthIncome{Ore{1'000'000}, Ore{0}};
  const FinancingView view = financing({d("2013-01-01"), d("2014-01-01")});
  // Every month is above 1,770,000 kr ÷ 12, so each refunds 25 % × 820,000 ÷ 12 + 50 % × (12c − 1,770,000) ÷ 12;
  // over the year: 25 % × 820,000 + 50 % × (2,190,000 − 10,000 income − 1,770,000)
  // = 205,000 + 205,000 = 410,000 kr
  EXPECT_EQ(m(view, 101).usage_payments, Ore{219'000'000});
  EXPECT_EQ(m(view, 101).refund, Ore{41'000'000});
  EXPECT_EQ(m(view, 101).net, Ore{178'000'000});
}

TEST_F(FinancingTest, CaseCostsAndOneOffExpensesCountForTheRefund) {
  // 2023 (the 2022 tiers), 7,200 kr a day all year: 2,628,000 kr. A one-off of 1,200,000 kr in July
  // counts 100,000 kr in each of July 2023 .. June 2024 (600,000 kr in 2023); 50,000 kr other costs
  // in March. Every month is then in the 75 % tier (the smallest, February, 201,600 kr), where a
  // month with cost c refunds 0.75c − 97,083.33 kr (refund_coverage_test.cc), so the year refunds
  //   0.75 × (2,628,000 + 600,000 + 50,000) − 12 × 97,083.33 = 2,458,500 − 1,165,000 = 1,293,500 kr.
  financed_offer("t", Financing{FinancingModel::takst, 0}, 1, d("2023-01-01"));
  rate("t", d("2023-01-01"), 720'000);
  stay("p1", "t", 101, d("2023-01-01"));
  inputs_.case_costs["p1"][domain::YearMonth{2023, 7}] = domain::CaseCosts{Ore{0}, Ore{120'000'000}};
  inputs_.case_costs["p1"][domain::YearMonth{2023, 3}] = domain::CaseCosts{Ore{5'000'000}, Ore{0}};
  const FinancingView view = financing({d("2023-01-01"), d("2024-01-01")});
  EXPECT_EQ(m(view, 101).usage_payments, Ore{262'800'000});
  EXPECT_EQ(m(view, 101).case_costs, Ore{65'000'000});
  EXPECT_EQ(m(view, 101).refund, Ore{129'350'000});
  // Not in net: paid outside the places. net = 2,628,000 − 1,293,500 kr.
  EXPECT_EQ(m(view, 101).net, Ore{133'450'000});
}

TEST_F(FinancingTest, ACaseCostAfterTheDischargeCountsAndTakesTheMonthsIncome) {
  // Discharged 2023-07-01; a one-off of 120,000 kr in June counts 10,000 kr a month June .. May. In
  // 2023 with 2012-level thresholds set low enough that every month refunds: 25 % above 120,000 kr a year.
  inputs_.refund_tables[2023] = domain::RefundTable{2023, {{Ore{12'000'000}, 2'500}}};
  financed_offer("t", Financing{FinancingModel::takst, 0}, 1, d("2023-01-01"));
  rate("t", d("2023-01-01"), 100'000);
  stay("p1", "t", 101, d("2023-06-01"), d("2023-07-01"));
  inputs_.case_costs["p1"][domain::YearMonth{2023, 6}] = domain::CaseCosts{Ore{0}, Ore{12'000'000}};
  inputs_.income["p1"][domain::YearMonth{2023, 8}] = domain::MonthIncome{Ore{400'000}, Ore{0}};
  const FinancingView view = financing({d("2023-01-01"), d("2024-01-01")});
  // June: 30 × 1,000 + 10,000 = 40,000 kr → 25 % × (480,000 − 120,000) ÷ 12 = 7,500 kr
  // July, September .. December: 10,000 kr → 25 % × (120,000 − 120,000) = 0
  // August: 10,000 − 4,000 income = 6,000 kr → 0 (below the threshold)
  EXPECT_EQ(m(view, 101).case_costs, Ore{7'000'000});  // June .. December 2023
  EXPECT_EQ(m(view, 101).refund, Ore{750'000});
}

TEST_F(FinancingTest, TheViewSaysWhoseRefundThresholdsEachYearUsed) {
  financed_offer("t", Financing{FinancingModel::takst, 0}, 1, d("2019-01-01"));
  const FinancingView view = financing({d("2019-07-01"), d("2024-01-01")});
  ASSERT_EQ(view.refund_amounts.size(), 5u);
  EXPECT_EQ(view.refund_amounts[0], (domain::RefundAmounts{2019, 2012, 2012, false}));  // an earlier year's
  EXPECT_EQ(view.refund_amounts[1], (domain::RefundAmounts{2020, 2020, 2020, false}));
  EXPECT_EQ(view.refund_amounts[2], (domain::RefundAmounts{2021, 2021, 2021, false}));
  EXPECT_EQ(view.refund_amounts[3], (domain::RefundAmounts{2022, 2022, 2022, false}));
  EXPECT_EQ(view.refund_amounts[4], (domain::RefundAmounts{2023, 2022, 2022, true}));  // past the last known
}

TEST_F(FinancingTest, RefundsOf2020And2021UseTheLawsAmountsOfTheirYear) {
  // 6,000 kr a day: 2021 (365 days) 2,190,000 kr. Every month but February is above 2,090,000 ÷ 12
  // (a 30-day month is 180,000 kr = 2,160,000 a year); February, 168,000 kr = 2,016,000 a year, is in
  // the 50 % tier. At 2021 level:
  //   11 months: (25 % × 810,000 + 50 % × 430,000 + 75 % × (12c − 2,090,000)) ÷ 12 = 0.75c − 95,833.33
  //   February: (202,500 + 50 % × (2,016,000 − 1,660,000)) ÷ 12 = 380,500 ÷ 12 = 31,708.33
  //   year: 0.75 × (2,190,000 − 168,000) − 11 × 95,833.33 + 31,708.33 = 1,516,500 − 1,054,166.67 + 31,708.33
  //       = 5,928,500 ÷ 12 = 494,041.67 kr (the 2012 amounts, as before: 25 % × 820,000 + 50 % × 420,000 = 415,000)
  financed_offer("t", Financing{FinancingModel::takst, 0}, 1, d("2020-01-01"));
  rate("t", d("2020-01-01"), 600'000);
  stay("p1", "t", 101, d("2020-01-01"));
  EXPECT_EQ(m(financing({d("2021-01-01"), d("2022-01-01")}), 101).refund, Ore{49'404'167});
  // 2020 (366 days, 2,196,000 kr), every month above 1,630,000 ÷ 12 and no higher tier: 25 % × 800,000 +
  // 50 % × (2,196,000 − 1,630,000) = 200,000 + 283,000 = 483,000 kr (2012 amounts: 205,000 + 213,000 = 418,000).
  EXPECT_EQ(m(financing({d("2020-01-01"), d("2021-01-01")}), 101).refund, Ore{48'300'000});
}

TEST_F(FinancingTest, ObjectiveSharesNeverCountForTheRefund) {
  financed_offer("o", Financing{FinancingModel::objektiv, 0}, 10, d("2013-01-01"));
  rate("o", d("2013-01-01"), 600'000, std::nullopt, 600'000);
  stay("p1", "o", 101, d("2013-01-01"));
  const FinancingView view = financing({d("2013-01-01"), d("2014-01-01")});
  // 101's usage (219,000,000) counts: 41,500,000 (25 % × 820,000 + 50 % × 420,000 kr); its vacancy share,
  // 9 × 365 × 600,000 × 1,924,641 ÷ 2,345,115, does not.
  EXPECT_EQ(m(view, 101).refund, Ore{41'500'000});
  EXPECT_GT(m(view, 101).objective_share, Ore{0});
}

TEST_F(FinancingTest, WhatIfChangesTheModelWithoutChangingTheState) {
  financed_offer("t", Financing{FinancingModel::takst, 0}, 3, d("2024-01-01"));
  rate("t", d("2024-01-01"), 100'000);
  stay("p1", "t", 851, d("2024-01-01"));
  const State before = state_;
  FinancingOverrides overrides;
  overrides["t"].financing = Financing{FinancingModel::objektiv, 0};
  overrides["t"].rate = Rate{Ore{100'000}, Ore{0}, Ore{90'000}, std::nullopt};
  const FinancingView what_if = financing(january_2024, overrides);
  EXPECT_EQ(state_, before);
  // as the OBJEKTIV test: vacancy 62 × 90,000 = 5,580,000 split 4,579,518 / 1,000,482
  EXPECT_EQ(o(what_if, "t").financing.model, FinancingModel::objektiv);
  EXPECT_EQ(m(what_if, 101).objective_share, Ore{4'579'518});
  const FinancingView actual = financing(january_2024);
  EXPECT_EQ(o(actual, "t").operator_vacancy, Ore{6'200'000});  // 62 × 100,000
  EXPECT_EQ(actual.totals.vacancy_cost, Ore{0});
}

TEST_F(FinancingTest, UnpricedDaysCostNothingAndAreReported) {
  financed_offer("t", Financing{FinancingModel::takst, 0}, 1, d("2024-01-01"));
  rate("t", d("2024-01-11"), 100);
  stay("p1", "t", 101, d("2024-01-01"));
  const FinancingView view = financing(january_2024);
  EXPECT_EQ(o(view, "t").unpriced_place_days, 10);
  EXPECT_EQ(m(view, 101).usage_payments, Ore{2'100});  // 21 × 100
}

TEST_F(FinancingTest, AKeyWithoutWeightIsRefused) {
  inputs_.objective_key_override = std::map<std::int32_t, std::int64_t>{{751, 1}};
  financed_offer("o", Financing{FinancingModel::objektiv, 0}, 1, d("2024-01-01"));
  rate("o", d("2024-01-01"), 100);
  const PlanningIndex idx = index();
  EXPECT_EQ(compute_financing(idx, inputs_, january_2024).error().code, Errc::failed_precondition);
  EXPECT_EQ(compute_financing(idx, inputs_, {january_2024.from, Date::max()}).error().code, Errc::invalid_argument);
}

}  // namespace
}  // namespace placement::projections::testing

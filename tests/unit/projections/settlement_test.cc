#include "services/projections/settlement.h"

#include <gtest/gtest.h>

#include "tests/unit/projections/projections_fixture.h"

namespace placement::projections::testing {
namespace {

class SettlementTest : public ProjectionsTest {};

TEST_F(SettlementTest, LinesPerMunicipalityAndOperatorWithEachRate) {
  financed_offer("t", Financing{FinancingModel::takst, 0}, 3, d("2024-01-01"));  // run by Hovedstaden
  rate("t", d("2024-01-01"), 100'000);
  rate("t", d("2024-02-11"), 110'000);
  financed_offer("b", Financing{FinancingModel::basis, 0}, 1, d("2024-01-01"), 751,
                 Catchment::region(1082));  // run by Aarhus
  rate("b", d("2024-01-01"), 300'000, 40'000);
  stay("p1", "t", 101, d("2024-01-20"));
  stay("p2", "t", 147, d("2024-02-05"), d("2024-02-15"));
  stay("p3", "b", 101, d("2024-02-20"));

  auto settlement = monthly_settlement(index(), domain::YearMonth{2024, 2}, d("2024-03-10"));
  ASSERT_TRUE(settlement);
  const auto& statements = settlement.value().statements;
  ASSERT_EQ(statements.size(), 3u);  // (101, 751), (101, 1084), (147, 1084)

  EXPECT_EQ(statements[0].paying_municipality, 101);
  EXPECT_EQ(statements[0].operator_code, 751);
  ASSERT_EQ(statements[0].lines.size(), 1u);
  // BASIS bills the co-payment: 02-20..02-29 = 10 days × 40,000 = 400,000
  EXPECT_EQ(statements[0].lines[0].place_days, 10);
  EXPECT_EQ(statements[0].total, Ore{400'000});

  const SettlementLine& p1 = statements[1].lines.at(0);
  EXPECT_EQ(p1.placement_id, "p1");
  EXPECT_EQ(p1.place_days, 29);  // February 2024
  // 02-01..02-10: 10 × 100,000 = 1,000,000; 02-11..02-29: 19 × 110,000 = 2,090,000
  ASSERT_EQ(p1.rates.size(), 2u);
  EXPECT_EQ(p1.rates[0], (RatePart{{d("2024-02-01"), d("2024-02-11")}, Ore{100'000}, Ore{1'000'000}}));
  EXPECT_EQ(p1.rates[1], (RatePart{{d("2024-02-11"), d("2024-03-01")}, Ore{110'000}, Ore{2'090'000}}));
  EXPECT_EQ(p1.amount, Ore{3'090'000});
  EXPECT_FALSE(p1.beyond_billing_limit);

  // p2: 02-05..02-10 6 × 100,000 + 02-11..02-14 4 × 110,000 = 600,000 + 440,000
  EXPECT_EQ(statements[2].paying_municipality, 147);
  EXPECT_EQ(statements[2].total, Ore{1'040'000});
}

TEST_F(SettlementTest, FlagsMonthsBeyondTheTwelveMonthBillingLimit) {
  financed_offer("t", Financing{FinancingModel::takst, 0}, 1, d("2024-01-01"));
  rate("t", d("2024-01-01"), 100);
  stay("p1", "t", 101, d("2024-01-01"));
  // limit for as_of 2025-02-15 is 2024-02-15: January 2024 ended (02-01) before it, February not
  EXPECT_TRUE(monthly_settlement(index(), domain::YearMonth{2024, 1}, d("2025-02-15"))
                  .value()
                  .statements[0]
                  .lines[0]
                  .beyond_billing_limit);
  EXPECT_FALSE(monthly_settlement(index(), domain::YearMonth{2024, 2}, d("2025-02-15"))
                   .value()
                   .statements[0]
                   .lines[0]
                   .beyond_billing_limit);
  EXPECT_EQ(billing_limit(d("2024-02-29")), d("2023-02-28"));
  EXPECT_FALSE(monthly_settlement(index(), domain::YearMonth{2024, 13}, d("2025-02-15")));
}

TEST_F(SettlementTest, CountsThePlaceDaysBeyondTheBillingLimitByDay) {
  financed_offer("t", Financing{FinancingModel::takst, 0}, 2, d("2024-01-01"));
  rate("t", d("2024-01-01"), 100);
  stay("p1", "t", 101, d("2024-01-01"));
  stay("p2", "t", 101, d("2024-02-20"), d("2024-02-25"));
  // as_of 2025-02-15: the limit date is 2024-02-15, so of February 2024 the 1st .. 14th lie beyond:
  // p1 (the whole month, 29 days) 14 of them, p2 (02-20 .. 02-24) none.
  const auto february = monthly_settlement(index(), domain::YearMonth{2024, 2}, d("2025-02-15")).value();
  const auto& lines = february.statements.at(0).lines;
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].placement_id, "p1");
  EXPECT_EQ(lines[0].place_days, 29);
  EXPECT_EQ(lines[0].place_days_beyond_billing_limit, 14);
  EXPECT_FALSE(lines[0].beyond_billing_limit);
  EXPECT_EQ(lines[1].place_days_beyond_billing_limit, 0);
  // A month wholly before the limit: every place-day; one wholly after it: none.
  const auto january = monthly_settlement(index(), domain::YearMonth{2024, 1}, d("2025-02-15")).value();
  EXPECT_EQ(january.statements.at(0).lines.at(0).place_days_beyond_billing_limit, 31);
  const auto march = monthly_settlement(index(), domain::YearMonth{2024, 3}, d("2025-02-15")).value();
  EXPECT_EQ(march.statements.at(0).lines.at(0).place_days_beyond_billing_limit, 0);
  // The limit on the month's last day: 2025-02-29 does not exist, as_of 2025-03-01 → 2024-03-01.
  const auto leap = monthly_settlement(index(), domain::YearMonth{2024, 2}, d("2025-03-01")).value();
  EXPECT_EQ(leap.statements.at(0).lines.at(0).place_days_beyond_billing_limit, 29);
}

TEST_F(SettlementTest, AgreesWithTheFinancingViewsPayments) {
  financed_offer("m", Financing{FinancingModel::mixed, 2'500}, 2, d("2024-01-01"), 1084, Catchment::national());
  rate("m", d("2024-01-01"), 1'003);
  stay("p1", "m", 101, d("2024-01-07"));
  // MIXED bills the usage part u = 1,003 × 7,500 ÷ 10,000 = 752.25 → 752 per day; January: 25 days
  const auto statements = monthly_settlement(index(), domain::YearMonth{2024, 1}, d("2024-02-01")).value().statements;
  ASSERT_EQ(statements.size(), 1u);
  EXPECT_EQ(statements[0].total, Ore{18'800});  // 25 × 752
}

}  // namespace
}  // namespace placement::projections::testing

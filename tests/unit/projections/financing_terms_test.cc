#include "services/projections/financing_terms.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/unit/projections/projections_fixture.h"

namespace placement::projections::testing {
namespace {

class FinancingTermsTest : public ProjectionsTest {
 protected:
  std::vector<DailyAmounts> amounts(const std::string& id, const FinancingOverrides& overrides = {}) {
    std::vector<DailyAmounts> out;
    FinancingTerms(offer_state(id), overrides)
        .for_each_segment({d("2024-01-01"), d("2024-01-02")}, [&](const DateRange&, const DailyAmounts* a) {
          ASSERT_NE(a, nullptr);
          out.push_back(*a);
        });
    return out;
  }
};

TEST_F(FinancingTermsTest, MixedUsageRateIsTheRoundedRestAndTheKeyPartItsComplement) {
  financed_offer("m", Financing{FinancingModel::mixed, 3'000}, 1, d("2024-01-01"));
  rate("m", d("2024-01-01"), 100'001);
  const DailyAmounts a = amounts("m").at(0);
  // u = 100,001 × 7,000 ÷ 10,000 = 70,000.7 → 70,001; key part = 100,001 − 70,001 = 30,000
  EXPECT_EQ(a.usage_per_occupied_day, Ore{70'001});
  EXPECT_EQ(a.key_per_open_day, Ore{30'000});
  EXPECT_EQ(a.operator_vacancy_per_day, Ore{70'001});
  EXPECT_EQ(a.usage_per_occupied_day + a.key_per_open_day, Ore{100'001});
}

TEST_F(FinancingTermsTest, EachModelsAmounts) {
  financed_offer("b", Financing{FinancingModel::basis, 0}, 1, d("2024-01-01"));
  rate("b", d("2024-01-01"), 200'000, 50'000);
  const DailyAmounts basis = amounts("b").at(0);
  EXPECT_EQ(basis.copayment_per_occupied_day, Ore{50'000});
  EXPECT_EQ(basis.usage_per_occupied_day, Ore{0});
  EXPECT_EQ(basis.region_per_open_day, Ore{200'000});
  EXPECT_EQ(basis.billed_per_occupied_day(), Ore{50'000});

  financed_offer("o", Financing{FinancingModel::objektiv, 0}, 1, d("2024-01-01"));
  rate("o", d("2024-01-01"), 100'000, std::nullopt, 90'000);
  const DailyAmounts objektiv = amounts("o").at(0);
  EXPECT_EQ(objektiv.usage_per_occupied_day, Ore{100'000});
  EXPECT_EQ(objektiv.key_per_vacant_day, Ore{90'000});
}

TEST_F(FinancingTermsTest, WhatIfModelDerivesTheVacancyRateAndARateOverrideReplacesTheTimeline) {
  financed_offer("t", Financing{FinancingModel::takst, 0}, 1, d("2024-01-01"));
  rate("t", d("2024-01-01"), 100'000);
  FinancingOverrides overrides;
  overrides["t"].financing = Financing{FinancingModel::objektiv, 0};
  const DailyAmounts a = amounts("t", overrides).at(0);
  EXPECT_EQ(a.key_per_vacant_day, Ore{100'000});  // the daily rate, as the domain defaults it
  EXPECT_EQ(a.operator_vacancy_per_day, Ore{0});

  overrides["t"].rate = Rate{Ore{80'000}, Ore{0}, Ore{70'000}, std::nullopt};
  std::vector<std::int64_t> days;
  FinancingTerms(offer_state("t"), overrides)
      .for_each_segment({d("2023-12-01"), d("2024-02-01")}, [&](const DateRange& s, const DailyAmounts* r) {
        ASSERT_NE(r, nullptr);  // a flat rate covers days the offer had no rate for
        EXPECT_EQ(r->key_per_vacant_day, Ore{70'000});
        days.push_back(s.days());
      });
  EXPECT_EQ(days, std::vector<std::int64_t>{62});
}

}  // namespace
}  // namespace placement::projections::testing

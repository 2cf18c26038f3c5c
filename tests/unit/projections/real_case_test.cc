// DOMAIN.md's real case (table 1 of the special psychiatric places, 15 October 2018): one OBJEKTIV
// offer per region, place price 1.9 million kr a year, the places in use admitted; the capacity view
// grouped by region gives the table back, and the financing view of that one day gives each
// Hovedstaden municipality's share of the vacancy cost by the default key (kmf_2019_tkr).

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "services/domain/rate.h"
#include "services/projections/capacity_view.h"
#include "services/projections/financing.h"
#include "tests/unit/projections/projections_fixture.h"

namespace placement::projections::testing {
namespace {

std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  for (std::string field; std::getline(in, field, ',');) out.push_back(field);
  return out;
}

class RealCaseTest : public ::testing::Test {
 protected:
  void must(CommandBody body) {
    auto events = decide(
        state_, Command{Actor{"admin", Role::admin, 0}, "c" + std::to_string(++n_), now_, today_, std::move(body)});
    ASSERT_TRUE(events) << events.error().message;
    for (const Event& e : events.value()) apply(state_, e);
  }

  void load_reference_data() {
    for (auto [code, name] : {std::pair{1081, "Nordjylland"},
                              {1082, "Midtjylland"},
                              {1083, "Syddanmark"},
                              {1084, "Hovedstaden"},
                              {1085, "Sjælland"}}) {
      must(RegisterRegion{code, name});
    }
    std::ifstream csv(PLACEMENT_MUNICIPALITIES_CSV);
    ASSERT_TRUE(csv) << PLACEMENT_MUNICIPALITIES_CSV;
    std::string line;
    std::getline(csv, line);  // municipality_code,name,region_code,kmf_2019_share_pct,kmf_2019_tkr
    while (std::getline(csv, line)) {
      if (line.empty()) continue;
      const auto f = fields(line);
      ASSERT_EQ(f.size(), 5u) << line;
      must(RegisterMunicipality{std::stoi(f[0]), f[1], std::stoi(f[2]), std::stoll(f[4])});
    }
  }

  // One OBJEKTIV offer per region, run by the region for its own catchment, from 2018-01-01.
  void special_places(std::int32_t region, std::int32_t open, std::int32_t in_use) {
    const std::string id = "saerlige-pladser-" + std::to_string(region);
    must(RegisterOffer{id,
                       "Særlige pladser",
                       region,
                       SpecialisationLevel::hojt,
                       {TargetGroup::mental_illness_with_abuse_or_behaviour},
                       ServiceType::dogn,
                       "SUL § 238 a",
                       Catchment::region(region),
                       Financing{FinancingModel::objektiv, 0}});
    must(ChangeCapacity{id, d("2018-01-01"), open});
    // 1.9 million kr a place a year: budget = open × 190,000,000 øre, full occupancy, no overhead.
    RateBasis basis{2018, Ore{open * 190'000'000LL}, 0, Ore{0}, open, 10'000};
    must(SetRate{id, d("2018-01-01"), std::nullopt, basis, std::nullopt, std::nullopt});
    const std::int32_t paying = first_municipality_of(region);
    for (std::int32_t i = 0; i < in_use; ++i) {
      const std::string placement = id + "-" + std::to_string(i);
      RequestPlacement r;
      r.placement_id = placement;
      r.citizen = CitizenRef{"citizen-" + placement, "", ""};
      r.age_at_start = 40;
      r.paying_municipality = paying;
      r.offer_id = id;
      r.level = SpecialisationLevel::hojt;
      r.target_group = TargetGroup::mental_illness_with_abuse_or_behaviour;
      r.requested_start = d("2018-10-01");
      must(r);
      must(ReservePlace{placement, d("2018-10-01"), std::chrono::hours(48), false});
      must(AdmitPlacement{placement, d("2018-10-01")});
    }
  }

  std::int32_t first_municipality_of(std::int32_t region) const {
    for (const auto& [code, municipality] : state_.municipalities) {
      if (municipality.region_code == region) return code;
    }
    return 0;
  }

  State state_;
  int n_ = 0;
  Instant now_{std::chrono::microseconds{1'538'352'000'000'000}};  // 2018-10-01T00:00:00Z
  Date today_ = d("2018-10-01");
};

TEST_F(RealCaseTest, CapacityByRegionOn15October2018AndHovedstadensDailyVacancyShares) {
  load_reference_data();
  ASSERT_EQ(state_.municipalities.size(), 98u);
  special_places(1084, 32, 12);  // Hovedstaden
  special_places(1085, 7, 7);    // Sjælland
  special_places(1083, 15, 8);   // Syddanmark
  special_places(1082, 21, 9);   // Midtjylland
  special_places(1081, 8, 4);    // Nordjylland

  const PlanningIndex index(state_);
  const CapacityView capacity = capacity_at(index, d("2018-10-15"), GroupBy{.region = true});
  ASSERT_EQ(capacity.rows.size(), 5u);
  struct Expected {
    std::int32_t region;
    std::int64_t open, in_use, vacant;
  };
  const Expected table[] = {{1081, 8, 4, 4}, {1082, 21, 9, 12}, {1083, 15, 8, 7}, {1084, 32, 12, 20}, {1085, 7, 7, 0}};
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(capacity.rows[i].key.region_code, table[i].region);
    EXPECT_EQ(capacity.rows[i].counts.open, table[i].open);
    EXPECT_EQ(capacity.rows[i].counts.occupied, table[i].in_use);
    EXPECT_EQ(capacity.rows[i].counts.vacant, table[i].vacant);
  }
  EXPECT_EQ(capacity.total.open, 83);
  EXPECT_EQ(capacity.total.occupied, 40);
  EXPECT_EQ(capacity.total.vacant, 43);

  // The day's financing: 190,000,000 ÷ 365 = 520,547.95 → 520,548 øre a place-day.
  const domain::PlanningInputs inputs = default_planning_inputs();
  auto financing = compute_financing(index, inputs, {d("2018-10-15"), d("2018-10-16")});
  ASSERT_TRUE(financing) << financing.error().message;
  const FinancingView& view = financing.value();
  for (const OfferFinancing& offer : view.offers) {
    if (offer.region_code != 1084) continue;
    EXPECT_EQ(offer.vacancy_cost, Ore{10'410'960});  // 20 vacant × 520,548
  }
  // 10,410,960 split by kmf_2019_tkr among Hovedstaden's 29 municipalities (Σ weights 7,003,324):
  // floor(10,410,960 × w ÷ 7,003,324), then the øre left over to the largest remainders.
  const std::map<std::int32_t, std::int64_t> expected{
      {101, 2861121}, {147, 625066}, {151, 326782}, {153, 229225}, {155, 95795},  {157, 446704},
      {159, 395148},  {161, 152821}, {163, 181609}, {165, 167828}, {167, 324083}, {169, 299472},
      {173, 336794},  {175, 248888}, {183, 134544}, {185, 276139}, {187, 93574},  {190, 244775},
      {201, 142941},  {210, 252575}, {217, 401323}, {219, 301021}, {223, 171631}, {230, 361976},
      {240, 234470},  {250, 296299}, {260, 229358}, {270, 287103}, {400, 291895}};
  std::int64_t hovedstaden_total = 0;
  std::size_t seen = 0;
  for (const MunicipalityFinancing& m : view.municipalities) {
    if (state_.municipalities.at(m.municipality_code).region_code != 1084) continue;
    ++seen;
    EXPECT_EQ(m.objective_share.value, expected.at(m.municipality_code)) << m.municipality_code;
    hovedstaden_total += m.objective_share.value;
  }
  EXPECT_EQ(seen, 29u);
  EXPECT_EQ(hovedstaden_total, 10'410'960);  // the parts sum exactly
  // Country-wide: 43 vacant place-days × 520,548 = 22,383,564, all split to the øre.
  EXPECT_EQ(view.totals.vacancy_cost, Ore{22'383'564});
}

}  // namespace
}  // namespace placement::projections::testing

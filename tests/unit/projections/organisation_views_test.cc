// The views on both sides of a merger of regions (domain/organisation.h): every view grouped by
// region uses the structure in force on its date, and a period crossing the merger is split at it.
// The figures are computed by hand in the comments.

#include <map>

#include "services/projections/capacity_view.h"
#include "services/projections/financing.h"
#include "services/projections/occupancy_view.h"
#include "services/projections/settlement.h"
#include "services/projections/touched_offers.h"
#include "services/projections/waiting_view.h"
#include "tests/unit/projections/index_equality.h"
#include "tests/unit/projections/projections_fixture.h"

namespace placement::projections::testing {
namespace {

class OrganisationViews : public ProjectionsTest {
 protected:
  OrganisationViews() {
    must(RegisterMunicipality{253, "Greve", 1085, 1});
    // An OBJEKTIV offer of region 1084 with its catchment, 2 places, 1,000 kr a day (vacancy alike).
    financed_offer("psyk", Financing{FinancingModel::objektiv, 0}, 2, d("2026-12-01"));
    rate("psyk", d("2026-12-01"), 1000 * kKr);
    // A TAKST offer of municipality 253 (region 1085), 3 places, 500 kr a day.
    financed_offer("greve-bo", Financing{FinancingModel::takst, 0}, 3, d("2026-12-01"), 253, Catchment::region(1085),
                   SpecialisationLevel::moderat);
    rate("greve-bo", d("2026-12-01"), 500 * kKr);
    // Greve's citizen in psyk from 2026-12-31.
    stay("p1", "psyk", 253, d("2026-12-31"));
    // The key: 101 : 147 : 253 = 3 : 1 : 4 (751 and 851 outside both catchments).
    inputs_.objective_key_override = std::map<std::int32_t, std::int64_t>{{101, 3}, {147, 1}, {253, 4}};
  }

  void merge() { must(MergeRegions{1086, "Østdanmark", d("2027-01-01"), {1084, 1085}}); }

  static const CapacityRow* row_of(const CapacityView& view, std::int32_t region) {
    for (const CapacityRow& row : view.rows)
      if (row.key.region_code == region) return &row;
    return nullptr;
  }
};

TEST_F(OrganisationViews, CapacityByRegionOnBothSidesOfTheMerger) {
  merge();
  const PlanningIndex idx = index();
  const GroupBy by_region{false, false, true, false, false};
  const CapacityView before = capacity_at(idx, d("2026-12-31"), by_region);
  ASSERT_EQ(before.rows.size(), 2u);
  EXPECT_EQ(row_of(before, 1084)->counts.open, 2);
  EXPECT_EQ(row_of(before, 1084)->counts.occupied, 1);
  EXPECT_EQ(row_of(before, 1085)->counts.open, 3);
  const CapacityView after = capacity_at(idx, d("2027-01-01"), by_region);
  ASSERT_EQ(after.rows.size(), 1u);
  EXPECT_EQ(after.rows[0].key.region_code, 1086);
  EXPECT_EQ(after.rows[0].counts.open, 5);
  EXPECT_EQ(after.rows[0].counts.occupied, 1);
  EXPECT_EQ(after.rows[0].offers, 2);
}

TEST_F(OrganisationViews, OccupancyOverThePeriodIsSplitAtTheMerger) {
  merge();
  // [2026-12-30, 2027-01-02): psyk open 2 × 3 = 6, occupied 12-31 and 01-01; greve-bo open 3 × 3 = 9.
  auto view = occupancy_over(index(), {d("2026-12-30"), d("2027-01-02")}, GroupBy{false, false, true, false, false});
  ASSERT_TRUE(view) << view.error().message;
  const auto& rows = view.value().rows;
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].key.region_code, 1084);  // two days before the merger: open 4, occupied 1
  EXPECT_EQ(rows[0].period, (DateRange{d("2026-12-30"), d("2027-01-01")}));
  EXPECT_EQ(rows[0].place_days.open, 4);
  EXPECT_EQ(rows[0].place_days.occupied, 1);
  EXPECT_EQ(rows[0].occupancy_bp, 2500);
  EXPECT_EQ(rows[1].key.region_code, 1085);
  EXPECT_EQ(rows[1].place_days.open, 6);
  EXPECT_EQ(rows[2].key.region_code, 1086);  // the merger's day: open 2 + 3, occupied 1
  EXPECT_EQ(rows[2].period, (DateRange{d("2027-01-01"), d("2027-01-02")}));
  EXPECT_EQ(rows[2].place_days.open, 5);
  EXPECT_EQ(rows[2].place_days.occupied, 1);
  EXPECT_EQ(rows[2].occupancy_bp, 2000);
  EXPECT_EQ(view.value().total.place_days.open, 15);
  EXPECT_EQ(view.value().total.place_days.occupied, 2);
  // Grouped by level alone nothing splits.
  auto by_level =
      occupancy_over(index(), {d("2026-12-30"), d("2027-01-02")}, GroupBy{false, false, false, false, true});
  ASSERT_TRUE(by_level);
  EXPECT_EQ(by_level.value().rows.size(), 2u);
  EXPECT_EQ(by_level.value().rows[0].period, (DateRange{d("2026-12-30"), d("2027-01-02")}));
}

TEST_F(OrganisationViews, TheVacancyBillsCatchmentGrowsAtTheMerger) {
  merge();
  // psyk over [2026-12-30, 2027-01-02), vacancy rate 1,000 kr = 100,000 øre a place-day:
  //   before the merger: open 4, occupied 1, vacant 3: 300,000 øre split 3 : 1 between 101 and 147
  //     (region 1084's municipalities): 225,000 and 75,000;
  //   from the merger: open 2, occupied 1, vacant 1 × 100,000 øre split 3 : 1 : 4 among 101, 147
  //     and 253 (region 1086): 37,500, 12,500 and 50,000.
  auto view = compute_financing(index(), inputs_, {d("2026-12-30"), d("2027-01-02")});
  ASSERT_TRUE(view) << view.error().message;
  std::map<std::int32_t, Ore> shares;
  for (const MunicipalityFinancing& m : view.value().municipalities) shares[m.municipality_code] = m.objective_share;
  EXPECT_EQ(shares[101], Ore{262'500});
  EXPECT_EQ(shares[147], Ore{87'500});
  EXPECT_EQ(shares[253], Ore{50'000});
  std::vector<const OfferFinancing*> psyk;
  for (const OfferFinancing& offer : view.value().offers)
    if (offer.offer_id == "psyk") psyk.push_back(&offer);
  ASSERT_EQ(psyk.size(), 2u);  // one row per side of the merger
  EXPECT_EQ(psyk[0]->period, (DateRange{d("2026-12-30"), d("2027-01-01")}));
  EXPECT_EQ(psyk[0]->operator_code, 1084);
  EXPECT_EQ(psyk[0]->vacancy_cost, Ore{300'000});
  EXPECT_EQ(psyk[1]->operator_code, 1086);
  EXPECT_EQ(psyk[1]->region_code, 1086);
  EXPECT_EQ(psyk[1]->vacancy_cost, Ore{100'000});
  EXPECT_EQ(view.value().totals.vacancy_cost, Ore{400'000});
  // 253 pays its citizen's two days at 1,000 kr.
  for (const MunicipalityFinancing& m : view.value().municipalities) {
    if (m.municipality_code == 253) {
      EXPECT_EQ(m.usage_payments, Ore{200'000});
    }
  }
}

TEST_F(OrganisationViews, WithoutTheMergerTheCatchmentStaysHovedstaden) {
  // The same bill with no merger: 4 vacant place-days split 3 : 1 (300,000 and 100,000).
  auto view = compute_financing(index(), inputs_, {d("2026-12-30"), d("2027-01-02")});
  ASSERT_TRUE(view) << view.error().message;
  std::map<std::int32_t, Ore> shares;
  for (const MunicipalityFinancing& m : view.value().municipalities) shares[m.municipality_code] = m.objective_share;
  EXPECT_EQ(shares[101], Ore{300'000});
  EXPECT_EQ(shares[147], Ore{100'000});
  EXPECT_EQ(shares[253], Ore{0});
}

TEST_F(OrganisationViews, SettlementFollowsTheOperatorOnTheDays) {
  merge();
  stay("p2", "greve-bo", 101, d("2027-01-01"));
  must(ChangeOfferOperator{"greve-bo", 147, d("2027-01-16")});
  auto january = monthly_settlement(index(), YearMonth{2027, 1}, d("2027-02-01"));
  ASSERT_TRUE(january) << january.error().message;
  std::map<std::pair<std::int32_t, std::int32_t>, Ore> totals;
  for (const SettlementStatement& s : january.value().statements)
    totals[{s.paying_municipality, s.operator_code}] = s.total;
  // p1 in psyk, now Østdanmark's: 31 days × 100,000; p2 in greve-bo: 15 days Greve's, 16 days Frederiksberg's.
  EXPECT_EQ(totals.at({253, 1086}), Ore{3'100'000});
  EXPECT_EQ(totals.at({101, 253}), Ore{750'000});
  EXPECT_EQ(totals.at({101, 147}), Ore{800'000});
  EXPECT_EQ(totals.size(), 3u);
  auto december = monthly_settlement(index(), YearMonth{2026, 12}, d("2027-02-01"));
  ASSERT_TRUE(december);
  ASSERT_EQ(december.value().statements.size(), 1u);
  EXPECT_EQ(december.value().statements[0].operator_code, 1084);  // the one day, 2026-12-31
  EXPECT_EQ(december.value().statements[0].total, Ore{100'000});
}

TEST_F(OrganisationViews, WaitingListsShowTheRegionOnTheirDate) {
  merge();
  stay("p0", "psyk", 101, d("2026-12-31"));  // psyk is full
  RequestPlacement waiting = request_spec("w1", "psyk");
  waiting.level = SpecialisationLevel::hojt;
  waiting.requested_start = d("2026-12-31");
  waiting.join_waiting_list_if_full = true;
  must(waiting);
  const PlanningIndex idx = index();
  const auto before = waiting_lists(idx, d("2026-12-31"));
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0].region_code, 1084);
  EXPECT_EQ(before[0].operator_code, 1084);
  const auto after = waiting_lists(idx, d("2027-01-01"));
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].region_code, 1086);
  EXPECT_EQ(after[0].operator_code, 1086);
}

TEST_F(OrganisationViews, AnIndexBroughtForwardOverTheMergerEqualsAFreshOne) {
  PlanningIndex live = index();
  const State before = state_;
  const std::vector<Event> events = must(MergeRegions{1086, "Østdanmark", d("2027-01-01"), {1084, 1085}});
  TouchedOffers touched;
  for (const Event& event : events) touched.note(before, event);
  touched.settle(state_);
  EXPECT_TRUE(touched.regions_changed());
  live.update(touched);
  expect_same_index(live, PlanningIndex(state_));
}

}  // namespace
}  // namespace placement::projections::testing

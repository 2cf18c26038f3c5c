// DOMAIN.md's real case through the real server: the special psychiatric places on 15 October 2018,
// one OBJEKTIV offer per region (operator and catchment the region), 1.9 million kr a place a year.
// The capacity view grouped by region gives table 1 back; the financing view of that one day gives
// each Hovedstaden municipality's share of its region's vacancy cost, by the default key.

#include <map>

#include "tests/integration/planning/planning_fixture.h"
#include "tests/support/reference_events.h"

namespace placement {
namespace {

using testing::date;
using testing::succeeded;

class RealCaseTest : public testing::PlanningTest {
 protected:
  // One OBJEKTIV offer run by `region` for its own catchment, `open` places from 2018-01-01, rate
  // from a basis of 1.9 million kr a place a year at full occupancy; `in_use` citizens admitted on
  // 2018-10-01, requested and reserved by a caseworker of `paying`, a municipality of the region.
  void special_places(std::uint32_t region, std::int32_t open, std::int32_t in_use, std::uint32_t paying) {
    const std::string id = "saerlige-pladser-" + std::to_string(region);
    testing::OfferSpec spec;
    spec.offer_id = id;
    spec.name = "Særlige pladser";
    spec.level = v1::SPECIALISATION_LEVEL_HOJT;
    spec.groups = {v1::TARGET_GROUP_MENTAL_ILLNESS_WITH_ABUSE_OR_BEHAVIOUR};
    spec.operator_code = region;
    spec.catchment_region_code = region;
    spec.financing = v1::FINANCING_MODEL_OBJEKTIV;
    spec.places = open;
    spec.places_from = date(2018, 1, 1);
    ASSERT_TRUE(succeeded(testing::register_offer(api(), spec)));

    v1::SetRateRequest rate;
    rate.set_command_id(testing::fresh_command_id("rate-" + id));
    rate.set_offer_id(id);
    *rate.mutable_effective_from() = date(2018, 1, 1);
    auto* basis = rate.mutable_basis();
    basis->set_budget_year(2018);
    basis->set_direct_and_indirect_costs_ore(open * 190'000'000LL);  // 1.9 million kr a place
    basis->set_places(open);
    basis->set_assumed_occupancy_bp(10'000);
    v1::CommandResult result;
    ASSERT_TRUE(succeeded(api().offers->SetRate(
        testing::as_operator(testing::operator_of(api(), rate.offer_id())).get(), rate, &result)));

    const testing::Who caseworker = testing::Who::caseworker(paying);
    for (std::int32_t i = 0; i < in_use; ++i) {
      // Valid CPR numbers: born 1 to 28 <month> 1970s, sequence 1xxx (1900s).
      const std::string cpr = two(1 + (cpr_counter_ % 28)) + two(1 + (cpr_counter_ / 28) % 12) + "7" +
                              std::to_string(cpr_counter_ % 10) + "-" + std::to_string(1000 + cpr_counter_);
      ++cpr_counter_;
      const std::string placement = id + "-" + std::to_string(i);
      testing::RequestSpec request(cpr, id);
      request.id(placement)
          .paid_by(paying)
          .level(v1::SPECIALISATION_LEVEL_HOJT)
          .group(v1::TARGET_GROUP_MENTAL_ILLNESS_WITH_ABUSE_OR_BEHAVIOUR)
          .starting(date(2018, 10, 1));
      ASSERT_TRUE(succeeded(testing::request_and_reserve(api(), request))) << placement;
      ASSERT_TRUE(succeeded(testing::admit(api(), caseworker, placement, date(2018, 10, 1)))) << placement;
    }
  }

  static std::string two(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

  int cpr_counter_ = 0;
};

TEST_F(RealCaseTest, CapacityByRegionOn15October2018GivesTable1AndHovedstadenSharesItsVacancyCost) {
  ASSERT_NO_FATAL_FAILURE(special_places(1084, 32, 12, 101));  // Hovedstaden, København
  ASSERT_NO_FATAL_FAILURE(special_places(1085, 7, 7, 253));    // Sjælland, Greve
  ASSERT_NO_FATAL_FAILURE(special_places(1083, 15, 8, 410));   // Syddanmark, Middelfart
  ASSERT_NO_FATAL_FAILURE(special_places(1082, 21, 9, 615));   // Midtjylland, Horsens
  ASSERT_NO_FATAL_FAILURE(special_places(1081, 8, 4, 773));    // Nordjylland, Morsø

  const auto by_region = capacity(date(2018, 10, 15), {v1::GROUP_FIELD_REGION});
  struct Row {
    std::uint32_t region;
    std::int64_t open, in_use, vacant;
  };
  const Row table[] = {{1081, 8, 4, 4}, {1082, 21, 9, 12}, {1083, 15, 8, 7}, {1084, 32, 12, 20}, {1085, 7, 7, 0}};
  ASSERT_EQ(by_region.rows_size(), 5);
  for (int i = 0; i < 5; ++i) {
    const auto& row = by_region.rows(i);
    EXPECT_EQ(row.key().region_code(), table[i].region);
    EXPECT_EQ(row.counts().open(), table[i].open) << table[i].region;
    EXPECT_EQ(row.counts().occupied(), table[i].in_use) << table[i].region;
    EXPECT_EQ(row.counts().reserved(), 0) << table[i].region;
    EXPECT_EQ(row.counts().vacant(), table[i].vacant) << table[i].region;
    EXPECT_EQ(row.key().offer_id(), "") << "not grouped by offer";
  }
  EXPECT_EQ(by_region.total().open(), 83);
  EXPECT_EQ(by_region.total().occupied(), 40);
  EXPECT_EQ(by_region.total().vacant(), 43);

  // The same places on 2027-01-01, after Hovedstaden and Sjælland merged into Østdanmark (1086),
  // whose offers passed to it: four regions, and the total unchanged.
  const auto merged = capacity(date(2027, 1, 1), {v1::GROUP_FIELD_REGION});
  const Row after[] = {{1081, 8, 4, 4}, {1082, 21, 9, 12}, {1083, 15, 8, 7}, {1086, 39, 19, 20}};
  ASSERT_EQ(merged.rows_size(), 4);
  for (int i = 0; i < 4; ++i) {
    const auto& row = merged.rows(i);
    EXPECT_EQ(row.key().region_code(), after[i].region);
    EXPECT_EQ(row.counts().open(), after[i].open) << after[i].region;
    EXPECT_EQ(row.counts().occupied(), after[i].in_use) << after[i].region;
    EXPECT_EQ(row.counts().vacant(), after[i].vacant) << after[i].region;
  }
  EXPECT_EQ(merged.total().open(), 83);

  // The day's financing: 190,000,000 ÷ 365 = 520,547.95 → 520,548 øre a place-day.
  const auto view = financing(date(2018, 10, 15), date(2018, 10, 16));
  std::int64_t hovedstaden_vacancy = 0;
  for (const auto& offer : view.offers()) {
    if (offer.region_code() == 1084) hovedstaden_vacancy = offer.vacancy_cost_ore();
  }
  EXPECT_EQ(hovedstaden_vacancy, 20 * 520'548);
  // 10,410,960 øre split by the default key (kmf_2019_tkr) among Hovedstaden's 29 municipalities,
  // Σ weights 7,003,324: floor(10,410,960 × w ÷ 7,003,324), the øre left over to the largest
  // remainders (the hand computation of tests/unit/projections/real_case_test.cc).
  const std::map<std::uint32_t, std::int64_t> expected{
      {101, 2861121}, {147, 625066}, {151, 326782}, {153, 229225}, {155, 95795},  {157, 446704},
      {159, 395148},  {161, 152821}, {163, 181609}, {165, 167828}, {167, 324083}, {169, 299472},
      {173, 336794},  {175, 248888}, {183, 134544}, {185, 276139}, {187, 93574},  {190, 244775},
      {201, 142941},  {210, 252575}, {217, 401323}, {219, 301021}, {223, 171631}, {230, 361976},
      {240, 234470},  {250, 296299}, {260, 229358}, {270, 287103}, {400, 291895}};
  std::int64_t shares = 0;
  std::size_t seen = 0;
  for (const auto& m : view.municipalities()) {
    auto it = expected.find(m.municipality_code());
    if (it == expected.end()) continue;
    ++seen;
    EXPECT_EQ(m.objective_share_ore(), it->second) << m.municipality_code();
    shares += m.objective_share_ore();
  }
  EXPECT_EQ(seen, 29u);
  EXPECT_EQ(shares, 10'410'960) << "the shares add up exactly";
  EXPECT_EQ(view.totals().vacancy_cost_ore(), 43 * 520'548);

  // Planners see no citizen: København's row is money and place-days only; the log has the
  // reference events, 5 × 3 offer events, and the placements' events.
  EXPECT_GT(view.position(), testing::kReferenceEvents);
}

TEST_F(RealCaseTest, CaseworkersReadCapacityButNotFinancing) {
  v1::CapacityViewRequest capacity_request;
  *capacity_request.mutable_date() = date(2018, 10, 15);
  v1::CapacityViewResponse capacity_response;
  EXPECT_TRUE(
      succeeded(planning().GetCapacity(testing::as_caseworker(101).get(), capacity_request, &capacity_response)));

  v1::FinancingRequest financing_request;
  *financing_request.mutable_from() = date(2018, 10, 15);
  *financing_request.mutable_to() = date(2018, 10, 16);
  v1::FinancingResponse financing_response;
  EXPECT_EQ(
      planning().GetFinancing(testing::as_caseworker(101).get(), financing_request, &financing_response).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(succeeded(planning().GetFinancing(testing::as_auditor().get(), financing_request, &financing_response)));

  v1::SetBlockGrantRequest grant;
  grant.set_command_id("grant-by-planner");
  grant.set_region_code(1084);
  grant.set_year(2018);
  grant.set_amount_ore(1);
  v1::CommandResult result;
  EXPECT_EQ(planning().SetBlockGrant(testing::as_planner().get(), grant, &result).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace placement

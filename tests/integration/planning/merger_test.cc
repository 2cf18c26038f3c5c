// The merger of Region Hovedstaden (1084) and Region Sjælland (1085) into Region Østdanmark (1086)
// on 2027-01-01 through the real placementd: the merger comes with the server's reference data,
// and capacity, occupancy, financing and settlement are read on both sides of 2026-12-31 /
// 2027-01-01. The figures are the hand computations of
// tests/unit/projections/organisation_views_test.cc, here over gRPC.

#include <functional>
#include <map>

#include "placement/v1/organisation_service.grpc.pb.h"
#include "tests/integration/planning/planning_fixture.h"
#include "tests/support/reference_events.h"

namespace placement {
namespace {

using testing::date;
using testing::succeeded;

class MergerTest : public testing::PlanningTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(PlanningTest::SetUp());
    organisation_ = v1::OrganisationService::NewStub(server_channel());
  }

  std::shared_ptr<grpc::Channel> server_channel() { return server_.channel(); }

  v1::GetOrganisationResponse organisation_on(const v1::CalendarDate& on) {
    v1::GetOrganisationRequest request;
    *request.mutable_date() = on;
    v1::GetOrganisationResponse response;
    EXPECT_TRUE(succeeded(organisation_->GetOrganisation(testing::as_planner().get(), request, &response)));
    return response;
  }

  void offer(const std::string& id, std::uint32_t operator_code, std::uint32_t catchment, v1::FinancingModel model,
             std::int32_t places, std::int64_t daily_ore) {
    testing::OfferSpec spec;
    spec.offer_id = id;
    spec.level = v1::SPECIALISATION_LEVEL_HOJT;
    spec.groups = {v1::TARGET_GROUP_MENTAL_ILLNESS_WITH_ABUSE_OR_BEHAVIOUR};
    spec.operator_code = operator_code;
    spec.catchment_region_code = catchment;
    spec.financing = model;
    spec.places = places;
    spec.places_from = date(2026, 12, 1);
    ASSERT_TRUE(succeeded(testing::register_offer(api(), spec))) << id;
    v1::SetRateRequest rate;
    rate.set_command_id(testing::fresh_command_id("rate-" + id));
    rate.set_offer_id(id);
    *rate.mutable_effective_from() = date(2026, 12, 1);
    rate.set_daily_rate_ore(daily_ore);
    v1::CommandResult result;
    ASSERT_TRUE(succeeded(api().offers->SetRate(testing::as_operator(operator_code).get(), rate, &result))) << id;
  }

  void admitted(const std::string& placement, const std::string& offer_id, std::uint32_t paying,
                const std::string& cpr) {
    testing::RequestSpec request(cpr, offer_id);
    request.id(placement)
        .paid_by(paying)
        .level(v1::SPECIALISATION_LEVEL_HOJT)
        .group(v1::TARGET_GROUP_MENTAL_ILLNESS_WITH_ABUSE_OR_BEHAVIOUR)
        .starting(date(2026, 12, 31));
    ASSERT_TRUE(succeeded(testing::request_and_reserve(api(), request))) << placement;
    ASSERT_TRUE(succeeded(testing::admit(api(), testing::Who::caseworker(paying), placement, date(2026, 12, 31))))
        << placement;
  }

  // psyk: OBJEKTIV, 2 places, 1,000 kr a day, operated by region 1084 (from 2026-01-01: registered
  // by København, then handed to the region) for its catchment; greve-bo: TAKST, 3 places, 500 kr
  // a day, operated by Greve (253, region 1085). Greve's citizen in psyk and København's in
  // greve-bo from 2026-12-31. The objective key: 101 : 147 : 253 = 3 : 1 : 4.
  void scenario() {
    ASSERT_NO_FATAL_FAILURE(offer("psyk", 101, 1084, v1::FINANCING_MODEL_OBJEKTIV, 2, 100'000));
    v1::ChangeOfferOperatorRequest handed;
    handed.set_command_id(testing::fresh_command_id("operator-psyk"));
    handed.set_offer_id("psyk");
    handed.set_operator_code(1084);
    *handed.mutable_from() = date(2026, 1, 1);
    v1::CommandResult result;
    ASSERT_TRUE(succeeded(organisation_->ChangeOfferOperator(testing::as_admin().get(), handed, &result)));
    // Handed to 1084 from 2026-01-01 and, as 1084 ceases at the merger, on to 1086 from 2027-01-01.
    EXPECT_EQ(result.last_position() - result.first_position(), 1u);

    ASSERT_NO_FATAL_FAILURE(offer("greve-bo", 253, 1085, v1::FINANCING_MODEL_TAKST, 3, 50'000));
    ASSERT_NO_FATAL_FAILURE(admitted("g-1", "psyk", 253, "010170-1001"));
    ASSERT_NO_FATAL_FAILURE(admitted("k-1", "greve-bo", 101, "020270-1002"));
    v1::SetObjectiveKeyRequest key;
    key.set_command_id(testing::fresh_command_id("key"));
    for (auto [code, weight] : {std::pair{101u, 3}, {147u, 1}, {253u, 4}}) {
      auto* added = key.add_weights();
      added->set_municipality_code(code);
      added->set_weight(weight);
    }
    ASSERT_TRUE(succeeded(planning().SetObjectiveKey(testing::as_admin().get(), key, &result)));
  }

  v1::SettlementResponse settlement(int year, int month) {
    v1::SettlementRequest request;
    request.mutable_month()->set_year(year);
    request.mutable_month()->set_month(month);
    *request.mutable_as_of() = date(2027, 2, 15);
    v1::SettlementResponse response;
    EXPECT_TRUE(succeeded(planning().GetSettlement(testing::as_auditor().get(), request, &response)));
    return response;
  }

  std::unique_ptr<v1::OrganisationService::Stub> organisation_;
};

TEST_F(MergerTest, TheServerShipsTheMergerFiveRegionsBeforeFourFrom2027) {
  const auto before = organisation_on(date(2026, 12, 31));
  ASSERT_EQ(before.regions_size(), 5);
  EXPECT_EQ(before.regions(3).region_code(), 1084u);
  EXPECT_EQ(before.regions(3).name(), "Hovedstaden");
  EXPECT_EQ(before.regions(3).municipality_codes_size(), 29);
  EXPECT_EQ(before.regions(3).successor_region_code(), 1086u);
  EXPECT_EQ(before.regions(4).municipality_codes_size(), 17);
  ASSERT_EQ(before.other_regions_size(), 1);
  EXPECT_EQ(before.other_regions(0).name(), "Østdanmark");

  const auto after = organisation_on(date(2027, 1, 1));
  ASSERT_EQ(after.regions_size(), 4);
  EXPECT_EQ(after.regions(3).region_code(), 1086u);
  EXPECT_EQ(after.regions(3).municipality_codes_size(), 46);
  EXPECT_EQ(after.other_regions_size(), 2);  // 1084 and 1085, with their names
  for (const auto& municipality : after.municipalities()) {
    if (municipality.municipality_code() == 253) {
      EXPECT_EQ(municipality.region_code(), 1086u);  // Greve
    }
    if (municipality.municipality_code() == 751) {
      EXPECT_EQ(municipality.region_code(), 1082u);  // Aarhus
    }
  }

  // It was written once, as the first start's last events, and a restart writes nothing.
  const std::uint64_t head = testing::head(api());
  EXPECT_EQ(head, testing::kReferenceEvents);
  ASSERT_NO_FATAL_FAILURE(restart());
  organisation_ = v1::OrganisationService::NewStub(server_channel());
  EXPECT_EQ(testing::head(api()), head);
}

TEST_F(MergerTest, CapacityOccupancyFinancingAndSettlementAcrossTheMerger) {
  ASSERT_NO_FATAL_FAILURE(scenario());

  // Capacity: on 2026-12-31 psyk counts under 1084 and greve-bo under 1085; from 2027-01-01 both 1086.
  const auto before = capacity(date(2026, 12, 31), {v1::GROUP_FIELD_REGION});
  ASSERT_EQ(before.rows_size(), 2);
  EXPECT_EQ(before.rows(0).key().region_code(), 1084u);
  EXPECT_EQ(before.rows(0).counts().open(), 2);
  EXPECT_EQ(before.rows(0).counts().occupied(), 1);
  EXPECT_EQ(before.rows(1).key().region_code(), 1085u);
  EXPECT_EQ(before.rows(1).counts().open(), 3);
  const auto after = capacity(date(2027, 1, 1), {v1::GROUP_FIELD_REGION});
  ASSERT_EQ(after.rows_size(), 1);
  EXPECT_EQ(after.rows(0).key().region_code(), 1086u);
  EXPECT_EQ(after.rows(0).counts().open(), 5);
  EXPECT_EQ(after.rows(0).counts().occupied(), 2);
  const auto by_operator = capacity(date(2027, 1, 1), {v1::GROUP_FIELD_OPERATOR});
  ASSERT_EQ(by_operator.rows_size(), 2);
  EXPECT_EQ(by_operator.rows(0).key().operator_code(), 253u);   // Greve keeps its offer
  EXPECT_EQ(by_operator.rows(1).key().operator_code(), 1086u);  // the region's passed on

  // Occupancy over [2026-12-30, 2027-01-02) by region: split at the merger.
  v1::OccupancyViewRequest occupancy_request;
  *occupancy_request.mutable_from() = date(2026, 12, 30);
  *occupancy_request.mutable_to() = date(2027, 1, 2);
  occupancy_request.add_group_by(v1::GROUP_FIELD_REGION);
  v1::OccupancyViewResponse occupancy;
  ASSERT_TRUE(succeeded(planning().GetOccupancy(testing::as_planner().get(), occupancy_request, &occupancy)));
  ASSERT_EQ(occupancy.rows_size(), 3);
  EXPECT_EQ(occupancy.rows(0).key().region_code(), 1084u);
  EXPECT_EQ(occupancy.rows(0).to().day(), 1);  // up to 2027-01-01
  EXPECT_EQ(occupancy.rows(0).open_place_days(), 4);
  EXPECT_EQ(occupancy.rows(0).occupied_place_days(), 1);
  EXPECT_EQ(occupancy.rows(1).key().region_code(), 1085u);
  EXPECT_EQ(occupancy.rows(1).open_place_days(), 6);
  EXPECT_EQ(occupancy.rows(1).occupied_place_days(), 1);
  EXPECT_EQ(occupancy.rows(2).key().region_code(), 1086u);
  EXPECT_EQ(occupancy.rows(2).from().year(), 2027);
  EXPECT_EQ(occupancy.rows(2).open_place_days(), 5);
  EXPECT_EQ(occupancy.rows(2).occupied_place_days(), 2);
  EXPECT_EQ(occupancy.rows(2).occupancy_bp(), 4000);
  EXPECT_EQ(occupancy.total().open_place_days(), 15);
  EXPECT_EQ(occupancy.total().occupied_place_days(), 4);

  // Financing over the same days: psyk's vacancy bill is split among 1084's municipalities before
  // the merger (3 vacant place-days, 300,000 øre, 3 : 1) and Østdanmark's from it (1 vacant
  // place-day, 100,000 øre, 3 : 1 : 4): 101 pays 225,000 + 37,500, 147 75,000 + 12,500, Greve 50,000.
  const auto view = financing(date(2026, 12, 30), date(2027, 1, 2));
  std::map<std::uint32_t, std::int64_t> shares;
  for (const auto& m : view.municipalities()) shares[m.municipality_code()] = m.objective_share_ore();
  EXPECT_EQ(shares[101], 262'500);
  EXPECT_EQ(shares[147], 87'500);
  EXPECT_EQ(shares[253], 50'000);
  EXPECT_EQ(view.totals().vacancy_cost_ore(), 400'000);
  int psyk_rows = 0;
  for (const auto& o : view.offers()) {
    if (o.offer_id() != "psyk") continue;
    ++psyk_rows;
    EXPECT_EQ(o.region_code(), o.from().year() == 2027 ? 1086u : 1084u);
    EXPECT_EQ(o.vacancy_cost_ore(), o.from().year() == 2027 ? 100'000 : 300'000);
  }
  EXPECT_EQ(psyk_rows, 2);

  // Settlement: December's day is billed by 1084, January by 1086; Greve bills København both months.
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::int64_t> december, january;
  const auto december_statements = settlement(2026, 12);
  const auto january_statements = settlement(2027, 1);
  for (const auto& s : december_statements.statements())
    december[{s.paying_municipality_code(), s.operator_code()}] = s.total_ore();
  for (const auto& s : january_statements.statements())
    january[{s.paying_municipality_code(), s.operator_code()}] = s.total_ore();
  EXPECT_EQ(december, (std::map<std::pair<std::uint32_t, std::uint32_t>, std::int64_t>{{{253, 1084}, 100'000},
                                                                                       {{101, 253}, 50'000}}));
  EXPECT_EQ(january, (std::map<std::pair<std::uint32_t, std::uint32_t>, std::int64_t>{{{253, 1086}, 3'100'000},
                                                                                      {{101, 253}, 1'550'000}}));
}

TEST_F(MergerTest, ChangesAreRefusedWithAReasonAndWriteNothing) {
  const std::uint64_t head = testing::head(api());
  struct Case {
    std::function<grpc::Status(v1::CommandResult*)> call;
    grpc::StatusCode code;
  };
  const auto establish = [this](std::uint32_t code, const char* name, v1::CalendarDate from) {
    return [=, this](v1::CommandResult* result) {
      v1::EstablishRegionRequest request;
      request.set_command_id(testing::fresh_command_id("establish"));
      request.set_region_code(code);
      request.set_name(name);
      *request.mutable_from() = from;
      return organisation_->EstablishRegion(testing::as_admin().get(), request, result);
    };
  };
  const auto cease = [this](std::uint32_t code, v1::CalendarDate from, std::uint32_t successor) {
    return [=, this](v1::CommandResult* result) {
      v1::CeaseRegionRequest request;
      request.set_command_id(testing::fresh_command_id("cease"));
      request.set_region_code(code);
      *request.mutable_from() = from;
      request.set_successor_region_code(successor);
      return organisation_->CeaseRegion(testing::as_admin().get(), request, result);
    };
  };
  const auto move = [this](std::uint32_t municipality, std::uint32_t region, v1::CalendarDate from) {
    return [=, this](v1::CommandResult* result) {
      v1::ChangeMunicipalityRegionRequest request;
      request.set_command_id(testing::fresh_command_id("move"));
      request.set_municipality_code(municipality);
      request.set_region_code(region);
      *request.mutable_from() = from;
      return organisation_->ChangeMunicipalityRegion(testing::as_admin().get(), request, result);
    };
  };
  const std::vector<Case> cases = {
      {establish(1086, "Østdanmark", date(2027, 1, 1)), grpc::StatusCode::ALREADY_EXISTS},
      {establish(1200, "Nowhere", date(2027, 1, 1)), grpc::StatusCode::INVALID_ARGUMENT},
      {establish(1087, "", date(2027, 1, 1)), grpc::StatusCode::INVALID_ARGUMENT},
      {cease(1081, date(2027, 1, 1), 0), grpc::StatusCode::FAILED_PRECONDITION},     // its municipalities
      {cease(1084, date(2028, 1, 1), 1086), grpc::StatusCode::FAILED_PRECONDITION},  // ceases already
      {cease(1086, date(2026, 1, 1), 0), grpc::StatusCode::INVALID_ARGUMENT},        // dates out of order
      {move(999, 1082, date(2027, 1, 1)), grpc::StatusCode::NOT_FOUND},
      {move(751, 1099, date(2027, 1, 1)), grpc::StatusCode::INVALID_ARGUMENT},
      {move(751, 1084, date(2027, 2, 1)), grpc::StatusCode::FAILED_PRECONDITION},  // 1084 has ceased then
      {move(751, 1086, date(2026, 6, 1)), grpc::StatusCode::FAILED_PRECONDITION},  // 1086 does not exist yet
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    v1::CommandResult result;
    const grpc::Status status = cases[i].call(&result);
    EXPECT_EQ(status.error_code(), cases[i].code) << "case " << i << ": " << status.error_message();
    EXPECT_FALSE(status.error_message().empty()) << "case " << i;
  }
  EXPECT_EQ(testing::head(api()), head) << "a refused change writes nothing";

  // A planner may read the organisation but not change it.
  v1::EstablishRegionRequest request;
  request.set_command_id(testing::fresh_command_id("establish"));
  request.set_region_code(1087);
  request.set_name("Vestdanmark");
  *request.mutable_from() = date(2030, 1, 1);
  v1::CommandResult result;
  EXPECT_EQ(organisation_->EstablishRegion(testing::as_planner().get(), request, &result).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(testing::head(api()), head);
}

}  // namespace
}  // namespace placement

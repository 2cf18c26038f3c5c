// OfferService through the real placementd: registering offers, capacity and rates over time,
// closing, listing, and refusals that write nothing.

#include <gtest/gtest.h>

#include "tests/support/list_all.h"
#include "tests/support/reference_events.h"
#include "tests/support/scenario.h"
#include "tests/support/temp_dir.h"

namespace placement {
namespace {

using testing::Clients;
using testing::date;
using testing::OfferSpec;
using testing::succeeded;

class OfferServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.start()) << server_.error();
    api_ = std::make_unique<Clients>(server_);
  }

  Clients& api() { return *api_; }

  grpc::Status set_rate(const v1::SetRateRequest& request) {
    v1::CommandResult result;
    return api().offers->SetRate(testing::as_operator().get(), request, &result);
  }

  std::vector<std::string> list_ids(const v1::ListOffersRequest& request) {
    v1::ListOffersResponse response;
    EXPECT_TRUE(succeeded(testing::list_all_offers(
        *api().offers, [] { return testing::as_caseworker(101); }, request, &response)));
    std::vector<std::string> ids;
    for (const auto& offer : response.offers()) ids.push_back(offer.offer_id());
    return ids;
  }

  testing::TempDir dir_;
  testing::ServerProcess server_{dir_.path() / "data"};
  std::unique_ptr<Clients> api_;
};

TEST_F(OfferServiceTest, RegisteredOfferIsReadBackWithEverythingItWasGiven) {
  OfferSpec spec;
  spec.offer_id = "bo-nord";
  spec.name = "Bofællesskab Nord";
  spec.level = v1::SPECIALISATION_LEVEL_HOJT;
  spec.groups = {v1::TARGET_GROUP_MENTAL_ILLNESS_WITH_ABUSE_OR_BEHAVIOUR, v1::TARGET_GROUP_MULTIPLE_DISABILITIES};
  spec.operator_code = 851;  // Aalborg municipality, in Region Nordjylland
  spec.catchment_region_code = 0;
  spec.financing = v1::FINANCING_MODEL_BASIS;
  v1::CommandResult result;
  ASSERT_TRUE(succeeded(api().offers->RegisterOffer(testing::as_operator(spec.operator_code).get(),
                                                    testing::register_offer_request(spec), &result)));
  EXPECT_EQ(result.first_position(), testing::kReferenceEvents + 1) << "the first event after the reference events";
  EXPECT_EQ(result.last_position(), testing::kReferenceEvents + 1);
  EXPECT_FALSE(result.duplicate());

  const v1::Offer offer = testing::get_offer(api(), "bo-nord");
  EXPECT_EQ(offer.name(), "Bofællesskab Nord");
  EXPECT_EQ(offer.operator_code(), 851u);
  EXPECT_EQ(offer.region_code(), 1081u);
  EXPECT_EQ(offer.level(), v1::SPECIALISATION_LEVEL_HOJT);
  ASSERT_EQ(offer.target_groups_size(), 2);
  EXPECT_EQ(offer.target_groups(0), v1::TARGET_GROUP_MULTIPLE_DISABILITIES) << "groups are kept sorted";
  EXPECT_EQ(offer.target_groups(1), v1::TARGET_GROUP_MENTAL_ILLNESS_WITH_ABUSE_OR_BEHAVIOUR);
  EXPECT_EQ(offer.service_type(), v1::SERVICE_TYPE_DOGN);
  EXPECT_EQ(offer.paragraph_of_law(), "SEL § 108");
  EXPECT_EQ(offer.catchment_region_code(), 0u);
  EXPECT_EQ(offer.financing().model(), v1::FINANCING_MODEL_BASIS);
  EXPECT_EQ(offer.capacity_size(), 0);
  EXPECT_EQ(offer.rates_size(), 0);
  EXPECT_FALSE(offer.has_closed_from());

  const auto events = testing::read_events(api(), {"OfferRegistered"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].envelope().stream_id(), "offer-bo-nord");
  EXPECT_EQ(events[0].envelope().actor().role(), v1::ROLE_OPERATOR);
  EXPECT_EQ(events[0].envelope().actor().subject(), "operator-851");
  EXPECT_EQ(events[0].envelope().actor().operator_code(), 851u);
}

TEST_F(OfferServiceTest, CapacityChangesTakeEffectFromTheirDate) {
  ASSERT_TRUE(succeeded(testing::register_offer(api(), "cap", v1::SPECIALISATION_LEVEL_LET,
                                                {v1::TARGET_GROUP_COMMUNICATION_DISABILITIES}, 4)));
  ASSERT_TRUE(succeeded(testing::change_capacity(api(), "cap", date(2031, 6, 1), 6)));
  ASSERT_TRUE(succeeded(testing::change_capacity(api(), "cap", date(2031, 9, 1), 2)));

  EXPECT_EQ(testing::capacity(api(), "cap", date(2030, 12, 31)).open(), 0);
  EXPECT_EQ(testing::capacity(api(), "cap", date(2031, 1, 1)).open(), 4);
  EXPECT_EQ(testing::capacity(api(), "cap", date(2031, 5, 31)).open(), 4);
  EXPECT_EQ(testing::capacity(api(), "cap", date(2031, 6, 1)).open(), 6);
  EXPECT_EQ(testing::capacity(api(), "cap", date(2031, 8, 31)).open(), 6);
  const v1::PlaceCounts after = testing::capacity(api(), "cap", date(2031, 9, 1));
  EXPECT_EQ(after.open(), 2);
  EXPECT_EQ(after.vacant(), 2);
  EXPECT_EQ(after.occupied(), 0);
  EXPECT_EQ(after.reserved(), 0);
  EXPECT_EQ(after.waiting(), 0);

  const v1::Offer offer = testing::get_offer(api(), "cap");
  ASSERT_EQ(offer.capacity_size(), 3);
  EXPECT_EQ(offer.capacity(0).effective_from().month(), 1);
  EXPECT_EQ(offer.capacity(0).places(), 4);
  EXPECT_EQ(offer.capacity(1).places(), 6);
  EXPECT_EQ(offer.capacity(2).effective_from().month(), 9);
  EXPECT_EQ(offer.capacity(2).places(), 2);

  v1::GetCapacityRequest unknown;
  unknown.set_offer_id("no-such-offer");
  *unknown.mutable_date() = date(2031, 1, 1);
  v1::PlaceCounts counts;
  EXPECT_EQ(api().offers->GetCapacity(testing::as_admin().get(), unknown, &counts).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(OfferServiceTest, RateIsSetDirectlyOrComputedFromItsBasisWhichStaysVisible) {
  ASSERT_TRUE(succeeded(testing::register_offer(api(), "sp", v1::SPECIALISATION_LEVEL_HOJT,
                                                {v1::TARGET_GROUP_MENTAL_ILLNESS_WITH_ABUSE_OR_BEHAVIOUR}, 1)));
  // The special psychiatric places of 2018: 1.9 million kr a year for one place, at 100 % occupancy.
  v1::SetRateRequest computed;
  computed.set_command_id(testing::fresh_command_id("rate"));
  computed.set_offer_id("sp");
  *computed.mutable_effective_from() = date(2018, 1, 1);
  auto* basis = computed.mutable_basis();
  basis->set_budget_year(2018);
  basis->set_direct_and_indirect_costs_ore(190'000'000);
  basis->set_overhead_bp(0);
  basis->set_depreciation_and_interest_ore(0);
  basis->set_places(1);
  basis->set_assumed_occupancy_bp(10'000);
  ASSERT_TRUE(succeeded(set_rate(computed)));

  // 2020 has 366 days: (1,000,000 kr × 1.06 + 50,000 kr) / (4 × 366 × 95 %) = 79810.18… → 79810 øre.
  v1::SetRateRequest with_overhead = computed;
  with_overhead.set_command_id(testing::fresh_command_id("rate"));
  *with_overhead.mutable_effective_from() = date(2020, 1, 1);
  basis = with_overhead.mutable_basis();
  basis->set_budget_year(2020);
  basis->set_direct_and_indirect_costs_ore(100'000'000);
  basis->set_overhead_bp(600);
  basis->set_depreciation_and_interest_ore(5'000'000);
  basis->set_places(4);
  basis->set_assumed_occupancy_bp(9'500);
  ASSERT_TRUE(succeeded(set_rate(with_overhead)));

  v1::SetRateRequest direct;
  direct.set_command_id(testing::fresh_command_id("rate"));
  direct.set_offer_id("sp");
  *direct.mutable_effective_from() = date(2021, 1, 1);
  direct.set_daily_rate_ore(612'345);
  ASSERT_TRUE(succeeded(set_rate(direct)));

  const v1::Offer offer = testing::get_offer(api(), "sp");
  ASSERT_EQ(offer.rates_size(), 3);
  EXPECT_EQ(offer.rates(0).effective_from().year(), 2018);
  EXPECT_EQ(offer.rates(0).rate().daily_rate_ore(), 520'548) << "190,000,000 øre / 365 = 520547.9… rounds up";
  ASSERT_TRUE(offer.rates(0).rate().has_basis());
  EXPECT_EQ(offer.rates(0).rate().basis().budget_year(), 2018);
  EXPECT_EQ(offer.rates(0).rate().basis().direct_and_indirect_costs_ore(), 190'000'000);
  EXPECT_EQ(offer.rates(0).rate().basis().places(), 1);
  EXPECT_EQ(offer.rates(0).rate().basis().assumed_occupancy_bp(), 10'000);

  EXPECT_EQ(offer.rates(1).rate().daily_rate_ore(), 79'810);
  ASSERT_TRUE(offer.rates(1).rate().has_basis());
  EXPECT_EQ(offer.rates(1).rate().basis().overhead_bp(), 600);
  EXPECT_EQ(offer.rates(1).rate().basis().depreciation_and_interest_ore(), 5'000'000);
  EXPECT_EQ(offer.rates(1).rate().basis().assumed_occupancy_bp(), 9'500);

  EXPECT_EQ(offer.rates(2).effective_from().year(), 2021);
  EXPECT_EQ(offer.rates(2).rate().daily_rate_ore(), 612'345);
  EXPECT_FALSE(offer.rates(2).rate().has_basis()) << "a rate given directly has no basis";

  // An assumed occupancy under 90 % is not a published rate.
  const auto before = testing::head(api());
  v1::SetRateRequest too_low = computed;
  too_low.set_command_id(testing::fresh_command_id("rate"));
  too_low.mutable_basis()->set_assumed_occupancy_bp(8'999);
  EXPECT_EQ(set_rate(too_low).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(testing::head(api()), before);
}

TEST_F(OfferServiceTest, ClosedOfferHasNoPlacesFromItsDateAndLeavesTheDefaultList) {
  ASSERT_TRUE(succeeded(testing::register_offer(api(), "closing", v1::SPECIALISATION_LEVEL_LET,
                                                {v1::TARGET_GROUP_MULTIPLE_DISABILITIES}, 3)));
  v1::CloseOfferRequest close;
  close.set_command_id(testing::fresh_command_id("close"));
  close.set_offer_id("closing");
  *close.mutable_from() = date(2031, 12, 1);
  v1::CommandResult result;
  ASSERT_TRUE(succeeded(api().offers->CloseOffer(testing::as_operator().get(), close, &result)));

  EXPECT_EQ(testing::capacity(api(), "closing", date(2031, 11, 30)).open(), 3);
  EXPECT_EQ(testing::capacity(api(), "closing", date(2031, 12, 1)).open(), 0);
  const v1::Offer offer = testing::get_offer(api(), "closing");
  EXPECT_EQ(offer.closed_from().year(), 2031);
  EXPECT_EQ(offer.closed_from().month(), 12);
  EXPECT_EQ(offer.closed_from().day(), 1);

  v1::ListOffersRequest open_only;
  EXPECT_TRUE(list_ids(open_only).empty());
  v1::ListOffersRequest with_closed;
  with_closed.set_include_closed(true);
  EXPECT_EQ(list_ids(with_closed), std::vector<std::string>{"closing"});

  // Closing twice is refused and writes nothing.
  const auto before = testing::head(api());
  close.set_command_id(testing::fresh_command_id("close"));
  EXPECT_EQ(api().offers->CloseOffer(testing::as_operator().get(), close, &result).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(testing::head(api()), before);
}

TEST_F(OfferServiceTest, ListOffersFiltersByLevelTargetGroupAndRegion) {
  // Operators: Region Hovedstaden (1084), København municipality (101, in 1084), Region Nordjylland (1081).
  ASSERT_TRUE(succeeded(testing::register_offer(api(), "a-let-1084", v1::SPECIALISATION_LEVEL_LET,
                                                {v1::TARGET_GROUP_MULTIPLE_DISABILITIES}, 1, 1084)));
  ASSERT_TRUE(succeeded(testing::register_offer(
      api(), "b-hojt-101", v1::SPECIALISATION_LEVEL_HOJT,
      {v1::TARGET_GROUP_MULTIPLE_DISABILITIES, v1::TARGET_GROUP_CHILDREN_WITH_COMPLEX_DIFFICULTIES}, 1, 101)));
  ASSERT_TRUE(succeeded(testing::register_offer(api(), "c-hojt-1081", v1::SPECIALISATION_LEVEL_HOJT,
                                                {v1::TARGET_GROUP_CHILDREN_WITH_COMPLEX_DIFFICULTIES}, 1, 1081)));

  EXPECT_EQ(list_ids(v1::ListOffersRequest()), (std::vector<std::string>{"a-let-1084", "b-hojt-101", "c-hojt-1081"}));
  v1::ListOffersRequest by_level;
  by_level.set_level(v1::SPECIALISATION_LEVEL_HOJT);
  EXPECT_EQ(list_ids(by_level), (std::vector<std::string>{"b-hojt-101", "c-hojt-1081"}));
  v1::ListOffersRequest by_group;
  by_group.set_target_group(v1::TARGET_GROUP_MULTIPLE_DISABILITIES);
  EXPECT_EQ(list_ids(by_group), (std::vector<std::string>{"a-let-1084", "b-hojt-101"}));
  v1::ListOffersRequest by_region;
  by_region.set_region_code(1084);
  EXPECT_EQ(list_ids(by_region), (std::vector<std::string>{"a-let-1084", "b-hojt-101"}))
      << "a municipality's offer belongs to the municipality's region";
  v1::ListOffersRequest combined;
  combined.set_level(v1::SPECIALISATION_LEVEL_HOJT);
  combined.set_target_group(v1::TARGET_GROUP_CHILDREN_WITH_COMPLEX_DIFFICULTIES);
  combined.set_region_code(1081);
  EXPECT_EQ(list_ids(combined), std::vector<std::string>{"c-hojt-1081"});
  v1::ListOffersRequest none;
  none.set_region_code(1083);
  EXPECT_TRUE(list_ids(none).empty());
}

TEST_F(OfferServiceTest, InvalidRegistrationsAreRefusedAndWriteNothing) {
  ASSERT_TRUE(succeeded(testing::register_offer(api(), "taken", v1::SPECIALISATION_LEVEL_LET,
                                                {v1::TARGET_GROUP_MULTIPLE_DISABILITIES}, 0)));
  const auto before = testing::head(api());
  auto attempt = [&](OfferSpec spec, bool drop_groups = false) {
    auto request = testing::register_offer_request(spec);
    if (drop_groups) request.clear_target_groups();
    v1::CommandResult result;
    // As the operator the request names, when that is a code a token can carry.
    const std::uint32_t code = request.operator_code();
    const bool valid = (code >= 1 && code <= 999) || (code >= 1081 && code <= 1085);
    return api().offers->RegisterOffer(testing::as_operator(valid ? code : 1084).get(), request, &result);
  };
  OfferSpec good;
  good.offer_id = "new-offer";

  // 999 is an operator code a token may carry, but no municipality has it.
  OfferSpec unknown_operator = good;
  unknown_operator.operator_code = 999;
  auto status = attempt(unknown_operator);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_NE(status.error_message().find("999"), std::string::npos) << status.error_message();
  // A code no token can carry is another operator's offer to every operator.
  unknown_operator.operator_code = 4242;
  EXPECT_EQ(attempt(unknown_operator).error_code(), grpc::StatusCode::PERMISSION_DENIED);

  OfferSpec no_level = good;
  no_level.level = v1::SPECIALISATION_LEVEL_UNSPECIFIED;
  EXPECT_EQ(attempt(no_level).error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  EXPECT_EQ(attempt(good, /*drop_groups=*/true).error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  OfferSpec unspecified_group = good;
  unspecified_group.groups = {v1::TARGET_GROUP_UNSPECIFIED};
  EXPECT_EQ(attempt(unspecified_group).error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  OfferSpec unknown_catchment = good;
  unknown_catchment.catchment_region_code = 1099;  // a region code, of no registered region
  EXPECT_EQ(attempt(unknown_catchment).error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  OfferSpec duplicate = good;
  duplicate.offer_id = "taken";
  EXPECT_EQ(attempt(duplicate).error_code(), grpc::StatusCode::ALREADY_EXISTS);

  EXPECT_EQ(testing::change_capacity(api(), "taken", date(2031, 1, 1), -1).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(testing::change_capacity(api(), "no-such-offer", date(2031, 1, 1), 1).error_code(),
            grpc::StatusCode::NOT_FOUND);

  // Only an operator admin administers offers.
  v1::CommandResult result;
  EXPECT_EQ(
      api()
          .offers->RegisterOffer(testing::as_caseworker(101).get(), testing::register_offer_request(good), &result)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);

  EXPECT_EQ(testing::head(api()), before) << "a refused command writes nothing";
  v1::GetOfferRequest get;
  get.set_offer_id("new-offer");
  v1::Offer offer;
  EXPECT_EQ(api().offers->GetOffer(testing::as_admin().get(), get, &offer).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(OfferServiceTest, CapacityCannotBeReducedBelowThePlacesHeld) {
  ASSERT_TRUE(succeeded(testing::register_offer(api(), "held", v1::SPECIALISATION_LEVEL_MODERAT,
                                                {v1::TARGET_GROUP_MULTIPLE_DISABILITIES}, 3)));
  const testing::RequestSpec first("010190-1234", "held");
  const testing::RequestSpec second("020285-2345", "held");
  ASSERT_TRUE(succeeded(testing::request_and_reserve(api(), first)));
  ASSERT_TRUE(succeeded(testing::request_and_reserve(api(), second)));

  const auto before = testing::head(api());
  auto status = testing::change_capacity(api(), "held", date(2031, 3, 1), 1);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_EQ(testing::head(api()), before);
  EXPECT_EQ(testing::capacity(api(), "held", date(2031, 3, 1)).open(), 3);

  // Down to exactly what is held is fine.
  ASSERT_TRUE(succeeded(testing::change_capacity(api(), "held", date(2031, 3, 1), 2)));
  const v1::PlaceCounts counts = testing::capacity(api(), "held", date(2031, 3, 1));
  EXPECT_EQ(counts.open(), 2);
  EXPECT_EQ(counts.reserved(), 2);
  EXPECT_EQ(counts.vacant(), 0);
}

}  // namespace
}  // namespace placement

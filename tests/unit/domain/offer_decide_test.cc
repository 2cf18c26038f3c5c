#include "domain_fixture.h"
#include "services/domain/queries.h"

namespace placement::domain::testing {
namespace {

using OfferDecide = DomainTest;

TEST_F(OfferDecide, RegisteringAnOfferRecordsEveryFieldWithGroupsSortedAndUnique) {
  auto spec = offer_spec("bo-1");
  spec.target_groups = {TargetGroup::children_with_complex_difficulties, TargetGroup::multiple_disabilities,
                        TargetGroup::children_with_complex_difficulties};
  const auto events = must(spec);
  ASSERT_EQ(events.size(), 1u);
  const auto& registered = std::get<OfferRegistered>(events[0]);
  EXPECT_EQ(registered.target_groups, (std::vector<TargetGroup>{TargetGroup::multiple_disabilities,
                                                                TargetGroup::children_with_complex_difficulties}));
  EXPECT_EQ(registered.operator_code, 1084);
  EXPECT_EQ(registered.paragraph_of_law, "SEL § 108");
  const OfferState& offer = offer_state("bo-1");
  EXPECT_EQ(offer.name, "Tilbud bo-1");
  EXPECT_EQ(offer.level, SpecialisationLevel::moderat);
  EXPECT_EQ(offer.catchment, Catchment::region(1084));
  EXPECT_EQ(open_places_on(offer, d("2024-01-01")), 0);
}

TEST_F(OfferDecide, MunicipalityCanOperateAnOffer) {
  must(offer_spec("bo-aarhus", SpecialisationLevel::let, {TargetGroup::multiple_disabilities}, 751));
  EXPECT_EQ(region_of_operator(state_, offer_state("bo-aarhus").operator_code), 1082);
}

TEST_F(OfferDecide, RegisteringTheSameOfferTwiceIsRefused) {
  must(offer_spec("bo-1"));
  refused(offer_spec("bo-1"), Errc::already_exists);
}

TEST_F(OfferDecide, OfferIdThatCannotNameAStreamIsRefused) {
  refused(offer_spec("bo 1"), Errc::invalid_argument);
  refused(offer_spec(""), Errc::invalid_argument);
}

TEST_F(OfferDecide, UnknownOperatorIsRefused) {
  refused(offer_spec("bo-1", SpecialisationLevel::let, {TargetGroup::multiple_disabilities}, 999),
          Errc::invalid_argument);
}

TEST_F(OfferDecide, OfferWithoutTargetGroupsIsRefused) {
  refused(offer_spec("bo-1", SpecialisationLevel::let, {}), Errc::invalid_argument);
}

TEST_F(OfferDecide, UnknownTargetGroupIsRefused) {
  refused(offer_spec("bo-1", SpecialisationLevel::let, {static_cast<TargetGroup>(7)}), Errc::invalid_argument);
}

TEST_F(OfferDecide, UnspecifiedLevelIsRefused) {
  refused(offer_spec("bo-1", static_cast<SpecialisationLevel>(0)), Errc::invalid_argument);
}

TEST_F(OfferDecide, UnspecifiedServiceTypeIsRefused) {
  auto spec = offer_spec("bo-1");
  spec.service_type = static_cast<ServiceType>(0);
  refused(spec, Errc::invalid_argument);
}

TEST_F(OfferDecide, MissingNameOrParagraphIsRefused) {
  auto spec = offer_spec("bo-1");
  spec.name = "";
  refused(spec, Errc::invalid_argument);
  spec = offer_spec("bo-1");
  spec.paragraph_of_law = " ";
  refused(spec, Errc::invalid_argument);
}

TEST_F(OfferDecide, CatchmentMustBeNationalOrARegisteredRegion) {
  auto spec = offer_spec("bo-1");
  spec.catchment = Catchment::region(101);
  refused(spec, Errc::invalid_argument);
  spec.catchment = Catchment::national();
  must(spec);
}

TEST_F(OfferDecide, MixedFinancingCarriesItsObjectiveShare) {
  auto spec = offer_spec("land-1", SpecialisationLevel::hojt);
  spec.financing = Financing{FinancingModel::mixed, 2'500};
  must(spec);
  EXPECT_EQ(offer_state("land-1").financing.objective_share_bp, 2'500);
}

TEST_F(OfferDecide, MixedShareAboveHundredPercentIsRefused) {
  auto spec = offer_spec("land-1", SpecialisationLevel::hojt);
  spec.financing = Financing{FinancingModel::mixed, 10'001};
  refused(spec, Errc::invalid_argument);
}

TEST_F(OfferDecide, ObjectiveShareOnATakstOfferIsRefused) {
  auto spec = offer_spec("bo-1");
  spec.financing = Financing{FinancingModel::takst, 100};
  refused(spec, Errc::invalid_argument);
}

TEST_F(OfferDecide, CapacityIsEffectiveDated) {
  offer("bo-1", 4);
  must(ChangeCapacity{"bo-1", d("2024-06-01"), 6});
  EXPECT_EQ(open_places_on(offer_state("bo-1"), d("2023-12-31")), 0);
  EXPECT_EQ(open_places_on(offer_state("bo-1"), d("2024-05-31")), 4);
  EXPECT_EQ(open_places_on(offer_state("bo-1"), d("2024-06-01")), 6);
}

TEST_F(OfferDecide, NegativeCapacityIsRefused) {
  offer("bo-1", 4);
  refused(ChangeCapacity{"bo-1", d("2024-06-01"), -1}, Errc::invalid_argument);
}

TEST_F(OfferDecide, CapacityOfUnknownOfferIsNotFound) {
  refused(ChangeCapacity{"nope", d("2024-06-01"), 1}, Errc::not_found);
}

TEST_F(OfferDecide, CapacityCannotDropBelowPlacesHeldFromTheEffectiveDate) {
  offer("bo-1", 3);
  admitted("p-1", "bo-1");
  admitted("p-2", "bo-1");
  const std::string message = refused(ChangeCapacity{"bo-1", d("2024-06-01"), 1}, Errc::failed_precondition);
  EXPECT_NE(message.find("2 places are reserved or occupied on 2024-06-01"), std::string::npos) << message;
  must(ChangeCapacity{"bo-1", d("2024-06-01"), 2});
}

TEST_F(OfferDecide, ReservationsCountAgainstACapacityReduction) {
  offer("bo-1", 2);
  admitted("p-1", "bo-1");
  request("p-2", "bo-1");
  reserve("p-2", d("2024-09-01"));
  const std::string message = refused(ChangeCapacity{"bo-1", d("2024-06-01"), 1}, Errc::failed_precondition);
  EXPECT_NE(message.find("on 2024-09-01"), std::string::npos) << message;
}

TEST_F(OfferDecide, CapacityCanDropOnceThePlaceIsFreedBeforeTheEffectiveDate) {
  offer("bo-1", 2);
  admitted("p-1", "bo-1");
  admitted("p-2", "bo-1");
  must(DischargePlacement{"p-2", d("2024-05-01")});
  must(ChangeCapacity{"bo-1", d("2024-05-01"), 1});
  // History before the change is untouched: two places were open and occupied in April.
  const PlaceCounts april = capacity_at(state_, "bo-1", d("2024-04-01")).value();
  EXPECT_EQ(april.open, 2);
  EXPECT_EQ(april.occupied, 2);
}

TEST_F(OfferDecide, EarlierReductionIsCheckedUpToTheNextLaterChange) {
  offer("bo-1", 2);
  must(ChangeCapacity{"bo-1", d("2024-08-01"), 5});
  admitted("p-1", "bo-1");
  admitted("p-2", "bo-1");
  refused(ChangeCapacity{"bo-1", d("2024-03-01"), 1}, Errc::failed_precondition);
}

TEST_F(OfferDecide, DirectRateIsStoredFromItsDate) {
  offer("bo-1", 2);
  const auto events = must(SetRate{"bo-1", d("2024-01-01"), Ore{250'000}, std::nullopt, std::nullopt, std::nullopt});
  EXPECT_EQ(std::get<RateSet>(events[0]).rate.daily_rate, Ore{250'000});
  must(SetRate{"bo-1", d("2024-07-01"), Ore{260'000}, std::nullopt, std::nullopt, std::nullopt});
  EXPECT_EQ(rate_on(offer_state("bo-1"), d("2024-06-30"))->daily_rate, Ore{250'000});
  EXPECT_EQ(rate_on(offer_state("bo-1"), d("2024-07-01"))->daily_rate, Ore{260'000});
  EXPECT_EQ(rate_on(offer_state("bo-1"), d("2023-12-31")), nullptr);
}

TEST_F(OfferDecide, RateComputedFromBasisKeepsTheBasisAndOccupancy) {
  auto spec = offer_spec("psyk-1", SpecialisationLevel::hojt);
  spec.financing = Financing{FinancingModel::objektiv, 0};
  must(spec);
  const RateBasis basis{2018, Ore{190'000'000}, 0, Ore{0}, 1, 10'000};
  must(SetRate{"psyk-1", d("2018-01-01"), std::nullopt, basis, std::nullopt, std::nullopt});
  const Rate& rate = *rate_on(offer_state("psyk-1"), d("2018-10-15"));
  EXPECT_EQ(rate.daily_rate, Ore{520'548});
  EXPECT_EQ(rate.daily_vacancy_rate, Ore{520'548});  // OBJEKTIV: vacancy rate defaults to the daily rate
  ASSERT_TRUE(rate.basis);
  EXPECT_EQ(rate.basis->assumed_occupancy_bp, 10'000);
  EXPECT_EQ(rate.basis->direct_and_indirect_costs, Ore{190'000'000});
}

TEST_F(OfferDecide, RateNeedsExactlyOneOfDailyRateAndBasis) {
  offer("bo-1", 2);
  refused(SetRate{"bo-1", d("2024-01-01"), std::nullopt, std::nullopt, std::nullopt, std::nullopt},
          Errc::invalid_argument);
  refused(SetRate{"bo-1", d("2024-01-01"), Ore{1}, RateBasis{2024, Ore{1}, 0, Ore{0}, 1, 9'500}, std::nullopt,
                  std::nullopt},
          Errc::invalid_argument);
}

TEST_F(OfferDecide, RateBasisWithOccupancyBelowNinetyPercentIsRefused) {
  offer("bo-1", 2);
  refused(SetRate{"bo-1", d("2024-01-01"), std::nullopt, RateBasis{2024, Ore{100}, 0, Ore{0}, 1, 8'000}, std::nullopt,
                  std::nullopt},
          Errc::invalid_argument);
}

TEST_F(OfferDecide, NegativeRateIsRefused) {
  offer("bo-1", 2);
  refused(SetRate{"bo-1", d("2024-01-01"), Ore{-1}, std::nullopt, std::nullopt, std::nullopt}, Errc::invalid_argument);
}

TEST_F(OfferDecide, BasisOfferNeedsACopaymentRate) {
  auto spec = offer_spec("hojt-1", SpecialisationLevel::hojt);
  spec.financing = Financing{FinancingModel::basis, 0};
  must(spec);
  refused(SetRate{"hojt-1", d("2024-01-01"), Ore{500'000}, std::nullopt, std::nullopt, std::nullopt},
          Errc::invalid_argument);
  must(SetRate{"hojt-1", d("2024-01-01"), Ore{500'000}, std::nullopt, Ore{100'000}, std::nullopt});
  EXPECT_EQ(rate_on(offer_state("hojt-1"), d("2024-01-01"))->daily_copayment_rate, Ore{100'000});
}

TEST_F(OfferDecide, TakstOfferTakesNeitherCopaymentNorVacancyRate) {
  offer("bo-1", 2);
  refused(SetRate{"bo-1", d("2024-01-01"), Ore{1}, std::nullopt, Ore{1}, std::nullopt}, Errc::invalid_argument);
  refused(SetRate{"bo-1", d("2024-01-01"), Ore{1}, std::nullopt, std::nullopt, Ore{1}}, Errc::invalid_argument);
}

TEST_F(OfferDecide, ObjektivOfferMaySetItsOwnVacancyRate) {
  auto spec = offer_spec("psyk-1", SpecialisationLevel::hojt);
  spec.financing = Financing{FinancingModel::objektiv, 0};
  must(spec);
  must(SetRate{"psyk-1", d("2024-01-01"), Ore{500'000}, std::nullopt, std::nullopt, Ore{400'000}});
  EXPECT_EQ(rate_on(offer_state("psyk-1"), d("2024-01-01"))->daily_vacancy_rate, Ore{400'000});
}

TEST_F(OfferDecide, ClosingRefusedWhilePlacementsHoldPlacesAfterTheDate) {
  offer("bo-1", 2);
  admitted("p-1", "bo-1");
  const std::string message = refused(CloseOffer{"bo-1", d("2024-12-31")}, Errc::failed_precondition);
  EXPECT_NE(message.find("1 placements hold places"), std::string::npos) << message;
}

TEST_F(OfferDecide, ClosingAfterTheLastDischargeSucceedsAndZeroesOpenPlaces) {
  offer("bo-1", 2);
  admitted("p-1", "bo-1");
  must(DischargePlacement{"p-1", d("2024-06-01")});
  must(CloseOffer{"bo-1", d("2024-06-01")});
  EXPECT_EQ(open_places_on(offer_state("bo-1"), d("2024-05-31")), 2);
  EXPECT_EQ(open_places_on(offer_state("bo-1"), d("2024-06-01")), 0);
}

TEST_F(OfferDecide, ClosingRejectsRequestsAndTheWaitingList) {
  offer("bo-1", 0);
  request("p-1", "bo-1");  // joins the waiting list: no places
  const auto events = must(CloseOffer{"bo-1", d("2024-03-01")});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(std::get<PlacementRejected>(events[1]).placement_id, "p-1");
  EXPECT_EQ(placement("p-1").status, PlacementStatus::rejected);
  EXPECT_TRUE(offer_state("bo-1").waiting_list.empty());
}

TEST_F(OfferDecide, ClosingTwiceIsRefused) {
  offer("bo-1", 1);
  must(CloseOffer{"bo-1", d("2024-03-01")});
  refused(CloseOffer{"bo-1", d("2024-04-01")}, Errc::failed_precondition);
}

TEST_F(OfferDecide, ClosedOfferTakesNoNewPlacementsOrCapacity) {
  offer("bo-1", 3);
  must(CloseOffer{"bo-1", d("2024-03-01")});
  const std::string message = refused(request_spec("p-1", "bo-1"), Errc::failed_precondition);
  EXPECT_NE(message.find("closed"), std::string::npos);
  refused(ChangeCapacity{"bo-1", d("2024-02-01"), 5}, Errc::failed_precondition);
  refused(SetRate{"bo-1", d("2024-03-01"), Ore{1}, std::nullopt, std::nullopt, std::nullopt},
          Errc::failed_precondition);
  must(SetRate{"bo-1", d("2024-01-01"), Ore{1}, std::nullopt, std::nullopt, std::nullopt});
}

}  // namespace
}  // namespace placement::domain::testing

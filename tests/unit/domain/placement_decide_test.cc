#include "domain_fixture.h"
#include "services/domain/queries.h"

namespace placement::domain::testing {
namespace {

using PlacementDecide = DomainTest;

TEST_F(PlacementDecide, RequestWithVacancyIsRequestedAndHoldsNothingYet) {
  offer("bo-1", 1);
  const auto events = must(request_spec("p-1", "bo-1"));
  ASSERT_EQ(events.size(), 1u);
  const auto& requested = std::get<PlacementRequested>(events[0]);
  EXPECT_EQ(requested.citizen.citizen_id, "citizen-of-p-1");
  EXPECT_EQ(requested.age_at_start, 30);
  EXPECT_EQ(requested.requested_at, now_);
  EXPECT_EQ(placement("p-1").status, PlacementStatus::requested);
  EXPECT_EQ(capacity_at(state_, "bo-1", d("2024-02-01")).value().vacant, 1);
}

TEST_F(PlacementDecide, OnlyTheAgeAtStartIsKeptFromABirthDate) {
  offer("bo-1", 1);
  auto spec = request_spec("p-1", "bo-1");
  spec.age_at_start.reset();
  spec.birth_date = d("2006-02-02");
  const auto events = must(spec);
  EXPECT_EQ(std::get<PlacementRequested>(events[0]).age_at_start, 17);  // turns 18 the day after the start
}

TEST_F(PlacementDecide, RequestNeedsExactlyOneOfBirthDateAndAge) {
  offer("bo-1", 1);
  auto spec = request_spec("p-1", "bo-1");
  spec.birth_date = d("2000-01-01");
  refused(spec, Errc::invalid_argument);
  spec.birth_date.reset();
  spec.age_at_start.reset();
  refused(spec, Errc::invalid_argument);
}

TEST_F(PlacementDecide, BirthAfterRequestedStartIsRefused) {
  offer("bo-1", 1);
  auto spec = request_spec("p-1", "bo-1");
  spec.age_at_start.reset();
  spec.birth_date = d("2024-03-01");
  refused(spec, Errc::invalid_argument);
}

TEST_F(PlacementDecide, NegativeAgeIsRefused) {
  offer("bo-1", 1);
  auto spec = request_spec("p-1", "bo-1");
  spec.age_at_start = -1;
  refused(spec, Errc::invalid_argument);
}

TEST_F(PlacementDecide, AdultInTargetGroupFiveIsRefused) {
  must(offer_spec("sikret-1", SpecialisationLevel::hojt, {TargetGroup::children_with_extensive_social_problems}));
  must(ChangeCapacity{"sikret-1", d("2024-01-01"), 3});
  auto spec = request_spec("p-1", "sikret-1");
  spec.level = SpecialisationLevel::hojt;
  spec.target_group = TargetGroup::children_with_extensive_social_problems;
  spec.age_at_start = 18;
  const std::string message = refused(spec, Errc::failed_precondition);
  EXPECT_NE(message.find("under 18"), std::string::npos) << message;
}

TEST_F(PlacementDecide, AdultInTargetGroupSixIsRefusedByBirthDate) {
  offer("bo-1", 3);
  auto spec = request_spec("p-1", "bo-1");
  spec.target_group = TargetGroup::children_with_complex_difficulties;
  spec.age_at_start.reset();
  spec.birth_date = d("2006-02-01");  // 18 on the requested start
  refused(spec, Errc::failed_precondition);
}

TEST_F(PlacementDecide, SeventeenYearOldInTargetGroupSixIsAccepted) {
  offer("bo-1", 3);
  auto spec = request_spec("p-1", "bo-1");
  spec.target_group = TargetGroup::children_with_complex_difficulties;
  spec.age_at_start = 17;
  spec.citizen.household_id = "household-9";
  const auto events = must(spec);
  EXPECT_EQ(std::get<PlacementRequested>(events[0]).citizen.household_id, "household-9");
}

TEST_F(PlacementDecide, AdultInTargetGroupOneIsAccepted) {
  offer("bo-1", 3);
  auto spec = request_spec("p-1", "bo-1");
  spec.age_at_start = 67;
  must(spec);
}

TEST_F(PlacementDecide, WrongLevelIsRefused) {
  offer("bo-1", 3);
  auto spec = request_spec("p-1", "bo-1");
  spec.level = SpecialisationLevel::hojt;
  const std::string message = refused(spec, Errc::failed_precondition);
  EXPECT_NE(message.find("MODERAT"), std::string::npos) << message;
}

TEST_F(PlacementDecide, TargetGroupTheOfferDoesNotServeIsRefused) {
  offer("bo-1", 3);
  auto spec = request_spec("p-1", "bo-1");
  spec.target_group = TargetGroup::communication_disabilities;
  const std::string message = refused(spec, Errc::failed_precondition);
  EXPECT_NE(message.find("målgruppe) 2"), std::string::npos) << message;
}

TEST_F(PlacementDecide, RequestForAnUnknownOfferCannotBeCarriedOut) {
  refused(request_spec("p-1", "nope"), Errc::failed_precondition);
}

TEST_F(PlacementDecide, UnknownPayingMunicipalityIsRefused) {
  offer("bo-1", 3);
  auto spec = request_spec("p-1", "bo-1");
  spec.paying_municipality = 999;
  refused(spec, Errc::invalid_argument);
}

TEST_F(PlacementDecide, MissingCitizenIsRefused) {
  offer("bo-1", 3);
  auto spec = request_spec("p-1", "bo-1");
  spec.citizen.citizen_id = "";
  refused(spec, Errc::invalid_argument);
}

TEST_F(PlacementDecide, ReusedPlacementIdIsRefused) {
  offer("bo-1", 3);
  request("p-1", "bo-1");
  refused(request_spec("p-1", "bo-1", "someone-else"), Errc::already_exists);
}

TEST_F(PlacementDecide, SecondActivePlacementOfACitizenInTheSameOfferIsRefused) {
  offer("bo-1", 3);
  request("p-1", "bo-1", "anna");
  const std::string message = refused(request_spec("p-2", "bo-1", "anna"), Errc::failed_precondition);
  EXPECT_NE(message.find("already has an active placement"), std::string::npos) << message;
}

TEST_F(PlacementDecide, CitizenMayReturnAfterDischarge) {
  offer("bo-1", 3);
  admitted("p-1", "bo-1");
  must(DischargePlacement{"p-1", d("2024-03-01")});
  auto spec = request_spec("p-2", "bo-1", "citizen-of-p-1");
  spec.requested_start = d("2024-04-01");
  must(spec);
}

TEST_F(PlacementDecide, CitizenMayHavePlacementsInTwoOffers) {
  offer("bo-1", 3);
  offer("bo-2", 3);
  request("p-1", "bo-1", "anna");
  request("p-2", "bo-2", "anna");
}

TEST_F(PlacementDecide, FullOfferRefusesARequestThatWillNotWait) {
  offer("bo-1", 1);
  admitted("p-1", "bo-1");
  auto spec = request_spec("p-2", "bo-1");
  spec.join_waiting_list_if_full = false;
  const std::string message = refused(spec, Errc::failed_precondition);
  EXPECT_NE(message.find("venteliste"), std::string::npos) << message;
}

TEST_F(PlacementDecide, FullOfferPutsAWillingRequestOnTheWaitingList) {
  offer("bo-1", 1);
  admitted("p-1", "bo-1");
  const auto events = must(request_spec("p-2", "bo-1"));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(event_type_name(events[1]), "PlacementWaitlisted");
  EXPECT_EQ(placement("p-2").status, PlacementStatus::waitlisted);
  EXPECT_EQ(offer_state("bo-1").waiting_list.size(), 1u);
}

TEST_F(PlacementDecide, ReservingHoldsAPlaceFromItsDateWithAnExpiry) {
  offer("bo-1", 1);
  request("p-1", "bo-1");
  const auto events = must(ReservePlace{"p-1", d("2024-02-10"), kHold, false});
  const auto& reserved = std::get<PlacementReserved>(events[0]);
  EXPECT_EQ(reserved.hold_expires_at, now_ + std::chrono::hours(48));
  const PlaceCounts before = capacity_at(state_, "bo-1", d("2024-02-09")).value();
  const PlaceCounts after = capacity_at(state_, "bo-1", d("2024-02-10")).value();
  EXPECT_EQ(before.reserved, 0);
  EXPECT_EQ(after.reserved, 1);
  EXPECT_EQ(after.vacant, 0);
}

TEST_F(PlacementDecide, ReservationWithoutHoldPeriodIsRefused) {
  offer("bo-1", 1);
  request("p-1", "bo-1");
  refused(ReservePlace{"p-1", d("2024-02-01"), std::chrono::seconds{0}, false}, Errc::invalid_argument);
}

TEST_F(PlacementDecide, NoOverbookingOnAnyFutureDate) {
  offer("bo-1", 1);
  request("p-1", "bo-1");
  request("p-2", "bo-1");
  reserve("p-1", d("2024-06-01"));
  // p-2 would fit in February but the place is taken from June on, and holds are open-ended.
  const std::string message = refused(ReservePlace{"p-2", d("2024-02-01"), kHold, false}, Errc::failed_precondition);
  EXPECT_NE(message.find("no vacant place (ingen ledig plads) on 2024-06-01"), std::string::npos) << message;
}

TEST_F(PlacementDecide, FullReserveJoinsTheWaitingListWhenAsked) {
  offer("bo-1", 1);
  request("p-1", "bo-1");
  request("p-2", "bo-1");
  reserve("p-1");
  must(ReservePlace{"p-2", d("2024-02-01"), kHold, true});
  EXPECT_EQ(placement("p-2").status, PlacementStatus::waitlisted);
}

TEST_F(PlacementDecide, CapacityIncreaseLaterDoesNotHelpAnEarlierStart) {
  offer("bo-1", 0);
  must(ChangeCapacity{"bo-1", d("2024-05-01"), 1});
  auto spec = request_spec("p-1", "bo-1");
  spec.join_waiting_list_if_full = false;
  refused(spec, Errc::failed_precondition);
  spec.requested_start = d("2024-05-01");
  must(spec);
}

TEST_F(PlacementDecide, WaitlistedPlacementCannotReserveDirectly) {
  offer("bo-1", 0);
  request("p-1", "bo-1");
  const std::string message = refused(ReservePlace{"p-1", d("2024-02-01"), kHold, false}, Errc::failed_precondition);
  EXPECT_NE(message.find("waiting list"), std::string::npos) << message;
}

TEST_F(PlacementDecide, AdmissionOccupiesFromItsDate) {
  offer("bo-1", 2);
  admitted("p-1", "bo-1", d("2024-02-05"));
  EXPECT_EQ(placement("p-1").status, PlacementStatus::admitted);
  EXPECT_EQ(placement("p-1").admitted_on, d("2024-02-05"));
  const PlaceCounts counts = capacity_at(state_, "bo-1", d("2024-02-05")).value();
  EXPECT_EQ(counts.occupied, 1);
  EXPECT_EQ(counts.reserved, 0);
  EXPECT_EQ(counts.vacant, 1);
}

TEST_F(PlacementDecide, AdmissionBeforeTheReservedDateNeedsAFreePlaceThen) {
  offer("bo-1", 1);
  admitted("p-1", "bo-1");
  must(DischargePlacement{"p-1", d("2024-03-01")});
  auto spec = request_spec("p-2", "bo-1");
  spec.requested_start = d("2024-03-01");
  must(spec);
  reserve("p-2", d("2024-03-01"));
  refused(AdmitPlacement{"p-2", d("2024-02-20")}, Errc::failed_precondition);
  must(AdmitPlacement{"p-2", d("2024-03-01")});
}

TEST_F(PlacementDecide, AdmittingWithoutReservationIsRefused) {
  offer("bo-1", 1);
  request("p-1", "bo-1");
  const std::string message = refused(AdmitPlacement{"p-1", d("2024-02-01")}, Errc::failed_precondition);
  EXPECT_NE(message.find("REQUESTED (anmodet)"), std::string::npos) << message;
}

TEST_F(PlacementDecide, UnknownPlacementIsNotFound) {
  refused(AdmitPlacement{"nope", d("2024-02-01")}, Errc::not_found);
}

TEST_F(PlacementDecide, DischargeIsHalfOpen) {
  offer("bo-1", 1);
  admitted("p-1", "bo-1", d("2024-02-01"));
  must(DischargePlacement{"p-1", d("2024-02-04")});
  EXPECT_EQ(capacity_at(state_, "bo-1", d("2024-02-03")).value().occupied, 1);
  EXPECT_EQ(capacity_at(state_, "bo-1", d("2024-02-04")).value().occupied, 0);
  EXPECT_EQ(placement("p-1").status, PlacementStatus::discharged);
}

TEST_F(PlacementDecide, DischargeOnTheAdmissionDateIsAllowed) {
  offer("bo-1", 1);
  admitted("p-1", "bo-1", d("2024-02-01"));
  must(DischargePlacement{"p-1", d("2024-02-01")});
  EXPECT_EQ(capacity_at(state_, "bo-1", d("2024-02-01")).value().occupied, 0);
}

TEST_F(PlacementDecide, DischargeBeforeAdmissionIsRefused) {
  offer("bo-1", 1);
  admitted("p-1", "bo-1", d("2024-02-01"));
  const std::string message = refused(DischargePlacement{"p-1", d("2024-01-31")}, Errc::invalid_argument);
  EXPECT_NE(message.find("before the admission date"), std::string::npos) << message;
}

TEST_F(PlacementDecide, DischargingTwiceIsRefused) {
  offer("bo-1", 1);
  admitted("p-1", "bo-1");
  must(DischargePlacement{"p-1", d("2024-03-01")});
  refused(DischargePlacement{"p-1", d("2024-03-02")}, Errc::failed_precondition);
}

TEST_F(PlacementDecide, WithdrawingAReservationFreesThePlace) {
  offer("bo-1", 1);
  request("p-1", "bo-1");
  reserve("p-1");
  must(WithdrawPlacement{"p-1", "family moved"});
  EXPECT_EQ(placement("p-1").status, PlacementStatus::withdrawn);
  EXPECT_EQ(placement("p-1").end_reason, "family moved");
  EXPECT_EQ(capacity_at(state_, "bo-1", d("2024-02-01")).value().vacant, 1);
}

TEST_F(PlacementDecide, AdmittedCitizenIsDischargedNotWithdrawn) {
  offer("bo-1", 1);
  admitted("p-1", "bo-1");
  const std::string message = refused(WithdrawPlacement{"p-1", ""}, Errc::failed_precondition);
  EXPECT_NE(message.find("discharged"), std::string::npos) << message;
}

TEST_F(PlacementDecide, WithdrawnPlacementCannotBeWithdrawnAgain) {
  offer("bo-1", 1);
  request("p-1", "bo-1");
  must(WithdrawPlacement{"p-1", ""});
  refused(WithdrawPlacement{"p-1", ""}, Errc::failed_precondition);
  refused(ReservePlace{"p-1", d("2024-02-01"), kHold, false}, Errc::failed_precondition);
}

TEST_F(PlacementDecide, RejectionNeedsAReason) {
  offer("bo-1", 1);
  request("p-1", "bo-1");
  refused(RejectPlacement{"p-1", " "}, Errc::invalid_argument);
  must(RejectPlacement{"p-1", "needs a secure unit"});
  EXPECT_EQ(placement("p-1").status, PlacementStatus::rejected);
}

TEST_F(PlacementDecide, ReservedPlacementCannotBeRejected) {
  offer("bo-1", 1);
  request("p-1", "bo-1");
  reserve("p-1");
  refused(RejectPlacement{"p-1", "no"}, Errc::failed_precondition);
}

TEST_F(PlacementDecide, ReservationExpiresOnlyAfterTheHoldPeriod) {
  offer("bo-1", 1);
  request("p-1", "bo-1");
  reserve("p-1");
  advance(std::chrono::hours(47));
  const std::string message = refused(ExpireReservation{"p-1"}, Errc::failed_precondition);
  EXPECT_NE(message.find("held until 2024-01-03T00:00:00.000000Z"), std::string::npos) << message;
  advance(std::chrono::hours(1));
  must(ExpireReservation{"p-1"});
  EXPECT_EQ(placement("p-1").status, PlacementStatus::reservation_expired);
  EXPECT_EQ(capacity_at(state_, "bo-1", d("2024-02-01")).value().vacant, 1);
}

TEST_F(PlacementDecide, AdmittedPlacementDoesNotExpire) {
  offer("bo-1", 1);
  admitted("p-1", "bo-1");
  advance(std::chrono::hours(100));
  refused(ExpireReservation{"p-1"}, Errc::failed_precondition);
}

TEST_F(PlacementDecide, ExpiredReservationCannotBeAdmitted) {
  offer("bo-1", 1);
  request("p-1", "bo-1");
  reserve("p-1");
  advance(std::chrono::hours(49));
  must(ExpireReservation{"p-1"});
  refused(AdmitPlacement{"p-1", d("2024-02-01")}, Errc::failed_precondition);
}

}  // namespace
}  // namespace placement::domain::testing

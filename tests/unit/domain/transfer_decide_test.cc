// Transfers (decide_placement.cc): ending a stay in one offer and starting one in another.

#include "domain_fixture.h"
#include "services/domain/occupancy.h"
#include "services/domain/queries.h"

namespace placement::domain::testing {
namespace {

using Transfer = DomainTest;

TEST_F(Transfer, MovesTheStayOnTheTransferDate) {
  offer("bo-1", 1);
  offer("bo-2", 1);
  admitted("p-1", "bo-1", d("2024-02-01"));
  const auto events = must(TransferPlacement{"p-1", "bo-2", d("2024-03-01")});
  EXPECT_EQ(std::get<PlacementTransferred>(events.at(0)),
            (PlacementTransferred{"p-1", "bo-1", "bo-2", d("2024-03-01")}));
  EXPECT_EQ(capacity_at(state_, "bo-1", d("2024-02-29")).value().occupied, 1);
  EXPECT_EQ(capacity_at(state_, "bo-1", d("2024-03-01")).value().occupied, 0);
  EXPECT_EQ(capacity_at(state_, "bo-2", d("2024-02-29")).value().occupied, 0);
  EXPECT_EQ(capacity_at(state_, "bo-2", d("2024-03-01")).value().occupied, 1);
  const PlacementState& p = placement("p-1");
  EXPECT_EQ(p.offer_id, "bo-2");
  EXPECT_EQ(p.status, PlacementStatus::admitted);
  EXPECT_EQ(p.previous_stays, (std::vector<Stay>{Stay{"bo-1", DateRange{d("2024-02-01"), d("2024-03-01")}}}));
}

TEST_F(Transfer, DischargeAfterTransferEndsTheNewStay) {
  offer("bo-1", 1);
  offer("bo-2", 1);
  admitted("p-1", "bo-1", d("2024-02-01"));
  must(TransferPlacement{"p-1", "bo-2", d("2024-03-01")});
  refused(DischargePlacement{"p-1", d("2024-02-15")}, Errc::invalid_argument);
  must(DischargePlacement{"p-1", d("2024-04-01")});
  EXPECT_EQ(capacity_at(state_, "bo-2", d("2024-03-31")).value().occupied, 1);
  EXPECT_EQ(capacity_at(state_, "bo-2", d("2024-04-01")).value().occupied, 0);
  EXPECT_EQ(capacity_at(state_, "bo-1", d("2024-02-15")).value().occupied, 1);
}

TEST_F(Transfer, FullTargetOfferIsRefused) {
  offer("bo-1", 1);
  offer("bo-2", 1);
  admitted("p-1", "bo-1");
  admitted("p-2", "bo-2");
  refused(TransferPlacement{"p-1", "bo-2", d("2024-03-01")}, Errc::failed_precondition);
}

TEST_F(Transfer, TargetOfferMustHaveAPlaceOnEveryLaterDate) {
  offer("bo-1", 1);
  offer("bo-2", 1);
  admitted("p-1", "bo-1");
  request("p-2", "bo-2");
  reserve("p-2", d("2024-06-01"));
  refused(TransferPlacement{"p-1", "bo-2", d("2024-03-01")}, Errc::failed_precondition);
}

TEST_F(Transfer, TargetOfferOfAnotherLevelIsRefused) {
  offer("bo-1", 1);
  offer("hojt-1", 1, SpecialisationLevel::hojt);
  admitted("p-1", "bo-1");
  refused(TransferPlacement{"p-1", "hojt-1", d("2024-03-01")}, Errc::failed_precondition);
}

TEST_F(Transfer, TargetOfferWithoutTheTargetGroupIsRefused) {
  offer("bo-1", 1);
  must(offer_spec("bo-3", SpecialisationLevel::moderat, {TargetGroup::communication_disabilities}));
  must(ChangeCapacity{"bo-3", d("2024-01-01"), 2});
  admitted("p-1", "bo-1");
  refused(TransferPlacement{"p-1", "bo-3", d("2024-03-01")}, Errc::failed_precondition);
}

TEST_F(Transfer, ToTheSameOfferIsRefused) {
  offer("bo-1", 2);
  admitted("p-1", "bo-1");
  refused(TransferPlacement{"p-1", "bo-1", d("2024-03-01")}, Errc::invalid_argument);
}

TEST_F(Transfer, BeforeTheStayBeganIsRefused) {
  offer("bo-1", 1);
  offer("bo-2", 1);
  admitted("p-1", "bo-1", d("2024-02-01"));
  refused(TransferPlacement{"p-1", "bo-2", d("2024-01-31")}, Errc::invalid_argument);
}

TEST_F(Transfer, ToAnUnknownOfferIsNotFound) {
  offer("bo-1", 1);
  admitted("p-1", "bo-1");
  refused(TransferPlacement{"p-1", "nope", d("2024-03-01")}, Errc::failed_precondition);
}

TEST_F(Transfer, ToAClosedOfferIsRefused) {
  offer("bo-1", 1);
  offer("bo-2", 1);
  must(CloseOffer{"bo-2", d("2024-12-01")});
  admitted("p-1", "bo-1");
  refused(TransferPlacement{"p-1", "bo-2", d("2024-03-01")}, Errc::failed_precondition);
}

TEST_F(Transfer, OnlyAnAdmittedCitizenIsTransferred) {
  offer("bo-1", 1);
  offer("bo-2", 1);
  request("p-1", "bo-1");
  reserve("p-1");
  refused(TransferPlacement{"p-1", "bo-2", d("2024-03-01")}, Errc::failed_precondition);
}

TEST_F(Transfer, CitizenWithAnActivePlacementInTheTargetIsRefused) {
  offer("bo-1", 1);
  offer("bo-2", 2);
  admitted("p-1", "bo-1");
  request("p-2", "bo-2", "citizen-of-p-1");
  refused(TransferPlacement{"p-1", "bo-2", d("2024-03-01")}, Errc::failed_precondition);
}

TEST_F(Transfer, FreedPlaceInTheOldOfferIsProposedToItsWaitingList) {
  offer("bo-1", 1);
  offer("bo-2", 1);
  admitted("p-1", "bo-1");
  request("p-2", "bo-1");
  const auto proposals = events_of<PlaceProposed>(must(TransferPlacement{"p-1", "bo-2", d("2024-03-01")}));
  ASSERT_EQ(proposals.size(), 1u);
  EXPECT_EQ(proposals[0], (PlaceProposed{"bo-1", "p-2", d("2024-03-01")}));
}

}  // namespace
}  // namespace placement::domain::testing

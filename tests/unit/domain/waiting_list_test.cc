#include "services/domain/waiting_list.h"

#include "domain_fixture.h"
#include "services/domain/queries.h"

namespace placement::domain::testing {
namespace {

using WaitingList = DomainTest;

std::vector<std::string> ids(const OfferState& offer) {
  std::vector<std::string> out;
  for (const WaitingEntry& entry : offer.waiting_list) out.push_back(entry.placement_id);
  return out;
}

TEST(WaitingListOrder, OrderedByRequestTimeThenSequence) {
  OfferState offer;
  const Instant t0{std::chrono::microseconds{1'000}};
  const Instant t1{std::chrono::microseconds{2'000}};
  insert_waiting(offer, WaitingEntry{t1, 1, "late"});
  insert_waiting(offer, WaitingEntry{t0, 3, "early-second"});
  insert_waiting(offer, WaitingEntry{t0, 2, "early-first"});
  EXPECT_EQ(ids(offer), (std::vector<std::string>{"early-first", "early-second", "late"}));
  EXPECT_EQ(waiting_position(offer, "late"), 2u);
  EXPECT_TRUE(remove_waiting(offer, "early-first"));
  EXPECT_FALSE(remove_waiting(offer, "early-first"));
  EXPECT_EQ(waiting_position(offer, "early-first"), std::nullopt);
  EXPECT_EQ(waiting_position(offer, "early-second"), 0u);
}

TEST_F(WaitingList, EarlierRequestStaysAheadEvenWhenWaitlistedLater) {
  offer("bo-1", 1);
  request("p-1", "bo-1");  // requested while a place is free
  admitted("p-0", "bo-1");
  advance(std::chrono::minutes(5));
  request("p-2", "bo-1");                                   // waits at once
  must(ReservePlace{"p-1", d("2024-02-01"), kHold, true});  // now full: p-1 waits too, by its request time
  EXPECT_EQ(ids(offer_state("bo-1")), (std::vector<std::string>{"p-1", "p-2"}));
  EXPECT_LT(*placement("p-2").waiting_sequence, *placement("p-1").waiting_sequence);
}

TEST_F(WaitingList, DischargeProposesThePlaceToTheHead) {
  offer("bo-1", 1);
  admitted("p-0", "bo-1");
  request("p-1", "bo-1");
  advance(std::chrono::seconds(1));
  request("p-2", "bo-1");
  today_ = d("2024-03-10");
  const auto events = must(DischargePlacement{"p-0", d("2024-03-15")});
  const auto proposals = events_of<PlaceProposed>(events);
  ASSERT_EQ(proposals.size(), 1u);
  EXPECT_EQ(proposals[0], (PlaceProposed{"bo-1", "p-1", d("2024-03-15")}));
  EXPECT_EQ(placement("p-1").last_proposed_from, d("2024-03-15"));
  EXPECT_EQ(placement("p-1").status, PlacementStatus::waitlisted);  // a proposal holds nothing
}

TEST_F(WaitingList, ProposalIsNeverForADateInThePast) {
  offer("bo-1", 1);
  admitted("p-0", "bo-1");
  request("p-1", "bo-1");
  today_ = d("2024-04-01");
  const auto events = must(DischargePlacement{"p-0", d("2024-03-15")});
  EXPECT_EQ(events_of<PlaceProposed>(events).at(0).from, d("2024-04-01"));
}

TEST_F(WaitingList, NoProposalWhenNobodyWaits) {
  offer("bo-1", 1);
  admitted("p-0", "bo-1");
  EXPECT_TRUE(events_of<PlaceProposed>(must(DischargePlacement{"p-0", d("2024-03-15")})).empty());
}

TEST_F(WaitingList, CapacityIncreaseProposesAsManyAsTheNewPlaces) {
  offer("bo-1", 0);
  request("p-1", "bo-1");
  request("p-2", "bo-1");
  request("p-3", "bo-1");
  const auto proposals = events_of<PlaceProposed>(must(ChangeCapacity{"bo-1", d("2024-03-01"), 2}));
  ASSERT_EQ(proposals.size(), 2u);
  EXPECT_EQ(proposals[0].placement_id, "p-1");
  EXPECT_EQ(proposals[1].placement_id, "p-2");
  EXPECT_EQ(proposals[0].from, d("2024-03-01"));
}

TEST_F(WaitingList, CapacityDecreaseProposesNothing) {
  offer("bo-1", 3);
  admitted("p-0", "bo-1");
  must(ChangeCapacity{"bo-1", d("2024-03-01"), 1});
  request("p-1", "bo-1");
  EXPECT_TRUE(events_of<PlaceProposed>(must(ChangeCapacity{"bo-1", d("2024-04-01"), 1})).empty());
}

TEST_F(WaitingList, ExpiryProposesTheFreedPlace) {
  offer("bo-1", 1);
  request("p-0", "bo-1");
  reserve("p-0");
  request("p-1", "bo-1");
  advance(kHold);
  const auto proposals = events_of<PlaceProposed>(must(ExpireReservation{"p-0"}));
  ASSERT_EQ(proposals.size(), 1u);
  EXPECT_EQ(proposals[0].placement_id, "p-1");
  EXPECT_EQ(proposals[0].from, d("2024-02-01"));
}

TEST_F(WaitingList, WithdrawnReservationProposesTheFreedPlace) {
  offer("bo-1", 1);
  request("p-0", "bo-1");
  reserve("p-0");
  request("p-1", "bo-1");
  const auto proposals = events_of<PlaceProposed>(must(WithdrawPlacement{"p-0", "declined"}));
  ASSERT_EQ(proposals.size(), 1u);
  EXPECT_EQ(proposals[0].placement_id, "p-1");
}

TEST_F(WaitingList, NewcomerCannotReserveAPlaceFreedForTheWaitingList) {
  offer("bo-1", 1);
  admitted("p-0", "bo-1");
  request("p-1", "bo-1");
  must(DischargePlacement{"p-0", d("2024-03-01")});
  auto spec = request_spec("p-2", "bo-1");
  spec.requested_start = d("2024-03-01");
  spec.join_waiting_list_if_full = false;
  const std::string message = refused(spec, Errc::failed_precondition);
  EXPECT_NE(message.find("1 citizens on its waiting list"), std::string::npos) << message;
}

TEST_F(WaitingList, AllocatingToTheHeadNeedsNoReason) {
  offer("bo-1", 1);
  admitted("p-0", "bo-1");
  request("p-1", "bo-1");
  request("p-2", "bo-1");
  must(DischargePlacement{"p-0", d("2024-03-01")});
  const auto events = must(AllocatePlace{"p-1", d("2024-03-01"), kHold, ""});
  const auto& allocated = std::get<PlaceAllocated>(events.at(0));
  EXPECT_EQ(allocated.passed_over_placement_id, "");
  EXPECT_EQ(allocated.hold_expires_at, now_ + kHold);
  EXPECT_EQ(placement("p-1").status, PlacementStatus::reserved);
  EXPECT_EQ(ids(offer_state("bo-1")), (std::vector<std::string>{"p-2"}));
  EXPECT_EQ(capacity_at(state_, "bo-1", d("2024-03-01")).value().reserved, 1);
}

TEST_F(WaitingList, AllocatingOutOfTurnWithoutReasonIsRefused) {
  offer("bo-1", 1);
  admitted("p-0", "bo-1");
  request("p-1", "bo-1");
  request("p-2", "bo-1");
  must(DischargePlacement{"p-0", d("2024-03-01")});
  const std::string message = refused(AllocatePlace{"p-2", d("2024-03-01"), kHold, "  "}, Errc::invalid_argument);
  EXPECT_NE(message.find("'p-1' is"), std::string::npos) << message;
}

TEST_F(WaitingList, AllocatingOutOfTurnRecordsTheReasonAndWhoWasPassedOver) {
  offer("bo-1", 1);
  admitted("p-0", "bo-1");
  request("p-1", "bo-1");
  request("p-2", "bo-1");
  must(DischargePlacement{"p-0", d("2024-03-01")});
  const auto events = must(AllocatePlace{"p-2", d("2024-03-01"), kHold, "acute need; p-1 not yet ready"});
  const auto& allocated = std::get<PlaceAllocated>(events.at(0));
  EXPECT_EQ(allocated.passed_over_placement_id, "p-1");
  EXPECT_EQ(allocated.reason, "acute need; p-1 not yet ready");
  EXPECT_EQ(placement("p-2").allocation_reason, "acute need; p-1 not yet ready");
  EXPECT_EQ(ids(offer_state("bo-1")), (std::vector<std::string>{"p-1"}));
}

TEST_F(WaitingList, AllocatingWithoutAFreePlaceIsRefused) {
  offer("bo-1", 1);
  admitted("p-0", "bo-1");
  request("p-1", "bo-1");
  refused(AllocatePlace{"p-1", d("2024-03-01"), kHold, ""}, Errc::failed_precondition);
}

TEST_F(WaitingList, AllocatingToARequestNotOnTheListIsRefused) {
  offer("bo-1", 1);
  request("p-1", "bo-1");
  refused(AllocatePlace{"p-1", d("2024-03-01"), kHold, ""}, Errc::failed_precondition);
}

TEST_F(WaitingList, AllocatedReservationExpiresAndTheNextIsProposed) {
  offer("bo-1", 1);
  admitted("p-0", "bo-1");
  request("p-1", "bo-1");
  request("p-2", "bo-1");
  must(DischargePlacement{"p-0", d("2024-03-01")});
  must(AllocatePlace{"p-1", d("2024-03-01"), kHold, ""});
  advance(kHold);
  const auto proposals = events_of<PlaceProposed>(must(ExpireReservation{"p-1"}));
  ASSERT_EQ(proposals.size(), 1u);
  EXPECT_EQ(proposals[0].placement_id, "p-2");
}

TEST_F(WaitingList, WithdrawingFromTheWaitingListRemovesTheEntry) {
  offer("bo-1", 0);
  request("p-1", "bo-1");
  request("p-2", "bo-1");
  must(WithdrawPlacement{"p-1", ""});
  EXPECT_EQ(ids(offer_state("bo-1")), (std::vector<std::string>{"p-2"}));
  EXPECT_EQ(capacity_at(state_, "bo-1", d("2024-02-01")).value().waiting, 1);
}

TEST_F(WaitingList, RejectingRemovesTheEntry) {
  offer("bo-1", 0);
  request("p-1", "bo-1");
  must(RejectPlacement{"p-1", "outside the target group in practice"});
  EXPECT_TRUE(offer_state("bo-1").waiting_list.empty());
}

}  // namespace
}  // namespace placement::domain::testing

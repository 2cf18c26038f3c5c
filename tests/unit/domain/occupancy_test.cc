#include "services/domain/occupancy.h"

#include "domain_fixture.h"

namespace placement::domain::testing {
namespace {

PlacementState placement_in(std::string id, std::string offer_id, PlacementStatus status, Date from) {
  PlacementState p;
  p.id = std::move(id);
  p.offer_id = std::move(offer_id);
  p.status = status;
  p.hold_from = from;
  return p;
}

TEST(Holds, ReservedAndAdmittedHoldOpenEnded) {
  const auto reserved = holds_of(placement_in("p", "o", PlacementStatus::reserved, d("2024-02-01")));
  ASSERT_EQ(reserved.size(), 1u);
  EXPECT_EQ(reserved[0].kind, HoldKind::reserved);
  EXPECT_TRUE(reserved[0].range.open_ended());
  const auto admitted = holds_of(placement_in("p", "o", PlacementStatus::admitted, d("2024-02-01")));
  EXPECT_EQ(admitted.at(0).kind, HoldKind::occupied);
}

TEST(Holds, DischargedHoldsUpToTheDischargeDate) {
  auto p = placement_in("p", "o", PlacementStatus::discharged, d("2024-02-01"));
  p.discharged_on = d("2024-02-10");
  const auto holds = holds_of(p);
  ASSERT_EQ(holds.size(), 1u);
  EXPECT_EQ(holds[0].range, (DateRange{d("2024-02-01"), d("2024-02-10")}));
}

TEST(Holds, EndedStatusesHoldNothing) {
  for (PlacementStatus status : {PlacementStatus::requested, PlacementStatus::waitlisted, PlacementStatus::withdrawn,
                                 PlacementStatus::rejected, PlacementStatus::reservation_expired}) {
    EXPECT_TRUE(holds_of(placement_in("p", "o", status, d("2024-02-01"))).empty());
  }
}

using Occupancy = DomainTest;

TEST_F(Occupancy, CountsOpenOccupiedReservedVacantAndWaiting) {
  offer("bo-1", 3);
  admitted("p-1", "bo-1");
  request("p-2", "bo-1");
  reserve("p-2");
  const PlaceCounts counts = count_places_on(state_, offer_state("bo-1"), d("2024-02-01"));
  EXPECT_EQ(counts.open, 3);
  EXPECT_EQ(counts.occupied, 1);
  EXPECT_EQ(counts.reserved, 1);
  EXPECT_EQ(counts.vacant, 1);
  EXPECT_EQ(counts.waiting, 0);
}

TEST_F(Occupancy, MinFreeFindsTheTightestLaterDate) {
  offer("bo-1", 3);
  must(ChangeCapacity{"bo-1", d("2024-05-01"), 2});
  admitted("p-1", "bo-1");
  const FreePlaces free = min_free_from(state_, offer_state("bo-1"), d("2024-02-01"));
  EXPECT_EQ(free.places, 1);
  EXPECT_EQ(free.tightest_date, d("2024-05-01"));
}

TEST_F(Occupancy, ReplacementStandsInForItsNamesake) {
  offer("bo-1", 1);
  admitted("p-1", "bo-1");
  EXPECT_EQ(min_free_from(state_, offer_state("bo-1"), d("2024-02-01")).places, 0);
  PlacementState discharged = placement("p-1");
  discharged.status = PlacementStatus::discharged;
  discharged.discharged_on = d("2024-03-01");
  EXPECT_EQ(min_free_from(state_, offer_state("bo-1"), d("2024-02-01"), &discharged).places, 0);
  EXPECT_EQ(min_free_from(state_, offer_state("bo-1"), d("2024-03-01"), &discharged).places, 1);
}

TEST_F(Occupancy, NothingIsFreeFromTheClosingDate) {
  offer("bo-1", 4);
  must(CloseOffer{"bo-1", d("2024-06-01")});
  const FreePlaces free = min_free_from(state_, offer_state("bo-1"), d("2024-02-01"));
  EXPECT_EQ(free.places, 0);
  EXPECT_EQ(free.tightest_date, d("2024-06-01"));
}

}  // namespace
}  // namespace placement::domain::testing

#include "services/domain/apply.h"

#include "domain_fixture.h"

namespace placement::domain::testing {
namespace {

using Replay = DomainTest;

TEST_F(Replay, ReplayingTheLogRebuildsAnEqualState) {
  offer("bo-1", 1);
  offer("bo-2", 2);
  admitted("p-0", "bo-1");
  request("p-1", "bo-1");
  advance(std::chrono::seconds(3));
  request("p-2", "bo-1");
  must(TransferPlacement{"p-0", "bo-2", d("2024-03-01")});
  must(AllocatePlace{"p-2", d("2024-03-01"), kHold, "urgent"});
  must(SetRate{"bo-1", d("2024-01-01"), std::nullopt, RateBasis{2024, Ore{50'000'000}, 600, Ore{0}, 1, 9'500},
               std::nullopt, std::nullopt});
  advance(kHold);
  must(ExpireReservation{"p-2"});
  must(DischargePlacement{"p-0", d("2024-05-01")});
  must(SetObjectiveWeight{147, 7});

  const State rebuilt = replay(log_);
  EXPECT_EQ(rebuilt, state_);
  EXPECT_EQ(rebuilt.offers.at("bo-1").waiting_list.size(), 1u);
}

TEST_F(Replay, ApplyingEventsItMayTakeFromBuildsTheSameStateAsApplyingCopies) {
  offer("bo-1", 1);
  offer("bo-2", 2);
  admitted("p-0", "bo-1");
  request("p-1", "bo-1");
  must(TransferPlacement{"p-0", "bo-2", d("2024-03-01")});
  must(DischargePlacement{"p-0", d("2024-05-01")});
  State taken;
  for (Event event : log_) apply(taken, std::move(event));
  EXPECT_EQ(taken, state_);
  EXPECT_EQ(taken.placements.at("p-1").citizen, state_.placements.at("p-1").citizen);
  EXPECT_FALSE(taken.placements.at("p-1").citizen.citizen_id.empty());
}

TEST_F(Replay, WaitingSequenceContinuesAfterReplay) {
  offer("bo-1", 0);
  request("p-1", "bo-1");
  request("p-2", "bo-1");
  const State rebuilt = replay(log_);
  EXPECT_EQ(rebuilt.next_waiting_sequence, 3u);
}

TEST_F(Replay, ApplyIsTotalForEventsNamingUnknownEntities) {
  State state;
  apply(state, PlacementAdmitted{"ghost", "nowhere", d("2024-01-01")});
  apply(state, CapacityChanged{"nowhere", d("2024-01-01"), 3});
  EXPECT_EQ(state, State{});
}

TEST(PlacementStatusNames, ActiveStatusesAreTheOpenOnes) {
  EXPECT_TRUE(is_active(PlacementStatus::requested));
  EXPECT_TRUE(is_active(PlacementStatus::waitlisted));
  EXPECT_TRUE(is_active(PlacementStatus::reserved));
  EXPECT_TRUE(is_active(PlacementStatus::admitted));
  EXPECT_FALSE(is_active(PlacementStatus::discharged));
  EXPECT_FALSE(is_active(PlacementStatus::rejected));
  EXPECT_FALSE(is_active(PlacementStatus::withdrawn));
  EXPECT_FALSE(is_active(PlacementStatus::reservation_expired));
  EXPECT_EQ(to_string(PlacementStatus::reservation_expired), "RESERVATION_EXPIRED");
}

}  // namespace
}  // namespace placement::domain::testing

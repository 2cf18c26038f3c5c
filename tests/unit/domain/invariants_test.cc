// Property test over decide + apply: a long pseudo-random sequence of commands (fixed seed, so a
// failure reproduces) never breaks the invariants, and replaying the log rebuilds the same state.

#include <map>
#include <random>

#include "domain_fixture.h"
#include "services/domain/occupancy.h"

namespace placement::domain::testing {
namespace {

class Invariants : public DomainTest {
 protected:
  // The offer's index (offer_index.h), kept by apply event by event, equals one computed afresh
  // from every placement by holds_of's rules: no hold is ever left out of counting.
  void expect_index_as_recomputed(const OfferState& offer) {
    decltype(offer.active_ids) active;
    decltype(offer.ended_stays) ended;
    for (const auto& [pid, p] : state_.placements) {
      if (is_active(p.status) && p.offer_id == offer.id) active.insert(pid);
      for (const Hold& hold : holds_of(p)) {
        if (hold.offer_id == offer.id && !hold.range.to.is_max()) ended.insert({hold.range.to, pid});
      }
    }
    EXPECT_EQ(offer.active_ids, active) << offer.id;
    EXPECT_EQ(offer.ended_stays, ended) << offer.id;
  }

  void expect_invariants() {
    for (const auto& [id, offer] : state_.offers) {
      for (int day = 0; day < 200; day += 3) {
        const Date date = add_days(d("2024-01-01"), day);
        const PlaceCounts counts = count_places_on(state_, offer, date);
        ASSERT_LE(counts.occupied + counts.reserved, counts.open) << id << " on " << to_string(date);
      }
      std::set<std::string> citizens;
      for (const auto& [pid, p] : state_.placements) {
        if (p.offer_id != id || !is_active(p.status)) continue;
        ASSERT_TRUE(citizens.insert(p.citizen.citizen_id).second) << "two active placements of one citizen in " << id;
      }
      expect_index_as_recomputed(offer);
      for (const WaitingEntry& entry : offer.waiting_list) {
        ASSERT_EQ(placement(entry.placement_id).status, PlacementStatus::waitlisted);
      }
    }
  }
};

TEST_F(Invariants, RandomCommandsNeverOverbookAndReplayAgrees) {
  std::mt19937 random(20240101);
  const auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  const std::vector<std::string> offers = {"o-0", "o-1", "o-2"};
  for (const std::string& id : offers) offer(id, 2);
  int accepted = 0;
  int next_placement = 0;
  for (int step = 0; step < 3000; ++step) {
    advance(std::chrono::hours(pick(30)));
    const Date date = add_days(d("2024-01-01"), pick(150));
    const std::string offer_id = offers[static_cast<std::size_t>(pick(3))];
    const std::string some_placement = "p-" + std::to_string(pick(std::max(1, next_placement)));
    const auto placement_in = [&](PlacementStatus status) {
      return domain::testing::placement_in(state_, status, some_placement, pick);
    };
    CommandBody body;
    switch (pick(10)) {
      case 0:
      case 1: {
        auto spec = request_spec("p-" + std::to_string(next_placement++), offer_id, "c-" + std::to_string(pick(25)));
        spec.requested_start = date;
        spec.join_waiting_list_if_full = pick(2) == 0;
        body = spec;
        break;
      }
      case 2: body = ReservePlace{placement_in(PlacementStatus::requested), date, kHold, pick(2) == 0}; break;
      case 3:
        body = AllocatePlace{placement_in(PlacementStatus::waitlisted), date, kHold, pick(2) == 0 ? "" : "judgement"};
        break;
      case 4: body = AdmitPlacement{placement_in(PlacementStatus::reserved), date}; break;
      case 5: body = DischargePlacement{placement_in(PlacementStatus::admitted), date}; break;
      case 6: body = TransferPlacement{placement_in(PlacementStatus::admitted), offer_id, date}; break;
      case 7:
        body = pick(2) == 0 ? CommandBody{WithdrawPlacement{some_placement, ""}}
                            : CommandBody{ExpireReservation{placement_in(PlacementStatus::reserved)}};
        break;
      default: body = ChangeCapacity{offer_id, date, pick(4)}; break;
    }
    if (run(body)) ++accepted;
    expect_invariants();
    if (::testing::Test::HasFatalFailure()) FAIL() << "after step " << step;
  }
  EXPECT_GT(accepted, 500);
  std::map<std::string_view, int> seen;
  for (const Event& event : log_) ++seen[event_type_name(event)];
  for (std::string_view type :
       {"PlacementWaitlisted", "PlacementReserved", "PlaceAllocated", "PlacementAdmitted", "PlacementTransferred",
        "PlacementDischarged", "PlacementWithdrawn", "ReservationExpired", "PlaceProposed"}) {
    EXPECT_GT(seen[type], 0) << type << " never happened: the sequence does not exercise it";
  }
  EXPECT_EQ(replay(log_), state_);
}

}  // namespace
}  // namespace placement::domain::testing

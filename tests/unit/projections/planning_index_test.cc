#include "services/projections/planning_index.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "services/domain/occupancy.h"
#include "tests/unit/projections/index_equality.h"
#include "tests/unit/projections/projections_fixture.h"

namespace placement::projections::testing {
namespace {

class PlanningIndexTest : public ProjectionsTest {};

bool same(const PlaceCounts& a, const PlaceCounts& b) {
  return a.open == b.open && a.occupied == b.occupied && a.reserved == b.reserved && a.vacant == b.vacant &&
         a.waiting == b.waiting;
}

TEST_F(PlanningIndexTest, CountsAgreeWithTheDomainOnEveryDate) {
  offer("a", 3);
  offer("b", 2);
  admitted("p1", "a", d("2024-02-01"));
  admitted("p2", "a", d("2024-02-05"));
  must(TransferPlacement{"p2", "b", d("2024-02-10")});  // a: [02-05, 02-10), then b
  request("p3", "a");
  reserve("p3", d("2024-02-07"));  // reserved from 02-07
  admitted("p4", "b", d("2024-02-03"));
  must(DischargePlacement{"p4", d("2024-02-12")});
  must(ChangeCapacity{"a", d("2024-02-15"), 4});
  request("p5", "b");
  request("p6", "b");
  offer("c", 5);  // no placements: capacity and closing only
  must(ChangeCapacity{"c", d("2024-02-08"), 7});
  must(ChangeCapacity{"c", d("2024-02-25"), 9});  // after the closing: never open
  must(CloseOffer{"c", d("2024-02-20")});

  const PlanningIndex idx = index();
  for (Date date = d("2024-01-25"); date < d("2024-03-01"); date = add_days(date, 1)) {
    for (const char* id : {"a", "b", "c"}) {
      const PlaceCounts expected = count_places_on(state_, offer_state(id), date);
      EXPECT_TRUE(same(idx.find(id)->counts_on(date), expected)) << id << " " << to_string(date);
    }
  }
  EXPECT_EQ(idx.find("a")->organisation_on(kEarliestDate).region_code, 1084);
  EXPECT_EQ(idx.find("zzz"), nullptr);
}

// Brings `index` up to date with the batch of events that took `before` to state_, as
// PlanningViews does after folding new events into a reused model.
void update_over(PlanningIndex& index, const State& before, const std::vector<Event>& batch, const State& after) {
  TouchedOffers touched;
  for (const Event& event : batch) touched.note(before, event);
  touched.settle(after);
  index.update(touched);
}

TEST_F(PlanningIndexTest, UpdateRebuildsOnlyTheTouchedOffers) {
  offer("a", 3);
  offer("b", 3);
  offer("c", 3);
  admitted("p1", "a", d("2024-02-01"));
  admitted("p2", "c", d("2024-02-01"));
  PlanningIndex live = index();
  const IndexedHold* kept = live.find("c")->holds.data();

  const State before = state_;
  std::vector<Event> batch = must(TransferPlacement{"p1", "b", d("2024-02-10")});
  for (const Event& event : must(request_spec("p3", "b"))) batch.push_back(event);
  update_over(live, before, batch, state_);

  expect_same_index(live, index());
  EXPECT_EQ(live.find("a")->holds.size(), 1u);  // the stay [02-01, 02-10)
  EXPECT_EQ(live.find("b")->holds.size(), 1u);  // from 02-10
  EXPECT_EQ(live.find("c")->holds.data(), kept) << "an untouched offer's entry was rebuilt";
}

TEST_F(PlanningIndexTest, UpdateAddsNewOffersInIdOrderAndFollowsRegions) {
  offer("b", 2);
  admitted("p1", "b");
  PlanningIndex live = index();

  State before = state_;
  std::vector<Event> batch =
      must(offer_spec("a", SpecialisationLevel::moderat, {TargetGroup::multiple_disabilities}, 147));
  for (const Event& event : must(offer_spec("c"))) batch.push_back(event);
  for (const Event& event : must(ChangeCapacity{"a", d("2024-01-01"), 2})) batch.push_back(event);
  update_over(live, before, batch, state_);
  expect_same_index(live, index());
  EXPECT_EQ(live.find("a")->organisation_on(kEarliestDate).region_code, 1084);

  // A registration moves an operator to another region: apply takes it (decide would refuse a
  // second registration, but apply is total), and every entry's region follows.
  before = state_;
  const Event moved = MunicipalityRegistered{147, "Frederiksberg", 1082, 420474};
  apply(state_, moved);
  update_over(live, before, {moved}, state_);
  expect_same_index(live, index());
  EXPECT_EQ(live.find("a")->organisation_on(kEarliestDate).region_code, 1082);
}

// Property: from any state, after any batch of events, the updated index equals the one built
// afresh. Random commands (fixed seed, as in tests/unit/domain/invariants_test.cc) in batches of
// one to four, so an offer or placement can change several times between two updates as it does
// between two planners' calls, plus region moves that only raw events make.
TEST_F(PlanningIndexTest, UpdatedIndexEqualsAFreshOneAfterEveryRandomBatch) {
  std::mt19937 random(20261130);
  const auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  std::vector<std::string> offers = {"o-0", "o-1", "o-2"};
  offer("o-0", 4);
  offer("o-1", 3, SpecialisationLevel::moderat, 147);
  offer("o-2", 2, SpecialisationLevel::moderat, 751);
  PlanningIndex live = index();
  std::map<std::string_view, int> seen;
  int next_placement = 0;
  for (int step = 0; step < 1200; ++step) {
    const State before = state_;  // what the batch is noted against while state_ moves on
    std::vector<Event> batch;
    for (int command = 1 + pick(4); command > 0; --command) {
      advance(std::chrono::hours(pick(30)));
      const Date date = add_days(d("2024-01-01"), pick(150));
      const std::string offer_id = offers[static_cast<std::size_t>(pick(static_cast<int>(offers.size())))];
      const std::string some_placement = "p-" + std::to_string(pick(std::max(1, next_placement)));
      const auto placement_in = [&](PlacementStatus status) {
        return domain::testing::placement_in(state_, status, some_placement, pick);
      };
      CommandBody body;
      switch (pick(14)) {
        case 0:
        case 1:
        case 2: {
          auto spec = request_spec("p-" + std::to_string(next_placement++), offer_id, "c-" + std::to_string(pick(25)));
          spec.requested_start = date;
          spec.join_waiting_list_if_full = pick(2) == 0;
          body = spec;
          break;
        }
        case 3:
          body = ReservePlace{placement_in(PlacementStatus::requested), date, domain::testing::kHold, pick(2) == 0};
          break;
        case 4:
          body = AllocatePlace{placement_in(PlacementStatus::waitlisted), date, domain::testing::kHold,
                               pick(2) == 0 ? "" : "judgement"};
          break;
        case 5: body = AdmitPlacement{placement_in(PlacementStatus::reserved), date}; break;
        case 6: body = DischargePlacement{placement_in(PlacementStatus::admitted), date}; break;
        case 7:
        case 8: {
          const std::string moving = placement_in(PlacementStatus::admitted);
          const PlacementState* p = find_placement(state_, moving);
          const Date from =
              p && p->hold_from ? add_days(*p->hold_from, pick(20)) : date;  // mostly on or after the stay's start
          body = TransferPlacement{moving, offer_id, from};
          break;
        }
        case 9:
          body = pick(2) == 0 ? CommandBody{WithdrawPlacement{some_placement, ""}}
                              : CommandBody{ExpireReservation{placement_in(PlacementStatus::reserved)}};
          break;
        case 10: body = RejectPlacement{placement_in(PlacementStatus::waitlisted), "no fit"}; break;
        case 11: body = ChangeCapacity{offer_id, date, pick(6)}; break;
        case 12:
          if (const int r = pick(6); r == 0) {
            const std::string id = "o-" + std::to_string(offers.size());
            offers.push_back(id);
            body = offer_spec(id, SpecialisationLevel::moderat, {TargetGroup::multiple_disabilities},
                              pick(2) ? 1084 : 147);
          } else if (r == 1) {
            body = CloseOffer{offer_id, add_days(date, 100)};
          } else {
            body = ChangeCapacity{offer_id, date, 2 + pick(4)};
          }
          break;
        default: {
          if (pick(3) != 0) {
            body = ChangeCapacity{offer_id, date, 2 + pick(4)};
            break;
          }
          const Event moved = MunicipalityRegistered{147, "Frederiksberg", pick(2) ? 1082 : 1084, 420474};
          apply(state_, moved);
          batch.push_back(moved);
          continue;
        }
      }
      if (auto events = run(body)) batch.insert(batch.end(), events.value().begin(), events.value().end());
    }
    for (const Event& event : batch) ++seen[event_type_name(event)];
    update_over(live, before, batch, state_);
    expect_same_index(live, index());
    if (::testing::Test::HasFailure()) FAIL() << "after step " << step;
  }
  for (std::string_view type :
       {"OfferRegistered", "CapacityChanged", "OfferClosed", "MunicipalityRegistered", "PlacementRequested",
        "PlacementWaitlisted", "PlacementReserved", "PlaceAllocated", "PlacementAdmitted", "PlacementTransferred",
        "PlacementDischarged", "PlacementWithdrawn", "PlacementRejected", "ReservationExpired"}) {
    EXPECT_GT(seen[type], 0) << type << " never happened: the sequence does not exercise it";
  }
  EXPECT_GT(seen["PlacementTransferred"], 20);
}

}  // namespace
}  // namespace placement::projections::testing

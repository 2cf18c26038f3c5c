#include "services/projections/touched_offers.h"

#include <gtest/gtest.h>

#include "tests/unit/projections/projections_fixture.h"

namespace placement::projections::testing {
namespace {

using Ids = std::set<std::string, std::less<>>;

class TouchedOffersTest : public ProjectionsTest {
 protected:
  // Runs the commands as one batch and notes it as PlanningViews does: against the state before.
  TouchedOffers touched_by(std::vector<CommandBody> bodies) {
    const State before = state_;
    std::vector<Event> batch;
    for (CommandBody& body : bodies) {
      for (const Event& event : must(std::move(body))) batch.push_back(event);
    }
    TouchedOffers touched;
    for (const Event& event : batch) touched.note(before, event);
    touched.settle(state_);
    return touched;
  }
};

TEST_F(TouchedOffersTest, OfferEventsTouchTheirOffer) {
  offer("a", 2);
  offer("b", 2);
  const TouchedOffers touched = touched_by({ChangeCapacity{"a", d("2024-03-01"), 4}});
  EXPECT_EQ(touched.offers(), Ids{"a"});
  EXPECT_FALSE(touched.regions_changed());
}

TEST_F(TouchedOffersTest, ATransferTouchesBothOffers) {
  offer("a", 2);
  offer("b", 2);
  offer("c", 2);
  admitted("p1", "a");
  EXPECT_EQ(touched_by({TransferPlacement{"p1", "b", d("2024-02-10")}}).offers(), (Ids{"a", "b"}));
}

TEST_F(TouchedOffersTest, APlacementTouchesEveryOfferItWasOrIsIn) {
  offer("a", 2);
  offer("b", 2);
  offer("c", 2);
  offer("d", 2);
  admitted("p1", "a");
  must(TransferPlacement{"p1", "b", d("2024-02-10")});
  // Only the discharge is in the batch; the stay in a and the one in b both belong to p1.
  EXPECT_EQ(touched_by({DischargePlacement{"p1", d("2024-02-20")}}).offers(), (Ids{"a", "b"}));
  // Two moves in one batch: every offer of a stay, and the one it ends in.
  admitted("p2", "a", d("2024-03-01"));
  EXPECT_EQ(touched_by({TransferPlacement{"p2", "c", d("2024-03-05")}, TransferPlacement{"p2", "d", d("2024-03-09")}})
                .offers(),
            (Ids{"a", "c", "d"}));
}

// Apply takes most placement events' offer from the placement, not from the event, so the offers
// a placement is in count even when an event names another (decide never writes one that does).
TEST_F(TouchedOffersTest, APlacementEventTouchesThePlacementsOffersWhicheverItNames) {
  offer("a", 2);
  offer("b", 2);
  admitted("p1", "a", d("2024-02-01"));
  const State before = state_;
  const Event moved = PlacementTransferred{"p1", "zzz", "b", d("2024-02-01")};  // same day: no stay left in a
  apply(state_, moved);
  TouchedOffers touched;
  touched.note(before, moved);
  touched.settle(state_);
  EXPECT_EQ(touched.offers(), (Ids{"a", "b", "zzz"}));
}

TEST_F(TouchedOffersTest, ReferenceEventsChangeRegionsOnlyAndWeightsNothing) {
  offer("a", 2);
  const TouchedOffers weight = touched_by({SetObjectiveWeight{101, 7}});
  EXPECT_TRUE(weight.offers().empty());
  EXPECT_FALSE(weight.regions_changed());
  const TouchedOffers municipality = touched_by({RegisterMunicipality{461, "Odense", 1083, 1}});
  EXPECT_TRUE(municipality.offers().empty());
  EXPECT_TRUE(municipality.regions_changed());
}

}  // namespace
}  // namespace placement::projections::testing

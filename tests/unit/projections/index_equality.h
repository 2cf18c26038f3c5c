#pragma once
// Compares two PlanningIndexes entry by entry: offers, regions, holds (with the placements they
// point at) and steps. Used to check an index brought up to date by PlanningIndex::update against
// one built afresh, over the same State or over an equal copy of it.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "services/domain/state.h"
#include "services/projections/planning_index.h"

namespace placement::projections::testing {

// Every pointer in `index` must point into its own state: a pointer left over from before a
// change, or into another State, is a bug even when the values it reads happen to be right.
inline void expect_points_into_own_state(const PlanningIndex& index) {
  for (const OfferIndex& entry : index.offers()) {
    EXPECT_EQ(entry.offer, domain::find_offer(index.state(), entry.offer->id)) << entry.offer->id;
    EXPECT_EQ(index.find(entry.offer->id), &entry) << entry.offer->id;
    for (const IndexedHold& hold : entry.holds) {
      EXPECT_EQ(hold.placement, domain::find_placement(index.state(), hold.placement->id)) << entry.offer->id;
    }
  }
}

inline void expect_same_index(const PlanningIndex& actual, const PlanningIndex& expected) {
  expect_points_into_own_state(actual);
  const bool same_state = &actual.state() == &expected.state();
  ASSERT_EQ(actual.offers().size(), expected.offers().size());
  for (std::size_t i = 0; i < actual.offers().size(); ++i) {
    const OfferIndex& a = actual.offers()[i];
    const OfferIndex& e = expected.offers()[i];
    const std::string& id = e.offer->id;
    ASSERT_EQ(a.offer->id, id) << "offer #" << i;
    if (same_state) {
      EXPECT_EQ(a.offer, e.offer) << id;
    }
    EXPECT_EQ(*a.offer, *e.offer) << id;
    EXPECT_EQ(a.organisation, e.organisation) << id;
    ASSERT_EQ(a.open.size(), e.open.size()) << id;
    for (std::size_t o = 0; o < a.open.size(); ++o) {
      EXPECT_EQ(a.open[o].from, e.open[o].from) << id << " open step #" << o;
      EXPECT_EQ(a.open[o].places, e.open[o].places) << id << " open step #" << o;
    }
    EXPECT_EQ(a.waiting, e.waiting) << id;
    EXPECT_EQ(a.level, e.level) << id;
    EXPECT_TRUE(std::ranges::equal(a.served_groups(), e.served_groups())) << id;
    EXPECT_TRUE(std::ranges::equal(a.served_groups(), a.offer->target_groups)) << id;
    ASSERT_EQ(a.holds.size(), e.holds.size()) << id;
    for (std::size_t h = 0; h < a.holds.size(); ++h) {
      EXPECT_EQ(a.holds[h].range, e.holds[h].range) << id << " hold #" << h;
      EXPECT_EQ(a.holds[h].kind, e.holds[h].kind) << id << " hold #" << h;
      ASSERT_EQ(a.holds[h].placement->id, e.holds[h].placement->id) << id << " hold #" << h;
      if (same_state) {
        EXPECT_EQ(a.holds[h].placement, e.holds[h].placement) << id << " hold #" << h;
      }
      EXPECT_EQ(*a.holds[h].placement, *e.holds[h].placement) << id << " hold #" << h;
    }
    ASSERT_EQ(a.steps.size(), e.steps.size()) << id;
    for (std::size_t s = 0; s < a.steps.size(); ++s) {
      EXPECT_EQ(a.steps[s].from, e.steps[s].from) << id << " step #" << s;
      EXPECT_EQ(a.steps[s].occupied, e.steps[s].occupied) << id << " step #" << s;
      EXPECT_EQ(a.steps[s].reserved, e.steps[s].reserved) << id << " step #" << s;
    }
  }
}

}  // namespace placement::projections::testing

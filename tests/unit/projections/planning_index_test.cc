#include "services/projections/planning_index.h"

#include <gtest/gtest.h>

#include "services/domain/occupancy.h"
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
  reserve("p3", d("2024-02-07"));                        // reserved from 02-07
  admitted("p4", "b", d("2024-02-03"));
  must(DischargePlacement{"p4", d("2024-02-12")});
  must(ChangeCapacity{"a", d("2024-02-15"), 4});
  request("p5", "b");
  request("p6", "b");
  offer("c", 5);                                         // no placements: capacity and closing only
  must(ChangeCapacity{"c", d("2024-02-08"), 7});
  must(ChangeCapacity{"c", d("2024-02-25"), 9});         // after the closing: never open
  must(CloseOffer{"c", d("2024-02-20")});

  const PlanningIndex idx = index();
  for (Date date = d("2024-01-25"); date < d("2024-03-01"); date = add_days(date, 1)) {
    for (const char* id : {"a", "b", "c"}) {
      const PlaceCounts expected = count_places_on(state_, offer_state(id), date);
      EXPECT_TRUE(same(idx.find(id)->counts_on(date), expected)) << id << " " << to_string(date);
    }
  }
  EXPECT_EQ(idx.find("a")->region_code, 1084);
  EXPECT_EQ(idx.find("zzz"), nullptr);
}

}  // namespace
}  // namespace placement::projections::testing

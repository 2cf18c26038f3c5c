#include "domain_fixture.h"

namespace placement::domain::testing {
namespace {

using ReferenceDecide = DomainTest;

TEST_F(ReferenceDecide, RegisteredMunicipalityLivesInState) {
  const Municipality& kbh = state_.municipalities.at(101);
  EXPECT_EQ(kbh.name, "København");
  EXPECT_EQ(kbh.region_code, 1084);
  EXPECT_EQ(kbh.objective_weight, 1924641);
  EXPECT_EQ(state_.regions.size(), 5u);
}

TEST_F(ReferenceDecide, RegionCodeOutsideTheFiveIsRefused) {
  refused(RegisterRegion{1086, "Bornholm"}, Errc::invalid_argument);
}

TEST_F(ReferenceDecide, RegisteringARegionTwiceIsRefused) {
  refused(RegisterRegion{1081, "Nordjylland"}, Errc::already_exists);
}

TEST_F(ReferenceDecide, MunicipalityInUnknownRegionIsRefused) {
  State empty;
  auto events = decide(empty, command(RegisterMunicipality{101, "København", 1084, 1}));
  ASSERT_FALSE(events);
  EXPECT_EQ(events.error().code, Errc::invalid_argument);
}

TEST_F(ReferenceDecide, MunicipalityCodeOutOfRangeIsRefused) {
  refused(RegisterMunicipality{0, "Nowhere", 1084, 1}, Errc::invalid_argument);
  refused(RegisterMunicipality{1000, "Nowhere", 1084, 1}, Errc::invalid_argument);
}

TEST_F(ReferenceDecide, NegativeObjectiveWeightIsRefused) {
  refused(RegisterMunicipality{153, "Brøndby", 1084, -1}, Errc::invalid_argument);
  refused(SetObjectiveWeight{101, -5}, Errc::invalid_argument);
}

TEST_F(ReferenceDecide, RegisteringAMunicipalityTwiceIsRefused) {
  refused(RegisterMunicipality{101, "København", 1084, 1}, Errc::already_exists);
}

TEST_F(ReferenceDecide, NamelessMunicipalityIsRefused) {
  refused(RegisterMunicipality{153, "  ", 1084, 1}, Errc::invalid_argument);
}

TEST_F(ReferenceDecide, ObjectiveWeightCanBeChanged) {
  const auto events = must(SetObjectiveWeight{101, 42});
  EXPECT_EQ(events, (std::vector<Event>{ObjectiveWeightChanged{101, 42}}));
  EXPECT_EQ(state_.municipalities.at(101).objective_weight, 42);
}

TEST_F(ReferenceDecide, WeightOfUnknownMunicipalityIsNotFound) {
  refused(SetObjectiveWeight{999, 1}, Errc::not_found);
}

}  // namespace
}  // namespace placement::domain::testing

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

TEST_F(ReferenceDecide, RegionCodeOutsideTheRegionCodesIsRefused) {
  refused(RegisterRegion{1100, "Bornholm"}, Errc::invalid_argument);
  refused(RegisterRegion{1080, "Bornholm"}, Errc::invalid_argument);
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

TEST_F(ReferenceDecide, WeightOfUnknownMunicipalityIsNotFound) { refused(SetObjectiveWeight{999, 1}, Errc::not_found); }

LoadReferenceData two_regions_three_municipalities() {
  return LoadReferenceData{{{1081, "Nordjylland"}, {1084, "Hovedstaden"}},
                           {{851, "Aalborg", 1081, 706756, 367},
                            {101, "København", 1084, 1924641, 1000},
                            {147, "Frederiksberg", 1084, 420474, 218}}};
}

TEST_F(ReferenceDecide, LoadingReferenceDataRegistersRegionsThenMunicipalitiesInOrder) {
  State empty;
  auto events = decide(empty, command(two_regions_three_municipalities()));
  ASSERT_TRUE(events) << events.error().message;
  ASSERT_EQ(events.value().size(), 5u);
  EXPECT_EQ(events.value()[0], Event(RegionRegistered{1081, "Nordjylland"}));
  EXPECT_EQ(events.value()[4], Event(MunicipalityRegistered{147, "Frederiksberg", 1084, 420474, 218}));
  for (const Event& event : events.value()) EXPECT_EQ(stream_of(event), kReferenceStream);
  State loaded;
  for (const Event& event : events.value()) apply(loaded, event);
  EXPECT_EQ(loaded.municipalities.at(101).region_code, 1084);
}

TEST_F(ReferenceDecide, ReferenceDataLoadsOnlyIntoALedgerWithoutRegions) {
  refused(two_regions_three_municipalities(), Errc::already_exists);
}

TEST_F(ReferenceDecide, ReferenceDataBreakingARuleOfOneEntryIsRefusedWhole) {
  const State empty;
  using Break = void (*)(LoadReferenceData&);
  for (Break broken :
       std::initializer_list<Break>{[](LoadReferenceData& data) { data.municipalities[1].region_code = 1082; },
                                    [](LoadReferenceData& data) { data.municipalities[2].code = 101; },
                                    [](LoadReferenceData& data) { data.municipalities[0].objective_weight = -1; },
                                    [](LoadReferenceData& data) { data.regions[1].code = 1090; },
                                    [](LoadReferenceData& data) { data.municipalities.clear(); }}) {
    LoadReferenceData data = two_regions_three_municipalities();
    broken(data);
    auto events = decide(empty, command(data));
    ASSERT_FALSE(events);
    EXPECT_EQ(events.error().code, Errc::invalid_argument) << events.error().message;
  }
}

}  // namespace
}  // namespace placement::domain::testing

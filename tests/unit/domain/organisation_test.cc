// The organisation over time: the lookups of organisation.h on both sides of a change, and the
// decisions of decide_organisation.cc (refusals change nothing; a merger is all or nothing).

#include "services/domain/organisation.h"

#include "domain_fixture.h"

namespace placement::domain::testing {
namespace {

class Organisation : public DomainTest {
 protected:
  Organisation() {
    must(RegisterMunicipality{253, "Greve", 1085, 1});
    offer("hov-psyk", 10);                                  // operated by region 1084
    offer("kbh-bo", 4, SpecialisationLevel::moderat, 101);  // operated by municipality 101 (region 1084)
  }

  MergeRegions ostdanmark() const { return MergeRegions{1086, "Østdanmark", d("2027-01-01"), {1084, 1085}}; }
};

TEST_F(Organisation, MembershipOnBothSidesOfAMunicipalityChange) {
  must(ChangeMunicipalityRegion{253, 1084, d("2026-07-01")});
  EXPECT_EQ(region_of_municipality_on(state_, 253, d("2026-06-30")), 1085);
  EXPECT_EQ(region_of_municipality_on(state_, 253, d("2026-07-01")), 1084);
  EXPECT_EQ(municipalities_of_region_on(state_, 1084, d("2026-06-30")), (std::vector<std::int32_t>{101, 147}));
  EXPECT_EQ(municipalities_of_region_on(state_, 1084, d("2026-07-01")), (std::vector<std::int32_t>{101, 147, 253}));
  EXPECT_EQ(region_structure_changes(state_), (std::vector<Date>{d("2026-07-01")}));
}

TEST_F(Organisation, AMergerMovesMunicipalitiesAndOffersOnItsDate) {
  const std::vector<Event> events = must(ostdanmark());
  // Established, three municipalities moved (101, 147, 253), one region-operated offer passed, two ceased.
  ASSERT_EQ(events.size(), 1u + 3u + 1u + 2u);
  EXPECT_EQ(std::get<RegionEstablished>(events.front()), (RegionEstablished{1086, "Østdanmark", d("2027-01-01")}));
  EXPECT_EQ(std::get<OfferOperatorChanged>(events[4]), (OfferOperatorChanged{"hov-psyk", 1086, d("2027-01-01")}));
  EXPECT_EQ(std::get<RegionCeased>(events.back()), (RegionCeased{1085, d("2027-01-01"), 1086}));

  const Date before = d("2026-12-31");
  const Date after = d("2027-01-01");
  EXPECT_TRUE(exists_on(state_.regions.at(1084), before));
  EXPECT_FALSE(exists_on(state_.regions.at(1084), after));
  EXPECT_FALSE(exists_on(state_.regions.at(1086), before));
  EXPECT_TRUE(exists_on(state_.regions.at(1086), after));
  EXPECT_EQ(region_of_municipality_on(state_, 253, before), 1085);
  EXPECT_EQ(region_of_municipality_on(state_, 253, after), 1086);
  EXPECT_EQ(region_of_municipality_on(state_, 751, after), 1082);  // untouched
  const OfferState& hospital = state_.offers.at("hov-psyk");
  EXPECT_EQ(operator_on(hospital, before), 1084);
  EXPECT_EQ(operator_on(hospital, after), 1086);
  EXPECT_EQ(region_of_offer_on(state_, hospital, before), 1084);
  EXPECT_EQ(region_of_offer_on(state_, hospital, after), 1086);
  // A municipality's offer keeps its operator; its region follows the municipality.
  const OfferState& housing = state_.offers.at("kbh-bo");
  EXPECT_EQ(operator_on(housing, after), 101);
  EXPECT_EQ(region_of_offer_on(state_, housing, before), 1084);
  EXPECT_EQ(region_of_offer_on(state_, housing, after), 1086);
  // The catchment named 1084 is Østdanmark's from the merger on.
  EXPECT_EQ(catchment_region_on(state_, Catchment::region(1084), before), 1084);
  EXPECT_EQ(catchment_region_on(state_, Catchment::region(1084), after), 1086);
  EXPECT_EQ(municipalities_of_region_on(state_, 1086, after), (std::vector<std::int32_t>{101, 147, 253}));
  EXPECT_EQ(catchment_region_on(state_, Catchment::national(), after), 0);
}

TEST_F(Organisation, AMergerIsWrittenOnce) {
  must(ostdanmark());
  refused(ostdanmark(), Errc::already_exists);
}

TEST_F(Organisation, AnOfferRegisteredWithAMergedRegionPassesOnTheMergerDate) {
  must(ostdanmark());
  const std::vector<Event> events = must(offer_spec("hov-ny"));  // operator 1084, today 2024
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(std::get<OfferOperatorChanged>(events[1]), (OfferOperatorChanged{"hov-ny", 1086, d("2027-01-01")}));
  // Registered after the merger too (a late registration, or a clock past it): the same history.
  today_ = d("2027-02-01");
  const std::vector<Event> late = must(offer_spec("hov-senere"));
  ASSERT_EQ(late.size(), 2u);
  EXPECT_EQ(std::get<OfferOperatorChanged>(late[1]), (OfferOperatorChanged{"hov-senere", 1086, d("2027-01-01")}));
}

TEST_F(Organisation, AChangeToAMergedRegionBeforeTheMergerPassesOnAtIt) {
  must(ostdanmark());
  const std::vector<Event> events = must(ChangeOfferOperator{"kbh-bo", 1085, d("2026-06-01")});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(std::get<OfferOperatorChanged>(events[1]), (OfferOperatorChanged{"kbh-bo", 1086, d("2027-01-01")}));
  const OfferState& housing = state_.offers.at("kbh-bo");
  EXPECT_EQ(operator_on(housing, d("2026-05-31")), 101);
  EXPECT_EQ(operator_on(housing, d("2026-06-01")), 1085);
  EXPECT_EQ(operator_on(housing, d("2027-01-01")), 1086);
  const std::vector<Event> moved = must(ChangeMunicipalityRegion{751, 1085, d("2026-06-01")});
  ASSERT_EQ(moved.size(), 2u);
  EXPECT_EQ(region_of_municipality_on(state_, 751, d("2027-01-01")), 1086);
  // After the merger a merged region takes nothing.
  refused(ChangeOfferOperator{"kbh-bo", 1084, d("2027-02-01")}, Errc::failed_precondition);
}

TEST_F(Organisation, AMunicipalityRegisteredIntoAMergedRegionMovesOnTheMergerDate) {
  must(ostdanmark());
  const std::vector<Event> events = must(RegisterMunicipality{400, "Bornholm", 1084, 1});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(std::get<MunicipalityRegionChanged>(events[1]), (MunicipalityRegionChanged{400, 1086, d("2027-01-01")}));
}

TEST_F(Organisation, MergerRefusals) {
  refused(MergeRegions{1100, "Nowhere", d("2027-01-01"), {1084, 1085}}, Errc::invalid_argument);
  refused(MergeRegions{1086, " ", d("2027-01-01"), {1084, 1085}}, Errc::invalid_argument);
  refused(MergeRegions{1086, "Østdanmark", d("2027-01-01"), {1084}}, Errc::invalid_argument);
  refused(MergeRegions{1086, "Østdanmark", d("2027-01-01"), {1084, 1084}}, Errc::invalid_argument);
  refused(MergeRegions{1086, "Østdanmark", d("2027-01-01"), {1084, 1099}}, Errc::not_found);
  refused(MergeRegions{1081, "Nordjylland", d("2027-01-01"), {1084, 1085}}, Errc::already_exists);
  // A municipality moving into a merged region after the merger would contradict it.
  must(ChangeMunicipalityRegion{751, 1085, d("2027-06-01")});
  const std::string message = refused(ostdanmark(), Errc::failed_precondition);
  EXPECT_NE(message.find("751"), std::string::npos) << message;
}

TEST_F(Organisation, EstablishAndCeaseARegion) {
  refused(EstablishRegion{1086, "", d("2027-01-01")}, Errc::invalid_argument);
  refused(EstablishRegion{1084, "Hovedstaden", d("2027-01-01")}, Errc::already_exists);
  must(EstablishRegion{1086, "Østdanmark", d("2027-01-01")});
  // Dates out of order: a region cannot cease on or before its establishment.
  refused(CeaseRegion{1086, d("2027-01-01"), 0}, Errc::invalid_argument);
  refused(CeaseRegion{1099, d("2027-01-01"), 0}, Errc::not_found);
  refused(CeaseRegion{1084, d("2027-01-01"), 1084}, Errc::invalid_argument);
  // Municipalities still belong to 1084.
  std::string message = refused(CeaseRegion{1084, d("2027-01-01"), 1086}, Errc::failed_precondition);
  EXPECT_NE(message.find("101"), std::string::npos) << message;
  for (std::int32_t code : {101, 147}) must(ChangeMunicipalityRegion{code, 1086, d("2027-01-01")});
  // Without a successor its offer would be left without an operator.
  message = refused(CeaseRegion{1084, d("2027-01-01"), 0}, Errc::failed_precondition);
  EXPECT_NE(message.find("hov-psyk"), std::string::npos) << message;
  // A successor that does not exist from the date on is refused.
  refused(CeaseRegion{1084, d("2026-06-01"), 1086}, Errc::failed_precondition);
  const std::vector<Event> events = must(CeaseRegion{1084, d("2027-01-01"), 1086});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(std::get<OfferOperatorChanged>(events[0]), (OfferOperatorChanged{"hov-psyk", 1086, d("2027-01-01")}));
  refused(CeaseRegion{1084, d("2028-01-01"), 1086}, Errc::failed_precondition);  // already ceases
}

TEST_F(Organisation, ChangeMunicipalityRegionRefusals) {
  refused(ChangeMunicipalityRegion{999, 1084, d("2027-01-01")}, Errc::not_found);
  refused(ChangeMunicipalityRegion{101, 1099, d("2027-01-01")}, Errc::invalid_argument);
  refused(ChangeMunicipalityRegion{101, 1084, d("2027-01-01")}, Errc::failed_precondition);  // already there
  must(EstablishRegion{1086, "Østdanmark", d("2027-01-01")});
  refused(ChangeMunicipalityRegion{101, 1086, d("2026-12-31")}, Errc::failed_precondition);  // before it exists
  must(ChangeMunicipalityRegion{101, 1086, d("2027-01-01")});
}

TEST_F(Organisation, ChangeOfferOperator) {
  refused(ChangeOfferOperator{"nothing", 1084, d("2027-01-01")}, Errc::not_found);
  refused(ChangeOfferOperator{"kbh-bo", 5000, d("2027-01-01")}, Errc::invalid_argument);
  refused(ChangeOfferOperator{"kbh-bo", 101, d("2027-01-01")}, Errc::failed_precondition);  // already its operator
  must(ChangeOfferOperator{"kbh-bo", 147, d("2026-03-01")});
  const OfferState& housing = state_.offers.at("kbh-bo");
  EXPECT_EQ(operator_on(housing, d("2026-02-28")), 101);
  EXPECT_EQ(operator_on(housing, d("2026-03-01")), 147);
  must(EstablishRegion{1086, "Østdanmark", d("2027-01-01")});
  refused(ChangeOfferOperator{"kbh-bo", 1086, d("2026-12-01")}, Errc::failed_precondition);  // before it exists
}

TEST_F(Organisation, TheRegisteredOperatorAndTheOneInForceTodayMayOperateTheOffer) {
  must(ostdanmark());
  const OfferState& hospital = state_.offers.at("hov-psyk");
  EXPECT_TRUE(may_operate(hospital, 1084, d("2026-12-31")));
  EXPECT_TRUE(may_operate(hospital, 1084, d("2027-06-01")));  // registered with it
  EXPECT_FALSE(may_operate(hospital, 1086, d("2026-12-31")));
  EXPECT_TRUE(may_operate(hospital, 1086, d("2027-01-01")));  // its successor from the merger on
  EXPECT_FALSE(may_operate(hospital, 1085, d("2027-01-01")));
  EXPECT_FALSE(may_operate(hospital, 101, d("2027-01-01")));
}

TEST_F(Organisation, ReplayRebuildsTheSameOrganisation) {
  must(ostdanmark());
  must(ChangeOfferOperator{"kbh-bo", 147, d("2027-03-01")});
  EXPECT_EQ(replay(log_), state_);
}

}  // namespace
}  // namespace placement::domain::testing

#include "services/domain/events.h"

#include <gtest/gtest.h>

namespace placement::domain {
namespace {

TEST(Events, EachEventNamesItsStream) {
  EXPECT_EQ(stream_of(RegionRegistered{1081, "Nordjylland"}), "reference");
  EXPECT_EQ(stream_of(MunicipalityRegistered{101, "København", 1084, 1}), "reference");
  EXPECT_EQ(stream_of(ObjectiveWeightChanged{101, 1}), "reference");
  EXPECT_EQ(stream_of(CapacityChanged{"bo-1", {}, 3}), "offer-bo-1");
  EXPECT_EQ(stream_of(PlaceProposed{"bo-1", "p-7", {}}), "offer-bo-1");
  EXPECT_EQ(stream_of(OfferClosed{"bo-1", {}}), "offer-bo-1");
  EXPECT_EQ(stream_of(PlacementAdmitted{"p-7", "bo-1", {}}), "placement-p-7");
  EXPECT_EQ(stream_of(PlacementTransferred{"p-7", "bo-1", "bo-2", {}}), "placement-p-7");
  EXPECT_EQ(stream_of(PlaceAllocated{"p-7", "bo-1", {}, {}, "", ""}), "placement-p-7");
}

TEST(Events, TypeNamesAreStable) {
  EXPECT_EQ(event_type_name(RegionRegistered{}), "RegionRegistered");
  EXPECT_EQ(event_type_name(MunicipalityRegistered{}), "MunicipalityRegistered");
  EXPECT_EQ(event_type_name(ObjectiveWeightChanged{}), "ObjectiveWeightChanged");
  EXPECT_EQ(event_type_name(OfferRegistered{}), "OfferRegistered");
  EXPECT_EQ(event_type_name(CapacityChanged{}), "CapacityChanged");
  EXPECT_EQ(event_type_name(RateSet{}), "RateSet");
  EXPECT_EQ(event_type_name(OfferClosed{}), "OfferClosed");
  EXPECT_EQ(event_type_name(PlaceProposed{}), "PlaceProposed");
  EXPECT_EQ(event_type_name(PlacementRequested{}), "PlacementRequested");
  EXPECT_EQ(event_type_name(PlacementWaitlisted{}), "PlacementWaitlisted");
  EXPECT_EQ(event_type_name(PlacementReserved{}), "PlacementReserved");
  EXPECT_EQ(event_type_name(PlaceAllocated{}), "PlaceAllocated");
  EXPECT_EQ(event_type_name(PlacementAdmitted{}), "PlacementAdmitted");
  EXPECT_EQ(event_type_name(PlacementTransferred{}), "PlacementTransferred");
  EXPECT_EQ(event_type_name(PlacementDischarged{}), "PlacementDischarged");
  EXPECT_EQ(event_type_name(PlacementWithdrawn{}), "PlacementWithdrawn");
  EXPECT_EQ(event_type_name(PlacementRejected{}), "PlacementRejected");
  EXPECT_EQ(event_type_name(ReservationExpired{}), "ReservationExpired");
}

}  // namespace
}  // namespace placement::domain

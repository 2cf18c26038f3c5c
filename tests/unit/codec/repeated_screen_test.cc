#include "services/codec/repeated_screen.h"

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include "placement/v1/audit_service.pb.h"
#include "placement/v1/offer_service.pb.h"
#include "placement/v1/planning_service.pb.h"

namespace placement::codec {
namespace {

using google::protobuf::DescriptorPool;

TEST(RepeatedScreen, EveryCappedFieldNamesARepeatedFieldOfTheApi) {
  ASSERT_NE(v1::StreamEventsRequest::descriptor(), nullptr);  // links the API files
  ASSERT_NE(v1::RegisterOfferRequest::descriptor(), nullptr);
  ASSERT_NE(v1::SetRefundTiersRequest::descriptor(), nullptr);
  for (const auto& [name, cap] : repeated_field_caps()) {
    const auto* field = DescriptorPool::generated_pool()->FindFieldByName(std::string(name));
    ASSERT_NE(field, nullptr) << name << " is not a field: a renamed field lost its cap";
    EXPECT_TRUE(field->is_repeated()) << name;
    EXPECT_EQ(repeated_field_cap(*field), cap) << name;
  }
}

TEST(RepeatedScreen, AcceptsAListWithinItsCapWithEachEntryOnce) {
  v1::RegisterOfferRequest request;
  for (int group = 1; group <= 6; ++group) request.add_target_groups(static_cast<v1::TargetGroup>(group));
  EXPECT_TRUE(refuse_unbounded_repeats(request));
}

TEST(RepeatedScreen, RefusesAListAboveItsCapNamingTheFieldAndTheCap) {
  v1::SetRefundTiersRequest request;
  for (int i = 0; i < 10'000; ++i) request.add_tiers()->set_threshold_per_year_ore(i * 100);
  const auto refused = refuse_unbounded_repeats(request);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::invalid_argument);
  EXPECT_EQ(refused.error().message, "tiers has 10000 entries; at most 8 are accepted");
}

TEST(RepeatedScreen, RefusesARepeatedEnumValue) {
  v1::RegisterOfferRequest request;
  request.add_target_groups(v1::TARGET_GROUP_MULTIPLE_DISABILITIES);
  request.add_target_groups(v1::TARGET_GROUP_MULTIPLE_DISABILITIES);
  const auto refused = refuse_unbounded_repeats(request);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "target_groups[1] repeats an earlier entry of target_groups; name each once");
}

TEST(RepeatedScreen, RefusesARepeatedStringAndARepeatedMessage) {
  v1::StreamEventsRequest stream;
  stream.add_event_types("OfferRegistered");
  stream.add_event_types("PlacementRequested");
  EXPECT_TRUE(refuse_unbounded_repeats(stream));
  stream.add_event_types("OfferRegistered");
  EXPECT_FALSE(refuse_unbounded_repeats(stream));

  v1::SetRefundTiersRequest tiers;
  tiers.add_tiers()->set_threshold_per_year_ore(86'000'000);
  tiers.add_tiers()->set_threshold_per_year_ore(168'000'000);
  EXPECT_TRUE(refuse_unbounded_repeats(tiers));
  tiers.add_tiers()->set_threshold_per_year_ore(86'000'000);
  const auto refused = refuse_unbounded_repeats(tiers);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "tiers[2] repeats an earlier entry of tiers; name each once");
}

TEST(RepeatedScreen, AFieldHasItsOwnCapOrTheDefault) {
  v1::FinancingRequest request;
  const auto* overrides = request.GetDescriptor()->FindFieldByName("overrides");
  ASSERT_NE(overrides, nullptr);
  EXPECT_EQ(repeated_field_cap(*overrides), 1000u);
  const auto* group_by = v1::WaitingListRow::descriptor()->FindFieldByName("target_groups");
  ASSERT_NE(group_by, nullptr);
  EXPECT_EQ(repeated_field_cap(*group_by), kDefaultRepeatedCap);
}

TEST(RepeatedScreen, ScreensListsInsideListedMessages) {
  v1::FinancingRequest request;
  for (int i = 0; i < 3; ++i) request.add_overrides()->set_offer_id("offer-" + std::to_string(i));
  EXPECT_TRUE(refuse_unbounded_repeats(request));
  request.add_overrides()->set_offer_id("offer-1");
  EXPECT_FALSE(refuse_unbounded_repeats(request));
}

}  // namespace
}  // namespace placement::codec

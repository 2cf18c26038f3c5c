#include "services/domain/vocabulary.h"

#include <gtest/gtest.h>

namespace placement::domain {
namespace {

TEST(Vocabulary, TargetGroupsAreOneToSix) {
  EXPECT_EQ(target_group_from_number(1).value(), TargetGroup::multiple_disabilities);
  EXPECT_EQ(target_group_from_number(6).value(), TargetGroup::children_with_complex_difficulties);
  EXPECT_FALSE(target_group_from_number(0));
  EXPECT_FALSE(target_group_from_number(7));
  EXPECT_EQ(number_of(TargetGroup::children_with_extensive_social_problems), 5);
}

TEST(Vocabulary, OnlyGroupsFiveAndSixAreForChildrenOnly) {
  for (int n = 1; n <= 6; ++n) {
    EXPECT_EQ(is_for_children_only(target_group_from_number(n).value()), n >= 5) << n;
  }
}

TEST(Vocabulary, CastValuesOutsideTheEnumAreInvalid) {
  EXPECT_FALSE(is_valid(static_cast<SpecialisationLevel>(0)));
  EXPECT_FALSE(is_valid(static_cast<SpecialisationLevel>(4)));
  EXPECT_FALSE(is_valid(static_cast<TargetGroup>(7)));
  EXPECT_FALSE(is_valid(static_cast<ServiceType>(0)));
  EXPECT_FALSE(is_valid(static_cast<FinancingModel>(5)));
  EXPECT_FALSE(is_valid(static_cast<Role>(0)));
  EXPECT_TRUE(is_valid(ServiceType::sikret));
}

TEST(Vocabulary, NamesRoundTrip) {
  EXPECT_EQ(to_string(SpecialisationLevel::hojt), "HOJT");
  EXPECT_EQ(parse_level("MODERAT").value(), SpecialisationLevel::moderat);
  EXPECT_EQ(parse_service_type("DOGN").value(), ServiceType::dogn);
  EXPECT_EQ(parse_financing_model("OBJEKTIV").value(), FinancingModel::objektiv);
  EXPECT_EQ(parse_role("AUDITOR").value(), Role::auditor);
  EXPECT_FALSE(parse_level("høj"));
}

TEST(Vocabulary, RegionCodesAre1081To1099) {
  EXPECT_TRUE(is_region_code(1081));
  EXPECT_TRUE(is_region_code(1085));
  EXPECT_TRUE(is_region_code(1086));  // a region established later, such as Region Østdanmark
  EXPECT_FALSE(is_region_code(1080));
  EXPECT_FALSE(is_region_code(1100));
  EXPECT_FALSE(is_region_code(101));
}

TEST(Financing, MixedShareMustBeWithinWhole) {
  EXPECT_TRUE(validate(Financing{FinancingModel::mixed, 0}));
  EXPECT_TRUE(validate(Financing{FinancingModel::mixed, 10'000}));
  EXPECT_FALSE(validate(Financing{FinancingModel::mixed, 10'001}));
  EXPECT_FALSE(validate(Financing{FinancingModel::mixed, -1}));
}

TEST(Financing, OnlyMixedHasAnObjectiveShare) {
  EXPECT_TRUE(validate(Financing{FinancingModel::takst, 0}));
  EXPECT_FALSE(validate(Financing{FinancingModel::objektiv, 5'000}));
  EXPECT_FALSE(validate(Financing{static_cast<FinancingModel>(0), 0}));
}

TEST(Ids, OnlyStreamSafeCharactersAreAccepted) {
  EXPECT_TRUE(validate_id("offer", "bo-101.a_1"));
  EXPECT_FALSE(validate_id("offer", ""));
  EXPECT_FALSE(validate_id("offer", "a b"));
  EXPECT_FALSE(validate_id("offer", "æble"));
  EXPECT_FALSE(validate_id("offer", std::string(65, 'a')));
}

TEST(Instant, PrintsAsUtc) {
  const Instant t{std::chrono::microseconds{1'700'000'000'123'456}};
  EXPECT_EQ(to_string(t), "2023-11-14T22:13:20.123456Z");
}

}  // namespace
}  // namespace placement::domain

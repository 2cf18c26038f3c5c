#include "services/codec/planning_codec.h"

#include <string>
#include <variant>

#include <gtest/gtest.h>

#include "placement/v1/planning_events.pb.h"

namespace placement::codec {
namespace {

namespace pj = projections;

// One sample per planning event, every field away from its default.
std::vector<pj::PlanningEvent> samples() {
  return {
      pj::ObjectiveKeySet{{{101, 1'234'567}, {147, 0}, {851, 98'765}}},
      pj::BlockGrantSet{1084, 2018, Ore{12'345'678'901}},
      pj::RefundTiersSet{2024, {{Ore{86'000'000}, 2'500}, {Ore{168'000'000}, 5'000}, {Ore{212'000'000}, 7'500}}},
      pj::IncomeRecorded{"p-17", pj::YearMonth{2023, 11}, pj::MonthIncome{Ore{1'500'00}, Ore{2'750'25}}},
  };
}

TEST(PlanningCodec, EveryEventRoundTrips) {
  auto all = samples();
  ASSERT_EQ(all.size(), std::variant_size_v<pj::PlanningEvent>);
  for (const auto& event : all) {
    const auto encoded = encode_planning_event(event);
    EXPECT_EQ(encoded.type, pj::event_type_name(event));
    EXPECT_TRUE(is_planning_event_type(encoded.type));
    auto decoded = decode_planning_event(encoded.type, encoded.payload);
    ASSERT_TRUE(decoded) << encoded.type << ": " << decoded.error().message;
    EXPECT_EQ(decoded.value(), event) << encoded.type;
  }
}

TEST(PlanningCodec, DecodingIntoAnEventReplacesWhatItHeld) {
  const auto all = samples();
  pj::PlanningEvent out = all.back();
  for (const auto& event : all) {
    const auto encoded = encode_planning_event(event);
    const auto decoded = decode_planning_event_into(encoded.type, encoded.payload, out);
    ASSERT_TRUE(decoded) << encoded.type << ": " << decoded.error().message;
    EXPECT_EQ(out, event) << encoded.type;
  }
  const auto unknown = decode_planning_event_into("BudgetSet", "", out);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Errc::data_loss);
}

TEST(PlanningCodec, AnEmptyKeyRoundTripsAsTheDefaultKey) {
  const pj::PlanningEvent event = pj::ObjectiveKeySet{};
  const auto encoded = encode_planning_event(event);
  auto decoded = decode_planning_event(encoded.type, encoded.payload);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded.value(), event);
}

TEST(PlanningCodec, TypeNamesAreTheMessageNames) {
  EXPECT_EQ(encode_planning_event(pj::BlockGrantSet{}).type, v1::BlockGrantSet::descriptor()->name());
  EXPECT_EQ(encode_planning_event(pj::ObjectiveKeySet{}).type, v1::ObjectiveKeySet::descriptor()->name());
  EXPECT_EQ(encode_planning_event(pj::RefundTiersSet{}).type, v1::RefundTiersSet::descriptor()->name());
  EXPECT_EQ(encode_planning_event(pj::IncomeRecorded{}).type, v1::IncomeRecorded::descriptor()->name());
}

TEST(PlanningCodec, DomainEventTypesAreNotPlanningTypes) {
  EXPECT_FALSE(is_planning_event_type("OfferRegistered"));
  EXPECT_FALSE(is_planning_event_type("MunicipalityRegistered"));
  EXPECT_FALSE(is_planning_event_type(""));
}

TEST(PlanningCodec, RefusesUnknownTypesAndGarbage) {
  auto unknown = decode_planning_event("BudgetSet", "");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Errc::data_loss);
  EXPECT_NE(unknown.error().message.find("BudgetSet"), std::string::npos);

  auto garbage = decode_planning_event("BlockGrantSet", std::string("\xff\xff\xff", 3));
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().code, Errc::data_loss);
}

TEST(PlanningCodec, RefusesAMunicipalityNamedTwiceOrACodeBeyondInt32) {
  v1::ObjectiveKeySet twice;
  for (int i = 0; i < 2; ++i) {
    auto* weight = twice.add_weights();
    weight->set_municipality_code(101);
    weight->set_weight(i + 1);
  }
  auto decoded = decode_planning_event("ObjectiveKeySet", twice.SerializeAsString());
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().code, Errc::data_loss);

  v1::BlockGrantSet huge;
  huge.set_region_code(0x8000'0000u);
  auto refused = decode_planning_event("BlockGrantSet", huge.SerializeAsString());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::data_loss);
}

}  // namespace
}  // namespace placement::codec

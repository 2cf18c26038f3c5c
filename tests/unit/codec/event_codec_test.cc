#include "services/codec/event_codec.h"

#include <chrono>
#include <cstddef>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include "placement/v1/events.pb.h"
#include "placement/v1/planning_events.pb.h"
#include "placement/v1/reference_events.pb.h"
#include "tests/support/dates.h"

namespace placement::codec {
namespace {

using namespace placement::domain;  // the samples name many event types

using placement::testing::day;
Instant at_micros(std::int64_t count) { return Instant(std::chrono::microseconds(count)); }

// One sample per event type, every field away from its default. A new alternative of Event without
// a sample here does not compile (all_samples below asks for one per alternative).
RegionRegistered sample(std::type_identity<RegionRegistered>) { return {1084, "Region Hovedstaden"}; }
MunicipalityRegistered sample(std::type_identity<MunicipalityRegistered>) {
  return {101, "København", 1084, 1'234'567, 858};
}
ObjectiveWeightChanged sample(std::type_identity<ObjectiveWeightChanged>) { return {147, 98'765}; }
OfferRegistered sample(std::type_identity<OfferRegistered>) {
  return {"bo-1",
          "Bofællesskabet Æblehaven",
          1084,
          SpecialisationLevel::hojt,
          {TargetGroup::communication_disabilities, TargetGroup::children_with_complex_difficulties},
          ServiceType::institution,
          "SEL § 108",
          Catchment::region(1084),
          Financing{FinancingModel::mixed, 3'500}};
}
CapacityChanged sample(std::type_identity<CapacityChanged>) { return {"bo-1", day(2024, 2, 29), 17}; }
RateSet sample(std::type_identity<RateSet>) {
  return {"bo-1", day(2025, 1, 1),
          Rate{Ore{456'789}, Ore{12'345}, Ore{6'789},
               RateBasis{2025, Ore{9'876'543'210}, 600, Ore{55'000'000}, 24, 9'600}}};
}
OfferClosed sample(std::type_identity<OfferClosed>) { return {"bo-1", day(2030, 12, 31)}; }
PlaceProposed sample(std::type_identity<PlaceProposed>) { return {"bo-1", "p-7", day(2024, 6, 1)}; }
PlacementRequested sample(std::type_identity<PlacementRequested>) {
  return {"p-7",
          CitizenRef{"5f1e0c9a2b3d4e5f60718293a4b5c6d7", "9a2b7c8d9e0f1a2b3c4d5e6f70819203",
                     std::string("\x01sealed\0bytes\xff", 14)},
          16,
          101,
          "bo-1",
          SpecialisationLevel::moderat,
          TargetGroup::children_with_extensive_social_problems,
          day(2024, 3, 1),
          at_micros(1'709'294'400'123'456)};
}
PlacementWaitlisted sample(std::type_identity<PlacementWaitlisted>) {
  return {"p-7", "bo-1", 18'446'744'073'709'551'615ULL};
}
PlacementReserved sample(std::type_identity<PlacementReserved>) {
  return {"p-7", "bo-1", day(2024, 3, 1), at_micros(1'709'899'200'000'001)};
}
PlaceAllocated sample(std::type_identity<PlaceAllocated>) {
  return {"p-7", "bo-1", day(2024, 4, 2), at_micros(1'712'000'000'654'321), "p-3", "akut behov"};
}
PlacementAdmitted sample(std::type_identity<PlacementAdmitted>) { return {"p-7", "bo-1", day(2024, 3, 4)}; }
PlacementTransferred sample(std::type_identity<PlacementTransferred>) {
  return {"p-7", "bo-1", "bo-2", day(2024, 9, 1)};
}
PlacementDischarged sample(std::type_identity<PlacementDischarged>) { return {"p-7", "bo-2", day(2025, 1, 15)}; }
PlacementWithdrawn sample(std::type_identity<PlacementWithdrawn>) { return {"p-8", "bo-1", "borgeren flyttede"}; }
PlacementRejected sample(std::type_identity<PlacementRejected>) { return {"p-9", "bo-1", "tilbuddet lukker"}; }
ReservationExpired sample(std::type_identity<ReservationExpired>) {
  return {"p-10", "bo-1", at_micros(-86'400'000'001)};
}
CitizenErased sample(std::type_identity<CitizenErased>) {
  return {"5f1e0c9a2b3d4e5f60718293a4b5c6d7", "retention expired (case 2024-117)"};
}

ObjectiveKeySet sample(std::type_identity<ObjectiveKeySet>) { return {{{101, 1'234'567}, {147, 0}, {851, 98'765}}}; }
BlockGrantSet sample(std::type_identity<BlockGrantSet>) { return {1084, 2018, Ore{12'345'678'901}}; }
RefundTiersSet sample(std::type_identity<RefundTiersSet>) {
  return {2024, {{Ore{86'000'000}, 2'500}, {Ore{168'000'000}, 5'000}, {Ore{212'000'000}, 7'500}}, 2022};
}
IncomeRecorded sample(std::type_identity<IncomeRecorded>) {
  return {"p-17", YearMonth{2023, 11}, MonthIncome{Ore{1'500'00}, Ore{2'750'25}}};
}
CaseCostsRecorded sample(std::type_identity<CaseCostsRecorded>) {
  return {"p-18", YearMonth{2023, 7}, CaseCosts{Ore{5'000'000}, Ore{120'000'005}}};
}

RegionEstablished sample(std::type_identity<RegionEstablished>) { return {1086, "Østdanmark", day(2027, 1, 1)}; }
RegionCeased sample(std::type_identity<RegionCeased>) { return {1084, day(2027, 1, 1), 1086}; }
MunicipalityRegionChanged sample(std::type_identity<MunicipalityRegionChanged>) { return {253, 1086, day(2027, 1, 1)}; }
OfferOperatorChanged sample(std::type_identity<OfferOperatorChanged>) { return {"bo-1", 1086, day(2027, 1, 1)}; }

template <std::size_t... I> std::vector<Event> all_samples(std::index_sequence<I...>) {
  return {Event(std::in_place_index<I>, sample(std::type_identity<std::variant_alternative_t<I, Event>>{}))...};
}

std::vector<Event> all_samples() { return all_samples(std::make_index_sequence<std::variant_size_v<Event>>{}); }

template <class Message> std::string serialized(const Message& message) { return message.SerializeAsString(); }

void expect_data_loss(const Result<Event>& result, std::string_view type, std::string_view detail = {}) {
  ASSERT_FALSE(result) << "expected data_loss for " << type;
  EXPECT_EQ(result.error().code, Errc::data_loss);
  EXPECT_NE(result.error().message.find(type), std::string::npos) << result.error().message;
  EXPECT_NE(result.error().message.find(detail), std::string::npos) << result.error().message;
}

TEST(EventCodec, SamplesCoverEveryEventType) {
  const auto samples = all_samples();
  ASSERT_EQ(samples.size(), std::variant_size_v<Event>);
  for (std::size_t i = 0; i < samples.size(); ++i) EXPECT_EQ(samples[i].index(), i);
}

TEST(EventCodec, EveryEventTypeRoundTrips) {
  for (const auto& event : all_samples()) {
    const auto encoded = encode_event(event);
    EXPECT_EQ(encoded.type, event_type_name(event));
    auto decoded = decode_event(encoded.type, encoded.payload);
    ASSERT_TRUE(decoded) << encoded.type << ": " << decoded.error().message;
    EXPECT_EQ(decoded.value(), event) << encoded.type;
  }
}

// Replay decodes into the events of its batches, which still hold what was folded before.
TEST(EventCodec, DecodingIntoAnEventReplacesWhatItHeld) {
  const auto samples = all_samples();
  Event out = samples.back();
  for (const auto& event : samples) {
    const auto encoded = encode_event(event);
    const auto decoded = decode_event_into(encoded.type, encoded.payload, out);
    ASSERT_TRUE(decoded) << encoded.type << ": " << decoded.error().message;
    EXPECT_EQ(out, event) << encoded.type;
  }
  const auto unknown = decode_event_into("OfferRenamed", "", out);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Errc::data_loss);
  EXPECT_NE(unknown.error().message.find("OfferRenamed"), std::string::npos) << unknown.error().message;
}

TEST(EventCodec, DefaultValuedFieldsRoundTrip) {
  // Empty strings, zero counts, national catchment, a rate without basis, the epoch.
  const std::vector<Event> events{
      OfferRegistered{
          "bo-1", "", 0, SpecialisationLevel::let, {}, ServiceType::dogn, "", Catchment::national(), Financing{}},
      RateSet{"bo-1", Date{}, Rate{}},
      CapacityChanged{"bo-1", Date{}, 0},
      PlacementRequested{"p-1", CitizenRef{"c-1", "", ""}, 0, 0, "", SpecialisationLevel::let,
                         TargetGroup::multiple_disabilities, Date{}, Instant{}},
      PlacementWaitlisted{},
      PlacementWithdrawn{},
  };
  for (const auto& event : events) {
    const auto encoded = encode_event(event);
    auto decoded = decode_event(encoded.type, encoded.payload);
    ASSERT_TRUE(decoded) << encoded.type << ": " << decoded.error().message;
    EXPECT_EQ(decoded.value(), event) << encoded.type;
  }
}

// The decoder parses into one message per type again and again: an event decoded after a fuller
// one of its type, or after a payload that failed, keeps nothing of it.
TEST(EventCodec, AnEventKeepsNothingOfTheOneDecodedBeforeIt) {
  const Event full = sample(std::type_identity<PlacementRequested>{});
  const Event sparse = PlacementRequested{"p-1",
                                          CitizenRef{"c-1", "", ""},
                                          0,
                                          0,
                                          "",
                                          SpecialisationLevel::let,
                                          TargetGroup::multiple_disabilities,
                                          Date{},
                                          Instant{}};
  const auto full_payload = encode_event(full).payload;
  const auto sparse_payload = encode_event(sparse).payload;
  ASSERT_TRUE(decode_event("PlacementRequested", full_payload));
  auto decoded = decode_event("PlacementRequested", sparse_payload);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded.value(), sparse);

  ASSERT_FALSE(decode_event("PlacementRequested", full_payload.substr(0, full_payload.size() - 3)));
  decoded = decode_event("PlacementRequested", sparse_payload);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded.value(), sparse);
  decoded = decode_event("PlacementRequested", full_payload);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded.value(), full);
}

TEST(EventCodec, TypeNamesAreTheMessageNames) {
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const auto& event : all_samples()) {
    const auto type = std::string(event_type_name(event));
    EXPECT_NE(pool->FindMessageTypeByName("placement.v1." + type), nullptr) << type;
  }
}

TEST(EventCodec, DecodesAnEnvelope) {
  const Event event = sample(std::type_identity<PlacementAdmitted>{});
  const auto encoded = encode_event(event);
  v1::EventEnvelope envelope;
  envelope.set_event_type(encoded.type);
  envelope.set_payload(encoded.payload);
  auto decoded = decode_event(envelope);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded.value(), event);
}

TEST(EventCodec, ReadsReferenceEventsAsTheServerWritesThem) {
  v1::MunicipalityRegistered written;
  written.set_municipality_code(101);
  written.set_name("København");
  written.set_region_code(1084);
  written.set_objective_key_weight(1'234'567);
  written.set_objective_key_share_bp(858);
  auto decoded = decode_event("MunicipalityRegistered", serialized(written));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded.value(), Event(MunicipalityRegistered{101, "København", 1084, 1'234'567, 858}));
}

TEST(EventCodec, AnEmptyObjectiveKeyRoundTripsAsTheDefaultKey) {
  const Event event = ObjectiveKeySet{};
  const auto encoded = encode_event(event);
  auto decoded = decode_event(encoded.type, encoded.payload);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded.value(), event);
}

TEST(EventCodec, RefusesAKeyNamingAMunicipalityTwiceOrARegionBeyondInt32) {
  v1::ObjectiveKeySet twice;
  for (int i = 0; i < 2; ++i) {
    auto* weight = twice.add_weights();
    weight->set_municipality_code(101);
    weight->set_weight(i + 1);
  }
  expect_data_loss(decode_event("ObjectiveKeySet", serialized(twice)), "ObjectiveKeySet");

  v1::BlockGrantSet huge;
  huge.set_region_code(0x8000'0000u);
  expect_data_loss(decode_event("BlockGrantSet", serialized(huge)), "BlockGrantSet");
}

TEST(EventCodec, UnknownTypeIsDataLoss) {
  expect_data_loss(decode_event("OfferRenamed", ""), "OfferRenamed");
  expect_data_loss(decode_event("", ""), "unknown");
}

TEST(EventCodec, GarbagePayloadIsDataLoss) {
  const std::string garbage("\xff\xff\xff\xff\xff", 5);
  for (const auto& event : all_samples()) {
    const auto type = event_type_name(event);
    expect_data_loss(decode_event(type, garbage), type);
  }
  // A truncated payload: a length prefix promising more bytes than follow.
  auto payload = encode_event(sample(std::type_identity<OfferRegistered>{})).payload;
  payload.resize(payload.size() - 3);
  expect_data_loss(decode_event("OfferRegistered", payload), "OfferRegistered");
}

TEST(EventCodec, EmptyPayloadMissingADateIsDataLoss) {
  expect_data_loss(decode_event("OfferClosed", ""), "OfferClosed", "from");
  expect_data_loss(decode_event("ReservationExpired", ""), "ReservationExpired", "hold_expired_at");
  expect_data_loss(decode_event("PlacementRequested", ""), "PlacementRequested", "citizen");
  expect_data_loss(decode_event("RateSet", ""), "RateSet", "effective_from");
}

TEST(EventCodec, UnspecifiedEnumIsDataLoss) {
  v1::OfferRegistered message;
  ASSERT_TRUE(message.ParseFromString(encode_event(sample(std::type_identity<OfferRegistered>{})).payload));
  message.set_level(v1::SPECIALISATION_LEVEL_UNSPECIFIED);
  expect_data_loss(decode_event("OfferRegistered", serialized(message)), "OfferRegistered", "level");
}

TEST(EventCodec, EnumOutOfRangeIsDataLoss) {
  // Field 7 (target_group), varint 9: appended bytes override the earlier value when parsed.
  auto payload = encode_event(sample(std::type_identity<PlacementRequested>{})).payload;
  payload += std::string("\x38\x09", 2);
  expect_data_loss(decode_event("PlacementRequested", payload), "PlacementRequested", "target_group");
}

TEST(EventCodec, ImpossibleDateIsDataLoss) {
  v1::CapacityChanged message;
  message.set_offer_id("bo-1");
  message.mutable_effective_from()->set_year(2023);
  message.mutable_effective_from()->set_month(2);
  message.mutable_effective_from()->set_day(29);
  message.set_places(3);
  expect_data_loss(decode_event("CapacityChanged", serialized(message)), "CapacityChanged", "effective_from");
}

TEST(EventCodec, CodeBeyondInt32IsDataLoss) {
  v1::RegionRegistered message;
  message.set_region_code(0x8000'0000u);
  expect_data_loss(decode_event("RegionRegistered", serialized(message)), "RegionRegistered", "region_code");
}

TEST(EventCodec, CitizenRefLandsOnlyInTheCitizenField) {
  const auto event = sample(std::type_identity<PlacementRequested>{});
  const auto payload = encode_event(event).payload;
  v1::PlacementRequested message;
  ASSERT_TRUE(message.ParseFromString(payload));
  ASSERT_TRUE(message.has_citizen());
  EXPECT_EQ(message.citizen().citizen_id(), event.citizen.citizen_id);
  EXPECT_EQ(message.citizen().household_id(), event.citizen.household_id);
  EXPECT_EQ(message.citizen().sealed(), event.citizen.sealed);

  // Without the citizen field, no trace of the citizen is left in the bytes.
  message.clear_citizen();
  const auto rest = serialized(message);
  EXPECT_EQ(rest.find(event.citizen.citizen_id), std::string::npos);
  EXPECT_EQ(rest.find(event.citizen.household_id), std::string::npos);
  EXPECT_EQ(rest.find(event.citizen.sealed), std::string::npos);
}

TEST(EventCodec, ACitizenWithoutIdIsRefused) {
  // Events of the format before per-citizen keys carried the pseudonyms in fields 1 and 2, now
  // reserved: they parse, but without a citizen_id, and must not be read as one shared citizen.
  v1::PlacementRequested message;
  message.ParseFromString(encode_event(sample(std::type_identity<PlacementRequested>{})).payload);
  message.mutable_citizen()->clear_citizen_id();
  expect_data_loss(decode_event("PlacementRequested", serialized(message)), "PlacementRequested", "citizen_id");
}

TEST(EventCodec, EveryCitizenRefFieldIsNamedCitizen) {
  const auto* citizen_type = v1::CitizenRef::descriptor();
  int citizen_fields = 0;
  for (const auto* file : {v1::OfferRegistered::descriptor()->file(), v1::RegionRegistered::descriptor()->file()}) {
    for (int m = 0; m < file->message_type_count(); ++m) {
      const auto* message = file->message_type(m);
      for (int f = 0; f < message->field_count(); ++f) {
        const auto* field = message->field(f);
        if (field->message_type() != citizen_type) continue;
        ++citizen_fields;
        EXPECT_EQ(field->name(), "citizen") << message->full_name();
        EXPECT_FALSE(field->is_repeated()) << message->full_name();
      }
    }
  }
  EXPECT_GE(citizen_fields, 1);
}

}  // namespace
}  // namespace placement::codec

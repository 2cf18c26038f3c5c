// The snapshot codec: every field of the read model survives a round trip, and anything that is not a
// whole snapshot of this format is refused (data_loss) rather than half-read.

#include "services/codec/snapshot_codec.h"

#include <gtest/gtest.h>

#include "tests/support/dates.h"

namespace placement::codec {
namespace {

using domain::Date;

using placement::testing::day;
domain::Instant instant(std::int64_t micros) { return domain::Instant(std::chrono::microseconds(micros)); }

// A model with every field set to something other than its default, and a second placement with
// every optional field empty, so a field the codec forgets cannot go unnoticed.
domain::PlanningInputs full_inputs() {
  domain::PlanningInputs inputs = domain::default_planning_inputs();
  inputs.objective_key_override = std::map<std::int32_t, std::int64_t>{{101, 7}, {851, 0}};
  inputs.block_grants[{1084, 2025}] = Ore{50'000'000'00};
  inputs.refund_tables[2030] = {2029, {{Ore{1'000'000'00}, 2'500}}};
  inputs.income["p-1"][{2024, 3}] = {Ore{1'234}, Ore{-56}};
  return inputs;
}

domain::State full_state() {
  domain::State state;
  state.regions[1084] = {1084, "Region Hovedstaden", std::nullopt, day(2027, 1, 1), 1086};
  state.regions[1086] = {1086, "Region Østdanmark", day(2027, 1, 1), std::nullopt, 0};
  state.municipalities[101] = {101, "København", 1084, 6'000'000, {}};
  state.municipalities[101].region_changes.set(day(2027, 1, 1), 1086);
  state.municipalities[851] = {851, "Aalborg", 1081, -3, {}};

  domain::OfferState offer;
  offer.id = "offer-æøå";
  offer.name = "Bofællesskab Kærlund";
  offer.operator_code = 1084;
  offer.operator_changes.set(day(2027, 1, 1), 1086);
  offer.level = domain::SpecialisationLevel::hojt;
  offer.target_groups = {domain::TargetGroup{1}, domain::TargetGroup{4}};
  offer.service_type = domain::ServiceType{2};
  offer.paragraph_of_law = "SEL § 108";
  offer.catchment = domain::Catchment::region(1084);
  offer.financing = {domain::FinancingModel::mixed, 2'500};
  offer.capacity.set(day(2024, 1, 1), 12);
  offer.capacity.set(day(2024, 7, 1), 10);
  domain::Rate rate{Ore{520'548}, Ore{40'000}, Ore{12'345}, std::nullopt};
  offer.rates.set(day(2024, 1, 1), rate);
  rate.basis = domain::RateBasis{2025, Ore{1'900'000'00}, 600, Ore{12'000'00}, 20, 9'500};
  offer.rates.set(day(2025, 1, 1), rate);
  offer.closed_from = day(2030, 1, 1);
  offer.waiting_list = {{instant(1'700'000'000'000'000), 7, "p-2"}};
  offer.active_ids = {"p-1", "p-2"};
  offer.ended_stays = {{day(2024, 3, 1), "p-0"}};
  state.offers[offer.id] = offer;

  domain::PlacementState full;
  full.id = "p-1";
  full.citizen = {"citizen-1", "household-1", std::string("\x01sealed\0", 8)};
  full.age_at_start = 15;
  full.paying_municipality = 101;
  full.offer_id = offer.id;
  full.level = domain::SpecialisationLevel::moderat;
  full.target_group = domain::TargetGroup{4};
  full.requested_start = day(2024, 2, 1);
  full.requested_at = instant(-5);
  full.status = domain::PlacementStatus::discharged;
  full.waiting_sequence = 3;
  full.hold_from = day(2024, 2, 2);
  full.hold_expires_at = instant(1'700'000'123'456'789);
  full.admitted_on = day(2024, 2, 3);
  full.discharged_on = Date::max();
  full.last_proposed_from = day(2024, 2, 4);
  full.previous_stays = {{"offer-0", {day(2023, 1, 1), day(2023, 6, 1)}}};
  full.allocation_reason = "akut behov";
  full.end_reason = "flyttet";
  state.placements[full.id] = full;

  domain::PlacementState bare;
  bare.id = "p-2";
  bare.offer_id = offer.id;
  bare.status = domain::PlacementStatus::waitlisted;
  state.placements[bare.id] = bare;
  state.next_waiting_sequence = 8;
  state.planning = full_inputs();
  return state;
}

TEST(SnapshotCodec, EveryFieldSurvivesARoundTrip) {
  const auto state = full_state();
  auto decoded = decode_snapshot(encode_snapshot(state, Position{123'456'789}));
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded.value().position, Position{123'456'789});
  EXPECT_TRUE(decoded.value().state == state);
}

TEST(SnapshotCodec, AnEmptyModelSurvivesARoundTrip) {
  domain::State empty;
  empty.planning = {};  // not even the default tiers
  auto decoded = decode_snapshot(encode_snapshot(empty, Position{0}));
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_TRUE(decoded.value().state == empty);
  EXPECT_FALSE(decoded.value().state.planning.objective_key_override.has_value());
}

TEST(SnapshotCodec, EveryTruncationIsRefused) {
  const std::string bytes = encode_snapshot(full_state(), Position{42});
  for (std::size_t length = 0; length < bytes.size(); ++length) {
    auto decoded = decode_snapshot(std::string_view(bytes).substr(0, length));
    ASSERT_FALSE(decoded) << "a snapshot cut to " << length << " of " << bytes.size() << " bytes was accepted";
    EXPECT_EQ(decoded.error().code, Errc::data_loss);
  }
}

TEST(SnapshotCodec, TrailingBytesAreRefused) {
  auto decoded = decode_snapshot(encode_snapshot(full_state(), Position{42}) + "x");
  ASSERT_FALSE(decoded);
  EXPECT_NE(decoded.error().message.find("bytes follow its end"), std::string::npos);
}

TEST(SnapshotCodec, AnotherFormatIsRefusedByName) {
  std::string bytes = encode_snapshot(full_state(), Position{42});
  const std::size_t format_at = std::string_view("placement-snapshot").size();
  bytes[format_at] = static_cast<char>(kSnapshotFormat + 1);
  auto decoded = decode_snapshot(bytes);
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().code, Errc::data_loss);
  EXPECT_NE(decoded.error().message.find("format " + std::to_string(kSnapshotFormat + 1)), std::string::npos)
      << decoded.error().message;
}

TEST(SnapshotCodec, OtherBytesAreRefused) {
  EXPECT_FALSE(decode_snapshot("not a snapshot at all"));
  EXPECT_FALSE(decode_snapshot(""));
}

TEST(SnapshotCodec, ACorruptCountCannotMakeItAllocateWithoutBound) {
  // Magic, format, position 0, then a region count of 2^62: refused, not reserved.
  std::string bytes = "placement-snapshot";
  bytes.push_back(static_cast<char>(kSnapshotFormat));
  bytes.push_back(0);
  bytes.append("\x80\x80\x80\x80\x80\x80\x80\x80\x40", 9);
  auto decoded = decode_snapshot(bytes);
  ASSERT_FALSE(decoded);
  EXPECT_NE(decoded.error().message.find("count exceeds"), std::string::npos) << decoded.error().message;
}

}  // namespace
}  // namespace placement::codec

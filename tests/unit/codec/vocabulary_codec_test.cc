#include "services/codec/vocabulary_codec.h"

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>

namespace placement::codec {
namespace {

v1::CalendarDate calendar(int year, int month, int day) {
  v1::CalendarDate date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

google::protobuf::Timestamp timestamp(std::int64_t seconds, std::int32_t nanos) {
  google::protobuf::Timestamp out;
  out.set_seconds(seconds);
  out.set_nanos(nanos);
  return out;
}

domain::Instant micros(std::int64_t count) { return domain::Instant(std::chrono::microseconds(count)); }

template <class T> void expect_invalid(const Result<T>& result, std::string_view field) {
  ASSERT_FALSE(result) << "expected a refusal naming " << field;
  EXPECT_EQ(result.error().code, Errc::invalid_argument);
  EXPECT_EQ(result.error().message.rfind(std::string(field) + ": ", 0), 0u) << result.error().message;
}

TEST(VocabularyCodec, DatesRoundTrip) {
  for (const auto& date : {domain::Date::from_civil(1, 1, 1), domain::Date::from_civil(1970, 1, 1),
                           domain::Date::from_civil(2024, 2, 29), domain::Date::from_civil(9999, 12, 31)}) {
    const auto wire = to_proto(date);
    auto back = from_proto(wire);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back.value(), date) << domain::to_string(date);
  }
  const auto wire = to_proto(domain::Date::from_civil(2018, 10, 15));
  EXPECT_EQ(wire.year(), 2018);
  EXPECT_EQ(wire.month(), 10);
  EXPECT_EQ(wire.day(), 15);
}

TEST(VocabularyCodec, ImpossibleDatesAreRefusedNamingTheField) {
  expect_invalid(from_proto(calendar(2023, 2, 29), "requested_start"), "requested_start");
  expect_invalid(from_proto(calendar(2024, 4, 31), "requested_start"), "requested_start");
  expect_invalid(from_proto(calendar(2024, 13, 1), "requested_start"), "requested_start");
  expect_invalid(from_proto(calendar(2024, 0, 1), "requested_start"), "requested_start");
  expect_invalid(from_proto(calendar(2024, -1, 1), "requested_start"), "requested_start");
  expect_invalid(from_proto(calendar(2024, 1, 0), "requested_start"), "requested_start");
  expect_invalid(from_proto(calendar(2024, 1, -3), "requested_start"), "requested_start");
  expect_invalid(from_proto(calendar(0, 1, 1), "requested_start"), "requested_start");
  expect_invalid(from_proto(calendar(10000, 1, 1), "requested_start"), "requested_start");
  expect_invalid(from_proto(v1::CalendarDate{}, "requested_start"), "requested_start");
  expect_invalid(from_proto(calendar(2023, 2, 29)), "date");
}

TEST(VocabularyCodec, OpenEndIsTheEmptyDate) {
  const auto wire = to_proto(domain::Date::max());
  EXPECT_EQ(wire.year(), 0);
  EXPECT_EQ(wire.month(), 0);
  EXPECT_EQ(wire.day(), 0);
  auto open = from_proto_or_open(wire, "to");
  ASSERT_TRUE(open);
  EXPECT_TRUE(open.value().is_max());
  expect_invalid(from_proto(wire, "to"), "to");

  auto dated = from_proto_or_open(calendar(2025, 1, 31), "to");
  ASSERT_TRUE(dated);
  EXPECT_EQ(dated.value(), domain::Date::from_civil(2025, 1, 31));
  expect_invalid(from_proto_or_open(calendar(2025, 2, 30), "to"), "to");
}

TEST(VocabularyCodec, InstantsRoundTripAtMicrosecondResolution) {
  for (const std::int64_t count :
       {std::int64_t{0}, std::int64_t{1}, std::int64_t{-1}, std::int64_t{1'709'294'400'123'456},
        std::int64_t{-62'135'596'800'000'000}, std::int64_t{253'402'300'799'999'999}}) {
    const auto wire = to_proto(micros(count));
    EXPECT_GE(wire.nanos(), 0);
    EXPECT_LT(wire.nanos(), 1'000'000'000);
    auto back = from_proto(wire);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back.value(), micros(count));
  }
  const auto before_epoch = to_proto(micros(-1));
  EXPECT_EQ(before_epoch.seconds(), -1);
  EXPECT_EQ(before_epoch.nanos(), 999'999'000);
}

TEST(VocabularyCodec, SubMicrosecondPartIsDropped) {
  auto back = from_proto(timestamp(10, 1'999));
  ASSERT_TRUE(back);
  EXPECT_EQ(back.value(), micros(10'000'001));
}

TEST(VocabularyCodec, TimestampsOutsideTheirRangeAreRefused) {
  expect_invalid(from_proto(timestamp(253'402'300'800, 0), "requested_at"), "requested_at");
  expect_invalid(from_proto(timestamp(-62'135'596'801, 0), "requested_at"), "requested_at");
  expect_invalid(from_proto(timestamp(0, -1), "requested_at"), "requested_at");
  expect_invalid(from_proto(timestamp(0, 1'000'000'000), "requested_at"), "requested_at");
}

TEST(VocabularyCodec, LevelsRoundTripAndUnspecifiedIsRefused) {
  for (const auto level :
       {domain::SpecialisationLevel::let, domain::SpecialisationLevel::moderat, domain::SpecialisationLevel::hojt}) {
    auto back = from_proto(to_proto(level));
    ASSERT_TRUE(back);
    EXPECT_EQ(back.value(), level);
  }
  EXPECT_EQ(to_proto(domain::SpecialisationLevel::hojt), v1::SPECIALISATION_LEVEL_HOJT);
  expect_invalid(from_proto(v1::SPECIALISATION_LEVEL_UNSPECIFIED), "level");
  expect_invalid(from_proto(static_cast<v1::SpecialisationLevel>(42), "offer.level"), "offer.level");
}

TEST(VocabularyCodec, TargetGroupsKeepTheirNumbers) {
  for (int number = 1; number <= 6; ++number) {
    const auto group = domain::target_group_from_number(number).value();
    const auto wire = to_proto(group);
    EXPECT_EQ(static_cast<int>(wire), number);
    auto back = from_proto(wire);
    ASSERT_TRUE(back);
    EXPECT_EQ(back.value(), group);
  }
  expect_invalid(from_proto(v1::TARGET_GROUP_UNSPECIFIED), "target_group");
  expect_invalid(from_proto(static_cast<v1::TargetGroup>(7)), "target_group");
}

TEST(VocabularyCodec, ServiceTypesRoundTrip) {
  for (int number = 1; number <= 6; ++number) {
    const auto type = static_cast<domain::ServiceType>(number);
    ASSERT_TRUE(domain::is_valid(type));
    auto back = from_proto(to_proto(type));
    ASSERT_TRUE(back);
    EXPECT_EQ(back.value(), type);
  }
  expect_invalid(from_proto(v1::SERVICE_TYPE_UNSPECIFIED), "service_type");
  expect_invalid(from_proto(static_cast<v1::ServiceType>(-5)), "service_type");
}

TEST(VocabularyCodec, FinancingRoundTripsAndNamesTheModelField) {
  for (const auto model : {domain::FinancingModel::takst, domain::FinancingModel::basis,
                           domain::FinancingModel::objektiv, domain::FinancingModel::mixed}) {
    const domain::Financing financing{model, model == domain::FinancingModel::mixed ? 2500 : 0};
    auto back = from_proto(to_proto(financing));
    ASSERT_TRUE(back);
    EXPECT_EQ(back.value(), financing);
  }
  v1::Financing wire;
  wire.set_objective_share_bp(100);
  expect_invalid(from_proto(wire), "financing.model");
  expect_invalid(from_proto(wire, "offer.financing"), "offer.financing.model");
  expect_invalid(from_proto(static_cast<v1::FinancingModel>(5)), "financing.model");
}

TEST(VocabularyCodec, RolesRoundTripAndSystemIsRefused) {
  for (const auto role :
       {domain::Role::caseworker, domain::Role::planner, domain::Role::auditor, domain::Role::admin}) {
    auto back = from_proto(to_proto(role));
    ASSERT_TRUE(back);
    EXPECT_EQ(back.value(), role);
  }
  expect_invalid(from_proto(v1::ROLE_SYSTEM), "role");
  expect_invalid(from_proto(v1::ROLE_UNSPECIFIED), "role");
}

TEST(VocabularyCodec, CatchmentsRoundTrip) {
  for (const auto catchment : {domain::Catchment::national(), domain::Catchment::region(1084)}) {
    auto back = from_proto(to_proto(catchment));
    ASSERT_TRUE(back);
    EXPECT_EQ(back.value(), catchment);
  }
  v1::Catchment wire;
  wire.set_region_code(std::numeric_limits<std::uint32_t>::max());
  expect_invalid(from_proto(wire), "catchment.region_code");
}

TEST(VocabularyCodec, RatesRoundTripWithAndWithoutBasis) {
  domain::Rate plain{Ore{123'456}, Ore{7'890}, Ore{-1}, std::nullopt};
  const auto plain_wire = to_proto(plain);
  EXPECT_FALSE(plain_wire.has_basis());
  EXPECT_EQ(plain_wire.daily_rate_ore(), 123'456);
  EXPECT_EQ(from_proto(plain_wire), plain);

  domain::Rate computed = plain;
  computed.basis = domain::RateBasis{2024, Ore{5'000'000'000}, 600, Ore{40'000'000}, 12, 9500};
  const auto computed_wire = to_proto(computed);
  ASSERT_TRUE(computed_wire.has_basis());
  EXPECT_EQ(computed_wire.basis().direct_and_indirect_costs_ore(), 5'000'000'000);
  EXPECT_EQ(from_proto(computed_wire), computed);
}

TEST(VocabularyCodec, CitizenRefRoundTrips) {
  const domain::CitizenRef citizen{"id-abc", "hh-def", std::string("\x01\0sealed", 8)};
  const auto wire = to_proto(citizen);
  EXPECT_EQ(wire.citizen_id(), "id-abc");
  EXPECT_EQ(wire.household_id(), "hh-def");
  EXPECT_EQ(wire.sealed(), citizen.sealed);
  EXPECT_EQ(from_proto(wire), citizen);
}

TEST(VocabularyCodec, CodesBeyondInt32AreRefused) {
  EXPECT_EQ(code_to_proto(101), 101u);
  auto ok = code_from_proto(1084, "region_code");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok.value(), 1084);
  expect_invalid(code_from_proto(0x8000'0000u, "region_code"), "region_code");
}

}  // namespace
}  // namespace placement::codec

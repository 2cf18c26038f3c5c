#pragma once
// Conversions between the domain's vocabulary (dates, instants, levels, target groups, service types,
// financing, catchments, rates, citizen references, codes) and placement.v1 messages, both ways.
// Shared by the event codec and the API mapping.
//
// to_proto never fails: every valid domain value has a wire form. from_proto checks only what the
// wire cannot express (an UNSPECIFIED or unknown enum value, an impossible date, a code beyond int32)
// and refuses with Errc::invalid_argument, the message starting with the field name given; domain
// rules (e.g. a MIXED share within 0..10000) stay in the domain's own validation.

#include <cstdint>
#include <string_view>

#include <google/protobuf/timestamp.pb.h>

#include "placement/v1/envelope.pb.h"
#include "placement/v1/vocabulary.pb.h"
#include "services/base/result.h"
#include "services/domain/citizen.h"
#include "services/domain/dates.h"
#include "services/domain/rate.h"
#include "services/domain/vocabulary.h"

namespace placement::codec {

// ---- dates and instants ----

// Date::max() (an open end) has no calendar form: it becomes the all-zero CalendarDate, which
// from_proto refuses and from_proto_or_open reads back as Date::max().
v1::CalendarDate to_proto(domain::Date date);
// Refuses impossible dates (2023-02-30, month 13, year 0 or above 9999).
Result<domain::Date> from_proto(const v1::CalendarDate& date, std::string_view field = "date");
// As from_proto, except that the all-zero CalendarDate means "open" and gives Date::max().
Result<domain::Date> from_proto_or_open(const v1::CalendarDate& date, std::string_view field = "date");

// Microsecond resolution. Precondition: the instant lies in years 1..9999 (Timestamp's range).
google::protobuf::Timestamp to_proto(domain::Instant instant);
// Refuses a Timestamp outside 0001-01-01..9999-12-31 or with nanos outside 0..999999999; drops
// any sub-microsecond part (rounding toward the past).
Result<domain::Instant> from_proto(const google::protobuf::Timestamp& instant, std::string_view field = "timestamp");

// ---- enumerations: UNSPECIFIED and unknown numbers are refused ----

v1::SpecialisationLevel to_proto(domain::SpecialisationLevel level);
Result<domain::SpecialisationLevel> from_proto(v1::SpecialisationLevel level, std::string_view field = "level");

v1::TargetGroup to_proto(domain::TargetGroup group);
Result<domain::TargetGroup> from_proto(v1::TargetGroup group, std::string_view field = "target_group");

v1::ServiceType to_proto(domain::ServiceType type);
Result<domain::ServiceType> from_proto(v1::ServiceType type, std::string_view field = "service_type");

v1::FinancingModel to_proto(domain::FinancingModel model);
Result<domain::FinancingModel> from_proto(v1::FinancingModel model, std::string_view field = "financing.model");

// ROLE_SYSTEM (the server itself) has no domain role and is refused like UNSPECIFIED.
v1::Role to_proto(domain::Role role);
Result<domain::Role> from_proto(v1::Role role, std::string_view field = "role");

// ---- small messages ----

v1::Financing to_proto(const domain::Financing& financing);
// Checks the model only; domain::validate(Financing) checks its parameters.
Result<domain::Financing> from_proto(const v1::Financing& financing, std::string_view field = "financing");

v1::Catchment to_proto(domain::Catchment catchment);
Result<domain::Catchment> from_proto(const v1::Catchment& catchment, std::string_view field = "catchment");

v1::RateBasis to_proto(const domain::RateBasis& basis);
domain::RateBasis from_proto(const v1::RateBasis& basis);

// A rate's basis is present on the wire exactly when the domain rate has one.
v1::Rate to_proto(const domain::Rate& rate);
domain::Rate from_proto(const v1::Rate& rate);

v1::CitizenRef to_proto(const domain::CitizenRef& citizen);
domain::CitizenRef from_proto(const v1::CitizenRef& citizen);

// ---- codes ----

// Region, municipality and operator codes travel as uint32 (they are never negative).
// Precondition of code_to_proto: code >= 0.
std::uint32_t code_to_proto(std::int32_t code);
// Refuses a code above INT32_MAX.
Result<std::int32_t> code_from_proto(std::uint32_t code, std::string_view field);

}  // namespace placement::codec

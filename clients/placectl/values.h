#pragma once
// The API's vocabulary on the command line: parsing of dates, numbers and enum names (throwing
// UsageError, never echoing the bad value back), and their printable names.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <google/protobuf/timestamp.pb.h>

#include "clients/placectl/output.h"
#include "placement/v1/envelope.pb.h"
#include "placement/v1/placement_service.pb.h"
#include "placement/v1/vocabulary.pb.h"

namespace placement::placectl {

// "YYYY-MM-DD"; the server checks that the day exists.
v1::CalendarDate parse_date(const std::string& option, const std::string& text);
// "YYYY-MM-DD", or null for the all-zero "no date".
Value date_value(const v1::CalendarDate& date);
// RFC 3339 in UTC with milliseconds, or null when unset.
Value timestamp_value(const google::protobuf::Timestamp& timestamp);

std::int64_t parse_int(const std::string& option, const std::string& text, std::int64_t min, std::int64_t max);
std::uint64_t parse_position(const std::string& option, const std::string& text);

v1::SpecialisationLevel parse_level(const std::string& option, const std::string& text);
v1::TargetGroup parse_group(const std::string& option, const std::string& text);
std::vector<v1::TargetGroup> parse_groups(const std::string& option, const std::string& text);  // "1,3"
v1::ServiceType parse_service_type(const std::string& option, const std::string& text);
v1::FinancingModel parse_model(const std::string& option, const std::string& text);
v1::PlacementStatus parse_status(const std::string& option, const std::string& text);
// A region code 1081..1085, or "national" (0).
std::uint32_t parse_catchment(const std::string& option, const std::string& text);

std::string level_name(v1::SpecialisationLevel level);                        // LET, MODERAT, HOJT
int group_number(v1::TargetGroup group);                                      // 1..6
std::string groups_text(const google::protobuf::RepeatedField<int>& groups);  // "1,3"
std::string service_type_name(v1::ServiceType type);                          // DOGN, ...
std::string model_name(v1::FinancingModel model);                             // TAKST, ...
std::string status_name(v1::PlacementStatus status);                          // REQUESTED, ...
std::string role_name(v1::Role role);                                         // caseworker, ...

}  // namespace placement::placectl

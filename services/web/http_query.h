#pragma once
// A request target split into its path and its query parameters, and the parameter types the
// dashboard's API takes. Pure: no I/O. Bad input is invalid_argument naming the parameter.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "placement/v1/planning_service.pb.h"
#include "placement/v1/vocabulary.pb.h"
#include "services/base/result.h"

namespace placement::web {

struct Target {
  std::string path;
  std::map<std::string, std::string, std::less<>> params;  // percent-decoded; a repeated name keeps the last

  // The parameter, or "" when absent.
  std::string_view get(std::string_view name) const;
};

// Splits "/api/x?a=1&b=2" (percent-decoding names and values, '+' as a space).
Result<Target> parse_target(std::string_view target);

// "YYYY-MM-DD", a day that exists.
Result<v1::CalendarDate> date_param(const Target& target, std::string_view name);
// A non-negative integer; `fallback` when absent.
Result<std::uint64_t> unsigned_param(const Target& target, std::string_view name, std::uint64_t fallback = 0);
// Comma-separated group fields: offer, operator, region, target_group, level; each at most once
// (checked again by the view). Empty: no grouping.
Result<google::protobuf::RepeatedField<int>> group_by_param(const Target& target, std::string_view name);

}  // namespace placement::web

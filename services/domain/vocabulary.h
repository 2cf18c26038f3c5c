#pragma once
// The domain's shared vocabulary: specialisation levels, target groups, service types, financing
// models, roles and the actor who issues a command. Enumerations start at 1 where the wire format
// reserves 0 for "unspecified"; is_valid() guards values cast from outside.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "services/base/result.h"

namespace placement::domain {

// An instant in UTC, microsecond resolution (the resolution of the log's timestamps).
using Instant = std::chrono::time_point<std::chrono::system_clock, std::chrono::microseconds>;

std::string to_string(Instant instant);  // ISO 8601 UTC, e.g. "2024-03-01T12:00:00.000000Z"

// Specialiseringsniveau. The general area (almenområdet) below LET is not modelled.
enum class SpecialisationLevel : std::uint8_t { let = 1, moderat = 2, hojt = 3 };

// Målgrupper 1..6 (DOMAIN.md); 5 and 6 are for citizens under 18 only.
enum class TargetGroup : std::uint8_t {
  multiple_disabilities = 1,
  communication_disabilities = 2,
  mental_illness_with_abuse_or_behaviour = 3,
  intellectual_disability_with_abuse_or_behaviour = 4,
  children_with_extensive_social_problems = 5,
  children_with_complex_difficulties = 6,
};

enum class ServiceType : std::uint8_t {
  dogn = 1,  // døgn/botilbud
  institution = 2,
  dagtilbud = 3,
  raadgivning = 4,
  specialundervisning = 5,
  sikret = 6,
};

enum class FinancingModel : std::uint8_t { takst = 1, basis = 2, objektiv = 3, mixed = 4 };

enum class Role : std::uint8_t { caseworker = 1, planner = 2, auditor = 3, admin = 4, offer_operator = 5, finance = 6 };

// The model and its parameters. objective_share_bp is the share of the offer's total cost split
// by the objective key: 0..10000 for MIXED, always 0 for the other models.
struct Financing {
  FinancingModel model = FinancingModel::takst;
  std::int32_t objective_share_bp = 0;
  friend bool operator==(const Financing&, const Financing&) = default;
};

// Who an offer serves for objective financing: one region (optageområde) or the whole country.
struct Catchment {
  std::int32_t region_code = 0;  // 0 = national (landsdækkende)
  static Catchment national() { return Catchment{0}; }
  static Catchment region(std::int32_t code) { return Catchment{code}; }
  bool is_national() const { return region_code == 0; }
  friend bool operator==(const Catchment&, const Catchment&) = default;
};

// Who issues a command. municipality_code is 0 when the actor belongs to none. (An operator's
// code travels in the envelope's actor; the rules do not need it.)
struct Actor {
  std::string subject;
  Role role = Role::caseworker;
  std::int32_t municipality_code = 0;
  friend bool operator==(const Actor&, const Actor&) = default;
};

inline constexpr int kAdultAge = 18;
inline constexpr std::int32_t kFirstRegionCode = 1081;
// Region codes are the 4-digit authority codes of the CPR register (DAGI's regionskode): 1081..1085
// for the five regions of 2007, the codes after them for regions established later.
inline constexpr std::int32_t kLastRegionCode = 1099;

bool is_valid(SpecialisationLevel level);
bool is_valid(TargetGroup group);
bool is_valid(ServiceType type);
bool is_valid(FinancingModel model);
bool is_valid(Role role);

Result<TargetGroup> target_group_from_number(int number);
int number_of(TargetGroup group);
// Groups 5 and 6 admit citizens under 18 only.
bool is_for_children_only(TargetGroup group);
bool is_region_code(std::int32_t code);

// Stable upper-case names used in messages and on the wire ("LET", "DOGN", "TAKST", "CASEWORKER").
std::string_view to_string(SpecialisationLevel level);
std::string_view to_string(ServiceType type);
std::string_view to_string(FinancingModel model);
std::string_view to_string(Role role);
Result<SpecialisationLevel> parse_level(std::string_view text);
Result<ServiceType> parse_service_type(std::string_view text);
Result<FinancingModel> parse_financing_model(std::string_view text);
Result<Role> parse_role(std::string_view text);

// Validates the model's parameters: MIXED needs a share in 0..10000, the others none.
Status validate(const Financing& financing);

// Ids of offers and placements become stream names (offer-<id>): 1..64 of [A-Za-z0-9._-].
Status validate_id(std::string_view what, std::string_view id);

}  // namespace placement::domain

#include "services/codec/vocabulary_codec.h"

#include <chrono>
#include <limits>
#include <string>

namespace placement::codec {
namespace {

// Timestamp's documented range: 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z.
constexpr std::int64_t kMinTimestampSeconds = -62'135'596'800;
constexpr std::int64_t kMaxTimestampSeconds = 253'402'300'799;
constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr std::int32_t kNanosPerMicro = 1'000;

auto invalid(std::string_view field, std::string_view problem) {
  std::string message(field);
  message += ": ";
  message += problem;
  return fail(Errc::invalid_argument, std::move(message));
}

auto unspecified(std::string_view field, std::string_view choices) {
  return invalid(field, std::string("must be set, to one of ") + std::string(choices));
}

auto unknown(std::string_view field, int number, std::string_view choices) {
  return invalid(field, std::to_string(number) + " is not a known value; expected one of " + std::string(choices));
}

constexpr std::string_view kLevels = "LET, MODERAT, HOJT";
constexpr std::string_view kTargetGroups = "the target groups 1 to 6";
constexpr std::string_view kServiceTypes = "DOGN, INSTITUTION, DAGTILBUD, RAADGIVNING, SPECIALUNDERVISNING, SIKRET";
constexpr std::string_view kFinancingModels = "TAKST, BASIS, OBJEKTIV, MIXED";
constexpr std::string_view kRoles = "CASEWORKER, PLANNER, AUDITOR, ADMIN, OPERATOR, FINANCE";

}  // namespace

// ---- dates and instants ----

v1::CalendarDate to_proto(domain::Date date) {
  v1::CalendarDate out;
  if (date.is_max()) return out;
  out.set_year(date.year());
  out.set_month(static_cast<std::int32_t>(date.month()));
  out.set_day(static_cast<std::int32_t>(date.day()));
  return out;
}

Result<domain::Date> from_proto(const v1::CalendarDate& date, std::string_view field) {
  if (date.year() == 0 && date.month() == 0 && date.day() == 0) return invalid(field, "a date is required");
  if (date.month() < 1 || date.month() > 12) return invalid(field, "month must be between 1 and 12");
  if (date.day() < 1) return invalid(field, "day must be 1 or more");
  auto made = domain::make_date(date.year(), static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  if (!made) return invalid(field, made.error().message);
  return made.value();
}

Result<domain::Date> from_proto_or_open(const v1::CalendarDate& date, std::string_view field) {
  if (date.year() == 0 && date.month() == 0 && date.day() == 0) return domain::Date::max();
  return from_proto(date, field);
}

google::protobuf::Timestamp to_proto(domain::Instant instant) {
  const std::int64_t micros = instant.time_since_epoch().count();
  std::int64_t seconds = micros / kMicrosPerSecond;
  std::int64_t rest = micros % kMicrosPerSecond;
  if (rest < 0) {
    rest += kMicrosPerSecond;
    --seconds;
  }
  google::protobuf::Timestamp out;
  out.set_seconds(seconds);
  out.set_nanos(static_cast<std::int32_t>(rest) * kNanosPerMicro);
  return out;
}

Result<domain::Instant> from_proto(const google::protobuf::Timestamp& instant, std::string_view field) {
  if (instant.seconds() < kMinTimestampSeconds || instant.seconds() > kMaxTimestampSeconds) {
    return invalid(field, "timestamp must lie between years 1 and 9999");
  }
  if (instant.nanos() < 0 || instant.nanos() > 999'999'999) {
    return invalid(field, "nanos must be between 0 and 999999999");
  }
  const std::int64_t micros = instant.seconds() * kMicrosPerSecond + instant.nanos() / kNanosPerMicro;
  return domain::Instant(std::chrono::microseconds(micros));
}

// ---- enumerations ----

v1::SpecialisationLevel to_proto(domain::SpecialisationLevel level) {
  switch (level) {
    case domain::SpecialisationLevel::let: return v1::SPECIALISATION_LEVEL_LET;
    case domain::SpecialisationLevel::moderat: return v1::SPECIALISATION_LEVEL_MODERAT;
    case domain::SpecialisationLevel::hojt: return v1::SPECIALISATION_LEVEL_HOJT;
  }
  return v1::SPECIALISATION_LEVEL_UNSPECIFIED;
}

Result<domain::SpecialisationLevel> from_proto(v1::SpecialisationLevel level, std::string_view field) {
  switch (level) {
    case v1::SPECIALISATION_LEVEL_LET: return domain::SpecialisationLevel::let;
    case v1::SPECIALISATION_LEVEL_MODERAT: return domain::SpecialisationLevel::moderat;
    case v1::SPECIALISATION_LEVEL_HOJT: return domain::SpecialisationLevel::hojt;
    case v1::SPECIALISATION_LEVEL_UNSPECIFIED: return unspecified(field, kLevels);
    default: return unknown(field, static_cast<int>(level), kLevels);
  }
}

v1::TargetGroup to_proto(domain::TargetGroup group) {
  using G = domain::TargetGroup;
  switch (group) {
    case G::multiple_disabilities: return v1::TARGET_GROUP_MULTIPLE_DISABILITIES;
    case G::communication_disabilities: return v1::TARGET_GROUP_COMMUNICATION_DISABILITIES;
    case G::mental_illness_with_abuse_or_behaviour: return v1::TARGET_GROUP_MENTAL_ILLNESS_WITH_ABUSE_OR_BEHAVIOUR;
    case G::intellectual_disability_with_abuse_or_behaviour:
      return v1::TARGET_GROUP_INTELLECTUAL_DISABILITY_WITH_ABUSE_OR_BEHAVIOUR;
    case G::children_with_extensive_social_problems: return v1::TARGET_GROUP_CHILDREN_WITH_EXTENSIVE_SOCIAL_PROBLEMS;
    case G::children_with_complex_difficulties: return v1::TARGET_GROUP_CHILDREN_WITH_COMPLEX_DIFFICULTIES;
  }
  return v1::TARGET_GROUP_UNSPECIFIED;
}

Result<domain::TargetGroup> from_proto(v1::TargetGroup group, std::string_view field) {
  using G = domain::TargetGroup;
  switch (group) {
    case v1::TARGET_GROUP_MULTIPLE_DISABILITIES: return G::multiple_disabilities;
    case v1::TARGET_GROUP_COMMUNICATION_DISABILITIES: return G::communication_disabilities;
    case v1::TARGET_GROUP_MENTAL_ILLNESS_WITH_ABUSE_OR_BEHAVIOUR: return G::mental_illness_with_abuse_or_behaviour;
    case v1::TARGET_GROUP_INTELLECTUAL_DISABILITY_WITH_ABUSE_OR_BEHAVIOUR:
      return G::intellectual_disability_with_abuse_or_behaviour;
    case v1::TARGET_GROUP_CHILDREN_WITH_EXTENSIVE_SOCIAL_PROBLEMS: return G::children_with_extensive_social_problems;
    case v1::TARGET_GROUP_CHILDREN_WITH_COMPLEX_DIFFICULTIES: return G::children_with_complex_difficulties;
    case v1::TARGET_GROUP_UNSPECIFIED: return unspecified(field, kTargetGroups);
    default: return unknown(field, static_cast<int>(group), kTargetGroups);
  }
}

v1::ServiceType to_proto(domain::ServiceType type) {
  using S = domain::ServiceType;
  switch (type) {
    case S::dogn: return v1::SERVICE_TYPE_DOGN;
    case S::institution: return v1::SERVICE_TYPE_INSTITUTION;
    case S::dagtilbud: return v1::SERVICE_TYPE_DAGTILBUD;
    case S::raadgivning: return v1::SERVICE_TYPE_RAADGIVNING;
    case S::specialundervisning: return v1::SERVICE_TYPE_SPECIALUNDERVISNING;
    case S::sikret: return v1::SERVICE_TYPE_SIKRET;
  }
  return v1::SERVICE_TYPE_UNSPECIFIED;
}

Result<domain::ServiceType> from_proto(v1::ServiceType type, std::string_view field) {
  using S = domain::ServiceType;
  switch (type) {
    case v1::SERVICE_TYPE_DOGN: return S::dogn;
    case v1::SERVICE_TYPE_INSTITUTION: return S::institution;
    case v1::SERVICE_TYPE_DAGTILBUD: return S::dagtilbud;
    case v1::SERVICE_TYPE_RAADGIVNING: return S::raadgivning;
    case v1::SERVICE_TYPE_SPECIALUNDERVISNING: return S::specialundervisning;
    case v1::SERVICE_TYPE_SIKRET: return S::sikret;
    case v1::SERVICE_TYPE_UNSPECIFIED: return unspecified(field, kServiceTypes);
    default: return unknown(field, static_cast<int>(type), kServiceTypes);
  }
}

v1::FinancingModel to_proto(domain::FinancingModel model) {
  using F = domain::FinancingModel;
  switch (model) {
    case F::takst: return v1::FINANCING_MODEL_TAKST;
    case F::basis: return v1::FINANCING_MODEL_BASIS;
    case F::objektiv: return v1::FINANCING_MODEL_OBJEKTIV;
    case F::mixed: return v1::FINANCING_MODEL_MIXED;
  }
  return v1::FINANCING_MODEL_UNSPECIFIED;
}

Result<domain::FinancingModel> from_proto(v1::FinancingModel model, std::string_view field) {
  using F = domain::FinancingModel;
  switch (model) {
    case v1::FINANCING_MODEL_TAKST: return F::takst;
    case v1::FINANCING_MODEL_BASIS: return F::basis;
    case v1::FINANCING_MODEL_OBJEKTIV: return F::objektiv;
    case v1::FINANCING_MODEL_MIXED: return F::mixed;
    case v1::FINANCING_MODEL_UNSPECIFIED: return unspecified(field, kFinancingModels);
    default: return unknown(field, static_cast<int>(model), kFinancingModels);
  }
}

v1::Role to_proto(domain::Role role) {
  using R = domain::Role;
  switch (role) {
    case R::caseworker: return v1::ROLE_CASEWORKER;
    case R::planner: return v1::ROLE_PLANNER;
    case R::auditor: return v1::ROLE_AUDITOR;
    case R::admin: return v1::ROLE_ADMIN;
    case R::offer_operator: return v1::ROLE_OPERATOR;
    case R::finance: return v1::ROLE_FINANCE;
  }
  return v1::ROLE_UNSPECIFIED;
}

Result<domain::Role> from_proto(v1::Role role, std::string_view field) {
  using R = domain::Role;
  switch (role) {
    case v1::ROLE_CASEWORKER: return R::caseworker;
    case v1::ROLE_PLANNER: return R::planner;
    case v1::ROLE_AUDITOR: return R::auditor;
    case v1::ROLE_ADMIN: return R::admin;
    case v1::ROLE_OPERATOR: return R::offer_operator;
    case v1::ROLE_FINANCE: return R::finance;
    case v1::ROLE_SYSTEM:
      return invalid(field, "SYSTEM is the server's own role; expected one of " + std::string(kRoles));
    case v1::ROLE_UNSPECIFIED: return unspecified(field, kRoles);
    default: return unknown(field, static_cast<int>(role), kRoles);
  }
}

// ---- small messages ----

v1::Financing to_proto(const domain::Financing& financing) {
  v1::Financing out;
  out.set_model(to_proto(financing.model));
  out.set_objective_share_bp(financing.objective_share_bp);
  return out;
}

Result<domain::Financing> from_proto(const v1::Financing& financing, std::string_view field) {
  PLACEMENT_TRY(model, from_proto(financing.model(), std::string(field) + ".model"));
  return domain::Financing{model, financing.objective_share_bp()};
}

v1::Catchment to_proto(domain::Catchment catchment) {
  v1::Catchment out;
  out.set_region_code(code_to_proto(catchment.region_code));
  return out;
}

Result<domain::Catchment> from_proto(const v1::Catchment& catchment, std::string_view field) {
  PLACEMENT_TRY(code, code_from_proto(catchment.region_code(), std::string(field) + ".region_code"));
  return domain::Catchment{code};
}

v1::RateBasis to_proto(const domain::RateBasis& basis) {
  v1::RateBasis out;
  out.set_budget_year(basis.budget_year);
  out.set_direct_and_indirect_costs_ore(basis.direct_and_indirect_costs.value);
  out.set_overhead_bp(basis.overhead_bp);
  out.set_depreciation_and_interest_ore(basis.depreciation_and_interest.value);
  out.set_places(basis.places);
  out.set_assumed_occupancy_bp(basis.assumed_occupancy_bp);
  return out;
}

domain::RateBasis from_proto(const v1::RateBasis& basis) {
  domain::RateBasis out;
  out.budget_year = basis.budget_year();
  out.direct_and_indirect_costs = Ore{basis.direct_and_indirect_costs_ore()};
  out.overhead_bp = basis.overhead_bp();
  out.depreciation_and_interest = Ore{basis.depreciation_and_interest_ore()};
  out.places = basis.places();
  out.assumed_occupancy_bp = basis.assumed_occupancy_bp();
  return out;
}

v1::Rate to_proto(const domain::Rate& rate) {
  v1::Rate out;
  out.set_daily_rate_ore(rate.daily_rate.value);
  out.set_daily_copayment_rate_ore(rate.daily_copayment_rate.value);
  out.set_daily_vacancy_rate_ore(rate.daily_vacancy_rate.value);
  if (rate.basis) *out.mutable_basis() = to_proto(*rate.basis);
  return out;
}

domain::Rate from_proto(const v1::Rate& rate) {
  domain::Rate out;
  out.daily_rate = Ore{rate.daily_rate_ore()};
  out.daily_copayment_rate = Ore{rate.daily_copayment_rate_ore()};
  out.daily_vacancy_rate = Ore{rate.daily_vacancy_rate_ore()};
  if (rate.has_basis()) out.basis = from_proto(rate.basis());
  return out;
}

v1::CitizenRef to_proto(const domain::CitizenRef& citizen) {
  v1::CitizenRef out;
  out.set_citizen_id(citizen.citizen_id);
  out.set_household_id(citizen.household_id);
  out.set_sealed(citizen.sealed);
  return out;
}

domain::CitizenRef from_proto(const v1::CitizenRef& citizen) {
  return domain::CitizenRef{citizen.citizen_id(), citizen.household_id(), citizen.sealed()};
}

// ---- codes ----

std::uint32_t code_to_proto(std::int32_t code) { return static_cast<std::uint32_t>(code); }

Result<std::int32_t> code_from_proto(std::uint32_t code, std::string_view field) {
  if (code > static_cast<std::uint32_t>(std::numeric_limits<std::int32_t>::max())) {
    return invalid(field, std::to_string(code) + " is not a valid code");
  }
  return static_cast<std::int32_t>(code);
}

}  // namespace placement::codec

#include "services/domain/vocabulary.h"

#include <cstdio>

#include "services/domain/dates.h"

namespace placement::domain {

std::string to_string(Instant instant) {
  const auto micros = instant.time_since_epoch().count();
  auto days = micros / 86'400'000'000LL;
  auto rest = micros % 86'400'000'000LL;
  if (rest < 0) {
    rest += 86'400'000'000LL;
    --days;
  }
  const Date date = Date::from_days(static_cast<std::int32_t>(days));
  const long long seconds = rest / 1'000'000;
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%sT%02lld:%02lld:%02lld.%06lldZ", to_string(date).c_str(), seconds / 3600,
                seconds / 60 % 60, seconds % 60, static_cast<long long>(rest % 1'000'000));
  return buffer;
}

bool is_valid(SpecialisationLevel level) {
  return level >= SpecialisationLevel::let && level <= SpecialisationLevel::hojt;
}
bool is_valid(TargetGroup group) {
  return group >= TargetGroup::multiple_disabilities && group <= TargetGroup::children_with_complex_difficulties;
}
bool is_valid(ServiceType type) { return type >= ServiceType::dogn && type <= ServiceType::sikret; }
bool is_valid(FinancingModel model) { return model >= FinancingModel::takst && model <= FinancingModel::mixed; }
bool is_valid(Role role) { return role >= Role::caseworker && role <= Role::finance; }

Result<TargetGroup> target_group_from_number(int number) {
  if (number < 1 || number > 6) return fail(Errc::invalid_argument, "target group (målgruppe) must be 1 to 6");
  return static_cast<TargetGroup>(number);
}

int number_of(TargetGroup group) { return static_cast<int>(group); }

bool is_for_children_only(TargetGroup group) {
  return group == TargetGroup::children_with_extensive_social_problems ||
         group == TargetGroup::children_with_complex_difficulties;
}

bool is_region_code(std::int32_t code) { return code >= kFirstRegionCode && code <= kLastRegionCode; }

std::string_view to_string(SpecialisationLevel level) {
  switch (level) {
    case SpecialisationLevel::let: return "LET";
    case SpecialisationLevel::moderat: return "MODERAT";
    case SpecialisationLevel::hojt: return "HOJT";
  }
  return "UNSPECIFIED";
}

std::string_view to_string(ServiceType type) {
  switch (type) {
    case ServiceType::dogn: return "DOGN";
    case ServiceType::institution: return "INSTITUTION";
    case ServiceType::dagtilbud: return "DAGTILBUD";
    case ServiceType::raadgivning: return "RAADGIVNING";
    case ServiceType::specialundervisning: return "SPECIALUNDERVISNING";
    case ServiceType::sikret: return "SIKRET";
  }
  return "UNSPECIFIED";
}

std::string_view to_string(FinancingModel model) {
  switch (model) {
    case FinancingModel::takst: return "TAKST";
    case FinancingModel::basis: return "BASIS";
    case FinancingModel::objektiv: return "OBJEKTIV";
    case FinancingModel::mixed: return "MIXED";
  }
  return "UNSPECIFIED";
}

std::string_view to_string(Role role) {
  switch (role) {
    case Role::caseworker: return "CASEWORKER";
    case Role::planner: return "PLANNER";
    case Role::auditor: return "AUDITOR";
    case Role::admin: return "ADMIN";
    case Role::offer_operator: return "OPERATOR";
    case Role::finance: return "FINANCE";
  }
  return "UNSPECIFIED";
}

namespace {

template <class Enum, Enum First, Enum Last> Result<Enum> parse_enum(std::string_view text, std::string_view what) {
  for (auto v = static_cast<int>(First); v <= static_cast<int>(Last); ++v) {
    if (to_string(static_cast<Enum>(v)) == text) return static_cast<Enum>(v);
  }
  return fail(Errc::invalid_argument, "unknown " + std::string(what) + " '" + std::string(text) + "'");
}

}  // namespace

Result<SpecialisationLevel> parse_level(std::string_view text) {
  return parse_enum<SpecialisationLevel, SpecialisationLevel::let, SpecialisationLevel::hojt>(
      text, "specialisation level (LET, MODERAT, HOJT)");
}
Result<ServiceType> parse_service_type(std::string_view text) {
  return parse_enum<ServiceType, ServiceType::dogn, ServiceType::sikret>(text, "service type");
}
Result<FinancingModel> parse_financing_model(std::string_view text) {
  return parse_enum<FinancingModel, FinancingModel::takst, FinancingModel::mixed>(
      text, "financing model (TAKST, BASIS, OBJEKTIV, MIXED)");
}
Result<Role> parse_role(std::string_view text) {
  return parse_enum<Role, Role::caseworker, Role::finance>(text, "role");
}

Status validate(const Financing& financing) {
  if (!is_valid(financing.model)) {
    return fail(Errc::invalid_argument, "financing model must be TAKST, BASIS, OBJEKTIV or MIXED");
  }
  if (financing.model == FinancingModel::mixed) {
    if (financing.objective_share_bp < 0 || financing.objective_share_bp > 10'000) {
      return fail(Errc::invalid_argument,
                  "the objective share of a MIXED offer must be 0 to 10000 basis points (0–100 %)");
    }
  } else if (financing.objective_share_bp != 0) {
    return fail(Errc::invalid_argument, "only a MIXED offer has an objective share");
  }
  return ok();
}

Status validate_id(std::string_view what, std::string_view id) {
  if (id.empty() || id.size() > 64) {
    return fail(Errc::invalid_argument, std::string(what) + " id must be 1 to 64 characters");
  }
  for (char c : id) {
    const bool allowed =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!allowed) {
      return fail(Errc::invalid_argument,
                  std::string(what) + " id may contain only letters A–Z, digits, '.', '_' and '-'");
    }
  }
  return ok();
}

}  // namespace placement::domain

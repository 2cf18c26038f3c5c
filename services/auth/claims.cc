#include "services/auth/claims.h"

namespace placement::auth {

std::string_view to_string(Role role) {
  switch (role) {
    case Role::offer_operator: return "operator";
    case Role::caseworker: return "caseworker";
    case Role::finance: return "finance";
    case Role::planner: return "planner";
    case Role::auditor: return "auditor";
    case Role::admin: return "admin";
  }
  return "unknown";
}

std::optional<Role> parse_role(std::string_view name) {
  for (Role role : kRoles)
    if (to_string(role) == name) return role;
  return std::nullopt;
}

bool names_municipality(Role role) { return role == Role::caseworker || role == Role::finance; }
bool names_operator(Role role) { return role == Role::offer_operator; }

namespace {

bool is_municipality_code(std::uint32_t code) { return code >= 1 && code <= 999; }
bool is_operator_code(std::uint32_t code) { return is_municipality_code(code) || (code >= 1081 && code <= 1085); }

}  // namespace

Status validate_identity(const Claims& claims) {
  if (claims.subject.empty() || claims.subject.size() > 128)
    return fail(Errc::invalid_argument, "the subject must be 1 to 128 characters");
  // The subject is written into events and log lines: no control characters that could forge a line.
  for (unsigned char c : claims.subject)
    if (c < 0x20 || c == 0x7f) return fail(Errc::invalid_argument, "the subject must not contain control characters");
  const std::string role(to_string(claims.role));
  if (names_municipality(claims.role)) {
    if (!is_municipality_code(claims.municipality))
      return fail(Errc::invalid_argument, "a " + role + " token must name its municipality code (1..999)");
  } else if (claims.municipality != 0) {
    return fail(Errc::invalid_argument, "a " + role + " token names no municipality");
  }
  if (names_operator(claims.role)) {
    if (!is_operator_code(claims.operator_code))
      return fail(Errc::invalid_argument,
                  "an operator token must name its operator code (a region 1081..1085 or a municipality 1..999)");
  } else if (claims.operator_code != 0) {
    return fail(Errc::invalid_argument, "a " + role + " token names no operator");
  }
  if (claims.token_id.size() > 128)
    return fail(Errc::invalid_argument, "the token id (jti) is longer than 128 characters");
  for (unsigned char c : claims.token_id)
    if (c < 0x21 || c > 0x7e) return fail(Errc::invalid_argument, "the token id (jti) must be printable ASCII");
  return ok();
}

}  // namespace placement::auth

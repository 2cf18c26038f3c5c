#include "services/auth/claims.h"

namespace placement::auth {

std::string_view to_string(Role role) {
  switch (role) {
    case Role::caseworker: return "caseworker";
    case Role::planner: return "planner";
    case Role::auditor: return "auditor";
    case Role::admin: return "admin";
  }
  return "unknown";
}

std::optional<Role> parse_role(std::string_view name) {
  for (Role role : {Role::caseworker, Role::planner, Role::auditor, Role::admin})
    if (to_string(role) == name) return role;
  return std::nullopt;
}

Status validate_identity(const Claims& claims) {
  if (claims.subject.empty() || claims.subject.size() > 128)
    return fail(Errc::invalid_argument, "the subject must be 1 to 128 characters");
  // The subject is written into events and log lines: no control characters that could forge a line.
  for (unsigned char c : claims.subject)
    if (c < 0x20 || c == 0x7f) return fail(Errc::invalid_argument, "the subject must not contain control characters");
  if (claims.role == Role::caseworker) {
    if (claims.municipality == 0 || claims.municipality > 999)
      return fail(Errc::invalid_argument, "a caseworker's token must name their municipality code (1..999)");
  } else if (claims.municipality != 0) {
    return fail(Errc::invalid_argument, "only a caseworker's token names a municipality");
  }
  return ok();
}

}  // namespace placement::auth

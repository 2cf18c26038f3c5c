#pragma once
// What a bearer token says about its holder, and the rules every token must meet, whoever issues it.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "services/base/result.h"

namespace placement::auth {

// The jobs (docs/SECURITY.md, "the role table"). `offer_operator` is the role "operator" (a C++
// keyword): a region or a municipality that runs offers.
enum class Role { offer_operator, caseworker, finance, planner, auditor, admin };

inline constexpr Role kRoles[] = {Role::offer_operator, Role::caseworker, Role::finance,
                                  Role::planner,        Role::auditor,    Role::admin};

// "operator", "caseworker", "finance", "planner", "auditor", "admin".
std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view name);

// Which scope claim a role's token must carry: caseworkers and finance staff name their
// municipality, operators their operator code, the other roles neither.
bool names_municipality(Role role);
bool names_operator(Role role);

struct Claims {
  std::string subject{};  // the user id recorded on every event the holder causes
  Role role = Role::caseworker;
  std::uint32_t municipality = 0;   // caseworkers' and finance staff's municipality code (1..999); else 0
  std::uint32_t operator_code = 0;  // operators' code: a region (1081..1085) or a municipality (1..999); else 0
  std::string token_id{};           // the token's `jti`, empty when it has none; what a revocation names
  std::chrono::system_clock::time_point issued_at{};
  std::chrono::system_clock::time_point expires_at{};
};

// The audience claim (`aud`) a token must carry: a token minted for another system, even under a
// shared secret, is not accepted here.
inline constexpr std::string_view kAudience = "placementd";
// The only signature algorithm issued and accepted.
inline constexpr std::string_view kAlgorithm = "HS256";
// A token may live at most this long (exp − iat): a leaked token stops working within a month
// even when nobody notices the leak.
inline constexpr std::chrono::hours kMaxLifetime{24 * 31};
// How far the issuer's and the server's clocks may disagree.
inline constexpr std::chrono::seconds kClockSkew{60};

// Subject, role and scope are well formed: subject 1..128 printable characters; a caseworker's and
// a finance token names a municipality 1..999 and no operator; an operator's names an operator code
// (1..999 or 1081..1085) and no municipality; planner, auditor and admin tokens name neither.
// invalid_argument says which rule failed.
Status validate_identity(const Claims& claims);

}  // namespace placement::auth

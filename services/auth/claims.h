#pragma once
// What a bearer token says about its holder, and the rules every token must meet, whoever issues it.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "services/base/result.h"

namespace placement::auth {

enum class Role { caseworker, planner, auditor, admin };

std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view name);

struct Claims {
  std::string subject;  // the user id recorded on every event the holder causes
  Role role = Role::caseworker;
  std::uint32_t municipality = 0;  // the caseworker's municipality code (1..999); 0 for other roles
  std::chrono::system_clock::time_point issued_at;
  std::chrono::system_clock::time_point expires_at;
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

// Subject, role and municipality are well formed: subject 1..128 printable characters; a
// caseworker names a municipality 1..999, other roles none. invalid_argument says which rule failed.
Status validate_identity(const Claims& claims);

}  // namespace placement::auth

#pragma once
// Mints a bearer token: a JWT signed with HS256, for placectl's operators and for tests.

#include <string>
#include <string_view>

#include "services/auth/claims.h"

namespace placement::auth {

// The token for `claims`, signed with `secret` (raw bytes, see TokenSecrets::signing()). It carries
// the scope claims its role names (`municipality`, `operator`) and a `jti`: claims.token_id, or 128
// random bits as hex when that is empty, so any token can be revoked by its id.
// invalid_argument when the claims break a rule of validate_identity, expire before they are
// issued, or live longer than kMaxLifetime: a token the server would refuse is never made.
Result<std::string> issue_token(const Claims& claims, std::string_view secret);

}  // namespace placement::auth

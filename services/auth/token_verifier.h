#pragma once
// Verifies a bearer token and returns who it names. Every failure is unauthenticated, with a
// message that says what is wrong and never quotes the token.
//
// Accepted: a JWT signed with HS256 under one of the secrets (libjwt checks the signature), whose
// header names HS256 — `none` and every other algorithm are refused whatever the signature —
// carrying sub, role, aud = "placementd", iat and exp (libjwt 1.10 checks no claim itself), a
// municipality for caseworkers, not expired (exp + skew ≥ now), not issued in the future
// (iat − skew ≤ now), not yet-to-start (nbf, when present) and living at most kMaxLifetime.

#include <chrono>
#include <memory>
#include <string_view>

#include "services/auth/claims.h"
#include "services/auth/token_secrets.h"
#include "services/auth/verified_token_cache.h"

namespace placement::auth {

class TokenVerifier {
 public:
  explicit TokenVerifier(TokenSecrets secrets, std::chrono::seconds clock_skew = kClockSkew)
      : secrets_(std::move(secrets)), clock_skew_(clock_skew), verified_(std::make_unique<VerifiedTokenCache>()) {}

  // A token verified before (the same bytes) is answered from the cache while it has not expired.
  Result<Claims> verify(std::string_view token, std::chrono::system_clock::time_point now) const;

 private:
  Result<Claims> verify_afresh(std::string_view token, std::chrono::system_clock::time_point now) const;

  TokenSecrets secrets_;
  std::chrono::seconds clock_skew_;
  std::unique_ptr<VerifiedTokenCache> verified_;  // a pointer, so the verifier stays movable
};

}  // namespace placement::auth

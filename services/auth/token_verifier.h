#pragma once
// Verifies a bearer token and returns who it names. Every failure is unauthenticated, with a
// message that says what is wrong and never quotes the token.
//
// Two kinds of token are accepted:
// - local: a JWT signed with HS256 under one of the secrets (libjwt checks the signature), whose
//   header names HS256, carrying sub, role, aud = "placementd", iat and exp, and the scope claims
//   `municipality` and `operator` its role names (claims.h);
// - with an identity provider configured (ProviderSettings): a JWT signed with RS256 or ES256
//   under a key of the provider's key set (provider_keys.h), whose `iss` and `aud` are the
//   configured ones and whose role, municipality and operator are in the configured claims.
// `none`, HS384/512, RS/ES 384/512 and PS* are refused whatever the signature; so is an HS256
// token claiming the provider's issuer. Both kinds must be unexpired (exp + skew ≥ now), not
// issued in the future (iat − skew ≤ now), not yet-to-start (nbf), live at most kMaxLifetime,
// and not revoked by their `jti` (revoked_tokens.h). libjwt 1.10 checks no claim itself.
//
// Thread-safe: verify() from any thread; reload_provider_keys() (SIGHUP) swaps the key set whole.

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "services/auth/claims.h"
#include "services/auth/provider_keys.h"
#include "services/auth/revoked_tokens.h"
#include "services/auth/token_secrets.h"
#include "services/auth/verified_token_cache.h"

namespace placement::auth {

// A municipality's identity provider: where its public keys are and what its tokens say.
struct ProviderSettings {
  std::filesystem::path jwks_file;  // the provider's public keys (JWKS), re-read on reload
  std::string issuer;               // the `iss` its tokens carry, exactly
  std::string audience;             // the `aud` (or one of them) its tokens for placementd carry
  // The claims that carry the role (one of claims.h's names), the municipality code and the
  // operator code; codes may be JSON integers or strings of digits.
  std::string role_claim = "role";
  std::string municipality_claim = "municipality";
  std::string operator_claim = "operator";
};

class TokenVerifier {
 public:
  explicit TokenVerifier(TokenSecrets secrets, std::chrono::seconds clock_skew = kClockSkew);
  // Also accepts the provider's tokens; invalid_argument when its key set cannot be read or the
  // settings lack the issuer or the audience.
  static Result<TokenVerifier> with_provider(TokenSecrets secrets, ProviderSettings provider,
                                             std::chrono::seconds clock_skew = kClockSkew);

  // Refuses tokens whose jti `revoked` holds, from now on (also tokens verified before).
  void use_revocations(std::shared_ptr<const RevokedTokens> revoked) { revoked_ = std::move(revoked); }

  // Re-reads the provider's key set. On success the new keys verify from now on and every token
  // verified before is verified afresh (a key taken out stops its tokens at once); on failure the
  // keys in use stay. Returns the number of keys. failed_precondition without a provider.
  Result<std::size_t> reload_provider_keys();
  // The provider's keys in use (null without a provider).
  std::shared_ptr<const ProviderKeys> provider_keys() const;

  // A token verified before (the same bytes) is answered from the cache while it has not expired,
  // and is still checked against the revocations.
  Result<Claims> verify(std::string_view token, std::chrono::system_clock::time_point now) const;

 private:
  struct Provider {
    ProviderSettings settings;
    mutable std::mutex mutex;
    std::shared_ptr<const ProviderKeys> keys;
  };

  Result<Claims> verify_afresh(std::string_view token, std::chrono::system_clock::time_point now) const;

  TokenSecrets secrets_;
  std::chrono::seconds clock_skew_;
  std::unique_ptr<VerifiedTokenCache> verified_;  // pointers, so the verifier stays movable
  std::unique_ptr<Provider> provider_;            // null: local tokens only
  std::shared_ptr<const RevokedTokens> revoked_;
};

}  // namespace placement::auth

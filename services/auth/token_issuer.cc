#include "services/auth/token_issuer.h"

#include <jwt.h>
#include <openssl/rand.h>

#include <cstdlib>
#include <memory>

namespace placement::auth {
namespace {

struct JwtFree {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};
struct CharFree {
  void operator()(char* text) const { free(text); }  // NOLINT: libjwt allocates with malloc
};

long seconds_since_epoch(std::chrono::system_clock::time_point at) {
  return static_cast<long>(std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count());
}

// 128 random bits as hex: a token id no one can guess or repeat.
Result<std::string> random_token_id() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return fail(Errc::internal, "no random bytes for the token id");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (unsigned char b : bytes) {
    id += kHex[b >> 4];
    id += kHex[b & 15];
  }
  return id;
}

}  // namespace

Result<std::string> issue_token(const Claims& claims, std::string_view secret) {
  PLACEMENT_TRY(validate_identity(claims));
  if (claims.expires_at <= claims.issued_at)
    return fail(Errc::invalid_argument, "a token must expire after it is issued");
  if (claims.expires_at - claims.issued_at > kMaxLifetime)
    return fail(Errc::invalid_argument, "a token may live at most 31 days");
  if (secret.empty()) return fail(Errc::invalid_argument, "no secret to sign the token with");

  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) return fail(Errc::internal, "cannot create a token");
  std::unique_ptr<jwt_t, JwtFree> jwt(raw);
  int failed = 0;
  failed |= jwt_add_grant(jwt.get(), "sub", claims.subject.c_str());
  failed |= jwt_add_grant(jwt.get(), "role", std::string(to_string(claims.role)).c_str());
  failed |= jwt_add_grant(jwt.get(), "aud", std::string(kAudience).c_str());
  failed |= jwt_add_grant_int(jwt.get(), "iat", seconds_since_epoch(claims.issued_at));
  failed |= jwt_add_grant_int(jwt.get(), "exp", seconds_since_epoch(claims.expires_at));
  if (names_municipality(claims.role))
    failed |= jwt_add_grant_int(jwt.get(), "municipality", static_cast<long>(claims.municipality));
  if (names_operator(claims.role))
    failed |= jwt_add_grant_int(jwt.get(), "operator", static_cast<long>(claims.operator_code));
  std::string token_id = claims.token_id;
  if (token_id.empty()) {
    PLACEMENT_TRY(generated, random_token_id());
    token_id = std::move(generated);
  }
  failed |= jwt_add_grant(jwt.get(), "jti", token_id.c_str());
  failed |= jwt_set_alg(jwt.get(), JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(secret.data()),
                        static_cast<int>(secret.size()));
  if (failed != 0) return fail(Errc::internal, "cannot fill in the token's claims");
  std::unique_ptr<char, CharFree> encoded(jwt_encode_str(jwt.get()));
  if (!encoded) return fail(Errc::internal, "cannot sign the token");
  return std::string(encoded.get());
}

}  // namespace placement::auth

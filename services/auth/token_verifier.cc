#include "services/auth/token_verifier.h"

#include <jwt.h>

#include <cerrno>
#include <memory>
#include <optional>
#include <string>

namespace placement::auth {
namespace {

// Far above any token we issue (≈ 400 bytes); bounds the work a garbage header can cause.
constexpr std::size_t kMaxTokenBytes = 4096;

struct JwtFree {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};
using Jwt = std::unique_ptr<jwt_t, JwtFree>;

auto refuse(std::string why) { return fail(Errc::unauthenticated, "the bearer token " + std::move(why)); }

// Three base64url segments separated by dots; anything else is not worth handing to the parser.
bool shaped_like_a_jwt(std::string_view token) {
  int dots = 0;
  for (char c : token) {
    if (c == '.') ++dots;
    else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
      return false;
  }
  return dots == 2;
}

// An integer claim, or nullopt when it is missing or not an integer.
std::optional<long> integer_claim(jwt_t* jwt, const char* name) {
  // libjwt 1.10 answers 0 both for a missing claim (errno ENOENT) and for a non-integer one; a
  // JSON string or real is refused by asking for the claim as a string first, which libjwt
  // answers only for strings, and by refusing 0, which no valid time or municipality is.
  if (jwt_get_grant(jwt, name) != nullptr) return std::nullopt;
  errno = 0;
  const long value = jwt_get_grant_int(jwt, name);
  if (errno != 0 || value <= 0) return std::nullopt;
  return value;
}

std::chrono::system_clock::time_point at_seconds(long seconds) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

}  // namespace

Result<Claims> TokenVerifier::verify(std::string_view token, std::chrono::system_clock::time_point now) const {
  if (auto known = verified_->find(token, now, clock_skew_)) return std::move(*known);
  auto claims = verify_afresh(token, now);
  if (claims) verified_->remember(token, claims.value());
  return claims;
}

Result<Claims> TokenVerifier::verify_afresh(std::string_view token, std::chrono::system_clock::time_point now) const {
  if (token.empty()) return refuse("is empty");
  if (token.size() > kMaxTokenBytes || !shaped_like_a_jwt(token)) return refuse("is not a JWT");

  const std::string text(token);
  Jwt jwt;
  for (const auto& secret : secrets_.all()) {
    jwt_t* raw = nullptr;
    // With a key given, libjwt verifies the signature under the algorithm the header names.
    if (jwt_decode(&raw, text.c_str(), reinterpret_cast<const unsigned char*>(secret.data()),
                   static_cast<int>(secret.size())) == 0) {
      jwt.reset(raw);
      break;
    }
    if (raw != nullptr) jwt_free(raw);
  }
  if (!jwt) return refuse("does not verify: signed with another secret, altered, or malformed");
  // Pinned: only HS256 is accepted, whatever libjwt was willing to check.
  if (jwt_get_alg(jwt.get()) != JWT_ALG_HS256) return refuse("is not signed with HS256");

  const char* audience = jwt_get_grant(jwt.get(), "aud");
  if (audience == nullptr || std::string_view(audience) != kAudience)
    return refuse("is not meant for placementd (aud must be \"placementd\")");
  const auto expires = integer_claim(jwt.get(), "exp");
  if (!expires) return refuse("has no expiry (exp)");
  const auto issued = integer_claim(jwt.get(), "iat");
  if (!issued) return refuse("has no issue time (iat)");

  Claims claims;
  claims.expires_at = at_seconds(*expires);
  claims.issued_at = at_seconds(*issued);
  if (now > claims.expires_at + clock_skew_) return refuse("has expired");
  if (claims.issued_at > now + clock_skew_) return refuse("is issued in the future");
  if (claims.expires_at <= claims.issued_at || claims.expires_at - claims.issued_at > kMaxLifetime)
    return refuse("lives longer than 31 days, or expires before it is issued");
  if (jwt_get_grant(jwt.get(), "nbf") != nullptr) return refuse("has a malformed nbf");
  errno = 0;
  if (const long not_before = jwt_get_grant_int(jwt.get(), "nbf");
      errno == 0 && at_seconds(not_before) > now + clock_skew_)
    return refuse("is not valid yet (nbf)");

  const char* subject = jwt_get_grant(jwt.get(), "sub");
  if (subject == nullptr) return refuse("names no subject (sub)");
  claims.subject = subject;
  const char* role = jwt_get_grant(jwt.get(), "role");
  const auto parsed_role = role == nullptr ? std::nullopt : parse_role(role);
  if (!parsed_role) return refuse("names no role of caseworker, planner, auditor or admin");
  claims.role = *parsed_role;
  if (claims.role == Role::caseworker) {
    const auto municipality = integer_claim(jwt.get(), "municipality");
    if (!municipality || *municipality > 999) return refuse("is a caseworker's without a municipality code (1..999)");
    claims.municipality = static_cast<std::uint32_t>(*municipality);
  }
  if (auto valid = validate_identity(claims); !valid)
    return refuse("names an invalid identity: " + valid.error().message);
  return claims;
}

}  // namespace placement::auth

#include "services/auth/token_verifier.h"

#include <jwt.h>

#include <cerrno>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>

namespace placement::auth {
namespace {

// Far above any token we issue (≈ 400 bytes) or a provider does (a few KB with many claims);
// bounds the work a garbage header can cause.
constexpr std::size_t kMaxTokenBytes = 8192;

struct JwtFree {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};
using Jwt = std::unique_ptr<jwt_t, JwtFree>;
struct CharFree {
  void operator()(char* text) const { free(text); }  // NOLINT: libjwt allocates with malloc
};

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

// A JSON object as a property tree; nullopt when it is not one.
std::optional<boost::property_tree::ptree> json_object(const std::string& text) {
  try {
    boost::property_tree::ptree tree;
    std::istringstream in(text);
    boost::property_tree::read_json(in, tree);
    return tree;
  } catch (const boost::property_tree::json_parser_error&) {
    return std::nullopt;
  }
}

struct Header {
  std::string alg;
  std::string kid;
};

// The header's alg and kid, read before any key is chosen (nothing in it is trusted yet).
std::optional<Header> header_of(std::string_view token) {
  const auto decoded = base64url_decode(token.substr(0, token.find('.')));
  if (!decoded) return std::nullopt;
  const auto tree = json_object(*decoded);
  if (!tree) return std::nullopt;
  return Header{tree->get<std::string>("alg", ""), tree->get<std::string>("kid", "")};
}

// Whether the claim is there, of any JSON type (libjwt sets errno ENOENT only when it is missing).
bool has_claim(jwt_t* jwt, const char* name) {
  errno = 0;
  (void)jwt_get_grant_int(jwt, name);
  return errno != ENOENT;
}

// An integer claim, or nullopt when it is missing or not an integer.
std::optional<long> integer_claim(jwt_t* jwt, const char* name) {
  // libjwt 1.10 answers 0 both for a missing claim (errno ENOENT) and for a non-integer one; a
  // JSON string or real is refused by asking for the claim as a string first, which libjwt
  // answers only for strings, and by refusing 0, which no valid time or code is.
  if (jwt_get_grant(jwt, name) != nullptr) return std::nullopt;
  errno = 0;
  const long value = jwt_get_grant_int(jwt, name);
  if (errno != 0 || value <= 0) return std::nullopt;
  return value;
}

// A municipality or operator code: 0 when the claim is absent; an error when it is there but not
// a code (1..9999; a string of digits too when `strings_too`, as identity providers write them).
Result<std::uint32_t> code_claim(jwt_t* jwt, const std::string& name, bool strings_too, const char* what) {
  if (!has_claim(jwt, name.c_str())) return 0u;
  if (const char* text = jwt_get_grant(jwt, name.c_str())) {
    const std::string value(text);
    const bool digits =
        !value.empty() && value.size() <= 4 && value.find_first_not_of("0123456789") == std::string::npos;
    if (strings_too && digits && std::stoul(value) > 0) return static_cast<std::uint32_t>(std::stoul(value));
    return refuse(std::string("has a malformed ") + what);
  }
  const auto value = integer_claim(jwt, name.c_str());
  if (!value || *value > 9999) return refuse(std::string("has a malformed ") + what);
  return static_cast<std::uint32_t>(*value);
}

// Whether `aud` is `audience` or an array holding it.
bool has_audience(jwt_t* jwt, const std::string& audience) {
  if (const char* single = jwt_get_grant(jwt, "aud")) return audience == single;
  std::unique_ptr<char, CharFree> listed(jwt_get_grants_json(jwt, "aud"));
  if (!listed) return false;
  const auto tree = json_object("{\"aud\":" + std::string(listed.get()) + "}");
  if (!tree) return false;
  for (const auto& [key, value] : tree->get_child("aud"))
    if (key.empty() && value.data() == audience) return true;
  return false;
}

std::chrono::system_clock::time_point at_seconds(long seconds) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

// Where a token's identity is, and how its codes are written.
struct ClaimNames {
  const std::string& role;
  const std::string& municipality;
  const std::string& operator_code;
  bool string_codes;
};

const std::string kRoleClaim = "role", kMunicipalityClaim = "municipality", kOperatorClaim = "operator";

// The claims every token must meet, once its signature and issuer are checked.
Result<Claims> claims_of(jwt_t* jwt, const ClaimNames& names, std::chrono::system_clock::time_point now,
                         std::chrono::seconds skew) {
  const auto expires = integer_claim(jwt, "exp");
  if (!expires) return refuse("has no expiry (exp)");
  const auto issued = integer_claim(jwt, "iat");
  if (!issued) return refuse("has no issue time (iat)");

  Claims claims;
  claims.expires_at = at_seconds(*expires);
  claims.issued_at = at_seconds(*issued);
  if (now > claims.expires_at + skew) return refuse("has expired");
  if (claims.issued_at > now + skew) return refuse("is issued in the future");
  if (claims.expires_at <= claims.issued_at || claims.expires_at - claims.issued_at > kMaxLifetime)
    return refuse("lives longer than 31 days, or expires before it is issued");
  if (jwt_get_grant(jwt, "nbf") != nullptr) return refuse("has a malformed nbf");
  errno = 0;
  if (const long not_before = jwt_get_grant_int(jwt, "nbf"); errno == 0 && at_seconds(not_before) > now + skew)
    return refuse("is not valid yet (nbf)");

  const char* subject = jwt_get_grant(jwt, "sub");
  if (subject == nullptr) return refuse("names no subject (sub)");
  claims.subject = subject;
  const char* role = jwt_get_grant(jwt, names.role.c_str());
  const auto parsed_role = role == nullptr ? std::nullopt : parse_role(role);
  if (!parsed_role)
    return refuse("names no role of operator, caseworker, finance, planner, auditor or admin (claim " + names.role +
                  ")");
  claims.role = *parsed_role;
  // Read whenever present, whatever the role: a token naming a scope its role does not have is
  // refused by validate_identity, not silently narrowed.
  PLACEMENT_TRY(municipality, code_claim(jwt, names.municipality, names.string_codes, "municipality code"));
  PLACEMENT_TRY(operator_code, code_claim(jwt, names.operator_code, names.string_codes, "operator code"));
  claims.municipality = municipality;
  claims.operator_code = operator_code;
  if (const char* id = jwt_get_grant(jwt, "jti")) claims.token_id = id;
  if (auto valid = validate_identity(claims); !valid)
    return refuse("names an invalid identity: " + valid.error().message);
  return claims;
}

}  // namespace

TokenVerifier::TokenVerifier(TokenSecrets secrets, std::chrono::seconds clock_skew)
    : secrets_(std::move(secrets)), clock_skew_(clock_skew), verified_(std::make_unique<VerifiedTokenCache>()) {}

Result<TokenVerifier> TokenVerifier::with_provider(TokenSecrets secrets, ProviderSettings provider,
                                                   std::chrono::seconds clock_skew) {
  if (provider.issuer.empty()) return fail(Errc::invalid_argument, "an identity provider needs its issuer (iss)");
  if (provider.audience.empty())
    return fail(Errc::invalid_argument, "an identity provider needs the audience (aud) of its tokens for placementd");
  if (provider.role_claim.empty() || provider.municipality_claim.empty() || provider.operator_claim.empty())
    return fail(Errc::invalid_argument, "the role, municipality and operator claim names must not be empty");
  PLACEMENT_TRY(keys, ProviderKeys::from_file(provider.jwks_file));
  TokenVerifier verifier(std::move(secrets), clock_skew);
  verifier.provider_ = std::make_unique<Provider>();
  verifier.provider_->settings = std::move(provider);
  verifier.provider_->keys = std::make_shared<const ProviderKeys>(std::move(keys));
  return verifier;
}

Result<std::size_t> TokenVerifier::reload_provider_keys() {
  if (!provider_) return fail(Errc::failed_precondition, "no identity provider is configured (--jwks-file)");
  PLACEMENT_TRY(keys, ProviderKeys::from_file(provider_->settings.jwks_file));
  const std::size_t count = keys.keys().size();
  {
    std::lock_guard lock(provider_->mutex);
    provider_->keys = std::make_shared<const ProviderKeys>(std::move(keys));
  }
  verified_->clear();
  return count;
}

std::shared_ptr<const ProviderKeys> TokenVerifier::provider_keys() const {
  if (!provider_) return nullptr;
  std::lock_guard lock(provider_->mutex);
  return provider_->keys;
}

Result<Claims> TokenVerifier::verify(std::string_view token, std::chrono::system_clock::time_point now) const {
  std::optional<Claims> claims = verified_->find(token, now, clock_skew_);
  if (!claims) {
    PLACEMENT_TRY(fresh, verify_afresh(token, now));
    verified_->remember(token, fresh);
    claims = std::move(fresh);
  }
  if (revoked_ && !claims->token_id.empty() && revoked_->contains(claims->token_id)) return refuse("is revoked");
  return std::move(*claims);
}

Result<Claims> TokenVerifier::verify_afresh(std::string_view token, std::chrono::system_clock::time_point now) const {
  if (token.empty()) return refuse("is empty");
  if (token.size() > kMaxTokenBytes || !shaped_like_a_jwt(token)) return refuse("is not a JWT");
  const auto header = header_of(token);
  if (!header) return refuse("is not a JWT");
  const std::string text(token);

  if (header->alg == kAlgorithm) {
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
    // Pinned: only HS256, whatever libjwt was willing to check.
    if (jwt_get_alg(jwt.get()) != JWT_ALG_HS256) return refuse("is not signed with HS256");
    const char* audience = jwt_get_grant(jwt.get(), "aud");
    if (audience == nullptr || std::string_view(audience) != kAudience)
      return refuse("is not meant for placementd (aud must be \"placementd\")");
    // Whoever holds the local secret must not pass as the provider's users.
    if (const char* issuer = jwt_get_grant(jwt.get(), "iss");
        issuer != nullptr && provider_ && provider_->settings.issuer == issuer)
      return refuse("claims the identity provider's issuer but is signed with the local secret");
    return claims_of(jwt.get(), {kRoleClaim, kMunicipalityClaim, kOperatorClaim, false}, now, clock_skew_);
  }

  const bool public_key = header->alg == "RS256" || header->alg == "ES256";
  if (!public_key || !provider_)
    return refuse(provider_ ? "is not signed with HS256, RS256 or ES256" : "is not signed with HS256");
  const auto keys = provider_keys();
  const auto candidates = keys->candidates(header->alg, header->kid);
  if (candidates.empty())
    return refuse(header->kid.empty() ? "is signed with " + header->alg + ", which no key of the identity provider is"
                                      : "names a key (kid) the identity provider's key set does not hold");
  const jwt_alg_t expected = header->alg == "RS256" ? JWT_ALG_RS256 : JWT_ALG_ES256;
  Jwt jwt;
  for (const ProviderKey* key : candidates) {
    jwt_t* raw = nullptr;
    if (jwt_decode(&raw, text.c_str(), reinterpret_cast<const unsigned char*>(key->pem.data()),
                   static_cast<int>(key->pem.size())) == 0) {
      jwt.reset(raw);
      break;
    }
    if (raw != nullptr) jwt_free(raw);
  }
  if (!jwt) return refuse("does not verify under the identity provider's keys: altered, or signed with another key");
  if (jwt_get_alg(jwt.get()) != expected) return refuse("is not signed with " + header->alg);
  const auto& settings = provider_->settings;
  const char* issuer = jwt_get_grant(jwt.get(), "iss");
  if (issuer == nullptr || settings.issuer != issuer)
    return refuse("is not from the configured identity provider (iss)");
  if (!has_audience(jwt.get(), settings.audience))
    return refuse("is not meant for placementd (aud must hold \"" + settings.audience + "\")");
  return claims_of(jwt.get(), {settings.role_claim, settings.municipality_claim, settings.operator_claim, true}, now,
                   clock_skew_);
}

}  // namespace placement::auth

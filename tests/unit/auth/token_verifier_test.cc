// services/auth/token_verifier.cc and token_issuer.cc: what a bearer token must be to name a caller.

#include "services/auth/token_verifier.h"

#include <jwt.h>

#include <gtest/gtest.h>

#include "services/auth/token_issuer.h"

namespace placement::auth {
namespace {

using namespace std::chrono_literals;
using TimePoint = std::chrono::system_clock::time_point;

const std::string kSecretLine(64, 'a');  // 32 bytes of 0xaa
const std::string kOtherSecretLine(64, 'b');
const std::string kSecret(32, '\xaa');
const TimePoint kNow = TimePoint(std::chrono::seconds(1'900'000'000));

long seconds(TimePoint at) {
  return static_cast<long>(std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count());
}

TokenVerifier verifier_with(const std::string& lines) {
  return TokenVerifier(TokenSecrets::parse(lines, "test").value());
}

Claims caseworker_claims() {
  Claims claims;
  claims.subject = "anna";
  claims.role = Role::caseworker;
  claims.municipality = 101;
  claims.issued_at = kNow;
  claims.expires_at = kNow + 1h;
  return claims;
}

// A token with exactly the given claims (JSON), header algorithm and key: what an attacker or a
// careless issuer might send. libjwt signs it; `none` leaves the signature empty.
std::string forge(const std::string& claims_json, jwt_alg_t alg, const std::string& key) {
  jwt_t* jwt = nullptr;
  EXPECT_EQ(jwt_new(&jwt), 0);
  EXPECT_EQ(jwt_add_grants_json(jwt, claims_json.c_str()), 0);
  EXPECT_EQ(jwt_set_alg(jwt, alg, key.empty() ? nullptr : reinterpret_cast<const unsigned char*>(key.data()),
                        static_cast<int>(key.size())),
            0);
  char* encoded = jwt_encode_str(jwt);
  std::string token = encoded ? encoded : "";
  free(encoded);  // NOLINT: libjwt allocates with malloc
  jwt_free(jwt);
  return token;
}

std::string claims_json(const std::string& extra = "", long iat = seconds(kNow), long exp = seconds(kNow + 1h)) {
  return R"({"sub":"anna","role":"caseworker","municipality":101,"aud":"placementd","iat":)" + std::to_string(iat) +
         R"(,"exp":)" + std::to_string(exp) + extra + "}";
}

void expect_unauthenticated(const Result<Claims>& verified, const std::string& token, const std::string& mentions) {
  ASSERT_FALSE(verified) << "accepted: " << token;
  EXPECT_EQ(verified.error().code, Errc::unauthenticated);
  EXPECT_NE(verified.error().message.find(mentions), std::string::npos) << verified.error().message;
  // A refusal never quotes the token (it may be a real one, sent to the wrong place).
  if (token.size() > 8) {
    EXPECT_EQ(verified.error().message.find(token), std::string::npos);
  }
}

TEST(TokenVerifier, IssuedTokenVerifiesAndNamesItsHolder) {
  const auto token = issue_token(caseworker_claims(), kSecret).value();
  auto verified = verifier_with(kSecretLine).verify(token, kNow + 10min);
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(verified.value().subject, "anna");
  EXPECT_EQ(verified.value().role, Role::caseworker);
  EXPECT_EQ(verified.value().municipality, 101u);
  EXPECT_EQ(verified.value().expires_at, kNow + 1h);
}

TEST(TokenVerifier, EveryRoleRoundTripsWithItsScope) {
  for (Role role : kRoles) {
    Claims claims = caseworker_claims();
    claims.role = role;
    claims.municipality = names_municipality(role) ? 147 : 0;
    claims.operator_code = names_operator(role) ? 1084 : 0;
    const auto token = issue_token(claims, kSecret).value();
    auto verified = verifier_with(kSecretLine).verify(token, kNow);
    ASSERT_TRUE(verified) << to_string(role) << ": " << verified.error().message;
    EXPECT_EQ(verified.value().role, role);
    EXPECT_EQ(verified.value().municipality, claims.municipality);
    EXPECT_EQ(verified.value().operator_code, claims.operator_code);
    // Every issued token carries an id (jti) a revocation can name: 128 random bits as hex.
    EXPECT_EQ(verified.value().token_id.size(), 32u);
    EXPECT_EQ(parse_role(to_string(role)), role);
  }
  EXPECT_EQ(to_string(Role::offer_operator), "operator");
}

// Each role names the scope its job has and no other: a token that does not fit is refused,
// never narrowed to what would fit.
TEST(TokenVerifier, ScopeClaimsThatDoNotFitTheRoleAreRefused) {
  const std::string times = R"(,"aud":"placementd","iat":)" + std::to_string(seconds(kNow)) + R"(,"exp":)" +
                            std::to_string(seconds(kNow + 1h));
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"("role":"planner","municipality":101)", "names no municipality"},
      {R"("role":"auditor","municipality":101)", "names no municipality"},
      {R"("role":"admin","municipality":101)", "names no municipality"},
      {R"("role":"planner","operator":1084)", "names no operator"},
      {R"("role":"admin","operator":1084)", "names no operator"},
      {R"("role":"caseworker","municipality":101,"operator":1084)", "names no operator"},
      {R"("role":"finance")", "municipality"},
      {R"("role":"finance","municipality":0)", "municipality"},
      {R"("role":"finance","municipality":"101")", "municipality"},
      {R"("role":"operator")", "operator code"},
      {R"("role":"operator","operator":1086)", "operator code"},
      {R"("role":"operator","operator":"1084")", "operator code"},
      {R"("role":"operator","operator":1084,"municipality":101)", "names no municipality"},
  };
  for (const auto& [claims, mentions] : cases) {
    const auto token = forge(R"({"sub":"anna",)" + claims + times + "}", JWT_ALG_HS256, kSecret);
    SCOPED_TRACE(claims);
    expect_unauthenticated(verifier_with(kSecretLine).verify(token, kNow), token, mentions);
  }
  // The same claims, fitting their roles, pass.
  for (const std::string fits : {R"("role":"operator","operator":1084)", R"("role":"operator","operator":851)",
                                 R"("role":"finance","municipality":101)", R"("role":"planner")"}) {
    const auto token = forge(R"({"sub":"anna",)" + fits + times + "}", JWT_ALG_HS256, kSecret);
    EXPECT_TRUE(verifier_with(kSecretLine).verify(token, kNow)) << fits;
  }
}

TEST(TokenVerifier, ExpiredTokenIsRefusedAfterTheClockSkew) {
  const auto token = issue_token(caseworker_claims(), kSecret).value();
  EXPECT_TRUE(verifier_with(kSecretLine).verify(token, kNow + 1h + kClockSkew));
  expect_unauthenticated(verifier_with(kSecretLine).verify(token, kNow + 1h + kClockSkew + 1s), token, "expired");
}

TEST(TokenVerifier, TokenIssuedInTheFutureIsRefused) {
  const auto token = issue_token(caseworker_claims(), kSecret).value();
  EXPECT_TRUE(verifier_with(kSecretLine).verify(token, kNow - kClockSkew));
  expect_unauthenticated(verifier_with(kSecretLine).verify(token, kNow - kClockSkew - 1s), token, "future");
}

TEST(TokenVerifier, TokenSignedWithAnotherSecretIsRefused) {
  const auto token = issue_token(caseworker_claims(), std::string(32, '\xbb')).value();
  expect_unauthenticated(verifier_with(kSecretLine).verify(token, kNow), token, "does not verify");
}

TEST(TokenVerifier, AlteredClaimsBreakTheSignature) {
  const auto token = issue_token(caseworker_claims(), kSecret).value();
  // The claims of an admin, with the caseworker's signature.
  const auto admin = forge(R"({"sub":"anna","role":"admin","aud":"placementd","iat":)" + std::to_string(seconds(kNow)) +
                               R"(,"exp":)" + std::to_string(seconds(kNow + 1h)) + "}",
                           JWT_ALG_HS256, "another key of at least 32 bytes!");
  const auto first_dot = token.find('.'), last_dot = token.rfind('.');
  const auto admin_body = admin.substr(admin.find('.') + 1, admin.rfind('.') - admin.find('.') - 1);
  const auto spliced = token.substr(0, first_dot + 1) + admin_body + token.substr(last_dot);
  expect_unauthenticated(verifier_with(kSecretLine).verify(spliced, kNow), spliced, "does not verify");
}

TEST(TokenVerifier, OtherHmacAlgorithmIsRefusedEvenWithTheRightKey) {
  for (jwt_alg_t alg : {JWT_ALG_HS384, JWT_ALG_HS512}) {
    const auto token = forge(claims_json(), alg, kSecret);
    ASSERT_FALSE(token.empty());
    EXPECT_FALSE(verifier_with(kSecretLine).verify(token, kNow)) << jwt_alg_str(alg);
  }
}

TEST(TokenVerifier, NoneAlgorithmIsRefused) {
  const auto unsigned_token = forge(claims_json(), JWT_ALG_NONE, "");
  ASSERT_FALSE(unsigned_token.empty());
  expect_unauthenticated(verifier_with(kSecretLine).verify(unsigned_token, kNow), unsigned_token, "");
  // `none` in the header with a valid-looking HS256 signature appended.
  const auto signed_token = issue_token(caseworker_claims(), kSecret).value();
  const auto none_header = unsigned_token.substr(0, unsigned_token.find('.'));
  const auto with_signature = none_header + signed_token.substr(signed_token.find('.'));
  expect_unauthenticated(verifier_with(kSecretLine).verify(with_signature, kNow), with_signature, "");
}

TEST(TokenVerifier, MissingClaimsAreRefused) {
  const std::string iat = std::to_string(seconds(kNow)), exp = std::to_string(seconds(kNow + 1h));
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"role":"admin","aud":"placementd","iat":)" + iat + R"(,"exp":)" + exp + "}", "sub"},
      {R"({"sub":"x","aud":"placementd","iat":)" + iat + R"(,"exp":)" + exp + "}", "role"},
      {R"({"sub":"x","role":"admin","iat":)" + iat + R"(,"exp":)" + exp + "}", "aud"},
      {R"({"sub":"x","role":"admin","aud":"placementd","exp":)" + exp + "}", "iat"},
      {R"({"sub":"x","role":"admin","aud":"placementd","iat":)" + iat + "}", "exp"},
      {R"({"sub":"x","role":"root","aud":"placementd","iat":)" + iat + R"(,"exp":)" + exp + "}", "role"},
      {R"({"sub":"x","role":"admin","aud":"other","iat":)" + iat + R"(,"exp":)" + exp + "}", "aud"},
      {R"({"sub":"x","role":"admin","aud":"placementd","iat":)" + iat + R"(,"exp":")" + exp + "\"}", "exp"},
      {R"({"sub":"","role":"admin","aud":"placementd","iat":)" + iat + R"(,"exp":)" + exp + "}", "subject"},
  };
  for (const auto& [claims, mentions] : cases) {
    const auto token = forge(claims, JWT_ALG_HS256, kSecret);
    SCOPED_TRACE(claims);
    expect_unauthenticated(verifier_with(kSecretLine).verify(token, kNow), token, mentions);
  }
}

TEST(TokenVerifier, CaseworkerWithoutMunicipalityIsRefused) {
  const std::string iat = std::to_string(seconds(kNow)), exp = std::to_string(seconds(kNow + 1h));
  for (const std::string municipality :
       {"", R"(,"municipality":"101")", R"(,"municipality":0)", R"(,"municipality":1000)"}) {
    const auto token = forge(R"({"sub":"anna","role":"caseworker","aud":"placementd","iat":)" + iat + R"(,"exp":)" +
                                 exp + municipality + "}",
                             JWT_ALG_HS256, kSecret);
    SCOPED_TRACE(municipality);
    expect_unauthenticated(verifier_with(kSecretLine).verify(token, kNow), token, "municipality");
  }
}

TEST(TokenVerifier, TokenLivingLongerThanTheLimitIsRefused) {
  const auto token = forge(claims_json("", seconds(kNow), seconds(kNow + kMaxLifetime + 1s)), JWT_ALG_HS256, kSecret);
  expect_unauthenticated(verifier_with(kSecretLine).verify(token, kNow), token, "31 days");
}

TEST(TokenVerifier, NotBeforeInTheFutureIsRefused) {
  const auto token = forge(claims_json(R"(,"nbf":)" + std::to_string(seconds(kNow + 10min))), JWT_ALG_HS256, kSecret);
  expect_unauthenticated(verifier_with(kSecretLine).verify(token, kNow), token, "nbf");
  EXPECT_TRUE(verifier_with(kSecretLine).verify(token, kNow + 10min));
}

TEST(TokenVerifier, GarbageIsRefused) {
  const std::string valid = issue_token(caseworker_claims(), kSecret).value();
  for (const std::string& garbage :
       {std::string(), std::string("abc"), std::string("a.b.c"), std::string(".."), std::string("Bearer ") + valid,
        valid + ".", valid.substr(0, valid.size() - 3), std::string(10000, 'a') + ".b.c", std::string("é.b.c"),
        std::string("eyJhbGciOiJIUzI1NiJ9.e30."), std::string("e30.e30.e30")}) {
    auto verified = verifier_with(kSecretLine).verify(garbage, kNow);
    EXPECT_FALSE(verified) << garbage;
    if (!verified) {
      EXPECT_EQ(verified.error().code, Errc::unauthenticated);
    }
  }
}

TEST(TokenVerifier, EverySecretOfTheFileVerifiesSoRotationKeepsOldTokensValid) {
  const auto old_token = issue_token(caseworker_claims(), kSecret).value();
  // Rotated: the new secret signs, the old one still verifies.
  const auto rotated = verifier_with(kOtherSecretLine + "\n" + kSecretLine + "\n");
  EXPECT_TRUE(rotated.verify(old_token, kNow));
  const auto new_token = issue_token(caseworker_claims(), std::string(32, '\xbb')).value();
  EXPECT_TRUE(rotated.verify(new_token, kNow));
  // The old secret removed: its tokens stop working.
  expect_unauthenticated(verifier_with(kOtherSecretLine).verify(old_token, kNow), old_token, "does not verify");
}

TEST(TokenIssuer, RefusesTokensTheServerWouldRefuse) {
  Claims claims = caseworker_claims();
  claims.municipality = 0;
  EXPECT_FALSE(issue_token(claims, kSecret));  // caseworker without municipality
  claims = caseworker_claims();
  claims.role = Role::planner;
  EXPECT_FALSE(issue_token(claims, kSecret));  // planner with a municipality
  claims.role = Role::offer_operator;
  EXPECT_FALSE(issue_token(claims, kSecret));  // operator with a municipality, without an operator code
  claims.municipality = 0;
  EXPECT_FALSE(issue_token(claims, kSecret));  // operator without an operator code
  claims.operator_code = 1084;
  EXPECT_TRUE(issue_token(claims, kSecret));
  claims.role = Role::admin;
  EXPECT_FALSE(issue_token(claims, kSecret));  // admin with an operator code
  claims = caseworker_claims();
  claims.subject = "anna\nINFO forged log line";
  EXPECT_FALSE(issue_token(claims, kSecret));
  claims = caseworker_claims();
  claims.subject = std::string(129, 'a');
  EXPECT_FALSE(issue_token(claims, kSecret));
  claims = caseworker_claims();
  claims.expires_at = claims.issued_at;
  EXPECT_FALSE(issue_token(claims, kSecret));
  claims = caseworker_claims();
  claims.expires_at = claims.issued_at + kMaxLifetime + 1s;
  EXPECT_FALSE(issue_token(claims, kSecret));
  EXPECT_FALSE(issue_token(caseworker_claims(), ""));
}

}  // namespace
}  // namespace placement::auth

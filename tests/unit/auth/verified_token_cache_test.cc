// services/auth/verified_token_cache.cc, and its use by TokenVerifier: a remembered token is
// answered only while verifying it again would accept it.

#include "services/auth/verified_token_cache.h"

#include <gtest/gtest.h>

#include "services/auth/token_issuer.h"
#include "services/auth/token_verifier.h"

namespace placement::auth {
namespace {

using namespace std::chrono_literals;
using TimePoint = std::chrono::system_clock::time_point;

const TimePoint kNow = TimePoint(std::chrono::seconds(1'900'000'000));
const std::string kSecret(32, '\xaa');

Claims planner_until(TimePoint expires_at) {
  Claims claims;
  claims.subject = "per";
  claims.role = Role::planner;
  claims.issued_at = kNow;
  claims.expires_at = expires_at;
  return claims;
}

TEST(VerifiedTokenCache, AnswersARememberedTokenUntilItExpires) {
  VerifiedTokenCache cache;
  cache.remember("token-a", planner_until(kNow + 1h));
  ASSERT_TRUE(cache.find("token-a", kNow + 1h + 5s, 5s));
  EXPECT_EQ(cache.find("token-a", kNow, 5s)->subject, "per");
  EXPECT_FALSE(cache.find("token-a", kNow + 1h + 6s, 5s)) << "expired beyond the skew";
  EXPECT_FALSE(cache.find("token-b", kNow, 5s)) << "never verified";
  EXPECT_FALSE(cache.find("token-", kNow, 5s)) << "a prefix is another token";
}

TEST(VerifiedTokenCache, StaysWithinItsCapacity) {
  VerifiedTokenCache cache(3);
  for (int i = 0; i < 10; ++i) {
    cache.remember("token-" + std::to_string(i), planner_until(kNow + 1h));
    EXPECT_LE(cache.size(), 3u);
  }
  EXPECT_TRUE(cache.find("token-9", kNow, 0s)) << "the newest is kept";
}

TEST(TokenVerifier, RememberedTokenIsStillRefusedOnceExpired) {
  TokenVerifier verifier(TokenSecrets::parse(std::string(64, 'a'), "test").value());
  const auto token = issue_token(planner_until(kNow + 1h), kSecret).value();
  ASSERT_TRUE(verifier.verify(token, kNow));
  ASSERT_TRUE(verifier.verify(token, kNow + 30min)) << "answered again, now from the cache";
  auto late = verifier.verify(token, kNow + 1h + kClockSkew + 1s);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, Errc::unauthenticated);
  EXPECT_NE(late.error().message.find("expired"), std::string::npos) << late.error().message;
}

TEST(TokenVerifier, RememberedTokenWithAnAlteredSignatureIsVerifiedAfreshAndRefused) {
  TokenVerifier verifier(TokenSecrets::parse(std::string(64, 'a'), "test").value());
  const auto token = issue_token(planner_until(kNow + 1h), kSecret).value();
  ASSERT_TRUE(verifier.verify(token, kNow));
  std::string altered = token;
  // A character in the middle of the signature (the last one carries padding bits only in part).
  char& middle = altered[altered.rfind('.') + 20];
  middle = middle == 'A' ? 'B' : 'A';
  auto verified = verifier.verify(altered, kNow);
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().code, Errc::unauthenticated);
}

}  // namespace
}  // namespace placement::auth

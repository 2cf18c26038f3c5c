// services/auth/provider_keys.*: which keys of a provider's JWKS are used, and which are skipped.

#include "services/auth/provider_keys.h"

#include <gtest/gtest.h>

namespace placement::auth {
namespace {

// RFC 7515 A.3's P-256 public key, and RFC 7517 A.1's RSA key (2048 bits).
const std::string kEc = R"({"kty":"EC","crv":"P-256","kid":"ec","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",)"
                        R"("y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"})";
const std::string kRsa =
    R"({"kty":"RSA","kid":"rsa","e":"AQAB","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"})";

TEST(ProviderKeys, RsaAndEcKeysAreUsedAndOthersSkipped) {
  auto keys = ProviderKeys::parse(R"({"keys":[)" + kEc + "," + kRsa +
                                  R"(,{"kty":"oct","kid":"hmac","k":"c2VjcmV0"},)"
                                  R"({"kty":"EC","crv":"P-384","kid":"p384","x":"AA","y":"AA"},)"
                                  R"({"kty":"RSA","kid":"short","e":"AQAB","n":"AQAB"},)"
                                  R"({"kty":"RSA","kid":"enc","use":"enc","e":"AQAB","n":"AQAB"}]})");
  ASSERT_TRUE(keys) << keys.error().message;
  ASSERT_EQ(keys.value().keys().size(), 2u);
  EXPECT_EQ(keys.value().keys()[0].algorithm, "ES256");
  EXPECT_EQ(keys.value().keys()[1].algorithm, "RS256");
  EXPECT_NE(keys.value().keys()[0].pem.find("BEGIN PUBLIC KEY"), std::string::npos);
  ASSERT_EQ(keys.value().skipped().size(), 4u);
  EXPECT_NE(keys.value().skipped()[0].find("kty oct"), std::string::npos) << keys.value().skipped()[0];
  EXPECT_NE(keys.value().skipped()[1].find("P-256"), std::string::npos) << keys.value().skipped()[1];
  EXPECT_NE(keys.value().skipped()[2].find("too short"), std::string::npos) << keys.value().skipped()[2];
  EXPECT_NE(keys.value().skipped()[3].find("use enc"), std::string::npos) << keys.value().skipped()[3];

  EXPECT_EQ(keys.value().candidates("ES256", "ec").size(), 1u);
  EXPECT_EQ(keys.value().candidates("ES256", "").size(), 1u);
  EXPECT_TRUE(keys.value().candidates("ES256", "rsa").empty()) << "a kid of another algorithm";
  EXPECT_TRUE(keys.value().candidates("RS256", "nope").empty());
  EXPECT_TRUE(keys.value().candidates("HS256", "").empty());
}

TEST(ProviderKeys, ASetWithoutAUsableKeyOrNotJsonIsRefused) {
  EXPECT_FALSE(ProviderKeys::parse(R"({"keys":[{"kty":"oct","k":"c2VjcmV0"}]})"));
  EXPECT_FALSE(ProviderKeys::parse(R"({"keys":[]})"));
  EXPECT_FALSE(ProviderKeys::parse(R"({"nokeys":1})"));
  EXPECT_FALSE(ProviderKeys::parse("not json"));
  // A point off the curve.
  EXPECT_FALSE(ProviderKeys::parse(
      R"({"keys":[{"kty":"EC","crv":"P-256","x":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","y":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE"}]})"));
}

TEST(ProviderKeys, Base64UrlDecodes) {
  EXPECT_EQ(base64url_decode("AQAB").value(), std::string("\x01\x00\x01", 3));
  EXPECT_EQ(base64url_decode("_-8").value(), std::string("\xff\xef", 2));
  EXPECT_FALSE(base64url_decode("a+b/"));
  EXPECT_FALSE(base64url_decode("a"));
}

}  // namespace
}  // namespace placement::auth

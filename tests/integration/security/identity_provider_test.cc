// Tokens from a municipality's identity provider, against the real placementd: the test is the
// provider. It makes its own keys (OpenSSL: an EC P-256 key for ES256, an RSA key for RS256),
// writes their public halves as a JWKS file the server is given (--jwks-file), and signs tokens
// with libjwt. A caseworker signs in with an ES256 token and does their work; tokens of another
// issuer, audience, key or algorithm are refused and write nothing; a revoked jti is refused at
// once and after a restart; SIGHUP makes a new key of the provider verify, and a key taken out
// stop verifying.

#include <jwt.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <csignal>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "placement/v1/admin_service.grpc.pb.h"
#include "placement/v1/planning_service.grpc.pb.h"
#include "services/auth/token_secrets.h"
#include "tests/support/grpc_client.h"
#include "tests/support/scenario.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace placement {
namespace {

using testing::RequestSpec;
using testing::succeeded;

constexpr const char* kIssuer = "https://idp.kommune.test/realms/staff";
constexpr const char* kAudience = "api://placementd.kommune.test";

std::string b64url(const std::string& bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(buffer >> bits) & 63];
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (6 - bits)) & 63];
  return out;
}

std::string bn_bytes(const BIGNUM* bn) {
  std::string out(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

// One signing key of the test provider: its private PEM (for libjwt) and its public JWK.
struct ProviderKey {
  std::string kid;
  jwt_alg_t alg;
  std::string private_pem;
  std::string jwk;

  static ProviderKey ec(const std::string& kid) {
    EVP_PKEY* key = EVP_EC_gen("P-256");
    unsigned char point[65];
    std::size_t length = 0;
    EXPECT_EQ(EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &length), 1);
    EXPECT_EQ(length, 65u);
    const std::string raw(reinterpret_cast<const char*>(point), length);
    ProviderKey out{kid, JWT_ALG_ES256, private_pem_of(key), ""};
    out.jwk = R"({"kty":"EC","crv":"P-256","use":"sig","alg":"ES256","kid":")" + kid + R"(","x":")" +
              b64url(raw.substr(1, 32)) + R"(","y":")" + b64url(raw.substr(33, 32)) + R"("})";
    EVP_PKEY_free(key);
    return out;
  }

  static ProviderKey rsa(const std::string& kid) {
    EVP_PKEY* key = EVP_RSA_gen(2048);
    BIGNUM *n = nullptr, *e = nullptr;
    EXPECT_EQ(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n), 1);
    EXPECT_EQ(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e), 1);
    ProviderKey out{kid, JWT_ALG_RS256, private_pem_of(key), ""};
    out.jwk = R"({"kty":"RSA","use":"sig","kid":")" + kid + R"(","n":")" + b64url(bn_bytes(n)) + R"(","e":")" +
              b64url(bn_bytes(e)) + R"("})";
    BN_free(n);
    BN_free(e);
    EVP_PKEY_free(key);
    return out;
  }

  static std::string private_pem_of(EVP_PKEY* key) {
    BIO* bio = BIO_new(BIO_s_mem());
    EXPECT_EQ(PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr), 1);
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<std::size_t>(size));
    BIO_free(bio);
    return pem;
  }
};

void write_jwks(const std::filesystem::path& path, const std::vector<const ProviderKey*>& keys) {
  std::string json = R"({"keys":[)";
  for (std::size_t i = 0; i < keys.size(); ++i) json += (i ? "," : "") + keys[i]->jwk;
  // A symmetric key in the set must be skipped, never used as an HMAC secret.
  json += R"(,{"kty":"oct","kid":"shared","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"}]})";
  const auto temporary = path.string() + ".new";
  std::ofstream(temporary) << json;
  std::filesystem::rename(temporary, path);  // the server never reads half a file
}

// A token as the provider signs it: `claims` is the JSON body without braces.
std::string sign(const ProviderKey& key, const std::string& claims, const std::string& kid = "use the key's") {
  jwt_t* jwt = nullptr;
  EXPECT_EQ(jwt_new(&jwt), 0);
  EXPECT_EQ(jwt_add_grants_json(jwt, ("{" + claims + "}").c_str()), 0);
  const std::string header_kid = kid == "use the key's" ? key.kid : kid;
  if (!header_kid.empty()) {
    EXPECT_EQ(jwt_add_header(jwt, "kid", header_kid.c_str()), 0);
  }
  EXPECT_EQ(jwt_set_alg(jwt, key.alg, reinterpret_cast<const unsigned char*>(key.private_pem.data()),
                        static_cast<int>(key.private_pem.size())),
            0);
  char* encoded = jwt_encode_str(jwt);
  std::string token = encoded ? encoded : "";
  free(encoded);  // NOLINT: libjwt allocates with malloc
  jwt_free(jwt);
  return token;
}

// The claims of a provider's token, by default for a caseworker of 101: the provider names the
// role and the municipality in its own claims, the code as a string.
struct Claimed {
  std::string issuer = kIssuer;
  std::string audience = kAudience;
  std::string role = "caseworker";
  std::string municipality = R"("101")";  // JSON; empty: no such claim
  long lifetime = 3600;
  long age = 0;
};

std::string caseworker_claims(const std::string& jti, const Claimed& claimed = {}) {
  const long now = static_cast<long>(std::time(nullptr)) - claimed.age;
  return R"("iss":")" + claimed.issuer + R"(","aud":[")" + claimed.audience +
         R"(","account"],"sub":"anna.idp@kk.dk","placement_role":")" + claimed.role + R"(",)" +
         (claimed.municipality.empty() ? "" : R"("kommunekode":)" + claimed.municipality + ",") + R"("jti":")" + jti +
         R"(","iat":)" + std::to_string(now) + R"(,"exp":)" + std::to_string(now + claimed.lifetime);
}

std::unique_ptr<grpc::ClientContext> bearer(const std::string& token) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", "Bearer " + token);
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return context;
}

class IdentityProvider : public ::testing::Test {
 protected:
  void SetUp() override {
    write_jwks(jwks_, {&ec_, &rsa_});
    ASSERT_TRUE(server_.start()) << server_.error();
    api_ = std::make_unique<testing::Clients>(server_);
    ASSERT_TRUE(succeeded(testing::register_offer(*api_, "idp-offer", v1::SPECIALISATION_LEVEL_MODERAT,
                                                  {v1::TARGET_GROUP_MULTIPLE_DISABILITIES}, 3)));
  }

  // A call that needs a caseworker of 101: GetOffer is open to every role, ListPlacements is not.
  grpc::Status list_as(const std::string& token) {
    v1::ListPlacementsResponse listed;
    return api_->placements->ListPlacements(bearer(token).get(), v1::ListPlacementsRequest(), &listed);
  }

  grpc::Status revoke(const std::string& jti, v1::RevokeTokenResponse* response) {
    v1::RevokeTokenRequest request;
    request.set_token_id(jti);
    return v1::AdminService::NewStub(server_.channel())->RevokeToken(testing::as_admin().get(), request, response);
  }

  // Waits for the server to log `line` (SIGHUP is handled asynchronously).
  bool logged(const std::string& line, int occurrences = 1) {
    for (int i = 0; i < 200; ++i) {
      const std::string output = server_.output();
      int seen = 0;
      for (auto at = output.find(line); at != std::string::npos; at = output.find(line, at + 1)) ++seen;
      if (seen >= occurrences) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return false;
  }

  testing::TempDir dir_;
  std::filesystem::path jwks_ = dir_.path() / "idp-jwks.json";
  ProviderKey ec_ = ProviderKey::ec("kk-ec-2026");
  ProviderKey rsa_ = ProviderKey::rsa("kk-rsa-2026");
  testing::ServerProcess server_{dir_.path() / "data",
                                 {"--jwks-file", jwks_.string(), "--jwt-issuer", kIssuer, "--jwt-audience", kAudience,
                                  "--jwt-role-claim", "placement_role", "--jwt-municipality-claim", "kommunekode"}};
  std::unique_ptr<testing::Clients> api_;
};

TEST_F(IdentityProvider, ACaseworkerSignsInWithAnEs256TokenOfTheProvider) {
  const std::string token = sign(ec_, caseworker_claims("jti-anna-1"));
  // ES256 as JOSE writes it: the signature is r || s, 64 bytes.
  EXPECT_EQ(token.substr(token.rfind('.') + 1).size(), 86u);
  v1::PlacementResponse response;
  ASSERT_TRUE(succeeded(api_->placements->RequestPlacement(
      bearer(token).get(), testing::request_placement_request(RequestSpec("010190-1234", "idp-offer").id("idp-p1")),
      &response)));
  EXPECT_TRUE(succeeded(list_as(token)));
  // The actor on the event is the provider's user, with the role and municipality of its claims.
  bool seen = false;
  for (const auto& event : testing::read_events(*api_, {"PlacementRequested"})) {
    seen = true;
    EXPECT_EQ(event.envelope().actor().subject(), "anna.idp@kk.dk");
    EXPECT_EQ(event.envelope().actor().role(), v1::ROLE_CASEWORKER);
    EXPECT_EQ(event.envelope().actor().municipality_code(), 101u);
  }
  EXPECT_TRUE(seen);
  // The provider's RS256 key verifies too: a planner reads aggregates.
  const long now = static_cast<long>(std::time(nullptr));
  const std::string planner = sign(rsa_, R"("iss":")" + std::string(kIssuer) + R"(","aud":")" + kAudience +
                                             R"(","sub":"per.planner","placement_role":"planner","iat":)" +
                                             std::to_string(now) + R"(,"exp":)" + std::to_string(now + 600));
  v1::CapacityViewRequest capacity;
  *capacity.mutable_date() = testing::date(2031, 3, 1);
  v1::CapacityViewResponse view;
  EXPECT_TRUE(
      succeeded(v1::PlanningService::NewStub(server_.channel())->GetCapacity(bearer(planner).get(), capacity, &view)));
  // And the local secret still works beside the provider.
  EXPECT_TRUE(succeeded(api_->placements->GetPlacement(
      testing::as_caseworker(101).get(),
      [] {
        v1::GetPlacementRequest get;
        get.set_placement_id("idp-p1");
        return get;
      }(),
      response.mutable_placement())));
  EXPECT_NE(server_.output().find("identity provider " + std::string(kIssuer) + ": 2 key(s)"), std::string::npos);
  EXPECT_NE(server_.output().find("skipped key 3 (kid shared)"), std::string::npos) << server_.output();
}

TEST_F(IdentityProvider, TokensOfAnotherIssuerAudienceKeyOrAlgorithmAreRefusedAndWriteNothing) {
  const ProviderKey stranger = ProviderKey::ec("kk-ec-2026");  // the provider's kid, another key
  const ProviderKey stranger_rsa = ProviderKey::rsa("kk-rsa-2026");
  const std::string claims = caseworker_claims("jti-bad");
  // HS256 with the provider's public key as the secret (algorithm confusion), and unsigned.
  jwt_t* confused = nullptr;
  jwt_new(&confused);
  jwt_add_grants_json(confused, ("{" + claims + "}").c_str());
  const std::string public_jwk = ec_.jwk;
  jwt_set_alg(confused, JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(public_jwk.data()),
              static_cast<int>(public_jwk.size()));
  char* confused_text = jwt_encode_str(confused);
  const std::string hs_with_public_key = confused_text;
  free(confused_text);  // NOLINT
  jwt_free(confused);
  const auto [head, body] = [&] {
    const std::string good = sign(ec_, claims);
    return std::pair{good.substr(0, good.find('.')),
                     good.substr(good.find('.') + 1, good.rfind('.') - good.find('.') - 1)};
  }();
  const std::string none = b64url(R"({"alg":"none","kid":"kk-ec-2026"})") + "." + body + ".";
  // A token of the right key with one claim changed after signing.
  std::string altered = sign(ec_, claims);
  const std::string promoted_body =
      b64url("{" + caseworker_claims("jti-bad", {.role = "admin", .municipality = ""}) + "}");
  altered = head + "." + promoted_body + altered.substr(altered.rfind('.'));

  const std::vector<std::pair<std::string, std::string>> cases = {
      {"another issuer", sign(ec_, caseworker_claims("jti-bad", {.issuer = "https://evil.example/realms/staff"}))},
      {"another audience", sign(ec_, caseworker_claims("jti-bad", {.audience = "api://another-system"}))},
      {"another key under the provider's kid", sign(stranger, claims)},
      {"another RSA key", sign(stranger_rsa, claims)},
      {"a kid the set does not hold", sign(ec_, claims, "kk-ec-1999")},
      {"the RSA key's kid on an ES256 token", sign(ec_, claims, "kk-rsa-2026")},
      {"HS256 with the public key as secret", hs_with_public_key},
      {"alg none", none},
      {"a claim changed after signing", altered},
      {"a caseworker without a municipality", sign(ec_, caseworker_claims("jti-bad", {.municipality = ""}))},
      {"a caseworker with an empty municipality", sign(ec_, caseworker_claims("jti-bad", {.municipality = R"("")"}))},
      {"a planner naming a municipality", sign(ec_, caseworker_claims("jti-bad", {.role = "planner"}))},
      {"an expired token", sign(ec_, caseworker_claims("jti-bad", {.lifetime = 3600, .age = 7200}))},
      {"a token of 40 days", sign(ec_, caseworker_claims("jti-bad", {.lifetime = 40L * 86400}))},
  };
  const auto before = testing::head(*api_);
  for (const auto& [what, token] : cases) {
    SCOPED_TRACE(what);
    v1::PlacementResponse response;
    const auto status = api_->placements->RequestPlacement(
        bearer(token).get(), testing::request_placement_request(RequestSpec("150685-2345", "idp-offer")), &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << status.error_message();
    EXPECT_EQ(list_as(token).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  }
  EXPECT_EQ(testing::head(*api_), before);
  // The local secret cannot pass for the provider: an HS256 token of the local secret naming the
  // provider's issuer is refused.
  const long now = static_cast<long>(std::time(nullptr));
  const std::string local_claims =
      R"({"iss":")" + std::string(kIssuer) + R"(","aud":"placementd","sub":"anna.idp@kk.dk","role":"caseworker",)" +
      R"("municipality":101,"iat":)" + std::to_string(now) + R"(,"exp":)" + std::to_string(now + 600) + "}";
  const std::string secret = auth::TokenSecrets::parse(testing::test_token_secret_line(), "test").value().signing();
  jwt_t* forged = nullptr;
  jwt_new(&forged);
  jwt_add_grants_json(forged, local_claims.c_str());
  jwt_set_alg(forged, JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(secret.data()),
              static_cast<int>(secret.size()));
  char* forged_text = jwt_encode_str(forged);
  const std::string local_as_provider = forged_text;
  free(forged_text);  // NOLINT
  jwt_free(forged);
  const auto status = list_as(local_as_provider);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(status.error_message().find("issuer"), std::string::npos) << status.error_message();
}

TEST_F(IdentityProvider, ARevokedJtiIsRefusedAtOnceAndAfterARestart) {
  const std::string lost = sign(ec_, caseworker_claims("jti-lost-laptop"));
  const std::string kept = sign(ec_, caseworker_claims("jti-kept"));
  ASSERT_TRUE(succeeded(list_as(lost)));  // verified once, so it is in the cache
  ASSERT_TRUE(succeeded(list_as(kept)));
  const auto before = testing::head(*api_);
  v1::RevokeTokenResponse revoked;
  ASSERT_TRUE(succeeded(revoke("jti-lost-laptop", &revoked)));
  EXPECT_FALSE(revoked.already_revoked());
  const auto refused = list_as(lost);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(refused.error_message().find("revoked"), std::string::npos) << refused.error_message();
  EXPECT_TRUE(succeeded(list_as(kept)));
  // Revoking again writes nothing new; only admins may revoke.
  ASSERT_TRUE(succeeded(revoke("jti-lost-laptop", &revoked)));
  EXPECT_TRUE(revoked.already_revoked());
  v1::RevokeTokenRequest by_caseworker;
  by_caseworker.set_token_id("jti-kept");
  EXPECT_EQ(v1::AdminService::NewStub(server_.channel())
                ->RevokeToken(bearer(kept).get(), by_caseworker, &revoked)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::RevokeTokenRequest malformed;
  malformed.set_token_id("has spaces in it");
  EXPECT_EQ(v1::AdminService::NewStub(server_.channel())
                ->RevokeToken(testing::as_admin().get(), malformed, &revoked)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(testing::head(*api_), before) << "a revocation is not an event of the log";
  // A local token is revoked by its jti the same way.
  auth::Claims local;
  local.subject = "bo";
  local.role = auth::Role::caseworker;
  local.municipality = 101;
  local.token_id = "local-jti-7";
  local.issued_at = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  local.expires_at = local.issued_at + std::chrono::hours(1);
  const std::string local_token = testing::token_with(local);
  ASSERT_TRUE(succeeded(list_as(local_token)));
  ASSERT_TRUE(succeeded(revoke("local-jti-7", &revoked)));
  EXPECT_EQ(list_as(local_token).error_code(), grpc::StatusCode::UNAUTHENTICATED);

  ASSERT_EQ(server_.stop(), 0);
  ASSERT_TRUE(server_.start()) << server_.error();
  api_ = std::make_unique<testing::Clients>(server_);
  EXPECT_EQ(list_as(lost).error_code(), grpc::StatusCode::UNAUTHENTICATED) << "revoked across a restart";
  EXPECT_EQ(list_as(local_token).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(succeeded(list_as(kept)));
  EXPECT_NE(server_.output().find("2 revoked token(s)"), std::string::npos);
  const auto mode = std::filesystem::status(dir_.path() / "data.revoked-tokens").permissions();
  EXPECT_EQ(mode & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
            std::filesystem::perms::none);
}

TEST_F(IdentityProvider, SighupPicksUpANewKeyAndDropsARemovedOne) {
  const ProviderKey next = ProviderKey::ec("kk-ec-2027");
  const std::string with_next = sign(next, caseworker_claims("jti-next"));
  const std::string with_old = sign(ec_, caseworker_claims("jti-old"));
  EXPECT_EQ(list_as(with_next).error_code(), grpc::StatusCode::UNAUTHENTICATED) << "not in the set yet";
  ASSERT_TRUE(succeeded(list_as(with_old)));

  // The provider rolls its keys: the new one added beside the old.
  write_jwks(jwks_, {&ec_, &next, &rsa_});
  ASSERT_TRUE(server_.send_signal(SIGHUP));
  ASSERT_TRUE(logged("identity provider keys reloaded: 3 key(s)")) << server_.output();
  EXPECT_TRUE(succeeded(list_as(with_next)));
  EXPECT_TRUE(succeeded(list_as(with_old)));

  // A file that does not parse leaves the keys in use.
  std::ofstream(jwks_) << "{\"keys\": [ not json";
  ASSERT_TRUE(server_.send_signal(SIGHUP));
  ASSERT_TRUE(logged("the identity provider's keys stay as they were")) << server_.output();
  EXPECT_TRUE(succeeded(list_as(with_next)));

  // The old key taken out: its tokens stop at once, even one verified a moment ago.
  write_jwks(jwks_, {&next});
  ASSERT_TRUE(server_.send_signal(SIGHUP));
  ASSERT_TRUE(logged("identity provider keys reloaded: 1 key(s)")) << server_.output();
  EXPECT_EQ(list_as(with_old).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(succeeded(list_as(with_next)));
  EXPECT_TRUE(server_.running()) << "SIGHUP does not stop the server";
}

TEST(IdentityProviderStart, AKeySetWithoutAUsableKeyStopsTheStart) {
  testing::TempDir dir;
  const auto jwks = dir.path() / "jwks.json";
  std::ofstream(jwks) << R"({"keys":[{"kty":"oct","k":"c2VjcmV0"},{"kty":"RSA","n":"AQAB","e":"AQAB"}]})";
  testing::ServerProcess server(dir.path() / "data");
  std::string output;
  const int code =
      server.run_to_exit({"--data", (dir.path() / "data").string(), "--listen", "127.0.0.1:0", "--admin-listen", "",
                          "--jwks-file", jwks.string(), "--jwt-issuer", kIssuer, "--jwt-audience", kAudience},
                         &output);
  EXPECT_EQ(code, 1) << output;
  EXPECT_NE(output.find("no usable RS256 or ES256 key"), std::string::npos) << output;
  // Without the issuer or the audience the flags are refused.
  EXPECT_EQ(server.run_to_exit({"--data", (dir.path() / "data").string(), "--jwks-file", jwks.string()}, &output), 2);
  EXPECT_NE(output.find("--jwt-issuer"), std::string::npos) << output;
}

}  // namespace
}  // namespace placement

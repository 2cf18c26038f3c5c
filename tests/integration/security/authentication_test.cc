// Bearer tokens against the real placementd: a call without a valid token is UNAUTHENTICATED and
// writes nothing; the actor on events is the token's; the secret file is created on first start
// and may hold several secrets; no token, secret or CPR number reaches the output or the data folder.

#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "services/auth/token_secrets.h"
#include "tests/support/grpc_client.h"
#include "tests/support/scenario.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_tokens.h"

namespace placement {
namespace {

using namespace std::chrono_literals;
using testing::RequestSpec;
using testing::succeeded;

constexpr char kCpr[] = "010190-1234";

std::unique_ptr<grpc::ClientContext> with_metadata(const std::vector<std::pair<std::string, std::string>>& entries) {
  auto context = std::make_unique<grpc::ClientContext>();
  for (const auto& [key, value] : entries) context->AddMetadata(key, value);
  context->set_deadline(std::chrono::system_clock::now() + 30s);
  return context;
}

auth::Claims admin_claims(std::chrono::system_clock::time_point issued, std::chrono::seconds lifetime) {
  auth::Claims claims;
  claims.subject = "admin-auth";
  claims.role = auth::Role::admin;
  claims.issued_at = std::chrono::time_point_cast<std::chrono::seconds>(issued);
  claims.expires_at = claims.issued_at + lifetime;
  return claims;
}

testing::OfferSpec offer_named(const std::string& offer_id) {
  testing::OfferSpec spec;
  spec.offer_id = offer_id;
  return spec;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class Authentication : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.start()) << server_.error();
    api_ = std::make_unique<testing::Clients>(server_);
  }
  testing::Clients& api() { return *api_; }

  testing::TempDir dir_;
  testing::ServerProcess server_{dir_.path() / "data"};
  std::unique_ptr<testing::Clients> api_;
};

TEST_F(Authentication, MissingExpiredForgedOrForeignTokensAreUnauthenticatedAndWriteNothing) {
  const auto now = std::chrono::system_clock::now();
  const std::string valid = testing::token_for("auditor", 0, "auditor-auth");
  std::string altered = valid;
  altered.back() = altered.back() == 'A' ? 'B' : 'A';
  const std::string other_secret = auth::TokenSecrets::generate_line().value();
  const std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> cases = {
      {"no metadata", {}},
      {"expired", {{"authorization", "Bearer " + testing::token_with(admin_claims(now - 2h, 1h))}}},
      {"issued in the future", {{"authorization", "Bearer " + testing::token_with(admin_claims(now + 2h, 1h))}}},
      {"altered signature", {{"authorization", "Bearer " + altered}}},
      {"signed with another secret",
       {{"authorization", "Bearer " + testing::token_with(admin_claims(now, 1h), other_secret)}}},
      {"garbage", {{"authorization", "Bearer not-a-token"}}},
      {"no Bearer scheme", {{"authorization", valid}}},
      {"basic credentials", {{"authorization", "Basic YWRtaW46YWRtaW4="}}},
      {"two tokens", {{"authorization", "Bearer " + valid}, {"authorization", "Bearer " + valid}}},
      {"old identity metadata", {{"x-placement-subject", "admin-1"}, {"x-placement-role", "admin"}}},
  };
  const auto before = testing::head(api());
  int number = 0;
  for (const auto& [what, metadata] : cases) {
    SCOPED_TRACE(what);
    v1::CommandResult written;
    const auto write = api().offers->RegisterOffer(
        with_metadata(metadata).get(), testing::register_offer_request(offer_named("auth-" + std::to_string(++number))),
        &written);
    EXPECT_EQ(write.error_code(), grpc::StatusCode::UNAUTHENTICATED) << write.error_message();
    EXPECT_EQ(write.error_message().find(valid), std::string::npos) << "the refusal quotes the token";
    v1::GetHeadResponse head;
    const auto read = api().audit->GetHead(with_metadata(metadata).get(), v1::GetHeadRequest(), &head);
    EXPECT_EQ(read.error_code(), grpc::StatusCode::UNAUTHENTICATED) << read.error_message();
  }
  EXPECT_EQ(testing::head(api()), before);
  // The valid token itself works, so the refusals above were the token's fault.
  v1::GetHeadResponse head;
  EXPECT_TRUE(succeeded(
      api().audit->GetHead(with_metadata({{"authorization", "Bearer " + valid}}).get(), v1::GetHeadRequest(), &head)));
}

// Each role's token names the scope its job has and no other; one that does not fit is refused
// over the wire, whatever it asks, and nothing is written.
TEST_F(Authentication, TokensWhoseScopeDoesNotFitTheRoleAreRefused) {
  const std::vector<std::pair<std::string, std::string>> misfits = {
      {"a planner naming a municipality", testing::token_for("planner", 101, "planner-scoped")},
      {"an auditor naming a municipality", testing::token_for("auditor", 101, "auditor-scoped")},
      {"an admin naming a municipality", testing::token_for("admin", 101, "admin-scoped")},
      {"a caseworker without a municipality", testing::token_for("caseworker", 0, "caseworker-unscoped")},
      {"a finance officer without a municipality", testing::token_for("finance", 0, "finance-unscoped")},
      {"an operator without an operator code", testing::token_for("operator", 0, "operator-unscoped")},
  };
  ASSERT_TRUE(succeeded(testing::register_offer(api(), "scope-offer", v1::SPECIALISATION_LEVEL_MODERAT,
                                                {v1::TARGET_GROUP_MULTIPLE_DISABILITIES}, 2)));
  const auto before = testing::head(api());
  for (const auto& [what, token] : misfits) {
    SCOPED_TRACE(what);
    const std::vector<std::pair<std::string, std::string>> metadata = {{"authorization", "Bearer " + token}};
    v1::CommandResult written;
    testing::OfferSpec spec = offer_named("scope-" + std::to_string(testing::head(api())));
    EXPECT_EQ(api()
                  .offers->RegisterOffer(with_metadata(metadata).get(), testing::register_offer_request(spec), &written)
                  .error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
    v1::PlacementResponse requested;
    EXPECT_EQ(api()
                  .placements
                  ->RequestPlacement(with_metadata(metadata).get(),
                                     testing::request_placement_request(RequestSpec(kCpr, "scope-offer")), &requested)
                  .error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
    v1::Offer offer;
    v1::GetOfferRequest get;
    get.set_offer_id("scope-offer");
    const auto read = api().offers->GetOffer(with_metadata(metadata).get(), get, &offer);
    EXPECT_EQ(read.error_code(), grpc::StatusCode::UNAUTHENTICATED) << read.error_message();
    EXPECT_TRUE(offer.offer_id().empty());
  }
  EXPECT_EQ(testing::head(api()), before);
}

// A flood of bad tokens writes a bounded number of log lines (20 per 10 s), and the first refusal
// after the window says how many it left out.
TEST_F(Authentication, AFloodOfBadTokensWritesABoundedNumberOfLogLines) {
  constexpr int kFlood = 300;
  for (int i = 0; i < kFlood; ++i) {
    v1::GetHeadResponse head;
    EXPECT_EQ(api()
                  .audit
                  ->GetHead(with_metadata({{"authorization", "Bearer bad." + std::to_string(i) + ".token"}}).get(),
                            v1::GetHeadRequest(), &head)
                  .error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(10'200));
  v1::GetHeadResponse head;
  EXPECT_EQ(
      api()
          .audit
          ->GetHead(with_metadata({{"authorization", "Bearer late.bad.token"}}).get(), v1::GetHeadRequest(), &head)
          .error_code(),
      grpc::StatusCode::UNAUTHENTICATED);
  ASSERT_EQ(server_.stop(), 0);
  const std::string output = server_.output();
  int lines = 0;
  for (std::size_t at = output.find("refused a call"); at != std::string::npos;
       at = output.find("refused a call", at + 1))
    ++lines;
  EXPECT_EQ(lines, 20 + 1) << "20 of the flood, then the late one";
  EXPECT_NE(output.find(std::to_string(kFlood - 20) + " more refused calls were not logged"), std::string::npos)
      << output;
}

TEST_F(Authentication, OldIdentityMetadataIsToldToSendAToken) {
  v1::GetHeadResponse head;
  const auto status =
      api().audit->GetHead(with_metadata({{"x-placement-subject", "auditor-1"}, {"x-placement-role", "auditor"}}).get(),
                           v1::GetHeadRequest(), &head);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(status.error_message().find("no longer accepted"), std::string::npos) << status.error_message();
}

TEST_F(Authentication, MetadataBesideATokenChangesNothingAboutWhoIsCalling) {
  // A caseworker's token with metadata claiming to be an admin: still a caseworker.
  auto context = testing::as_caseworker(101);
  context->AddMetadata("x-placement-role", "admin");
  context->AddMetadata("x-placement-subject", "admin-1");
  v1::CommandResult written;
  EXPECT_EQ(
      api()
          .offers->RegisterOffer(context.get(), testing::register_offer_request(offer_named("auth-meta")), &written)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(Authentication, TheActorOnEveryEventComesFromTheToken) {
  v1::CommandResult written;
  ASSERT_TRUE(
      succeeded(api().offers->RegisterOffer(testing::as("operator", 1084, "operator-who-7").get(),
                                            testing::register_offer_request(offer_named("auth-actor")), &written)));
  ASSERT_TRUE(succeeded(testing::change_capacity(api(), "auth-actor", testing::date(2031, 1, 1), 2)));
  ASSERT_TRUE(succeeded(testing::request_placement(api(), RequestSpec(kCpr, "auth-actor").id("auth-p").paid_by(147))));
  bool saw_offer = false, saw_request = false;
  for (const auto& event : testing::read_events(api())) {
    const auto& actor = event.envelope().actor();
    if (event.envelope().position() == written.first_position()) {
      saw_offer = true;
      EXPECT_EQ(actor.subject(), "operator-who-7");
      EXPECT_EQ(actor.role(), v1::ROLE_OPERATOR);
      EXPECT_EQ(actor.municipality_code(), 0u);
      EXPECT_EQ(actor.operator_code(), 1084u);
    }
    if (event.envelope().event_type() == "PlacementRequested") {
      saw_request = true;
      EXPECT_EQ(actor.subject(), "caseworker-147");
      EXPECT_EQ(actor.role(), v1::ROLE_CASEWORKER);
      EXPECT_EQ(actor.municipality_code(), 147u);
    }
  }
  EXPECT_TRUE(saw_offer);
  EXPECT_TRUE(saw_request);
}

TEST_F(Authentication, NoTokenSecretOrCprNumberReachesTheOutputOrTheDataFolder) {
  const auto now = std::chrono::system_clock::now();
  const std::vector<std::string> tokens = {testing::token_for("admin", 0, "admin-leak"),
                                           testing::token_for("caseworker", 101, "caseworker-leak"),
                                           testing::token_with(admin_claims(now - 2h, 1h))};
  // Calls that succeed, that are refused and that fail authentication, each carrying a token.
  ASSERT_TRUE(succeeded(testing::register_offer(api(), "leak", v1::SPECIALISATION_LEVEL_MODERAT,
                                                {v1::TARGET_GROUP_MULTIPLE_DISABILITIES}, 2)));
  v1::PlacementResponse response;
  EXPECT_TRUE(succeeded(api().placements->RequestPlacement(
      with_metadata({{"authorization", "Bearer " + tokens[1]}}).get(),
      testing::request_placement_request(RequestSpec(kCpr, "leak").id("leak-p")), &response)));
  for (const auto& token : tokens) {
    v1::GetHeadResponse head;
    (void)api().audit->GetHead(with_metadata({{"authorization", "Bearer " + token}}).get(), v1::GetHeadRequest(),
                               &head);
    (void)api().placements->RequestPlacement(with_metadata({{"authorization", "Bearer " + token}}).get(),
                                             testing::request_placement_request(RequestSpec(kCpr, "leak")), &response);
  }
  ASSERT_EQ(server_.stop(), 0);

  const auto secret_line = testing::test_token_secret_line();
  const auto secret = auth::TokenSecrets::parse(secret_line, "test").value().signing();
  std::vector<std::pair<std::string, std::string>> forbidden = {{"the token secret (hex)", secret_line},
                                                                {"the token secret (bytes)", secret},
                                                                {"a CPR number", "0101901234"},
                                                                {"a CPR number", kCpr}};
  for (const auto& token : tokens) {
    forbidden.emplace_back("a token", token);
    forbidden.emplace_back("a token's signature", token.substr(token.rfind('.') + 1));
  }
  const std::string output = server_.output();
  EXPECT_NE(output.find("refused a call"), std::string::npos) << "the refusals are logged, without the token";
  for (const auto& [what, text] : forbidden) EXPECT_EQ(output.find(text), std::string::npos) << what << " in the log";
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_.path() / "data")) {
    if (!entry.is_regular_file()) continue;
    const auto bytes = read_file(entry.path());
    for (const auto& [what, text] : forbidden)
      EXPECT_EQ(bytes.find(text), std::string::npos) << what << " in " << entry.path();
  }
}

TEST(TokenSecretFile, IsCreatedOwnerOnlyOnFirstStartAndItsSecretSignsTokens) {
  testing::TempDir dir;
  const auto secret_file = dir.path() / "fresh.token-secret";
  testing::ServerProcess server(dir.path() / "data", {"--token-secret-file", secret_file.string()});
  ASSERT_TRUE(server.start()) << server.error();
  struct stat info {};
  ASSERT_EQ(::stat(secret_file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  const std::string lines = read_file(secret_file);

  auth::Claims claims;
  claims.subject = "auditor-fresh";
  claims.role = auth::Role::auditor;
  claims.issued_at = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  claims.expires_at = claims.issued_at + 1h;
  auto stub = v1::AuditService::NewStub(server.channel());
  v1::GetHeadResponse head;
  EXPECT_TRUE(
      succeeded(stub->GetHead(with_metadata({{"authorization", "Bearer " + testing::token_with(claims, lines)}}).get(),
                              v1::GetHeadRequest(), &head)));
  // The test process's secret is not this server's.
  EXPECT_EQ(stub->GetHead(testing::as_auditor().get(), v1::GetHeadRequest(), &head).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(server.stop(), 0);
  EXPECT_EQ(server.output().find(lines.substr(0, 64)), std::string::npos);
}

TEST(TokenSecretFile, EverySecretOfARotatedFileVerifiesAndARemovedOneDoesNot) {
  testing::TempDir dir;
  const auto secret_file = dir.path() / "rotated.token-secret";
  const std::string new_line = auth::TokenSecrets::generate_line().value();
  const std::string old_line = testing::test_token_secret_line();
  testing::write_token_secret_file(secret_file, "# rotated today\n" + new_line + "\n" + old_line);
  testing::ServerProcess server(dir.path() / "data", {"--token-secret-file", secret_file.string()});
  ASSERT_TRUE(server.start()) << server.error();
  auto stub = v1::AuditService::NewStub(server.channel());
  auth::Claims claims;
  claims.subject = "auditor-rotated";
  claims.role = auth::Role::auditor;
  claims.issued_at = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  claims.expires_at = claims.issued_at + 1h;
  v1::GetHeadResponse head;
  EXPECT_TRUE(succeeded(
      stub->GetHead(with_metadata({{"authorization", "Bearer " + testing::token_with(claims, new_line)}}).get(),
                    v1::GetHeadRequest(), &head)));
  EXPECT_TRUE(succeeded(stub->GetHead(testing::as_auditor().get(), v1::GetHeadRequest(), &head)));  // the old secret's
  ASSERT_EQ(server.stop(), 0);

  // The old secret removed (the last step of a rotation): its tokens stop working at restart.
  testing::write_token_secret_file(secret_file, new_line);
  ASSERT_TRUE(server.start()) << server.error();
  stub = v1::AuditService::NewStub(server.channel());
  EXPECT_EQ(stub->GetHead(testing::as_auditor().get(), v1::GetHeadRequest(), &head).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(succeeded(
      stub->GetHead(with_metadata({{"authorization", "Bearer " + testing::token_with(claims, new_line)}}).get(),
                    v1::GetHeadRequest(), &head)));
}

TEST(TokenSecretFile, ASecretFileOthersCanReadIsRefusedAtStart) {
  testing::TempDir dir;
  const auto secret_file = dir.path() / "open.token-secret";
  testing::write_token_secret_file(secret_file);
  ::chmod(secret_file.c_str(), 0644);
  testing::ServerProcess server(dir.path() / "data", {"--token-secret-file", secret_file.string()});
  std::string output;
  EXPECT_EQ(server.run_to_exit({"--data", (dir.path() / "data").string(), "--listen", "127.0.0.1:0", "--admin-listen",
                                "", "--token-secret-file", secret_file.string()},
                               &output),
            1);
  EXPECT_NE(output.find("chmod 600"), std::string::npos) << output;
  EXPECT_EQ(output.find(testing::test_token_secret_line()), std::string::npos);
}

}  // namespace
}  // namespace placement

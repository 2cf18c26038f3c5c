// Erasure without breaking the chain (AdminService.EraseCitizen), through the real placementd:
// citizen A (a child whose sibling shares the household, so the state refund sums them) is
// erased; the chain still verifies, every planning view is byte for byte what it was, A's CPR
// number finds nothing while others' still do, the same after restarts (from a snapshot and from
// the whole log), and neither A's pseudonym nor A's CPR digits are in any file of the data folder
// or the key store.

#include <openssl/hmac.h>

#include <fstream>
#include <iterator>

#include "placement/v1/admin_service.grpc.pb.h"
#include "services/privacy/citizen_keys.h"
#include "tests/integration/planning/planning_fixture.h"
#include "tests/support/list_all.h"

namespace placement {
namespace {

using testing::date;
using testing::succeeded;
using testing::Who;

constexpr int kYear = 2031;
const std::string kCprA = "150620-4123";  // a child, born 2020
const std::string kCprSibling = "010322-4456";
const std::string kCprB = "010170-1001";    // an adult
const std::string kParent = "120385-1234";  // the household reference of A and the sibling

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The pseudonym placementd derives from a CPR number (pseudonymizer.cc): HMAC-SHA-256 under the
// key file, of "citizen\0" and the ten digits, in lower-case hex.
std::string pseudonym_of(const std::filesystem::path& key_file, const std::string& digits) {
  const std::string key = read_file(key_file);
  const std::string message = std::string("citizen") + '\0' + digits;
  unsigned char digest[32];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return hex;
}

// The files under `folder` that hold `text`.
std::vector<std::string> files_holding(const std::filesystem::path& folder, const std::string& text) {
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(folder))
    if (entry.is_regular_file() && read_file(entry.path()).find(text) != std::string::npos)
      found.push_back(entry.path().string());
  return found;
}

class ErasureTest : public testing::PlanningTest {
 protected:
  // A new stub per use: a restarted server listens on another port.
  v1::AdminService::Stub& admin() {
    admin_ = v1::AdminService::NewStub(server_.channel());
    return *admin_;
  }

  void admitted(const std::string& cpr, const std::string& id, const v1::CalendarDate& on,
                const std::string& household = "") {
    auto request = testing::request_placement_request(testing::RequestSpec(cpr, "bo-1").id(id).starting(on));
    request.set_household_reference(household);
    v1::PlacementResponse response;
    ASSERT_TRUE(
        succeeded(api().placements->RequestPlacement(Who::caseworker(101).context().get(), request, &response)));
    ASSERT_TRUE(succeeded(testing::reserve(api(), Who::caseworker(101), id, on)));
    ASSERT_TRUE(succeeded(testing::admit(api(), Who::caseworker(101), id, on)));
  }

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(PlanningTest::SetUp());
    testing::OfferSpec offer;
    offer.offer_id = "bo-1";
    offer.places = 5;
    offer.places_from = date(kYear, 1, 1);
    ASSERT_TRUE(succeeded(testing::register_offer(api(), offer)));
    v1::SetRateRequest rate;  // 5,000 kr a day: a year of two children passes the refund thresholds
    rate.set_command_id("rate-bo-1");
    rate.set_offer_id("bo-1");
    *rate.mutable_effective_from() = date(kYear, 1, 1);
    rate.set_daily_rate_ore(5'000'00);
    v1::CommandResult result;
    ASSERT_TRUE(succeeded(api().offers->SetRate(
        testing::as_operator(testing::operator_of(api(), rate.offer_id())).get(), rate, &result)));
    ASSERT_NO_FATAL_FAILURE(admitted(kCprA, "p-a", date(kYear, 2, 1), kParent));
    ASSERT_TRUE(succeeded(testing::discharge(api(), Who::caseworker(101), "p-a", date(kYear, 8, 1))));
    ASSERT_NO_FATAL_FAILURE(admitted(kCprSibling, "p-sibling", date(kYear, 1, 1), kParent));
    ASSERT_NO_FATAL_FAILURE(admitted(kCprB, "p-b", date(kYear, 3, 1)));
  }

  std::vector<std::string> placements_of(const std::string& cpr) {
    v1::ListPlacementsRequest request;
    request.set_cpr(cpr);
    v1::ListPlacementsResponse response;
    // The paying municipality's caseworker looks the citizen up (every citizen here is 101's).
    EXPECT_TRUE(succeeded(testing::list_all_placements(
        *api().placements, [] { return testing::as_caseworker(101); }, request, &response)));
    std::vector<std::string> ids;
    for (const auto& placement : response.placements()) ids.push_back(placement.placement_id());
    return ids;
  }

  grpc::Status erase(const std::string& cpr, const std::string& reason, v1::EraseCitizenResponse* response,
                     const Who& who = Who::admin()) {
    v1::EraseCitizenRequest request;
    request.set_command_id(testing::fresh_command_id("erase"));
    request.set_cpr(cpr);
    request.set_reason(reason);
    return admin().EraseCitizen(who.context().get(), request, response);
  }

  void expect_chain_verifies() {
    v1::VerifyChainResponse report;
    ASSERT_TRUE(succeeded(api().audit->VerifyChain(testing::as_auditor().get(), v1::VerifyChainRequest(), &report)));
    EXPECT_TRUE(report.ok()) << report.problem();
  }

  std::unique_ptr<v1::AdminService::Stub> admin_;
};

TEST_F(ErasureTest, AnErasedCitizenIsUnlinkedWhileTheChainAndEveryViewStayTheSame) {
  const std::uint64_t head_before = testing::head(api());
  const auto views_before = all_views(head_before, kYear);
  ASSERT_EQ(placements_of(kCprA), std::vector<std::string>{"p-a"});
  v1::FinancingResponse financing_before = financing(date(kYear, 1, 1), date(kYear + 1, 1, 1), head_before);
  ASSERT_NE(financing_before.DebugString().find("refund"), std::string::npos);

  v1::EraseCitizenResponse erased;
  ASSERT_TRUE(succeeded(erase(kCprA, "retention expired (case 2041-17)", &erased)));
  EXPECT_EQ(erased.citizen_id().size(), 32u);

  // The record of the erasure: the opaque id and the reason, on its own stream.
  const auto records = testing::read_events(api(), {"CitizenErased"});
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].envelope().stream_id(), "erasures");
  v1::CitizenErased record;
  ASSERT_TRUE(record.ParseFromString(records[0].envelope().payload()));
  EXPECT_EQ(record.citizen_id(), erased.citizen_id());

  auto check = [&](const std::string& when) {
    SCOPED_TRACE(when);
    expect_chain_verifies();
    EXPECT_TRUE(all_views(head_before, kYear) == views_before) << "a planning view changed";
    EXPECT_EQ(financing(date(kYear, 1, 1), date(kYear + 1, 1, 1), head_before).SerializeAsString(),
              financing_before.SerializeAsString());
    EXPECT_TRUE(placements_of(kCprA).empty());
    EXPECT_EQ(placements_of(kCprB), std::vector<std::string>{"p-b"});
    EXPECT_EQ(placements_of(kCprSibling), std::vector<std::string>{"p-sibling"});
    EXPECT_EQ(testing::fetch_placement(api(), "p-a").status(), v1::PLACEMENT_STATUS_DISCHARGED);
  };
  check("right after the erasure");
  ASSERT_NO_FATAL_FAILURE(restart());
  check("after a restart from the snapshot");
  server_.set_extra_args({"--ignore-snapshots"});
  ASSERT_NO_FATAL_FAILURE(restart());
  check("after a restart replaying the whole log");

  // Erasing again finds nobody.
  v1::EraseCitizenResponse again;
  EXPECT_EQ(erase(kCprA, "retention expired (case 2041-17)", &again).error_code(), grpc::StatusCode::NOT_FOUND);

  ASSERT_EQ(server_.stop(), 0);
  const auto pseudonym = pseudonym_of(dir_.path() / "data.pseudonym-key", "1506204123");
  for (const auto& folder : {dir_.path() / "data", dir_.path() / "data.citizen-keys"}) {
    for (const std::string& trace : {pseudonym, std::string("1506204123"), kCprA}) {
      const auto holding = files_holding(folder, trace);
      EXPECT_TRUE(holding.empty()) << trace << " is in " << holding.front();
    }
  }
  // The events keep the opaque id (that is what keeps the views); the key store forgot it.
  const auto keeping_id = files_holding(dir_.path() / "data.citizen-keys", erased.citizen_id());
  EXPECT_TRUE(keeping_id.empty()) << "the erased id is in " << keeping_id.front();
  EXPECT_EQ(server_.output().find("1506204123"), std::string::npos) << "a CPR number in the server's log";
  EXPECT_EQ(server_.output().find(kCprA), std::string::npos) << "a CPR number in the server's log";
  EXPECT_EQ(server_.output().find(pseudonym), std::string::npos) << "a pseudonym in the server's log";
}

TEST_F(ErasureTest, ErasureIsRefusedForAnActiveCaseForCaseworkersAndForAReasonHoldingACprNumber) {
  const std::uint64_t head_before = testing::head(api());
  v1::EraseCitizenResponse response;
  EXPECT_EQ(erase(kCprB, "request 2041-3", &response).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(erase(kCprA, "request 2041-3", &response, Who::caseworker(101)).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(erase(kCprA, "request from 150620-4123", &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(erase(kCprA, "", &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(erase("not a cpr", "request 2041-3", &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(testing::head(api()), head_before) << "a refused erasure wrote to the log";
  EXPECT_EQ(placements_of(kCprA), std::vector<std::string>{"p-a"});
  EXPECT_EQ(placements_of(kCprB), std::vector<std::string>{"p-b"});
}

TEST_F(ErasureTest, ACitizenCanBeErasedByOneOfTheirPlacements) {
  v1::EraseCitizenRequest request;
  request.set_command_id("erase-by-placement");
  request.set_placement_id("p-a");
  request.set_reason("retention expired");
  v1::EraseCitizenResponse first;
  ASSERT_TRUE(succeeded(admin().EraseCitizen(testing::as_admin().get(), request, &first)));
  EXPECT_TRUE(placements_of(kCprA).empty());
  // A retry of the same command answers the first result and writes nothing.
  v1::EraseCitizenResponse retry;
  ASSERT_TRUE(succeeded(admin().EraseCitizen(testing::as_admin().get(), request, &retry)));
  EXPECT_TRUE(retry.result().duplicate());
  EXPECT_EQ(retry.citizen_id(), first.citizen_id());
}

// Erasure is idempotent: a second request for an erased citizen, under a new command id and by
// another of the ways to name them, writes nothing and answers the first erasure, also after a
// restart (the log, not memory, says who was erased).
TEST_F(ErasureTest, ASecondErasureOfAnErasedCitizenWritesNothing) {
  v1::EraseCitizenRequest request;
  request.set_command_id(testing::fresh_command_id("erase"));
  request.set_placement_id("p-a");
  request.set_reason("retention expired");
  v1::EraseCitizenResponse first;
  ASSERT_TRUE(succeeded(admin().EraseCitizen(testing::as_admin().get(), request, &first)));
  ASSERT_FALSE(first.result().duplicate());
  const std::uint64_t head = testing::head(api());

  auto again = [&](const char* when) {
    v1::EraseCitizenRequest second = request;
    second.set_command_id(testing::fresh_command_id("erase-again"));
    v1::EraseCitizenResponse answer;
    ASSERT_TRUE(succeeded(admin().EraseCitizen(testing::as_admin().get(), second, &answer))) << when;
    EXPECT_TRUE(answer.result().duplicate()) << when;
    EXPECT_EQ(answer.result().first_position(), first.result().first_position()) << when;
    EXPECT_EQ(answer.citizen_id(), first.citizen_id()) << when;
    EXPECT_EQ(testing::head(api()), head) << when << ": a second erasure wrote to the log";
  };
  again("while running");
  ASSERT_NO_FATAL_FAILURE(restart());
  again("after a restart");
  // Named by CPR number, the erased citizen is no longer known at all.
  v1::EraseCitizenResponse by_cpr;
  EXPECT_EQ(erase(kCprA, "request 2041-3", &by_cpr).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(testing::head(api()), head);
}

// The key store holds entries only for citizens the log names: a request the rules refuse leaves
// none, and an entry a crash left behind (issued, the command never written) is gone after the
// next start.
TEST_F(ErasureTest, OnlyCitizensTheLogNamesHaveKeyStoreEntries) {
  const std::string refused_cpr = "020304-1235";
  const std::uint64_t head = testing::head(api());
  EXPECT_EQ(testing::request_placement(api(), testing::RequestSpec(refused_cpr, "no-such-offer")).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(testing::head(api()), head);
  ASSERT_EQ(server_.stop(), 0);

  const auto key_file = dir_.path() / "data.pseudonym-key";
  const std::string orphan = pseudonym_of(key_file, "0506071238");
  {
    auto keys = privacy::CitizenKeys::open(dir_.path() / "data.citizen-keys");
    ASSERT_TRUE(keys) << keys.error().message;
    EXPECT_FALSE(keys.value()->find(pseudonym_of(key_file, "0203041235")).value().has_value())
        << "a refused request left its citizen in the key store";
    EXPECT_TRUE(keys.value()->find(pseudonym_of(key_file, "1506204123")).value().has_value());
    // What a crash between issuing a key and writing the command leaves behind.
    ASSERT_TRUE(keys.value()->reference(orphan, "").has_value());
    ASSERT_TRUE(keys.value()->make_durable());
  }
  ASSERT_NO_FATAL_FAILURE(start());
  EXPECT_EQ(testing::head(api()), head);
  ASSERT_EQ(server_.stop(), 0);
  EXPECT_NE(server_.output().find("deleted 1 key-store entries that no placement names"), std::string::npos)
      << server_.output();
  {
    auto keys = privacy::CitizenKeys::open(dir_.path() / "data.citizen-keys");
    ASSERT_TRUE(keys) << keys.error().message;
    EXPECT_FALSE(keys.value()->find(orphan).value().has_value());
    for (const char* digits : {"1506204123", "0103224456", "0101701001"})
      EXPECT_TRUE(keys.value()->find(pseudonym_of(key_file, digits)).value().has_value()) << digits;
  }
  ASSERT_NO_FATAL_FAILURE(start());  // TearDown expects a running server
}

}  // namespace
}  // namespace placement

// A full disk (free space below the server's reserve): writes are refused with UNAVAILABLE and
// change nothing, reads go on, and writes resume once space returns, with the log intact across a
// restart. Runs on a small tmpfs that the test mounts (root is needed; elsewhere the test is
// skipped and says why).

#include <sys/mount.h>

#include <set>

#include <gtest/gtest.h>

#include "placement/v1/audit_service.grpc.pb.h"
#include "placement/v1/offer_service.grpc.pb.h"
#include "tests/support/grpc_client.h"
#include "tests/support/list_all.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace placement {
namespace {

class SmallDisk {
 public:
  explicit SmallDisk(const std::filesystem::path& where) : where_(where) {
    std::filesystem::create_directories(where_);
    mounted_ = ::mount("tmpfs", where_.c_str(), "tmpfs", 0, "size=24m") == 0;
  }
  ~SmallDisk() {
    if (mounted_) ::umount2(where_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  bool grow() { return ::mount("tmpfs", where_.c_str(), "tmpfs", MS_REMOUNT, "size=64m") == 0; }

 private:
  std::filesystem::path where_;
  bool mounted_ = false;
};

v1::RegisterOfferRequest big_offer(int i) {
  v1::RegisterOfferRequest request;
  request.set_command_id("fill-" + std::to_string(i));
  request.set_offer_id("fill-" + std::to_string(i));
  request.set_name("Offer " + std::to_string(i) + " " + std::string(900, 'x'));  // within the 1,000 limit
  request.set_operator_code(1081);
  request.set_level(v1::SPECIALISATION_LEVEL_LET);
  request.add_target_groups(v1::TARGET_GROUP_MULTIPLE_DISABILITIES);
  request.set_service_type(v1::SERVICE_TYPE_DAGTILBUD);
  request.set_paragraph_of_law("SEL § 104");
  request.set_catchment_region_code(1081);
  request.mutable_financing()->set_model(v1::FINANCING_MODEL_TAKST);
  return request;
}

// Every offer id, over all pages (a page holds at most 1,000).
std::set<std::string> all_offer_ids(v1::OfferService::Stub& offers) {
  v1::ListOffersResponse listed;
  const auto status = testing::list_all_offers(offers, testing::as_admin, v1::ListOffersRequest(), &listed);
  EXPECT_TRUE(status.ok()) << status.error_message();
  std::set<std::string> ids;
  for (const auto& offer : listed.offers()) ids.insert(offer.offer_id());
  return ids;
}

TEST(DiskFull, WritesFailUnavailableReadsGoOnAndWritesResumeWhenSpaceReturns) {
  testing::TempDir dir;
  SmallDisk disk(dir.path() / "disk");
  if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here (needs root): " << std::strerror(errno);
  // The reserve leaves RocksDB room for its own files (manifest, info log, flushes).
  testing::ServerProcess server(dir.path() / "disk" / "data", {"--min-free-mb", "12"});
  ASSERT_TRUE(server.start()) << server.error();
  auto offers = v1::OfferService::NewStub(server.channel());
  auto audit = v1::AuditService::NewStub(server.channel());

  std::set<std::string> acknowledged;
  int i = 0;
  grpc::Status refused;
  for (; i < 20000; ++i) {
    v1::CommandResult result;
    refused = offers->RegisterOffer(testing::as_operator(1081).get(), big_offer(i), &result);
    if (!refused.ok()) break;
    acknowledged.insert("fill-" + std::to_string(i));
  }
  ASSERT_FALSE(refused.ok()) << "the disk never filled";
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE) << refused.error_message();

  // Reads keep working, and the refused command left nothing behind.
  v1::GetHeadResponse head;
  ASSERT_TRUE(audit->GetHead(testing::as_auditor().get(), v1::GetHeadRequest(), &head).ok()) << server.output();
  EXPECT_EQ(all_offer_ids(*offers), acknowledged);
  v1::CommandResult result;
  EXPECT_EQ(offers->RegisterOffer(testing::as_operator(1081).get(), big_offer(i), &result).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(server.output().find("below the reserve"), std::string::npos);

  ASSERT_TRUE(disk.grow());
  grpc::Status resumed;
  for (int attempt = 0; attempt < 50; ++attempt) {
    resumed = offers->RegisterOffer(testing::as_operator(1081).get(), big_offer(i), &result);
    if (resumed.ok()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(resumed.ok()) << "writes did not resume: " << resumed.error_message();
  acknowledged.insert("fill-" + std::to_string(i));
  EXPECT_EQ(result.first_position(), head.position() + 1) << "the refused write must not have taken a position";

  // After a restart the log verifies and holds every acknowledged offer exactly once.
  ASSERT_EQ(server.stop(), 0);
  ASSERT_TRUE(server.start()) << server.error();
  auto offers_after = v1::OfferService::NewStub(server.channel());
  EXPECT_EQ(all_offer_ids(*offers_after), acknowledged);
  auto audit_after = v1::AuditService::NewStub(server.channel());
  v1::VerifyChainResponse report;
  ASSERT_TRUE(audit_after->VerifyChain(testing::as_auditor().get(), v1::VerifyChainRequest(), &report).ok());
  EXPECT_TRUE(report.ok()) << report.problem();
  EXPECT_EQ(report.events_checked(), head.position() + 1);
  ASSERT_EQ(server.stop(), 0);
}

}  // namespace
}  // namespace placement

// A data folder whose file system turns read-only under the running server: writes are refused
// with UNAVAILABLE and a log line that says why, nothing is written, reads go on, and writes resume
// by themselves once the file system is writable again. The read-only state is injected at the
// kernel's answer to statvfs() (tests/support/read_only_fs_preload.cc explains why a real remount
// cannot be used under a running RocksDB).

#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "placement/v1/audit_service.grpc.pb.h"
#include "placement/v1/offer_service.grpc.pb.h"
#include "tests/support/grpc_client.h"
#include "tests/support/list_all.h"
#include "tests/support/offer_requests.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace placement {
namespace {

// Starts the server with the fault injector loaded; `flag` switches the read-only state.
bool start_with_injector(testing::ServerProcess& server, const std::filesystem::path& flag) {
  ::setenv("LD_PRELOAD", PLACEMENT_READ_ONLY_FS_PRELOAD, 1);
  ::setenv("PLACEMENT_TEST_READ_ONLY_FLAG", flag.c_str(), 1);
  const bool started = server.start();
  ::unsetenv("LD_PRELOAD");
  ::unsetenv("PLACEMENT_TEST_READ_ONLY_FLAG");
  return started;
}

std::uint64_t head_of(v1::AuditService::Stub& audit) {
  v1::GetHeadResponse head;
  const auto status = audit.GetHead(testing::as_auditor().get(), v1::GetHeadRequest(), &head);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return head.position();
}

TEST(ReadOnlyDataFolder, WritesFailUnavailableReadsGoOnAndWritesResumeWhenWritable) {
  testing::TempDir dir;
  const auto flag = dir.path() / "read-only";
  testing::ServerProcess server(dir.path() / "data");
  ASSERT_TRUE(start_with_injector(server, flag)) << server.error();
  auto offers = v1::OfferService::NewStub(server.channel());
  auto audit = v1::AuditService::NewStub(server.channel());
  v1::CommandResult result;
  ASSERT_TRUE(offers
                  ->RegisterOffer(testing::as_operator(1082).get(),
                                  testing::simple_offer_request("c-1", "before", 1082), &result)
                  .ok());
  const std::uint64_t head = head_of(*audit);

  { std::ofstream(flag) << "the disk went read-only\n"; }
  const auto refused = offers->RegisterOffer(testing::as_operator(1082).get(),
                                             testing::simple_offer_request("c-2", "during", 1082), &result);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE) << refused.error_message();
  EXPECT_NE(refused.error_message().find("read-only"), std::string::npos) << refused.error_message();
  EXPECT_NE(server.output().find("file system is read-only"), std::string::npos) << "a log line says why";

  // Reads go on, and the refused command left nothing behind.
  EXPECT_EQ(head_of(*audit), head);
  v1::ListOffersResponse listed;
  ASSERT_TRUE(testing::list_all_offers(*offers, testing::as_admin, v1::ListOffersRequest(), &listed).ok());
  ASSERT_EQ(listed.offers_size(), 1);
  EXPECT_EQ(listed.offers(0).offer_id(), "before");

  std::filesystem::remove(flag);
  const auto resumed = offers->RegisterOffer(testing::as_operator(1082).get(),
                                             testing::simple_offer_request("c-2", "during", 1082), &result);
  ASSERT_TRUE(resumed.ok()) << "writes did not resume: " << resumed.error_message();
  EXPECT_FALSE(result.duplicate()) << "the refused attempt wrote nothing, so its retry is new";
  EXPECT_EQ(result.first_position(), head + 1);

  v1::VerifyChainResponse report;
  ASSERT_TRUE(audit->VerifyChain(testing::as_auditor().get(), v1::VerifyChainRequest(), &report).ok());
  EXPECT_TRUE(report.ok()) << report.problem();
  EXPECT_EQ(server.stop(), 0);
}

}  // namespace
}  // namespace placement

// Online backup while writes go on, and restore into a fresh folder.

#include <atomic>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "placement/v1/admin_service.grpc.pb.h"
#include "placement/v1/audit_service.grpc.pb.h"
#include "placement/v1/offer_service.grpc.pb.h"
#include "tests/support/audit_log.h"
#include "tests/support/grpc_client.h"
#include "tests/support/list_all.h"
#include "tests/support/offer_requests.h"
#include "tests/support/reference_events.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace placement {
namespace {

v1::RegisterOfferRequest an_offer(const std::string& id) {
  return testing::simple_offer_request("register-" + id, id, 1083);
}

using testing::read_log;

TEST(Backup, OnlineBackupRestoresIntoAServerWhoseLogVerifiesAndIsAPrefixOfTheOriginal) {
  testing::TempDir dir;
  testing::ServerProcess server(dir.path() / "data");
  ASSERT_TRUE(server.start()) << server.error();

  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::mutex mutex;
  std::string last_refusal;
  std::thread writer([&] {
    auto offers = v1::OfferService::NewStub(server.channel());
    for (int i = 0; !stop; ++i) {
      v1::CommandResult result;
      const auto status =
          offers->RegisterOffer(testing::as_operator(1083).get(), an_offer("b" + std::to_string(i)), &result);
      if (status.ok()) {
        ++written;
      } else {
        std::lock_guard lock(mutex);
        last_refusal = status.error_message();
      }
    }
  });
  // Bounded waits: a refused write must fail the test, not hang it.
  auto wait_for_writes = [&](int count) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (written < count && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return written >= count;
  };
  const bool first_writes = wait_for_writes(50);
  if (!first_writes) {
    stop = true;
    writer.join();
    FAIL() << "writes did not go through: " << last_refusal;
  }

  auto admin = v1::AdminService::NewStub(server.channel());
  v1::CreateBackupRequest request;
  request.set_destination((dir.path() / "backups").string());
  v1::CreateBackupResponse backup;
  const auto status = admin->CreateBackup(testing::as_admin().get(), request, &backup);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const bool later_writes = wait_for_writes(100);  // writes go on after it
  stop = true;
  writer.join();
  ASSERT_TRUE(later_writes) << last_refusal;
  EXPECT_GE(backup.position_at_start(), testing::kReferenceEvents + 50u);
  EXPECT_GT(backup.size_bytes(), 0u);

  // Only admins take backups, and only into absolute paths.
  v1::CreateBackupResponse refused;
  EXPECT_EQ(admin->CreateBackup(testing::as_auditor().get(), request, &refused).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  request.set_destination("relative/backups");
  EXPECT_EQ(admin->CreateBackup(testing::as_admin().get(), request, &refused).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  const auto original = read_log(server.channel());
  ASSERT_EQ(server.stop(), 0);

  std::string output;
  const auto restored_dir = dir.path() / "restored";
  ASSERT_EQ(server.run_to_exit(
                {"restore", "--backup", (dir.path() / "backups").string(), "--data", restored_dir.string()}, &output),
            0)
      << output;
  EXPECT_NE(output.find("chain verified"), std::string::npos) << output;
  // A restore never overwrites a ledger.
  EXPECT_NE(server.run_to_exit(
                {"restore", "--backup", (dir.path() / "backups").string(), "--data", (dir.path() / "data").string()},
                &output),
            0);

  testing::ServerProcess restored(restored_dir);
  ASSERT_TRUE(restored.start()) << restored.error();
  const auto copy = read_log(restored.channel());
  ASSERT_GE(copy.size(), backup.position_at_start());
  ASSERT_LE(copy.size(), original.size());
  for (std::size_t i = 0; i < copy.size(); ++i) {
    EXPECT_EQ(copy[i].hash(), original[i].hash()) << "position " << i + 1;
    EXPECT_EQ(copy[i].envelope_bytes(), original[i].envelope_bytes()) << "position " << i + 1;
  }
  auto audit = v1::AuditService::NewStub(restored.channel());
  v1::VerifyChainResponse report;
  ASSERT_TRUE(audit->VerifyChain(testing::as_auditor().get(), v1::VerifyChainRequest(), &report).ok());
  EXPECT_TRUE(report.ok()) << report.problem();

  // The restored server's state is the original's at the restored position: every offer whose
  // registration is in the prefix, and no other.
  auto offers = v1::OfferService::NewStub(restored.channel());
  v1::ListOffersResponse listed;
  ASSERT_TRUE(testing::list_all_offers(*offers, testing::as_admin, v1::ListOffersRequest(), &listed).ok());
  std::size_t registered_in_prefix = 0;
  for (const auto& event : copy) registered_in_prefix += event.envelope().event_type() == "OfferRegistered";
  EXPECT_EQ(static_cast<std::size_t>(listed.offers_size()), registered_in_prefix);
}

}  // namespace
}  // namespace placement

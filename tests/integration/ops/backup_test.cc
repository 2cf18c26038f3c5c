// Online backup while writes go on, and restore into a fresh folder.

#include <sys/stat.h>

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

mode_t mode_of(const std::filesystem::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

grpc::Status backup_into(testing::ServerProcess& server, const std::string& destination) {
  v1::CreateBackupRequest request;
  request.set_destination(destination);
  v1::CreateBackupResponse response;
  return v1::AdminService::NewStub(server.channel())->CreateBackup(testing::as_admin().get(), request, &response);
}

// The backup root (--backup-root): a backup goes below it, into a folder made 0700, and nowhere
// else: not into the data folder, the key store, through "..", through a link out of the root, or
// anywhere at all without a root. Nothing outside the root is created.
TEST(Backup, GoesOnlyBelowTheBackupRootIntoOwnerOnlyFolders) {
  testing::TempDir dir;
  const auto root = dir.path() / "backups";
  testing::ServerProcess server(dir.path() / "data", {"--backup-root", root.string()});
  ASSERT_TRUE(server.start()) << server.error();
  const auto nightly = backup_into(server, "nightly");
  ASSERT_TRUE(nightly.ok()) << nightly.error_message();
  EXPECT_EQ(mode_of(root / "nightly"), 0700u);
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root / "nightly"))
    EXPECT_EQ(mode_of(entry.path()) & 077, 0u) << entry.path() << " is open to group or others";
  const auto weekly = backup_into(server, (root / "weekly").string());
  ASSERT_TRUE(weekly.ok()) << weekly.error_message();

  std::filesystem::create_directory_symlink(dir.path(), root / "out");
  for (const std::string& destination :
       {(dir.path() / "data").string(), (dir.path() / "data.citizen-keys").string(),
        (dir.path() / "elsewhere").string(), std::string("../data"), std::string("nightly/../../elsewhere"),
        std::string("out/elsewhere"), std::string(""), std::string("/tmp")}) {
    const auto status = backup_into(server, destination);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << destination << ": " << status.error_message();
  }
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "elsewhere"));
  ASSERT_EQ(server.stop(), 0);

  // No root, no backups; a root inside the data folder or around the key store is refused at start.
  server.set_extra_args({});
  ASSERT_TRUE(server.start()) << server.error();
  EXPECT_EQ(backup_into(server, (root / "nightly").string()).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_EQ(server.stop(), 0);
  for (const auto& bad_root : {dir.path() / "data" / "backups", dir.path()}) {
    std::string output;
    EXPECT_EQ(server.run_to_exit({"--data", (dir.path() / "data").string(), "--listen", "127.0.0.1:0", "--admin-listen",
                                  "", "--backup-root", bad_root.string()},
                                 &output),
              1)
        << output;
    EXPECT_NE(output.find("backup root"), std::string::npos) << output;
  }
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "data" / "backups"));
}

TEST(Backup, OnlineBackupRestoresIntoAServerWhoseLogVerifiesAndIsAPrefixOfTheOriginal) {
  testing::TempDir dir;
  testing::ServerProcess server(dir.path() / "data", {"--backup-root", (dir.path() / "backups").string()});
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

  // Only admins take backups, and only below the backup root.
  v1::CreateBackupResponse refused;
  EXPECT_EQ(admin->CreateBackup(testing::as_auditor().get(), request, &refused).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(mode_of(dir.path() / "backups"), 0700u);

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

// Crash safety under the real mix (mixed_workload.h): concurrent clients register offers and move
// citizens through request, reservation, admission and discharge while placementd is killed with
// SIGKILL several times. After the last restart every acknowledged command's events are in the
// log exactly once at the positions it was told, every command's events are one unbroken run (no
// half command), the chain verifies, the citizen key store still knows every admitted citizen,
// and the views served live equal the views rebuilt from the log.

#include <atomic>
#include <thread>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "placement/v1/placement_service.grpc.pb.h"
#include "tests/crash/mixed_workload.h"
#include "tests/support/grpc_client.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace placement {
namespace {

constexpr int kClients = 8;
constexpr int kRounds = 3;

TEST(MixedWorkloadCrash, AcknowledgedCommandsSurviveWholeAndLiveViewsEqualARebuild) {
  testing::TempDir dir;
  testing::ServerProcess server(dir.path() / "data");
  testing::Recorder recorder;
  for (int round = 0; round < kRounds; ++round) {
    ASSERT_TRUE(server.start()) << server.error();
    std::atomic<int> citizens{0};
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c)
      clients.emplace_back([&, c] { testing::run_client(server.address(), round, c, recorder, citizens); });
    const int kill_after = 20 + 15 * round;  // a different moment each round
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (citizens < kill_after && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    server.kill();
    for (auto& t : clients) t.join();
    ASSERT_GE(citizens.load(), kill_after) << "too little was acknowledged before the kill";
  }

  ASSERT_TRUE(server.start()) << server.error();
  const auto acks = recorder.acks();
  ASSERT_GT(acks.size(), 100u);
  ASSERT_NO_FATAL_FAILURE(testing::expect_acknowledged_commands_intact(server.channel(), acks));
  EXPECT_GT(testing::expect_admitted_citizens_known(server.channel(), acks), 10);

  // Change the state live once more, then compare what the live projections serve with the same
  // views rebuilt from the log (as of the head).
  auto placements = v1::PlacementService::NewStub(server.channel());
  v1::DischargePlacementRequest discharge;
  discharge.set_command_id("after-restart-discharge");
  discharge.set_placement_id("r0-c0-p1");
  *discharge.mutable_on() = testing::day(2030, 6, 1);
  v1::PlacementResponse discharged;
  ASSERT_TRUE(
      placements
          ->DischargePlacement(testing::as_caseworker(testing::kWorkloadMunicipality).get(), discharge, &discharged)
          .ok());
  ASSERT_NO_FATAL_FAILURE(testing::expect_views_equal_a_rebuild(server.channel()));
}

}  // namespace
}  // namespace placement

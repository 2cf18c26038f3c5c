// Crash safety of the write path: many concurrent clients write through gRPC while the real
// placementd is killed with SIGKILL; after each restart every acknowledged command's events are
// in the log exactly once, in order, with an unbroken hash chain.

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "placement/v1/audit_service.grpc.pb.h"
#include "placement/v1/offer_service.grpc.pb.h"
#include "tests/support/audit_log.h"
#include "tests/support/grpc_client.h"
#include "tests/support/list_all.h"
#include "tests/support/offer_requests.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace placement {
namespace {

constexpr int kClients = 16;
constexpr int kRounds = 3;  // kill and restart this many times

struct Acknowledged {
  std::uint64_t position = 0;
  std::string offer_id;
};

using testing::read_log;

TEST(KillDuringAppends, EveryAcknowledgedCommandSurvivesExactlyOnceInOrder) {
  testing::TempDir dir;
  testing::ServerProcess server(dir.path() / "data");
  std::map<std::string, Acknowledged> acknowledged;  // command id → what the server answered
  std::mutex mutex;
  int next_command = 0;

  for (int round = 0; round < kRounds; ++round) {
    ASSERT_TRUE(server.start()) << server.error();
    const auto channel_address = server.address();
    std::atomic<bool> killed{false};
    std::atomic<int> acks_this_round{0};
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
      clients.emplace_back([&, c] {
        auto stub = v1::OfferService::NewStub(grpc::CreateChannel(channel_address, grpc::InsecureChannelCredentials()));
        for (int i = 0; !killed.load(); ++i) {
          const std::string suffix = std::to_string(round) + "-" + std::to_string(c) + "-" + std::to_string(i);
          const std::string command_id = "crash-" + suffix;
          v1::CommandResult result;
          auto context = testing::as_operator();
          context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
          const grpc::Status status =
              stub->RegisterOffer(context.get(), testing::simple_offer_request(command_id, "o" + suffix), &result);
          if (!status.ok()) break;  // the server is gone: what was not acknowledged is not promised
          std::lock_guard lock(mutex);
          acknowledged[command_id] = {result.first_position(), "o" + suffix};
          ++acks_this_round;
        }
      });
    }
    // Kill in the middle of the stream of writes, at a different point each round.
    const int kill_after = 150 + 120 * round;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (acks_this_round.load() < kill_after && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    server.kill();
    killed = true;
    for (auto& t : clients) t.join();
    ASSERT_GE(acks_this_round.load(), kill_after) << "the server acknowledged too little before the kill";
    next_command += acks_this_round.load();
  }

  ASSERT_TRUE(server.start()) << server.error();
  const auto events = read_log(server.channel());
  std::map<std::string, std::uint64_t> position_of_command;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto& envelope = events[i].envelope();
    ASSERT_EQ(envelope.position(), i + 1) << "positions must be consecutive from 1";
    if (envelope.event_type() != "OfferRegistered") continue;
    const bool first_time = position_of_command.emplace(envelope.command_id(), envelope.position()).second;
    EXPECT_TRUE(first_time) << "command " << envelope.command_id() << " was written twice";
    EXPECT_EQ(envelope.actor().subject(), "operator-1084");
  }
  for (const auto& [command_id, ack] : acknowledged) {
    auto it = position_of_command.find(command_id);
    ASSERT_NE(it, position_of_command.end()) << "acknowledged command " << command_id << " was lost";
    EXPECT_EQ(it->second, ack.position) << "acknowledged command " << command_id << " moved";
  }
  EXPECT_EQ(acknowledged.size(), static_cast<std::size_t>(next_command));

  auto audit = v1::AuditService::NewStub(server.channel());
  v1::VerifyChainResponse report;
  ASSERT_TRUE(audit->VerifyChain(testing::as_auditor().get(), v1::VerifyChainRequest(), &report).ok());
  EXPECT_TRUE(report.ok()) << "chain breaks at " << report.first_bad_position() << ": " << report.problem();
  EXPECT_EQ(report.events_checked(), events.size());

  // The state rebuilt from the log knows every acknowledged offer, and retrying an acknowledged
  // command returns its first result without writing anything.
  auto offers = v1::OfferService::NewStub(server.channel());
  v1::ListOffersResponse listed;
  ASSERT_TRUE(testing::list_all_offers(*offers, testing::as_admin, v1::ListOffersRequest(), &listed).ok());
  std::set<std::string> offer_ids;
  for (const auto& offer : listed.offers()) offer_ids.insert(offer.offer_id());
  for (const auto& [command_id, ack] : acknowledged) EXPECT_TRUE(offer_ids.contains(ack.offer_id)) << ack.offer_id;

  const auto& [retry_id, retry_ack] = *acknowledged.begin();
  v1::CommandResult retried;
  ASSERT_TRUE(offers
                  ->RegisterOffer(testing::as_operator().get(),
                                  testing::simple_offer_request(retry_id, retry_ack.offer_id), &retried)
                  .ok());
  EXPECT_TRUE(retried.duplicate());
  EXPECT_EQ(retried.first_position(), retry_ack.position);
  EXPECT_EQ(read_log(server.channel()).size(), events.size());
}

}  // namespace
}  // namespace placement

// Crash safety under the real mix: concurrent clients register offers and move citizens through
// request, reservation, admission and discharge while placementd is killed with SIGKILL several
// times. After the last restart every acknowledged command's events are in the log exactly once
// at the positions it was told, every command's events are one unbroken run (no half command),
// the chain verifies, the citizen key store still knows every admitted citizen, and the views
// served live equal the views rebuilt from the log.

#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "placement/v1/audit_service.grpc.pb.h"
#include "placement/v1/offer_service.grpc.pb.h"
#include "placement/v1/placement_service.grpc.pb.h"
#include "placement/v1/planning_service.grpc.pb.h"
#include "tests/support/audit_log.h"
#include "tests/support/grpc_client.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace placement {
namespace {

constexpr int kClients = 8;
constexpr int kRounds = 3;
constexpr std::uint32_t kMunicipality = 101;

v1::CalendarDate day(int year, int month, int d) {
  v1::CalendarDate out;
  out.set_year(year);
  out.set_month(month);
  out.set_day(d);
  return out;
}

// A valid CPR number, unique per (client, citizen): born in the 1980s.
std::string cpr_for(int client, int citizen) {
  char text[16];
  std::snprintf(text, sizeof text, "%02d%02d8%d%04d", 1 + citizen % 28, 1 + client % 12, citizen / 28 % 10,
                (citizen * 7 + client) % 4000);
  return text;
}

struct Ack {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
};

class Recorder {
 public:
  void record(const std::string& command_id, const v1::CommandResult& result) {
    std::lock_guard lock(mutex_);
    acks_[command_id] = {result.first_position(), result.last_position()};
  }
  std::map<std::string, Ack> acks() const {
    std::lock_guard lock(mutex_);
    return acks_;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, Ack> acks_;
};

// One client's workload: its own offer, then citizens through the lifecycle until the server dies.
void run_client(const std::string& address, int round, int client, Recorder& recorder, std::atomic<int>& acks) {
  auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  auto offers = v1::OfferService::NewStub(channel);
  auto placements = v1::PlacementService::NewStub(channel);
  const std::string offer_id = "mix-" + std::to_string(client);
  const std::string prefix = "r" + std::to_string(round) + "-c" + std::to_string(client) + "-";
  auto caseworker = [] { return testing::as_caseworker(kMunicipality); };

  if (round == 0) {
    v1::RegisterOfferRequest offer;
    offer.set_command_id(prefix + "offer");
    offer.set_offer_id(offer_id);
    offer.set_name("Mixed workload offer " + std::to_string(client));
    offer.set_operator_code(1084);
    offer.set_level(v1::SPECIALISATION_LEVEL_MODERAT);
    offer.add_target_groups(v1::TARGET_GROUP_MULTIPLE_DISABILITIES);
    offer.set_service_type(v1::SERVICE_TYPE_DOGN);
    offer.set_paragraph_of_law("SEL § 108");
    offer.set_catchment_region_code(1084);
    offer.mutable_financing()->set_model(v1::FINANCING_MODEL_TAKST);
    v1::CommandResult result;
    if (!offers->RegisterOffer(testing::as_admin().get(), offer, &result).ok()) return;
    recorder.record(offer.command_id(), result);
    v1::ChangeCapacityRequest capacity;
    capacity.set_command_id(prefix + "capacity");
    capacity.set_offer_id(offer_id);
    *capacity.mutable_effective_from() = day(2030, 1, 1);
    capacity.set_places(100000);
    if (!offers->ChangeCapacity(testing::as_admin().get(), capacity, &result).ok()) return;
    recorder.record(capacity.command_id(), result);
    v1::SetRateRequest rate;
    rate.set_command_id(prefix + "rate");
    rate.set_offer_id(offer_id);
    *rate.mutable_effective_from() = day(2030, 1, 1);
    rate.set_daily_rate_ore(250000);
    if (!offers->SetRate(testing::as_admin().get(), rate, &result).ok()) return;
    recorder.record(rate.command_id(), result);
  }

  for (int citizen = 0;; ++citizen) {
    const std::string id = prefix + "p" + std::to_string(citizen);
    v1::PlacementResponse response;
    v1::RequestPlacementRequest request;
    request.set_command_id(id + "-request");
    request.set_placement_id(id);
    request.set_cpr(cpr_for(client, round * 1000 + citizen));
    request.set_paying_municipality_code(kMunicipality);
    request.set_offer_id(offer_id);
    request.set_level(v1::SPECIALISATION_LEVEL_MODERAT);
    request.set_target_group(v1::TARGET_GROUP_MULTIPLE_DISABILITIES);
    *request.mutable_requested_start() = day(2030, 2, 1);
    if (!placements->RequestPlacement(caseworker().get(), request, &response).ok()) return;
    recorder.record(request.command_id(), response.result());

    v1::ReservePlaceRequest reserve;
    reserve.set_command_id(id + "-reserve");
    reserve.set_placement_id(id);
    *reserve.mutable_from() = day(2030, 2, 1);
    if (!placements->ReservePlace(caseworker().get(), reserve, &response).ok()) return;
    recorder.record(reserve.command_id(), response.result());

    v1::AdmitPlacementRequest admit;
    admit.set_command_id(id + "-admit");
    admit.set_placement_id(id);
    *admit.mutable_on() = day(2030, 2, 1);
    if (!placements->AdmitPlacement(caseworker().get(), admit, &response).ok()) return;
    recorder.record(admit.command_id(), response.result());

    if (citizen % 2 == 0) {  // half are discharged, half stay
      v1::DischargePlacementRequest discharge;
      discharge.set_command_id(id + "-discharge");
      discharge.set_placement_id(id);
      *discharge.mutable_on() = day(2030, 3, 1 + citizen % 28);
      if (!placements->DischargePlacement(caseworker().get(), discharge, &response).ok()) return;
      recorder.record(discharge.command_id(), response.result());
    }
    acks += 1;
  }
}

using testing::read_log;

TEST(MixedWorkloadCrash, AcknowledgedCommandsSurviveWholeAndLiveViewsEqualARebuild) {
  testing::TempDir dir;
  testing::ServerProcess server(dir.path() / "data");
  Recorder recorder;
  for (int round = 0; round < kRounds; ++round) {
    ASSERT_TRUE(server.start()) << server.error();
    std::atomic<int> citizens{0};
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c)
      clients.emplace_back([&, c] { run_client(server.address(), round, c, recorder, citizens); });
    const int kill_after = 20 + 15 * round;  // a different moment each round
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (citizens < kill_after && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    server.kill();
    for (auto& t : clients) t.join();
    ASSERT_GE(citizens.load(), kill_after) << "too little was acknowledged before the kill";
  }

  ASSERT_TRUE(server.start()) << server.error();
  const auto events = read_log(server.channel());
  std::map<std::string, std::vector<std::uint64_t>> positions_of;
  for (std::size_t i = 0; i < events.size(); ++i) {
    ASSERT_EQ(events[i].envelope().position(), i + 1);
    positions_of[events[i].envelope().command_id()].push_back(events[i].envelope().position());
  }
  // No half commands: each command's events form one unbroken run.
  for (const auto& [command_id, positions] : positions_of)
    EXPECT_EQ(positions.back() - positions.front() + 1, positions.size()) << command_id << " is split";
  // Every acknowledged command is there, exactly where it was acknowledged.
  const auto acks = recorder.acks();
  ASSERT_GT(acks.size(), 100u);
  for (const auto& [command_id, ack] : acks) {
    auto it = positions_of.find(command_id);
    ASSERT_NE(it, positions_of.end()) << "acknowledged " << command_id << " is lost";
    EXPECT_EQ(it->second.front(), ack.first) << command_id;
    EXPECT_EQ(it->second.back(), ack.last) << command_id;
  }
  auto audit = v1::AuditService::NewStub(server.channel());
  v1::VerifyChainResponse report;
  ASSERT_TRUE(audit->VerifyChain(testing::as_auditor().get(), v1::VerifyChainRequest(), &report).ok());
  EXPECT_TRUE(report.ok()) << report.problem();

  // The citizen key store survived the kills too: every citizen whose admission was acknowledged
  // (and who was not discharged) is still known by the same id, so a second request for them in
  // the same offer is refused as a duplicate. A key lost in a crash would make them a new person.
  auto placements_before = v1::PlacementService::NewStub(server.channel());
  int still_known = 0;
  for (const auto& [command_id, ack] : acks) {
    int round = 0, client = 0, citizen = 0;
    if (std::sscanf(command_id.c_str(), "r%d-c%d-p%d-admit", &round, &client, &citizen) != 3) continue;
    if (command_id !=
            "r" + std::to_string(round) + "-c" + std::to_string(client) + "-p" + std::to_string(citizen) + "-admit" ||
        citizen % 2 == 0)
      continue;
    v1::RequestPlacementRequest again;
    again.set_command_id(command_id + "-again");
    again.set_placement_id(command_id + "-again");
    again.set_cpr(cpr_for(client, round * 1000 + citizen));
    again.set_paying_municipality_code(kMunicipality);
    again.set_offer_id("mix-" + std::to_string(client));
    again.set_level(v1::SPECIALISATION_LEVEL_MODERAT);
    again.set_target_group(v1::TARGET_GROUP_MULTIPLE_DISABILITIES);
    *again.mutable_requested_start() = day(2030, 2, 1);
    v1::PlacementResponse refused;
    const auto status =
        placements_before->RequestPlacement(testing::as_caseworker(kMunicipality).get(), again, &refused);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
        << command_id << ": " << status.error_message();
    ++still_known;
  }
  EXPECT_GT(still_known, 10);

  // Change the state live once more, then compare what the live projections serve with the same
  // views rebuilt from the log (as of the head).
  auto placements = v1::PlacementService::NewStub(server.channel());
  v1::DischargePlacementRequest discharge;
  discharge.set_command_id("after-restart-discharge");
  discharge.set_placement_id("r0-c0-p1");
  *discharge.mutable_on() = day(2030, 6, 1);
  v1::PlacementResponse discharged;
  ASSERT_TRUE(placements->DischargePlacement(testing::as_caseworker(kMunicipality).get(), discharge, &discharged).ok());

  auto planning = v1::PlanningService::NewStub(server.channel());
  v1::GetHeadResponse head;
  ASSERT_TRUE(audit->GetHead(testing::as_auditor().get(), v1::GetHeadRequest(), &head).ok());
  for (const auto& at : {day(2030, 2, 15), day(2030, 3, 20), day(2030, 7, 1)}) {
    v1::CapacityViewRequest request;
    *request.mutable_date() = at;
    request.add_group_by(v1::GROUP_FIELD_OFFER);
    v1::CapacityViewResponse live, rebuilt;
    ASSERT_TRUE(planning->GetCapacity(testing::as("planner").get(), request, &live).ok());
    request.set_as_of_position(head.position());
    ASSERT_TRUE(planning->GetCapacity(testing::as("planner").get(), request, &rebuilt).ok());
    EXPECT_EQ(live.SerializeAsString(), rebuilt.SerializeAsString());
  }
  v1::FinancingRequest financing;
  *financing.mutable_from() = day(2030, 1, 1);
  *financing.mutable_to() = day(2031, 1, 1);
  v1::FinancingResponse live_financing, rebuilt_financing;
  ASSERT_TRUE(planning->GetFinancing(testing::as("planner").get(), financing, &live_financing).ok());
  financing.set_as_of_position(head.position());
  ASSERT_TRUE(planning->GetFinancing(testing::as("planner").get(), financing, &rebuilt_financing).ok());
  EXPECT_EQ(live_financing.SerializeAsString(), rebuilt_financing.SerializeAsString());
  EXPECT_GT(live_financing.ByteSizeLong(), 0u);
}

}  // namespace
}  // namespace placement

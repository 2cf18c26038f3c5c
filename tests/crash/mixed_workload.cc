#include "tests/crash/mixed_workload.h"

#include <cstdio>
#include <thread>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "placement/v1/admin_service.grpc.pb.h"
#include "placement/v1/audit_service.grpc.pb.h"
#include "placement/v1/offer_service.grpc.pb.h"
#include "placement/v1/placement_service.grpc.pb.h"
#include "placement/v1/planning_service.grpc.pb.h"
#include "tests/support/audit_log.h"
#include "tests/support/grpc_client.h"
#include "tests/support/list_all.h"

namespace placement::testing {
namespace {

const std::string kOfferPrefix = "mix-";

v1::RequestPlacementRequest placement_request(const std::string& command_id, const std::string& placement_id,
                                              const std::string& cpr, int client) {
  v1::RequestPlacementRequest request;
  request.set_command_id(command_id);
  request.set_placement_id(placement_id);
  request.set_cpr(cpr);
  request.set_paying_municipality_code(kWorkloadMunicipality);
  request.set_offer_id(kOfferPrefix + std::to_string(client));
  request.set_level(v1::SPECIALISATION_LEVEL_MODERAT);
  request.set_target_group(v1::TARGET_GROUP_MULTIPLE_DISABILITIES);
  *request.mutable_requested_start() = day(2030, 2, 1);
  return request;
}

// The (round, client, citizen) a workload command id names with `suffix`; false for other ids.
bool parse_citizen_command(const std::string& command_id, const std::string& suffix, int* round, int* client,
                           int* citizen) {
  if (std::sscanf(command_id.c_str(), "r%d-c%d-p%d-", round, client, citizen) != 3) return false;
  return command_id ==
         "r" + std::to_string(*round) + "-c" + std::to_string(*client) + "-p" + std::to_string(*citizen) + "-" + suffix;
}

}  // namespace

v1::CalendarDate day(int year, int month, int d) {
  v1::CalendarDate out;
  out.set_year(year);
  out.set_month(month);
  out.set_day(d);
  return out;
}

std::string cpr_for(int client, int citizen) {
  char text[16];
  // Day, decade and serial number are the digits of `citizen` in bases 28, 10 and 4000 (serials
  // below 4000 keep the century in the 1900s): distinct for the first 1,120,000 citizens.
  std::snprintf(text, sizeof text, "%02d%02d8%d%04d", 1 + citizen % 28, 1 + client % 12, citizen / 28 % 10,
                citizen / 280 % 4000);
  return text;
}

void Recorder::record(const std::string& command_id, const v1::CommandResult& result) {
  std::lock_guard lock(mutex_);
  acks_[command_id] = {result.first_position(), result.last_position()};
}

std::map<std::string, Ack> Recorder::acks() const {
  std::lock_guard lock(mutex_);
  return acks_;
}

void run_client(const std::string& address, int round, int client, Recorder& recorder, std::atomic<int>& citizens,
                const WorkloadOptions& options) {
  auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  auto offers = v1::OfferService::NewStub(channel);
  auto placements = v1::PlacementService::NewStub(channel);
  auto admin = v1::AdminService::NewStub(channel);
  const std::string offer_id = kOfferPrefix + std::to_string(client);
  const std::string setup = "c" + std::to_string(client) + "-";
  const std::string prefix = "r" + std::to_string(round) + "-c" + std::to_string(client) + "-";
  auto caseworker = [] { return as_caseworker(kWorkloadMunicipality); };

  // Repeated each round under the same command ids: a repeat answers the first result.
  v1::RegisterOfferRequest offer;
  offer.set_command_id(setup + "offer");
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
  if (!offers->RegisterOffer(as_operator_of(offer).get(), offer, &result).ok()) return;
  recorder.record(offer.command_id(), result);
  v1::ChangeCapacityRequest capacity;
  capacity.set_command_id(setup + "capacity");
  capacity.set_offer_id(offer_id);
  *capacity.mutable_effective_from() = day(2030, 1, 1);
  capacity.set_places(100000);
  if (!offers->ChangeCapacity(as_operator().get(), capacity, &result).ok()) return;
  recorder.record(capacity.command_id(), result);
  v1::SetRateRequest rate;
  rate.set_command_id(setup + "rate");
  rate.set_offer_id(offer_id);
  *rate.mutable_effective_from() = day(2030, 1, 1);
  rate.set_daily_rate_ore(250000);
  if (!offers->SetRate(as_operator().get(), rate, &result).ok()) return;
  recorder.record(rate.command_id(), result);

  for (int citizen = 0;; ++citizen) {
    const std::string id = prefix + "p" + std::to_string(citizen);
    const std::string cpr = cpr_for(client, round * 1000 + citizen);
    v1::PlacementResponse response;
    const auto request = placement_request(id + "-request", id, cpr, client);
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
      if (options.erase_every > 0 && citizen % options.erase_every == 0) {
        v1::EraseCitizenRequest erase;
        erase.set_command_id(id + "-erase");
        erase.set_cpr(cpr);
        erase.set_reason("retention expired (crash test)");
        v1::EraseCitizenResponse erased;
        if (!admin->EraseCitizen(as_admin().get(), erase, &erased).ok()) return;
        recorder.record(erase.command_id(), erased.result());
      }
    }
    citizens += 1;
  }
}

void expect_acknowledged_commands_intact(const std::shared_ptr<grpc::Channel>& channel,
                                         const std::map<std::string, Ack>& acks) {
  const auto events = read_log(channel);
  std::map<std::string, std::vector<std::uint64_t>> positions_of;
  for (std::size_t i = 0; i < events.size(); ++i) {
    ASSERT_EQ(events[i].envelope().position(), i + 1);
    positions_of[events[i].envelope().command_id()].push_back(events[i].envelope().position());
  }
  // No half commands: each command's events form one unbroken run.
  for (const auto& [command_id, positions] : positions_of)
    EXPECT_EQ(positions.back() - positions.front() + 1, positions.size()) << command_id << " is split";
  // Every acknowledged command is there, exactly where it was acknowledged.
  for (const auto& [command_id, ack] : acks) {
    auto it = positions_of.find(command_id);
    ASSERT_NE(it, positions_of.end()) << "acknowledged " << command_id << " is lost (log head " << events.size()
                                      << ", acknowledged at " << ack.first << ".." << ack.last << ")";
    EXPECT_EQ(it->second.front(), ack.first) << command_id;
    EXPECT_EQ(it->second.back(), ack.last) << command_id;
  }
  auto audit = v1::AuditService::NewStub(channel);
  v1::VerifyChainResponse report;
  ASSERT_TRUE(audit->VerifyChain(as_auditor().get(), v1::VerifyChainRequest(), &report).ok());
  EXPECT_TRUE(report.ok()) << report.problem();
}

int expect_admitted_citizens_known(const std::shared_ptr<grpc::Channel>& channel,
                                   const std::map<std::string, Ack>& acks) {
  // A key lost in a crash would make an admitted citizen a new person: a second request for
  // them in the same offer would then be accepted instead of refused as a duplicate.
  auto placements = v1::PlacementService::NewStub(channel);
  int still_known = 0;
  for (const auto& [command_id, ack] : acks) {
    int round = 0, client = 0, citizen = 0;
    if (!parse_citizen_command(command_id, "admit", &round, &client, &citizen) || citizen % 2 == 0) continue;
    const auto again = placement_request(command_id + "-again", command_id + "-again",
                                         cpr_for(client, round * 1000 + citizen), client);
    v1::PlacementResponse refused;
    const auto status = placements->RequestPlacement(as_caseworker(kWorkloadMunicipality).get(), again, &refused);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
        << command_id << ": " << status.error_message();
    ++still_known;
  }
  return still_known;
}

int expect_recorded_erasures_done(const std::shared_ptr<grpc::Channel>& channel) {
  auto placements = v1::PlacementService::NewStub(channel);
  int checked = 0;
  for (const auto& event : read_log(channel)) {
    int round = 0, client = 0, citizen = 0;
    if (!parse_citizen_command(event.envelope().command_id(), "erase", &round, &client, &citizen)) continue;
    v1::ListPlacementsRequest request;
    request.set_cpr(cpr_for(client, round * 1000 + citizen));
    v1::ListPlacementsResponse response;
    const auto status = list_all_placements(
        *placements, [] { return as_caseworker(kWorkloadMunicipality); }, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.placements_size(), 0) << event.envelope().command_id() << " is recorded but not done";
    ++checked;
  }
  return checked;
}

void expect_views_equal_a_rebuild(const std::shared_ptr<grpc::Channel>& channel) {
  auto audit = v1::AuditService::NewStub(channel);
  auto planning = v1::PlanningService::NewStub(channel);
  v1::GetHeadResponse head;
  ASSERT_TRUE(audit->GetHead(as_auditor().get(), v1::GetHeadRequest(), &head).ok());
  for (const auto& at : {day(2030, 2, 15), day(2030, 3, 20), day(2030, 7, 1)}) {
    v1::CapacityViewRequest request;
    *request.mutable_date() = at;
    request.add_group_by(v1::GROUP_FIELD_OFFER);
    v1::CapacityViewResponse live, rebuilt;
    ASSERT_TRUE(planning->GetCapacity(as("planner").get(), request, &live).ok());
    request.set_as_of_position(head.position());
    ASSERT_TRUE(planning->GetCapacity(as("planner").get(), request, &rebuilt).ok());
    EXPECT_EQ(live.SerializeAsString(), rebuilt.SerializeAsString());
  }
  v1::FinancingRequest financing;
  *financing.mutable_from() = day(2030, 1, 1);
  *financing.mutable_to() = day(2031, 1, 1);
  v1::FinancingResponse live_financing, rebuilt_financing;
  ASSERT_TRUE(planning->GetFinancing(as("planner").get(), financing, &live_financing).ok());
  financing.set_as_of_position(head.position());
  ASSERT_TRUE(planning->GetFinancing(as("planner").get(), financing, &rebuilt_financing).ok());
  EXPECT_EQ(live_financing.SerializeAsString(), rebuilt_financing.SerializeAsString());
}

}  // namespace placement::testing

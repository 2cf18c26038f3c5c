#pragma once
// PlacementService: caseworkers search vacancies and move their own municipality's citizens
// through the placement lifecycle; operator admins allocate and reject. CPR numbers are turned
// into pseudonyms here, at the edge, and go no further; events get the citizen's opaque ids and
// the pseudonyms sealed under the citizen's key (citizen_keys.h).

#include <chrono>

#include "placement/v1/placement_service.grpc.pb.h"
#include "services/api/caller.h"
#include "services/ledger/ledger.h"
#include "services/privacy/citizen_keys.h"
#include "services/privacy/pseudonymizer.h"

namespace placement::api {

class PlacementServiceImpl final : public v1::PlacementService::CallbackService {
 public:
  PlacementServiceImpl(ledger::Ledger& ledger, const Authenticator& authenticator,
                       const privacy::Pseudonymizer& pseudonymizer, privacy::CitizenKeys& keys,
                       std::chrono::seconds hold_period)
      : ledger_(ledger),
        authenticator_(authenticator),
        pseudonymizer_(pseudonymizer),
        keys_(keys),
        hold_period_(hold_period) {}

  grpc::ServerUnaryReactor* SearchVacancies(grpc::CallbackServerContext*, const v1::SearchVacanciesRequest*,
                                            v1::SearchVacanciesResponse*) override;
  grpc::ServerUnaryReactor* RequestPlacement(grpc::CallbackServerContext*, const v1::RequestPlacementRequest*,
                                             v1::PlacementResponse*) override;
  grpc::ServerUnaryReactor* ReservePlace(grpc::CallbackServerContext*, const v1::ReservePlaceRequest*,
                                         v1::PlacementResponse*) override;
  grpc::ServerUnaryReactor* AllocatePlace(grpc::CallbackServerContext*, const v1::AllocatePlaceRequest*,
                                          v1::PlacementResponse*) override;
  grpc::ServerUnaryReactor* AdmitPlacement(grpc::CallbackServerContext*, const v1::AdmitPlacementRequest*,
                                           v1::PlacementResponse*) override;
  grpc::ServerUnaryReactor* TransferPlacement(grpc::CallbackServerContext*, const v1::TransferPlacementRequest*,
                                              v1::PlacementResponse*) override;
  grpc::ServerUnaryReactor* DischargePlacement(grpc::CallbackServerContext*, const v1::DischargePlacementRequest*,
                                               v1::PlacementResponse*) override;
  grpc::ServerUnaryReactor* WithdrawPlacement(grpc::CallbackServerContext*, const v1::WithdrawPlacementRequest*,
                                              v1::PlacementResponse*) override;
  grpc::ServerUnaryReactor* RejectPlacement(grpc::CallbackServerContext*, const v1::RejectPlacementRequest*,
                                            v1::PlacementResponse*) override;
  grpc::ServerUnaryReactor* GetPlacement(grpc::CallbackServerContext*, const v1::GetPlacementRequest*,
                                         v1::Placement*) override;
  grpc::ServerUnaryReactor* ListPlacements(grpc::CallbackServerContext*, const v1::ListPlacementsRequest*,
                                           v1::ListPlacementsResponse*) override;

 private:
  // The shared path of every command on an existing placement.
  template <class Request>
  grpc::ServerUnaryReactor* on_placement(grpc::CallbackServerContext* context, const Request* request,
                                         v1::PlacementResponse* response, Rpc rpc);
  // Scope: a caseworker acts on its own municipality's placements, an operator on the placements
  // on its own offers; permission_denied otherwise.
  Status may_act_on(const v1::Actor& caller, const std::string& placement_id) const;
  void fill(const std::string& placement_id, const ledger::CommandOutcome& outcome,
            v1::PlacementResponse* response) const;

  ledger::Ledger& ledger_;
  const Authenticator& authenticator_;
  const privacy::Pseudonymizer& pseudonymizer_;
  privacy::CitizenKeys& keys_;
  const std::chrono::seconds hold_period_;
};

}  // namespace placement::api

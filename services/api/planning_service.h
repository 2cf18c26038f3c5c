#pragma once
// PlanningService: the planners' views (capacity, occupancy, waiting lists, financing, settlement)
// answered from memory (planning_views.h), live or as of a log position, and the admins' planning
// inputs written as events through the ledger's single writer.

#include "placement/v1/planning_service.grpc.pb.h"
#include "services/api/caller.h"
#include "services/ledger/ledger.h"
#include "services/ledger/planning_views.h"
#include "storage/event_log.h"

namespace placement::api {

class PlanningServiceImpl final : public v1::PlanningService::CallbackService {
 public:
  // snapshots (may be null) speed up views of past positions (planning_views.h).
  PlanningServiceImpl(ledger::Ledger& ledger, const storage::EventLog& log, const Authenticator& authenticator,
                      const storage::SnapshotStore* snapshots = nullptr)
      : ledger_(ledger), authenticator_(authenticator), views_(ledger, log, snapshots) {}

  grpc::ServerUnaryReactor* GetCapacity(grpc::CallbackServerContext*, const v1::CapacityViewRequest*,
                                        v1::CapacityViewResponse*) override;
  grpc::ServerUnaryReactor* GetOccupancy(grpc::CallbackServerContext*, const v1::OccupancyViewRequest*,
                                         v1::OccupancyViewResponse*) override;
  grpc::ServerUnaryReactor* GetWaitingLists(grpc::CallbackServerContext*, const v1::WaitingListsRequest*,
                                            v1::WaitingListsResponse*) override;
  grpc::ServerUnaryReactor* GetFinancing(grpc::CallbackServerContext*, const v1::FinancingRequest*,
                                         v1::FinancingResponse*) override;
  grpc::ServerUnaryReactor* GetSettlement(grpc::CallbackServerContext*, const v1::SettlementRequest*,
                                          v1::SettlementResponse*) override;

  grpc::ServerUnaryReactor* SetObjectiveKey(grpc::CallbackServerContext*, const v1::SetObjectiveKeyRequest*,
                                            v1::CommandResult*) override;
  grpc::ServerUnaryReactor* SetBlockGrant(grpc::CallbackServerContext*, const v1::SetBlockGrantRequest*,
                                          v1::CommandResult*) override;
  grpc::ServerUnaryReactor* SetRefundTiers(grpc::CallbackServerContext*, const v1::SetRefundTiersRequest*,
                                           v1::CommandResult*) override;
  grpc::ServerUnaryReactor* RecordIncome(grpc::CallbackServerContext*, const v1::RecordIncomeRequest*,
                                         v1::CommandResult*) override;
  grpc::ServerUnaryReactor* RecordCaseCosts(grpc::CallbackServerContext*, const v1::RecordCaseCostsRequest*,
                                            v1::CommandResult*) override;

  // The models the views answer from, shared with the web dashboard (services/web). Thread-safe.
  ledger::PlanningViews& views() { return views_; }

 private:
  ledger::Ledger& ledger_;
  const Authenticator& authenticator_;
  ledger::PlanningViews views_;
};

}  // namespace placement::api

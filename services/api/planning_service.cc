#include "services/api/planning_service.h"

#include <spdlog/spdlog.h>

#include "services/api/caller.h"
#include "services/api/command_call.h"
#include "services/api/grpc_status.h"
#include "services/api/planning_queries.h"
#include "services/codec/planning_mapping.h"

namespace placement::api {
namespace {

// A read: authenticate, authorize, take the model as of the asked position, compute.
// compute(const ledger::IndexedModel&) → Status (it fills the response).
template <class Compute>
grpc::ServerUnaryReactor* view_call(grpc::CallbackServerContext* context, const Authenticator& authenticator,
                                    ledger::PlanningViews& views, Rpc rpc, const google::protobuf::Message& request,
                                    std::uint64_t as_of_position, Compute&& compute) {
  auto* reactor = context->DefaultReactor();
  auto finish = [reactor](const Status& status) {
    reactor->Finish(status ? grpc::Status::OK : to_grpc_status(status.error()));
    return reactor;
  };
  if (auto caller = authenticator.authorized_caller(*context, rpc, request); !caller)
    return finish(outcome::failure(caller.error()));
  auto model = views.at(as_of_position);
  if (!model) return finish(outcome::failure(model.error()));
  return finish(compute(*model.value()));
}

// Moves a computed view into the response.
template <class Response> Status answer(Response* response, Result<Response> view) {
  if (!view) return outcome::failure(view.error());
  *response = std::move(view).value();
  return ok();
}

}  // namespace

grpc::ServerUnaryReactor* PlanningServiceImpl::GetCapacity(grpc::CallbackServerContext* context,
                                                           const v1::CapacityViewRequest* request,
                                                           v1::CapacityViewResponse* response) {
  return view_call(context, authenticator_, views_, Rpc::planning_capacity, *request, request->as_of_position(),
                   [&](const ledger::IndexedModel& m) { return answer(response, capacity_view(m, *request)); });
}

grpc::ServerUnaryReactor* PlanningServiceImpl::GetOccupancy(grpc::CallbackServerContext* context,
                                                            const v1::OccupancyViewRequest* request,
                                                            v1::OccupancyViewResponse* response) {
  return view_call(context, authenticator_, views_, Rpc::planning_occupancy, *request, request->as_of_position(),
                   [&](const ledger::IndexedModel& m) { return answer(response, occupancy_view(m, *request)); });
}

grpc::ServerUnaryReactor* PlanningServiceImpl::GetWaitingLists(grpc::CallbackServerContext* context,
                                                               const v1::WaitingListsRequest* request,
                                                               v1::WaitingListsResponse* response) {
  return view_call(context, authenticator_, views_, Rpc::planning_waiting_lists, *request, request->as_of_position(),
                   [&](const ledger::IndexedModel& m) { return answer(response, waiting_lists_view(m, *request)); });
}

grpc::ServerUnaryReactor* PlanningServiceImpl::GetFinancing(grpc::CallbackServerContext* context,
                                                            const v1::FinancingRequest* request,
                                                            v1::FinancingResponse* response) {
  return view_call(context, authenticator_, views_, Rpc::planning_financing, *request, request->as_of_position(),
                   [&](const ledger::IndexedModel& m) { return answer(response, financing_view(m, *request)); });
}

grpc::ServerUnaryReactor* PlanningServiceImpl::GetSettlement(grpc::CallbackServerContext* context,
                                                             const v1::SettlementRequest* request,
                                                             v1::SettlementResponse* response) {
  auto* reactor = context->DefaultReactor();
  auto finish = [reactor](const Status& status) {
    reactor->Finish(status ? grpc::Status::OK : to_grpc_status(status.error()));
    return reactor;
  };
  auto caller = authenticator_.authorized_caller(*context, Rpc::planning_settlement, *request);
  if (!caller) return finish(outcome::failure(caller.error()));
  v1::SettlementRequest scoped = *request;
  // Finance staff see their own municipality's statements: all of them when none is named.
  if (caller.value().role() == v1::ROLE_FINANCE) {
    if (scoped.paying_municipality_code() == 0) scoped.set_paying_municipality_code(caller.value().municipality_code());
    if (auto own = authorize_municipality(caller.value(), scoped.paying_municipality_code()); !own) return finish(own);
  }
  auto model = views_.at(scoped.as_of_position());
  if (!model) return finish(outcome::failure(model.error()));
  auto view = settlement_view(*model.value(), scoped);
  if (!view) return finish(outcome::failure(view.error()));
  *response =
      sees_aggregates_only(caller.value()) ? settlement_aggregates(std::move(view).value()) : std::move(view).value();
  return finish(ok());
}

grpc::ServerUnaryReactor* PlanningServiceImpl::SetObjectiveKey(grpc::CallbackServerContext* context,
                                                               const v1::SetObjectiveKeyRequest* request,
                                                               v1::CommandResult* response) {
  return mapped_command_call(context, authenticator_, ledger_, Rpc::set_objective_key, *request, response);
}

grpc::ServerUnaryReactor* PlanningServiceImpl::SetBlockGrant(grpc::CallbackServerContext* context,
                                                             const v1::SetBlockGrantRequest* request,
                                                             v1::CommandResult* response) {
  return mapped_command_call(context, authenticator_, ledger_, Rpc::set_block_grant, *request, response);
}

grpc::ServerUnaryReactor* PlanningServiceImpl::SetRefundTiers(grpc::CallbackServerContext* context,
                                                              const v1::SetRefundTiersRequest* request,
                                                              v1::CommandResult* response) {
  return mapped_command_call(context, authenticator_, ledger_, Rpc::set_refund_tiers, *request, response);
}

grpc::ServerUnaryReactor* PlanningServiceImpl::RecordIncome(grpc::CallbackServerContext* context,
                                                            const v1::RecordIncomeRequest* request,
                                                            v1::CommandResult* response) {
  return mapped_command_call(context, authenticator_, ledger_, Rpc::record_income, *request, response);
}

grpc::ServerUnaryReactor* PlanningServiceImpl::RecordCaseCosts(grpc::CallbackServerContext* context,
                                                               const v1::RecordCaseCostsRequest* request,
                                                               v1::CommandResult* response) {
  return mapped_command_call(context, authenticator_, ledger_, Rpc::record_case_costs, *request, response);
}

}  // namespace placement::api

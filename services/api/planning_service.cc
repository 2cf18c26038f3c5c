#include "services/api/planning_service.h"

#include <spdlog/spdlog.h>

#include "services/api/caller.h"
#include "services/api/command_call.h"
#include "services/api/grpc_status.h"
#include "services/codec/api_mapping.h"
#include "services/codec/planning_mapping.h"
#include "services/codec/vocabulary_codec.h"
#include "services/projections/capacity_view.h"
#include "services/projections/financing.h"
#include "services/projections/occupancy_view.h"
#include "services/projections/settlement.h"
#include "services/projections/waiting_view.h"

namespace placement::api {
namespace {

namespace pj = projections;

// A read: authenticate, authorize, take the model as of the asked position, compute.
// compute(const ledger::IndexedModel&) → Status (it fills the response).
template <class Compute>
grpc::ServerUnaryReactor* view_call(grpc::CallbackServerContext* context, const Authenticator& authenticator,
                                    ledger::PlanningViews& views, Rpc rpc, std::uint64_t as_of_position,
                                    Compute&& compute) {
  auto* reactor = context->DefaultReactor();
  auto finish = [reactor](const Status& status) {
    reactor->Finish(status ? grpc::Status::OK : to_grpc_status(status.error()));
    return reactor;
  };
  if (auto caller = authenticator.authorized_caller(*context, rpc); !caller)
    return finish(outcome::failure(caller.error()));
  auto model = views.at(as_of_position);
  if (!model) return finish(outcome::failure(model.error()));
  return finish(compute(*model.value()));
}

}  // namespace

grpc::ServerUnaryReactor* PlanningServiceImpl::GetCapacity(grpc::CallbackServerContext* context,
                                                           const v1::CapacityViewRequest* request,
                                                           v1::CapacityViewResponse* response) {
  return view_call(context, authenticator_, views_, Rpc::planning_capacity, request->as_of_position(),
                   [&](const ledger::IndexedModel& m) -> Status {
                     if (!request->has_date()) return fail(Errc::invalid_argument, "date: missing");
                     PLACEMENT_TRY(date, codec::from_proto(request->date(), "date"));
                     PLACEMENT_TRY(by, codec::to_group_by(request->group_by()));
                     *response = codec::to_proto(pj::capacity_at(m.index, date, by), m.model.position);
                     return ok();
                   });
}

grpc::ServerUnaryReactor* PlanningServiceImpl::GetOccupancy(grpc::CallbackServerContext* context,
                                                            const v1::OccupancyViewRequest* request,
                                                            v1::OccupancyViewResponse* response) {
  return view_call(
      context, authenticator_, views_, Rpc::planning_occupancy, request->as_of_position(),
      [&](const ledger::IndexedModel& m) -> Status {
        PLACEMENT_TRY(period, codec::to_period(request->has_from(), request->from(), request->has_to(), request->to()));
        PLACEMENT_TRY(by, codec::to_group_by(request->group_by()));
        PLACEMENT_TRY(view, pj::occupancy_over(m.index, period, by));
        *response = codec::to_proto(view, m.model.position);
        return ok();
      });
}

grpc::ServerUnaryReactor* PlanningServiceImpl::GetWaitingLists(grpc::CallbackServerContext* context,
                                                               const v1::WaitingListsRequest* request,
                                                               v1::WaitingListsResponse* response) {
  return view_call(context, authenticator_, views_, Rpc::planning_waiting_lists, request->as_of_position(),
                   [&](const ledger::IndexedModel& m) -> Status {
                     if (!request->has_date()) return fail(Errc::invalid_argument, "date: missing");
                     PLACEMENT_TRY(date, codec::from_proto(request->date(), "date"));
                     *response = codec::to_proto(pj::waiting_lists(m.index, date), date, m.model.position);
                     return ok();
                   });
}

grpc::ServerUnaryReactor* PlanningServiceImpl::GetFinancing(grpc::CallbackServerContext* context,
                                                            const v1::FinancingRequest* request,
                                                            v1::FinancingResponse* response) {
  return view_call(
      context, authenticator_, views_, Rpc::planning_financing, request->as_of_position(),
      [&](const ledger::IndexedModel& m) -> Status {
        PLACEMENT_TRY(period, codec::to_period(request->has_from(), request->from(), request->has_to(), request->to()));
        PLACEMENT_TRY(overrides, codec::to_overrides(request->overrides()));
        for (const auto& [offer_id, ignored] : overrides) {
          if (!m.index.find(offer_id)) return fail(Errc::not_found, "overrides: no offer '" + offer_id + "'");
        }
        PLACEMENT_TRY(view, pj::compute_financing(m.index, m.model.state.planning, period, overrides));
        *response = codec::to_proto(view, m.model.position);
        return ok();
      });
}

grpc::ServerUnaryReactor* PlanningServiceImpl::GetSettlement(grpc::CallbackServerContext* context,
                                                             const v1::SettlementRequest* request,
                                                             v1::SettlementResponse* response) {
  return view_call(
      context, authenticator_, views_, Rpc::planning_settlement, request->as_of_position(),
      [&](const ledger::IndexedModel& m) -> Status {
        PLACEMENT_TRY(month, codec::to_year_month(request->month()));
        if (!request->has_as_of()) return fail(Errc::invalid_argument, "as_of: missing");
        PLACEMENT_TRY(as_of, codec::from_proto(request->as_of(), "as_of"));
        PLACEMENT_TRY(paying, codec::code_from_proto(request->paying_municipality_code(), "paying_municipality_code"));
        PLACEMENT_TRY(settlement, pj::monthly_settlement(m.index, month, as_of));
        *response = codec::to_proto(settlement, paying, m.model.position);
        return ok();
      });
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

}  // namespace placement::api

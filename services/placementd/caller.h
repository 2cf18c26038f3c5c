#pragma once
// Who is calling, and what each role may do.
//
// Until token authentication lands (security issue), the caller names itself in request metadata:
//   x-placement-subject: a user id, x-placement-role: caseworker|planner|auditor|admin,
//   x-placement-municipality: the caseworker's municipality code.
// The default server listens on loopback only. Whatever the source, the actor recorded on events
// is this verified caller, never a field of the request body.

#include <grpcpp/server_context.h>

#include "placement/v1/envelope.pb.h"
#include "services/base/result.h"

namespace placement::placementd {

// Every RPC that changes or reads citizen or offer data, for the authorization table.
enum class Rpc {
  register_offer, change_capacity, set_rate, close_offer, get_offer, list_offers, get_capacity,
  search_vacancies, request_placement, reserve_place, allocate_place, admit_placement, transfer_placement,
  discharge_placement, withdraw_placement, reject_placement, get_placement, list_placements,
  stream_events, verify_chain, get_head,
  create_backup,
  planning_capacity, planning_occupancy, planning_waiting_lists, planning_financing, planning_settlement,
  set_objective_key, set_block_grant, set_refund_tiers, record_income,
};

Result<v1::Actor> caller_of(const grpc::CallbackServerContext& context);

// The role table: refuses with permission_denied when the caller's role may not call rpc.
Status authorize(const v1::Actor& caller, Rpc rpc);

// Caseworkers act only for their own municipality's citizens; admins for any.
Status authorize_municipality(const v1::Actor& caller, std::uint32_t paying_municipality);

}  // namespace placement::placementd

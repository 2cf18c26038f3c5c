#pragma once
// Who is calling, and what each role may do.
//
// Every call carries a bearer token (metadata `authorization: Bearer <JWT>`), verified by
// auth::TokenVerifier; nothing else about the caller is believed. The actor recorded on events
// is this verified caller, never a field of the request body. The role table below is the one
// place that says which role may call which RPC; docs/SECURITY.md shows the same table, and
// tests/integration/security/authorization_matrix_test.cc checks every cell against the server.

#include <array>
#include <chrono>
#include <string_view>

#include <grpcpp/server_context.h>

#include "placement/v1/envelope.pb.h"
#include "services/auth/token_verifier.h"
#include "services/base/clock.h"
#include "services/base/result.h"

namespace placement::api {

// Every RPC of the placement services, for the authorization table.
enum class Rpc {
  register_offer,
  change_capacity,
  set_rate,
  close_offer,
  get_offer,
  list_offers,
  get_capacity,
  search_vacancies,
  request_placement,
  reserve_place,
  allocate_place,
  admit_placement,
  transfer_placement,
  discharge_placement,
  withdraw_placement,
  reject_placement,
  get_placement,
  list_placements,
  stream_events,
  verify_chain,
  get_head,
  create_backup,
  erase_citizen,
  planning_capacity,
  planning_occupancy,
  planning_waiting_lists,
  planning_financing,
  planning_settlement,
  set_objective_key,
  set_block_grant,
  set_refund_tiers,
  record_income,
  get_latest_checkpoint,
  get_checkpoint,
  create_checkpoint,
  add_cosignature,
  get_inclusion_proof,
  get_consistency_proof,
  get_event_receipt,
  get_settlement_receipt,
};

// Roles as bits, so one rule names every role it admits.
enum RoleBit : unsigned {
  kCaseworker = 1u << 0,
  kPlanner = 1u << 1,
  kAuditor = 1u << 2,
  kAdmin = 1u << 3,
};

struct RpcRule {
  Rpc rpc;
  std::string_view method;  // the gRPC method, "Service/Method" in package placement.v1
  unsigned roles;           // RoleBits that may call it
  // Caseworkers only for citizens of their own municipality (checked by the handler against the
  // request or the placement, since it needs the state).
  bool own_municipality_only = false;
};

// The role table: one row per RPC.
extern const std::array<RpcRule, 40> kRoleTable;

// Verifies each call's bearer token into the caller it names.
class Authenticator {
 public:
  Authenticator(auth::TokenVerifier verifier, const Clock& clock) : verifier_(std::move(verifier)), clock_(clock) {}

  // The verified caller; unauthenticated when the token is missing, malformed, forged or expired.
  Result<v1::Actor> caller_of(const grpc::CallbackServerContext& context) const;
  // The caller a bearer token (without "Bearer ") names, for transports other than gRPC.
  Result<v1::Actor> caller_of_token(std::string_view token) const;
  // caller_of, then the role table: permission_denied when the caller's role may not call rpc.
  Result<v1::Actor> authorized_caller(const grpc::CallbackServerContext& context, Rpc rpc) const;

 private:
  auth::TokenVerifier verifier_;
  const Clock& clock_;
};

// The role table alone: permission_denied when the caller's role may not call rpc.
Status authorize(const v1::Actor& caller, Rpc rpc);

// Caseworkers act only for their own municipality's citizens; admins for any.
Status authorize_municipality(const v1::Actor& caller, std::uint32_t paying_municipality);

}  // namespace placement::api

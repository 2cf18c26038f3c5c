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
#include <memory>
#include <string_view>

#include <google/protobuf/message.h>
#include <grpcpp/server_context.h>

#include "placement/v1/envelope.pb.h"
#include "services/api/refusal_log.h"
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
  revoke_token,
  record_case_costs,
  get_organisation,
  establish_region,
  cease_region,
  change_municipality_region,
  change_offer_operator,
  merge_regions,
};

// Roles as bits, so one rule names every role it admits.
enum RoleBit : unsigned {
  kOperator = 1u << 0,
  kCaseworker = 1u << 1,
  kFinance = 1u << 2,
  kPlanner = 1u << 3,
  kAuditor = 1u << 4,
  kAdmin = 1u << 5,
};

inline constexpr unsigned kEveryRole = kOperator | kCaseworker | kFinance | kPlanner | kAuditor | kAdmin;

struct RpcRule {
  Rpc rpc;
  std::string_view method;  // the gRPC method, "Service/Method" in package placement.v1
  unsigned roles;           // RoleBits that may call it
  // Of those, the roles admitted only within their scope, checked by the handler against the
  // request or the state: an operator for its own offers (and the placements on them), a
  // caseworker for its own municipality's citizens, finance staff for its own municipality's
  // settlement, a planner for aggregates only (no placement, stay or citizen's amount).
  unsigned scoped = 0;
};

// The role table: one row per RPC.
extern const std::array<RpcRule, 48> kRoleTable;

// The table's cell for a role bit: "yes", "no", or the scope ("own offers", "own municipality",
// "aggregates"), as docs/SECURITY.md writes it.
std::string_view cell_of(const RpcRule& rule, RoleBit role);

// Verifies each call's bearer token into the caller it names.
class Authenticator {
 public:
  Authenticator(auth::TokenVerifier verifier, const Clock& clock)
      : verifier_(std::move(verifier)), clock_(clock), refusals_(std::make_unique<RefusalLog>()) {}

  // The verified caller; unauthenticated when the token is missing, malformed, forged or expired.
  Result<v1::Actor> caller_of(const grpc::CallbackServerContext& context) const;
  // The caller a bearer token (without "Bearer ") names, for transports other than gRPC.
  Result<v1::Actor> caller_of_token(std::string_view token) const;
  // caller_of, then the role table (permission_denied when the caller's role may not call rpc),
  // then the request's lists (codec/repeated_screen.h: invalid_argument when one is too long or
  // names an entry twice). Every RPC passes its request, so no handler walks an unbounded list.
  Result<v1::Actor> authorized_caller(const grpc::CallbackServerContext& context, Rpc rpc,
                                      const google::protobuf::Message& request) const;
  // Re-reads the identity provider's public keys (SIGHUP); the number of keys now in use.
  Result<std::size_t> reload_provider_keys() { return verifier_.reload_provider_keys(); }

 private:
  auth::TokenVerifier verifier_;
  const Clock& clock_;
  std::unique_ptr<RefusalLog> refusals_;  // a pointer, so the authenticator stays movable
};

// The role table alone: permission_denied when the caller's role may not call rpc.
Status authorize(const v1::Actor& caller, Rpc rpc);

// Caseworkers and finance staff act only for their own municipality; other roles pass.
Status authorize_municipality(const v1::Actor& caller, std::uint32_t paying_municipality);

// Operators act only on their own offers (operator_code is the offer's); other roles pass.
Status authorize_operator(const v1::Actor& caller, std::uint32_t operator_code);

// Planners see aggregates only.
bool sees_aggregates_only(const v1::Actor& caller);

}  // namespace placement::api

#include "services/api/caller.h"

#include <spdlog/spdlog.h>

#include <cctype>
#include <iterator>
#include <string>

namespace placement::api {

// Offers and their aggregates carry no citizen: every role may read them. Citizen-level work is
// for caseworkers (own municipality) and admins (operators). The log itself is for auditors and
// admins. Planning views carry no citizen, CPR number or pseudonym; capacity, occupancy and
// waiting lists are aggregates of offers, so caseworkers read them as they read an offer's
// capacity, while financing and settlement show what other municipalities pay and are not for
// caseworkers. Planning inputs, offers, rates and backups are the admins', and so is erasing a
// citizen: it is irreversible and concerns every municipality that ever paid for them, so it is an
// operator's act on a documented request (the reason is recorded), not a caseworker's.
constexpr std::array<RpcRule, 40> kRules = {{
    {Rpc::register_offer, "OfferService/RegisterOffer", kAdmin},
    {Rpc::change_capacity, "OfferService/ChangeCapacity", kAdmin},
    {Rpc::set_rate, "OfferService/SetRate", kAdmin},
    {Rpc::close_offer, "OfferService/CloseOffer", kAdmin},
    {Rpc::get_offer, "OfferService/GetOffer", kCaseworker | kPlanner | kAuditor | kAdmin},
    {Rpc::list_offers, "OfferService/ListOffers", kCaseworker | kPlanner | kAuditor | kAdmin},
    {Rpc::get_capacity, "OfferService/GetCapacity", kCaseworker | kPlanner | kAuditor | kAdmin},
    {Rpc::search_vacancies, "PlacementService/SearchVacancies", kCaseworker | kPlanner | kAuditor | kAdmin},
    {Rpc::request_placement, "PlacementService/RequestPlacement", kCaseworker | kAdmin, true},
    {Rpc::reserve_place, "PlacementService/ReservePlace", kCaseworker | kAdmin, true},
    {Rpc::allocate_place, "PlacementService/AllocatePlace", kAdmin},
    {Rpc::admit_placement, "PlacementService/AdmitPlacement", kCaseworker | kAdmin, true},
    {Rpc::transfer_placement, "PlacementService/TransferPlacement", kCaseworker | kAdmin, true},
    {Rpc::discharge_placement, "PlacementService/DischargePlacement", kCaseworker | kAdmin, true},
    {Rpc::withdraw_placement, "PlacementService/WithdrawPlacement", kCaseworker | kAdmin, true},
    {Rpc::reject_placement, "PlacementService/RejectPlacement", kAdmin},
    {Rpc::get_placement, "PlacementService/GetPlacement", kCaseworker | kAdmin, true},
    {Rpc::list_placements, "PlacementService/ListPlacements", kCaseworker | kAdmin, true},
    {Rpc::stream_events, "AuditService/StreamEvents", kAuditor | kAdmin},
    {Rpc::verify_chain, "AuditService/VerifyChain", kAuditor | kAdmin},
    {Rpc::get_head, "AuditService/GetHead", kAuditor | kAdmin},
    {Rpc::create_backup, "AdminService/CreateBackup", kAdmin},
    {Rpc::erase_citizen, "AdminService/EraseCitizen", kAdmin},
    {Rpc::planning_capacity, "PlanningService/GetCapacity", kCaseworker | kPlanner | kAuditor | kAdmin},
    {Rpc::planning_occupancy, "PlanningService/GetOccupancy", kCaseworker | kPlanner | kAuditor | kAdmin},
    {Rpc::planning_waiting_lists, "PlanningService/GetWaitingLists", kCaseworker | kPlanner | kAuditor | kAdmin},
    {Rpc::planning_financing, "PlanningService/GetFinancing", kPlanner | kAuditor | kAdmin},
    {Rpc::planning_settlement, "PlanningService/GetSettlement", kPlanner | kAuditor | kAdmin},
    {Rpc::set_objective_key, "PlanningService/SetObjectiveKey", kAdmin},
    {Rpc::set_block_grant, "PlanningService/SetBlockGrant", kAdmin},
    {Rpc::set_refund_tiers, "PlanningService/SetRefundTiers", kAdmin},
    {Rpc::record_income, "PlanningService/RecordIncome", kAdmin},
    // Proofs of the log are the auditors' as the log is; a checkpoint made on request or a
    // witness's verified cosignature adds a statement about the log, never an event.
    {Rpc::get_latest_checkpoint, "ProofService/GetLatestCheckpoint", kAuditor | kAdmin},
    {Rpc::get_checkpoint, "ProofService/GetCheckpoint", kAuditor | kAdmin},
    {Rpc::create_checkpoint, "ProofService/CreateCheckpoint", kAuditor | kAdmin},
    {Rpc::add_cosignature, "ProofService/AddCosignature", kAuditor | kAdmin},
    {Rpc::get_inclusion_proof, "ProofService/GetInclusionProof", kAuditor | kAdmin},
    {Rpc::get_consistency_proof, "ProofService/GetConsistencyProof", kAuditor | kAdmin},
    {Rpc::get_event_receipt, "ProofService/GetEventReceipt", kAuditor | kAdmin},
    {Rpc::get_settlement_receipt, "ProofService/GetSettlementReceipt", kAuditor | kAdmin},
}};

// One row per Rpc, in the enum's order, so a new RPC without a row does not compile.
constexpr bool rows_follow_the_enum() {
  for (std::size_t i = 0; i < kRules.size(); ++i)
    if (kRules[i].rpc != static_cast<Rpc>(i)) return false;
  return static_cast<std::size_t>(Rpc::get_settlement_receipt) + 1 == kRules.size();
}
static_assert(rows_follow_the_enum(), "kRoleTable needs one row per Rpc, in the enum's order");

const std::array<RpcRule, 40> kRoleTable = kRules;

namespace {

constexpr std::string_view kBearer = "bearer ";

std::string_view role_name(v1::Role role) {
  switch (role) {
    case v1::ROLE_CASEWORKER: return "caseworker";
    case v1::ROLE_PLANNER: return "planner";
    case v1::ROLE_AUDITOR: return "auditor";
    case v1::ROLE_ADMIN: return "admin";
    case v1::ROLE_SYSTEM: return "system";
    default: return "unknown";
  }
}

unsigned role_bit(v1::Role role) {
  switch (role) {
    case v1::ROLE_CASEWORKER: return kCaseworker;
    case v1::ROLE_PLANNER: return kPlanner;
    case v1::ROLE_AUDITOR: return kAuditor;
    case v1::ROLE_ADMIN: return kAdmin;
    default: return 0;  // the system role is the server's own and never calls an RPC
  }
}

v1::Role to_proto(auth::Role role) {
  switch (role) {
    case auth::Role::caseworker: return v1::ROLE_CASEWORKER;
    case auth::Role::planner: return v1::ROLE_PLANNER;
    case auth::Role::auditor: return v1::ROLE_AUDITOR;
    case auth::Role::admin: return v1::ROLE_ADMIN;
  }
  return v1::ROLE_UNSPECIFIED;
}

v1::Actor to_actor(const auth::Claims& claims) {
  v1::Actor actor;
  actor.set_subject(claims.subject);
  actor.set_role(to_proto(claims.role));
  actor.set_municipality_code(claims.municipality);
  return actor;
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  return true;
}

// The token of the call's single `authorization: Bearer …` entry.
Result<std::string_view> bearer_token(const grpc::CallbackServerContext& context) {
  const auto& metadata = context.client_metadata();
  const auto [first, last] = metadata.equal_range("authorization");
  if (first == last) {
    const bool old_style = metadata.find("x-placement-role") != metadata.end();
    return fail(Errc::unauthenticated,
                old_style ? "x-placement-* identity metadata is no longer accepted; send authorization: Bearer <token>"
                          : "no bearer token: send metadata authorization: Bearer <token> (placectl token issue)");
  }
  if (std::next(first) != last) return fail(Errc::unauthenticated, "more than one authorization entry");
  const std::string_view value(first->second.data(), first->second.size());
  if (!starts_with_ignoring_case(value, kBearer))
    return fail(Errc::unauthenticated, "the authorization metadata must be \"Bearer <token>\"");
  return value.substr(kBearer.size());
}

}  // namespace

Result<v1::Actor> Authenticator::caller_of(const grpc::CallbackServerContext& context) const {
  auto token = bearer_token(context);
  Result<auth::Claims> claims = outcome::failure(Error{Errc::unauthenticated, ""});
  if (token) claims = verifier_.verify(token.value(), clock_.now());
  else claims = outcome::failure(token.error());
  if (!claims) {
    // The reason never holds the token; the peer tells an operator where refused calls come from.
    spdlog::info("refused a call from {}: {}", context.peer(), claims.error().message);
    return outcome::failure(claims.error());
  }
  return to_actor(claims.value());
}

Result<v1::Actor> Authenticator::caller_of_token(std::string_view token) const {
  PLACEMENT_TRY(claims, verifier_.verify(token, clock_.now()));
  return to_actor(claims);
}

Result<v1::Actor> Authenticator::authorized_caller(const grpc::CallbackServerContext& context, Rpc rpc) const {
  PLACEMENT_TRY(caller, caller_of(context));
  PLACEMENT_TRY(authorize(caller, rpc));
  return caller;
}

Status authorize(const v1::Actor& caller, Rpc rpc) {
  if ((kRules[static_cast<std::size_t>(rpc)].roles & role_bit(caller.role())) != 0) return ok();
  return fail(Errc::permission_denied, "the role " + std::string(role_name(caller.role())) + " may not do this");
}

Status authorize_municipality(const v1::Actor& caller, std::uint32_t paying_municipality) {
  if (caller.role() != v1::ROLE_CASEWORKER || caller.municipality_code() == paying_municipality) return ok();
  return fail(Errc::permission_denied, "a caseworker of municipality " + std::to_string(caller.municipality_code()) +
                                           " may act only for that municipality's citizens");
}

}  // namespace placement::api

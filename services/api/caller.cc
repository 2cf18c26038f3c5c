#include "services/api/caller.h"

#include <spdlog/spdlog.h>

#include <cctype>
#include <iterator>
#include <string>

#include "services/codec/repeated_screen.h"

namespace placement::api {

// Each role gets what its job needs (docs/SECURITY.md, "the role table", says why row by row).
// Offers and the aggregates of offers (capacity, occupancy, waiting lists, vacancies) carry no
// citizen: every role reads them. An operator registers and changes its own offers and allocates
// and rejects on them; a caseworker does the citizen-level work for its own municipality; finance
// staff read their municipality's settlement; planners read aggregates (settlement summed per
// paying municipality x operator); auditors read the log, its proofs and the settlement lines
// the receipts prove; admins own the planning inputs, backups and erasure (irreversible, on a
// documented request, for every municipality that ever paid).
constexpr unsigned kOfferReaders = kEveryRole;
constexpr std::array<RpcRule, 48> kRules = {{
    {Rpc::register_offer, "OfferService/RegisterOffer", kOperator, kOperator},
    {Rpc::change_capacity, "OfferService/ChangeCapacity", kOperator, kOperator},
    {Rpc::set_rate, "OfferService/SetRate", kOperator, kOperator},
    {Rpc::close_offer, "OfferService/CloseOffer", kOperator, kOperator},
    {Rpc::get_offer, "OfferService/GetOffer", kOfferReaders},
    {Rpc::list_offers, "OfferService/ListOffers", kOfferReaders},
    {Rpc::get_capacity, "OfferService/GetCapacity", kOfferReaders},
    {Rpc::search_vacancies, "PlacementService/SearchVacancies", kOfferReaders},
    {Rpc::request_placement, "PlacementService/RequestPlacement", kCaseworker, kCaseworker},
    {Rpc::reserve_place, "PlacementService/ReservePlace", kCaseworker, kCaseworker},
    {Rpc::allocate_place, "PlacementService/AllocatePlace", kOperator, kOperator},
    {Rpc::admit_placement, "PlacementService/AdmitPlacement", kCaseworker, kCaseworker},
    {Rpc::transfer_placement, "PlacementService/TransferPlacement", kCaseworker, kCaseworker},
    {Rpc::discharge_placement, "PlacementService/DischargePlacement", kCaseworker, kCaseworker},
    {Rpc::withdraw_placement, "PlacementService/WithdrawPlacement", kCaseworker, kCaseworker},
    {Rpc::reject_placement, "PlacementService/RejectPlacement", kOperator, kOperator},
    {Rpc::get_placement, "PlacementService/GetPlacement", kOperator | kCaseworker, kOperator | kCaseworker},
    {Rpc::list_placements, "PlacementService/ListPlacements", kOperator | kCaseworker, kOperator | kCaseworker},
    {Rpc::stream_events, "AuditService/StreamEvents", kAuditor},
    {Rpc::verify_chain, "AuditService/VerifyChain", kAuditor},
    {Rpc::get_head, "AuditService/GetHead", kAuditor},
    {Rpc::create_backup, "AdminService/CreateBackup", kAdmin},
    {Rpc::erase_citizen, "AdminService/EraseCitizen", kAdmin},
    {Rpc::planning_capacity, "PlanningService/GetCapacity", kOfferReaders},
    {Rpc::planning_occupancy, "PlanningService/GetOccupancy", kOfferReaders},
    {Rpc::planning_waiting_lists, "PlanningService/GetWaitingLists", kOfferReaders},
    // Financing shows what every municipality pays: the planners' view (and the dashboard's).
    {Rpc::planning_financing, "PlanningService/GetFinancing", kPlanner | kAuditor | kAdmin},
    {Rpc::planning_settlement, "PlanningService/GetSettlement", kFinance | kPlanner | kAuditor, kFinance | kPlanner},
    {Rpc::set_objective_key, "PlanningService/SetObjectiveKey", kAdmin},
    {Rpc::set_block_grant, "PlanningService/SetBlockGrant", kAdmin},
    // The ministry publishes each year's refund thresholds: a planner loads them for the year-end.
    {Rpc::set_refund_tiers, "PlanningService/SetRefundTiers", kPlanner | kAdmin},
    {Rpc::record_income, "PlanningService/RecordIncome", kAdmin},
    // Proofs of the log are the auditors' as the log is; a checkpoint made on request or a
    // witness's verified cosignature adds a statement about the log, never an event.
    {Rpc::get_latest_checkpoint, "ProofService/GetLatestCheckpoint", kAuditor},
    {Rpc::get_checkpoint, "ProofService/GetCheckpoint", kAuditor},
    {Rpc::create_checkpoint, "ProofService/CreateCheckpoint", kAuditor},
    {Rpc::add_cosignature, "ProofService/AddCosignature", kAuditor},
    {Rpc::get_inclusion_proof, "ProofService/GetInclusionProof", kAuditor},
    {Rpc::get_consistency_proof, "ProofService/GetConsistencyProof", kAuditor},
    {Rpc::get_event_receipt, "ProofService/GetEventReceipt", kAuditor},
    {Rpc::get_settlement_receipt, "ProofService/GetSettlementReceipt", kAuditor},
    // Revoking one token (by its jti) is the service's, as issuing local tokens is.
    {Rpc::revoke_token, "AdminService/RevokeToken", kAdmin},
    // Case costs are planning inputs of the state refund, as income is.
    {Rpc::record_case_costs, "PlanningService/RecordCaseCosts", kAdmin},
    // The organisation (regions, municipalities' regions, operators) names no citizen: every role
    // reads it. Changing it is the service's, as the reference data is: it moves every view
    // grouped by region and every catchment, so no operator changes its own offers' operator.
    {Rpc::get_organisation, "OrganisationService/GetOrganisation", kEveryRole},
    {Rpc::establish_region, "OrganisationService/EstablishRegion", kAdmin},
    {Rpc::cease_region, "OrganisationService/CeaseRegion", kAdmin},
    {Rpc::change_municipality_region, "OrganisationService/ChangeMunicipalityRegion", kAdmin},
    {Rpc::change_offer_operator, "OrganisationService/ChangeOfferOperator", kAdmin},
    {Rpc::merge_regions, "OrganisationService/MergeRegions", kAdmin},
}};

// A scoped role must be admitted, and only roles with a scope can be scoped.
constexpr bool scopes_are_admitted() {
  for (const auto& rule : kRules)
    if ((rule.scoped & ~rule.roles) != 0 || (rule.scoped & (kAuditor | kAdmin)) != 0) return false;
  return true;
}
static_assert(scopes_are_admitted(),
              "a scoped role must be one of the row's roles, and auditors and admins have no scope");

// One row per Rpc, in the enum's order, so a new RPC without a row does not compile.
constexpr bool rows_follow_the_enum() {
  for (std::size_t i = 0; i < kRules.size(); ++i)
    if (kRules[i].rpc != static_cast<Rpc>(i)) return false;
  return static_cast<std::size_t>(Rpc::merge_regions) + 1 == kRules.size();
}
static_assert(rows_follow_the_enum(), "kRoleTable needs one row per Rpc, in the enum's order");

const std::array<RpcRule, 48> kRoleTable = kRules;

namespace {

constexpr std::string_view kBearer = "bearer ";

std::string_view role_name(v1::Role role) {
  switch (role) {
    case v1::ROLE_CASEWORKER: return "caseworker";
    case v1::ROLE_PLANNER: return "planner";
    case v1::ROLE_AUDITOR: return "auditor";
    case v1::ROLE_ADMIN: return "admin";
    case v1::ROLE_OPERATOR: return "operator";
    case v1::ROLE_FINANCE: return "finance";
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
    case v1::ROLE_OPERATOR: return kOperator;
    case v1::ROLE_FINANCE: return kFinance;
    default: return 0;  // the system role is the server's own and never calls an RPC
  }
}

v1::Role to_proto(auth::Role role) {
  switch (role) {
    case auth::Role::caseworker: return v1::ROLE_CASEWORKER;
    case auth::Role::planner: return v1::ROLE_PLANNER;
    case auth::Role::auditor: return v1::ROLE_AUDITOR;
    case auth::Role::admin: return v1::ROLE_ADMIN;
    case auth::Role::offer_operator: return v1::ROLE_OPERATOR;
    case auth::Role::finance: return v1::ROLE_FINANCE;
  }
  return v1::ROLE_UNSPECIFIED;
}

v1::Actor to_actor(const auth::Claims& claims) {
  v1::Actor actor;
  actor.set_subject(claims.subject);
  actor.set_role(to_proto(claims.role));
  actor.set_municipality_code(claims.municipality);
  actor.set_operator_code(claims.operator_code);
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
    // A flood of bad tokens writes a bounded number of lines.
    refusals_->refused(context.peer(), claims.error().message);
    return outcome::failure(claims.error());
  }
  return to_actor(claims.value());
}

Result<v1::Actor> Authenticator::caller_of_token(std::string_view token) const {
  PLACEMENT_TRY(claims, verifier_.verify(token, clock_.now()));
  return to_actor(claims);
}

Result<v1::Actor> Authenticator::authorized_caller(const grpc::CallbackServerContext& context, Rpc rpc,
                                                   const google::protobuf::Message& request) const {
  PLACEMENT_TRY(caller, caller_of(context));
  PLACEMENT_TRY(authorize(caller, rpc));
  PLACEMENT_TRY(codec::refuse_unbounded_repeats(request));
  return caller;
}

Status authorize(const v1::Actor& caller, Rpc rpc) {
  if ((kRules[static_cast<std::size_t>(rpc)].roles & role_bit(caller.role())) != 0) return ok();
  return fail(Errc::permission_denied, "the role " + std::string(role_name(caller.role())) + " may not do this");
}

Status authorize_municipality(const v1::Actor& caller, std::uint32_t paying_municipality) {
  if ((caller.role() != v1::ROLE_CASEWORKER && caller.role() != v1::ROLE_FINANCE) ||
      caller.municipality_code() == paying_municipality)
    return ok();
  return fail(Errc::permission_denied, "a " + std::string(role_name(caller.role())) + " of municipality " +
                                           std::to_string(caller.municipality_code()) +
                                           " may act only for that municipality");
}

Status authorize_operator(const v1::Actor& caller, std::uint32_t operator_code) {
  if (caller.role() != v1::ROLE_OPERATOR || caller.operator_code() == operator_code) return ok();
  return fail(Errc::permission_denied,
              "the operator " + std::to_string(caller.operator_code()) + " may act only on its own offers");
}

bool sees_aggregates_only(const v1::Actor& caller) { return caller.role() == v1::ROLE_PLANNER; }

std::string_view cell_of(const RpcRule& rule, RoleBit role) {
  if ((rule.roles & role) == 0) return "no";
  if ((rule.scoped & role) == 0) return "yes";
  switch (role) {
    case kOperator: return "own offers";
    case kCaseworker:
    case kFinance: return "own municipality";
    case kPlanner: return "aggregates";
    default: return "yes";
  }
}

}  // namespace placement::api

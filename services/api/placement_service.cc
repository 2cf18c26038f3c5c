#include "services/api/placement_service.h"

#include <chrono>

#include "services/api/command_call.h"
#include "services/api/limits.h"
#include "services/codec/api_mapping.h"
#include "services/codec/input_limits.h"
#include "services/domain/cpr.h"
#include "services/domain/organisation.h"
#include "services/domain/queries.h"
#include "services/ledger/copenhagen_time.h"
#include "storage/hash_chain.h"

namespace placement::api {
namespace {

// A retry of the same command must name the same placement, so the id comes from the command id: the
// first of its hashes that does not look like a CPR number (codec/cpr_screen.h), unless the placement
// exists already (made before ids were screened, and this is a retry).
std::string placement_id_for(const std::string& command_id, const ledger::Ledger& ledger) {
  const auto hashed = [&](int salt) {
    const std::string input = salt == 0 ? command_id : command_id + '\n' + std::to_string(salt);
    return "p-" + storage::to_hex(storage::chain_hash("placement-id", input)).substr(0, 20);
  };
  std::string id = hashed(0);
  for (int salt = 1; domain::holds_cpr_number(id); ++salt) {
    if (ledger.read([&](const domain::State& state) { return domain::find_placement(state, id) != nullptr; })) break;
    id = hashed(salt);
  }
  return id;
}

// Household references are pseudonymised like CPR numbers; a CPR number given with or without
// its dash names the same household.
std::string household_key(const std::string& reference) {
  auto cpr = domain::parse_cpr(reference);
  return cpr ? cpr.value().digits : reference;
}

// The command body of each request on an existing placement.
Result<domain::CommandBody> body_of(const v1::ReservePlaceRequest& r, std::chrono::seconds hold) {
  PLACEMENT_TRY(c, codec::to_command(r, hold));
  return domain::CommandBody{c};
}
Result<domain::CommandBody> body_of(const v1::AllocatePlaceRequest& r, std::chrono::seconds hold) {
  PLACEMENT_TRY(c, codec::to_command(r, hold));
  return domain::CommandBody{c};
}
template <class Request> Result<domain::CommandBody> body_of(const Request& r, std::chrono::seconds) {
  PLACEMENT_TRY(c, codec::to_command(r));
  return domain::CommandBody{c};
}

}  // namespace

Status PlacementServiceImpl::may_act_on(const v1::Actor& caller, const std::string& placement_id) const {
  if (caller.role() != v1::ROLE_CASEWORKER && caller.role() != v1::ROLE_OPERATOR) return ok();
  struct Owners {
    std::uint32_t paying_municipality;
    std::uint32_t operator_code;
  };
  const domain::Date today = ledger::copenhagen_date(std::chrono::system_clock::now());
  const auto owners = ledger_.read([&](const domain::State& state) -> std::optional<Owners> {
    const auto* placement = domain::find_placement(state, placement_id);
    if (!placement) return std::nullopt;
    const auto* offer = domain::find_offer(state, placement->offer_id);
    // The offer's registered operator, or the one in force today (domain::may_operate).
    const bool own = offer && domain::may_operate(*offer, static_cast<std::int32_t>(caller.operator_code()), today);
    return Owners{static_cast<std::uint32_t>(placement->paying_municipality),
                  own     ? caller.operator_code()
                  : offer ? static_cast<std::uint32_t>(offer->operator_code)
                          : 0u};
  });
  // An unknown placement is the domain's to refuse (not found), the same for everyone. A placement
  // the caller may not see gets the very same answer, so no answer tells whether an id exists.
  if (!owners) return ok();
  if (caller.role() == v1::ROLE_OPERATOR && owners->operator_code != caller.operator_code())
    return outcome::failure(domain::no_such_placement(placement_id));
  if (caller.role() == v1::ROLE_CASEWORKER && owners->paying_municipality != caller.municipality_code())
    return outcome::failure(domain::no_such_placement(placement_id));
  return ok();
}

void PlacementServiceImpl::fill(const std::string& placement_id, const ledger::CommandOutcome& outcome,
                                v1::PlacementResponse* response) const {
  fill_result(outcome, response->mutable_result());
  ledger_.read([&](const domain::State& state) {
    if (const auto* placement = domain::find_placement(state, placement_id))
      *response->mutable_placement() = codec::to_proto(state, *placement);
    return 0;
  });
}

template <class Request>
grpc::ServerUnaryReactor* PlacementServiceImpl::on_placement(grpc::CallbackServerContext* context,
                                                             const Request* request, v1::PlacementResponse* response,
                                                             Rpc rpc) {
  return command_call(
      context, authenticator_, ledger_, rpc, *request,
      [this, request](const v1::Actor& caller) -> Result<domain::CommandBody> {
        PLACEMENT_TRY(may_act_on(caller, request->placement_id()));
        return body_of(*request, hold_period_);
      },
      [this, request, response](const ledger::CommandOutcome& outcome) {
        fill(request->placement_id(), outcome, response);
      });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::SearchVacancies(grpc::CallbackServerContext* context,
                                                                const v1::SearchVacanciesRequest* request,
                                                                v1::SearchVacanciesResponse* response) {
  if (auto caller = authenticator_.authorized_caller(*context, Rpc::search_vacancies, *request); !caller)
    return finish(context, to_grpc_status(caller.error()));
  auto query = codec::to_query(*request);
  if (!query) return finish(context, to_grpc_status(query.error()));
  auto hits = ledger_.read([&](const domain::State& state) { return domain::search_vacancies(state, query.value()); });
  if (!hits) return finish(context, to_grpc_status(hits.error()));
  for (const auto& hit : hits.value()) *response->add_vacancies() = codec::to_proto(hit);
  return finish(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor* PlacementServiceImpl::RequestPlacement(grpc::CallbackServerContext* context,
                                                                 const v1::RequestPlacementRequest* request,
                                                                 v1::PlacementResponse* response) {
  const std::string placement_id =
      request->placement_id().empty() ? placement_id_for(request->command_id(), ledger_) : request->placement_id();
  // The citizen's key-store entries are held for this command and deleted again if it is refused.
  auto hold = std::make_shared<privacy::ReferenceHold>(keys_);
  using Use = privacy::CitizenKeys::Use;
  return command_call(
      context, authenticator_, ledger_, Rpc::request_placement, *request,
      [this, request, placement_id, hold](const v1::Actor& caller) -> Result<domain::CommandBody> {
        PLACEMENT_TRY(authorize_municipality(caller, request->paying_municipality_code()));
        PLACEMENT_TRY(cpr, domain::parse_cpr(request->cpr()));
        if (request->household_reference().size() > 64)
          return fail(Errc::invalid_argument, "household_reference is longer than 64 characters");
        // The citizen's ids and key are durable in the key store before the event is submitted.
        PLACEMENT_TRY(citizen,
                      keys_.reference(pseudonymizer_.citizen(cpr.digits),
                                      request->household_reference().empty()
                                          ? std::string()
                                          : pseudonymizer_.household(household_key(request->household_reference()))));
        hold->hold(citizen);
        auto command = codec::to_command(*request, placement_id, std::move(citizen), cpr.birth_date);
        if (!command) {
          hold->settle(Use::refused);
          return outcome::failure(command.error());
        }
        return domain::CommandBody{std::move(command).value()};
      },
      [this, placement_id, response, hold](const ledger::CommandOutcome& outcome) {
        hold->settle(Use::accepted);
        fill(placement_id, outcome, response);
      },
      [hold](const Error& error) { hold->settle(privacy::CitizenKeys::use_after(error)); });
}

grpc::ServerUnaryReactor* PlacementServiceImpl::ReservePlace(grpc::CallbackServerContext* context,
                                                             const v1::ReservePlaceRequest* request,
                                                             v1::PlacementResponse* response) {
  return on_placement(context, request, response, Rpc::reserve_place);
}

grpc::ServerUnaryReactor* PlacementServiceImpl::AllocatePlace(grpc::CallbackServerContext* context,
                                                              const v1::AllocatePlaceRequest* request,
                                                              v1::PlacementResponse* response) {
  return on_placement(context, request, response, Rpc::allocate_place);
}

grpc::ServerUnaryReactor* PlacementServiceImpl::AdmitPlacement(grpc::CallbackServerContext* context,
                                                               const v1::AdmitPlacementRequest* request,
                                                               v1::PlacementResponse* response) {
  return on_placement(context, request, response, Rpc::admit_placement);
}

grpc::ServerUnaryReactor* PlacementServiceImpl::TransferPlacement(grpc::CallbackServerContext* context,
                                                                  const v1::TransferPlacementRequest* request,
                                                                  v1::PlacementResponse* response) {
  return on_placement(context, request, response, Rpc::transfer_placement);
}

grpc::ServerUnaryReactor* PlacementServiceImpl::DischargePlacement(grpc::CallbackServerContext* context,
                                                                   const v1::DischargePlacementRequest* request,
                                                                   v1::PlacementResponse* response) {
  return on_placement(context, request, response, Rpc::discharge_placement);
}

grpc::ServerUnaryReactor* PlacementServiceImpl::WithdrawPlacement(grpc::CallbackServerContext* context,
                                                                  const v1::WithdrawPlacementRequest* request,
                                                                  v1::PlacementResponse* response) {
  return on_placement(context, request, response, Rpc::withdraw_placement);
}

grpc::ServerUnaryReactor* PlacementServiceImpl::RejectPlacement(grpc::CallbackServerContext* context,
                                                                const v1::RejectPlacementRequest* request,
                                                                v1::PlacementResponse* response) {
  return on_placement(context, request, response, Rpc::reject_placement);
}

grpc::ServerUnaryReactor* PlacementServiceImpl::GetPlacement(grpc::CallbackServerContext* context,
                                                             const v1::GetPlacementRequest* request,
                                                             v1::Placement* response) {
  auto caller = authenticator_.authorized_caller(*context, Rpc::get_placement, *request);
  if (!caller) return finish(context, to_grpc_status(caller.error()));
  if (auto valid = codec::check_id_length(request->placement_id(), "placement_id"); !valid)
    return finish(context, to_grpc_status(valid.error()));
  if (auto allowed = may_act_on(caller.value(), request->placement_id()); !allowed)
    return finish(context, to_grpc_status(allowed.error()));
  const bool found = ledger_.read([&](const domain::State& state) {
    const auto* placement = domain::find_placement(state, request->placement_id());
    if (placement) *response = codec::to_proto(state, *placement);
    return placement != nullptr;
  });
  if (!found) return finish(context, to_grpc_status(domain::no_such_placement(request->placement_id())));
  return finish(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor* PlacementServiceImpl::ListPlacements(grpc::CallbackServerContext* context,
                                                               const v1::ListPlacementsRequest* request,
                                                               v1::ListPlacementsResponse* response) {
  auto caller = authenticator_.authorized_caller(*context, Rpc::list_placements, *request);
  if (!caller) return finish(context, to_grpc_status(caller.error()));
  // The page token is the last placement id of the previous page.
  for (const auto& [field, value] :
       {std::pair{"offer_id", &request->offer_id()}, {"page_token", &request->page_token()}}) {
    if (auto valid = codec::check_id_length(*value, field); !valid)
      return finish(context, to_grpc_status(valid.error()));
  }
  std::uint32_t municipality = request->paying_municipality_code();
  if (caller.value().role() == v1::ROLE_CASEWORKER) {
    if (municipality != 0 && municipality != caller.value().municipality_code())
      return finish(context, grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                                          "a caseworker may list only their own municipality's placements"));
    municipality = caller.value().municipality_code();
  }
  // An operator lists the placements on its own offers.
  const bool operator_only = caller.value().role() == v1::ROLE_OPERATOR;
  const std::uint32_t operator_code = caller.value().operator_code();
  const domain::Date today = ledger::copenhagen_date(std::chrono::system_clock::now());
  if (operator_only && !request->offer_id().empty()) {
    const auto offer_operator = ledger_.read([&](const domain::State& state) -> std::optional<std::int32_t> {
      const auto* offer = domain::find_offer(state, request->offer_id());
      if (!offer) return std::nullopt;
      if (domain::may_operate(*offer, static_cast<std::int32_t>(operator_code), today))
        return static_cast<std::int32_t>(operator_code);
      return offer->operator_code;
    });
    if (offer_operator && static_cast<std::uint32_t>(*offer_operator) != operator_code)
      return finish(context, grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                                          "an operator may list only the placements on its own offers"));
  }
  std::optional<std::string> citizen_id;
  if (!request->cpr().empty()) {
    auto cpr = domain::parse_cpr(request->cpr());
    if (!cpr) return finish(context, to_grpc_status(cpr.error()));
    auto found = keys_.find(pseudonymizer_.citizen(cpr.value().digits));
    if (!found) return finish(context, to_grpc_status(found.error()));
    // Never seen, or erased: nothing links any placement to this number.
    if (!found.value()) return finish(context, grpc::Status::OK);
    citizen_id = *found.value();
  }
  std::optional<domain::PlacementStatus> status;
  if (request->status() != v1::PLACEMENT_STATUS_UNSPECIFIED) {
    auto parsed = codec::from_proto(request->status());
    if (!parsed) return finish(context, to_grpc_status(parsed.error()));
    status = parsed.value();
  }
  const std::uint32_t page_size = page_size_of(request->page_size());
  ledger_.read([&](const domain::State& state) {
    for (auto it = state.placements.upper_bound(request->page_token()); it != state.placements.end(); ++it) {
      const auto& [id, placement] = *it;
      if (municipality != 0 && static_cast<std::uint32_t>(placement.paying_municipality) != municipality) continue;
      if (operator_only) {
        const auto* offer = domain::find_offer(state, placement.offer_id);
        if (!offer || !domain::may_operate(*offer, static_cast<std::int32_t>(operator_code), today)) continue;
      }
      if (citizen_id && placement.citizen.citizen_id != *citizen_id) continue;
      if (!request->offer_id().empty() && placement.offer_id != request->offer_id()) continue;
      if (status && placement.status != *status) continue;
      if (static_cast<std::uint32_t>(response->placements_size()) == page_size) {
        response->set_next_page_token(response->placements(response->placements_size() - 1).placement_id());
        break;
      }
      *response->add_placements() = codec::to_proto(state, placement);
    }
    return 0;
  });
  return finish(context, grpc::Status::OK);
}

}  // namespace placement::api

#include "services/api/offer_service.h"

#include <chrono>

#include "services/api/command_call.h"
#include "services/api/limits.h"
#include "services/codec/input_limits.h"
#include "services/codec/vocabulary_codec.h"
#include "services/domain/organisation.h"
#include "services/domain/queries.h"
#include "services/ledger/copenhagen_time.h"

namespace placement::api {
namespace {

// Authentication and the role table for read calls.
std::optional<grpc::Status> refuse_read(const Authenticator& authenticator, grpc::CallbackServerContext* context,
                                        Rpc rpc, const google::protobuf::Message& request) {
  if (auto caller = authenticator.authorized_caller(*context, rpc, request); !caller)
    return to_grpc_status(caller.error());
  return std::nullopt;
}

// Operators change only their own offers: the offer's operator (an unknown offer is the domain's
// to refuse, NOT_FOUND, the same for everyone; offers are public, so this tells nobody anything).
Status may_change(const ledger::Ledger& ledger, const v1::Actor& caller, const std::string& offer_id) {
  if (caller.role() != v1::ROLE_OPERATOR) return ok();
  const domain::Date today = ledger::copenhagen_date(std::chrono::system_clock::now());
  const auto owner = ledger.read([&](const domain::State& state) -> std::optional<std::int32_t> {
    const auto* offer = domain::find_offer(state, offer_id);
    if (!offer) return std::nullopt;
    // The registered operator, or the one in force today (domain::may_operate): the caller's own.
    if (domain::may_operate(*offer, static_cast<std::int32_t>(caller.operator_code()), today))
      return static_cast<std::int32_t>(caller.operator_code());
    return offer->operator_code;
  });
  if (!owner) return ok();
  return authorize_operator(caller, static_cast<std::uint32_t>(*owner));
}

// A command on an existing offer, by its operator.
template <class Request>
grpc::ServerUnaryReactor* offer_command(grpc::CallbackServerContext* context, const Authenticator& authenticator,
                                        ledger::Ledger& ledger, Rpc rpc, const Request& request,
                                        v1::CommandResult* response) {
  return command_call(
      context, authenticator, ledger, rpc, request,
      [&ledger, &request](const v1::Actor& caller) -> Result<domain::CommandBody> {
        PLACEMENT_TRY(may_change(ledger, caller, request.offer_id()));
        return as_body(codec::to_command(request));
      },
      [response](const ledger::CommandOutcome& outcome) { fill_result(outcome, response); });
}

}  // namespace

grpc::ServerUnaryReactor* OfferServiceImpl::RegisterOffer(grpc::CallbackServerContext* context,
                                                          const v1::RegisterOfferRequest* request,
                                                          v1::CommandResult* response) {
  return command_call(
      context, authenticator_, ledger_, Rpc::register_offer, *request,
      [request](const v1::Actor& caller) -> Result<domain::CommandBody> {
        // A malformed request is refused as such first; then an operator registers offers it
        // runs, and nobody else's.
        PLACEMENT_TRY(command, codec::to_command(*request));
        PLACEMENT_TRY(authorize_operator(caller, request->operator_code()));
        return domain::CommandBody{std::move(command)};
      },
      [response](const ledger::CommandOutcome& outcome) { fill_result(outcome, response); });
}

grpc::ServerUnaryReactor* OfferServiceImpl::ChangeCapacity(grpc::CallbackServerContext* context,
                                                           const v1::ChangeCapacityRequest* request,
                                                           v1::CommandResult* response) {
  return offer_command(context, authenticator_, ledger_, Rpc::change_capacity, *request, response);
}

grpc::ServerUnaryReactor* OfferServiceImpl::SetRate(grpc::CallbackServerContext* context,
                                                    const v1::SetRateRequest* request, v1::CommandResult* response) {
  return offer_command(context, authenticator_, ledger_, Rpc::set_rate, *request, response);
}

grpc::ServerUnaryReactor* OfferServiceImpl::CloseOffer(grpc::CallbackServerContext* context,
                                                       const v1::CloseOfferRequest* request,
                                                       v1::CommandResult* response) {
  return offer_command(context, authenticator_, ledger_, Rpc::close_offer, *request, response);
}

grpc::ServerUnaryReactor* OfferServiceImpl::GetOffer(grpc::CallbackServerContext* context,
                                                     const v1::GetOfferRequest* request, v1::Offer* response) {
  if (auto refused = refuse_read(authenticator_, context, Rpc::get_offer, *request)) return finish(context, *refused);
  if (auto valid = codec::check_id_length(request->offer_id(), "offer_id"); !valid)
    return finish(context, to_grpc_status(valid.error()));
  const bool found = ledger_.read([&](const domain::State& state) {
    const auto* offer = domain::find_offer(state, request->offer_id());
    if (offer) *response = codec::to_proto(state, *offer);
    return offer != nullptr;
  });
  if (!found) return finish(context, grpc::Status(grpc::StatusCode::NOT_FOUND, "no offer " + request->offer_id()));
  return finish(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor* OfferServiceImpl::ListOffers(grpc::CallbackServerContext* context,
                                                       const v1::ListOffersRequest* request,
                                                       v1::ListOffersResponse* response) {
  if (auto refused = refuse_read(authenticator_, context, Rpc::list_offers, *request)) return finish(context, *refused);
  // The page token is the last offer id of the previous page.
  if (auto valid = codec::check_id_length(request->page_token(), "page_token"); !valid)
    return finish(context, to_grpc_status(valid.error()));
  std::optional<domain::SpecialisationLevel> level;
  std::optional<domain::TargetGroup> group;
  if (request->level() != v1::SPECIALISATION_LEVEL_UNSPECIFIED) {
    auto parsed = codec::from_proto(request->level(), "level");
    if (!parsed) return finish(context, to_grpc_status(parsed.error()));
    level = parsed.value();
  }
  if (request->target_group() != v1::TARGET_GROUP_UNSPECIFIED) {
    auto parsed = codec::from_proto(request->target_group(), "target_group");
    if (!parsed) return finish(context, to_grpc_status(parsed.error()));
    group = parsed.value();
  }
  const auto region = static_cast<std::int64_t>(request->region_code());
  const std::uint32_t page_size = page_size_of(request->page_size());
  ledger_.read([&](const domain::State& state) {
    for (auto it = state.offers.upper_bound(request->page_token()); it != state.offers.end(); ++it) {
      const auto& [id, offer] = *it;
      if (level && offer.level != *level) continue;
      if (group && !offer.serves(*group)) continue;
      if (region != 0 && domain::region_of_operator(state, offer.operator_code) != region) continue;
      if (offer.closed_from && !request->include_closed()) continue;
      if (static_cast<std::uint32_t>(response->offers_size()) == page_size) {
        response->set_next_page_token(response->offers(response->offers_size() - 1).offer_id());
        break;
      }
      *response->add_offers() = codec::to_proto(state, offer);
    }
    return 0;
  });
  return finish(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor* OfferServiceImpl::GetCapacity(grpc::CallbackServerContext* context,
                                                        const v1::GetCapacityRequest* request,
                                                        v1::PlaceCounts* response) {
  if (auto refused = refuse_read(authenticator_, context, Rpc::get_capacity, *request))
    return finish(context, *refused);
  if (auto valid = codec::check_id_length(request->offer_id(), "offer_id"); !valid)
    return finish(context, to_grpc_status(valid.error()));
  auto date = codec::from_proto(request->date(), "date");
  if (!date) return finish(context, to_grpc_status(date.error()));
  auto counts = ledger_.read(
      [&](const domain::State& state) { return domain::capacity_at(state, request->offer_id(), date.value()); });
  if (!counts) return finish(context, to_grpc_status(counts.error()));
  *response = codec::to_proto(counts.value());
  return finish(context, grpc::Status::OK);
}

}  // namespace placement::api

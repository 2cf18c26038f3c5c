#include "services/api/organisation_service.h"

#include "services/api/command_call.h"
#include "services/api/grpc_status.h"
#include "services/codec/organisation_mapping.h"
#include "services/codec/vocabulary_codec.h"

namespace placement::api {

grpc::ServerUnaryReactor* OrganisationServiceImpl::GetOrganisation(grpc::CallbackServerContext* context,
                                                                   const v1::GetOrganisationRequest* request,
                                                                   v1::GetOrganisationResponse* response) {
  auto* reactor = context->DefaultReactor();
  auto finish = [reactor](const Status& status) {
    reactor->Finish(status ? grpc::Status::OK : to_grpc_status(status.error()));
    return reactor;
  };
  if (auto caller = authenticator_.authorized_caller(*context, Rpc::get_organisation, *request); !caller)
    return finish(outcome::failure(caller.error()));
  if (!request->has_date()) return finish(fail(Errc::invalid_argument, "date: a date is required (YYYY-MM-DD)"));
  auto date = codec::from_proto(request->date(), "date");
  if (!date) return finish(outcome::failure(date.error()));
  auto model = views_.at(request->as_of_position());
  if (!model) return finish(outcome::failure(model.error()));
  *response = codec::to_proto(model.value()->model.state, date.value(), model.value()->model.position);
  return finish(ok());
}

grpc::ServerUnaryReactor* OrganisationServiceImpl::EstablishRegion(grpc::CallbackServerContext* context,
                                                                   const v1::EstablishRegionRequest* request,
                                                                   v1::CommandResult* response) {
  return mapped_command_call(context, authenticator_, ledger_, Rpc::establish_region, *request, response);
}

grpc::ServerUnaryReactor* OrganisationServiceImpl::CeaseRegion(grpc::CallbackServerContext* context,
                                                               const v1::CeaseRegionRequest* request,
                                                               v1::CommandResult* response) {
  return mapped_command_call(context, authenticator_, ledger_, Rpc::cease_region, *request, response);
}

grpc::ServerUnaryReactor* OrganisationServiceImpl::ChangeMunicipalityRegion(
    grpc::CallbackServerContext* context, const v1::ChangeMunicipalityRegionRequest* request,
    v1::CommandResult* response) {
  return mapped_command_call(context, authenticator_, ledger_, Rpc::change_municipality_region, *request, response);
}

grpc::ServerUnaryReactor* OrganisationServiceImpl::ChangeOfferOperator(grpc::CallbackServerContext* context,
                                                                       const v1::ChangeOfferOperatorRequest* request,
                                                                       v1::CommandResult* response) {
  return mapped_command_call(context, authenticator_, ledger_, Rpc::change_offer_operator, *request, response);
}

grpc::ServerUnaryReactor* OrganisationServiceImpl::MergeRegions(grpc::CallbackServerContext* context,
                                                                const v1::MergeRegionsRequest* request,
                                                                v1::CommandResult* response) {
  return mapped_command_call(context, authenticator_, ledger_, Rpc::merge_regions, *request, response);
}

}  // namespace placement::api

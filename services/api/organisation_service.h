#pragma once
// OrganisationService: the organisation on a date (every role), and the admins' effective-dated
// changes of it (regions established, ceased and merged, a municipality's region, an offer's
// operator), written as domain commands through the ledger's single writer.

#include "placement/v1/organisation_service.grpc.pb.h"
#include "services/api/caller.h"
#include "services/ledger/ledger.h"
#include "services/ledger/planning_views.h"

namespace placement::api {

class OrganisationServiceImpl final : public v1::OrganisationService::CallbackService {
 public:
  // views: the planners' models (PlanningServiceImpl::views()), for reads live or as of a position.
  OrganisationServiceImpl(ledger::Ledger& ledger, ledger::PlanningViews& views, const Authenticator& authenticator)
      : ledger_(ledger), views_(views), authenticator_(authenticator) {}

  grpc::ServerUnaryReactor* GetOrganisation(grpc::CallbackServerContext*, const v1::GetOrganisationRequest*,
                                            v1::GetOrganisationResponse*) override;
  grpc::ServerUnaryReactor* EstablishRegion(grpc::CallbackServerContext*, const v1::EstablishRegionRequest*,
                                            v1::CommandResult*) override;
  grpc::ServerUnaryReactor* CeaseRegion(grpc::CallbackServerContext*, const v1::CeaseRegionRequest*,
                                        v1::CommandResult*) override;
  grpc::ServerUnaryReactor* ChangeMunicipalityRegion(grpc::CallbackServerContext*,
                                                     const v1::ChangeMunicipalityRegionRequest*,
                                                     v1::CommandResult*) override;
  grpc::ServerUnaryReactor* ChangeOfferOperator(grpc::CallbackServerContext*, const v1::ChangeOfferOperatorRequest*,
                                                v1::CommandResult*) override;
  grpc::ServerUnaryReactor* MergeRegions(grpc::CallbackServerContext*, const v1::MergeRegionsRequest*,
                                         v1::CommandResult*) override;

 private:
  ledger::Ledger& ledger_;
  ledger::PlanningViews& views_;
  const Authenticator& authenticator_;
};

}  // namespace placement::api

#pragma once
// OrganisationService requests → domain commands, and the organisation on a date → its response.
// Malformed input (a missing date, a code out of range) is refused with invalid_argument naming the
// field; the rules that need the state (unknown codes, dates out of order) are domain::decide's.

#include "placement/v1/organisation_service.pb.h"
#include "services/base/result.h"
#include "services/base/types.h"
#include "services/domain/commands.h"
#include "services/domain/dates.h"
#include "services/domain/state.h"

namespace placement::codec {

Result<domain::EstablishRegion> to_command(const v1::EstablishRegionRequest& request);
Result<domain::CeaseRegion> to_command(const v1::CeaseRegionRequest& request);
Result<domain::ChangeMunicipalityRegion> to_command(const v1::ChangeMunicipalityRegionRequest& request);
Result<domain::ChangeOfferOperator> to_command(const v1::ChangeOfferOperatorRequest& request);
Result<domain::MergeRegions> to_command(const v1::MergeRegionsRequest& request);

// The regions and municipalities of `state` on `date` (domain/organisation.h).
v1::GetOrganisationResponse to_proto(const domain::State& state, domain::Date date, Position position);

}  // namespace placement::codec

#pragma once
// Requests of the public API → domain commands, and domain state → API messages. Each mapping
// refuses malformed input with invalid_argument naming the field; rules that depend on the state
// (unknown offer, no vacant place …) are the domain's to refuse.

#include <optional>
#include <string>

#include "placement/v1/offer_service.pb.h"
#include "placement/v1/placement_service.pb.h"
#include "services/base/result.h"
#include "services/domain/commands.h"
#include "services/domain/occupancy.h"
#include "services/domain/queries.h"
#include "services/domain/state.h"

namespace placement::codec {

// Command ids: 1..128 printable ASCII characters.
Status validate_command_id(const std::string& command_id);

Result<domain::RegisterOffer> to_command(const v1::RegisterOfferRequest& request);
Result<domain::ChangeCapacity> to_command(const v1::ChangeCapacityRequest& request);
Result<domain::SetRate> to_command(const v1::SetRateRequest& request);
Result<domain::CloseOffer> to_command(const v1::CloseOfferRequest& request);

// The CPR number is turned into the citizen reference and birth date by the caller (the server
// holds the pseudonym key); this maps the rest.
Result<domain::RequestPlacement> to_command(const v1::RequestPlacementRequest& request, std::string placement_id,
                                            domain::CitizenRef citizen, domain::Date birth_date);
Result<domain::ReservePlace> to_command(const v1::ReservePlaceRequest& request, std::chrono::seconds hold_period);
Result<domain::AllocatePlace> to_command(const v1::AllocatePlaceRequest& request, std::chrono::seconds hold_period);
Result<domain::AdmitPlacement> to_command(const v1::AdmitPlacementRequest& request);
Result<domain::TransferPlacement> to_command(const v1::TransferPlacementRequest& request);
Result<domain::DischargePlacement> to_command(const v1::DischargePlacementRequest& request);
Result<domain::WithdrawPlacement> to_command(const v1::WithdrawPlacementRequest& request);
Result<domain::RejectPlacement> to_command(const v1::RejectPlacementRequest& request);

Result<domain::VacancyQuery> to_query(const v1::SearchVacanciesRequest& request);

v1::Offer to_proto(const domain::State& state, const domain::OfferState& offer);
v1::Placement to_proto(const domain::State& state, const domain::PlacementState& placement);
v1::PlaceCounts to_proto(const domain::PlaceCounts& counts);
v1::Vacancy to_proto(const domain::VacancyHit& hit);
v1::PlacementStatus to_proto(domain::PlacementStatus status);
Result<domain::PlacementStatus> from_proto(v1::PlacementStatus status);

}  // namespace placement::codec

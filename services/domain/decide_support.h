#pragma once
// Internal to the domain module: helpers shared by the decide_*.cc files.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "services/base/result.h"
#include "services/domain/commands.h"
#include "services/domain/events.h"
#include "services/domain/state.h"

namespace placement::domain::detail {

using Events = std::vector<Event>;

Result<Events> decide_command(const State& state, const Command& command, const RegisterRegion& body);
Result<Events> decide_command(const State& state, const Command& command, const RegisterMunicipality& body);
Result<Events> decide_command(const State& state, const Command& command, const LoadReferenceData& body);
Result<Events> decide_command(const State& state, const Command& command, const SetObjectiveWeight& body);
Result<Events> decide_command(const State& state, const Command& command, const SetObjectiveKey& body);
Result<Events> decide_command(const State& state, const Command& command, const SetBlockGrant& body);
Result<Events> decide_command(const State& state, const Command& command, const SetRefundTiers& body);
Result<Events> decide_command(const State& state, const Command& command, const RecordIncome& body);
Result<Events> decide_command(const State& state, const Command& command, const RegisterOffer& body);
Result<Events> decide_command(const State& state, const Command& command, const ChangeCapacity& body);
Result<Events> decide_command(const State& state, const Command& command, const SetRate& body);
Result<Events> decide_command(const State& state, const Command& command, const CloseOffer& body);
Result<Events> decide_command(const State& state, const Command& command, const RequestPlacement& body);
Result<Events> decide_command(const State& state, const Command& command, const ReservePlace& body);
Result<Events> decide_command(const State& state, const Command& command, const AllocatePlace& body);
Result<Events> decide_command(const State& state, const Command& command, const AdmitPlacement& body);
Result<Events> decide_command(const State& state, const Command& command, const TransferPlacement& body);
Result<Events> decide_command(const State& state, const Command& command, const DischargePlacement& body);
Result<Events> decide_command(const State& state, const Command& command, const WithdrawPlacement& body);
Result<Events> decide_command(const State& state, const Command& command, const RejectPlacement& body);
Result<Events> decide_command(const State& state, const Command& command, const ExpireReservation& body);
Result<Events> decide_command(const State& state, const Command& command, const EraseCitizen& body);
Result<Events> decide_command(const State& state, const Command& command, const RecordCaseCosts& body);

// Refuses (invalid_argument) a month outside 1900-01 .. 9999-12.
Status require_valid_month(YearMonth month, std::string_view what);
// Refuses (failed_precondition) income for a month in which the placement has no cost to deduct it
// from: no occupied place-day and no case cost (decide_refund.cc).
Status require_cost_in_month(const State& state, const PlacementState& placement, YearMonth month);
Result<Events> decide_command(const State& state, const Command& command, const EstablishRegion& body);
Result<Events> decide_command(const State& state, const Command& command, const CeaseRegion& body);
Result<Events> decide_command(const State& state, const Command& command, const ChangeMunicipalityRegion& body);
Result<Events> decide_command(const State& state, const Command& command, const ChangeOfferOperator& body);
Result<Events> decide_command(const State& state, const Command& command, const MergeRegions& body);

Result<const OfferState*> require_offer(const State& state, std::string_view offer_id);
// The same for an offer a command refers to rather than acts on (a request's or a transfer's
// target): the request is refused as one that cannot be carried out, not as a missing resource.
Result<const OfferState*> require_referenced_offer(const State& state, std::string_view offer_id);
Result<const PlacementState*> require_placement(const State& state, std::string_view placement_id);

// "offer 'x' (name)" for messages.
std::string describe(const OfferState& offer);
std::string describe_group(TargetGroup group);
bool is_blank(std::string_view text);

// Refuses (failed_precondition) unless `offer` has a place for `hypothetical` on every date from
// `from` on, with every other hold in the offer kept.
Status require_free_place(const State& state, const OfferState& offer, Date from, const PlacementState& hypothetical);

// Refuses (failed_precondition) a command on a closed offer.
Status require_open(const OfferState& offer);

// The transition refused, in terms a caseworker understands.
Error wrong_status(const PlacementState& placement, std::string_view action, std::string_view needs);

void append(Events& events, const std::vector<PlaceProposed>& proposals);

// For something given to `code` (a region; a municipality's code gives nothing) with no end: when
// that region ceases, the date and the region that takes over it then (the last of a chain of
// successors), so the thing passes on as the region's own offers and municipalities did. Refused
// (failed_precondition) when the region ceases without a successor.
Result<std::optional<std::pair<Date, std::int32_t>>> successor_from(const State& state, std::int32_t code);

}  // namespace placement::domain::detail

#include "services/codec/api_mapping.h"

#include <algorithm>

#include "services/codec/input_limits.h"
#include "services/codec/vocabulary_codec.h"

namespace placement::codec {

Status validate_command_id(const std::string& command_id) {
  if (command_id.empty())
    return fail(Errc::invalid_argument, "command_id is required: a unique id per command, reused only to retry it");
  if (command_id.size() > kMaxCommandIdLength)
    return fail(Errc::invalid_argument,
                "command_id is longer than " + std::to_string(kMaxCommandIdLength) + " characters");
  for (char c : command_id)
    if (c < 0x21 || c > 0x7e) return fail(Errc::invalid_argument, "command_id must be printable ASCII without spaces");
  return ok();
}

Result<domain::RegisterOffer> to_command(const v1::RegisterOfferRequest& request) {
  domain::RegisterOffer command;
  PLACEMENT_TRY(check_id_length(request.offer_id(), "offer_id"));
  command.offer_id = request.offer_id();
  PLACEMENT_TRY(check_text(request.name(), "name", true));
  PLACEMENT_TRY(check_text(request.paragraph_of_law(), "paragraph_of_law", false));
  command.name = request.name();
  command.paragraph_of_law = request.paragraph_of_law();
  PLACEMENT_TRY_ASSIGN(command.operator_code, code_from_proto(request.operator_code(), "operator_code"));
  PLACEMENT_TRY_ASSIGN(command.level, from_proto(request.level(), "level"));
  if (request.target_groups().empty()) return fail(Errc::invalid_argument, "target_groups needs at least one group");
  for (int group : request.target_groups()) {
    domain::TargetGroup parsed{};
    PLACEMENT_TRY_ASSIGN(parsed, from_proto(static_cast<v1::TargetGroup>(group), "target_groups"));
    command.target_groups.push_back(parsed);
  }
  PLACEMENT_TRY_ASSIGN(command.service_type, from_proto(request.service_type(), "service_type"));
  std::int32_t catchment = 0;
  PLACEMENT_TRY_ASSIGN(catchment, code_from_proto(request.catchment_region_code(), "catchment_region_code"));
  command.catchment = domain::Catchment{catchment};
  PLACEMENT_TRY_ASSIGN(command.financing, from_proto(request.financing(), "financing"));
  return command;
}

Result<domain::ChangeCapacity> to_command(const v1::ChangeCapacityRequest& request) {
  domain::ChangeCapacity command;
  PLACEMENT_TRY(check_id_length(request.offer_id(), "offer_id"));
  command.offer_id = request.offer_id();
  PLACEMENT_TRY_ASSIGN(command.effective_from, from_proto(request.effective_from(), "effective_from"));
  if (request.places() < 0) return fail(Errc::invalid_argument, "places must be 0 or more");
  command.places = request.places();
  return command;
}

Result<domain::SetRate> to_command(const v1::SetRateRequest& request) {
  domain::SetRate command;
  PLACEMENT_TRY(check_id_length(request.offer_id(), "offer_id"));
  command.offer_id = request.offer_id();
  PLACEMENT_TRY_ASSIGN(command.effective_from, from_proto(request.effective_from(), "effective_from"));
  PLACEMENT_TRY(check_amount(request.daily_rate_ore(), kMaxDailyRateOre, "daily_rate_ore"));
  PLACEMENT_TRY(check_amount(request.daily_copayment_rate_ore(), kMaxDailyRateOre, "daily_copayment_rate_ore"));
  PLACEMENT_TRY(check_amount(request.daily_vacancy_rate_ore(), kMaxDailyRateOre, "daily_vacancy_rate_ore"));
  PLACEMENT_TRY(check_amount(request.basis().direct_and_indirect_costs_ore(), kMaxAmountOre,
                             "basis.direct_and_indirect_costs_ore"));
  PLACEMENT_TRY(check_amount(request.basis().depreciation_and_interest_ore(), kMaxAmountOre,
                             "basis.depreciation_and_interest_ore"));
  switch (request.daily_case()) {
    case v1::SetRateRequest::kDailyRateOre:
      if (request.daily_rate_ore() < 0) return fail(Errc::invalid_argument, "daily_rate_ore must be 0 or more");
      command.daily_rate = Ore{request.daily_rate_ore()};
      break;
    case v1::SetRateRequest::kBasis: command.basis = from_proto(request.basis()); break;
    default: return fail(Errc::invalid_argument, "give either daily_rate_ore or basis");
  }
  if (request.daily_copayment_rate_ore() < 0 || request.daily_vacancy_rate_ore() < 0)
    return fail(Errc::invalid_argument, "co-payment and vacancy rates must be 0 or more");
  if (request.daily_copayment_rate_ore() > 0) command.daily_copayment_rate = Ore{request.daily_copayment_rate_ore()};
  if (request.daily_vacancy_rate_ore() > 0) command.daily_vacancy_rate = Ore{request.daily_vacancy_rate_ore()};
  return command;
}

Result<domain::CloseOffer> to_command(const v1::CloseOfferRequest& request) {
  domain::CloseOffer command;
  PLACEMENT_TRY(check_id_length(request.offer_id(), "offer_id"));
  command.offer_id = request.offer_id();
  PLACEMENT_TRY_ASSIGN(command.from, from_proto(request.from(), "from"));
  return command;
}

Result<domain::RequestPlacement> to_command(const v1::RequestPlacementRequest& request, std::string placement_id,
                                            domain::CitizenRef citizen, domain::Date birth_date) {
  domain::RequestPlacement command;
  PLACEMENT_TRY(check_id_length(placement_id, "placement_id"));
  PLACEMENT_TRY(check_id_length(request.offer_id(), "offer_id"));
  command.placement_id = std::move(placement_id);
  command.citizen = std::move(citizen);
  command.birth_date = birth_date;
  PLACEMENT_TRY_ASSIGN(command.paying_municipality,
                       code_from_proto(request.paying_municipality_code(), "paying_municipality_code"));
  command.offer_id = request.offer_id();
  PLACEMENT_TRY_ASSIGN(command.level, from_proto(request.level(), "level"));
  PLACEMENT_TRY_ASSIGN(command.target_group, from_proto(request.target_group(), "target_group"));
  PLACEMENT_TRY_ASSIGN(command.requested_start, from_proto(request.requested_start(), "requested_start"));
  command.join_waiting_list_if_full = request.join_waiting_list_if_full();
  return command;
}

Result<domain::ReservePlace> to_command(const v1::ReservePlaceRequest& request, std::chrono::seconds hold_period) {
  domain::ReservePlace command;
  PLACEMENT_TRY(check_id_length(request.placement_id(), "placement_id"));
  command.placement_id = request.placement_id();
  PLACEMENT_TRY_ASSIGN(command.from, from_proto(request.from(), "from"));
  command.hold_period = hold_period;
  command.join_waiting_list_if_full = request.join_waiting_list_if_full();
  return command;
}

Result<domain::AllocatePlace> to_command(const v1::AllocatePlaceRequest& request, std::chrono::seconds hold_period) {
  domain::AllocatePlace command;
  PLACEMENT_TRY(check_id_length(request.placement_id(), "placement_id"));
  command.placement_id = request.placement_id();
  PLACEMENT_TRY_ASSIGN(command.from, from_proto(request.from(), "from"));
  command.hold_period = hold_period;
  PLACEMENT_TRY(check_text(request.reason(), "reason", false));
  command.reason = request.reason();
  return command;
}

Result<domain::AdmitPlacement> to_command(const v1::AdmitPlacementRequest& request) {
  domain::AdmitPlacement command;
  PLACEMENT_TRY(check_id_length(request.placement_id(), "placement_id"));
  command.placement_id = request.placement_id();
  PLACEMENT_TRY_ASSIGN(command.on, from_proto(request.on(), "on"));
  return command;
}

Result<domain::TransferPlacement> to_command(const v1::TransferPlacementRequest& request) {
  domain::TransferPlacement command;
  PLACEMENT_TRY(check_id_length(request.placement_id(), "placement_id"));
  command.placement_id = request.placement_id();
  PLACEMENT_TRY(check_id_length(request.to_offer_id(), "to_offer_id"));
  command.to_offer_id = request.to_offer_id();
  PLACEMENT_TRY_ASSIGN(command.on, from_proto(request.on(), "on"));
  return command;
}

Result<domain::DischargePlacement> to_command(const v1::DischargePlacementRequest& request) {
  domain::DischargePlacement command;
  PLACEMENT_TRY(check_id_length(request.placement_id(), "placement_id"));
  command.placement_id = request.placement_id();
  PLACEMENT_TRY_ASSIGN(command.on, from_proto(request.on(), "on"));
  return command;
}

Result<domain::WithdrawPlacement> to_command(const v1::WithdrawPlacementRequest& request) {
  PLACEMENT_TRY(check_id_length(request.placement_id(), "placement_id"));
  PLACEMENT_TRY(check_text(request.reason(), "reason", false));
  return domain::WithdrawPlacement{request.placement_id(), request.reason()};
}

Result<domain::RejectPlacement> to_command(const v1::RejectPlacementRequest& request) {
  PLACEMENT_TRY(check_id_length(request.placement_id(), "placement_id"));
  PLACEMENT_TRY(check_text(request.reason(), "reason", false));
  return domain::RejectPlacement{request.placement_id(), request.reason()};
}

Result<domain::VacancyQuery> to_query(const v1::SearchVacanciesRequest& request) {
  domain::VacancyQuery query;
  PLACEMENT_TRY_ASSIGN(query.target_group, from_proto(request.target_group(), "target_group"));
  PLACEMENT_TRY_ASSIGN(query.level, from_proto(request.level(), "level"));
  if (request.age() < 0 || request.age() > 130) return fail(Errc::invalid_argument, "age must be 0..130");
  query.age = request.age();
  PLACEMENT_TRY_ASSIGN(query.preferred_region,
                       code_from_proto(request.preferred_region_code(), "preferred_region_code"));
  PLACEMENT_TRY_ASSIGN(query.date, from_proto(request.date(), "date"));
  return query;
}

v1::Offer to_proto(const domain::State& state, const domain::OfferState& offer) {
  v1::Offer out;
  out.set_offer_id(offer.id);
  out.set_name(offer.name);
  out.set_operator_code(code_to_proto(offer.operator_code));
  out.set_region_code(code_to_proto(domain::region_of_operator(state, offer.operator_code)));
  out.set_level(to_proto(offer.level));
  for (auto group : offer.target_groups) out.add_target_groups(to_proto(group));
  out.set_service_type(to_proto(offer.service_type));
  out.set_paragraph_of_law(offer.paragraph_of_law);
  out.set_catchment_region_code(code_to_proto(offer.catchment.region_code));
  *out.mutable_financing() = to_proto(offer.financing);
  for (const auto& [from, places] : offer.capacity.entries()) {
    auto* entry = out.add_capacity();
    *entry->mutable_effective_from() = to_proto(from);
    entry->set_places(places);
  }
  for (const auto& [from, rate] : offer.rates.entries()) {
    auto* entry = out.add_rates();
    *entry->mutable_effective_from() = to_proto(from);
    *entry->mutable_rate() = to_proto(rate);
  }
  if (offer.closed_from) *out.mutable_closed_from() = to_proto(*offer.closed_from);
  out.set_waiting(static_cast<std::uint32_t>(offer.waiting_list.size()));
  return out;
}

v1::PlacementStatus to_proto(domain::PlacementStatus status) {
  return static_cast<v1::PlacementStatus>(static_cast<int>(status));
}

Result<domain::PlacementStatus> from_proto(v1::PlacementStatus status) {
  if (status < v1::PLACEMENT_STATUS_REQUESTED || status > v1::PLACEMENT_STATUS_RESERVATION_EXPIRED)
    return fail(Errc::invalid_argument, "status is not a placement status");
  return static_cast<domain::PlacementStatus>(static_cast<int>(status));
}

v1::Placement to_proto(const domain::State& state, const domain::PlacementState& placement) {
  v1::Placement out;
  out.set_placement_id(placement.id);
  out.set_status(to_proto(placement.status));
  out.set_offer_id(placement.offer_id);
  out.set_paying_municipality_code(code_to_proto(placement.paying_municipality));
  out.set_level(to_proto(placement.level));
  out.set_target_group(to_proto(placement.target_group));
  out.set_age_at_start(placement.age_at_start);
  *out.mutable_requested_start() = to_proto(placement.requested_start);
  *out.mutable_requested_at() = to_proto(placement.requested_at);
  if (placement.status == domain::PlacementStatus::waitlisted) {
    if (const auto* offer = domain::find_offer(state, placement.offer_id)) {
      auto it = std::find_if(offer->waiting_list.begin(), offer->waiting_list.end(),
                             [&](const auto& entry) { return entry.placement_id == placement.id; });
      if (it != offer->waiting_list.end())
        out.set_waiting_position(static_cast<std::uint32_t>(it - offer->waiting_list.begin() + 1));
    }
  }
  if (placement.hold_from) *out.mutable_hold_from() = to_proto(*placement.hold_from);
  if (placement.hold_expires_at) *out.mutable_hold_expires_at() = to_proto(*placement.hold_expires_at);
  if (placement.admitted_on) *out.mutable_admitted_on() = to_proto(*placement.admitted_on);
  if (placement.discharged_on) *out.mutable_discharged_on() = to_proto(*placement.discharged_on);
  for (const auto& stay : placement.previous_stays) {
    auto* entry = out.add_previous_stays();
    entry->set_offer_id(stay.offer_id);
    *entry->mutable_from() = to_proto(stay.range.from);
    *entry->mutable_to() = to_proto(stay.range.to);
  }
  out.set_allocation_reason(placement.allocation_reason);
  out.set_end_reason(placement.end_reason);
  if (placement.last_proposed_from) *out.mutable_proposed_from() = to_proto(*placement.last_proposed_from);
  return out;
}

v1::PlaceCounts to_proto(const domain::PlaceCounts& counts) {
  v1::PlaceCounts out;
  out.set_open(counts.open);
  out.set_occupied(counts.occupied);
  out.set_reserved(counts.reserved);
  out.set_vacant(counts.vacant);
  out.set_waiting(counts.waiting);
  return out;
}

v1::Vacancy to_proto(const domain::VacancyHit& hit) {
  v1::Vacancy out;
  out.set_offer_id(hit.offer_id);
  out.set_name(hit.name);
  out.set_operator_code(code_to_proto(hit.operator_code));
  out.set_region_code(code_to_proto(hit.region_code));
  out.set_service_type(to_proto(hit.service_type));
  out.set_free_places(hit.free_places);
  out.set_waiting(hit.waiting);
  out.set_in_preferred_region(hit.in_preferred_region);
  return out;
}

}  // namespace placement::codec

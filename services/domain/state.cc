#include "services/domain/state.h"

#include <algorithm>

namespace placement::domain {

bool OfferState::serves(TargetGroup group) const {
  return std::find(target_groups.begin(), target_groups.end(), group) != target_groups.end();
}

bool is_active(PlacementStatus status) {
  switch (status) {
    case PlacementStatus::requested:
    case PlacementStatus::waitlisted:
    case PlacementStatus::reserved:
    case PlacementStatus::admitted: return true;
    case PlacementStatus::discharged:
    case PlacementStatus::rejected:
    case PlacementStatus::withdrawn:
    case PlacementStatus::reservation_expired: return false;
  }
  return false;
}

std::string_view to_string(PlacementStatus status) {
  switch (status) {
    case PlacementStatus::requested: return "REQUESTED";
    case PlacementStatus::waitlisted: return "WAITLISTED";
    case PlacementStatus::reserved: return "RESERVED";
    case PlacementStatus::admitted: return "ADMITTED";
    case PlacementStatus::discharged: return "DISCHARGED";
    case PlacementStatus::rejected: return "REJECTED";
    case PlacementStatus::withdrawn: return "WITHDRAWN";
    case PlacementStatus::reservation_expired: return "RESERVATION_EXPIRED";
  }
  return "UNSPECIFIED";
}

std::string_view danish_term(PlacementStatus status) {
  switch (status) {
    case PlacementStatus::requested: return "anmodet";
    case PlacementStatus::waitlisted: return "på venteliste";
    case PlacementStatus::reserved: return "reserveret";
    case PlacementStatus::admitted: return "indskrevet";
    case PlacementStatus::discharged: return "udskrevet";
    case PlacementStatus::rejected: return "afvist";
    case PlacementStatus::withdrawn: return "trukket tilbage";
    case PlacementStatus::reservation_expired: return "reservation udløbet";
  }
  return "ukendt";
}

const OfferState* find_offer(const State& state, std::string_view offer_id) {
  auto it = state.offers.find(offer_id);
  return it == state.offers.end() ? nullptr : &it->second;
}

Error no_such_placement(std::string_view placement_id) {
  return Error{Errc::not_found, "placement '" + std::string(placement_id) + "' does not exist"};
}

const PlacementState* find_placement(const State& state, std::string_view placement_id) {
  auto it = state.placements.find(placement_id);
  return it == state.placements.end() ? nullptr : &it->second;
}

std::int32_t region_of_operator(const State& state, std::int32_t operator_code) {
  if (state.regions.contains(operator_code)) return operator_code;
  auto it = state.municipalities.find(operator_code);
  return it == state.municipalities.end() ? 0 : it->second.region_code;
}

bool is_known_operator(const State& state, std::int32_t operator_code) {
  return state.regions.contains(operator_code) || state.municipalities.contains(operator_code);
}

std::int32_t open_places_on(const OfferState& offer, Date date) {
  if (offer.closed_from && *offer.closed_from <= date) return 0;
  const std::int32_t* places = offer.capacity.at(date);
  return places ? *places : 0;
}

const Rate* rate_on(const OfferState& offer, Date date) { return offer.rates.at(date); }

std::int64_t objective_weight(const State& state, const PlanningInputs& inputs, std::int32_t municipality) {
  if (inputs.objective_key_override) {
    auto it = inputs.objective_key_override->find(municipality);
    return it == inputs.objective_key_override->end() ? 0 : it->second;
  }
  auto it = state.municipalities.find(municipality);
  return it == state.municipalities.end() ? 0 : it->second.objective_weight;
}

}  // namespace placement::domain

#include "services/domain/apply.h"

#include <algorithm>
#include <type_traits>
#include <utility>

#include "services/domain/offer_index.h"
#include "services/domain/waiting_list.h"

namespace placement::domain {
namespace {

OfferState* offer_of(State& state, const std::string& offer_id) {
  auto it = state.offers.find(offer_id);
  return it == state.offers.end() ? nullptr : &it->second;
}

void leave_waiting_list(State& state, PlacementState& placement) {
  if (OfferState* offer = offer_of(state, placement.offer_id)) remove_waiting(*offer, placement.id);
}

// The planning events, folded into State::planning.
struct PlanningApplier {
  PlanningInputs& inputs;

  void operator()(const ObjectiveKeySet& e) const {
    if (e.weights.empty()) {
      inputs.objective_key_override.reset();
    } else {
      inputs.objective_key_override = e.weights;
    }
  }
  void operator()(const BlockGrantSet& e) const { inputs.block_grants[{e.region_code, e.year}] = e.amount; }
  void operator()(const RefundTiersSet& e) const {
    inputs.refund_tables[e.year] = RefundTable{e.price_level != 0 ? e.price_level : e.year, e.tiers};
  }
  void operator()(const IncomeRecorded& e) const { inputs.income[e.placement_id][e.month] = e.income; }
  void operator()(const CaseCostsRecorded& e) const { inputs.case_costs[e.placement_id][e.month] = e.costs; }
};

// Events that name no placement.
struct Applier {
  State& state;

  void operator()(const RegionRegistered& e) const {
    state.regions[e.code] = Region{e.code, e.name, std::nullopt, std::nullopt, 0};
  }

  void operator()(const MunicipalityRegistered& e) const {
    state.municipalities[e.code] = Municipality{e.code, e.name, e.region_code, e.objective_weight, {}};
  }

  void operator()(const RegionEstablished& e) const {
    Region region{e.code, e.name, e.from, std::nullopt, 0};
    state.regions.insert_or_assign(e.code, std::move(region));
  }

  void operator()(const RegionCeased& e) const {
    auto it = state.regions.find(e.code);
    if (it == state.regions.end()) return;
    it->second.ceased_from = e.from;
    it->second.successor_code = e.successor_code;
  }

  void operator()(const MunicipalityRegionChanged& e) const {
    auto it = state.municipalities.find(e.municipality_code);
    if (it != state.municipalities.end()) it->second.region_changes.set(e.from, e.region_code);
  }

  void operator()(const OfferOperatorChanged& e) const {
    if (OfferState* offer = offer_of(state, e.offer_id)) offer->operator_changes.set(e.from, e.operator_code);
  }

  void operator()(const ObjectiveWeightChanged& e) const {
    auto it = state.municipalities.find(e.municipality_code);
    if (it != state.municipalities.end()) it->second.objective_weight = e.weight;
  }

  void operator()(const OfferRegistered& e) const {
    OfferState offer;
    offer.id = e.offer_id;
    offer.name = e.name;
    offer.operator_code = e.operator_code;
    offer.level = e.level;
    offer.target_groups = e.target_groups;
    offer.service_type = e.service_type;
    offer.paragraph_of_law = e.paragraph_of_law;
    offer.catchment = e.catchment;
    offer.financing = e.financing;
    state.offers.insert_or_assign(e.offer_id, std::move(offer));
  }

  void operator()(const CapacityChanged& e) const {
    if (OfferState* offer = offer_of(state, e.offer_id)) offer->capacity.set(e.effective_from, e.places);
  }

  void operator()(const RateSet& e) const {
    if (OfferState* offer = offer_of(state, e.offer_id)) offer->rates.set(e.effective_from, e.rate);
  }

  void operator()(const OfferClosed& e) const {
    if (OfferState* offer = offer_of(state, e.offer_id)) offer->closed_from = e.from;
  }

  // The erasure happened in the key store; the state keeps the opaque ids, so nothing changes here.
  void operator()(const CitizenErased&) const {}
};

// Events that name a placement, applied to that placement, which apply() has looked up once
// (events naming a placement the state does not know change nothing). PlacementRequested, which
// creates its placement, is applied in apply() itself.
struct PlacementApplier {
  State& state;
  PlacementState& placement;

  void operator()(const PlaceProposed& e) const { placement.last_proposed_from = e.from; }

  void operator()(const PlacementWaitlisted& e) const {
    placement.status = PlacementStatus::waitlisted;
    placement.waiting_sequence = e.sequence;
    state.next_waiting_sequence = std::max(state.next_waiting_sequence, e.sequence + 1);
    if (OfferState* offer = offer_of(state, e.offer_id)) {
      remove_waiting(*offer, e.placement_id);
      insert_waiting(*offer, WaitingEntry{placement.requested_at, e.sequence, e.placement_id});
    }
  }

  void operator()(const PlacementReserved& e) const {
    placement.status = PlacementStatus::reserved;
    placement.hold_from = e.from;
    placement.hold_expires_at = e.hold_expires_at;
  }

  void operator()(const PlaceAllocated& e) const {
    leave_waiting_list(state, placement);
    placement.status = PlacementStatus::reserved;
    placement.hold_from = e.from;
    placement.hold_expires_at = e.hold_expires_at;
    placement.allocation_reason = e.reason;
  }

  void operator()(const PlacementAdmitted& e) const {
    placement.status = PlacementStatus::admitted;
    placement.admitted_on = e.on;
    placement.hold_from = e.on;
    placement.hold_expires_at.reset();
  }

  void operator()(const PlacementTransferred& e) const {
    const Date stay_start = placement.hold_from.value_or(e.on);
    if (stay_start < e.on) placement.previous_stays.push_back(Stay{e.from_offer_id, DateRange{stay_start, e.on}});
    placement.offer_id = e.to_offer_id;
    placement.hold_from = e.on;
  }

  void operator()(const PlacementDischarged& e) const {
    placement.status = PlacementStatus::discharged;
    placement.discharged_on = e.on;
  }

  void operator()(const PlacementWithdrawn& e) const {
    leave_waiting_list(state, placement);
    placement.status = PlacementStatus::withdrawn;
    placement.end_reason = e.reason;
    placement.hold_expires_at.reset();
  }

  void operator()(const PlacementRejected& e) const {
    leave_waiting_list(state, placement);
    placement.status = PlacementStatus::rejected;
    placement.end_reason = e.reason;
  }

  void operator()(const ReservationExpired&) const {
    placement.status = PlacementStatus::reservation_expired;
    placement.hold_expires_at.reset();
  }
};

// From an event apply may take from (an rvalue), the citizen's strings and the offer id are moved
// into the state, not copied: a replay creates hundreds of thousands of placements.
template <class Requested> PlacementState requested_placement(Requested&& e) {
  PlacementState placement;
  placement.id = e.placement_id;  // also the map's key
  placement.citizen = std::forward<Requested>(e).citizen;
  placement.age_at_start = e.age_at_start;
  placement.paying_municipality = e.paying_municipality;
  placement.offer_id = std::forward<Requested>(e).offer_id;
  placement.level = e.level;
  placement.target_group = e.target_group;
  placement.requested_start = e.requested_start;
  placement.requested_at = e.requested_at;
  placement.status = PlacementStatus::requested;
  return placement;
}

}  // namespace

// Events that leave an active placement active in the same offer, with the same stays: the
// offers' indexes cannot change, and replay meets these most often.
template <class E>
constexpr bool keeps_active_placement_indexed =
    std::is_same_v<E, PlacementWaitlisted> || std::is_same_v<E, PlacementReserved> ||
    std::is_same_v<E, PlaceAllocated> || std::is_same_v<E, PlacementAdmitted> || std::is_same_v<E, PlaceProposed>;

// The placements map is looked up once per event: in a replay its nodes are mostly cold, so
// every further look-up of the same id was a walk down the tree again.
template <class EventRef> void apply_event(State& state, EventRef&& event) {
  std::visit(
      [&state](auto&& e) {
        using E = std::remove_cvref_t<decltype(e)>;
        if constexpr (is_planning_event<E>) {
          PlanningApplier{state.planning}(e);
        } else if constexpr (!requires { e.placement_id; }) {
          Applier{state}(e);
        } else if constexpr (std::is_same_v<E, PlacementRequested>) {
          auto [it, created] = state.placements.try_emplace(e.placement_id);
          const OfferIndexEntries before = created ? OfferIndexEntries{} : offer_index_entries(it->second);
          it->second = requested_placement(std::forward<decltype(e)>(e));
          reindex_placement(state, it->second, before);
        } else {
          auto it = state.placements.find(e.placement_id);
          if (it == state.placements.end()) return;
          PlacementState& placement = it->second;
          if constexpr (keeps_active_placement_indexed<E>) {
            if (std::is_same_v<E, PlaceProposed> || is_active(placement.status)) {
              return PlacementApplier{state, placement}(e);
            }
          }
          // The offers' indexes follow the placement (offer_index.h): what it held before, then now.
          const OfferIndexEntries before = offer_index_entries(placement);
          PlacementApplier{state, placement}(e);
          reindex_placement(state, placement, before);
        }
      },
      std::forward<EventRef>(event));
}

void apply(State& state, const Event& event) { apply_event(state, event); }

void apply(State& state, Event&& event) { apply_event(state, std::move(event)); }

State replay(std::span<const Event> events) {
  State state;
  for (const Event& event : events) apply(state, event);
  return state;
}

}  // namespace placement::domain

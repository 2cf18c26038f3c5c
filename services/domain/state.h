#pragma once
// The domain state: everything decide() needs, built only by apply()ing events in log order.
// Ordered containers throughout, so iteration (and therefore decide's output) is deterministic.

#include <boost/container/flat_set.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "services/base/result.h"
#include "services/domain/citizen.h"
#include "services/domain/dates.h"
#include "services/domain/planning_inputs.h"
#include "services/domain/rate.h"
#include "services/domain/timeline.h"
#include "services/domain/vocabulary.h"

namespace placement::domain {

// A region exists over [established_from, ceased_from); a region of the first reference data has
// no establishment date (it exists on every date before it ceases). organisation.h reads these.
struct Region {
  std::int32_t code = 0;
  std::string name;
  std::optional<Date> established_from;
  std::optional<Date> ceased_from;
  std::int32_t successor_code = 0;  // takes over its catchments from ceased_from (0: none)
  friend bool operator==(const Region&, const Region&) = default;
};

struct Municipality {
  std::int32_t code = 0;
  std::string name;
  std::int32_t region_code = 0;  // the region it was registered in
  std::int64_t objective_weight = 0;
  EffectiveTimeline<std::int32_t> region_changes;  // later regions, each from its date
  friend bool operator==(const Municipality&, const Municipality&) = default;
};

struct WaitingEntry {
  Instant requested_at;
  std::uint64_t sequence = 0;
  std::string placement_id;
  friend bool operator==(const WaitingEntry&, const WaitingEntry&) = default;
};

struct OfferState {
  std::string id;
  std::string name;
  std::int32_t operator_code = 0;  // the operator it was registered with (later ones: operator_changes)
  SpecialisationLevel level{};
  std::vector<TargetGroup> target_groups;  // sorted, unique
  ServiceType service_type{};
  std::string paragraph_of_law;
  Catchment catchment;
  Financing financing;
  EffectiveTimeline<std::int32_t> operator_changes;  // later operators, each from its date
  EffectiveTimeline<std::int32_t> capacity;          // open places; 0 before the first entry
  EffectiveTimeline<Rate> rates;
  std::optional<Date> closed_from;         // once set, the offer takes no new placements
  std::vector<WaitingEntry> waiting_list;  // ordered by (requested_at, sequence)
  // Placements to look at when counting places (offer_index.h; apply keeps them). Sorted vectors,
  // not trees: an offer holds tens to hundreds of each, and a replay changes them for most events,
  // where a tree's nodes, each its own allocation, are mostly cold (a cache miss per level).
  boost::container::flat_set<std::string, std::less<>> active_ids;  // requested, waitlisted, reserved or admitted here
  boost::container::flat_set<std::pair<Date, std::string>> ended_stays;  // (end, placement) of stays here that ended

  bool serves(TargetGroup group) const;
  friend bool operator==(const OfferState&, const OfferState&) = default;
};

enum class PlacementStatus : std::uint8_t {
  requested = 1,
  waitlisted = 2,
  reserved = 3,
  admitted = 4,
  discharged = 5,
  rejected = 6,
  withdrawn = 7,
  reservation_expired = 8,
};

// requested, waitlisted, reserved and admitted placements are active (at most one per citizen and offer).
bool is_active(PlacementStatus status);
std::string_view to_string(PlacementStatus status);  // "REQUESTED", …
// Danish term for messages, e.g. "reserveret".
std::string_view danish_term(PlacementStatus status);

// A closed stay in an offer the placement was transferred out of.
struct Stay {
  std::string offer_id;
  DateRange range;
  friend bool operator==(const Stay&, const Stay&) = default;
};

struct PlacementState {
  std::string id;
  CitizenRef citizen;
  std::int32_t age_at_start = 0;
  std::int32_t paying_municipality = 0;
  std::string offer_id;  // the current offer
  SpecialisationLevel level{};
  TargetGroup target_group{};
  Date requested_start;
  Instant requested_at;
  PlacementStatus status = PlacementStatus::requested;
  std::optional<std::uint64_t> waiting_sequence;
  // Reserved: the first reserved day. Admitted or discharged: the first day of the current stay
  // (the admission date, or the transfer date after a transfer).
  std::optional<Date> hold_from;
  std::optional<Instant> hold_expires_at;  // while reserved
  std::optional<Date> admitted_on;
  std::optional<Date> discharged_on;
  std::optional<Date> last_proposed_from;  // the latest PlaceProposed for this placement
  std::vector<Stay> previous_stays;        // stays ended by transfers, oldest first
  std::string allocation_reason;           // when allocated out of turn
  std::string end_reason;                  // when withdrawn or rejected

  friend bool operator==(const PlacementState&, const PlacementState&) = default;
};

struct State {
  std::map<std::int32_t, Region> regions;
  std::map<std::int32_t, Municipality> municipalities;
  std::map<std::string, OfferState, std::less<>> offers;
  std::map<std::string, PlacementState, std::less<>> placements;
  std::uint64_t next_waiting_sequence = 1;
  PlanningInputs planning = default_planning_inputs();

  friend bool operator==(const State&, const State&) = default;
};

const OfferState* find_offer(const State& state, std::string_view offer_id);
const PlacementState* find_placement(const State& state, std::string_view placement_id);
// The one answer for a placement id the caller may not see, whether it is unknown or another
// municipality's: the same code and message, so the answer reveals nothing about its existence.
Error no_such_placement(std::string_view placement_id);
// The region of an operator in the structure as first registered: itself for a region, the region
// a municipality was registered in; 0 if unknown. Views that have a date use organisation.h.
std::int32_t region_of_operator(const State& state, std::int32_t operator_code);
bool is_known_operator(const State& state, std::int32_t operator_code);

// Open places on a date: the capacity in force, 0 before the first entry and from the closing date.
std::int32_t open_places_on(const OfferState& offer, Date date);
const Rate* rate_on(const OfferState& offer, Date date);

// The objective-key weight of a municipality: the override key of `inputs` if one is set, else the
// municipality's own weight in the State.
std::int64_t objective_weight(const State& state, const PlanningInputs& inputs, std::int32_t municipality);

}  // namespace placement::domain

#pragma once
// Events: facts decide() recorded. apply() folds them into State; replaying a log of events in
// order rebuilds the state exactly. Event fields are the whole fact: apply reads nothing else
// (actor, command id and recorded-at travel in storage's envelope). Citizen-identifying fields are
// only ever inside a CitizenRef.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "services/domain/citizen.h"
#include "services/domain/dates.h"
#include "services/domain/organisation_events.h"
#include "services/domain/planning_inputs.h"
#include "services/domain/rate.h"
#include "services/domain/vocabulary.h"

namespace placement::domain {

// ---- stream "reference" ----
struct RegionRegistered {
  static constexpr std::string_view kTypeName = "RegionRegistered";
  std::int32_t code = 0;
  std::string name;
  friend bool operator==(const RegionRegistered&, const RegionRegistered&) = default;
};

struct MunicipalityRegistered {
  static constexpr std::string_view kTypeName = "MunicipalityRegistered";
  std::int32_t code = 0;
  std::string name;
  std::int32_t region_code = 0;
  std::int64_t objective_weight = 0;
  std::uint32_t objective_key_share_bp = 0;  // recorded with the reference data; not in the State
  friend bool operator==(const MunicipalityRegistered&, const MunicipalityRegistered&) = default;
};

struct ObjectiveWeightChanged {
  static constexpr std::string_view kTypeName = "ObjectiveWeightChanged";
  std::int32_t municipality_code = 0;
  std::int64_t weight = 0;
  friend bool operator==(const ObjectiveWeightChanged&, const ObjectiveWeightChanged&) = default;
};

// ---- stream "offer-<offer_id>" ----
struct OfferRegistered {
  static constexpr std::string_view kTypeName = "OfferRegistered";
  std::string offer_id;
  std::string name;
  std::int32_t operator_code = 0;
  SpecialisationLevel level{};
  std::vector<TargetGroup> target_groups;  // sorted, unique
  ServiceType service_type{};
  std::string paragraph_of_law;
  Catchment catchment;
  Financing financing;
  friend bool operator==(const OfferRegistered&, const OfferRegistered&) = default;
};

struct CapacityChanged {
  static constexpr std::string_view kTypeName = "CapacityChanged";
  std::string offer_id;
  Date effective_from;
  std::int32_t places = 0;
  friend bool operator==(const CapacityChanged&, const CapacityChanged&) = default;
};

struct RateSet {
  static constexpr std::string_view kTypeName = "RateSet";
  std::string offer_id;
  Date effective_from;
  Rate rate;  // with its basis when computed from one
  friend bool operator==(const RateSet&, const RateSet&) = default;
};

struct OfferClosed {
  static constexpr std::string_view kTypeName = "OfferClosed";
  std::string offer_id;
  Date from;
  friend bool operator==(const OfferClosed&, const OfferClosed&) = default;
};

// A place is free from `from` on and is offered to this waiting placement first. Informational:
// it holds nothing; the operator then allocates (AllocatePlace).
struct PlaceProposed {
  static constexpr std::string_view kTypeName = "PlaceProposed";
  std::string offer_id;
  std::string placement_id;
  Date from;
  friend bool operator==(const PlaceProposed&, const PlaceProposed&) = default;
};

// ---- stream "placement-<placement_id>" ----
struct PlacementRequested {
  static constexpr std::string_view kTypeName = "PlacementRequested";
  std::string placement_id;
  CitizenRef citizen;
  std::int32_t age_at_start = 0;
  std::int32_t paying_municipality = 0;
  std::string offer_id;
  SpecialisationLevel level{};
  TargetGroup target_group{};
  Date requested_start;
  Instant requested_at;  // orders the waiting list
  friend bool operator==(const PlacementRequested&, const PlacementRequested&) = default;
};

struct PlacementWaitlisted {
  static constexpr std::string_view kTypeName = "PlacementWaitlisted";
  std::string placement_id;
  std::string offer_id;
  std::uint64_t sequence = 0;  // breaks ties between equal request times; increases across the log
  friend bool operator==(const PlacementWaitlisted&, const PlacementWaitlisted&) = default;
};

struct PlacementReserved {
  static constexpr std::string_view kTypeName = "PlacementReserved";
  std::string placement_id;
  std::string offer_id;
  Date from;
  Instant hold_expires_at;
  friend bool operator==(const PlacementReserved&, const PlacementReserved&) = default;
};

struct PlaceAllocated {
  static constexpr std::string_view kTypeName = "PlaceAllocated";
  std::string placement_id;
  std::string offer_id;
  Date from;
  Instant hold_expires_at;
  std::string passed_over_placement_id;  // the head of the waiting list when allocated out of turn, else empty
  std::string reason;                    // required when out of turn
  friend bool operator==(const PlaceAllocated&, const PlaceAllocated&) = default;
};

struct PlacementAdmitted {
  static constexpr std::string_view kTypeName = "PlacementAdmitted";
  std::string placement_id;
  std::string offer_id;
  Date on;
  friend bool operator==(const PlacementAdmitted&, const PlacementAdmitted&) = default;
};

struct PlacementTransferred {
  static constexpr std::string_view kTypeName = "PlacementTransferred";
  std::string placement_id;
  std::string from_offer_id;
  std::string to_offer_id;
  Date on;
  friend bool operator==(const PlacementTransferred&, const PlacementTransferred&) = default;
};

struct PlacementDischarged {
  static constexpr std::string_view kTypeName = "PlacementDischarged";
  std::string placement_id;
  std::string offer_id;
  Date on;
  friend bool operator==(const PlacementDischarged&, const PlacementDischarged&) = default;
};

struct PlacementWithdrawn {
  static constexpr std::string_view kTypeName = "PlacementWithdrawn";
  std::string placement_id;
  std::string offer_id;
  std::string reason;
  friend bool operator==(const PlacementWithdrawn&, const PlacementWithdrawn&) = default;
};

struct PlacementRejected {
  static constexpr std::string_view kTypeName = "PlacementRejected";
  std::string placement_id;
  std::string offer_id;
  std::string reason;
  friend bool operator==(const PlacementRejected&, const PlacementRejected&) = default;
};

struct ReservationExpired {
  static constexpr std::string_view kTypeName = "ReservationExpired";
  std::string placement_id;
  std::string offer_id;
  Instant hold_expired_at;
  friend bool operator==(const ReservationExpired&, const ReservationExpired&) = default;
};

// ---- stream "planning": the planners' own inputs ----
// Replaces the objective key. An empty `weights` restores the default key (the municipalities' weights).
struct ObjectiveKeySet {
  static constexpr std::string_view kTypeName = "ObjectiveKeySet";
  std::map<std::int32_t, std::int64_t> weights;  // municipality code -> weight >= 0
  friend bool operator==(const ObjectiveKeySet&, const ObjectiveKeySet&) = default;
};

struct BlockGrantSet {
  static constexpr std::string_view kTypeName = "BlockGrantSet";
  std::int32_t region_code = 0;
  int year = 0;
  Ore amount{0};
  friend bool operator==(const BlockGrantSet&, const BlockGrantSet&) = default;
};

// Replaces the tiers of one year (and of later years without their own).
struct RefundTiersSet {
  static constexpr std::string_view kTypeName = "RefundTiersSet";
  int year = 0;
  std::vector<RefundTier> tiers;  // thresholds strictly increasing, percents 0..10000
  int price_level = 0;            // recorded since the price level was; 0 (older events): `year`
  friend bool operator==(const RefundTiersSet&, const RefundTiersSet&) = default;
};

// Replaces the income recorded against a placement for a month.
struct IncomeRecorded {
  static constexpr std::string_view kTypeName = "IncomeRecorded";
  std::string placement_id;
  YearMonth month;
  MonthIncome income;
  friend bool operator==(const IncomeRecorded&, const IncomeRecorded&) = default;
};

// Replaces the case costs recorded against a placement for a month.
struct CaseCostsRecorded {
  static constexpr std::string_view kTypeName = "CaseCostsRecorded";
  std::string placement_id;
  YearMonth month;
  CaseCosts costs;
  friend bool operator==(const CaseCostsRecorded&, const CaseCostsRecorded&) = default;
};

// ---- stream "erasures" ----
// A citizen was erased: their key was destroyed, so their events can no longer be linked to a
// person. Only the opaque id and the reason: the record of an erasure holds no personal data.
// Changes nothing in the state (the ids stay, so every view is the same before and after).
struct CitizenErased {
  static constexpr std::string_view kTypeName = "CitizenErased";
  std::string citizen_id;
  std::string reason;
  friend bool operator==(const CitizenErased&, const CitizenErased&) = default;
};

using Event =
    std::variant<RegionRegistered, MunicipalityRegistered, ObjectiveWeightChanged, OfferRegistered, CapacityChanged,
                 RateSet, OfferClosed, PlaceProposed, PlacementRequested, PlacementWaitlisted, PlacementReserved,
                 PlaceAllocated, PlacementAdmitted, PlacementTransferred, PlacementDischarged, PlacementWithdrawn,
                 PlacementRejected, ReservationExpired, CitizenErased, ObjectiveKeySet, BlockGrantSet, RefundTiersSet,
                 IncomeRecorded, CaseCostsRecorded, RegionEstablished, RegionCeased, MunicipalityRegionChanged,
                 OfferOperatorChanged>;

// The planning events: folded into State::planning, never into offers or placements (IncomeRecorded
// and CaseCostsRecorded name a placement but change nothing of it).
template <class E>
inline constexpr bool is_planning_event =
    std::is_same_v<E, ObjectiveKeySet> || std::is_same_v<E, BlockGrantSet> || std::is_same_v<E, RefundTiersSet> ||
    std::is_same_v<E, IncomeRecorded> || std::is_same_v<E, CaseCostsRecorded>;

inline constexpr std::string_view kReferenceStream = "reference";
inline constexpr std::string_view kErasureStream = "erasures";
inline constexpr std::string_view kPlanningStream = "planning";

// The stream storage appends the event to: "reference", "offer-<id>", "placement-<id>", "planning"
// or "erasures".
std::string stream_of(const Event& event);

// Stable type name for the envelope: the event type's kTypeName, e.g. "OfferRegistered". Never
// changes once released (logs are read by it).
std::string_view event_type_name(const Event& event);

std::string offer_stream(std::string_view offer_id);
std::string placement_stream(std::string_view placement_id);

}  // namespace placement::domain

#pragma once
// Events: facts decide() recorded. apply() folds them into State; replaying a log of events in
// order rebuilds the state exactly. Event fields are the whole fact: apply reads nothing else
// (actor, command id and recorded-at travel in storage's envelope). Citizen-identifying fields are
// only ever inside a CitizenRef.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "services/domain/citizen.h"
#include "services/domain/dates.h"
#include "services/domain/rate.h"
#include "services/domain/vocabulary.h"

namespace placement::domain {

// ---- stream "reference" ----
struct RegionRegistered {
  std::int32_t code = 0;
  std::string name;
  friend bool operator==(const RegionRegistered&, const RegionRegistered&) = default;
};

struct MunicipalityRegistered {
  std::int32_t code = 0;
  std::string name;
  std::int32_t region_code = 0;
  std::int64_t objective_weight = 0;
  friend bool operator==(const MunicipalityRegistered&, const MunicipalityRegistered&) = default;
};

struct ObjectiveWeightChanged {
  std::int32_t municipality_code = 0;
  std::int64_t weight = 0;
  friend bool operator==(const ObjectiveWeightChanged&, const ObjectiveWeightChanged&) = default;
};

// ---- stream "offer-<offer_id>" ----
struct OfferRegistered {
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
  std::string offer_id;
  Date effective_from;
  std::int32_t places = 0;
  friend bool operator==(const CapacityChanged&, const CapacityChanged&) = default;
};

struct RateSet {
  std::string offer_id;
  Date effective_from;
  Rate rate;  // with its basis when computed from one
  friend bool operator==(const RateSet&, const RateSet&) = default;
};

struct OfferClosed {
  std::string offer_id;
  Date from;
  friend bool operator==(const OfferClosed&, const OfferClosed&) = default;
};

// A place is free from `from` on and is offered to this waiting placement first. Informational:
// it holds nothing; the operator then allocates (AllocatePlace).
struct PlaceProposed {
  std::string offer_id;
  std::string placement_id;
  Date from;
  friend bool operator==(const PlaceProposed&, const PlaceProposed&) = default;
};

// ---- stream "placement-<placement_id>" ----
struct PlacementRequested {
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
  std::string placement_id;
  std::string offer_id;
  std::uint64_t sequence = 0;  // breaks ties between equal request times; increases across the log
  friend bool operator==(const PlacementWaitlisted&, const PlacementWaitlisted&) = default;
};

struct PlacementReserved {
  std::string placement_id;
  std::string offer_id;
  Date from;
  Instant hold_expires_at;
  friend bool operator==(const PlacementReserved&, const PlacementReserved&) = default;
};

struct PlaceAllocated {
  std::string placement_id;
  std::string offer_id;
  Date from;
  Instant hold_expires_at;
  std::string passed_over_placement_id;  // the head of the waiting list when allocated out of turn, else empty
  std::string reason;                    // required when out of turn
  friend bool operator==(const PlaceAllocated&, const PlaceAllocated&) = default;
};

struct PlacementAdmitted {
  std::string placement_id;
  std::string offer_id;
  Date on;
  friend bool operator==(const PlacementAdmitted&, const PlacementAdmitted&) = default;
};

struct PlacementTransferred {
  std::string placement_id;
  std::string from_offer_id;
  std::string to_offer_id;
  Date on;
  friend bool operator==(const PlacementTransferred&, const PlacementTransferred&) = default;
};

struct PlacementDischarged {
  std::string placement_id;
  std::string offer_id;
  Date on;
  friend bool operator==(const PlacementDischarged&, const PlacementDischarged&) = default;
};

struct PlacementWithdrawn {
  std::string placement_id;
  std::string offer_id;
  std::string reason;
  friend bool operator==(const PlacementWithdrawn&, const PlacementWithdrawn&) = default;
};

struct PlacementRejected {
  std::string placement_id;
  std::string offer_id;
  std::string reason;
  friend bool operator==(const PlacementRejected&, const PlacementRejected&) = default;
};

struct ReservationExpired {
  std::string placement_id;
  std::string offer_id;
  Instant hold_expired_at;
  friend bool operator==(const ReservationExpired&, const ReservationExpired&) = default;
};

// ---- stream "erasures" ----
// A citizen was erased: their key was destroyed, so their events can no longer be linked to a
// person. Only the opaque id and the reason: the record of an erasure holds no personal data.
// Changes nothing in the state (the ids stay, so every view is the same before and after).
struct CitizenErased {
  std::string citizen_id;
  std::string reason;
  friend bool operator==(const CitizenErased&, const CitizenErased&) = default;
};

using Event = std::variant<RegionRegistered, MunicipalityRegistered, ObjectiveWeightChanged, OfferRegistered,
                           CapacityChanged, RateSet, OfferClosed, PlaceProposed, PlacementRequested,
                           PlacementWaitlisted, PlacementReserved, PlaceAllocated, PlacementAdmitted,
                           PlacementTransferred, PlacementDischarged, PlacementWithdrawn, PlacementRejected,
                           ReservationExpired, CitizenErased>;

inline constexpr std::string_view kReferenceStream = "reference";
inline constexpr std::string_view kErasureStream = "erasures";

// The stream storage appends the event to: "reference", "offer-<id>", "placement-<id>" or "erasures".
std::string stream_of(const Event& event);

// Stable type name for the envelope, e.g. "OfferRegistered". Never changes once released.
std::string_view event_type_name(const Event& event);

std::string offer_stream(std::string_view offer_id);
std::string placement_stream(std::string_view placement_id);

}  // namespace placement::domain

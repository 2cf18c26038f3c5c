#pragma once
// Commands: what a user asks for. decide() validates a command against the state and either
// refuses it or returns the events that record it. Every command carries its actor, a command id
// (idempotency is storage's concern), the instant `now` and the calendar date `today` (Europe/
// Copenhagen), both from the server's clock: the domain never reads a clock.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "services/base/types.h"
#include "services/domain/citizen.h"
#include "services/domain/dates.h"
#include "services/domain/rate.h"
#include "services/domain/vocabulary.h"

namespace placement::domain {

// ---- reference data (stream "reference") ----
struct RegisterRegion {
  std::int32_t code = 0;  // 1081..1085
  std::string name;
};

struct RegisterMunicipality {
  std::int32_t code = 0;  // official code, 1..999
  std::string name;
  std::int32_t region_code = 0;
  std::int64_t objective_weight = 0;  // objective-key weight, e.g. kmf_2019_tkr; >= 0
};

struct SetObjectiveWeight {
  std::int32_t municipality_code = 0;
  std::int64_t weight = 0;
};

// ---- offers (stream "offer-<id>") ----
struct RegisterOffer {
  std::string offer_id;
  std::string name;
  std::int32_t operator_code = 0;  // a region (1081..1085) or a municipality code
  SpecialisationLevel level{};
  std::vector<TargetGroup> target_groups;  // at least one; duplicates are dropped
  ServiceType service_type{};
  std::string paragraph_of_law;  // free text, e.g. "SEL § 108"
  Catchment catchment;
  Financing financing;
};

// Open places from effective_from until the next later capacity change.
struct ChangeCapacity {
  std::string offer_id;
  Date effective_from;
  std::int32_t places = 0;
};

// Exactly one of daily_rate and basis. BASIS offers need daily_copayment_rate; OBJEKTIV offers may
// give daily_vacancy_rate (defaults to the daily rate); other models give neither.
struct SetRate {
  std::string offer_id;
  Date effective_from;
  std::optional<Ore> daily_rate;
  std::optional<RateBasis> basis;
  std::optional<Ore> daily_copayment_rate;
  std::optional<Ore> daily_vacancy_rate;
};

// No new placements from now on; open places are 0 from `from`. Refused while placements hold
// places on or after `from`; requests and waiting-list entries of the offer are rejected.
struct CloseOffer {
  std::string offer_id;
  Date from;
};

// ---- placements (stream "placement-<id>") ----
// Exactly one of birth_date and age_at_start. Only the age at the requested start is kept.
struct RequestPlacement {
  std::string placement_id;
  CitizenRef citizen;
  std::optional<Date> birth_date;
  std::optional<std::int32_t> age_at_start;
  std::int32_t paying_municipality = 0;
  std::string offer_id;
  SpecialisationLevel level{};  // from the referral decision (visitation); must match the offer
  TargetGroup target_group{};
  Date requested_start;
  bool join_waiting_list_if_full = false;
};

// Holds a place from `from` until admitted; the hold lapses at now + hold_period (server config).
struct ReservePlace {
  std::string placement_id;
  Date from;
  std::chrono::seconds hold_period{0};
  bool join_waiting_list_if_full = false;
};

// The operator gives a place to a waiting citizen. Out of turn (not the head of the waiting list)
// only with a reason, which is recorded.
struct AllocatePlace {
  std::string placement_id;
  Date from;
  std::chrono::seconds hold_period{0};
  std::string reason;
};

struct AdmitPlacement {
  std::string placement_id;
  Date on;
};

// Ends the stay in the current offer on `on` (exclusive) and starts one in to_offer_id on `on`.
struct TransferPlacement {
  std::string placement_id;
  std::string to_offer_id;
  Date on;
};

// Half-open: admitted on A and discharged on D occupies A … D−1. D >= A.
struct DischargePlacement {
  std::string placement_id;
  Date on;
};

struct WithdrawPlacement {
  std::string placement_id;
  std::string reason;  // optional
};

// The operator declines a request or a waiting-list entry; the reason is required.
struct RejectPlacement {
  std::string placement_id;
  std::string reason;
};

// Issued by the server once the hold period has passed; refused if `now` is before the expiry.
struct ExpireReservation {
  std::string placement_id;
};

// ---- citizens (stream "erasures") ----
// Records that the server destroyed a citizen's key (services/privacy/citizen_keys.h). Refused
// while the citizen has an active placement: an ongoing case must stay findable by its caseworker.
struct EraseCitizen {
  std::string citizen_id;
  std::string reason;  // required: retention expired, or the lawful request it answers
};

using CommandBody =
    std::variant<RegisterRegion, RegisterMunicipality, SetObjectiveWeight, RegisterOffer, ChangeCapacity, SetRate,
                 CloseOffer, RequestPlacement, ReservePlace, AllocatePlace, AdmitPlacement, TransferPlacement,
                 DischargePlacement, WithdrawPlacement, RejectPlacement, ExpireReservation, EraseCitizen>;

struct Command {
  Actor actor;
  std::string command_id;
  Instant now;
  Date today;
  CommandBody body;
};

}  // namespace placement::domain

namespace placement::domain {

// Stable name of a command's type, e.g. "RequestPlacement", for logs and metrics.
std::string_view command_type_name(const CommandBody& body);

}  // namespace placement::domain

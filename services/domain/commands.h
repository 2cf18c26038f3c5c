#pragma once
// Commands: what a user asks for. decide() validates a command against the state and either
// refuses it or returns the events that record it. Every command carries its actor, a command id
// (idempotency is storage's concern), the instant `now` and the calendar date `today` (Europe/
// Copenhagen), both from the server's clock: the domain never reads a clock.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "services/base/types.h"
#include "services/domain/citizen.h"
#include "services/domain/dates.h"
#include "services/domain/organisation_commands.h"
#include "services/domain/planning_inputs.h"
#include "services/domain/rate.h"
#include "services/domain/vocabulary.h"

namespace placement::domain {

// ---- reference data (stream "reference") ----
struct RegisterRegion {
  static constexpr std::string_view kTypeName = "RegisterRegion";
  std::int32_t code = 0;  // 1081..1085
  std::string name;
};

struct RegisterMunicipality {
  static constexpr std::string_view kTypeName = "RegisterMunicipality";
  std::int32_t code = 0;  // official code, 1..999
  std::string name;
  std::int32_t region_code = 0;
  std::int64_t objective_weight = 0;  // objective-key weight, e.g. kmf_2019_tkr; >= 0
  std::uint32_t objective_key_share_bp =
      0;  // the published share (hundredths of a percent); recorded, no rule reads it
};

struct SetObjectiveWeight {
  static constexpr std::string_view kTypeName = "SetObjectiveWeight";
  std::int32_t municipality_code = 0;
  std::int64_t weight = 0;
};

// The reference data of a first start, as one command: every region, then every municipality, each
// checked as RegisterRegion / RegisterMunicipality would be. Refused (already_exists) once any
// region is registered, so loading it twice writes nothing.
struct LoadReferenceData {
  static constexpr std::string_view kTypeName = "LoadReferenceData";
  std::vector<RegisterRegion> regions;
  std::vector<RegisterMunicipality> municipalities;
};

// ---- planning inputs (stream "planning") ----
// Replaces the objective key. An empty `weights` restores the default key (the municipalities' weights).
struct SetObjectiveKey {
  static constexpr std::string_view kTypeName = "SetObjectiveKey";
  std::map<std::int32_t, std::int64_t> weights;  // municipality code -> weight >= 0
};

struct SetBlockGrant {
  static constexpr std::string_view kTypeName = "SetBlockGrant";
  std::int32_t region_code = 0;
  int year = 0;
  Ore amount{0};
};

// Replaces the refund thresholds of one budget year (and of later years without their own), e.g. a
// year's amounts as the ministry publishes them.
struct SetRefundTiers {
  static constexpr std::string_view kTypeName = "SetRefundTiers";
  int year = 0;
  std::vector<RefundTier> tiers;  // thresholds strictly increasing, percents 0..10000
  int price_level = 0;            // the year whose price level the amounts are at, <= year; 0: `year`
};

// Replaces the income recorded against a placement for a month.
struct RecordIncome {
  static constexpr std::string_view kTypeName = "RecordIncome";
  std::string placement_id;
  YearMonth month;
  MonthIncome income;
};

// Replaces the case costs recorded against a placement for a month (case_costs.h): other costs of
// the case in the month and a one-off expense paid in it, both counted for the state refund.
struct RecordCaseCosts {
  static constexpr std::string_view kTypeName = "RecordCaseCosts";
  std::string placement_id;
  YearMonth month;
  CaseCosts costs;  // each >= 0
};

// ---- offers (stream "offer-<id>") ----
struct RegisterOffer {
  static constexpr std::string_view kTypeName = "RegisterOffer";
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
  static constexpr std::string_view kTypeName = "ChangeCapacity";
  std::string offer_id;
  Date effective_from;
  std::int32_t places = 0;
};

// Exactly one of daily_rate and basis. BASIS offers need daily_copayment_rate; OBJEKTIV offers may
// give daily_vacancy_rate (defaults to the daily rate); other models give neither.
struct SetRate {
  static constexpr std::string_view kTypeName = "SetRate";
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
  static constexpr std::string_view kTypeName = "CloseOffer";
  std::string offer_id;
  Date from;
};

// ---- placements (stream "placement-<id>") ----
// Exactly one of birth_date and age_at_start. Only the age at the requested start is kept.
struct RequestPlacement {
  static constexpr std::string_view kTypeName = "RequestPlacement";
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
  static constexpr std::string_view kTypeName = "ReservePlace";
  std::string placement_id;
  Date from;
  std::chrono::seconds hold_period{0};
  bool join_waiting_list_if_full = false;
};

// The operator gives a place to a waiting citizen. Out of turn (not the head of the waiting list)
// only with a reason, which is recorded.
struct AllocatePlace {
  static constexpr std::string_view kTypeName = "AllocatePlace";
  std::string placement_id;
  Date from;
  std::chrono::seconds hold_period{0};
  std::string reason;
};

struct AdmitPlacement {
  static constexpr std::string_view kTypeName = "AdmitPlacement";
  std::string placement_id;
  Date on;
};

// Ends the stay in the current offer on `on` (exclusive) and starts one in to_offer_id on `on`.
struct TransferPlacement {
  static constexpr std::string_view kTypeName = "TransferPlacement";
  std::string placement_id;
  std::string to_offer_id;
  Date on;
};

// Half-open: admitted on A and discharged on D occupies A … D−1. D >= A.
struct DischargePlacement {
  static constexpr std::string_view kTypeName = "DischargePlacement";
  std::string placement_id;
  Date on;
};

struct WithdrawPlacement {
  static constexpr std::string_view kTypeName = "WithdrawPlacement";
  std::string placement_id;
  std::string reason;  // optional
};

// The operator declines a request or a waiting-list entry; the reason is required.
struct RejectPlacement {
  static constexpr std::string_view kTypeName = "RejectPlacement";
  std::string placement_id;
  std::string reason;
};

// Issued by the server once the hold period has passed; refused if `now` is before the expiry.
struct ExpireReservation {
  static constexpr std::string_view kTypeName = "ExpireReservation";
  std::string placement_id;
};

// ---- citizens (stream "erasures") ----
// Records that the server destroyed a citizen's key (services/privacy/citizen_keys.h). Refused
// while the citizen has an active placement: an ongoing case must stay findable by its caseworker.
struct EraseCitizen {
  static constexpr std::string_view kTypeName = "EraseCitizen";
  std::string citizen_id;
  std::string reason;  // required: retention expired, or the lawful request it answers
};

using CommandBody =
    std::variant<RegisterRegion, RegisterMunicipality, LoadReferenceData, SetObjectiveWeight, SetObjectiveKey,
                 SetBlockGrant, SetRefundTiers, RecordIncome, RegisterOffer, ChangeCapacity, SetRate, CloseOffer,
                 RequestPlacement, ReservePlace, AllocatePlace, AdmitPlacement, TransferPlacement, DischargePlacement,
                 WithdrawPlacement, RejectPlacement, ExpireReservation, EraseCitizen, RecordCaseCosts, EstablishRegion,
                 CeaseRegion, ChangeMunicipalityRegion, ChangeOfferOperator, MergeRegions>;

struct Command {
  Actor actor;
  std::string command_id;
  Instant now;
  Date today;
  CommandBody body;
};

}  // namespace placement::domain

namespace placement::domain {

// Stable name of a command's type, its kTypeName, e.g. "RequestPlacement", for logs and metrics.
std::string_view command_type_name(const CommandBody& body);

}  // namespace placement::domain

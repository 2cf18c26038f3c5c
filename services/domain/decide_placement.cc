// Placements: request → (waitlisted) → reserved → admitted → (transferred) → discharged;
// or rejected / withdrawn / reservation expired.

#include <algorithm>
#include <optional>

#include "services/domain/cpr.h"
#include "services/domain/decide_support.h"
#include "services/domain/occupancy.h"
#include "services/domain/waiting_list.h"

namespace placement::domain::detail {
namespace {

constexpr std::int32_t kOldestAge = 130;

// The placement as it would be holding a reserved place in `offer` from `from`.
PlacementState as_reserved(PlacementState placement, const std::string& offer_id, Date from) {
  placement.offer_id = offer_id;
  placement.status = PlacementStatus::reserved;
  placement.hold_from = from;
  return placement;
}

// The placement as it would be after leaving its current offer without occupying anything more.
PlacementState as_released(PlacementState placement, PlacementStatus status) {
  placement.status = status;
  return placement;
}

Status require_matching(const OfferState& offer, SpecialisationLevel level, TargetGroup group) {
  if (offer.level != level) {
    return fail(Errc::failed_precondition, describe(offer) + " is specialisation level " +
                                               std::string(to_string(offer.level)) + ", the placement needs " +
                                               std::string(to_string(level)));
  }
  if (!offer.serves(group)) {
    return fail(Errc::failed_precondition, describe(offer) + " does not serve " + describe_group(group));
  }
  return ok();
}

Status require_no_other_active(const State& state, const OfferState& offer, const std::string& citizen_id,
                               const std::string& except_placement_id) {
  for (const std::string& id : offer.active_ids) {
    if (id == except_placement_id) continue;
    const PlacementState* other = find_placement(state, id);
    if (other && other->offer_id == offer.id && is_active(other->status) && other->citizen.citizen_id == citizen_id) {
      return fail(Errc::failed_precondition, "the citizen already has an active placement ('" + other->id + "', " +
                                                 std::string(danish_term(other->status)) + ") in " + describe(offer));
    }
  }
  return ok();
}

Result<std::int32_t> age_at_start(const RequestPlacement& body) {
  if (body.birth_date.has_value() == body.age_at_start.has_value()) {
    return fail(Errc::invalid_argument, "give either the citizen's birth date or the age at the requested start");
  }
  if (body.birth_date) {
    if (*body.birth_date > body.requested_start) {
      return fail(Errc::invalid_argument, "the requested start is before the citizen's birth date");
    }
    return age_on(*body.birth_date, body.requested_start);
  }
  if (*body.age_at_start < 0 || *body.age_at_start > kOldestAge) {
    return fail(Errc::invalid_argument, "age at the requested start must be 0 to 130");
  }
  return *body.age_at_start;
}

Status require_hold_period(std::chrono::seconds hold_period) {
  if (hold_period.count() > 0) return ok();
  return fail(Errc::invalid_argument, "the hold period of a reservation must be positive");
}

Instant hold_expiry(const Command& command, std::chrono::seconds hold_period) {
  return command.now + std::chrono::duration_cast<std::chrono::microseconds>(hold_period);
}

// Why a place cannot be reserved directly from `from`, or nullopt if it can. Freed places go to
// the waiting list first, so nobody reserves directly while others wait.
std::optional<std::string> why_not_reservable(const State& state, const OfferState& offer, Date from,
                                              const PlacementState& hypothetical) {
  if (!offer.waiting_list.empty()) {
    return describe(offer) + " has " + std::to_string(offer.waiting_list.size()) +
           " citizens on its waiting list, who get freed places first; ask to join the waiting list (venteliste)";
  }
  const FreePlaces free = min_free_from(state, offer, from, &hypothetical);
  if (free.places >= 0) return std::nullopt;
  return describe(offer) + " has no vacant place (ingen ledig plads) on " + to_string(free.tightest_date) +
         ", and a place must be free on every day from " + to_string(from) +
         "; ask to join the waiting list (venteliste) instead";
}

PlacementWaitlisted waitlisted(const State& state, const std::string& placement_id, const std::string& offer_id) {
  return PlacementWaitlisted{placement_id, offer_id, state.next_waiting_sequence};
}

Date freed_from(Date date, const Command& command) { return std::max(date, command.today); }

}  // namespace

Result<Events> decide_command(const State& state, const Command& command, const RequestPlacement& body) {
  PLACEMENT_TRY(validate_id("placement", body.placement_id));
  if (find_placement(state, body.placement_id)) {
    return fail(Errc::already_exists, "placement '" + body.placement_id + "' already exists");
  }
  if (is_blank(body.citizen.citizen_id)) return fail(Errc::invalid_argument, "the citizen is missing");
  if (!state.municipalities.contains(body.paying_municipality)) {
    return fail(Errc::invalid_argument, "paying municipality (betalingskommune) " +
                                            std::to_string(body.paying_municipality) + " is not a known municipality");
  }
  if (!is_valid(body.level)) return fail(Errc::invalid_argument, "specialisation level must be LET, MODERAT or HOJT");
  if (!is_valid(body.target_group)) return fail(Errc::invalid_argument, "target group (målgruppe) must be 1 to 6");
  PLACEMENT_TRY(age, age_at_start(body));
  PLACEMENT_TRY(found, require_referenced_offer(state, body.offer_id));
  const OfferState& offer = *found;

  if (is_for_children_only(body.target_group) && age >= kAdultAge) {
    return fail(Errc::failed_precondition, describe_group(body.target_group) +
                                               " is for children and young people under 18; the citizen is " +
                                               std::to_string(age) + " at the requested start");
  }
  PLACEMENT_TRY(require_open(offer));
  PLACEMENT_TRY(require_matching(offer, body.level, body.target_group));
  PLACEMENT_TRY(require_no_other_active(state, offer, body.citizen.citizen_id, body.placement_id));

  PlacementRequested requested{body.placement_id,        body.citizen,         age,
                               body.paying_municipality, body.offer_id,        body.level,
                               body.target_group,        body.requested_start, command.now};
  PlacementState hypothetical;
  hypothetical.id = body.placement_id;
  hypothetical = as_reserved(std::move(hypothetical), offer.id, body.requested_start);
  auto full = why_not_reservable(state, offer, body.requested_start, hypothetical);
  if (!full) return Events{std::move(requested)};
  if (!body.join_waiting_list_if_full) return fail(Errc::failed_precondition, std::move(*full));
  return Events{std::move(requested), waitlisted(state, body.placement_id, body.offer_id)};
}

Result<Events> decide_command(const State& state, const Command& command, const ReservePlace& body) {
  PLACEMENT_TRY(found, require_placement(state, body.placement_id));
  const PlacementState& placement = *found;
  if (placement.status == PlacementStatus::waitlisted) {
    return wrong_status(placement, "reserve a place for", "the operator allocates freed places from the waiting list");
  }
  if (placement.status != PlacementStatus::requested) {
    return wrong_status(placement, "reserve a place for", "only a requested placement can reserve a place");
  }
  PLACEMENT_TRY(require_hold_period(body.hold_period));
  PLACEMENT_TRY(offer_found, require_offer(state, placement.offer_id));
  const OfferState& offer = *offer_found;
  PLACEMENT_TRY(require_open(offer));

  const PlacementState hypothetical = as_reserved(placement, offer.id, body.from);
  auto full = why_not_reservable(state, offer, body.from, hypothetical);
  if (!full) {
    return Events{PlacementReserved{placement.id, offer.id, body.from, hold_expiry(command, body.hold_period)}};
  }
  if (!body.join_waiting_list_if_full) return fail(Errc::failed_precondition, std::move(*full));
  return Events{waitlisted(state, placement.id, offer.id)};
}

Result<Events> decide_command(const State& state, const Command& command, const AllocatePlace& body) {
  PLACEMENT_TRY(found, require_placement(state, body.placement_id));
  const PlacementState& placement = *found;
  if (placement.status != PlacementStatus::waitlisted) {
    return wrong_status(placement, "allocate a place to",
                        "only a citizen on the waiting list can be allocated a place");
  }
  PLACEMENT_TRY(require_hold_period(body.hold_period));
  PLACEMENT_TRY(offer_found, require_offer(state, placement.offer_id));
  const OfferState& offer = *offer_found;
  PLACEMENT_TRY(require_open(offer));

  std::string passed_over;
  if (!offer.waiting_list.empty() && offer.waiting_list.front().placement_id != placement.id) {
    passed_over = offer.waiting_list.front().placement_id;
    if (is_blank(body.reason)) {
      return fail(Errc::invalid_argument, "placement '" + placement.id + "' is not first on the waiting list ('" +
                                              passed_over +
                                              "' is); allocating a place out of turn needs a recorded reason");
    }
  }
  PLACEMENT_TRY(require_free_place(state, offer, body.from, as_reserved(placement, offer.id, body.from)));
  return Events{PlaceAllocated{placement.id, offer.id, body.from, hold_expiry(command, body.hold_period),
                               std::move(passed_over), body.reason}};
}

Result<Events> decide_command(const State& state, const Command&, const AdmitPlacement& body) {
  PLACEMENT_TRY(found, require_placement(state, body.placement_id));
  const PlacementState& placement = *found;
  if (placement.status != PlacementStatus::reserved) {
    return wrong_status(placement, "admit (indskrive)", "only a placement with a reserved place can be admitted");
  }
  PLACEMENT_TRY(offer_found, require_offer(state, placement.offer_id));
  const OfferState& offer = *offer_found;

  PlacementState admitted = placement;
  admitted.status = PlacementStatus::admitted;
  admitted.hold_from = body.on;
  PLACEMENT_TRY(require_free_place(state, offer, body.on, admitted));
  return Events{PlacementAdmitted{placement.id, offer.id, body.on}};
}

Result<Events> decide_command(const State& state, const Command& command, const TransferPlacement& body) {
  PLACEMENT_TRY(found, require_placement(state, body.placement_id));
  const PlacementState& placement = *found;
  if (placement.status != PlacementStatus::admitted) {
    return wrong_status(placement, "transfer", "only an admitted (indskrevet) citizen can be transferred");
  }
  PLACEMENT_TRY(from_found, require_offer(state, placement.offer_id));
  const OfferState& from_offer = *from_found;
  PLACEMENT_TRY(to_found, require_referenced_offer(state, body.to_offer_id));
  const OfferState& to_offer = *to_found;
  if (to_offer.id == from_offer.id) {
    return fail(Errc::invalid_argument, "a transfer must be to another offer than " + describe(from_offer));
  }
  const Date stay_start = placement.hold_from.value_or(body.on);
  if (body.on < stay_start) {
    return fail(Errc::invalid_argument, "the transfer date " + to_string(body.on) +
                                            " is before the current stay began (" + to_string(stay_start) + ")");
  }
  PLACEMENT_TRY(require_open(to_offer));
  PLACEMENT_TRY(require_matching(to_offer, placement.level, placement.target_group));
  PLACEMENT_TRY(require_no_other_active(state, to_offer, placement.citizen.citizen_id, placement.id));

  PlacementState moved = placement;
  if (stay_start < body.on) moved.previous_stays.push_back(Stay{from_offer.id, DateRange{stay_start, body.on}});
  moved.offer_id = to_offer.id;
  moved.hold_from = body.on;
  PLACEMENT_TRY(require_free_place(state, to_offer, body.on, moved));

  Events events{PlacementTransferred{placement.id, from_offer.id, to_offer.id, body.on}};
  append(events, proposals_after_freeing(state, from_offer, freed_from(body.on, command), &moved));
  return events;
}

Result<Events> decide_command(const State& state, const Command& command, const DischargePlacement& body) {
  PLACEMENT_TRY(found, require_placement(state, body.placement_id));
  const PlacementState& placement = *found;
  if (placement.status != PlacementStatus::admitted) {
    return wrong_status(placement, "discharge (udskrive)", "only an admitted (indskrevet) citizen can be discharged");
  }
  const Date stay_start = placement.hold_from.value_or(body.on);
  if (body.on < stay_start) {
    const bool transferred = !placement.previous_stays.empty();
    return fail(Errc::invalid_argument,
                "the discharge date (udskrivningsdato) " + to_string(body.on) + " is before the " +
                    (transferred ? "transfer date " : "admission date (indskrivningsdato) ") + to_string(stay_start));
  }
  PLACEMENT_TRY(offer_found, require_offer(state, placement.offer_id));
  const OfferState& offer = *offer_found;

  PlacementState discharged = as_released(placement, PlacementStatus::discharged);
  discharged.discharged_on = body.on;
  Events events{PlacementDischarged{placement.id, offer.id, body.on}};
  append(events, proposals_after_freeing(state, offer, freed_from(body.on, command), &discharged));
  return events;
}

Result<Events> decide_command(const State& state, const Command& command, const WithdrawPlacement& body) {
  PLACEMENT_TRY(found, require_placement(state, body.placement_id));
  const PlacementState& placement = *found;
  if (placement.status == PlacementStatus::admitted) {
    return wrong_status(placement, "withdraw", "an admitted citizen is discharged (udskrevet), not withdrawn");
  }
  if (!is_active(placement.status)) {
    return wrong_status(placement, "withdraw", "only an active request or reservation can be withdrawn");
  }
  Events events{PlacementWithdrawn{placement.id, placement.offer_id, body.reason}};
  if (placement.status == PlacementStatus::reserved) {
    if (const OfferState* offer = find_offer(state, placement.offer_id)) {
      const PlacementState withdrawn = as_released(placement, PlacementStatus::withdrawn);
      append(events, proposals_after_freeing(state, *offer, freed_from(*placement.hold_from, command), &withdrawn));
    }
  }
  return events;
}

Result<Events> decide_command(const State& state, const Command&, const RejectPlacement& body) {
  PLACEMENT_TRY(found, require_placement(state, body.placement_id));
  const PlacementState& placement = *found;
  if (placement.status != PlacementStatus::requested && placement.status != PlacementStatus::waitlisted) {
    return wrong_status(placement, "reject", "only a request or a waiting-list entry can be rejected");
  }
  if (is_blank(body.reason)) return fail(Errc::invalid_argument, "a rejection (afslag) needs a reason");
  return Events{PlacementRejected{placement.id, placement.offer_id, body.reason}};
}

Result<Events> decide_command(const State& state, const Command& command, const ExpireReservation& body) {
  PLACEMENT_TRY(found, require_placement(state, body.placement_id));
  const PlacementState& placement = *found;
  if (placement.status != PlacementStatus::reserved || !placement.hold_expires_at) {
    return wrong_status(placement, "expire the reservation of", "only a reserved place can expire");
  }
  if (command.now < *placement.hold_expires_at) {
    return fail(Errc::failed_precondition, "the reservation of placement '" + placement.id + "' is held until " +
                                               to_string(*placement.hold_expires_at));
  }
  Events events{ReservationExpired{placement.id, placement.offer_id, *placement.hold_expires_at}};
  if (const OfferState* offer = find_offer(state, placement.offer_id)) {
    const PlacementState expired = as_released(placement, PlacementStatus::reservation_expired);
    append(events, proposals_after_freeing(state, *offer, freed_from(*placement.hold_from, command), &expired));
  }
  return events;
}

}  // namespace placement::domain::detail

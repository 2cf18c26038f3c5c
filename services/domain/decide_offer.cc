// Offers: registration, effective-dated capacity and rates, closing.

#include <algorithm>

#include "services/domain/decide_support.h"
#include "services/domain/occupancy.h"
#include "services/domain/offer_index.h"
#include "services/domain/waiting_list.h"

namespace placement::domain::detail {
namespace {

Result<Rate> rate_from(const OfferState& offer, const SetRate& body) {
  if (body.daily_rate.has_value() == body.basis.has_value()) {
    return fail(Errc::invalid_argument, "give either a daily rate or a rate basis to compute it from, not both");
  }
  Rate rate;
  if (body.basis) {
    PLACEMENT_TRY(computed, compute_daily_rate(*body.basis));
    rate.daily_rate = computed;
    rate.basis = *body.basis;
  } else {
    rate.daily_rate = *body.daily_rate;
  }
  if (rate.daily_rate.value < 0) return fail(Errc::invalid_argument, "a daily rate must not be negative");

  const FinancingModel model = offer.financing.model;
  if (body.daily_copayment_rate && model != FinancingModel::basis) {
    return fail(Errc::invalid_argument, "only BASIS offers have a co-payment rate");
  }
  if (body.daily_vacancy_rate && model != FinancingModel::objektiv) {
    return fail(Errc::invalid_argument, "only OBJEKTIV offers have a vacancy rate");
  }
  if (model == FinancingModel::basis) {
    if (!body.daily_copayment_rate) {
      return fail(Errc::invalid_argument, "a BASIS offer needs the municipalities' daily co-payment rate");
    }
    rate.daily_copayment_rate = *body.daily_copayment_rate;
  }
  if (model == FinancingModel::objektiv) rate.daily_vacancy_rate = body.daily_vacancy_rate.value_or(rate.daily_rate);
  if (rate.daily_copayment_rate.value < 0 || rate.daily_vacancy_rate.value < 0) {
    return fail(Errc::invalid_argument, "rates must not be negative");
  }
  return rate;
}

}  // namespace

Result<Events> decide_command(const State& state, const Command&, const RegisterOffer& body) {
  PLACEMENT_TRY(validate_id("offer", body.offer_id));
  if (find_offer(state, body.offer_id)) {
    return fail(Errc::already_exists, "offer '" + body.offer_id + "' is already registered");
  }
  if (is_blank(body.name)) return fail(Errc::invalid_argument, "an offer needs a name");
  if (!is_known_operator(state, body.operator_code)) {
    return fail(Errc::invalid_argument, "operator (driftsherre) " + std::to_string(body.operator_code) +
                                            " is neither a registered region nor a registered municipality");
  }
  if (!is_valid(body.level)) return fail(Errc::invalid_argument, "specialisation level must be LET, MODERAT or HOJT");
  if (body.target_groups.empty()) return fail(Errc::invalid_argument, "an offer serves at least one target group");
  for (TargetGroup group : body.target_groups) {
    if (!is_valid(group)) return fail(Errc::invalid_argument, "target group (målgruppe) must be 1 to 6");
  }
  if (!is_valid(body.service_type)) return fail(Errc::invalid_argument, "service type is missing or unknown");
  if (is_blank(body.paragraph_of_law)) {
    return fail(Errc::invalid_argument, "an offer needs its paragraph of law, e.g. \"SEL § 108\"");
  }
  if (!body.catchment.is_national() && !state.regions.contains(body.catchment.region_code)) {
    return fail(Errc::invalid_argument,
                "catchment must be national or a registered region, got " + std::to_string(body.catchment.region_code));
  }
  PLACEMENT_TRY(validate(body.financing));

  std::vector<TargetGroup> groups = body.target_groups;
  std::sort(groups.begin(), groups.end());
  groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
  // Operated by a region that ceases: the offer passes to its successor on that date.
  PLACEMENT_TRY(successor, successor_from(state, body.operator_code));
  Events events{OfferRegistered{body.offer_id, body.name, body.operator_code, body.level, std::move(groups),
                                body.service_type, body.paragraph_of_law, body.catchment, body.financing}};
  if (successor) events.emplace_back(OfferOperatorChanged{body.offer_id, successor->second, successor->first});
  return events;
}

Result<Events> decide_command(const State& state, const Command& command, const ChangeCapacity& body) {
  PLACEMENT_TRY(found, require_offer(state, body.offer_id));
  const OfferState& offer = *found;
  if (body.places < 0) return fail(Errc::invalid_argument, "capacity (number of open places) cannot be negative");
  PLACEMENT_TRY(require_open(offer));

  OfferState changed = offer;
  changed.capacity.set(body.effective_from, body.places);
  const FreePlaces free = min_free_from(state, changed, body.effective_from);
  if (free.places < 0) {
    const PlaceCounts held = count_places_on(state, offer, free.tightest_date);
    return fail(Errc::failed_precondition, "cannot set " + describe(offer) + " to " + std::to_string(body.places) +
                                               " places from " + to_string(body.effective_from) + ": " +
                                               std::to_string(held.occupied + held.reserved) +
                                               " places are reserved or occupied on " + to_string(free.tightest_date) +
                                               "; discharge, transfer or withdraw placements first");
  }

  Events events{CapacityChanged{body.offer_id, body.effective_from, body.places}};
  if (body.places > open_places_on(offer, body.effective_from)) {
    append(events, proposals_after_freeing(state, changed, std::max(body.effective_from, command.today)));
  }
  return events;
}

Result<Events> decide_command(const State& state, const Command&, const SetRate& body) {
  PLACEMENT_TRY(found, require_offer(state, body.offer_id));
  const OfferState& offer = *found;
  if (offer.closed_from && body.effective_from >= *offer.closed_from) {
    return fail(Errc::failed_precondition, describe(offer) + " is closed from " + to_string(*offer.closed_from) +
                                               "; a rate can only take effect before that");
  }
  PLACEMENT_TRY(rate, rate_from(offer, body));
  return Events{RateSet{body.offer_id, body.effective_from, std::move(rate)}};
}

Result<Events> decide_command(const State& state, const Command&, const CloseOffer& body) {
  PLACEMENT_TRY(found, require_offer(state, body.offer_id));
  const OfferState& offer = *found;
  if (offer.closed_from) {
    return fail(Errc::failed_precondition,
                describe(offer) + " is already closed from " + to_string(*offer.closed_from));
  }

  std::int64_t holding = 0;
  std::vector<const PlacementState*> pending;
  for (const PlacementState* placement : placements_to_count(state, offer, body.from)) {
    for (const Hold& hold : holds_of(*placement)) {
      if (hold.offer_id == offer.id && hold.range.to > body.from) {
        ++holding;
        break;
      }
    }
    if (placement->offer_id == offer.id &&
        (placement->status == PlacementStatus::requested || placement->status == PlacementStatus::waitlisted)) {
      pending.push_back(placement);
    }
  }
  if (holding > 0) {
    return fail(Errc::failed_precondition, "cannot close " + describe(offer) + " from " + to_string(body.from) + ": " +
                                               std::to_string(holding) +
                                               " placements hold places on or after that date; discharge, transfer or "
                                               "withdraw them first");
  }

  Events events{OfferClosed{body.offer_id, body.from}};
  for (const PlacementState* placement : pending) {
    events.emplace_back(PlacementRejected{placement->id, offer.id, "the offer closed from " + to_string(body.from)});
  }
  return events;
}

}  // namespace placement::domain::detail

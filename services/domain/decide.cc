#include "services/domain/decide.h"

#include "services/domain/decide_support.h"
#include "services/domain/occupancy.h"
#include "services/domain/organisation.h"

namespace placement::domain {

Result<std::vector<Event>> decide(const State& state, const Command& command) {
  return std::visit([&](const auto& body) { return detail::decide_command(state, command, body); }, command.body);
}

namespace detail {

Result<const OfferState*> require_offer(const State& state, std::string_view offer_id) {
  if (const OfferState* offer = find_offer(state, offer_id)) return offer;
  return fail(Errc::not_found, "offer (tilbud) '" + std::string(offer_id) + "' does not exist");
}

Result<const OfferState*> require_referenced_offer(const State& state, std::string_view offer_id) {
  if (const OfferState* offer = find_offer(state, offer_id)) return offer;
  return fail(Errc::failed_precondition,
              "there is no offer (tilbud) '" + std::string(offer_id) + "'; choose one from the vacancy search");
}

Result<const PlacementState*> require_placement(const State& state, std::string_view placement_id) {
  if (const PlacementState* placement = find_placement(state, placement_id)) return placement;
  return outcome::failure(no_such_placement(placement_id));
}

std::string describe(const OfferState& offer) { return "offer '" + offer.id + "' (" + offer.name + ")"; }

std::string describe_group(TargetGroup group) { return "target group (målgruppe) " + std::to_string(number_of(group)); }

bool is_blank(std::string_view text) { return text.find_first_not_of(" \t\r\n") == std::string_view::npos; }

Status require_free_place(const State& state, const OfferState& offer, Date from, const PlacementState& hypothetical) {
  const FreePlaces free = min_free_from(state, offer, from, &hypothetical);
  if (free.places >= 0) return ok();
  return fail(Errc::failed_precondition, describe(offer) + " has no vacant place (ingen ledig plads) on " +
                                             to_string(free.tightest_date) +
                                             "; a place must be free on every day from " + to_string(from));
}

Status require_open(const OfferState& offer) {
  if (!offer.closed_from) return ok();
  return fail(Errc::failed_precondition,
              describe(offer) + " is closed from " + to_string(*offer.closed_from) + " and takes no new placements");
}

Error wrong_status(const PlacementState& placement, std::string_view action, std::string_view needs) {
  return Error{Errc::failed_precondition, "cannot " + std::string(action) + " placement '" + placement.id +
                                              "': it is " + std::string(to_string(placement.status)) + " (" +
                                              std::string(danish_term(placement.status)) + "); " + std::string(needs)};
}

Result<std::optional<std::pair<Date, std::int32_t>>> successor_from(const State& state, std::int32_t code) {
  auto it = state.regions.find(code);
  if (it == state.regions.end() || !it->second.ceased_from) return std::optional<std::pair<Date, std::int32_t>>{};
  const Region& region = it->second;
  const Date ceases = *region.ceased_from;
  if (region.successor_code == 0) {
    return fail(Errc::failed_precondition, describe_region(state, code) + " ceases on " + to_string(ceases) +
                                               " without a successor; choose another region");
  }
  // The successor on the date it takes over (the last of a chain of mergers up to that date).
  return std::optional{std::pair{ceases, catchment_region_on(state, Catchment::region(code), ceases)}};
}

void append(Events& events, const std::vector<PlaceProposed>& proposals) {
  for (const PlaceProposed& proposal : proposals) events.emplace_back(proposal);
}

}  // namespace detail
}  // namespace placement::domain

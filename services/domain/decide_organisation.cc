// The organisation over time: regions established, ceased and merged, a municipality's region and
// an offer's operator changed from a date (organisation.h, organisation_commands.h).

#include <algorithm>
#include <optional>
#include <set>

#include "services/domain/decide_support.h"
#include "services/domain/organisation.h"

namespace placement::domain::detail {
namespace {

std::string code_text(std::int32_t code) { return std::to_string(code); }

Status require_region_code(std::int32_t code) {
  if (is_region_code(code)) return ok();
  return fail(Errc::invalid_argument, "a region code is " + code_text(kFirstRegionCode) + " to " +
                                          code_text(kLastRegionCode) + ", got " + code_text(code));
}

std::string describe_municipality(const Municipality& municipality) {
  return "municipality " + code_text(municipality.code) + " (" + municipality.name + ")";
}

// Refuses unless the region exists on every date of [from, until): a municipality or an offer may
// only be given to a region that exists for as long as it is given to it.
Status require_region_for(const State& state, const Region& region, Date from, Date until, std::string_view what) {
  if (region.established_from && from < *region.established_from) {
    return fail(Errc::failed_precondition, describe_region(state, region.code) + " exists from " +
                                               to_string(*region.established_from) + "; " + std::string(what) +
                                               " cannot belong to it from " + to_string(from));
  }
  if (region.ceased_from && *region.ceased_from < until) {
    return fail(Errc::failed_precondition, describe_region(state, region.code) + " ceases on " +
                                               to_string(*region.ceased_from) + "; " + std::string(what) +
                                               " cannot belong to it from " + to_string(from));
  }
  return ok();
}

// require_region_for, except that a region ceasing inside [from, until) with a successor hands the
// municipality or offer on to it: the date and the successor then, for a second change.
Result<std::optional<std::pair<Date, std::int32_t>>> hand_on(const State& state, const Region& region, Date from,
                                                             Date until, std::string_view what) {
  const bool ceases_inside = region.ceased_from && from < *region.ceased_from && *region.ceased_from < until;
  if (!ceases_inside || region.successor_code == 0) {
    PLACEMENT_TRY(require_region_for(state, region, from, until, what));
    return std::optional<std::pair<Date, std::int32_t>>{};
  }
  PLACEMENT_TRY(require_region_for(state, region, from, *region.ceased_from, what));
  return successor_from(state, region.code);
}

// A later entry of a timeline (after `from`) naming one of `codes`: the change asked for would be
// undone by it, so it must be changed first.
template <class Timeline>
std::optional<std::pair<Date, std::int32_t>> later_entry_naming(const Timeline& timeline, Date from,
                                                                const std::set<std::int32_t>& codes) {
  for (const auto& [date, code] : timeline.entries()) {
    if (date > from && codes.contains(code)) return std::pair{date, code};
  }
  return std::nullopt;
}

// The regions `codes` cease from `from`: every offer they operate then passes to `successor` (one
// OfferOperatorChanged each, appended to `events`), or the command is refused without one. Also
// refused when an offer would return to one of them later, or (without a successor) when an
// offer's catchment is one of them.
Status pass_offers(const State& state, const std::set<std::int32_t>& codes, Date from, std::int32_t successor,
                   Events& events) {
  for (const auto& [id, offer] : state.offers) {
    if (auto later = later_entry_naming(offer.operator_changes, from, codes)) {
      return fail(Errc::failed_precondition, describe(offer) + " passes to " + describe_region(state, later->second) +
                                                 " on " + to_string(later->first) + ", after it ceases on " +
                                                 to_string(from) + "; change that first");
    }
    const std::int32_t operating = operator_on(offer, from);
    if (codes.contains(operating)) {
      if (successor == 0) {
        return fail(Errc::failed_precondition,
                    describe(offer) + " would be left without an operator (driftsherre) from " + to_string(from) +
                        ": name a successor region, or change the offer's operator first");
      }
      events.emplace_back(OfferOperatorChanged{offer.id, successor, from});
    }
    const std::int32_t catchment = catchment_region_on(state, offer.catchment, from);
    if (successor == 0 && codes.contains(catchment)) {
      return fail(Errc::failed_precondition, describe(offer) + " has the catchment (optageområde) of " +
                                                 describe_region(state, catchment) + "; name a successor region");
    }
  }
  return ok();
}

Result<const Region*> require_existing_region(const State& state, std::int32_t code, Date from) {
  auto it = state.regions.find(code);
  if (it == state.regions.end()) return fail(Errc::not_found, "region " + code_text(code) + " is not registered");
  const Region& region = it->second;
  if (region.ceased_from) {
    return fail(Errc::failed_precondition,
                describe_region(state, code) + " already ceases on " + to_string(*region.ceased_from));
  }
  if (region.established_from && from <= *region.established_from) {
    return fail(Errc::invalid_argument, "the dates are out of order: " + describe_region(state, code) +
                                            " is established on " + to_string(*region.established_from) +
                                            " and cannot cease or merge on " + to_string(from));
  }
  return &region;
}

}  // namespace

Result<Events> decide_command(const State& state, const Command&, const EstablishRegion& body) {
  PLACEMENT_TRY(require_region_code(body.code));
  if (is_blank(body.name)) return fail(Errc::invalid_argument, "a region needs a name");
  if (state.regions.contains(body.code)) {
    return fail(Errc::already_exists, describe_region(state, body.code) + " is already registered");
  }
  return Events{RegionEstablished{body.code, body.name, body.from}};
}

Result<Events> decide_command(const State& state, const Command&, const CeaseRegion& body) {
  PLACEMENT_TRY(require_region_code(body.code));
  PLACEMENT_TRY(region, require_existing_region(state, body.code, body.from));
  (void)region;
  if (body.successor_code != 0) {
    if (body.successor_code == body.code) return fail(Errc::invalid_argument, "a region cannot succeed itself");
    auto it = state.regions.find(body.successor_code);
    if (it == state.regions.end()) {
      return fail(Errc::invalid_argument, "successor region " + code_text(body.successor_code) + " is not registered");
    }
    PLACEMENT_TRY(require_region_for(state, it->second, body.from, Date::max(), "the ceasing region's offers"));
  }
  for (const auto& [code, municipality] : state.municipalities) {
    const std::set<std::int32_t> ceasing{body.code};
    const bool then = region_of_municipality_on(municipality, body.from) == body.code;
    const auto later = later_entry_naming(municipality.region_changes, body.from, ceasing);
    if (then || later) {
      return fail(Errc::failed_precondition,
                  describe_municipality(municipality) + " belongs to " + describe_region(state, body.code) + " on " +
                      to_string(then ? body.from : later->first) + "; move it to another region first");
    }
  }
  Events events;
  PLACEMENT_TRY(pass_offers(state, {body.code}, body.from, body.successor_code, events));
  events.emplace_back(RegionCeased{body.code, body.from, body.successor_code});
  return events;
}

Result<Events> decide_command(const State& state, const Command&, const ChangeMunicipalityRegion& body) {
  auto m = state.municipalities.find(body.municipality_code);
  if (m == state.municipalities.end()) {
    return fail(Errc::not_found, "municipality " + code_text(body.municipality_code) + " is not registered");
  }
  const Municipality& municipality = m->second;
  auto r = state.regions.find(body.region_code);
  if (r == state.regions.end()) {
    return fail(Errc::invalid_argument, "region " + code_text(body.region_code) + " is not registered");
  }
  if (region_of_municipality_on(municipality, body.from) == body.region_code) {
    return fail(Errc::failed_precondition, describe_municipality(municipality) + " already belongs to " +
                                               describe_region(state, body.region_code) + " on " +
                                               to_string(body.from));
  }
  const Date until = municipality.region_changes.next_change_after(body.from);
  Events events{MunicipalityRegionChanged{body.municipality_code, body.region_code, body.from}};
  PLACEMENT_TRY(handed_on, hand_on(state, r->second, body.from, until, describe_municipality(municipality)));
  if (handed_on)
    events.emplace_back(MunicipalityRegionChanged{body.municipality_code, handed_on->second, handed_on->first});
  return events;
}

Result<Events> decide_command(const State& state, const Command&, const ChangeOfferOperator& body) {
  PLACEMENT_TRY(offer, require_offer(state, body.offer_id));
  if (!is_known_operator(state, body.operator_code)) {
    return fail(Errc::invalid_argument, "operator (driftsherre) " + code_text(body.operator_code) +
                                            " is neither a registered region nor a registered municipality");
  }
  if (operator_on(*offer, body.from) == body.operator_code) {
    return fail(Errc::failed_precondition, describe(*offer) + " is already operated by " +
                                               code_text(body.operator_code) + " on " + to_string(body.from));
  }
  Events events{OfferOperatorChanged{offer->id, body.operator_code, body.from}};
  auto r = state.regions.find(body.operator_code);
  if (r != state.regions.end()) {
    const Date until = offer->operator_changes.next_change_after(body.from);
    PLACEMENT_TRY(handed_on, hand_on(state, r->second, body.from, until, describe(*offer)));
    if (handed_on) events.emplace_back(OfferOperatorChanged{offer->id, handed_on->second, handed_on->first});
  }
  return events;
}

Result<Events> decide_command(const State& state, const Command&, const MergeRegions& body) {
  PLACEMENT_TRY(require_region_code(body.code));
  if (is_blank(body.name)) return fail(Errc::invalid_argument, "a region needs a name");
  if (state.regions.contains(body.code)) {
    return fail(Errc::already_exists, describe_region(state, body.code) + " is already registered");
  }
  const std::set<std::int32_t> merged(body.merged.begin(), body.merged.end());
  if (merged.size() < 2 || merged.size() != body.merged.size()) {
    return fail(Errc::invalid_argument, "a merger names at least two different regions");
  }
  for (std::int32_t code : merged) {
    PLACEMENT_TRY(region, require_existing_region(state, code, body.from));
    (void)region;
  }

  Events events{RegionEstablished{body.code, body.name, body.from}};
  for (const auto& [code, municipality] : state.municipalities) {
    if (auto later = later_entry_naming(municipality.region_changes, body.from, merged)) {
      return fail(Errc::failed_precondition, describe_municipality(municipality) + " moves to " +
                                                 describe_region(state, later->second) + " on " +
                                                 to_string(later->first) + ", after the merger; change that first");
    }
    if (merged.contains(region_of_municipality_on(municipality, body.from))) {
      events.emplace_back(MunicipalityRegionChanged{code, body.code, body.from});
    }
  }
  PLACEMENT_TRY(pass_offers(state, merged, body.from, body.code, events));
  for (std::int32_t code : merged) events.emplace_back(RegionCeased{code, body.from, body.code});
  return events;
}

}  // namespace placement::domain::detail

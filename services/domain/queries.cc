#include "services/domain/queries.h"

#include <algorithm>
#include <tuple>

#include "services/domain/organisation.h"

namespace placement::domain {

Result<PlaceCounts> capacity_at(const State& state, std::string_view offer_id, Date date) {
  const OfferState* offer = find_offer(state, offer_id);
  if (!offer) return fail(Errc::not_found, "offer (tilbud) '" + std::string(offer_id) + "' does not exist");
  return count_places_on(state, *offer, date);
}

Result<std::vector<VacancyHit>> search_vacancies(const State& state, const VacancyQuery& query) {
  if (!is_valid(query.level)) return fail(Errc::invalid_argument, "specialisation level must be LET, MODERAT or HOJT");
  if (!is_valid(query.target_group)) return fail(Errc::invalid_argument, "target group (målgruppe) must be 1 to 6");
  if (query.age < 0) return fail(Errc::invalid_argument, "age must not be negative");

  std::vector<VacancyHit> hits;
  if (is_for_children_only(query.target_group) && query.age >= kAdultAge) return hits;
  for (const auto& [id, offer] : state.offers) {
    if (offer.closed_from || offer.level != query.level || !offer.serves(query.target_group)) continue;
    const auto waiting = static_cast<std::int64_t>(offer.waiting_list.size());
    const std::int64_t free = min_free_from(state, offer, query.date).places - waiting;
    if (free <= 0) continue;
    // The operator and region on the date the place is wanted from.
    const std::int32_t operating = operator_on(offer, query.date);
    const std::int32_t region = region_of_operator_on(state, operating, query.date);
    hits.push_back(VacancyHit{id, offer.name, operating, region, offer.service_type, free, waiting,
                              query.preferred_region != 0 && region == query.preferred_region});
  }
  std::sort(hits.begin(), hits.end(), [](const VacancyHit& a, const VacancyHit& b) {
    return std::tuple(!a.in_preferred_region, -a.free_places, a.offer_id) <
           std::tuple(!b.in_preferred_region, -b.free_places, b.offer_id);
  });
  return hits;
}

}  // namespace placement::domain

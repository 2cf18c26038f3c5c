#include "services/projections/grouping.h"

#include <set>

namespace placement::projections {

GroupKeys group_keys(const OfferIndex& offer, const OrganisationStep& organisation, const GroupBy& by) {
  GroupKey key;
  if (by.offer) key.offer_id = offer.offer->id;
  if (by.operator_code) key.operator_code = organisation.operator_code;
  if (by.region) key.region_code = organisation.region_code;
  if (by.level) key.level = offer.level;
  if (!by.target_group) return {key};
  GroupKeys keys;
  for (domain::TargetGroup group : offer.served_groups()) {
    key.target_group = group;
    keys.push_back(key);
  }
  return keys;
}

std::vector<domain::DateRange> grouping_periods(const PlanningIndex& index, const domain::DateRange& period,
                                                const GroupBy& by) {
  std::set<domain::Date> cuts;
  if (by.operator_code || by.region) {
    for (const OfferIndex& offer : index.offers()) {
      for (std::size_t i = 1; i < offer.organisation.size(); ++i) {
        const OrganisationStep& before = offer.organisation[i - 1];
        const OrganisationStep& after = offer.organisation[i];
        if (after.from <= period.from || after.from >= period.to) continue;
        if ((by.operator_code && before.operator_code != after.operator_code) ||
            (by.region && before.region_code != after.region_code)) {
          cuts.insert(after.from);
        }
      }
    }
  }
  std::vector<domain::DateRange> parts;
  domain::Date from = period.from;
  for (domain::Date cut : cuts) {
    parts.push_back(domain::DateRange{from, cut});
    from = cut;
  }
  parts.push_back(domain::DateRange{from, period.to});
  return parts;
}

}  // namespace placement::projections

#include "services/projections/grouping.h"

namespace placement::projections {

GroupKeys group_keys(const OfferIndex& offer, const GroupBy& by) {
  GroupKey key;
  if (by.offer) key.offer_id = offer.offer->id;
  if (by.operator_code) key.operator_code = offer.operator_code;
  if (by.region) key.region_code = offer.region_code;
  if (by.level) key.level = offer.level;
  if (!by.target_group) return {key};
  GroupKeys keys;
  for (domain::TargetGroup group : offer.served_groups()) {
    key.target_group = group;
    keys.push_back(key);
  }
  return keys;
}

}  // namespace placement::projections

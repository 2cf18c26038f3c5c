#include "services/projections/objective_split.h"

#include "services/domain/money.h"
#include "services/domain/organisation.h"

namespace placement::projections {

CatchmentKey catchment_key(const domain::State& state, const domain::PlanningInputs& inputs,
                           domain::Catchment catchment, domain::Date date) {
  CatchmentKey key;
  const std::int32_t region = domain::catchment_region_on(state, catchment, date);
  for (const auto& [code, municipality] : state.municipalities) {
    if (!catchment.is_national() && domain::region_of_municipality_on(municipality, date) != region) continue;
    key.municipalities.push_back(code);
    key.weights.push_back(objective_weight(state, inputs, code));
  }
  return key;
}

Result<std::vector<KeyShare>> split_by_key(Ore amount, const CatchmentKey& key) {
  std::vector<KeyShare> shares;
  shares.reserve(key.municipalities.size());
  if (amount.value == 0) {
    for (std::int32_t code : key.municipalities) shares.push_back(KeyShare{code, Ore{0}});
    return shares;
  }
  std::int64_t weight_sum = 0;
  for (std::int64_t w : key.weights) weight_sum += w;
  if (key.municipalities.empty() || weight_sum == 0) {
    return fail(Errc::failed_precondition,
                "the objective key gives no weight to any municipality of the catchment; set the key's weights "
                "before splitting an amount by it");
  }
  PLACEMENT_TRY(parts, domain::split_largest_remainder(amount, key.weights));
  for (std::size_t i = 0; i < key.municipalities.size(); ++i) {
    shares.push_back(KeyShare{key.municipalities[i], parts[i]});
  }
  return shares;
}

}  // namespace placement::projections

#include "services/projections/financing_terms.h"

#include "services/domain/money.h"
#include "services/projections/intervals.h"

namespace placement::projections {

FinancingTerms::FinancingTerms(const domain::OfferState& offer, const FinancingOverrides& overrides)
    : offer_(&offer), financing_(offer.financing) {
  auto it = overrides.find(offer.id);
  if (it == overrides.end()) return;
  if (it->second.financing) {
    financing_ = *it->second.financing;
    model_changed_ = financing_.model != offer.financing.model;
  }
  flat_rate_ = it->second.rate;
}

DailyAmounts FinancingTerms::amounts_of(const domain::Rate& rate) const {
  DailyAmounts a;
  const Ore daily = rate.daily_rate;
  switch (financing_.model) {
    case domain::FinancingModel::takst:
      a.usage_per_occupied_day = daily;
      a.operator_vacancy_per_day = daily;
      break;
    case domain::FinancingModel::basis:
      a.copayment_per_occupied_day = rate.daily_copayment_rate;
      a.region_per_open_day = daily;
      break;
    case domain::FinancingModel::objektiv: {
      // A rate set for another model has no vacancy rate: the domain's default is the daily rate.
      const bool derive = model_changed_ && !flat_rate_ && rate.daily_vacancy_rate.value == 0;
      a.usage_per_occupied_day = daily;
      a.key_per_vacant_day = derive ? daily : rate.daily_vacancy_rate;
      break;
    }
    case domain::FinancingModel::mixed: {
      const auto usage = domain::divide_round_half_away(
          static_cast<domain::Int128>(daily.value) * (domain::kBasisPointsWhole - financing_.objective_share_bp),
          domain::kBasisPointsWhole);
      a.usage_per_occupied_day = Ore{static_cast<std::int64_t>(usage)};
      a.operator_vacancy_per_day = a.usage_per_occupied_day;
      a.key_per_open_day = daily - a.usage_per_occupied_day;
      break;
    }
  }
  return a;
}

void FinancingTerms::for_each_segment(
    const domain::DateRange& range, const std::function<void(const domain::DateRange&, const DailyAmounts*)>& f) const {
  if (range.empty()) return;
  if (flat_rate_) {
    const DailyAmounts amounts = amounts_of(*flat_rate_);
    f(range, &amounts);
    return;
  }
  for_each_rate_segment(offer_->rates, range, [&](const domain::DateRange& segment, const domain::Rate* rate) {
    if (!rate) {
      f(segment, nullptr);
      return;
    }
    const DailyAmounts amounts = amounts_of(*rate);
    f(segment, &amounts);
  });
}

}  // namespace placement::projections

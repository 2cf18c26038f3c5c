#pragma once
// The terms an offer is financed under in a computation: its own model and rates, or those a
// what-if overrides. Also the per-place-day amounts each model charges, shared by the financing
// view and the monthly settlement so the two always agree.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "services/base/types.h"
#include "services/domain/dates.h"
#include "services/domain/rate.h"
#include "services/domain/state.h"
#include "services/domain/vocabulary.h"

namespace placement::projections {

// What a what-if changes for one offer. A rate replaces the offer's whole rate timeline with one
// rate for every day. Changing only the model keeps the offer's rates; the parts of a rate the
// new model needs and the offer never set are derived: the vacancy rate of an OBJEKTIV offer is its
// daily rate (as the domain defaults it), a missing BASIS co-payment rate is 0 (the region then
// carries the whole cost). Give a rate with the model to compare realistic terms.
struct OfferOverride {
  std::optional<domain::Financing> financing;
  std::optional<domain::Rate> rate;
};
using FinancingOverrides = std::map<std::string, OfferOverride, std::less<>>;

// The amounts per place-day a rate means under a model. usage_per_occupied_day is what the paying
// municipality pays per occupied place-day (the settlement rate): TAKST and OBJEKTIV the daily rate,
// BASIS the co-payment rate, MIXED the usage rate u below. The rest of the model's cost:
//   TAKST     operator_vacancy_per_day = daily rate (vacant place-days are the operator's)
//   BASIS     region_per_open_day = daily rate (the region carries full cost − co-payments)
//   OBJEKTIV  key_per_vacant_day = vacancy rate (split by the objective key)
//   MIXED     u = daily × (10000 − share_bp) ÷ 10000 rounded half away from zero;
//             key_per_open_day = daily − u (split by the key, paid whether used or not);
//             operator_vacancy_per_day = u (an unused place's usage part is the operator's).
// So per open place-day of a MIXED offer u + (daily − u) = daily exactly: when every place is
// occupied, usage + objective parts add up to daily rate × open place-days to the øre.
struct DailyAmounts {
  Ore usage_per_occupied_day{0};
  Ore copayment_per_occupied_day{0};  // BASIS only (then usage_per_occupied_day is 0)
  Ore operator_vacancy_per_day{0};
  Ore region_per_open_day{0};
  Ore key_per_vacant_day{0};
  Ore key_per_open_day{0};
  // What the paying municipality is billed per occupied place-day, whatever the model.
  Ore billed_per_occupied_day() const { return usage_per_occupied_day + copayment_per_occupied_day; }
};

class FinancingTerms {
 public:
  FinancingTerms(const domain::OfferState& offer, const FinancingOverrides& overrides);

  const domain::Financing& financing() const { return financing_; }

  // Calls f(segment, amounts) for each sub-range of the finite `range` over which one rate is in
  // force; amounts is nullptr for days without a rate (before the offer's first rate).
  void for_each_segment(const domain::DateRange& range,
                        const std::function<void(const domain::DateRange&, const DailyAmounts*)>& f) const;

 private:
  DailyAmounts amounts_of(const domain::Rate& rate) const;

  const domain::OfferState* offer_;
  domain::Financing financing_;
  bool model_changed_ = false;
  std::optional<domain::Rate> flat_rate_;
};

}  // namespace placement::projections

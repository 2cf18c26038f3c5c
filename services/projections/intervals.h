#pragma once
// Interval arithmetic over half-open date ranges: capacity and rates are piecewise constant
// (effective-dated), so place-days and amounts are sums over segments, never loops over days.

#include <cstdint>
#include <functional>

#include "services/domain/dates.h"
#include "services/domain/planning_inputs.h"
#include "services/domain/rate.h"
#include "services/domain/state.h"

namespace placement::projections {

// Days two ranges share (0 when disjoint).
std::int64_t overlap_days(const domain::DateRange& a, const domain::DateRange& b);

// Calls f(segment, open_places) for each maximal sub-range of `range` over which the offer's open
// places (capacity, 0 before the first entry and from its closing date) are constant, in date order.
// Precondition: range is finite (range.to is not Date::max()).
void for_each_capacity_segment(const domain::OfferState& offer, const domain::DateRange& range,
                               const std::function<void(const domain::DateRange&, std::int64_t)>& f);

// Σ open places × days over `range`. Precondition: range is finite.
std::int64_t open_place_days(const domain::OfferState& offer, const domain::DateRange& range);

// Calls f(segment, rate) for each maximal sub-range of `range` over which one rate entry is in force,
// in date order; rate is nullptr for days before the first entry. Precondition: range is finite.
void for_each_rate_segment(const domain::EffectiveTimeline<domain::Rate>& rates, const domain::DateRange& range,
                           const std::function<void(const domain::DateRange&, const domain::Rate*)>& f);

// Calls f(month, part) for each calendar month `range` touches, part = the month ∩ range.
// Precondition: range is finite.
void for_each_month(const domain::DateRange& range,
                    const std::function<void(domain::YearMonth, const domain::DateRange&)>& f);

// Whole years from `from` to `to` (anniversaries of `from` passed; 0 when to <= from). A 29 February
// anniversary falls on 1 March in common years.
std::int32_t whole_years_between(domain::Date from, domain::Date to);

}  // namespace placement::projections

#include "services/projections/intervals.h"

#include <algorithm>

namespace placement::projections {

using domain::Date;
using domain::DateRange;

std::int64_t overlap_days(const DateRange& a, const DateRange& b) {
  const auto common = domain::overlap(a, b);
  return common ? common->days() : 0;
}

void for_each_capacity_segment(const domain::OfferState& offer, const DateRange& range,
                               const std::function<void(const DateRange&, std::int64_t)>& f) {
  if (range.empty()) return;
  // Breakpoints inside the range: capacity entries and the closing date.
  Date cursor = range.from;
  const auto& entries = offer.capacity.entries();
  auto next_entry = entries.upper_bound(cursor);
  while (cursor < range.to) {
    Date next = range.to;
    if (next_entry != entries.end() && next_entry->first < next) next = next_entry->first;
    if (offer.closed_from && cursor < *offer.closed_from && *offer.closed_from < next) next = *offer.closed_from;
    f(DateRange{cursor, next}, domain::open_places_on(offer, cursor));
    cursor = next;
    while (next_entry != entries.end() && next_entry->first <= cursor) ++next_entry;
  }
}

std::int64_t open_place_days(const domain::OfferState& offer, const DateRange& range) {
  std::int64_t total = 0;
  for_each_capacity_segment(offer, range,
                            [&](const DateRange& segment, std::int64_t places) { total += places * segment.days(); });
  return total;
}

void for_each_rate_segment(const domain::EffectiveTimeline<domain::Rate>& rates, const DateRange& range,
                           const std::function<void(const DateRange&, const domain::Rate*)>& f) {
  Date cursor = range.from;
  while (cursor < range.to) {
    const Date next = std::min(rates.next_change_after(cursor), range.to);
    f(DateRange{cursor, next}, rates.at(cursor));
    cursor = next;
  }
}

void for_each_month(const DateRange& range, const std::function<void(domain::YearMonth, const DateRange&)>& f) {
  if (range.empty()) return;
  for (domain::YearMonth month = domain::YearMonth::of(range.from); month.first_day() < range.to;
       month = month.next()) {
    const auto part = domain::overlap(DateRange{month.first_day(), month.end()}, range);
    if (part) f(month, *part);
  }
}

std::int32_t whole_years_between(Date from, Date to) {
  if (to <= from) return 0;
  std::int32_t years = to.year() - from.year();
  // Not yet at this year's anniversary: (month, day) of `to` before that of `from`.
  if (std::pair(to.month(), to.day()) < std::pair(from.month(), from.day())) --years;
  return years;
}

}  // namespace placement::projections

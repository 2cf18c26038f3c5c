#include "services/projections/occupancy_view.h"

#include "services/domain/money.h"
#include "services/projections/intervals.h"

namespace placement::projections {

Status validate_period(const domain::DateRange& period) {
  if (period.open_ended() || period.empty()) {
    return fail(Errc::invalid_argument,
                "a period needs a start before its (exclusive) end, e.g. 2024-01-01 to 2025-01-01");
  }
  return ok();
}

PlaceDays place_days_of(const OfferIndex& offer, const domain::DateRange& period) {
  PlaceDays days;
  days.open = open_place_days(*offer.offer, period);
  for (const IndexedHold& hold : offer.holds) {
    if (hold.range.from >= period.to) break;  // holds are ordered by start
    const std::int64_t n = overlap_days(hold.range, period);
    (hold.kind == domain::HoldKind::occupied ? days.occupied : days.reserved) += n;
  }
  return days;
}

std::int64_t occupancy_bp(const PlaceDays& days) {
  if (days.open == 0) return 0;
  return static_cast<std::int64_t>(domain::divide_round_half_away(
      static_cast<domain::Int128>(days.occupied) * domain::kBasisPointsWhole, days.open));
}

Result<OccupancyView> occupancy_over(const PlanningIndex& index, const domain::DateRange& period, const GroupBy& by) {
  PLACEMENT_TRY(validate_period(period));
  OccupancyView view;
  view.period = period;
  const auto add = [](OccupancyRow& row, const PlaceDays& days) {
    row.place_days.open += days.open;
    row.place_days.occupied += days.occupied;
    row.place_days.reserved += days.reserved;
    ++row.offers;
  };
  view.total.period = period;
  for (const OfferIndex& offer : index.offers()) add(view.total, place_days_of(offer, period));
  view.total.occupancy_bp = occupancy_bp(view.total.place_days);
  for (const domain::DateRange& part : grouping_periods(index, period, by)) {
    RowsByKey<OccupancyRow> rows;
    for (const OfferIndex& offer : index.offers()) {
      const PlaceDays days = place_days_of(offer, part);
      for (GroupKey& key : group_keys(offer, offer.organisation_on(part.from), by)) add(rows[key], days);
    }
    for (OccupancyRow& row : std::move(rows).sorted()) {
      row.period = part;
      row.occupancy_bp = occupancy_bp(row.place_days);
      view.rows.push_back(std::move(row));
    }
  }
  return view;
}

}  // namespace placement::projections

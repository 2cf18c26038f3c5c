#include "services/projections/capacity_view.h"

namespace placement::projections {
namespace {

void add(domain::PlaceCounts& into, const domain::PlaceCounts& counts) {
  into.open += counts.open;
  into.occupied += counts.occupied;
  into.reserved += counts.reserved;
  into.vacant += counts.vacant;
  into.waiting += counts.waiting;
}

}  // namespace

CapacityView capacity_at(const PlanningIndex& index, domain::Date date, const GroupBy& by) {
  CapacityView view;
  view.date = date;
  RowsByKey<CapacityRow> rows;
  for (const OfferIndex& offer : index.offers()) {
    const domain::PlaceCounts counts = offer.counts_on(date);
    add(view.total, counts);
    for (GroupKey& key : group_keys(offer, offer.organisation_on(date), by)) {
      CapacityRow& row = rows[key];
      add(row.counts, counts);
      ++row.offers;
    }
  }
  view.rows = std::move(rows).sorted();
  return view;
}

}  // namespace placement::projections

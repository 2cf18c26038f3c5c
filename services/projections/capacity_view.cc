#include "services/projections/capacity_view.h"

#include <map>

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
  std::map<GroupKey, CapacityRow> rows;
  for (const OfferIndex& offer : index.offers()) {
    const domain::PlaceCounts counts = offer.counts_on(date);
    add(view.total, counts);
    for (GroupKey& key : group_keys(offer, by)) {
      CapacityRow& row = rows[key];
      add(row.counts, counts);
      ++row.offers;
    }
  }
  view.rows.reserve(rows.size());
  for (auto& [key, row] : rows) {
    row.key = key;
    view.rows.push_back(std::move(row));
  }
  return view;
}

}  // namespace placement::projections

#include "services/projections/waiting_view.h"

#include <algorithm>
#include <chrono>

namespace placement::projections {

domain::Date utc_date_of(domain::Instant instant) {
  const auto days = std::chrono::floor<std::chrono::days>(instant).time_since_epoch().count();
  return domain::Date::from_days(static_cast<std::int32_t>(days));
}

std::vector<WaitingRow> waiting_lists(const PlanningIndex& index, domain::Date at) {
  std::vector<WaitingRow> rows;
  for (const OfferIndex& entry : index.offers()) {
    const domain::OfferState& offer = *entry.offer;
    if (offer.waiting_list.empty()) continue;
    const OrganisationStep& organisation = entry.organisation_on(at);
    WaitingRow row{offer.id,    organisation.operator_code, organisation.region_code,
                   offer.level, offer.target_groups,        static_cast<std::int64_t>(offer.waiting_list.size()),
                   std::nullopt};
    // The list is ordered by request time, so the head is the oldest request.
    const domain::Date requested = utc_date_of(offer.waiting_list.front().requested_at);
    row.oldest_request_age_days = std::max<std::int64_t>(0, domain::days_between(requested, at));
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace placement::projections

#include "services/api/planning_queries.h"

#include "services/codec/api_mapping.h"
#include "services/codec/planning_mapping.h"
#include "services/codec/vocabulary_codec.h"
#include "services/projections/capacity_view.h"
#include "services/projections/financing.h"
#include "services/projections/occupancy_view.h"
#include "services/projections/settlement.h"
#include "services/projections/waiting_view.h"

namespace placement::api {

namespace pj = projections;

Result<v1::CapacityViewResponse> capacity_view(const ledger::IndexedModel& m, const v1::CapacityViewRequest& request) {
  if (!request.has_date()) return fail(Errc::invalid_argument, "date: missing");
  PLACEMENT_TRY(date, codec::from_proto(request.date(), "date"));
  PLACEMENT_TRY(by, codec::to_group_by(request.group_by()));
  return codec::to_proto(pj::capacity_at(m.index, date, by), m.model.position);
}

Result<v1::OccupancyViewResponse> occupancy_view(const ledger::IndexedModel& m,
                                                 const v1::OccupancyViewRequest& request) {
  PLACEMENT_TRY(period, codec::to_period(request.has_from(), request.from(), request.has_to(), request.to()));
  PLACEMENT_TRY(by, codec::to_group_by(request.group_by()));
  PLACEMENT_TRY(view, pj::occupancy_over(m.index, period, by));
  return codec::to_proto(view, m.model.position);
}

Result<v1::WaitingListsResponse> waiting_lists_view(const ledger::IndexedModel& m,
                                                    const v1::WaitingListsRequest& request) {
  if (!request.has_date()) return fail(Errc::invalid_argument, "date: missing");
  PLACEMENT_TRY(date, codec::from_proto(request.date(), "date"));
  return codec::to_proto(pj::waiting_lists(m.index, date), date, m.model.position);
}

Result<v1::FinancingResponse> financing_view(const ledger::IndexedModel& m, const v1::FinancingRequest& request) {
  PLACEMENT_TRY(period, codec::to_period(request.has_from(), request.from(), request.has_to(), request.to()));
  PLACEMENT_TRY(overrides, codec::to_overrides(request.overrides()));
  for (const auto& [offer_id, ignored] : overrides) {
    if (!m.index.find(offer_id)) return fail(Errc::not_found, "overrides: no offer '" + offer_id + "'");
  }
  PLACEMENT_TRY(view, pj::compute_financing(m.index, m.model.state.planning, period, overrides));
  return codec::to_proto(view, m.model.position);
}

Result<v1::SettlementResponse> settlement_view(const ledger::IndexedModel& m, const v1::SettlementRequest& request) {
  PLACEMENT_TRY(month, codec::to_year_month(request.month()));
  if (!request.has_as_of()) return fail(Errc::invalid_argument, "as_of: missing");
  PLACEMENT_TRY(as_of, codec::from_proto(request.as_of(), "as_of"));
  PLACEMENT_TRY(paying, codec::code_from_proto(request.paying_municipality_code(), "paying_municipality_code"));
  PLACEMENT_TRY(settlement, pj::monthly_settlement(m.index, month, as_of));
  return codec::to_proto(settlement, paying, m.model.position);
}

v1::SettlementResponse settlement_aggregates(v1::SettlementResponse settlement) {
  for (auto& statement : *settlement.mutable_statements()) {
    statement.clear_lines();
    if (statement.placements() < kMinPlacementsForTotal) {
      statement.set_total_ore(0);
      statement.set_total_withheld(true);
    }
  }
  return settlement;
}

}  // namespace placement::api

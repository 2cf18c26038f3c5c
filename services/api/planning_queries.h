#pragma once
// The planning views as functions of one indexed model and one request: what PlanningService's
// read RPCs compute once the caller is authorized and the model is taken (planning_views.h). The
// web dashboard (services/web) calls the same functions in-process, so both answer alike.
// Bad input is invalid_argument (or not_found for an unknown offer in a what-if) naming the field.

#include <cstdint>

#include "placement/v1/planning_service.pb.h"
#include "services/base/result.h"
#include "services/ledger/planning_views.h"

namespace placement::api {

Result<v1::CapacityViewResponse> capacity_view(const ledger::IndexedModel& m, const v1::CapacityViewRequest& request);
Result<v1::OccupancyViewResponse> occupancy_view(const ledger::IndexedModel& m,
                                                 const v1::OccupancyViewRequest& request);
Result<v1::WaitingListsResponse> waiting_lists_view(const ledger::IndexedModel& m,
                                                    const v1::WaitingListsRequest& request);
Result<v1::FinancingResponse> financing_view(const ledger::IndexedModel& m, const v1::FinancingRequest& request);
Result<v1::SettlementResponse> settlement_view(const ledger::IndexedModel& m, const v1::SettlementRequest& request);

// A settlement as planners see it: per paying municipality x operator x month, no lines (no
// placement id, no stay's dates, no one citizen's amount), and the total withheld where a
// statement covers fewer than kMinPlacementsForTotal placements.
inline constexpr std::uint32_t kMinPlacementsForTotal = 3;
v1::SettlementResponse settlement_aggregates(v1::SettlementResponse settlement);

}  // namespace placement::api

#pragma once
// PlanningService requests → projections' parameters and planning commands, and the projections'
// views → PlanningService responses. Malformed input is refused with invalid_argument naming the
// field; rules needing the state (unknown region, placement …) are domain::decide's.
// The responses carry no citizen data because the views hold none (only offer and placement ids,
// codes and counts).

#include <google/protobuf/repeated_field.h>

#include "placement/v1/planning_service.pb.h"
#include "services/base/result.h"
#include "services/domain/commands.h"
#include "services/domain/dates.h"
#include "services/projections/capacity_view.h"
#include "services/projections/financing.h"
#include "services/projections/occupancy_view.h"
#include "services/projections/settlement.h"
#include "services/projections/waiting_view.h"

namespace placement::codec {

// Each field at most once; UNSPECIFIED or unknown values refused.
Result<projections::GroupBy> to_group_by(const google::protobuf::RepeatedField<int>& fields);

// A finite, non-empty half-open period [from, to).
Result<domain::DateRange> to_period(bool has_from, const v1::CalendarDate& from, bool has_to,
                                    const v1::CalendarDate& to);

// Overrides for a what-if; an offer named twice, an invalid model or a negative rate is refused.
Result<projections::FinancingOverrides> to_overrides(
    const google::protobuf::RepeatedPtrField<v1::FinancingOverride>& overrides);

Result<domain::YearMonth> to_year_month(const v1::YearMonth& month, std::string_view field = "month");

// Planning inputs as domain commands; the rules that need the state are domain::decide's.
Result<domain::SetObjectiveKey> to_command(const v1::SetObjectiveKeyRequest& request);
Result<domain::SetBlockGrant> to_command(const v1::SetBlockGrantRequest& request);
Result<domain::SetRefundTiers> to_command(const v1::SetRefundTiersRequest& request);
Result<domain::RecordCaseCosts> to_command(const v1::RecordCaseCostsRequest& request);
Result<domain::RecordIncome> to_command(const v1::RecordIncomeRequest& request);

v1::CapacityViewResponse to_proto(const projections::CapacityView& view, Position position);
v1::OccupancyViewResponse to_proto(const projections::OccupancyView& view, Position position);
v1::WaitingListsResponse to_proto(const std::vector<projections::WaitingRow>& rows, domain::Date date,
                                  Position position);
v1::FinancingResponse to_proto(const projections::FinancingView& view, Position position);
// Only the statements of paying_municipality when it is not 0.
v1::SettlementResponse to_proto(const projections::MonthlySettlement& settlement, std::int32_t paying_municipality,
                                Position position);

}  // namespace placement::codec

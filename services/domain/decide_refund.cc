// What counts for the state refund beside the place-days: case costs (case_costs.h), and the rule
// that income is recorded only against a month with a cost to deduct it from (stream "planning").

#include <cstdio>

#include "services/domain/case_costs.h"
#include "services/domain/decide_support.h"
#include "services/domain/occupancy.h"

namespace placement::domain::detail {
namespace {

std::string month_text(YearMonth month) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u", month.year, month.month);
  return text;
}

bool occupies_a_day_in(const PlacementState& placement, YearMonth month) {
  const DateRange days{month.first_day(), month.end()};
  for (const Hold& hold : holds_of(placement)) {
    if (hold.kind == HoldKind::occupied && overlap(hold.range, days)) return true;
  }
  return false;
}

}  // namespace

Status require_valid_month(YearMonth month, std::string_view what) {
  if (month.month < 1 || month.month > 12 || month.year < 1900 || month.year > 9999) {
    return fail(Errc::invalid_argument, std::string(what) + " must be a valid year (1900 to 9999) and month 1 to 12");
  }
  return ok();
}

// Income is deducted from the month's cost of the case (DOMAIN.md) and never carries over to
// another month, so income of a month without cost would be dropped without a trace: refused.
Status require_cost_in_month(const State& state, const PlacementState& placement, YearMonth month) {
  if (occupies_a_day_in(placement, month)) return ok();
  if (case_cost_in_month(state.planning, placement.id, month).value != 0) return ok();
  return fail(Errc::failed_precondition,
              "placement '" + placement.id + "' has no cost in " + month_text(month) +
                  " (no occupied place-day and no case cost recorded): income is deducted from the cost of its own "
                  "month and does not carry over, so record it for the month it belongs to, or record that "
                  "month's case costs first");
}

Result<Events> decide_command(const State& state, const Command&, const RecordCaseCosts& body) {
  PLACEMENT_TRY(placement, require_placement(state, body.placement_id));
  PLACEMENT_TRY(require_valid_month(body.month, "case cost month"));
  if (body.month.year > 9998) {
    return fail(Errc::invalid_argument, "case cost month must be before 9999 (a one-off counts for 12 months)");
  }
  if (body.costs.other_costs.value < 0 || body.costs.one_off.value < 0) {
    return fail(Errc::invalid_argument, "case costs must not be negative");
  }
  // Income already recorded against a month whose only cost this replaces must keep a cost.
  if (auto income = state.planning.income.find(body.placement_id); income != state.planning.income.end()) {
    PlanningInputs after;
    if (auto costs = state.planning.case_costs.find(body.placement_id); costs != state.planning.case_costs.end()) {
      after.case_costs.emplace(costs->first, costs->second);
    }
    after.case_costs[body.placement_id][body.month] = body.costs;
    for (const auto& [month, recorded] : income->second) {
      if (recorded.total().value == 0 || occupies_a_day_in(*placement, month) ||
          case_cost_in_month(after, body.placement_id, month).value != 0) {
        continue;
      }
      return fail(Errc::failed_precondition, "income is recorded against placement '" + body.placement_id + "' for " +
                                                 month_text(month) +
                                                 ", and these case costs would leave that month without a cost to "
                                                 "deduct it from; record the month's income as 0 first");
    }
  }
  return Events{CaseCostsRecorded{body.placement_id, body.month, body.costs}};
}

}  // namespace placement::domain::detail

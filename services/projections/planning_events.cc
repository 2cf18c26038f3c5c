#include "services/projections/planning_events.h"

#include <string>

namespace placement::projections {
namespace {

struct Validator {
  const domain::State& state;

  Status operator()(const ObjectiveKeySet& e) const {
    for (const auto& [code, weight] : e.weights) {
      if (!state.municipalities.contains(code)) {
        return fail(Errc::invalid_argument, "objective key names unknown municipality " + std::to_string(code));
      }
      if (weight < 0) return fail(Errc::invalid_argument, "an objective-key weight must not be negative");
    }
    return ok();
  }

  Status operator()(const BlockGrantSet& e) const {
    if (!state.regions.contains(e.region_code)) {
      return fail(Errc::invalid_argument, "block grant for unknown region " + std::to_string(e.region_code));
    }
    if (e.year < 1900 || e.year > 9999) return fail(Errc::invalid_argument, "year must be 1900 to 9999");
    if (e.amount.value < 0) return fail(Errc::invalid_argument, "a block grant must not be negative");
    return ok();
  }

  Status operator()(const RefundTiersSet& e) const {
    if (e.year < 1900 || e.year > 9999) return fail(Errc::invalid_argument, "year must be 1900 to 9999");
    Ore previous{-1};
    for (const RefundTier& tier : e.tiers) {
      if (tier.threshold_per_year <= previous || tier.threshold_per_year.value < 0) {
        return fail(Errc::invalid_argument, "refund thresholds must be non-negative and strictly increasing");
      }
      if (tier.percent_bp < 0 || tier.percent_bp > 10'000) {
        return fail(Errc::invalid_argument, "a refund percentage must be 0 to 10000 basis points");
      }
      previous = tier.threshold_per_year;
    }
    return ok();
  }

  Status operator()(const IncomeRecorded& e) const {
    if (!domain::find_placement(state, e.placement_id)) {
      return fail(Errc::not_found, "placement '" + e.placement_id + "' does not exist");
    }
    if (e.month.month < 1 || e.month.month > 12 || e.month.year < 1900 || e.month.year > 9999) {
      return fail(Errc::invalid_argument, "income month must be a valid year and month 1 to 12");
    }
    if (e.income.user_payments.value < 0 || e.income.other_refunds.value < 0) {
      return fail(Errc::invalid_argument, "income must not be negative");
    }
    return ok();
  }
};

struct Applier {
  PlanningInputs& inputs;

  void operator()(const ObjectiveKeySet& e) const {
    if (e.weights.empty()) {
      inputs.objective_key_override.reset();
    } else {
      inputs.objective_key_override = e.weights;
    }
  }
  void operator()(const BlockGrantSet& e) const { inputs.block_grants[{e.region_code, e.year}] = e.amount; }
  void operator()(const RefundTiersSet& e) const { inputs.refund_tiers[e.year] = e.tiers; }
  void operator()(const IncomeRecorded& e) const { inputs.income[e.placement_id][e.month] = e.income; }
};

}  // namespace

std::string_view event_type_name(const PlanningEvent& event) {
  static constexpr std::string_view kNames[] = {"ObjectiveKeySet", "BlockGrantSet", "RefundTiersSet",
                                                "IncomeRecorded"};
  return kNames[event.index()];
}

Status validate(const domain::State& state, const PlanningEvent& event) {
  return std::visit(Validator{state}, event);
}

void apply(PlanningInputs& inputs, const PlanningEvent& event) { std::visit(Applier{inputs}, event); }

}  // namespace placement::projections

// Planning inputs: the objective key, block grants, refund tiers and income recorded against a
// placement (stream "planning").

#include "services/domain/decide_support.h"

namespace placement::domain::detail {
namespace {

Status require_year(int year) {
  if (year < 1900 || year > 9999) return fail(Errc::invalid_argument, "year must be 1900 to 9999");
  return ok();
}

}  // namespace

Result<Events> decide_command(const State& state, const Command&, const SetObjectiveKey& body) {
  for (const auto& [code, weight] : body.weights) {
    if (!state.municipalities.contains(code)) {
      return fail(Errc::invalid_argument, "objective key names unknown municipality " + std::to_string(code));
    }
    if (weight < 0) return fail(Errc::invalid_argument, "an objective-key weight must not be negative");
  }
  return Events{ObjectiveKeySet{body.weights}};
}

Result<Events> decide_command(const State& state, const Command&, const SetBlockGrant& body) {
  if (!state.regions.contains(body.region_code)) {
    return fail(Errc::invalid_argument, "block grant for unknown region " + std::to_string(body.region_code));
  }
  PLACEMENT_TRY(require_year(body.year));
  if (body.amount.value < 0) return fail(Errc::invalid_argument, "a block grant must not be negative");
  return Events{BlockGrantSet{body.region_code, body.year, body.amount}};
}

Result<Events> decide_command(const State&, const Command&, const SetRefundTiers& body) {
  PLACEMENT_TRY(require_year(body.year));
  Ore previous{-1};
  for (const RefundTier& tier : body.tiers) {
    if (tier.threshold_per_year <= previous || tier.threshold_per_year.value < 0) {
      return fail(Errc::invalid_argument, "refund thresholds must be non-negative and strictly increasing");
    }
    if (tier.percent_bp < 0 || tier.percent_bp > 10'000) {
      return fail(Errc::invalid_argument, "a refund percentage must be 0 to 10000 basis points");
    }
    previous = tier.threshold_per_year;
  }
  if (body.price_level != 0 && (body.price_level < 1900 || body.price_level > body.year)) {
    return fail(Errc::invalid_argument,
                "the price level of refund thresholds must be a year from 1900 to the budget "
                "year " +
                    std::to_string(body.year) + " (0: the budget year's own)");
  }
  return Events{RefundTiersSet{body.year, body.tiers, body.price_level != 0 ? body.price_level : body.year}};
}

Result<Events> decide_command(const State& state, const Command&, const RecordIncome& body) {
  PLACEMENT_TRY(placement, require_placement(state, body.placement_id));
  PLACEMENT_TRY(require_valid_month(body.month, "income month"));
  if (body.income.user_payments.value < 0 || body.income.other_refunds.value < 0) {
    return fail(Errc::invalid_argument, "income must not be negative");
  }
  if (body.income.total().value != 0) {
    PLACEMENT_TRY(require_cost_in_month(state, *placement, body.month));
  }
  return Events{IncomeRecorded{body.placement_id, body.month, body.income}};
}

}  // namespace placement::domain::detail

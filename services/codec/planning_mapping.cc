#include "services/codec/planning_mapping.h"

#include <set>
#include <string>

#include "services/codec/api_mapping.h"
#include "services/codec/input_limits.h"
#include "services/codec/vocabulary_codec.h"

namespace placement::codec {
namespace {

namespace pj = projections;

Error invalid(std::string message) { return Error{Errc::invalid_argument, std::move(message)}; }

v1::GroupKey to_proto(const pj::GroupKey& key) {
  v1::GroupKey out;
  out.set_offer_id(key.offer_id);
  out.set_operator_code(code_to_proto(key.operator_code));
  out.set_region_code(code_to_proto(key.region_code));
  out.set_target_group(codec::to_proto(key.target_group));
  out.set_level(codec::to_proto(key.level));
  return out;
}

void fill_occupancy_row(const pj::OccupancyRow& row, v1::OccupancyRow* out) {
  *out->mutable_key() = to_proto(row.key);
  out->set_open_place_days(row.place_days.open);
  out->set_occupied_place_days(row.place_days.occupied);
  out->set_reserved_place_days(row.place_days.reserved);
  out->set_occupancy_bp(row.occupancy_bp);
  out->set_offers(row.offers);
  *out->mutable_from() = codec::to_proto(row.period.from);
  *out->mutable_to() = codec::to_proto(row.period.to);
}

v1::YearMonth to_proto(const domain::YearMonth& month) {
  v1::YearMonth out;
  out.set_year(month.year);
  out.set_month(month.month);
  return out;
}

}  // namespace

Result<pj::GroupBy> to_group_by(const google::protobuf::RepeatedField<int>& fields) {
  pj::GroupBy by;
  std::set<int> seen;
  for (int field : fields) {
    if (!seen.insert(field).second) return invalid("group_by: a field is named twice");
    switch (field) {
      case v1::GROUP_FIELD_OFFER: by.offer = true; break;
      case v1::GROUP_FIELD_OPERATOR: by.operator_code = true; break;
      case v1::GROUP_FIELD_REGION: by.region = true; break;
      case v1::GROUP_FIELD_TARGET_GROUP: by.target_group = true; break;
      case v1::GROUP_FIELD_LEVEL: by.level = true; break;
      default: return invalid("group_by: " + std::to_string(field) + " is not a group field");
    }
  }
  return by;
}

Result<domain::DateRange> to_period(bool has_from, const v1::CalendarDate& from, bool has_to,
                                    const v1::CalendarDate& to) {
  if (!has_from) return invalid("from: missing");
  if (!has_to) return invalid("to: missing");
  PLACEMENT_TRY(first, from_proto(from, "from"));
  PLACEMENT_TRY(end, from_proto(to, "to"));
  if (end <= first) return invalid("to: must be after from (the period is [from, to))");
  return domain::DateRange{first, end};
}

Result<pj::FinancingOverrides> to_overrides(
    const google::protobuf::RepeatedPtrField<v1::FinancingOverride>& overrides) {
  pj::FinancingOverrides out;
  for (const auto& entry : overrides) {
    if (entry.offer_id().empty()) return invalid("overrides.offer_id: missing");
    PLACEMENT_TRY(check_id_length(entry.offer_id(), "overrides.offer_id"));
    pj::OfferOverride one;
    if (entry.has_financing()) {
      PLACEMENT_TRY(financing, from_proto(entry.financing(), "overrides.financing"));
      if (auto valid = domain::validate(financing); !valid)
        return invalid("overrides.financing: " + valid.error().message);
      one.financing = financing;
    }
    if (entry.has_rate()) {
      const auto& rate = entry.rate();
      if (rate.daily_rate_ore() < 0 || rate.daily_copayment_rate_ore() < 0 || rate.daily_vacancy_rate_ore() < 0)
        return invalid("overrides.rate: amounts must not be negative");
      for (std::int64_t ore : {rate.daily_rate_ore(), rate.daily_copayment_rate_ore(), rate.daily_vacancy_rate_ore()}) {
        PLACEMENT_TRY(check_amount(ore, kMaxDailyRateOre, "overrides.rate"));
      }
      one.rate = from_proto(rate);
      // As SetRate: a vacancy rate of 0 means the daily rate (only OBJEKTIV uses it).
      if (one.rate->daily_vacancy_rate.value == 0) one.rate->daily_vacancy_rate = one.rate->daily_rate;
    }
    if (!out.emplace(entry.offer_id(), one).second)
      return invalid("overrides: offer '" + entry.offer_id() + "' is named twice");
  }
  return out;
}

Result<domain::YearMonth> to_year_month(const v1::YearMonth& month, std::string_view field) {
  if (month.month() < 1 || month.month() > 12 || month.year() < 1900 || month.year() > 9999)
    return invalid(std::string(field) + ": a year 1900..9999 and a month 1..12");
  return domain::YearMonth{month.year(), month.month()};
}

Result<domain::SetObjectiveKey> to_command(const v1::SetObjectiveKeyRequest& request) {
  domain::SetObjectiveKey command;
  for (const auto& weight : request.weights()) {
    PLACEMENT_TRY(code, code_from_proto(weight.municipality_code(), "weights.municipality_code"));
    if (!command.weights.emplace(code, weight.weight()).second)
      return invalid("weights: municipality " + std::to_string(code) + " is named twice");
  }
  return command;
}

Result<domain::SetBlockGrant> to_command(const v1::SetBlockGrantRequest& request) {
  PLACEMENT_TRY(region, code_from_proto(request.region_code(), "region_code"));
  PLACEMENT_TRY(check_amount(request.amount_ore(), kMaxAmountOre, "amount_ore"));
  return domain::SetBlockGrant{region, request.year(), Ore{request.amount_ore()}};
}

Result<domain::SetRefundTiers> to_command(const v1::SetRefundTiersRequest& request) {
  domain::SetRefundTiers command;
  command.year = request.year();
  command.price_level = request.price_level();
  for (const auto& tier : request.tiers()) {
    PLACEMENT_TRY(check_amount(tier.threshold_per_year_ore(), kMaxAmountOre, "tiers.threshold_per_year_ore"));
  }
  for (const auto& tier : request.tiers())
    command.tiers.push_back({Ore{tier.threshold_per_year_ore()}, tier.percent_bp()});
  return command;
}

Result<domain::RecordIncome> to_command(const v1::RecordIncomeRequest& request) {
  if (request.placement_id().empty()) return invalid("placement_id: missing");
  PLACEMENT_TRY(check_id_length(request.placement_id(), "placement_id"));
  for (const auto& [field, ore] : {std::pair{"user_payments_ore", request.user_payments_ore()},
                                   {"other_refunds_ore", request.other_refunds_ore()}}) {
    PLACEMENT_TRY(check_amount(ore, kMaxAmountOre, field));
  }
  return domain::RecordIncome{request.placement_id(), domain::YearMonth{request.year(), request.month()},
                              domain::MonthIncome{Ore{request.user_payments_ore()}, Ore{request.other_refunds_ore()}}};
}

Result<domain::RecordCaseCosts> to_command(const v1::RecordCaseCostsRequest& request) {
  if (request.placement_id().empty()) return invalid("placement_id: missing");
  PLACEMENT_TRY(check_id_length(request.placement_id(), "placement_id"));
  for (const auto& [field, ore] :
       {std::pair{"other_costs_ore", request.other_costs_ore()}, {"one_off_ore", request.one_off_ore()}}) {
    PLACEMENT_TRY(check_amount(ore, kMaxAmountOre, field));
  }
  return domain::RecordCaseCosts{request.placement_id(), domain::YearMonth{request.year(), request.month()},
                                 domain::CaseCosts{Ore{request.other_costs_ore()}, Ore{request.one_off_ore()}}};
}

v1::CapacityViewResponse to_proto(const pj::CapacityView& view, Position position) {
  v1::CapacityViewResponse out;
  *out.mutable_date() = codec::to_proto(view.date);
  for (const auto& row : view.rows) {
    auto* added = out.add_rows();
    *added->mutable_key() = to_proto(row.key);
    *added->mutable_counts() = codec::to_proto(row.counts);
    added->set_offers(row.offers);
  }
  *out.mutable_total() = codec::to_proto(view.total);
  out.set_position(position.value);
  return out;
}

v1::OccupancyViewResponse to_proto(const pj::OccupancyView& view, Position position) {
  v1::OccupancyViewResponse out;
  *out.mutable_from() = codec::to_proto(view.period.from);
  *out.mutable_to() = codec::to_proto(view.period.to);
  for (const auto& row : view.rows) fill_occupancy_row(row, out.add_rows());
  fill_occupancy_row(view.total, out.mutable_total());
  out.set_position(position.value);
  return out;
}

v1::WaitingListsResponse to_proto(const std::vector<pj::WaitingRow>& rows, domain::Date date, Position position) {
  v1::WaitingListsResponse out;
  *out.mutable_date() = codec::to_proto(date);
  for (const auto& row : rows) {
    auto* added = out.add_offers();
    added->set_offer_id(row.offer_id);
    added->set_operator_code(code_to_proto(row.operator_code));
    added->set_region_code(code_to_proto(row.region_code));
    added->set_level(codec::to_proto(row.level));
    for (auto group : row.target_groups) added->add_target_groups(codec::to_proto(group));
    added->set_length(row.length);
    added->set_oldest_request_age_days(row.oldest_request_age_days.value_or(0));
  }
  out.set_position(position.value);
  return out;
}

v1::FinancingResponse to_proto(const pj::FinancingView& view, Position position) {
  v1::FinancingResponse out;
  *out.mutable_from() = codec::to_proto(view.period.from);
  *out.mutable_to() = codec::to_proto(view.period.to);
  for (const auto& m : view.municipalities) {
    auto* added = out.add_municipalities();
    added->set_municipality_code(code_to_proto(m.municipality_code));
    added->set_occupied_place_days(m.occupied_place_days);
    added->set_usage_payments_ore(m.usage_payments.value);
    added->set_copayments_ore(m.copayments.value);
    added->set_objective_share_ore(m.objective_share.value);
    added->set_mixed_objective_share_ore(m.mixed_objective_share.value);
    added->set_refund_ore(m.refund.value);
    added->set_net_ore(m.net.value);
    added->set_case_costs_ore(m.case_costs.value);
  }
  for (const auto& r : view.regions) {
    auto* added = out.add_regions();
    added->set_region_code(code_to_proto(r.region_code));
    added->set_year(r.year);
    added->set_block_grant_ore(r.block_grant.value);
    added->set_used_ore(r.used.value);
    added->set_left_ore(r.left.value);
  }
  for (const auto& o : view.offers) {
    auto* added = out.add_offers();
    added->set_offer_id(o.offer_id);
    added->set_operator_code(code_to_proto(o.operator_code));
    added->set_region_code(code_to_proto(o.region_code));
    *added->mutable_financing() = codec::to_proto(o.financing);
    added->set_open_place_days(o.open_place_days);
    added->set_occupied_place_days(o.occupied_place_days);
    added->set_unpriced_place_days(o.unpriced_place_days);
    added->set_total_cost_ore(o.total_cost.value);
    added->set_usage_paid_ore(o.usage_paid.value);
    added->set_copayments_ore(o.copayments.value);
    added->set_vacancy_cost_ore(o.vacancy_cost.value);
    added->set_objective_part_ore(o.objective_part.value);
    added->set_region_cost_ore(o.region_cost.value);
    added->set_operator_vacancy_ore(o.operator_vacancy.value);
    *added->mutable_from() = codec::to_proto(o.period.from);
    *added->mutable_to() = codec::to_proto(o.period.to);
  }
  const auto& t = view.totals;
  auto* totals = out.mutable_totals();
  totals->set_total_cost_ore(t.total_cost.value);
  totals->set_usage_paid_ore(t.usage_paid.value);
  totals->set_copayments_ore(t.copayments.value);
  totals->set_vacancy_cost_ore(t.vacancy_cost.value);
  totals->set_objective_part_ore(t.objective_part.value);
  totals->set_region_cost_ore(t.region_cost.value);
  totals->set_operator_vacancy_ore(t.operator_vacancy.value);
  totals->set_refund_ore(t.refund.value);
  totals->set_municipalities_net_ore(t.municipalities_net.value);
  for (const auto& a : view.refund_amounts) {
    auto* added = out.add_refund_amounts();
    added->set_year(a.year);
    added->set_amounts_of_year(a.amounts_of);
    added->set_price_level(a.price_level);
    added->set_latest_known(a.latest_known);
  }
  out.set_position(position.value);
  return out;
}

v1::SettlementResponse to_proto(const pj::MonthlySettlement& settlement, std::int32_t paying_municipality,
                                Position position) {
  v1::SettlementResponse out;
  *out.mutable_month() = to_proto(settlement.month);
  *out.mutable_as_of() = codec::to_proto(settlement.as_of);
  for (const auto& statement : settlement.statements) {
    if (paying_municipality != 0 && statement.paying_municipality != paying_municipality) continue;
    auto* added = out.add_statements();
    added->set_paying_municipality_code(code_to_proto(statement.paying_municipality));
    added->set_operator_code(code_to_proto(statement.operator_code));
    for (const auto& line : statement.lines) {
      auto* l = added->add_lines();
      l->set_placement_id(line.placement_id);
      l->set_offer_id(line.offer_id);
      *l->mutable_from() = codec::to_proto(line.days.from);
      *l->mutable_to() = codec::to_proto(line.days.to);
      l->set_place_days(line.place_days);
      l->set_unpriced_place_days(line.unpriced_place_days);
      for (const auto& part : line.rates) {
        auto* p = l->add_rates();
        *p->mutable_from() = codec::to_proto(part.days.from);
        *p->mutable_to() = codec::to_proto(part.days.to);
        p->set_daily_amount_ore(part.daily_amount.value);
        p->set_amount_ore(part.amount.value);
      }
      l->set_amount_ore(line.amount.value);
      l->set_beyond_billing_limit(line.beyond_billing_limit);
      l->set_place_days_beyond_billing_limit(line.place_days_beyond_billing_limit);
    }
    added->set_total_ore(statement.total.value);
    std::set<std::string_view> placements;
    std::int64_t place_days = 0;
    std::int64_t beyond_limit = 0;
    for (const auto& line : statement.lines) {
      placements.insert(line.placement_id);
      place_days += line.place_days;
      beyond_limit += line.place_days_beyond_billing_limit;
    }
    added->set_place_days(place_days);
    added->set_place_days_beyond_billing_limit(beyond_limit);
    added->set_placements(static_cast<std::uint32_t>(placements.size()));
  }
  out.set_position(position.value);
  return out;
}

}  // namespace placement::codec

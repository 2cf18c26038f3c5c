#include "services/codec/planning_codec.h"

#include "services/codec/variant_codec.h"

#include <array>
#include <climits>
#include <string>
#include <utility>
#include <variant>

#include "placement/v1/planning_events.pb.h"
#include "services/codec/vocabulary_codec.h"

namespace placement::codec {
namespace {

namespace pj = projections;

// ---- one to_message / from_message pair per planning event ----

v1::ObjectiveKeySet to_message(const pj::ObjectiveKeySet& e) {
  v1::ObjectiveKeySet m;
  for (const auto& [code, weight] : e.weights) {  // the map keeps them ascending
    auto* entry = m.add_weights();
    entry->set_municipality_code(code_to_proto(code));
    entry->set_weight(weight);
  }
  return m;
}

Result<pj::ObjectiveKeySet> from_message(const v1::ObjectiveKeySet& m) {
  pj::ObjectiveKeySet e;
  for (const auto& entry : m.weights()) {
    auto code = code_from_proto(entry.municipality_code(), "weights.municipality_code");
    if (!code) return code.error();
    if (!e.weights.emplace(code.value(), entry.weight()).second)
      return Error{Errc::invalid_argument, "weights: municipality " + std::to_string(code.value()) + " named twice"};
  }
  return e;
}

v1::BlockGrantSet to_message(const pj::BlockGrantSet& e) {
  v1::BlockGrantSet m;
  m.set_region_code(code_to_proto(e.region_code));
  m.set_year(e.year);
  m.set_amount_ore(e.amount.value);
  return m;
}

Result<pj::BlockGrantSet> from_message(const v1::BlockGrantSet& m) {
  auto region = code_from_proto(m.region_code(), "region_code");
  if (!region) return region.error();
  return pj::BlockGrantSet{region.value(), m.year(), Ore{m.amount_ore()}};
}

v1::RefundTiersSet to_message(const pj::RefundTiersSet& e) {
  v1::RefundTiersSet m;
  m.set_year(e.year);
  for (const auto& tier : e.tiers) {
    auto* out = m.add_tiers();
    out->set_threshold_per_year_ore(tier.threshold_per_year.value);
    out->set_percent_bp(tier.percent_bp);
  }
  return m;
}

Result<pj::RefundTiersSet> from_message(const v1::RefundTiersSet& m) {
  pj::RefundTiersSet e;
  e.year = m.year();
  e.tiers.reserve(static_cast<std::size_t>(m.tiers_size()));
  for (const auto& tier : m.tiers()) e.tiers.push_back({Ore{tier.threshold_per_year_ore()}, tier.percent_bp()});
  return e;
}

v1::IncomeRecorded to_message(const pj::IncomeRecorded& e) {
  v1::IncomeRecorded m;
  m.set_placement_id(e.placement_id);
  m.set_year(e.month.year);
  m.set_month(e.month.month);
  m.set_user_payments_ore(e.income.user_payments.value);
  m.set_other_refunds_ore(e.income.other_refunds.value);
  return m;
}

Result<pj::IncomeRecorded> from_message(const v1::IncomeRecorded& m) {
  return pj::IncomeRecorded{m.placement_id(), pj::YearMonth{m.year(), m.month()},
                            pj::MonthIncome{Ore{m.user_payments_ore()}, Ore{m.other_refunds_ore()}}};
}

// ---- dispatch, generated from the PlanningEvent variant ----

// How this file's events meet the shared variant codec.
struct Traits {
  static std::string_view name(const pj::PlanningEvent& event) { return pj::event_type_name(event); }
  template <class E>
  static auto to(const E& event) {
    return to_message(event);
  }
  template <class M>
  static auto from(const M& message) {
    return from_message(message);
  }
};

using Codec = detail::VariantCodec<pj::PlanningEvent, Traits>;

std::string unknown_planning_type(std::string_view type) {
  return "stored event has an unknown planning type \"" + std::string(type) + "\"";
}

}  // namespace

storage::NewEvent encode_planning_event(const projections::PlanningEvent& event) { return Codec::encode(event); }

Result<projections::PlanningEvent> decode_planning_event(std::string_view type, std::string_view payload) {
  return Codec::decode(type, payload, unknown_planning_type);
}

Status decode_planning_event_into(std::string_view type, std::string_view payload, projections::PlanningEvent& out) {
  return Codec::decode_into(type, payload, out, unknown_planning_type);
}

bool is_planning_event_type(std::string_view type) {
  return Codec::knows(type);
}

}  // namespace placement::codec

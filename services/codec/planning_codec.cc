#include "services/codec/planning_codec.h"

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

template <class E>
using MessageOf = decltype(to_message(std::declval<const E&>()));

template <class E>
Result<pj::PlanningEvent> decode_as(std::string_view type, std::string_view payload) {
  MessageOf<E> message;
  if (payload.size() > static_cast<std::size_t>(INT_MAX) ||
      !message.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    return fail(Errc::data_loss, "stored event " + std::string(type) + " does not parse as " +
                                     message.GetDescriptor()->full_name());
  }
  auto event = from_message(message);
  if (!event) {
    return fail(Errc::data_loss,
                "stored event " + std::string(type) + " holds a value this build cannot read: " + event.error().message);
  }
  return pj::PlanningEvent{std::move(event).value()};
}

struct Decoder {
  std::string_view type;
  Result<pj::PlanningEvent> (*decode)(std::string_view type, std::string_view payload);
};

template <std::size_t... I>
std::array<Decoder, sizeof...(I)> make_decoders(std::index_sequence<I...>) {
  return {Decoder{pj::event_type_name(pj::PlanningEvent(std::in_place_index<I>)),
                  &decode_as<std::variant_alternative_t<I, pj::PlanningEvent>>}...};
}

const std::array<Decoder, std::variant_size_v<pj::PlanningEvent>>& decoders() {
  static const auto table = make_decoders(std::make_index_sequence<std::variant_size_v<pj::PlanningEvent>>{});
  return table;
}

}  // namespace

storage::NewEvent encode_planning_event(const projections::PlanningEvent& event) {
  return std::visit(
      [&event](const auto& e) {
        return storage::NewEvent{std::string(projections::event_type_name(event)), to_message(e).SerializeAsString()};
      },
      event);
}

Result<projections::PlanningEvent> decode_planning_event(std::string_view type, std::string_view payload) {
  for (const auto& decoder : decoders()) {
    if (decoder.type == type) return decoder.decode(type, payload);
  }
  return fail(Errc::data_loss, "stored event has an unknown planning type \"" + std::string(type) + "\"");
}

bool is_planning_event_type(std::string_view type) {
  for (const auto& decoder : decoders()) {
    if (decoder.type == type) return true;
  }
  return false;
}

}  // namespace placement::codec

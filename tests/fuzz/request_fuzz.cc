// libFuzzer target: bytes → one public API request → the server's validation and mapping → the
// domain's decision against a small fixed State → (when accepted) apply, and the event codec round
// trip of every decided event. Byte 0 picks the request type, the rest is its protobuf encoding.
//
// What it holds the code to: no crash, leak or undefined behaviour on any input; every refusal is
// a clear invalid_argument from the mapping (naming a field) or a domain error, with a message;
// decide never changes the state it was given; every event decide produces survives
// encode → decode unchanged.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "services/codec/api_mapping.h"
#include "services/codec/event_codec.h"
#include "services/codec/planning_mapping.h"
#include "services/codec/vocabulary_codec.h"
#include "services/domain/cpr.h"
#include "services/domain/queries.h"
#include "tests/fuzz/fuzz_selectors.h"
#include "tests/fuzz/fuzz_state.h"

namespace placement::fuzz {
namespace {

// A finding, not an input to refuse: the harness stops the run with the input that caused it.
void check(bool holds) {
  if (!holds) std::abort();
}

void expect_clear_refusal(const Error& error) { check(!error.message.empty()); }

void decide_and_round_trip(Result<domain::CommandBody> body) {
  if (!body) return expect_clear_refusal(body.error());
  const domain::State& state = fixed_state();
  auto events = domain::decide(state, fuzz_command(std::move(body).value()));
  if (!events) return expect_clear_refusal(events.error());
  domain::State after = state;
  for (const domain::Event& event : events.value()) {
    domain::apply(after, event);
    const storage::NewEvent encoded = codec::encode_event(event);
    auto decoded = codec::decode_event(encoded.type, encoded.payload);
    check(decoded && decoded.value() == event);
  }
}

template <class Command> Result<domain::CommandBody> as_body(Result<Command> command) {
  if (!command) return outcome::failure(command.error());
  return domain::CommandBody{std::move(command).value()};
}

template <class Request> bool parse(Request& request, const std::uint8_t* data, std::size_t size) {
  return request.ParseFromArray(data, static_cast<int>(size));
}

// The command RPCs check the command id before they map the request (command_call.h).
template <class Request> bool command_id_valid(const Request& request) {
  auto valid = codec::validate_command_id(request.command_id());
  if (!valid) expect_clear_refusal(valid.error());
  return static_cast<bool>(valid);
}

template <class Request, class Map> void command_request(const std::uint8_t* data, std::size_t size, Map&& map) {
  Request request;
  if (!parse(request, data, size) || !command_id_valid(request)) return;
  decide_and_round_trip(map(request));
}

const std::chrono::seconds kHold = std::chrono::hours(48);

void fuzz_one(std::uint8_t selector, const std::uint8_t* data, std::size_t size) {
  using K = RequestKind;
  switch (static_cast<RequestKind>(selector % kRequestKinds)) {
    case K::register_offer:
      return command_request<v1::RegisterOfferRequest>(data, size,
                                                       [](const auto& r) { return as_body(codec::to_command(r)); });
    case K::change_capacity:
      return command_request<v1::ChangeCapacityRequest>(data, size,
                                                        [](const auto& r) { return as_body(codec::to_command(r)); });
    case K::set_rate:
      return command_request<v1::SetRateRequest>(data, size,
                                                 [](const auto& r) { return as_body(codec::to_command(r)); });
    case K::close_offer:
      return command_request<v1::CloseOfferRequest>(data, size,
                                                    [](const auto& r) { return as_body(codec::to_command(r)); });
    case K::request_placement:
      return command_request<v1::RequestPlacementRequest>(data, size, [](const auto& r) -> Result<domain::CommandBody> {
        // As the server does: the CPR number gives the birth date; the pseudonym is fixed here.
        auto cpr = domain::parse_cpr(r.cpr());
        if (!cpr) return outcome::failure(cpr.error());
        const std::string placement_id = r.placement_id().empty() ? "p-new" : r.placement_id();
        return as_body(
            codec::to_command(r, placement_id, domain::CitizenRef{"citizen-new", "", ""}, cpr.value().birth_date));
      });
    case K::reserve_place:
      return command_request<v1::ReservePlaceRequest>(
          data, size, [](const auto& r) { return as_body(codec::to_command(r, kHold)); });
    case K::allocate_place:
      return command_request<v1::AllocatePlaceRequest>(
          data, size, [](const auto& r) { return as_body(codec::to_command(r, kHold)); });
    case K::admit_placement:
      return command_request<v1::AdmitPlacementRequest>(data, size,
                                                        [](const auto& r) { return as_body(codec::to_command(r)); });
    case K::transfer_placement:
      return command_request<v1::TransferPlacementRequest>(data, size,
                                                           [](const auto& r) { return as_body(codec::to_command(r)); });
    case K::discharge_placement:
      return command_request<v1::DischargePlacementRequest>(
          data, size, [](const auto& r) { return as_body(codec::to_command(r)); });
    case K::withdraw_placement:
      return command_request<v1::WithdrawPlacementRequest>(data, size,
                                                           [](const auto& r) { return as_body(codec::to_command(r)); });
    case K::reject_placement:
      return command_request<v1::RejectPlacementRequest>(data, size,
                                                         [](const auto& r) { return as_body(codec::to_command(r)); });
    case K::search_vacancies: {
      v1::SearchVacanciesRequest request;
      if (!parse(request, data, size)) return;
      auto query = codec::to_query(request);
      if (!query) return expect_clear_refusal(query.error());
      auto hits = domain::search_vacancies(fixed_state(), query.value());
      if (!hits) expect_clear_refusal(hits.error());
      return;
    }
    case K::set_objective_key:
      return command_request<v1::SetObjectiveKeyRequest>(data, size,
                                                         [](const auto& r) { return as_body(codec::to_command(r)); });
    case K::set_block_grant:
      return command_request<v1::SetBlockGrantRequest>(data, size,
                                                       [](const auto& r) { return as_body(codec::to_command(r)); });
    case K::set_refund_tiers:
      return command_request<v1::SetRefundTiersRequest>(data, size,
                                                        [](const auto& r) { return as_body(codec::to_command(r)); });
    case K::record_income:
      return command_request<v1::RecordIncomeRequest>(data, size,
                                                      [](const auto& r) { return as_body(codec::to_command(r)); });
    case K::capacity_view: {
      v1::CapacityViewRequest request;
      if (!parse(request, data, size)) return;
      if (auto by = codec::to_group_by(request.group_by()); !by) expect_clear_refusal(by.error());
      if (auto date = codec::from_proto(request.date(), "date"); !date) expect_clear_refusal(date.error());
      return;
    }
    case K::financing: {
      v1::FinancingRequest request;
      if (!parse(request, data, size)) return;
      auto period = codec::to_period(request.has_from(), request.from(), request.has_to(), request.to());
      if (!period) expect_clear_refusal(period.error());
      else check(period.value().from < period.value().to);
      if (auto overrides = codec::to_overrides(request.overrides()); !overrides)
        expect_clear_refusal(overrides.error());
      return;
    }
    case K::settlement: {
      v1::SettlementRequest request;
      if (!parse(request, data, size)) return;
      if (auto month = codec::to_year_month(request.month()); !month) expect_clear_refusal(month.error());
      return;
    }
  }
}

}  // namespace
}  // namespace placement::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  placement::fuzz::fuzz_one(data[0], data + 1, size - 1);
  return 0;
}

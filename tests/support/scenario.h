#pragma once
// Builders for integration tests that drive the real server through its write side, so a test
// reads as a scenario: register an offer with places, request and reserve for a citizen, admit,
// discharge, and look at the counts and the log.
//
// Every helper returns the grpc::Status of the call (commands) or the answer itself (reads, where
// a failed call is reported with ADD_FAILURE and an empty answer returned). Command ids are fresh
// unless the caller names one.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "placement/v1/audit_service.grpc.pb.h"
#include "placement/v1/events.pb.h"
#include "placement/v1/offer_service.grpc.pb.h"
#include "placement/v1/placement_service.grpc.pb.h"
#include "tests/support/grpc_client.h"
#include "tests/support/server_process.h"

namespace placement::testing {

inline v1::CalendarDate date(int year, int month, int day) {
  v1::CalendarDate out;
  out.set_year(year);
  out.set_month(month);
  out.set_day(day);
  return out;
}

// A command id not used before in this test process.
inline std::string fresh_command_id(const std::string& what) {
  static std::atomic<std::uint64_t> counter{0};
  return what + "-" + std::to_string(++counter);
}

// ::testing::AssertionResult for a call that must succeed, with the code and message when not.
inline ::testing::AssertionResult succeeded(const grpc::Status& status) {
  if (status.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "gRPC status " << static_cast<int>(status.error_code()) << ": "
                                       << status.error_message();
}

// Who makes a call.
struct Who {
  std::string role;
  std::uint32_t municipality = 0;

  static Who admin() { return {"admin", 0}; }
  static Who auditor() { return {"auditor", 0}; }
  static Who caseworker(std::uint32_t municipality_code) { return {"caseworker", municipality_code}; }
  // `municipality` holds the operator code for operators (grpc_client.h's `as`).
  static Who offer_operator(std::uint32_t operator_code = 1084) { return {"operator", operator_code}; }
  std::unique_ptr<grpc::ClientContext> context() const {
    return as(role, municipality, role + (municipality ? "-" + std::to_string(municipality) : std::string("-1")));
  }
};

// The three services of one server, over one channel.
struct Clients {
  explicit Clients(const std::shared_ptr<grpc::Channel>& channel)
      : offers(v1::OfferService::NewStub(channel)),
        placements(v1::PlacementService::NewStub(channel)),
        audit(v1::AuditService::NewStub(channel)) {}
  explicit Clients(const ServerProcess& server) : Clients(server.channel()) {}

  std::unique_ptr<v1::OfferService::Stub> offers;
  std::unique_ptr<v1::PlacementService::Stub> placements;
  std::unique_ptr<v1::AuditService::Stub> audit;
};

// ---- offers ----

struct OfferSpec {
  std::string offer_id;
  v1::SpecialisationLevel level = v1::SPECIALISATION_LEVEL_MODERAT;
  std::vector<v1::TargetGroup> groups = {v1::TARGET_GROUP_MULTIPLE_DISABILITIES};
  // Open places from `places_from`; no capacity is set when 0.
  std::int32_t places = 0;
  v1::CalendarDate places_from = date(2031, 1, 1);
  // Region Hovedstaden runs it and it serves its own region unless told otherwise.
  std::uint32_t operator_code = 1084;
  std::uint32_t catchment_region_code = 1084;
  v1::FinancingModel financing = v1::FINANCING_MODEL_TAKST;
  v1::ServiceType service_type = v1::SERVICE_TYPE_DOGN;
  std::string name;  // "Tilbud <offer_id>" when empty
};

inline v1::RegisterOfferRequest register_offer_request(const OfferSpec& spec) {
  v1::RegisterOfferRequest request;
  request.set_command_id(fresh_command_id("register-" + spec.offer_id));
  request.set_offer_id(spec.offer_id);
  request.set_name(spec.name.empty() ? "Tilbud " + spec.offer_id : spec.name);
  request.set_operator_code(spec.operator_code);
  request.set_level(spec.level);
  for (auto group : spec.groups) request.add_target_groups(group);
  request.set_service_type(spec.service_type);
  request.set_paragraph_of_law("SEL § 108");
  request.set_catchment_region_code(spec.catchment_region_code);
  request.mutable_financing()->set_model(spec.financing);
  return request;
}

// The operator code of a registered offer (1084, the tests' default operator, when it is unknown),
// so a helper can act as the offer's own operator.
inline std::uint32_t operator_of(Clients& api, const std::string& offer_id) {
  v1::GetOfferRequest request;
  request.set_offer_id(offer_id);
  v1::Offer offer;
  if (!api.offers->GetOffer(as_planner().get(), request, &offer).ok()) return 1084;
  return offer.operator_code();
}

inline grpc::Status change_capacity(Clients& api, const std::string& offer_id, const v1::CalendarDate& from,
                                    std::int32_t places, v1::CommandResult* result = nullptr) {
  v1::ChangeCapacityRequest request;
  request.set_command_id(fresh_command_id("capacity-" + offer_id));
  request.set_offer_id(offer_id);
  *request.mutable_effective_from() = from;
  request.set_places(places);
  v1::CommandResult ignored;
  return api.offers->ChangeCapacity(as_operator(operator_of(api, offer_id)).get(), request, result ? result : &ignored);
}

// Registers the offer and, when spec.places > 0, opens that many places from spec.places_from.
inline grpc::Status register_offer(Clients& api, const OfferSpec& spec) {
  v1::CommandResult result;
  auto status = api.offers->RegisterOffer(as_operator(spec.operator_code).get(), register_offer_request(spec), &result);
  if (!status.ok() || spec.places == 0) return status;
  return change_capacity(api, spec.offer_id, spec.places_from, spec.places);
}

inline grpc::Status register_offer(Clients& api, const std::string& offer_id, v1::SpecialisationLevel level,
                                   std::vector<v1::TargetGroup> groups, std::int32_t places,
                                   std::uint32_t operator_code = 1084) {
  OfferSpec spec;
  spec.offer_id = offer_id;
  spec.level = level;
  spec.groups = std::move(groups);
  spec.places = places;
  spec.operator_code = operator_code;
  return register_offer(api, spec);
}

inline v1::Offer get_offer(Clients& api, const std::string& offer_id) {
  v1::GetOfferRequest request;
  request.set_offer_id(offer_id);
  v1::Offer offer;
  if (auto status = api.offers->GetOffer(as_planner().get(), request, &offer); !status.ok())
    ADD_FAILURE() << "GetOffer " << offer_id << ": " << status.error_message();
  return offer;
}

inline v1::PlaceCounts capacity(Clients& api, const std::string& offer_id, const v1::CalendarDate& on) {
  v1::GetCapacityRequest request;
  request.set_offer_id(offer_id);
  *request.mutable_date() = on;
  v1::PlaceCounts counts;
  if (auto status = api.offers->GetCapacity(as("planner", 0, "planner-1").get(), request, &counts); !status.ok())
    ADD_FAILURE() << "GetCapacity " << offer_id << ": " << status.error_message();
  return counts;
}

// ---- placements ----

// A request for a citizen's place, built up: RequestSpec("010190-1234", "offer-1").id("p-1").paid_by(147).
struct RequestSpec {
  RequestSpec(std::string cpr_number, std::string offer) : cpr(std::move(cpr_number)), offer_id(std::move(offer)) {}

  RequestSpec& id(std::string value) {
    placement_id = std::move(value);
    return *this;
  }
  RequestSpec& paid_by(std::uint32_t municipality_code) {
    municipality = municipality_code;
    return *this;
  }
  RequestSpec& level(v1::SpecialisationLevel value) {
    need_level = value;
    return *this;
  }
  RequestSpec& group(v1::TargetGroup value) {
    need_group = value;
    return *this;
  }
  RequestSpec& starting(const v1::CalendarDate& value) {
    requested_start = value;
    return *this;
  }
  RequestSpec& joining_waiting_list() {
    join_waiting_list_if_full = true;
    return *this;
  }
  RequestSpec& command(std::string value) {
    command_id = std::move(value);
    return *this;
  }

  std::string cpr;
  std::string offer_id;
  std::string placement_id;          // the server chooses one when empty
  std::uint32_t municipality = 101;  // the paying municipality; its caseworker makes the request
  v1::SpecialisationLevel need_level = v1::SPECIALISATION_LEVEL_MODERAT;
  v1::TargetGroup need_group = v1::TARGET_GROUP_MULTIPLE_DISABILITIES;
  v1::CalendarDate requested_start = date(2031, 2, 1);
  bool join_waiting_list_if_full = false;
  std::string command_id;  // fresh when empty
};

inline v1::RequestPlacementRequest request_placement_request(const RequestSpec& spec) {
  v1::RequestPlacementRequest request;
  request.set_command_id(spec.command_id.empty() ? fresh_command_id("request-" + spec.placement_id) : spec.command_id);
  request.set_placement_id(spec.placement_id);
  request.set_cpr(spec.cpr);
  request.set_paying_municipality_code(spec.municipality);
  request.set_offer_id(spec.offer_id);
  request.set_level(spec.need_level);
  request.set_target_group(spec.need_group);
  *request.mutable_requested_start() = spec.requested_start;
  request.set_join_waiting_list_if_full(spec.join_waiting_list_if_full);
  return request;
}

inline grpc::Status request_placement(Clients& api, const RequestSpec& spec, v1::PlacementResponse* out = nullptr) {
  v1::PlacementResponse ignored;
  return api.placements->RequestPlacement(Who::caseworker(spec.municipality).context().get(),
                                          request_placement_request(spec), out ? out : &ignored);
}

inline v1::ReservePlaceRequest reserve_request(const std::string& placement_id, const v1::CalendarDate& from,
                                               bool join_waiting_list_if_full = false) {
  v1::ReservePlaceRequest request;
  request.set_command_id(fresh_command_id("reserve-" + placement_id));
  request.set_placement_id(placement_id);
  *request.mutable_from() = from;
  request.set_join_waiting_list_if_full(join_waiting_list_if_full);
  return request;
}

inline grpc::Status reserve(Clients& api, const Who& who, const std::string& placement_id, const v1::CalendarDate& from,
                            bool join_waiting_list_if_full = false, v1::PlacementResponse* out = nullptr) {
  v1::PlacementResponse ignored;
  return api.placements->ReservePlace(
      who.context().get(), reserve_request(placement_id, from, join_waiting_list_if_full), out ? out : &ignored);
}

// Requests a place for the citizen and reserves it from the requested start.
inline grpc::Status request_and_reserve(Clients& api, const RequestSpec& spec, v1::PlacementResponse* out = nullptr) {
  v1::PlacementResponse requested;
  if (auto status = request_placement(api, spec, &requested); !status.ok()) return status;
  return reserve(api, Who::caseworker(spec.municipality), requested.placement().placement_id(), spec.requested_start,
                 false, out);
}

// As the operator of the placement's offer (the tests' default operator unless told).
inline grpc::Status allocate(Clients& api, const std::string& placement_id, const v1::CalendarDate& from,
                             const std::string& reason = "", v1::PlacementResponse* out = nullptr,
                             std::uint32_t operator_code = 1084) {
  v1::AllocatePlaceRequest request;
  request.set_command_id(fresh_command_id("allocate-" + placement_id));
  request.set_placement_id(placement_id);
  *request.mutable_from() = from;
  request.set_reason(reason);
  v1::PlacementResponse ignored;
  return api.placements->AllocatePlace(as_operator(operator_code).get(), request, out ? out : &ignored);
}

inline grpc::Status admit(Clients& api, const Who& who, const std::string& placement_id, const v1::CalendarDate& on,
                          v1::PlacementResponse* out = nullptr) {
  v1::AdmitPlacementRequest request;
  request.set_command_id(fresh_command_id("admit-" + placement_id));
  request.set_placement_id(placement_id);
  *request.mutable_on() = on;
  v1::PlacementResponse ignored;
  return api.placements->AdmitPlacement(who.context().get(), request, out ? out : &ignored);
}

inline grpc::Status transfer(Clients& api, const Who& who, const std::string& placement_id,
                             const std::string& to_offer_id, const v1::CalendarDate& on,
                             v1::PlacementResponse* out = nullptr) {
  v1::TransferPlacementRequest request;
  request.set_command_id(fresh_command_id("transfer-" + placement_id));
  request.set_placement_id(placement_id);
  request.set_to_offer_id(to_offer_id);
  *request.mutable_on() = on;
  v1::PlacementResponse ignored;
  return api.placements->TransferPlacement(who.context().get(), request, out ? out : &ignored);
}

inline grpc::Status discharge(Clients& api, const Who& who, const std::string& placement_id, const v1::CalendarDate& on,
                              v1::PlacementResponse* out = nullptr) {
  v1::DischargePlacementRequest request;
  request.set_command_id(fresh_command_id("discharge-" + placement_id));
  request.set_placement_id(placement_id);
  *request.mutable_on() = on;
  v1::PlacementResponse ignored;
  return api.placements->DischargePlacement(who.context().get(), request, out ? out : &ignored);
}

inline grpc::Status get_placement(Clients& api, const Who& who, const std::string& placement_id, v1::Placement* out) {
  v1::GetPlacementRequest request;
  request.set_placement_id(placement_id);
  return api.placements->GetPlacement(who.context().get(), request, out);
}

// The placement as its paying municipality's caseworker sees it (101 unless told; ADD_FAILURE
// when it cannot be read).
inline v1::Placement fetch_placement(Clients& api, const std::string& placement_id, std::uint32_t municipality = 101) {
  v1::Placement out;
  if (auto status = get_placement(api, Who::caseworker(municipality), placement_id, &out); !status.ok())
    ADD_FAILURE() << "GetPlacement " << placement_id << ": " << status.error_message();
  return out;
}

// ---- the log ----

inline std::uint64_t head(Clients& api) {
  v1::GetHeadResponse response;
  if (auto status = api.audit->GetHead(as_auditor().get(), v1::GetHeadRequest(), &response); !status.ok())
    ADD_FAILURE() << "GetHead: " << status.error_message();
  return response.position();
}

// Every event of the given types (all types when empty), in log order, read as an auditor.
inline std::vector<v1::StoredEvent> read_events(Clients& api, const std::vector<std::string>& types = {}) {
  auto context = as_auditor();
  v1::StreamEventsRequest request;
  request.set_from_position(1);
  for (const auto& type : types) request.add_event_types(type);
  auto reader = api.audit->StreamEvents(context.get(), request);
  std::vector<v1::StoredEvent> events;
  v1::StoredEvent event;
  while (reader->Read(&event)) events.push_back(event);
  if (auto status = reader->Finish(); !status.ok()) ADD_FAILURE() << "StreamEvents: " << status.error_message();
  return events;
}

// The event's payload as its message type (e.g. v1::PlacementReserved).
template <class Payload> Payload payload_of(const v1::StoredEvent& event) {
  Payload payload;
  if (!payload.ParseFromString(event.envelope().payload()))
    ADD_FAILURE() << "cannot parse the payload at position " << event.envelope().position();
  return payload;
}

}  // namespace placement::testing

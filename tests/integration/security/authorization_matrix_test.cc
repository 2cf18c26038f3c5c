// The role × RPC matrix: docs/SECURITY.md's role table, read from the document, is the code's
// table (kRoleTable) cell for cell, names every method of every placement service, and the real
// server answers each cell as the table says. An allowed cell gets past authentication and
// authorization (the empty request is then refused as invalid or not found, or answered); a
// denied cell gets PERMISSION_DENIED and leaves the log head where it was. Authorization runs
// before a request is looked at, so an empty request is enough to tell. The scoped cells (own
// offers, own municipality, aggregates) are then tried inside and outside their scope with real
// data: an operator of region 1084 against an offer of 1085, a caseworker and a finance officer of
// 147 against 101's citizens, a planner's settlement against one citizen's lines.

#include <fstream>
#include <functional>
#include <future>
#include <map>
#include <set>
#include <sstream>

#include <google/protobuf/descriptor.h>
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include "placement/v1/admin_service.grpc.pb.h"
#include "placement/v1/organisation_service.grpc.pb.h"
#include "placement/v1/planning_service.grpc.pb.h"
#include "placement/v1/proof_service.grpc.pb.h"
#include "services/api/caller.h"
#include "tests/support/grpc_client.h"
#include "tests/support/list_all.h"
#include "tests/support/scenario.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace placement {
namespace {

using testing::date;
using testing::fresh_command_id;
using testing::RequestSpec;
using testing::succeeded;

const std::vector<std::string> kRoles = {"operator", "caseworker", "finance", "planner", "auditor", "admin"};
const std::vector<api::RoleBit> kRoleBits = {api::kOperator, api::kCaseworker, api::kFinance,
                                             api::kPlanner,  api::kAuditor,    api::kAdmin};
constexpr std::uint32_t kOwnMunicipality = 101;    // København
constexpr std::uint32_t kOtherMunicipality = 147;  // Frederiksberg
constexpr std::uint32_t kOwnOperator = 1084;       // Region Hovedstaden
constexpr std::uint32_t kOtherOperator = 1085;     // Region Sjælland

// "Service/Method" → role → "yes" | "no" | a scope, from the document.
using RoleTable = std::map<std::string, std::map<std::string, std::string>>;

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" `");
  const auto last = text.find_last_not_of(" `");
  return first == std::string::npos ? "" : text.substr(first, last - first + 1);
}

RoleTable role_table_of_security_md() {
  std::ifstream in(SECURITY_MD_PATH);
  EXPECT_TRUE(in) << "cannot read " << SECURITY_MD_PATH;
  RoleTable table;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("| `", 0) != 0 || line.find("Service/") == std::string::npos) continue;
    std::vector<std::string> cells;
    std::stringstream row(line.substr(1));
    for (std::string cell; std::getline(row, cell, '|');) cells.push_back(trimmed(cell));
    EXPECT_GE(cells.size(), kRoles.size() + 1) << line;
    if (cells.size() < kRoles.size() + 1) continue;
    EXPECT_FALSE(table.contains(cells[0])) << cells[0] << " is in the table twice";
    for (std::size_t i = 0; i < kRoles.size(); ++i) {
      const auto& value = cells[i + 1];
      const bool scope_of_role =
          (value == "own offers" && kRoles[i] == "operator") ||
          (value == "own municipality" && (kRoles[i] == "caseworker" || kRoles[i] == "finance")) ||
          (value == "aggregates" && kRoles[i] == "planner");
      EXPECT_TRUE(value == "yes" || value == "no" || scope_of_role) << line;
      table[cells[0]][kRoles[i]] = value;
    }
  }
  return table;
}

// Every method of every placement service, "Service/Method", from the compiled descriptors.
std::map<std::string, const google::protobuf::MethodDescriptor*> every_method() {
  std::map<std::string, const google::protobuf::MethodDescriptor*> methods;
  // One message of each service's file; each file's services are all listed.
  for (const auto* file :
       {v1::RegisterOfferRequest::descriptor()->file(), v1::RequestPlacementRequest::descriptor()->file(),
        v1::StreamEventsRequest::descriptor()->file(), v1::CreateBackupRequest::descriptor()->file(),
        v1::CapacityViewRequest::descriptor()->file(), v1::InclusionProofRequest::descriptor()->file(),
        v1::GetOrganisationRequest::descriptor()->file()}) {
    for (int s = 0; s < file->service_count(); ++s)
      for (int m = 0; m < file->service(s)->method_count(); ++m) {
        const auto* method = file->service(s)->method(m);
        methods[file->service(s)->name() + "/" + method->name()] = method;
      }
  }
  return methods;
}

class AuthorizationMatrix : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    server_ = new testing::ServerProcess(dir_->path() / "data");
    ASSERT_TRUE(server_->start()) << server_->error();
    api_ = new testing::Clients(*server_);
  }
  static void TearDownTestSuite() {
    delete api_;
    delete server_;
    delete dir_;
  }

  // The role's own scope: operator 1084, municipality 101 (the other roles name none).
  static std::unique_ptr<grpc::ClientContext> context_of(const std::string& role) {
    const std::uint32_t scope = role == "operator"                          ? kOwnOperator
                                : role == "caseworker" || role == "finance" ? kOwnMunicipality
                                                                            : 0;
    return testing::as(role, scope, "matrix-" + role);
  }

  // Calls the method with an empty request as the role; the status it ends with.
  static grpc::Status call(const google::protobuf::MethodDescriptor& method, const std::string& role) {
    auto context = context_of(role);
    if (method.server_streaming()) {
      // The one streaming method; a new one needs its call here.
      EXPECT_EQ(method.full_name(), "placement.v1.AuditService.StreamEvents");
      auto reader = api_->audit->StreamEvents(context.get(), v1::StreamEventsRequest());
      v1::StoredEvent event;
      while (reader->Read(&event)) {
      }
      return reader->Finish();
    }
    grpc::GenericStub stub(server_->channel());
    // Zero bytes: the encoding of a message with every field at its default.
    grpc::Slice no_bytes(std::string{});
    grpc::ByteBuffer request(&no_bytes, 1), response;
    std::promise<grpc::Status> done;
    stub.UnaryCall(context.get(), "/" + method.service()->full_name() + "/" + method.name(), grpc::StubOptions(),
                   &request, &response, [&done](grpc::Status status) { done.set_value(std::move(status)); });
    return done.get_future().get();
  }

  static testing::TempDir* dir_;
  static testing::ServerProcess* server_;
  static testing::Clients* api_;
};

testing::TempDir* AuthorizationMatrix::dir_ = nullptr;
testing::ServerProcess* AuthorizationMatrix::server_ = nullptr;
testing::Clients* AuthorizationMatrix::api_ = nullptr;

TEST_F(AuthorizationMatrix, TheDocumentedTableIsTheCodesTable) {
  const auto table = role_table_of_security_md();
  EXPECT_EQ(table.size(), api::kRoleTable.size());
  for (const auto& rule : api::kRoleTable) {
    const std::string method(rule.method);
    ASSERT_TRUE(table.contains(method)) << method << " is in kRoleTable, not in SECURITY.md";
    for (std::size_t i = 0; i < kRoles.size(); ++i)
      EXPECT_EQ(table.at(method).at(kRoles[i]), api::cell_of(rule, kRoleBits[i])) << method << " as " << kRoles[i];
  }
}

TEST_F(AuthorizationMatrix, TheDocumentedTableNamesEveryMethodOfEveryService) {
  const auto table = role_table_of_security_md();
  const auto methods = every_method();
  EXPECT_EQ(methods.size(), api::kRoleTable.size());
  for (const auto& [name, method] : methods) EXPECT_TRUE(table.contains(name)) << name << " is missing in SECURITY.md";
  for (const auto& [name, row] : table) EXPECT_TRUE(methods.contains(name)) << name << " is not a method";
}

TEST_F(AuthorizationMatrix, EveryCellIsAnsweredAsDocumented) {
  const auto table = role_table_of_security_md();
  int allowed = 0, denied = 0;
  for (const auto& [name, method] : every_method()) {
    ASSERT_TRUE(table.contains(name)) << name;
    for (const auto& role : kRoles) {
      SCOPED_TRACE(name + " as " + role);
      const std::string& cell = table.at(name).at(role);
      const auto head_before = testing::head(*api_);
      const auto status = call(*method, role);
      if (cell == "no") {
        ++denied;
        EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << status.error_message();
        EXPECT_EQ(testing::head(*api_), head_before) << "a denied call wrote to the log";
      } else {
        ++allowed;
        EXPECT_NE(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << status.error_message();
        EXPECT_NE(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << status.error_message();
      }
    }
  }
  EXPECT_EQ(allowed + denied, static_cast<int>(api::kRoleTable.size() * kRoles.size()));
}

// The `own municipality` cells for a caseworker of another municipality: a placement of 101,
// touched by 147's caseworker, is refused for every citizen-level RPC (NOT_FOUND as for an unknown
// id where a placement id is named, PERMISSION_DENIED where the request names 101) and nothing is
// written.
TEST_F(AuthorizationMatrix, CaseworkerOfAnotherMunicipalityIsDeniedEveryCitizenRpc) {
  ASSERT_TRUE(succeeded(testing::register_offer(*api_, "matrix-offer", v1::SPECIALISATION_LEVEL_MODERAT,
                                                {v1::TARGET_GROUP_MULTIPLE_DISABILITIES}, 3)));
  ASSERT_TRUE(succeeded(testing::request_placement(
      *api_, RequestSpec("010190-1234", "matrix-offer").id("matrix-p101").paid_by(kOwnMunicipality))));
  const auto before = testing::head(*api_);
  const std::string placement = "matrix-p101";
  std::map<std::string, grpc::Status> answers;
  auto other = [] { return testing::as("caseworker", kOtherMunicipality, "matrix-caseworker-147"); };
  v1::PlacementResponse response;
  {
    auto request = testing::request_placement_request(RequestSpec("150685-2345", "matrix-offer").id("matrix-p2"));
    request.set_paying_municipality_code(kOwnMunicipality);
    answers["RequestPlacement"] = api_->placements->RequestPlacement(other().get(), request, &response);
  }
  answers["ReservePlace"] =
      api_->placements->ReservePlace(other().get(), testing::reserve_request(placement, date(2031, 2, 1)), &response);
  {
    v1::AdmitPlacementRequest request;
    request.set_command_id(fresh_command_id("admit"));
    request.set_placement_id(placement);
    *request.mutable_on() = date(2031, 2, 1);
    answers["AdmitPlacement"] = api_->placements->AdmitPlacement(other().get(), request, &response);
  }
  {
    v1::TransferPlacementRequest request;
    request.set_command_id(fresh_command_id("transfer"));
    request.set_placement_id(placement);
    answers["TransferPlacement"] = api_->placements->TransferPlacement(other().get(), request, &response);
  }
  {
    v1::DischargePlacementRequest request;
    request.set_command_id(fresh_command_id("discharge"));
    request.set_placement_id(placement);
    answers["DischargePlacement"] = api_->placements->DischargePlacement(other().get(), request, &response);
  }
  {
    v1::WithdrawPlacementRequest request;
    request.set_command_id(fresh_command_id("withdraw"));
    request.set_placement_id(placement);
    answers["WithdrawPlacement"] = api_->placements->WithdrawPlacement(other().get(), request, &response);
  }
  {
    v1::GetPlacementRequest request;
    request.set_placement_id(placement);
    v1::Placement seen;
    answers["GetPlacement"] = api_->placements->GetPlacement(other().get(), request, &seen);
  }
  {
    v1::ListPlacementsRequest request;
    request.set_paying_municipality_code(kOwnMunicipality);
    v1::ListPlacementsResponse listed;
    answers["ListPlacements"] = api_->placements->ListPlacements(other().get(), request, &listed);
  }
  // Every `own municipality` row of the table is covered here.
  for (const auto& [name, row] : role_table_of_security_md()) {
    if (row.at("caseworker") == "own municipality") {
      EXPECT_TRUE(answers.contains(name.substr(name.find('/') + 1))) << name << " has no other-municipality check";
    }
  }
  // A request naming another municipality is denied; a call on another municipality's placement id
  // gets exactly the answer an unknown id gets (NOT_FOUND, the same message), so no answer tells
  // whether an id exists.
  v1::Placement unknown_seen;
  v1::GetPlacementRequest unknown;
  unknown.set_placement_id("matrix-p-unknown");
  const auto unknown_answer = api_->placements->GetPlacement(other().get(), unknown, &unknown_seen);
  ASSERT_EQ(unknown_answer.error_code(), grpc::StatusCode::NOT_FOUND);
  for (const auto& [rpc, status] : answers) {
    if (rpc == "RequestPlacement" || rpc == "ListPlacements") {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << rpc << ": " << status.error_message();
      continue;
    }
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << rpc << ": " << status.error_message();
    std::string as_unknown = unknown_answer.error_message();
    as_unknown.replace(as_unknown.find("matrix-p-unknown"), std::string("matrix-p-unknown").size(), placement);
    EXPECT_EQ(status.error_message(), as_unknown) << rpc;
  }
  {
    v1::WithdrawPlacementRequest request;
    request.set_command_id(fresh_command_id("withdraw"));
    request.set_placement_id("matrix-p-unknown");
    const auto status = api_->placements->WithdrawPlacement(other().get(), request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(status.error_message(), unknown_answer.error_message()) << "a command and a read answer alike";
  }
  EXPECT_EQ(testing::head(*api_), before) << "a denied call wrote to the log";

  // Unfiltered, the other caseworker's list holds only their own municipality's placements.
  v1::ListPlacementsResponse listed;
  ASSERT_TRUE(succeeded(testing::list_all_placements(*api_->placements, other, v1::ListPlacementsRequest(), &listed)));
  for (const auto& seen : listed.placements()) EXPECT_EQ(seen.paying_municipality_code(), kOtherMunicipality);
  // The own caseworker reads it.
  v1::GetPlacementRequest get;
  get.set_placement_id(placement);
  v1::Placement seen;
  EXPECT_TRUE(succeeded(api_->placements->GetPlacement(context_of("caseworker").get(), get, &seen)));
}

// The `own offers` cells: the operator of region 1084 may not touch an offer of 1085 or a
// placement on it, and nothing is written; on its own offer and placement the same calls pass.
TEST_F(AuthorizationMatrix, OperatorActsOnlyOnItsOwnOffers) {
  testing::OfferSpec own;
  own.offer_id = "op-own";
  own.places = 2;
  own.operator_code = kOwnOperator;
  testing::OfferSpec other = own;
  other.offer_id = "op-other";
  other.operator_code = kOtherOperator;
  other.catchment_region_code = kOtherOperator;
  ASSERT_TRUE(succeeded(testing::register_offer(*api_, own)));
  ASSERT_TRUE(succeeded(testing::register_offer(*api_, other)));
  ASSERT_TRUE(succeeded(testing::request_placement(*api_, RequestSpec("020290-1235", "op-own").id("op-p-own"))));
  ASSERT_TRUE(succeeded(testing::request_placement(*api_, RequestSpec("030390-1236", "op-other").id("op-p-other"))));

  // Every `own offers` call, as 1084, on the given offer or placement.
  auto calls = [](const std::string& offer, const std::string& placement) {
    std::map<std::string, std::function<grpc::Status()>> out;
    auto as_own_operator = [] { return testing::as_operator(kOwnOperator); };
    out["RegisterOffer"] = [=] {
      testing::OfferSpec spec;
      spec.offer_id = offer + "-new";
      spec.operator_code = offer == "op-own" ? kOwnOperator : kOtherOperator;
      v1::CommandResult result;
      return api_->offers->RegisterOffer(as_own_operator().get(), testing::register_offer_request(spec), &result);
    };
    out["ChangeCapacity"] = [=] {
      v1::ChangeCapacityRequest request;
      request.set_command_id(fresh_command_id("op-capacity"));
      request.set_offer_id(offer);
      *request.mutable_effective_from() = date(2031, 6, 1);
      request.set_places(3);
      v1::CommandResult result;
      return api_->offers->ChangeCapacity(as_own_operator().get(), request, &result);
    };
    out["SetRate"] = [=] {
      v1::SetRateRequest request;
      request.set_command_id(fresh_command_id("op-rate"));
      request.set_offer_id(offer);
      *request.mutable_effective_from() = date(2031, 1, 1);
      request.set_daily_rate_ore(250000);
      v1::CommandResult result;
      return api_->offers->SetRate(as_own_operator().get(), request, &result);
    };
    out["GetPlacement"] = [=] {
      v1::GetPlacementRequest request;
      request.set_placement_id(placement);
      v1::Placement seen;
      return api_->placements->GetPlacement(as_own_operator().get(), request, &seen);
    };
    out["ListPlacements"] = [=] {
      v1::ListPlacementsRequest request;
      request.set_offer_id(offer);
      v1::ListPlacementsResponse listed;
      return api_->placements->ListPlacements(as_own_operator().get(), request, &listed);
    };
    out["AllocatePlace"] = [=] {
      v1::AllocatePlaceRequest request;
      request.set_command_id(fresh_command_id("op-allocate"));
      request.set_placement_id(placement);
      *request.mutable_from() = date(2031, 2, 1);
      v1::PlacementResponse response;
      return api_->placements->AllocatePlace(as_own_operator().get(), request, &response);
    };
    out["RejectPlacement"] = [=] {
      v1::RejectPlacementRequest request;
      request.set_command_id(fresh_command_id("op-reject"));
      request.set_placement_id(placement);
      request.set_reason("no place for this need");
      v1::PlacementResponse response;
      return api_->placements->RejectPlacement(as_own_operator().get(), request, &response);
    };
    out["CloseOffer"] = [=] {
      v1::CloseOfferRequest request;
      request.set_command_id(fresh_command_id("op-close"));
      request.set_offer_id(offer);
      *request.mutable_from() = date(2032, 1, 1);
      v1::CommandResult result;
      return api_->offers->CloseOffer(as_own_operator().get(), request, &result);
    };
    return out;
  };

  // Every `own offers` row of the table is tried here.
  const auto foreign = calls("op-other", "op-p-other");
  for (const auto& [name, row] : role_table_of_security_md())
    if (row.at("operator") == "own offers") {
      EXPECT_TRUE(foreign.contains(name.substr(name.find('/') + 1))) << name << " has no other-operator check";
    }

  // Offers are public, so another operator's offer is denied; a placement on it is not the
  // operator's to know of, so it gets exactly the answer an unknown id gets.
  const std::set<std::string> names_a_placement{"GetPlacement", "AllocatePlace", "RejectPlacement"};
  for (const auto& [rpc, call] : foreign) {
    const auto before = testing::head(*api_);
    const auto status = call();
    if (names_a_placement.contains(rpc)) {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << rpc << ": " << status.error_message();
      EXPECT_EQ(status.error_message(), "placement 'op-p-other' does not exist") << rpc;
    } else {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << rpc << ": " << status.error_message();
    }
    EXPECT_EQ(testing::head(*api_), before) << rpc << ": a denied call wrote to the log";
  }
  // The other operator's offer is unchanged.
  const v1::Offer unchanged = testing::get_offer(*api_, "op-other");
  EXPECT_EQ(unchanged.rates_size(), 0);
  EXPECT_FALSE(unchanged.has_closed_from());
  EXPECT_EQ(testing::fetch_placement(*api_, "op-p-other").status(), v1::PLACEMENT_STATUS_REQUESTED);

  // The same calls on its own offer pass the scope (the reject ends the placement, so it goes last
  // but one, and the allocation of a requested placement is the domain's to refuse).
  const auto mine = calls("op-own", "op-p-own");
  for (const char* rpc : {"RegisterOffer", "ChangeCapacity", "SetRate", "GetPlacement", "ListPlacements",
                          "AllocatePlace", "RejectPlacement", "CloseOffer"}) {
    const auto status = mine.at(rpc)();
    EXPECT_NE(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << rpc << ": " << status.error_message();
    if (std::string(rpc) != "AllocatePlace") {
      EXPECT_TRUE(succeeded(status)) << rpc;
    }
  }
  // Unfiltered, the operator's list holds only the placements on its own offers.
  v1::ListPlacementsResponse listed;
  ASSERT_TRUE(succeeded(testing::list_all_placements(
      *api_->placements, [] { return testing::as_operator(kOwnOperator); }, v1::ListPlacementsRequest(), &listed)));
  ASSERT_GE(listed.placements_size(), 1);
  for (const auto& seen : listed.placements()) EXPECT_NE(seen.offer_id(), "op-other") << seen.placement_id();
}

// A settlement with lines: three citizens of 101 and one of 147 in an offer of 1084 in May 2031.
class SettlementScope : public AuthorizationMatrix {
 protected:
  static void SetUpTestSuite() {
    AuthorizationMatrix::SetUpTestSuite();
    planning_ = v1::PlanningService::NewStub(server_->channel()).release();
    testing::OfferSpec spec;
    spec.offer_id = "settled";
    spec.places = 10;
    ASSERT_TRUE(succeeded(testing::register_offer(*api_, spec)));
    v1::SetRateRequest rate;
    rate.set_command_id(fresh_command_id("settled-rate"));
    rate.set_offer_id("settled");
    *rate.mutable_effective_from() = date(2031, 1, 1);
    rate.set_daily_rate_ore(200000);
    v1::CommandResult result;
    ASSERT_TRUE(succeeded(api_->offers->SetRate(testing::as_operator(kOwnOperator).get(), rate, &result)));
    const std::vector<std::pair<std::string, std::uint32_t>> citizens = {{"040490-1237", kOwnMunicipality},
                                                                         {"050590-1238", kOwnMunicipality},
                                                                         {"060690-1239", kOwnMunicipality},
                                                                         {"070790-1230", kOtherMunicipality}};
    int n = 0;
    for (const auto& [cpr, municipality] : citizens) {
      const std::string id = "settled-" + std::to_string(++n);
      ASSERT_TRUE(succeeded(testing::request_and_reserve(
          *api_, RequestSpec(cpr, "settled").id(id).paid_by(municipality).starting(date(2031, 5, 1)))));
      ASSERT_TRUE(succeeded(testing::admit(*api_, testing::Who::caseworker(municipality), id, date(2031, 5, 1))));
    }
  }
  static void TearDownTestSuite() {
    delete planning_;
    AuthorizationMatrix::TearDownTestSuite();
  }

  static grpc::Status settlement(std::unique_ptr<grpc::ClientContext> as, std::uint32_t paying,
                                 v1::SettlementResponse* response) {
    v1::SettlementRequest request;
    request.mutable_month()->set_year(2031);
    request.mutable_month()->set_month(5);
    *request.mutable_as_of() = date(2031, 6, 15);
    request.set_paying_municipality_code(paying);
    return planning_->GetSettlement(as.get(), request, response);
  }

  static v1::PlanningService::Stub* planning_;
};

v1::PlanningService::Stub* SettlementScope::planning_ = nullptr;

// The finance `own municipality` cell: 101's finance officer gets 101's lines, all of them
// when naming none, and is refused 147's.
TEST_F(SettlementScope, FinanceSeesItsOwnMunicipalitysLinesOnly) {
  v1::SettlementResponse own;
  ASSERT_TRUE(succeeded(settlement(testing::as_finance(kOwnMunicipality), 0, &own)));
  ASSERT_EQ(own.statements_size(), 1);
  EXPECT_EQ(own.statements(0).paying_municipality_code(), kOwnMunicipality);
  EXPECT_EQ(own.statements(0).lines_size(), 3);
  EXPECT_EQ(own.statements(0).total_ore(), 3 * 31 * 200000);
  v1::SettlementResponse named;
  ASSERT_TRUE(succeeded(settlement(testing::as_finance(kOwnMunicipality), kOwnMunicipality, &named)));
  EXPECT_EQ(named.SerializeAsString(), own.SerializeAsString());

  const auto before = testing::head(*api_);
  v1::SettlementResponse other;
  EXPECT_EQ(settlement(testing::as_finance(kOwnMunicipality), kOtherMunicipality, &other).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(other.statements_size(), 0);
  EXPECT_EQ(testing::head(*api_), before);
  for (const auto& [name, row] : role_table_of_security_md())
    if (row.at("finance") == "own municipality") {
      EXPECT_EQ(name, "PlanningService/GetSettlement") << name << " has no other-municipality check for finance";
    }
}

// The planner `aggregates` cell: per paying municipality x operator x month, no placement id, no
// stay's dates, no one citizen's amount (a statement of fewer than three placements has its total
// withheld); the auditor sees the lines the receipts prove.
TEST_F(SettlementScope, PlannerSeesAggregatesWithoutPlacementsStaysOrOneCitizensAmount) {
  v1::SettlementResponse planner;
  ASSERT_TRUE(succeeded(settlement(testing::as_planner(), 0, &planner)));
  ASSERT_EQ(planner.statements_size(), 2);
  std::map<std::uint32_t, v1::SettlementStatement> by_municipality;
  for (const auto& statement : planner.statements()) {
    EXPECT_EQ(statement.lines_size(), 0);
    by_municipality[statement.paying_municipality_code()] = statement;
  }
  const auto& own = by_municipality.at(kOwnMunicipality);
  // The month is after 2027-01-01: region 1084's offer is billed by its successor, Østdanmark.
  EXPECT_EQ(own.operator_code(), 1086u);
  EXPECT_EQ(own.placements(), 3u);
  EXPECT_EQ(own.place_days(), 3 * 31);
  EXPECT_EQ(own.total_ore(), 3 * 31 * 200000);
  EXPECT_FALSE(own.total_withheld());
  const auto& single = by_municipality.at(kOtherMunicipality);
  EXPECT_EQ(single.placements(), 1u);
  EXPECT_TRUE(single.total_withheld());
  EXPECT_EQ(single.total_ore(), 0) << "one citizen's amount";
  // Nothing of a line is anywhere in the answer's bytes: no placement id, no offer id, no stay date.
  const std::string bytes = planner.SerializeAsString();
  for (const char* id : {"settled-1", "settled-2", "settled-3", "settled-4", "settled"})
    EXPECT_EQ(bytes.find(id), std::string::npos) << id;
  v1::SettlementResponse auditor;
  ASSERT_TRUE(succeeded(settlement(testing::as_auditor(), 0, &auditor)));
  int lines = 0;
  for (const auto& statement : auditor.statements()) lines += statement.lines_size();
  EXPECT_EQ(lines, 4);
  for (const auto& [name, row] : role_table_of_security_md())
    if (row.at("planner") == "aggregates") {
      EXPECT_EQ(name, "PlanningService/GetSettlement") << name << " has no aggregates check";
    }
}

}  // namespace
}  // namespace placement

// The role × RPC matrix: docs/SECURITY.md's role table, read from the document, names every method
// of every placement service, and the real server answers each cell as the table says. An allowed
// cell gets past authentication and authorization (the empty request is then refused as invalid or
// not found, or answered); a denied cell gets PERMISSION_DENIED and leaves the log head where it
// was. Authorization runs before a request is looked at, so an empty request is enough to tell.

#include <fstream>
#include <future>
#include <map>
#include <set>
#include <sstream>

#include <google/protobuf/descriptor.h>
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include "placement/v1/admin_service.grpc.pb.h"
#include "placement/v1/planning_service.grpc.pb.h"
#include "placement/v1/proof_service.grpc.pb.h"
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

const std::vector<std::string> kRoles = {"caseworker", "planner", "auditor", "admin"};
constexpr std::uint32_t kOwnMunicipality = 101;    // København
constexpr std::uint32_t kOtherMunicipality = 147;  // Frederiksberg

// "Service/Method" → role → "yes" | "no" | "own municipality", from the document.
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
    EXPECT_GE(cells.size(), 5u) << line;
    if (cells.size() < 5) continue;
    EXPECT_FALSE(table.contains(cells[0])) << cells[0] << " is in the table twice";
    for (std::size_t i = 0; i < kRoles.size(); ++i) {
      const auto& value = cells[i + 1];
      EXPECT_TRUE(value == "yes" || value == "no" || (value == "own municipality" && kRoles[i] == "caseworker"))
          << line;
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
        v1::CapacityViewRequest::descriptor()->file(), v1::InclusionProofRequest::descriptor()->file()}) {
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

  static std::unique_ptr<grpc::ClientContext> context_of(const std::string& role,
                                                         std::uint32_t municipality = kOwnMunicipality) {
    return testing::as(role, role == "caseworker" ? municipality : 0, "matrix-" + role);
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

TEST_F(AuthorizationMatrix, TheDocumentedTableNamesEveryMethodOfEveryService) {
  const auto table = role_table_of_security_md();
  const auto methods = every_method();
  EXPECT_EQ(methods.size(), 40u);
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
  EXPECT_EQ(allowed + denied, 40 * 4);
}

// The `own municipality` cells for a caseworker of another municipality: a placement of 101,
// touched by 147's caseworker, is refused for every citizen-level RPC and nothing is written.
TEST_F(AuthorizationMatrix, CaseworkerOfAnotherMunicipalityIsDeniedEveryCitizenRpc) {
  ASSERT_TRUE(succeeded(testing::register_offer(*api_, "matrix-offer", v1::SPECIALISATION_LEVEL_MODERAT,
                                                {v1::TARGET_GROUP_MULTIPLE_DISABILITIES}, 3)));
  ASSERT_TRUE(succeeded(testing::request_placement(
      *api_, RequestSpec("010190-1234", "matrix-offer").id("matrix-p101").paid_by(kOwnMunicipality))));
  const auto before = testing::head(*api_);
  const std::string placement = "matrix-p101";
  std::map<std::string, grpc::Status> answers;
  auto other = [] { return context_of("caseworker", kOtherMunicipality); };
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
  for (const auto& [rpc, status] : answers)
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << rpc << ": " << status.error_message();
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

}  // namespace
}  // namespace placement

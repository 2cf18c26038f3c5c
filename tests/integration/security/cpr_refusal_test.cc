// No CPR number anywhere, against the real placementd: one CPR number, in every spelling of
// tests/support/cpr_spellings.h, is sent in every string field of every write request (the fields
// found from the descriptors, so a field added later is covered), each alone in an otherwise
// empty request. Every one is refused with INVALID_ARGUMENT naming the field, the log's head and
// chain stay as they were, and afterwards no form of the number is in the data folder, the key
// store, the server's output or /metrics.

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <future>
#include <iterator>

#include <google/protobuf/descriptor.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/support/byte_buffer.h>

#include "placement/v1/admin_service.grpc.pb.h"
#include "placement/v1/planning_service.grpc.pb.h"
#include "placement/v1/proof_service.grpc.pb.h"
#include "services/codec/cpr_screen.h"
#include "services/domain/cpr.h"
#include "storage/hash_chain.h"
#include "tests/support/cpr_spellings.h"
#include "tests/support/http_get.h"
#include "tests/support/scenario.h"
#include "tests/support/string_fields.h"
#include "tests/support/temp_dir.h"

namespace placement {
namespace {

using testing::date;
using testing::succeeded;
using testing::Who;

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The files under `folder` holding any of `traces`, with the trace found.
std::vector<std::string> files_holding(const std::filesystem::path& folder, const std::vector<std::string>& traces) {
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
    if (!entry.is_regular_file()) continue;
    const std::string bytes = read_file(entry.path());
    for (const auto& trace : traces)
      if (bytes.find(trace) != std::string::npos) found.push_back(entry.path().string() + " holds " + trace);
  }
  return found;
}

std::vector<std::string> traces_in(const std::string& text) {
  std::vector<std::string> found;
  for (const auto& trace : testing::cpr_traces())
    if (text.find(trace) != std::string::npos) found.push_back(trace);
  return found;
}

// The write RPCs: every method taking a command id, and the admin and cosignature calls.
bool is_write(const google::protobuf::MethodDescriptor& method) {
  return method.input_type()->FindFieldByName("command_id") != nullptr ||
         method.service()->full_name() == "placement.v1.AdminService" || method.name() == "AddCosignature";
}

constexpr std::uint32_t kMunicipality = 101;  // RequestSpec's paying municipality

class CprRefusalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.start()) << server_.error();
    api_ = std::make_unique<testing::Clients>(server_);
    generic_ = std::make_unique<grpc::GenericStub>(server_.channel());
    testing::OfferSpec offer;
    offer.offer_id = "bo-1";
    offer.places = 3;
    ASSERT_TRUE(succeeded(testing::register_offer(*api_, offer)));
    // A citizen the key store holds, named by another CPR number (meant for the cpr field).
    ASSERT_TRUE(succeeded(testing::request_placement(*api_, testing::RequestSpec("150620-4123", "bo-1").id("p-real"))));
  }

  // Sent as each role in turn until one the role table admits to the method answers: the screen
  // runs once the caller is authorized, so a refused role says nothing about the number.
  grpc::Status send(const std::string& method, const google::protobuf::Message& request) {
    const std::function<std::unique_ptr<grpc::ClientContext>()> roles[] = {
        [] { return testing::as_operator(); }, [] { return testing::as_caseworker(kMunicipality); },
        [] { return testing::as("finance", kMunicipality, "finance-1"); }, [] { return testing::as_admin(); },
        [] { return testing::as_auditor(); }};
    grpc::Status status;
    for (const auto& role : roles) {
      grpc::Slice slice(request.SerializeAsString());
      grpc::ByteBuffer bytes(&slice, 1);
      grpc::ByteBuffer response;
      std::promise<grpc::Status> done;
      auto context = role();
      generic_->UnaryCall(context.get(), method, grpc::StubOptions(), &bytes, &response,
                          [&done](grpc::Status answer) { done.set_value(std::move(answer)); });
      status = done.get_future().get();
      if (status.error_code() != grpc::StatusCode::PERMISSION_DENIED) return status;
    }
    return status;
  }

  std::pair<std::uint64_t, std::string> head() {
    v1::GetHeadResponse head;
    EXPECT_TRUE(succeeded(api_->audit->GetHead(testing::as_auditor().get(), v1::GetHeadRequest(), &head)));
    return {head.position(), head.hash()};
  }

  testing::TempDir dir_;
  testing::ServerProcess server_{dir_.path() / "data", {"--backup-root", (dir_.path() / "backups").string()}};
  std::unique_ptr<testing::Clients> api_;
  std::unique_ptr<grpc::GenericStub> generic_;
};

TEST_F(CprRefusalTest, EverySpellingInEveryFieldOfEveryWriteIsRefusedAndLeavesNoTrace) {
  const auto before = head();
  std::size_t refusals = 0;
  std::set<std::string> methods;
  for (const auto& service_name : testing::api_services()) {
    const auto* service = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service_name);
    ASSERT_NE(service, nullptr);
    for (int m = 0; m < service->method_count(); ++m) {
      const auto& method = *service->method(m);
      if (!is_write(method)) continue;
      const std::string path = "/" + service->full_name() + "/" + method.name();
      for (const auto& field : testing::string_fields(*method.input_type())) {
        if (codec::is_cpr_field(*field.field)) continue;
        for (const auto& spelling : testing::cpr_spellings()) {
          auto request = testing::new_message(*method.input_type());
          if (const auto* command_id = method.input_type()->FindFieldByName("command_id"))
            request->GetReflection()->SetString(request.get(), command_id, testing::fresh_command_id("cpr-battery"));
          field.set(*request, spelling);
          const auto status = send(path, *request);
          SCOPED_TRACE(path + " " + field.path + " = " + spelling);
          EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
          EXPECT_EQ(status.error_message().rfind(field.path + " holds what looks like a CPR number", 0), 0u)
              << status.error_message();
          EXPECT_TRUE(traces_in(status.error_message()).empty()) << status.error_message();
          ++refusals;
          methods.insert(method.name());
        }
      }
    }
  }
  EXPECT_EQ(head(), before) << "a refused call wrote to the log";
  // Every write RPC of the API has a string field to try (its command id at least).
  for (const char* name :
       {"RegisterOffer",     "ChangeCapacity",  "SetRate",         "CloseOffer",        "RequestPlacement",
        "ReservePlace",      "AllocatePlace",   "AdmitPlacement",  "TransferPlacement", "DischargePlacement",
        "WithdrawPlacement", "RejectPlacement", "SetObjectiveKey", "SetBlockGrant",     "SetRefundTiers",
        "RecordIncome",      "RecordCaseCosts", "CreateBackup",    "EraseCitizen",      "AddCosignature"})
    EXPECT_TRUE(methods.contains(name)) << name << " was not tried";
  EXPECT_GT(refusals, 500u);

  // The same requests without the number are taken: the refusals were the number's.
  v1::WithdrawPlacementRequest withdraw;
  withdraw.set_command_id("withdraw-real");
  withdraw.set_placement_id("p-real");
  withdraw.set_reason("the family moved (case 2041-17)");
  v1::PlacementResponse withdrawn;
  ASSERT_TRUE(succeeded(
      api_->placements->WithdrawPlacement(testing::as_caseworker(kMunicipality).get(), withdraw, &withdrawn)));

  const auto metrics = testing::http_get(server_.admin_address(), "/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_TRUE(traces_in(metrics.body).empty()) << "/metrics holds a form of the CPR number";
  ASSERT_EQ(server_.stop(), 0);
  EXPECT_TRUE(traces_in(server_.output()).empty()) << "the server's output holds a form of the CPR number";
  for (const auto& folder : {dir_.path() / "data", dir_.path() / "data.citizen-keys"}) {
    const auto holding = files_holding(folder, testing::cpr_traces());
    EXPECT_TRUE(holding.empty()) << holding.front();
  }
}

TEST_F(CprRefusalTest, APlacementIdTheServerChoosesNeverLooksLikeACprNumberAndARetryGetsTheSameOne) {
  // A command id whose first hash, as the server makes placement ids from it, holds one.
  std::string command_id;
  for (int i = 0; command_id.empty(); ++i) {
    const std::string candidate = "request-" + std::to_string(i);
    const std::string first = "p-" + storage::to_hex(storage::chain_hash("placement-id", candidate)).substr(0, 20);
    if (domain::holds_cpr_number(first)) command_id = candidate;
  }
  auto request = testing::request_placement_request(testing::RequestSpec("010170-1001", "bo-1").command(command_id));
  v1::PlacementResponse first;
  ASSERT_TRUE(succeeded(api_->placements->RequestPlacement(Who::caseworker(101).context().get(), request, &first)));
  const std::string id = first.placement().placement_id();
  EXPECT_EQ(id.rfind("p-", 0), 0u);
  EXPECT_FALSE(domain::holds_cpr_number(id)) << id;
  v1::PlacementResponse retry;
  ASSERT_TRUE(succeeded(api_->placements->RequestPlacement(Who::caseworker(101).context().get(), request, &retry)));
  EXPECT_TRUE(retry.result().duplicate());
  EXPECT_EQ(retry.placement().placement_id(), id);
  EXPECT_TRUE(succeeded(testing::reserve(*api_, Who::caseworker(101), id, date(2031, 2, 1))));
}

}  // namespace
}  // namespace placement

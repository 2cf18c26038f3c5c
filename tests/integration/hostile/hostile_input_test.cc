// Hostile input against the real placementd: malformed bytes, oversized strings and messages,
// impossible dates, unknown enum values, absurd money and page sizes, greedy audit streams. Each
// is refused with a clear status before anything is written; afterwards the log head and the
// verified chain are exactly as before and the server still serves.

#include <gtest/gtest.h>

#include <future>
#include <limits>
#include <thread>

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/support/byte_buffer.h>

#include "placement/v1/planning_service.grpc.pb.h"
#include "tests/support/scenario.h"
#include "tests/support/temp_dir.h"

namespace placement {
namespace {

using testing::Clients;
using testing::date;
using testing::succeeded;

constexpr const char* kRegisterOffer = "/placement.v1.OfferService/RegisterOffer";

// The log's head and a full chain verification: what "nothing changed" is checked against.
struct LogFingerprint {
  std::uint64_t position = 0;
  std::string hash;
  std::uint64_t events_checked = 0;
  bool verifies = false;
  friend bool operator==(const LogFingerprint&, const LogFingerprint&) = default;
};

class HostileInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.start()) << server_.error();
    api_ = std::make_unique<Clients>(server_);
    generic_ = std::make_unique<grpc::GenericStub>(server_.channel());
    testing::OfferSpec spec;
    spec.offer_id = "bo-syd";
    spec.places = 2;
    ASSERT_TRUE(succeeded(testing::register_offer(*api_, spec)));
  }

  LogFingerprint fingerprint() {
    LogFingerprint out;
    v1::GetHeadResponse head;
    EXPECT_TRUE(succeeded(api_->audit->GetHead(testing::as_auditor().get(), v1::GetHeadRequest(), &head)));
    out.position = head.position();
    out.hash = head.hash();
    v1::VerifyChainResponse verified;
    EXPECT_TRUE(succeeded(api_->audit->VerifyChain(testing::as_auditor().get(), v1::VerifyChainRequest(), &verified)));
    out.events_checked = verified.events_checked();
    out.verifies = verified.ok() && verified.head_hash() == head.hash();
    return out;
  }

  // Sends `bytes` as the request of `method`, whatever they are.
  grpc::Status send_raw(const std::string& method, const std::string& bytes) {
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    std::promise<grpc::Status> done;
    // Every method sent raw here is an offer operator's.
    auto context = testing::as_operator();
    generic_->UnaryCall(context.get(), method, grpc::StubOptions(), &request, &response,
                        [&done](grpc::Status status) { done.set_value(std::move(status)); });
    return done.get_future().get();
  }

  grpc::Status register_offer(const v1::RegisterOfferRequest& request) {
    v1::CommandResult result;
    // As the operator the request names, when that is a code a token can carry.
    const std::uint32_t code = request.operator_code();
    const bool valid = (code >= 1 && code <= 999) || (code >= 1081 && code <= 1085);
    return api_->offers->RegisterOffer(testing::as_operator(valid ? code : 1084).get(), request, &result);
  }

  grpc::Status change_capacity(const v1::CalendarDate& from, std::int32_t places = 3,
                               const std::string& offer_id = "bo-syd") {
    v1::ChangeCapacityRequest request;
    request.set_command_id(testing::fresh_command_id("capacity"));
    request.set_offer_id(offer_id);
    *request.mutable_effective_from() = from;
    request.set_places(places);
    v1::CommandResult result;
    return api_->offers->ChangeCapacity(testing::as_operator().get(), request, &result);
  }

  grpc::Status set_rate(std::int64_t daily_rate_ore) {
    v1::SetRateRequest request;
    request.set_command_id(testing::fresh_command_id("rate"));
    request.set_offer_id("bo-syd");
    *request.mutable_effective_from() = date(2031, 1, 1);
    request.set_daily_rate_ore(daily_rate_ore);
    v1::CommandResult result;
    return api_->offers->SetRate(testing::as_operator().get(), request, &result);
  }

  static v1::RegisterOfferRequest valid_offer(const std::string& offer_id) {
    testing::OfferSpec spec;
    spec.offer_id = offer_id;
    return testing::register_offer_request(spec);
  }

  testing::TempDir dir_;
  testing::ServerProcess server_{
      dir_.path() / "data",
      {"--audit-max-streams-per-caller", "2", "--audit-max-streams-per-role", "3", "--audit-stream-max-seconds", "2"}};
  std::unique_ptr<Clients> api_;
  std::unique_ptr<grpc::GenericStub> generic_;
};

// Expects `status` to carry `code` and a message naming `field` (when given).
::testing::AssertionResult refused(const grpc::Status& status, grpc::StatusCode code, const std::string& field = "") {
  if (status.ok()) return ::testing::AssertionFailure() << "accepted, expected code " << code;
  if (status.error_code() != code)
    return ::testing::AssertionFailure() << "code " << status.error_code() << " (" << status.error_message()
                                         << "), expected " << code;
  if (status.error_message().empty()) return ::testing::AssertionFailure() << "no message";
  if (!field.empty() && status.error_message().find(field) == std::string::npos)
    return ::testing::AssertionFailure() << "message does not name " << field << ": " << status.error_message();
  return ::testing::AssertionSuccess();
}

TEST_F(HostileInputTest, BatteryOfHostileRequestsIsRefusedAndChangesNothing) {
  const LogFingerprint before = fingerprint();
  ASSERT_TRUE(before.verifies);
  using grpc::StatusCode;

  // Bytes that are not a protobuf message, a valid one cut short, a field declared longer than
  // the message, a wire type protobuf does not have. gRPC itself refuses them before any handler
  // runs; Debian's gRPC 1.51 answers UNIMPLEMENTED without a message (docs/API.md, "Limits").
  const std::string valid = valid_offer("bo-cut").SerializeAsString();
  for (const std::string& garbage : {std::string(64, '\xff'), valid.substr(0, valid.find("bo-cut") + 2),
                                     std::string("\x1a\xff\xff\xff\x0f", 5) + "x", std::string("\x0f\x01", 2)}) {
    EXPECT_EQ(send_raw(kRegisterOffer, garbage).error_code(), StatusCode::UNIMPLEMENTED);
  }

  // Messages beyond the receive limit (1 MiB) never reach a handler.
  for (std::size_t size : {std::size_t{1} << 20, std::size_t{5} << 20}) {
    auto request = valid_offer("bo-huge");
    request.set_name(std::string(size, 'x'));
    EXPECT_TRUE(refused(register_offer(request), StatusCode::RESOURCE_EXHAUSTED)) << size;
  }
  // Strings under the message limit but over their field's.
  {
    auto request = valid_offer("bo-long-name");
    request.set_name(std::string(900'000, 'x'));
    EXPECT_TRUE(refused(register_offer(request), StatusCode::INVALID_ARGUMENT, "name"));
    request = valid_offer("bo-long-paragraph");
    request.set_paragraph_of_law(std::string(1001, 'x'));
    EXPECT_TRUE(refused(register_offer(request), StatusCode::INVALID_ARGUMENT, "paragraph_of_law"));
    request = valid_offer(std::string(65, 'o'));
    EXPECT_TRUE(refused(register_offer(request), StatusCode::INVALID_ARGUMENT, "offer_id"));
    request = valid_offer("bo-long-command");
    request.set_command_id(std::string(129, 'c'));
    EXPECT_TRUE(refused(register_offer(request), StatusCode::INVALID_ARGUMENT, "command_id"));
  }
  EXPECT_TRUE(refused(change_capacity(date(2031, 1, 1), 3, std::string(500'000, 'o')), StatusCode::INVALID_ARGUMENT,
                      "offer_id"));
  {
    v1::GetOfferRequest request;
    request.set_offer_id(std::string(500'000, 'o'));
    v1::Offer offer;
    EXPECT_TRUE(refused(api_->offers->GetOffer(testing::as_admin().get(), request, &offer),
                        StatusCode::INVALID_ARGUMENT, "offer_id"));
  }
  {
    v1::WithdrawPlacementRequest request;
    request.set_command_id(testing::fresh_command_id("withdraw"));
    request.set_placement_id("p-none");
    request.set_reason(std::string(2000, 'r'));
    v1::PlacementResponse response;
    EXPECT_TRUE(refused(api_->placements->WithdrawPlacement(testing::as_caseworker(101).get(), request, &response),
                        StatusCode::INVALID_ARGUMENT, "reason"));
  }

  // Dates that do not exist.
  for (const auto& bad : {date(0, 1, 1), date(99999, 1, 1), date(2031, 2, 30), date(-2031, 1, 1), date(2031, -1, 1),
                          date(2031, 13, 1), date(2031, 1, -5), date(2031, 1, 32)}) {
    EXPECT_TRUE(refused(change_capacity(bad), StatusCode::INVALID_ARGUMENT, "effective_from"))
        << bad.year() << "-" << bad.month() << "-" << bad.day();
  }
  EXPECT_TRUE(refused(change_capacity(v1::CalendarDate()), StatusCode::INVALID_ARGUMENT, "effective_from"));

  // Enum values the API does not define, on both sides of the range.
  for (int level : {-1, 4, 99, std::numeric_limits<int>::max()}) {
    auto request = valid_offer("bo-level");
    request.set_level(static_cast<v1::SpecialisationLevel>(level));
    EXPECT_TRUE(refused(register_offer(request), StatusCode::INVALID_ARGUMENT, "level")) << level;
  }
  {
    auto request = valid_offer("bo-group");
    request.add_target_groups(static_cast<v1::TargetGroup>(7));
    EXPECT_TRUE(refused(register_offer(request), StatusCode::INVALID_ARGUMENT, "target_groups"));
    request = valid_offer("bo-financing");
    request.mutable_financing()->set_model(static_cast<v1::FinancingModel>(-3));
    EXPECT_TRUE(refused(register_offer(request), StatusCode::INVALID_ARGUMENT, "financing"));
  }

  // Negative and absurd numbers.
  EXPECT_TRUE(refused(change_capacity(date(2031, 1, 1), -1), StatusCode::INVALID_ARGUMENT, "places"));
  EXPECT_TRUE(refused(set_rate(-1), StatusCode::INVALID_ARGUMENT, "daily_rate_ore"));
  EXPECT_TRUE(
      refused(set_rate(std::numeric_limits<std::int64_t>::max()), StatusCode::INVALID_ARGUMENT, "daily_rate_ore"));
  EXPECT_TRUE(
      refused(set_rate(std::numeric_limits<std::int64_t>::min()), StatusCode::INVALID_ARGUMENT, "daily_rate_ore"));
  {
    auto request = valid_offer("bo-operator");
    request.set_operator_code(std::numeric_limits<std::uint32_t>::max());
    EXPECT_TRUE(refused(register_offer(request), StatusCode::INVALID_ARGUMENT, "operator_code"));
  }

  // Page tokens that can name nothing; audit filters beyond their limits.
  {
    v1::ListOffersRequest request;
    request.set_page_token(std::string(100'000, 't'));
    v1::ListOffersResponse response;
    EXPECT_TRUE(refused(api_->offers->ListOffers(testing::as_admin().get(), request, &response),
                        StatusCode::INVALID_ARGUMENT, "page_token"));
  }
  for (int variant = 0; variant < 2; ++variant) {
    v1::StreamEventsRequest request;
    if (variant == 0) request.set_stream_id(std::string(200'000, 's'));
    else
      for (int i = 0; i < 1000; ++i) request.add_event_types("OfferRegistered");
    auto context = testing::as_auditor();
    auto reader = api_->audit->StreamEvents(context.get(), request);
    v1::StoredEvent event;
    EXPECT_FALSE(reader->Read(&event));
    EXPECT_TRUE(refused(reader->Finish(), StatusCode::INVALID_ARGUMENT, variant == 0 ? "stream_id" : "event_types"));
  }

  // Lists longer than their cap, and lists naming an entry twice, in writes and in reads.
  {
    auto request = valid_offer("bo-groups");
    for (int i = 0; i < 10'000; ++i) request.add_target_groups(v1::TARGET_GROUP_MULTIPLE_DISABILITIES);
    EXPECT_TRUE(refused(register_offer(request), StatusCode::INVALID_ARGUMENT, "target_groups has 10001 entries"));
    request = valid_offer("bo-groups-twice");
    request.add_target_groups(request.target_groups(0));
    EXPECT_TRUE(refused(register_offer(request), StatusCode::INVALID_ARGUMENT, "repeats an earlier entry"));
  }
  {
    v1::SetRefundTiersRequest request;
    request.set_command_id(testing::fresh_command_id("tiers"));
    request.set_year(2031);
    for (int i = 0; i < 10'000; ++i) {
      auto* tier = request.add_tiers();
      tier->set_threshold_per_year_ore(100'000'00 + i);
      tier->set_percent_bp(2500);
    }
    v1::CommandResult result;
    auto planning = v1::PlanningService::NewStub(server_.channel());
    EXPECT_TRUE(refused(planning->SetRefundTiers(testing::as_admin().get(), request, &result),
                        StatusCode::INVALID_ARGUMENT, "tiers has 10000 entries"));
  }
  {
    v1::CapacityViewRequest request;
    *request.mutable_date() = date(2031, 1, 1);
    for (int i = 0; i < 500; ++i) request.add_group_by(v1::GROUP_FIELD_REGION);
    v1::CapacityViewResponse response;
    auto planning = v1::PlanningService::NewStub(server_.channel());
    EXPECT_TRUE(refused(planning->GetCapacity(testing::as_planner().get(), request, &response),
                        StatusCode::INVALID_ARGUMENT, "group_by"));
  }

  EXPECT_EQ(fingerprint(), before) << "a refused request changed the log";
  // The server still serves: reads answer and a valid command is written.
  EXPECT_EQ(testing::get_offer(*api_, "bo-syd").offer_id(), "bo-syd");
  EXPECT_TRUE(succeeded(change_capacity(date(2031, 6, 1), 4)));
  EXPECT_EQ(fingerprint().position, before.position + 1);
}

// Unknown fields are ignored, as protobuf does: a newer client's additions do not break an older
// server. They are not stored: the event holds what the server understood.
TEST_F(HostileInputTest, UnknownFieldsAreIgnoredAndNotStored) {
  std::string bytes = valid_offer("bo-unknown").SerializeAsString();
  bytes += std::string("\xb8\x3e\x2a", 3);            // field 999, varint 42
  bytes += std::string("\xc2\x3e\x05", 3) + "hello";  // field 1000, 5 bytes
  ASSERT_TRUE(succeeded(send_raw(kRegisterOffer, bytes)));
  EXPECT_EQ(testing::get_offer(*api_, "bo-unknown").name(), valid_offer("bo-unknown").name());
  const auto events = testing::read_events(*api_, {"OfferRegistered"});
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().envelope().payload().find("hello"), std::string::npos);
  EXPECT_TRUE(fingerprint().verifies);
}

TEST_F(HostileInputTest, ListsAnswerInPagesAndClampAbsurdPageSizes) {
  for (const char* id : {"bo-a", "bo-b", "bo-c"}) ASSERT_TRUE(succeeded(register_offer(valid_offer(id))));
  v1::ListOffersRequest request;
  request.set_page_size(2);
  std::vector<std::string> ids;
  int pages = 0;
  do {
    v1::ListOffersResponse response;
    ASSERT_TRUE(succeeded(api_->offers->ListOffers(testing::as_admin().get(), request, &response)));
    EXPECT_LE(response.offers_size(), 2);
    for (const auto& offer : response.offers()) ids.push_back(offer.offer_id());
    request.set_page_token(response.next_page_token());
    ++pages;
  } while (!request.page_token().empty() && pages < 10);
  EXPECT_EQ(ids, (std::vector<std::string>{"bo-a", "bo-b", "bo-c", "bo-syd"}));
  EXPECT_EQ(pages, 2);

  request.Clear();
  request.set_page_size(std::numeric_limits<std::uint32_t>::max());
  v1::ListOffersResponse all;
  ASSERT_TRUE(succeeded(api_->offers->ListOffers(testing::as_admin().get(), request, &all)));
  EXPECT_EQ(all.offers_size(), 4);
  EXPECT_TRUE(all.next_page_token().empty());
}

std::unique_ptr<grpc::ClientReader<v1::StoredEvent>> follow(Clients& api, grpc::ClientContext* context) {
  v1::StreamEventsRequest request;
  request.set_from_position(1);
  request.set_follow(true);
  return api.audit->StreamEvents(context, request);
}

TEST_F(HostileInputTest, OneCallerCannotHoldMoreThanItsShareOfAuditStreams) {
  // The server runs with --audit-max-streams-per-caller 2.
  auto first_context = testing::as("auditor", 0, "greedy");
  auto second_context = testing::as("auditor", 0, "greedy");
  auto first = follow(*api_, first_context.get());
  auto second = follow(*api_, second_context.get());
  v1::StoredEvent event;
  ASSERT_TRUE(first->Read(&event));
  ASSERT_TRUE(second->Read(&event));

  auto third_context = testing::as("auditor", 0, "greedy");
  auto third = follow(*api_, third_context.get());
  EXPECT_FALSE(third->Read(&event));
  EXPECT_TRUE(refused(third->Finish(), grpc::StatusCode::RESOURCE_EXHAUSTED, "audit streams"));

  auto other_context = testing::as("auditor", 0, "someone-else");
  auto other = follow(*api_, other_context.get());
  EXPECT_TRUE(other->Read(&event)) << "another caller still gets a stream";
  other_context->TryCancel();
  other->Finish().IgnoreError();
  first_context->TryCancel();
  first->Finish().IgnoreError();
  second_context->TryCancel();
  second->Finish().IgnoreError();
}

// A handful of subjects of one role cannot take every stream: the server has 64, the auditors
// together 3 (--audit-max-streams-per-role 3).
TEST_F(HostileInputTest, TheCallersOfOneRoleCannotHoldMoreThanTheRolesShareOfAuditStreams) {
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<grpc::ClientReader<v1::StoredEvent>>> readers;
  v1::StoredEvent event;
  for (const char* subject : {"auditor-a", "auditor-b", "auditor-c"}) {
    contexts.push_back(testing::as("auditor", 0, subject));
    readers.push_back(follow(*api_, contexts.back().get()));
    ASSERT_TRUE(readers.back()->Read(&event)) << subject;
  }
  auto fourth_context = testing::as("auditor", 0, "auditor-d");
  auto fourth = follow(*api_, fourth_context.get());
  EXPECT_FALSE(fourth->Read(&event));
  EXPECT_TRUE(refused(fourth->Finish(), grpc::StatusCode::RESOURCE_EXHAUSTED, "share"));
  // One stream given back: the role has room again.
  contexts[0]->TryCancel();
  readers[0]->Finish().IgnoreError();
  bool admitted = false;
  for (int attempt = 0; attempt < 50 && !admitted; ++attempt) {
    auto again_context = testing::as("auditor", 0, "auditor-d");
    auto again = follow(*api_, again_context.get());
    admitted = again->Read(&event);
    again_context->TryCancel();
    again->Finish().IgnoreError();
    if (!admitted) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(admitted) << "a slot given back is free for the role's next caller";
  for (std::size_t i = 1; i < readers.size(); ++i) {
    contexts[i]->TryCancel();
    readers[i]->Finish().IgnoreError();
  }
}

TEST_F(HostileInputTest, AFollowingAuditStreamEndsAfterItsMaximumDuration) {
  // The server runs with --audit-stream-max-seconds 2.
  auto context = testing::as_auditor();
  auto reader = follow(*api_, context.get());
  const auto started = std::chrono::steady_clock::now();
  v1::StoredEvent event;
  std::uint64_t last = 0;
  while (reader->Read(&event)) last = event.envelope().position();
  const auto status = reader->Finish();
  EXPECT_TRUE(refused(status, grpc::StatusCode::DEADLINE_EXCEEDED, "from_position " + std::to_string(last + 1)));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

}  // namespace
}  // namespace placement

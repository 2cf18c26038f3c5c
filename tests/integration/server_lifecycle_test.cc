// The real placementd as a process: start, reference data, health, shutdown, refusals.

#include <fstream>
#include <optional>
#include <thread>

#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "grpc/health/v1/health.grpc.pb.h"
#include "placement/v1/audit_service.grpc.pb.h"
#include "tests/support/grpc_client.h"
#include "tests/support/reference_events.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace placement {
namespace {

std::vector<v1::StoredEvent> read_all(const std::shared_ptr<grpc::Channel>& channel, std::uint64_t from = 1) {
  auto stub = v1::AuditService::NewStub(channel);
  auto context = testing::as_auditor();
  v1::StreamEventsRequest request;
  request.set_from_position(from);
  auto reader = stub->StreamEvents(context.get(), request);
  std::vector<v1::StoredEvent> events;
  v1::StoredEvent event;
  while (reader->Read(&event)) events.push_back(event);
  EXPECT_TRUE(reader->Finish().ok());
  return events;
}

TEST(ServerLifecycle, FirstStartLoadsRegionsAndMunicipalitiesOnceAsEvents) {
  testing::TempDir dir;
  testing::ServerProcess server(dir.path() / "data");
  ASSERT_TRUE(server.start()) << server.error();
  auto events = read_all(server.channel());
  ASSERT_EQ(events.size(), testing::kReferenceEvents);
  EXPECT_EQ(events[0].envelope().event_type(), "RegionRegistered");
  EXPECT_EQ(events[5].envelope().event_type(), "MunicipalityRegistered");
  EXPECT_EQ(events[0].envelope().stream_id(), "reference");
  EXPECT_EQ(events[0].envelope().actor().role(), v1::ROLE_SYSTEM);
  EXPECT_EQ(server.stop(), 0);

  ASSERT_TRUE(server.start()) << server.error();
  EXPECT_EQ(read_all(server.channel()).size(), testing::kReferenceEvents) << "reference data must not load twice";
  EXPECT_EQ(server.stop(), 0);
}

TEST(ServerLifecycle, HealthCheckSaysServing) {
  testing::TempDir dir;
  testing::ServerProcess server(dir.path() / "data");
  ASSERT_TRUE(server.start()) << server.error();
  auto stub = grpc::health::v1::Health::NewStub(server.channel());
  grpc::ClientContext context;
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  ASSERT_TRUE(stub->Check(&context, request, &response).ok());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST(ServerLifecycle, StreamEventsFiltersByStreamAndTypeAndStopsAtMax) {
  testing::TempDir dir;
  testing::ServerProcess server(dir.path() / "data");
  ASSERT_TRUE(server.start()) << server.error();
  auto stub = v1::AuditService::NewStub(server.channel());
  auto context = testing::as_auditor();
  v1::StreamEventsRequest request;
  request.set_from_position(1);
  request.add_event_types("MunicipalityRegistered");
  request.set_max_events(10);
  auto reader = stub->StreamEvents(context.get(), request);
  std::vector<v1::StoredEvent> events;
  v1::StoredEvent event;
  while (reader->Read(&event)) events.push_back(event);
  ASSERT_TRUE(reader->Finish().ok());
  ASSERT_EQ(events.size(), 10u);
  EXPECT_EQ(events.front().envelope().position(), 6u);
  for (const auto& e : events) EXPECT_EQ(e.envelope().event_type(), "MunicipalityRegistered");
}

TEST(ServerLifecycle, StreamEventsFiltersByRecordedTimeHalfOpen) {
  testing::TempDir dir;
  testing::ServerProcess server(dir.path() / "data");
  ASSERT_TRUE(server.start()) << server.error();
  auto stub = v1::AuditService::NewStub(server.channel());
  auto count = [&](std::optional<google::protobuf::Timestamp> from, std::optional<google::protobuf::Timestamp> to) {
    auto context = testing::as_auditor();
    v1::StreamEventsRequest request;
    if (from) *request.mutable_recorded_from() = *from;
    if (to) *request.mutable_recorded_to() = *to;
    auto reader = stub->StreamEvents(context.get(), request);
    std::vector<v1::StoredEvent> events;
    v1::StoredEvent event;
    while (reader->Read(&event)) events.push_back(event);
    EXPECT_TRUE(reader->Finish().ok());
    return events;
  };
  const auto all = count(std::nullopt, std::nullopt);
  ASSERT_EQ(all.size(), testing::kReferenceEvents);
  const auto recorded = all.front().envelope().recorded_at();
  auto later = recorded;
  later.set_seconds(recorded.seconds() + 1);
  EXPECT_EQ(count(recorded, later).size(), testing::kReferenceEvents);  // from is inclusive
  EXPECT_EQ(count(std::nullopt, recorded).size(), 0u);                  // to is exclusive
  EXPECT_EQ(count(later, std::nullopt).size(), 0u);
}

TEST(ServerLifecycle, VerifyChainAndHeadAgree) {
  testing::TempDir dir;
  testing::ServerProcess server(dir.path() / "data");
  ASSERT_TRUE(server.start()) << server.error();
  auto stub = v1::AuditService::NewStub(server.channel());
  v1::VerifyChainRequest verify;
  v1::VerifyChainResponse report;
  ASSERT_TRUE(stub->VerifyChain(testing::as_auditor().get(), verify, &report).ok());
  EXPECT_TRUE(report.ok()) << report.problem();
  EXPECT_EQ(report.events_checked(), testing::kReferenceEvents);
  v1::GetHeadResponse head;
  ASSERT_TRUE(stub->GetHead(testing::as_auditor().get(), v1::GetHeadRequest(), &head).ok());
  EXPECT_EQ(head.position(), testing::kReferenceEvents);
  EXPECT_EQ(head.hash(), report.head_hash());
}

TEST(ServerLifecycle, TheLogIsForAuditorsOnly) {
  testing::TempDir dir;
  testing::ServerProcess server(dir.path() / "data");
  ASSERT_TRUE(server.start()) << server.error();
  auto stub = v1::AuditService::NewStub(server.channel());
  v1::GetHeadResponse head;
  grpc::ClientContext anonymous;
  EXPECT_EQ(stub->GetHead(&anonymous, v1::GetHeadRequest(), &head).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(stub->GetHead(testing::as("planner").get(), v1::GetHeadRequest(), &head).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  auto context = testing::as_caseworker(101);
  auto reader = stub->StreamEvents(context.get(), v1::StreamEventsRequest());
  v1::StoredEvent event;
  EXPECT_FALSE(reader->Read(&event));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST(ServerLifecycle, SecondServerOnTheSameFolderExitsWithAClearMessage) {
  testing::TempDir dir;
  testing::ServerProcess server(dir.path() / "data");
  ASSERT_TRUE(server.start()) << server.error();
  std::string output;
  const int code = server.run_to_exit({"--data", (dir.path() / "data").string(), "--listen", "127.0.0.1:0"}, &output);
  EXPECT_NE(code, 0);
  EXPECT_NE(output.find("locked"), std::string::npos) << output;
}

TEST(ServerLifecycle, UnopenableDataFolderExitsNonZero) {
  testing::TempDir dir;
  { std::ofstream(dir.path() / "a-file") << "x"; }
  testing::ServerProcess server(dir.path() / "data");
  std::string output;
  const int code = server.run_to_exit({"--data", (dir.path() / "a-file").string(), "--listen", "127.0.0.1:0"}, &output);
  EXPECT_NE(code, 0);
  EXPECT_NE(output.find("cannot start"), std::string::npos) << output;
}

TEST(ServerLifecycle, BadFlagExitsWithUsageCode) {
  testing::TempDir dir;
  testing::ServerProcess server(dir.path() / "data");
  std::string output;
  EXPECT_EQ(server.run_to_exit({"--no-such-flag"}, &output), 2);
  EXPECT_NE(output.find("--help"), std::string::npos) << output;
}

TEST(ServerLifecycle, FollowDeliversEventsCommittedLaterAndEndsAtShutdown) {
  testing::TempDir dir;
  testing::ServerProcess server(dir.path() / "data");
  ASSERT_TRUE(server.start()) << server.error();
  auto stub = v1::AuditService::NewStub(server.channel());
  auto context = testing::as_auditor();
  context->set_deadline(std::chrono::system_clock::time_point::max());
  v1::StreamEventsRequest request;
  const std::uint64_t from = testing::kReferenceEvents - 3;  // the last four reference events
  request.set_from_position(from);
  request.set_follow(true);
  auto reader = stub->StreamEvents(context.get(), request);
  v1::StoredEvent event;
  for (std::uint64_t expected = from; expected <= testing::kReferenceEvents; ++expected) {
    ASSERT_TRUE(reader->Read(&event));
    EXPECT_EQ(event.envelope().position(), expected);
  }
  // Caught up: the stream stays open; a clean shutdown ends it with OK.
  std::thread drain([&] {
    while (reader->Read(&event)) {
    }
  });
  EXPECT_EQ(server.stop(), 0);
  drain.join();
  EXPECT_TRUE(reader->Finish().ok());
}

}  // namespace
}  // namespace placement

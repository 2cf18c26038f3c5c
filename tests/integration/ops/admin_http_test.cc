// The admin HTTP endpoint of the real server: probes and Prometheus metrics.

#include <gtest/gtest.h>

#include "placement/v1/offer_service.grpc.pb.h"
#include "tests/support/grpc_client.h"
#include "tests/support/http_get.h"
#include "tests/support/offer_requests.h"
#include "tests/support/reference_events.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace placement {
namespace {

v1::RegisterOfferRequest an_offer(const std::string& id) {
  return testing::simple_offer_request("register-" + id, id, 1082);
}

TEST(AdminHttp, ProbesAnswerWhileServing) {
  testing::TempDir dir;
  testing::ServerProcess server(dir.path() / "data");
  ASSERT_TRUE(server.start()) << server.error();
  ASSERT_FALSE(server.admin_address().empty());
  EXPECT_EQ(testing::http_get(server.admin_address(), "/healthz").status, 200);
  const auto ready = testing::http_get(server.admin_address(), "/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.body, "ready\n");
  EXPECT_EQ(testing::http_get(server.admin_address(), "/no-such-page").status, 404);
}

TEST(AdminHttp, MetricsCountCommandsByTypeAndOutcomeAndShowTheLogHead) {
  testing::TempDir dir;
  testing::ServerProcess server(dir.path() / "data");
  ASSERT_TRUE(server.start()) << server.error();
  auto offers = v1::OfferService::NewStub(server.channel());
  v1::CommandResult result;
  const auto first = offers->RegisterOffer(testing::as_operator(1082).get(), an_offer("m1"), &result);
  ASSERT_TRUE(first.ok()) << first.error_message();
  const auto retry = offers->RegisterOffer(testing::as_operator(1082).get(), an_offer("m1"), &result);
  ASSERT_TRUE(retry.ok()) << retry.error_message();
  auto refused = an_offer("m2");
  refused.set_operator_code(999);  // no such operator: refused by the domain
  EXPECT_FALSE(offers->RegisterOffer(testing::as_operator_of(refused).get(), refused, &result).ok());

  const auto metrics = testing::http_get(server.admin_address(), "/metrics");
  ASSERT_EQ(metrics.status, 200);
  const std::string& text = metrics.body;
  EXPECT_NE(text.find("placement_commands_total{type=\"RegisterOffer\",outcome=\"ok\"} 1\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("placement_commands_total{type=\"RegisterOffer\",outcome=\"duplicate\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("outcome=\"invalid_argument\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("placement_events_total{type=\"OfferRegistered\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("placement_log_head_position " + std::to_string(testing::kReferenceEvents + 1) + "\n"),
            std::string::npos);
  EXPECT_NE(text.find("placement_projection_lag_events 0\n"), std::string::npos);
  // The reference data of the first start and the merger of regions shipped with it are commands
  // like any other: with the test's three, five.
  EXPECT_NE(text.find("placement_commands_total{type=\"LoadReferenceData\",outcome=\"ok\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("placement_commands_total{type=\"MergeRegions\",outcome=\"ok\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("placement_events_total{type=\"MunicipalityRegistered\"} 98\n"), std::string::npos);
  EXPECT_NE(text.find("placement_command_latency_seconds_count 5\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE placement_rocksdb_sst_bytes gauge"), std::string::npos);
}

}  // namespace
}  // namespace placement

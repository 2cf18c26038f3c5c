// services/web over a real socket: a ledger on a RocksDB log, the planning views, the token
// verifier and the dashboard's server on 127.0.0.1:0, asked with a real HTTP client.

#include "services/web/web_server.h"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <sys/socket.h>
#include <sys/time.h>

#include "services/auth/token_issuer.h"
#include "services/auth/token_secrets.h"
#include "services/base/clock.h"
#include "services/ledger/commit_feed.h"
#include "services/ledger/ledger.h"
#include "storage/rocksdb_event_log.h"
#include "tests/support/temp_dir.h"

namespace placement::web {
namespace {

namespace http = boost::beast::http;
using namespace placement::domain;  // the commands

constexpr std::int32_t kRegion = 1084;

struct Answer {
  int status = 0;
  std::string body;
  http::response<http::string_body> response;
};

Answer get(const std::string& host_port, const std::string& target, const std::string& authorization = "",
           http::verb verb = http::verb::get) {
  const auto colon = host_port.rfind(':');
  boost::asio::io_context context;
  boost::asio::ip::tcp::resolver resolver(context);
  boost::beast::tcp_stream stream(context);
  stream.expires_after(std::chrono::seconds(10));
  stream.connect(resolver.resolve(host_port.substr(0, colon), host_port.substr(colon + 1)));
  // Blocking reads ignore the stream's expiry: a server that never ends its answer fails the test
  // after 10 s instead of hanging it.
  const timeval ten_seconds{10, 0};
  ::setsockopt(stream.socket().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &ten_seconds, sizeof ten_seconds);
  http::request<http::string_body> request(verb, target, 11);
  request.set(http::field::host, host_port);
  if (!authorization.empty()) request.set(http::field::authorization, authorization);
  request.prepare_payload();
  http::write(stream, request);
  boost::beast::flat_buffer buffer;
  Answer answer;
  http::read(stream, buffer, answer.response);
  answer.status = static_cast<int>(answer.response.result_int());
  answer.body = answer.response.body();
  return answer;
}

class WebServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = storage::RocksDbEventLog::open(dir_.str());
    ASSERT_TRUE(opened) << opened.error().message;
    log_ = std::move(opened).value();
    feed_ = std::make_unique<ledger::CommitFeed>(log_->head().position);
    auto ledger = ledger::Ledger::open(*log_, clock_, [this](Position head) { feed_->publish(head); });
    ASSERT_TRUE(ledger) << ledger.error().message;
    ledger_ = std::move(ledger).value();
    admin_.set_subject("tester");
    admin_.set_role(v1::ROLE_ADMIN);
    ASSERT_TRUE(ledger_->execute_and_wait(admin_, "c-region", RegisterRegion{kRegion, "Region Hovedstaden"}));
    ASSERT_TRUE(ledger_->execute_and_wait(admin_, "c-offer",
                                          RegisterOffer{.offer_id = "solbakken",
                                                        .name = "Botilbud Solbakken",
                                                        .operator_code = kRegion,
                                                        .level = SpecialisationLevel::moderat,
                                                        .target_groups = {TargetGroup::multiple_disabilities},
                                                        .service_type = ServiceType::dogn,
                                                        .paragraph_of_law = "SEL § 108",
                                                        .catchment = Catchment::region(kRegion),
                                                        .financing = Financing{FinancingModel::objektiv, 0}}));
    ASSERT_TRUE(
        ledger_->execute_and_wait(admin_, "c-capacity", ChangeCapacity{"solbakken", Date::from_civil(2018, 1, 1), 12}));

    auto line = auth::TokenSecrets::generate_line();
    ASSERT_TRUE(line);
    auto secrets = auth::TokenSecrets::parse(line.value(), "test");
    ASSERT_TRUE(secrets);
    signing_ = secrets.value().signing();
    authenticator_ = std::make_unique<api::Authenticator>(auth::TokenVerifier(std::move(secrets).value()), clock_);
    views_ = std::make_unique<ledger::PlanningViews>(*ledger_, *log_);
    api_ = std::make_unique<DashboardApi>(*views_, *log_, *authenticator_);
    WebOptions options;
    options.listen = "127.0.0.1:0";
    auto server = WebServer::start(options, *api_, *feed_);
    ASSERT_TRUE(server) << server.error().message;
    server_ = std::move(server).value();
  }

  void TearDown() override {
    server_.reset();
    if (ledger_) ledger_->stop();
  }

  std::string bearer(auth::Role role, std::uint32_t municipality = 0, std::uint32_t operator_code = 0) const {
    const auto now = std::chrono::system_clock::now();
    auto token = auth::issue_token({.subject = "someone",
                                    .role = role,
                                    .municipality = municipality,
                                    .operator_code = operator_code,
                                    .issued_at = now,
                                    .expires_at = now + std::chrono::hours(1)},
                                   signing_);
    EXPECT_TRUE(token);
    return "Bearer " + token.value();
  }

  placement::testing::TempDir dir_;
  SystemClock clock_;
  std::unique_ptr<storage::RocksDbEventLog> log_;
  std::unique_ptr<ledger::CommitFeed> feed_;
  std::unique_ptr<ledger::Ledger> ledger_;
  v1::Actor admin_;
  std::string signing_;
  std::unique_ptr<api::Authenticator> authenticator_;
  std::unique_ptr<ledger::PlanningViews> views_;
  std::unique_ptr<DashboardApi> api_;
  std::unique_ptr<WebServer> server_;
};

TEST_F(WebServerTest, ServesTheEmbeddedPageWithoutAToken) {
  const auto page = get(server_->address(), "/");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Pladsoverblik"), std::string::npos);
  EXPECT_EQ(page.response[http::field::content_type], "text/html; charset=utf-8");
  EXPECT_NE(std::string(page.response["Content-Security-Policy"]).find("default-src 'self'"), std::string::npos);
  EXPECT_EQ(get(server_->address(), "/chart.js").status, 200);
  EXPECT_EQ(get(server_->address(), "/secret.txt").status, 404);
}

TEST_F(WebServerTest, ARequestWithoutAValidTokenGets401AndNoData) {
  for (const std::string& authorization : {std::string(), std::string("Bearer nonsense"), std::string("Basic abc"),
                                           bearer(auth::Role::planner).substr(7)}) {
    for (const std::string target :
         {"/api/capacity?date=2018-10-15&by=region", "/api/names", "/api/head", "/api/live", "/api/no-such-view"}) {
      const auto answer = get(server_->address(), target, authorization);
      EXPECT_EQ(answer.status, 401) << target << " with '" << authorization << "'";
      EXPECT_EQ(answer.body.find("solbakken"), std::string::npos) << answer.body;
      EXPECT_EQ(answer.body.find("position"), std::string::npos) << answer.body;
    }
  }
}

// No page has a municipality's or an operator's scope, so only the unscoped readers get in.
TEST_F(WebServerTest, OperatorsCaseworkersAndFinanceAreRefusedAndPlannersAuditorsAdminsAdmitted) {
  const std::string target = "/api/capacity?date=2018-10-15&by=region";
  for (const auto& refused : {bearer(auth::Role::caseworker, 101), bearer(auth::Role::finance, 101),
                              bearer(auth::Role::offer_operator, 0, static_cast<std::uint32_t>(kRegion))}) {
    const auto answer = get(server_->address(), target, refused);
    EXPECT_EQ(answer.status, 403);
    EXPECT_EQ(answer.body.find("solbakken"), std::string::npos);
    EXPECT_EQ(get(server_->address(), "/api/live", refused).status, 403);
    EXPECT_EQ(get(server_->address(), "/api/financing?from=2018-01-01&to=2019-01-01", refused).status, 403);
  }
  for (auto role : {auth::Role::planner, auth::Role::auditor, auth::Role::admin})
    EXPECT_EQ(get(server_->address(), target, bearer(role)).status, 200) << auth::to_string(role);
}

TEST_F(WebServerTest, CapacityIsTheViewOfPlanningQueriesStampedWithItsPosition) {
  const auto answer = get(server_->address(), "/api/capacity?date=2018-10-15&by=offer", bearer(auth::Role::planner));
  ASSERT_EQ(answer.status, 200) << answer.body;
  const std::string position = std::to_string(ledger_->position().value);
  EXPECT_NE(answer.body.find("\"stamp\":{\"position\":" + position + ",\"recorded_at\":\"20"), std::string::npos)
      << answer.body;
  EXPECT_NE(answer.body.find("\"offer_id\":\"solbakken\""), std::string::npos);
  EXPECT_NE(answer.body.find("\"open\":\"12\""), std::string::npos) << answer.body;
  EXPECT_EQ(answer.response[http::field::cache_control], "no-store");
}

TEST_F(WebServerTest, TimeTravelAnswersAsOfAnEarlierPosition) {
  const auto before = ledger_->position().value - 1;  // before the capacity was set
  const auto answer = get(server_->address(), "/api/capacity?date=2018-10-15&as_of=" + std::to_string(before),
                          bearer(auth::Role::planner));
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_NE(answer.body.find("\"position\":" + std::to_string(before)), std::string::npos) << answer.body;
  EXPECT_NE(answer.body.find("\"open\":\"0\""), std::string::npos) << answer.body;
  const auto beyond =
      get(server_->address(), "/api/capacity?date=2018-10-15&as_of=999999", bearer(auth::Role::planner));
  EXPECT_EQ(beyond.status, 400) << beyond.body;
}

TEST_F(WebServerTest, BadParametersAre400AndOtherMethods405) {
  const auto planner = bearer(auth::Role::planner);
  const auto bad_date = get(server_->address(), "/api/capacity?date=2018-02-30", planner);
  EXPECT_EQ(bad_date.status, 400);
  EXPECT_NE(bad_date.body.find("date: not a date"), std::string::npos) << bad_date.body;
  EXPECT_EQ(get(server_->address(), "/api/capacity?date=2018-10-15&by=county", planner).status, 400);
  EXPECT_EQ(get(server_->address(), "/api/occupancy?from=2018-02-01&to=2018-01-01", planner).status, 400);
  EXPECT_EQ(get(server_->address(), "/api/nothing", planner).status, 404);
  EXPECT_EQ(get(server_->address(), "/api/capacity?date=2018-10-15", planner, http::verb::post).status, 405);
}

TEST_F(WebServerTest, NoViewCarriesAPlacementOrAStay) {
  const auto planner = bearer(auth::Role::planner);
  for (const std::string target :
       {"/api/names", "/api/capacity?date=2018-10-15&by=offer,region,level", "/api/waiting?date=2018-10-15",
        "/api/occupancy-series?from=2018-01-01&to=2019-01-01&by=offer", "/api/financing?from=2018-01-01&to=2019-01-01",
        "/api/financing-models?from=2018-01-01&to=2019-01-01"}) {
    const auto answer = get(server_->address(), target, planner);
    ASSERT_EQ(answer.status, 200) << target << ": " << answer.body;
    EXPECT_EQ(answer.body.find("placement_id"), std::string::npos) << target;
    EXPECT_EQ(answer.body.find("citizen"), std::string::npos) << target;
  }
}

TEST_F(WebServerTest, TheLiveStreamSendsTheHeadAtOnceAndAgainWhenEventsCommit) {
  const auto& address = server_->address();
  const auto colon = address.rfind(':');
  boost::asio::io_context context;
  boost::asio::ip::tcp::resolver resolver(context);
  boost::beast::tcp_stream stream(context);
  stream.expires_after(std::chrono::seconds(10));
  stream.connect(resolver.resolve(address.substr(0, colon), address.substr(colon + 1)));
  const timeval ten_seconds{10, 0};
  ::setsockopt(stream.socket().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &ten_seconds, sizeof ten_seconds);
  http::request<http::empty_body> request(http::verb::get, "/api/live", 11);
  request.set(http::field::host, address);
  request.set(http::field::authorization, bearer(auth::Role::planner));
  http::write(stream, request);

  // The header, then the raw chunked body: each line arrives whole inside one chunk.
  boost::beast::flat_buffer buffer;
  http::response_parser<http::empty_body> parser;
  http::read_header(stream, buffer, parser);
  ASSERT_EQ(parser.get().result_int(), 200u);
  EXPECT_TRUE(parser.chunked());
  EXPECT_EQ(parser.get()[http::field::content_type], "application/x-ndjson; charset=utf-8");
  std::string lines = boost::beast::buffers_to_string(buffer.data());
  auto read_until_lines = [&](std::size_t count) {
    auto lines_in = [&] {
      std::size_t n = 0;
      for (auto at = lines.find("{\"position\""); at != std::string::npos; at = lines.find("{\"position\"", at + 1))
        ++n;
      return n;
    };
    while (lines_in() < count) {
      char bytes[4096];
      boost::beast::error_code error;
      const auto got = stream.read_some(boost::asio::buffer(bytes), error);
      if (error) break;
      lines.append(bytes, got);
    }
  };
  read_until_lines(1);
  EXPECT_NE(lines.find("{\"position\":" + std::to_string(ledger_->position().value) + ","), std::string::npos) << lines;

  ASSERT_TRUE(
      ledger_->execute_and_wait(admin_, "c-more", ChangeCapacity{"solbakken", Date::from_civil(2018, 6, 1), 14}));
  const auto started = std::chrono::steady_clock::now();
  read_until_lines(2);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));
  EXPECT_NE(lines.find("{\"position\":" + std::to_string(ledger_->position().value) + ","), std::string::npos) << lines;
}

TEST_F(WebServerTest, ANonLoopbackAddressWithoutTlsIsRefused) {
  WebOptions options;
  options.listen = "0.0.0.0:0";
  options.loopback = false;
  auto refused = WebServer::start(options, *api_, *feed_);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::invalid_argument);
  EXPECT_NE(refused.error().message.find("--tls-cert and --tls-key"), std::string::npos);
}

}  // namespace
}  // namespace placement::web

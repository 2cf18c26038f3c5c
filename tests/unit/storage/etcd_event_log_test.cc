// EtcdEventLog beyond the contract (event_log_contract_test.cc): the fence against a writer that
// lost its place, batches split at etcd's limits with every command whole, commands too large
// for one transaction refused, and appends going on after the member in use is killed. Real etcd
// members on loopback (tests/support/etcd_cluster.h), started with the limits the log is given.

#include "storage/etcd_event_log.h"

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <gtest/gtest.h>

#include "etcd/etcdserver/etcdserverpb/rpc.grpc.pb.h"

#include "storage/hash_chain.h"
#include "tests/support/etcd_cluster.h"
#include "tests/support/event_log_requests.h"

namespace placement::storage {
namespace {

using namespace std::chrono_literals;
using testing::append_one;
using testing::request;

// Small limits, so a test reaches them with a few events; etcd gets the same ones.
constexpr std::size_t kMaxTxnOps = 16;
constexpr std::size_t kMaxRequestBytes = 64 * 1024;

std::unique_ptr<testing::EtcdCluster> start_etcd(std::size_t members) {
  testing::EtcdClusterOptions options;
  options.members = members;
  options.extra_args = {"--max-txn-ops=" + std::to_string(kMaxTxnOps),
                        "--max-request-bytes=" + std::to_string(kMaxRequestBytes)};
  std::string error;
  auto cluster = testing::EtcdCluster::start(options, &error);
  EXPECT_NE(cluster, nullptr) << error;
  return cluster;
}

std::unique_ptr<EtcdEventLog> open_log(const testing::EtcdCluster& cluster, const std::string& prefix,
                                       std::uint64_t compact_every_transactions = 1000) {
  EtcdConnection connection;
  connection.endpoints = cluster.client_addresses();
  connection.call_timeout = 2s;
  EtcdLogOptions options;
  options.prefix = prefix;
  options.max_txn_ops = kMaxTxnOps;
  options.max_request_bytes = kMaxRequestBytes;
  options.compact_every_transactions = compact_every_transactions;
  auto opened = EtcdEventLog::open(connection, options);
  EXPECT_TRUE(opened) << opened.error().message;
  return opened ? std::move(opened).value() : nullptr;
}

class EtcdEventLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = start_etcd(1);
    ASSERT_NE(cluster_, nullptr);
    log_ = open_log(*cluster_, "log/");
    ASSERT_NE(log_, nullptr);
  }
  std::unique_ptr<testing::EtcdCluster> cluster_;
  std::unique_ptr<EtcdEventLog> log_;
};

TEST_F(EtcdEventLogTest, AStaleWritersTransactionFailsWholeAndWritesNothing) {
  ASSERT_TRUE(append_one(*log_, request("first", "s", ExpectedVersion::any())));
  auto stale = open_log(*cluster_, "log/");  // a second writer, its place taken now
  ASSERT_NE(stale, nullptr);
  ASSERT_TRUE(append_one(*log_, request("moves-the-head", "s", ExpectedVersion::any())));

  std::vector<AppendRequest> batch;
  batch.push_back(request("stale-1", "s", ExpectedVersion::any(), 2));
  batch.push_back(request("stale-2", "t", ExpectedVersion::any()));
  auto outcome = stale->append(std::move(batch));
  ASSERT_EQ(outcome.results.size(), 2u);
  for (const auto& result : outcome.results) {
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, Errc::unavailable);
    EXPECT_NE(result.error().message.find("another writer"), std::string::npos) << result.error().message;
  }
  EXPECT_TRUE(outcome.written.empty());
  ASSERT_TRUE(stale->failure().has_value());
  // Nothing of the stale batch is in etcd, as the first writer and a fresh reader see it.
  auto reader = open_log(*cluster_, "log/");
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->head().position.value, 2u);
  EXPECT_FALSE(reader->find_command("stale-1").value().has_value());
  EXPECT_FALSE(reader->find_command("stale-2").value().has_value());
  EXPECT_EQ(reader->stream_version("t").value().value, 0u);
  EXPECT_TRUE(reader->verify_chain(Position{1}, Position{0}).value().ok);
  // A fenced writer stays fenced; the first writer goes on.
  EXPECT_FALSE(append_one(*stale, request("later", "s", ExpectedVersion::any())));
  EXPECT_TRUE(append_one(*log_, request("goes-on", "s", ExpectedVersion::exactly(2))));
}

TEST_F(EtcdEventLogTest, ABatchIsSplitAtTheOperationLimitWithEveryCommandWhole) {
  // 2 events on one stream cost 2 + 1 run + 1 command id = 4 operations: three commands and the
  // head make 13, a fourth would make 17, one more than etcd takes; ten commands need four
  // transactions (3, 3, 3, 1).
  // A first command, so the head key exists and its revision counts transactions from here.
  ASSERT_TRUE(append_one(*log_, request("first", "other", ExpectedVersion::any())));
  std::vector<AppendRequest> batch;
  for (int i = 0; i < 10; ++i)
    batch.push_back(request("c" + std::to_string(i), "s" + std::to_string(i % 2), ExpectedVersion::any(), 2));
  const std::int64_t revision_before = log_->head_revision();
  auto outcome = log_->append(std::move(batch));
  for (const auto& result : outcome.results) ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(outcome.written.size(), 20u);
  EXPECT_EQ(log_->head_revision() - revision_before, 4);  // one etcd revision per transaction
  EXPECT_EQ(log_->head().position.value, 21u);
  for (int i = 0; i < 10; ++i) {
    const auto found = log_->find_command("c" + std::to_string(i)).value();
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->last.value - found->first.value, 1u);
    EXPECT_EQ(found->first.value, 2u + 2u * static_cast<unsigned>(i));
  }
  EXPECT_EQ(log_->stream_version("s0").value().value, 10u);
  auto stream = log_->read_stream("s1", StreamVersion{4}, 100).value();
  ASSERT_EQ(stream.size(), 7u);
  EXPECT_EQ(stream.front().envelope.stream_version(), 4u);
  EXPECT_EQ(stream.front().envelope.position(), 9u);  // c3's second event: s1's versions 3 and 4
  EXPECT_EQ(stream.back().envelope.position(), 21u);
  EXPECT_TRUE(log_->verify_chain(Position{1}, Position{0}).value().ok);
}

TEST_F(EtcdEventLogTest, ABatchIsSplitAtTheRequestSizeLimit) {
  // Each command is about 20 KiB, so two fit below 64 KiB less the margin and five need three
  // transactions.
  ASSERT_TRUE(append_one(*log_, request("first", "other", ExpectedVersion::any())));
  std::vector<AppendRequest> batch;
  for (int i = 0; i < 5; ++i)
    batch.push_back(request("big" + std::to_string(i), "s", ExpectedVersion::any(), 2, 10 * 1024));
  const std::int64_t revision_before = log_->head_revision();
  auto outcome = log_->append(std::move(batch));
  for (const auto& result : outcome.results) ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(log_->head_revision() - revision_before, 3);
  EXPECT_EQ(log_->read_forward(Position{1}, 100).value().size(), 11u);
  EXPECT_TRUE(log_->verify_chain(Position{1}, Position{0}).value().ok);
}

TEST_F(EtcdEventLogTest, ACommandThatCannotFitOneTransactionIsRefusedAndTheOthersGoOn) {
  std::vector<AppendRequest> batch;
  batch.push_back(request("fits", "s", ExpectedVersion::any(), 2));
  batch.push_back(request("too-many-events", "s", ExpectedVersion::any(), 14));  // 14 + 1 + 1 + head = 17
  batch.push_back(request("too-many-bytes", "s", ExpectedVersion::any(), 1, kMaxRequestBytes));
  batch.push_back(request("fits-too", "s", ExpectedVersion::any(), 1));
  auto outcome = log_->append(std::move(batch));
  ASSERT_TRUE(outcome.results[0]);
  ASSERT_FALSE(outcome.results[1]);
  EXPECT_EQ(outcome.results[1].error().code, Errc::invalid_argument);
  EXPECT_NE(outcome.results[1].error().message.find("--max-txn-ops"), std::string::npos)
      << outcome.results[1].error().message;
  ASSERT_FALSE(outcome.results[2]);
  EXPECT_EQ(outcome.results[2].error().code, Errc::invalid_argument);
  EXPECT_NE(outcome.results[2].error().message.find("--max-request-bytes"), std::string::npos)
      << outcome.results[2].error().message;
  ASSERT_TRUE(outcome.results[3]);
  EXPECT_EQ(outcome.results[3].value().first.value, 3u);  // right after "fits": nothing of the refused
  EXPECT_EQ(log_->head().position.value, 3u);
  EXPECT_FALSE(log_->find_command("too-many-events").value().has_value());
  EXPECT_TRUE(log_->verify_chain(Position{1}, Position{0}).value().ok);
}

TEST_F(EtcdEventLogTest, TheWriterCompactsEtcdsHistoryAndTheLogReadsOnAsBefore) {
  auto log = open_log(*cluster_, "compacted/", /*compact_every_transactions=*/2);
  ASSERT_NE(log, nullptr);
  ASSERT_TRUE(append_one(*log, request("c1", "s", ExpectedVersion::any(), 2)));
  const std::int64_t first_head = log->head_revision();
  ASSERT_TRUE(append_one(*log, request("c2", "s", ExpectedVersion::any())));  // the second: compacts

  auto kv =
      etcdserverpb::KV::NewStub(grpc::CreateChannel(cluster_->client_address(0), grpc::InsecureChannelCredentials()));
  etcdserverpb::RangeRequest old_head;
  old_head.set_key("compacted/head");
  old_head.set_revision(first_head);
  etcdserverpb::RangeResponse response;
  grpc::ClientContext context;
  const grpc::Status status = kv->Range(&context, old_head, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::OUT_OF_RANGE) << status.error_message();

  EXPECT_EQ(log->read_forward(Position{1}, 10).value().size(), 3u);
  EXPECT_EQ(log->stream_version("s").value().value, 3u);
  ASSERT_TRUE(append_one(*log, request("c3", "s", ExpectedVersion::exactly(3))));
  EXPECT_TRUE(log->verify_chain(Position{1}, Position{0}).value().ok);
}

TEST(EtcdEventLogCluster, AppendsGoOnAfterTheMemberInUseIsKilled) {
  auto cluster = start_etcd(3);
  ASSERT_NE(cluster, nullptr);
  auto log = open_log(*cluster, "log/");
  ASSERT_NE(log, nullptr);
  ASSERT_TRUE(append_one(*log, request("before", "s", ExpectedVersion::any())));

  // The client sends to the first endpoint until it fails; kill that member.
  cluster->kill(0);
  // An append may be refused while the cluster notices (its command is then not written, or
  // written and found by the retry); retried with the same id it lands once.
  Result<AppendResult> after = fail(Errc::unavailable, "not tried");
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < deadline) {
    after = append_one(*log, request("after-kill", "s", ExpectedVersion::any()));
    if (after) break;
    ASSERT_EQ(after.error().code, Errc::unavailable) << after.error().message;
    ASSERT_FALSE(log->failure().has_value()) << *log->failure();
    std::this_thread::sleep_for(200ms);
  }
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_EQ(after.value().first.value, 2u);
  EXPECT_EQ(log->head().position.value, 2u);

  // The member comes back; the next member in use is killed; the log still goes on.
  std::string error;
  ASSERT_TRUE(cluster->restart(0, &error)) << error;
  cluster->kill(1);
  Result<AppendResult> again = fail(Errc::unavailable, "not tried");
  const auto second_deadline = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < second_deadline) {
    again = append_one(*log, request("after-second-kill", "s", ExpectedVersion::any()));
    if (again) break;
    ASSERT_EQ(again.error().code, Errc::unavailable) << again.error().message;
    std::this_thread::sleep_for(200ms);
  }
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again.value().first.value, 3u);

  auto reader = open_log(*cluster, "log/");
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->head().position.value, 3u);
  auto report = reader->verify_chain(Position{1}, Position{0}).value();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(reader->stream_version("s").value().value, 3u);
}

TEST(EtcdEventLogOpen, APrefixHoldingOtherKeysIsRefusedAndAnEmptyOneWithoutCreateToo) {
  auto cluster = start_etcd(1);
  ASSERT_NE(cluster, nullptr);
  auto log = open_log(*cluster, "used/");
  ASSERT_NE(log, nullptr);
  ASSERT_TRUE(append_one(*log, request("c", "s", ExpectedVersion::any())));

  EtcdConnection connection;
  connection.endpoints = cluster->client_addresses();
  EtcdLogOptions inside;
  inside.prefix = "used/e";  // keys of another log below it, but no format marker
  auto foreign = EtcdEventLog::open(connection, inside);
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, Errc::failed_precondition);
  EtcdLogOptions absent;
  absent.prefix = "nothing-here/";
  absent.create_if_missing = false;
  auto missing = EtcdEventLog::open(connection, absent);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::not_found);
}

// etcd's own users, as an operator sets them up (etcdctl user add, role grant-permission,
// auth enable): root, and a user "node" that may read and write under "log/" only.
void enable_etcd_auth(const testing::EtcdCluster& cluster) {
  auto auth =
      etcdserverpb::Auth::NewStub(grpc::CreateChannel(cluster.client_address(0), grpc::InsecureChannelCredentials()));
  auto call = [&](auto method, const auto& request, auto response) {
    grpc::ClientContext context;
    const grpc::Status status = ((*auth).*method)(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  };
  etcdserverpb::AuthUserAddRequest root;
  root.set_name("root");
  root.set_password("root-password");
  call(&etcdserverpb::Auth::Stub::UserAdd, root, etcdserverpb::AuthUserAddResponse());
  etcdserverpb::AuthUserGrantRoleRequest root_role;
  root_role.set_user("root");
  root_role.set_role("root");
  call(&etcdserverpb::Auth::Stub::UserGrantRole, root_role, etcdserverpb::AuthUserGrantRoleResponse());
  etcdserverpb::AuthUserAddRequest node;
  node.set_name("node");
  node.set_password("node-password");
  call(&etcdserverpb::Auth::Stub::UserAdd, node, etcdserverpb::AuthUserAddResponse());
  etcdserverpb::AuthRoleAddRequest role;
  role.set_name("node");
  call(&etcdserverpb::Auth::Stub::RoleAdd, role, etcdserverpb::AuthRoleAddResponse());
  etcdserverpb::AuthRoleGrantPermissionRequest permission;
  permission.set_name("node");
  permission.mutable_perm()->set_permtype(authpb::Permission::READWRITE);
  permission.mutable_perm()->set_key("log/");
  permission.mutable_perm()->set_range_end("log0");  // every key that starts with "log/"
  call(&etcdserverpb::Auth::Stub::RoleGrantPermission, permission, etcdserverpb::AuthRoleGrantPermissionResponse());
  etcdserverpb::AuthUserGrantRoleRequest node_role;
  node_role.set_user("node");
  node_role.set_role("node");
  call(&etcdserverpb::Auth::Stub::UserGrantRole, node_role, etcdserverpb::AuthUserGrantRoleResponse());
  call(&etcdserverpb::Auth::Stub::AuthEnable, etcdserverpb::AuthEnableRequest(), etcdserverpb::AuthEnableResponse());
}

TEST(EtcdEventLogAuth, AUserWithItsPasswordAppendsAndAWrongPasswordOrNoneIsRefused) {
  auto cluster = start_etcd(1);
  ASSERT_NE(cluster, nullptr);
  ASSERT_NO_FATAL_FAILURE(enable_etcd_auth(*cluster));
  EtcdConnection connection;
  connection.endpoints = cluster->client_addresses();
  EtcdLogOptions options;
  options.prefix = "log/";
  options.compact_every_transactions = 1;  // compaction works for a user that is not root

  connection.user = "node";
  connection.password = "node-password";
  auto log = EtcdEventLog::open(connection, options);
  ASSERT_TRUE(log) << log.error().message;
  ASSERT_TRUE(append_one(*log.value(), request("c1", "s", ExpectedVersion::any(), 2)));
  ASSERT_TRUE(append_one(*log.value(), request("c2", "s", ExpectedVersion::exactly(2))));
  EXPECT_EQ(log.value()->read_forward(Position{1}, 10).value().size(), 3u);

  connection.password = "wrong";
  auto wrong = EtcdEventLog::open(connection, options);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, Errc::unavailable);
  EXPECT_NE(wrong.error().message.find("refused user node"), std::string::npos) << wrong.error().message;

  connection.user.clear();
  connection.password.clear();
  auto anonymous = EtcdEventLog::open(connection, options);
  ASSERT_FALSE(anonymous);
  EXPECT_EQ(anonymous.error().code, Errc::unavailable) << anonymous.error().message;

  connection.user = "node";
  connection.password = "node-password";
  options.prefix = "elsewhere/";  // outside the user's permission
  auto outside = EtcdEventLog::open(connection, options);
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().code, Errc::unavailable) << outside.error().message;
  EXPECT_NE(outside.error().message.find("permission denied"), std::string::npos) << outside.error().message;
}

TEST(EtcdEventLogOpen, NoMemberAnsweringIsUnavailableWithTheReason) {
  EtcdConnection connection;
  connection.endpoints = {"127.0.0.1:1"};
  connection.call_timeout = 500ms;
  auto opened = EtcdEventLog::open(connection);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, Errc::unavailable);
  EXPECT_NE(opened.error().message.find("etcd"), std::string::npos) << opened.error().message;
}

}  // namespace
}  // namespace placement::storage

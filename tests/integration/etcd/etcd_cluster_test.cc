// tests/support/etcd_cluster: the real etcd members the etcd log's tests stand on. They start
// healthy, replicate, survive the loss of their leader, answer nothing while paused, rejoin after
// a restart with what they missed, and leave no process or folder behind.

#include "tests/support/etcd_cluster.h"

#include <signal.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <gtest/gtest.h>

#include "etcd/etcdserver/etcdserverpb/rpc.grpc.pb.h"

namespace placement::testing {
namespace {

using namespace std::chrono_literals;

std::unique_ptr<EtcdCluster> start_cluster(std::size_t members) {
  EtcdClusterOptions options;
  options.members = members;
  std::string error;
  auto cluster = EtcdCluster::start(options, &error);
  EXPECT_NE(cluster, nullptr) << error;
  return cluster;
}

std::unique_ptr<etcdserverpb::KV::Stub> kv(const std::string& address) {
  return etcdserverpb::KV::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
}

grpc::Status put(const std::string& address, const std::string& key, const std::string& value) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + 5s);
  etcdserverpb::PutRequest request;
  request.set_key(key);
  request.set_value(value);
  etcdserverpb::PutResponse response;
  return kv(address)->Put(&context, request, &response);
}

// The value member `address` holds for key from its own store (a serializable read: no leader
// asked), or "" when it has none or does not answer.
std::string local_value(const std::string& address, const std::string& key) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + 2s);
  etcdserverpb::RangeRequest request;
  request.set_key(key);
  request.set_serializable(true);
  etcdserverpb::RangeResponse response;
  if (!kv(address)->Range(&context, request, &response).ok() || response.kvs_size() == 0) return "";
  return response.kvs(0).value();
}

template <typename Predicate> bool eventually(Predicate predicate, std::chrono::milliseconds timeout = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (predicate()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return predicate();
}

TEST(EtcdClusterTest, OneMemberStartsHealthyAndStoresWrites) {
  auto cluster = start_cluster(1);
  ASSERT_NE(cluster, nullptr);
  ASSERT_EQ(cluster->size(), 1u);
  EXPECT_TRUE(cluster->healthy(0, 1s));
  EXPECT_EQ(cluster->leader(), std::optional<std::size_t>(0));
  EXPECT_EQ(cluster->endpoints(), cluster->client_address(0));
  ASSERT_TRUE(put(cluster->client_address(0), "k", "v").ok());
  EXPECT_EQ(local_value(cluster->client_address(0), "k"), "v");
}

TEST(EtcdClusterTest, ThreeMembersReplicateAndElectANewLeaderWhenTheLeaderIsKilled) {
  auto cluster = start_cluster(3);
  ASSERT_NE(cluster, nullptr);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_TRUE(cluster->healthy(i, 1s)) << i;
  const auto leader = cluster->leader();
  ASSERT_TRUE(leader.has_value());
  ASSERT_TRUE(put(cluster->client_address((*leader + 1) % 3), "before", "1").ok());
  for (std::size_t i = 0; i < 3; ++i)
    EXPECT_TRUE(eventually([&] { return local_value(cluster->client_address(i), "before") == "1"; })) << i;

  cluster->kill(*leader);
  EXPECT_FALSE(cluster->running(*leader));
  EXPECT_FALSE(cluster->healthy(*leader, 200ms));
  const std::size_t survivor = (*leader + 1) % 3;
  ASSERT_TRUE(eventually([&] { return cluster->healthy(survivor, 500ms); }));
  const auto next_leader = cluster->leader();
  ASSERT_TRUE(next_leader.has_value());
  EXPECT_NE(*next_leader, *leader);
  ASSERT_TRUE(put(cluster->client_address(survivor), "while-down", "2").ok());

  std::string error;
  ASSERT_TRUE(cluster->restart(*leader, &error)) << error;
  EXPECT_TRUE(eventually([&] { return local_value(cluster->client_address(*leader), "while-down") == "2"; }));
  EXPECT_EQ(local_value(cluster->client_address(*leader), "before"), "1");
}

TEST(EtcdClusterTest, APausedMemberAnswersNothingUntilResumed) {
  auto cluster = start_cluster(3);
  ASSERT_NE(cluster, nullptr);
  const auto leader = cluster->leader();
  ASSERT_TRUE(leader.has_value());
  const std::size_t follower = (*leader + 1) % 3;
  const std::size_t other = (*leader + 2) % 3;
  cluster->pause(follower);
  EXPECT_TRUE(cluster->running(follower));
  EXPECT_FALSE(cluster->healthy(follower, 300ms));
  EXPECT_TRUE(cluster->healthy(other, 1s));  // two of three are a quorum
  ASSERT_TRUE(put(cluster->client_address(other), "while-paused", "3").ok());
  cluster->resume(follower);
  EXPECT_TRUE(eventually([&] { return cluster->healthy(follower, 500ms); }));
  EXPECT_TRUE(eventually([&] { return local_value(cluster->client_address(follower), "while-paused") == "3"; }));
}

TEST(EtcdClusterTest, EndingTheClusterEndsItsProcessesAndRemovesItsFolders) {
  auto cluster = start_cluster(3);
  ASSERT_NE(cluster, nullptr);
  const std::filesystem::path root = cluster->root();
  std::vector<pid_t> pids;
  for (std::size_t i = 0; i < 3; ++i) {
    pids.push_back(cluster->pid(i));
    EXPECT_TRUE(std::filesystem::is_directory(cluster->data_dir(i))) << i;
    EXPECT_EQ(cluster->data_dir(i).parent_path(), root);
  }
  EXPECT_NE(cluster->client_address(0), cluster->client_address(1));
  cluster->pause(2);  // a stopped member is ended too
  cluster.reset();
  for (const pid_t pid : pids) EXPECT_NE(::kill(pid, 0), 0) << pid;  // reaped: no such process
  EXPECT_FALSE(std::filesystem::exists(root));
}

TEST(EtcdClusterTest, AnUnsupportedMemberCountIsRefusedWithAReason) {
  EtcdClusterOptions options;
  options.members = 2;
  std::string error;
  EXPECT_EQ(EtcdCluster::start(options, &error), nullptr);
  EXPECT_NE(error.find("1 or 3 members"), std::string::npos) << error;
}

}  // namespace
}  // namespace placement::testing

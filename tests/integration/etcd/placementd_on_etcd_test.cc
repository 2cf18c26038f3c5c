// The real placementd with --log etcd on a real three-member etcd cluster on loopback, driven by
// placectl: the views survive a restart on the node's archive, and a node with an empty archive
// rebuilds the same views from etcd alone; an archive of another log is refused; the etcd flags
// are checked. The embedded default is tested everywhere else.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/etcd_cluster.h"
#include "tests/support/program_runner.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace placement::testing {
namespace {

std::unique_ptr<EtcdCluster> start_etcd() {
  EtcdClusterOptions options;
  options.members = 3;
  std::string error;
  auto cluster = EtcdCluster::start(options, &error);
  EXPECT_NE(cluster, nullptr) << error;
  return cluster;
}

std::vector<std::string> on_etcd(const EtcdCluster& cluster, const std::string& prefix) {
  return {"--log", "etcd", "--etcd-endpoints", cluster.endpoints(), "--etcd-prefix", prefix};
}

std::string described(const ProgramResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\n--- stdout\n" + result.out + "--- stderr\n" + result.err;
}

ProgramResult placectl(const ServerProcess& server, const std::string& role, std::vector<std::string> args) {
  std::vector<std::string> full = {
      "--server", server.address(), "--secret-file", server.token_secret_file().string(), "--as",
      role,       "--subject",      role + "-1"};
  full.insert(full.end(), args.begin(), args.end());
  return run_placectl(full);
}

// What the planners and the auditors see: capacity by region and by offer, and the chain's check.
std::string views(const ServerProcess& server) {
  std::string seen;
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"capacity", "--at", "2018-10-15", "--by", "region", "--json"},
                                             {"capacity", "--at", "2018-10-15", "--by", "offer", "--json"},
                                             {"offers", "list", "--json"}}) {
    auto result = placectl(server, "planner", args);
    EXPECT_EQ(result.exit_code, 0) << described(result);
    seen += result.out;
  }
  return seen;
}

TEST(PlacementdOnEtcd, TheViewsSurviveARestartAndAnEmptyArchiveRebuildsThemFromEtcd) {
  auto cluster = start_etcd();
  ASSERT_NE(cluster, nullptr);
  TempDir dir;
  ServerProcess node(dir.path() / "node-a", on_etcd(*cluster, "ledger/"));
  ASSERT_TRUE(node.start()) << node.error();
  auto demo = placectl(node, "admin", {"demo"});
  ASSERT_EQ(demo.exit_code, 0) << described(demo);
  const std::string before = views(node);
  ASSERT_NE(before.find("demo-sp-hovedstaden"), std::string::npos) << before;
  auto verified = placectl(node, "auditor", {"audit", "verify"});
  ASSERT_EQ(verified.exit_code, 0) << described(verified);

  // The same node, restarted on its archive.
  ASSERT_EQ(node.stop(), 0) << node.output();
  ASSERT_TRUE(node.start()) << node.error();
  EXPECT_EQ(views(node), before);
  ASSERT_EQ(node.stop(), 0) << node.output();

  // Another node with an empty archive: everything comes from etcd.
  ServerProcess fresh(dir.path() / "node-b", on_etcd(*cluster, "ledger/"));
  ASSERT_TRUE(fresh.start()) << fresh.error();
  EXPECT_EQ(fresh.output().find("caught up 0 event"), std::string::npos) << fresh.output();
  EXPECT_NE(fresh.output().find("caught up"), std::string::npos) << fresh.output();
  EXPECT_EQ(views(fresh), before);
  auto again = placectl(fresh, "admin", {"demo"});  // already loaded: writes nothing new
  EXPECT_EQ(again.exit_code, 0) << described(again);
  EXPECT_EQ(views(fresh), before);
  auto verified_fresh = placectl(fresh, "auditor", {"audit", "verify"});
  EXPECT_EQ(verified_fresh.exit_code, 0) << described(verified_fresh);
  EXPECT_EQ(verified_fresh.out, verified.out);
}

TEST(PlacementdOnEtcd, AnArchiveOfAnotherLogIsRefusedAtStart) {
  auto cluster = start_etcd();
  ASSERT_NE(cluster, nullptr);
  TempDir dir;
  ServerProcess node(dir.path() / "node", on_etcd(*cluster, "first/"));
  ASSERT_TRUE(node.start()) << node.error();
  ASSERT_EQ(node.stop(), 0) << node.output();
  node.set_extra_args(on_etcd(*cluster, "second/"));  // an empty log: the archive is ahead of it
  EXPECT_FALSE(node.start());
  EXPECT_NE(node.error().find("another log"), std::string::npos) << node.error();
}

TEST(PlacementdOnEtcd, EtcdFlagsAreCheckedBeforeAnythingStarts) {
  TempDir dir;
  ServerProcess server(dir.path() / "data");
  std::string output;
  EXPECT_NE(
      server.run_to_exit({"--data", (dir.path() / "data").string(), "--etcd-endpoints", "127.0.0.1:2379"}, &output), 0);
  EXPECT_NE(output.find("go with --log etcd"), std::string::npos) << output;
  EXPECT_NE(server.run_to_exit({"--data", (dir.path() / "data").string(), "--log", "etcd"}, &output), 0);
  EXPECT_NE(output.find("--etcd-endpoints must be host:port"), std::string::npos) << output;
  EXPECT_NE(server.run_to_exit({"--data", (dir.path() / "data").string(), "--log", "zookeeper"}, &output), 0);
  EXPECT_NE(output.find("--log must be rocksdb or etcd"), std::string::npos) << output;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "data"));
}

}  // namespace
}  // namespace placement::testing

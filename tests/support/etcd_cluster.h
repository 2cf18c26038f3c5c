#pragma once
// Real etcd members (Debian's etcd-server, installed by scripts/setup) as child processes on
// 127.0.0.1, for tests of the etcd log: one member, or a cluster of three. Each member has ports
// the system picked and a data folder of its own under the cluster's folder; the folders outlive
// kill() and restart(), and the whole cluster (processes and folders) ends with the object.
// Nothing is mocked: the members fsync, elect a leader and replicate as in production, only with
// shorter heartbeat and election timeouts, so a failover in a test takes well under a second.
//
// Not thread-safe: one test thread drives a cluster.

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace placement::testing {

// Path of the etcd binary (found by CMake when it configured the build; scripts/setup installs it).
std::string etcd_path();

// TLS on the members' client port: their certificate and key, the CA that signed the clients'
// certificates (--client-cert-auth), and the client certificate the cluster's own health probes use.
struct EtcdTls {
  std::string ca_file;
  std::string server_cert_file;  // for 127.0.0.1
  std::string server_key_file;
  std::string client_cert_file;
  std::string client_key_file;
};

struct EtcdClusterOptions {
  std::size_t members = 1;  // 1 or 3
  std::chrono::milliseconds heartbeat{50};
  std::chrono::milliseconds election_timeout{500};
  // Further etcd flags for every member, e.g. {"--max-txn-ops=16", "--max-request-bytes=65536"}.
  std::vector<std::string> extra_args;
  // How long start() and restart() wait for a member to answer a linearizable read.
  std::chrono::seconds ready_timeout{30};
  // Plaintext when unset.
  std::optional<EtcdTls> tls;
};

class EtcdCluster {
 public:
  // Starts every member and waits until each one serves a linearizable read (so there is a
  // leader and a quorum). Returns nullptr with the reason (and the members' output) in *error
  // when etcd is missing or a member does not become healthy in time. A port another process
  // took between picking and binding makes the whole start retry with new ports.
  static std::unique_ptr<EtcdCluster> start(const EtcdClusterOptions& options, std::string* error);
  ~EtcdCluster();  // SIGKILLs every member still running; the TempDir removes the folders
  EtcdCluster(const EtcdCluster&) = delete;
  EtcdCluster& operator=(const EtcdCluster&) = delete;

  std::size_t size() const { return members_.size(); }
  // The folder holding every member's data folder and output; removed with the cluster.
  const std::filesystem::path& root() const { return root_.path(); }
  // "127.0.0.1:port" of member i's client (gRPC) listener, and of every member.
  const std::string& client_address(std::size_t i) const { return members_.at(i).client_address; }
  std::vector<std::string> client_addresses() const;
  // The client addresses joined with commas: the value of placementd's --etcd-endpoints.
  std::string endpoints() const;
  const std::filesystem::path& data_dir(std::size_t i) const { return members_.at(i).data_dir; }
  pid_t pid(std::size_t i) const { return members_.at(i).pid; }
  bool running(std::size_t i) const { return members_.at(i).pid > 0; }

  // SIGKILL, then reaps: the member's process ends with no chance to flush or say goodbye.
  void kill(std::size_t i);
  // SIGSTOP / SIGCONT: the member stays in the cluster's view but answers nothing meanwhile.
  void pause(std::size_t i);
  void resume(std::size_t i);
  // Starts a killed member again on the same ports and data folder (it rejoins with its own
  // Raft log) and waits until it is healthy; false with the reason in *error otherwise.
  bool restart(std::size_t i, std::string* error);

  // True when member i answers a linearizable read within `timeout`: it has a leader, and the
  // leader a quorum, and it has caught up far enough to serve.
  bool healthy(std::size_t i, std::chrono::milliseconds timeout) const;
  // The index of the member that is the Raft leader now, as the running members report it.
  std::optional<std::size_t> leader() const;

  // Everything member i wrote to stdout/stderr so far.
  std::string output(std::size_t i) const;

 private:
  struct Member {
    std::string name;
    std::string client_address;
    std::string peer_url;
    std::filesystem::path data_dir;
    std::filesystem::path log_file;
    std::uint64_t member_id = 0;  // etcd's id, learnt from the member's status once healthy
    pid_t pid = -1;
  };

  explicit EtcdCluster(EtcdClusterOptions options) : options_(std::move(options)) {}
  bool spawn(std::size_t i, bool initial);
  bool wait_healthy(std::size_t i, std::string* error);
  std::string initial_cluster() const;

  EtcdClusterOptions options_;
  TempDir root_;
  std::string cluster_token_;
  std::vector<Member> members_;
};

}  // namespace placement::testing

#include "tests/support/etcd_cluster.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "etcd/etcdserver/etcdserverpb/rpc.grpc.pb.h"

extern char** environ;

namespace placement::testing {
namespace {

constexpr int kStartAttempts = 3;

// Ports the system picks for `count` listeners on 127.0.0.1, all distinct: every socket stays
// bound until the last is picked, then all are closed for etcd to bind. Another process can take
// one in between; start() notices (etcd exits with "address already in use") and tries again.
std::vector<int> pick_free_ports(std::size_t count) {
  std::vector<int> sockets;
  std::vector<int> ports;
  for (std::size_t i = 0; i < count; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = 0;
    ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    socklen_t length = sizeof(address);
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      if (fd >= 0) ::close(fd);
      continue;
    }
    sockets.push_back(fd);
    ports.push_back(ntohs(address.sin_port));
  }
  for (const int fd : sockets) ::close(fd);
  return ports;
}

std::string random_token() {
  std::random_device rd;
  std::string token = "placement-test-";
  for (int i = 0; i < 12; ++i) token.push_back(static_cast<char>('a' + rd() % 26));
  return token;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::shared_ptr<grpc::ChannelCredentials> credentials_for(const std::optional<EtcdTls>& tls) {
  if (!tls) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = read_file(tls->ca_file);
  options.pem_cert_chain = read_file(tls->client_cert_file);
  options.pem_private_key = read_file(tls->client_key_file);
  return grpc::SslCredentials(options);
}

}  // namespace

std::string etcd_path() { return ETCD_PATH; }

std::unique_ptr<EtcdCluster> EtcdCluster::start(const EtcdClusterOptions& options, std::string* error) {
  if (options.members != 1 && options.members != 3) {
    *error = "an etcd cluster for tests has 1 or 3 members, not " + std::to_string(options.members);
    return nullptr;
  }
  if (::access(etcd_path().c_str(), X_OK) != 0) {
    *error = "etcd not found at '" + etcd_path() + "': run scripts/setup (Debian's etcd-server)";
    return nullptr;
  }
  for (int attempt = 1; attempt <= kStartAttempts; ++attempt) {
    std::unique_ptr<EtcdCluster> cluster(new EtcdCluster(options));
    cluster->cluster_token_ = random_token();
    const std::vector<int> ports = pick_free_ports(2 * options.members);
    if (ports.size() != 2 * options.members) {
      *error = "cannot pick free ports on 127.0.0.1";
      return nullptr;
    }
    for (std::size_t i = 0; i < options.members; ++i) {
      Member member;
      member.name = "member" + std::to_string(i);
      member.client_address = "127.0.0.1:" + std::to_string(ports[2 * i]);
      member.peer_url = "http://127.0.0.1:" + std::to_string(ports[2 * i + 1]);
      member.data_dir = cluster->root_.path() / member.name;
      member.log_file = cluster->root_.path() / (member.name + ".log");
      cluster->members_.push_back(std::move(member));
    }
    bool spawned = true;
    for (std::size_t i = 0; i < cluster->size() && spawned; ++i) spawned = cluster->spawn(i, true);
    if (!spawned) {
      *error = "cannot spawn " + etcd_path();
      return nullptr;
    }
    bool all_healthy = true;
    for (std::size_t i = 0; i < cluster->size() && all_healthy; ++i) all_healthy = cluster->wait_healthy(i, error);
    if (all_healthy) return cluster;
    bool port_taken = false;
    for (std::size_t i = 0; i < cluster->size(); ++i)
      port_taken = port_taken || cluster->output(i).find("address already in use") != std::string::npos;
    if (!port_taken) return nullptr;
  }
  *error = "etcd could not bind its ports in " + std::to_string(kStartAttempts) + " attempts: " + *error;
  return nullptr;
}

EtcdCluster::~EtcdCluster() {
  for (std::size_t i = 0; i < members_.size(); ++i) kill(i);
}

std::string EtcdCluster::initial_cluster() const {
  std::string joined;
  for (const Member& member : members_) {
    if (!joined.empty()) joined += ",";
    joined += member.name + "=" + member.peer_url;
  }
  return joined;
}

bool EtcdCluster::spawn(std::size_t i, bool initial) {
  Member& member = members_.at(i);
  const std::string client_url = (options_.tls ? "https://" : "http://") + member.client_address;
  std::vector<std::string> args = {
      etcd_path(),
      "--name=" + member.name,
      "--data-dir=" + member.data_dir.string(),
      "--listen-client-urls=" + client_url,
      "--advertise-client-urls=" + client_url,
      "--listen-peer-urls=" + member.peer_url,
      "--initial-advertise-peer-urls=" + member.peer_url,
      "--initial-cluster=" + initial_cluster(),
      "--initial-cluster-token=" + cluster_token_,
      std::string("--initial-cluster-state=") + (initial ? "new" : "existing"),
      "--heartbeat-interval=" + std::to_string(options_.heartbeat.count()),
      "--election-timeout=" + std::to_string(options_.election_timeout.count()),
      "--logger=zap",
      "--log-outputs=stderr",
  };
  if (options_.tls)
    args.insert(args.end(),
                {"--cert-file=" + options_.tls->server_cert_file, "--key-file=" + options_.tls->server_key_file,
                 "--client-cert-auth", "--trusted-ca-file=" + options_.tls->ca_file});
  args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, member.log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  member.pid = rc == 0 ? pid : -1;
  return member.pid > 0;
}

bool EtcdCluster::wait_healthy(std::size_t i, std::string* error) {
  Member& member = members_.at(i);
  const auto deadline = std::chrono::steady_clock::now() + options_.ready_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (member.pid > 0 && ::waitpid(member.pid, &status, WNOHANG) == member.pid) {
      member.pid = -1;
      *error = member.name + " exited before it was healthy:\n" + output(i);
      return false;
    }
    if (healthy(i, std::chrono::milliseconds(500))) {
      auto maintenance =
          etcdserverpb::Maintenance::NewStub(grpc::CreateChannel(member.client_address, credentials_for(options_.tls)));
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
      etcdserverpb::StatusResponse response;
      if (maintenance->Status(&context, etcdserverpb::StatusRequest(), &response).ok()) {
        member.member_id = response.header().member_id();
        return true;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  *error =
      member.name + " was not healthy within " + std::to_string(options_.ready_timeout.count()) + " s:\n" + output(i);
  return false;
}

std::vector<std::string> EtcdCluster::client_addresses() const {
  std::vector<std::string> addresses;
  for (const Member& member : members_) addresses.push_back(member.client_address);
  return addresses;
}

std::string EtcdCluster::endpoints() const {
  std::string joined;
  for (const Member& member : members_) {
    if (!joined.empty()) joined += ",";
    joined += member.client_address;
  }
  return joined;
}

void EtcdCluster::kill(std::size_t i) {
  Member& member = members_.at(i);
  if (member.pid <= 0) return;
  ::kill(member.pid, SIGKILL);
  int status = 0;
  ::waitpid(member.pid, &status, 0);
  member.pid = -1;
}

void EtcdCluster::pause(std::size_t i) {
  if (running(i)) ::kill(members_.at(i).pid, SIGSTOP);
}

void EtcdCluster::resume(std::size_t i) {
  if (running(i)) ::kill(members_.at(i).pid, SIGCONT);
}

bool EtcdCluster::restart(std::size_t i, std::string* error) {
  kill(i);
  if (!spawn(i, false)) {
    *error = "cannot spawn " + etcd_path();
    return false;
  }
  return wait_healthy(i, error);
}

bool EtcdCluster::healthy(std::size_t i, std::chrono::milliseconds timeout) const {
  if (!running(i)) return false;
  auto kv =
      etcdserverpb::KV::NewStub(grpc::CreateChannel(members_.at(i).client_address, credentials_for(options_.tls)));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + timeout);
  etcdserverpb::RangeRequest request;
  request.set_key("health");  // linearizable (serializable = false): needs the leader's confirmation
  etcdserverpb::RangeResponse response;
  return kv->Range(&context, request, &response).ok();
}

std::optional<std::size_t> EtcdCluster::leader() const {
  for (std::size_t i = 0; i < members_.size(); ++i) {
    if (!running(i)) continue;
    auto maintenance = etcdserverpb::Maintenance::NewStub(
        grpc::CreateChannel(members_[i].client_address, credentials_for(options_.tls)));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(500));
    etcdserverpb::StatusResponse response;
    if (!maintenance->Status(&context, etcdserverpb::StatusRequest(), &response).ok() || response.leader() == 0)
      continue;
    for (std::size_t j = 0; j < members_.size(); ++j)
      if (members_[j].member_id == response.leader()) return j;
  }
  return std::nullopt;
}

std::string EtcdCluster::output(std::size_t i) const {
  std::ifstream in(members_.at(i).log_file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace placement::testing

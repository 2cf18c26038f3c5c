#include "storage/etcd_client.h"

#include <fstream>
#include <sstream>

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include "etcd/etcdserver/etcdserverpb/rpc.grpc.pb.h"
#include "storage/etcd_status.h"

namespace placement::storage {
namespace {

// etcd answers a range with every key it matches; the log bounds its ranges by count, and this
// bounds what one answer may hold (etcd's own default for what a member sends is larger).
constexpr int kMaxReceiveBytes = 64 << 20;

Result<std::string> read_file(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Errc::invalid_argument, "cannot read the etcd " + std::string(what) + " file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

struct EtcdClient::Impl {
  struct Member {
    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<etcdserverpb::KV::Stub> kv;
    std::unique_ptr<etcdserverpb::Maintenance::Stub> maintenance;
    std::unique_ptr<etcdserverpb::Auth::Stub> auth;
  };

  std::vector<Member> members;
  std::chrono::milliseconds call_timeout{5000};
  std::string user;
  std::string password;
  // The member the next call goes to first; moves on after a member could not answer.
  mutable std::atomic<std::size_t> current{0};
  mutable std::mutex token_mutex;
  mutable std::string token;  // etcd's auth token, empty without a user

  void prepare(grpc::ClientContext& context) const {
    context.set_deadline(std::chrono::system_clock::now() + call_timeout);
    std::lock_guard lock(token_mutex);
    if (!token.empty()) context.AddMetadata("token", token);
  }

  // Asks member `index` for a new token. Any thread.
  Status authenticate(std::size_t index) const {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + call_timeout);
    etcdserverpb::AuthenticateRequest request;
    request.set_name(user);
    request.set_password(password);
    etcdserverpb::AuthenticateResponse response;
    const grpc::Status status = members[index].auth->Authenticate(&context, request, &response);
    if (!status.ok()) {
      if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT)
        return fail(Errc::unavailable, "etcd refused user " + user + ": " + status.error_message());
      return outcome::failure(from_etcd(status, "etcd authentication"));
    }
    std::lock_guard lock(token_mutex);
    token = response.token();
    return ok();
  }

  // Runs `call` on one member after another, starting at the current one, until one answers
  // (or, with retry false, on the current one only). An expired token is renewed once.
  template <typename Response, typename Call>
  Result<Response> run(std::string_view what, bool retry, const Call& call) const {
    const std::size_t start = current.load();
    const std::size_t attempts = retry ? members.size() : 1;
    grpc::Status last;
    for (std::size_t attempt = 0; attempt < attempts; ++attempt) {
      const std::size_t index = (start + attempt) % members.size();
      Response response;
      grpc::Status status;
      for (int auth_round = 0; auth_round < 2; ++auth_round) {
        grpc::ClientContext context;
        prepare(context);
        status = call(members[index], context, response);
        if (status.error_code() != grpc::StatusCode::UNAUTHENTICATED || user.empty() || auth_round == 1) break;
        if (auto renewed = authenticate(index); !renewed) return outcome::failure(renewed.error());
      }
      if (status.ok()) return response;
      last = status;
      if (!etcd_member_cannot_answer(status)) break;
      // The next call (and the next attempt of this one) goes to the next member.
      std::size_t expected = index;
      current.compare_exchange_strong(expected, (index + 1) % members.size());
    }
    return outcome::failure(from_etcd(last, what));
  }
};

EtcdClient::EtcdClient(std::unique_ptr<Impl> impl, std::vector<std::string> endpoints)
    : impl_(std::move(impl)), endpoints_(std::move(endpoints)) {}

EtcdClient::~EtcdClient() = default;

Result<std::unique_ptr<EtcdClient>> EtcdClient::connect(const EtcdConnection& connection) {
  if (connection.endpoints.empty()) return fail(Errc::invalid_argument, "the etcd log needs at least one endpoint");
  if (connection.cert_file.empty() != connection.key_file.empty())
    return fail(Errc::invalid_argument, "an etcd client certificate needs its key, and a key its certificate");
  if (!connection.cert_file.empty() && connection.ca_file.empty())
    return fail(Errc::invalid_argument, "an etcd client certificate needs TLS: give the CA file too");
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  if (!connection.ca_file.empty()) {
    grpc::SslCredentialsOptions tls;
    PLACEMENT_TRY(ca, read_file(connection.ca_file, "CA"));
    tls.pem_root_certs = std::move(ca);
    if (!connection.cert_file.empty()) {
      PLACEMENT_TRY(cert, read_file(connection.cert_file, "client certificate"));
      PLACEMENT_TRY(key, read_file(connection.key_file, "client key"));
      tls.pem_cert_chain = std::move(cert);
      tls.pem_private_key = std::move(key);
    }
    credentials = grpc::SslCredentials(tls);
  }
  auto impl = std::make_unique<Impl>();
  impl->call_timeout = connection.call_timeout;
  impl->user = connection.user;
  impl->password = connection.password;
  for (const std::string& endpoint : connection.endpoints) {
    if (endpoint.empty()) return fail(Errc::invalid_argument, "an etcd endpoint is empty");
    grpc::ChannelArguments arguments;
    arguments.SetMaxReceiveMessageSize(kMaxReceiveBytes);
    // A member that went away is tried again soon after it is back, not after gRPC's 1 s..120 s
    // backoff: a restarted member should take calls within a second.
    arguments.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
    arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
    Impl::Member member;
    member.channel = grpc::CreateCustomChannel(endpoint, credentials, arguments);
    member.kv = etcdserverpb::KV::NewStub(member.channel);
    member.maintenance = etcdserverpb::Maintenance::NewStub(member.channel);
    member.auth = etcdserverpb::Auth::NewStub(member.channel);
    impl->members.push_back(std::move(member));
  }
  if (!impl->user.empty()) {
    Status authenticated = fail(Errc::unavailable, "no etcd endpoint");
    for (std::size_t i = 0; i < impl->members.size(); ++i) {
      authenticated = impl->authenticate(i);
      if (authenticated || authenticated.error().message.find("refused user") != std::string::npos) break;
    }
    if (!authenticated) return outcome::failure(authenticated.error());
  }
  return std::unique_ptr<EtcdClient>(new EtcdClient(std::move(impl), connection.endpoints));
}

Result<etcdserverpb::RangeResponse> EtcdClient::range(const etcdserverpb::RangeRequest& request) const {
  return impl_->run<etcdserverpb::RangeResponse>(
      "etcd range", true, [&](const Impl::Member& member, grpc::ClientContext& context, auto& response) {
        return member.kv->Range(&context, request, &response);
      });
}

Result<etcdserverpb::TxnResponse> EtcdClient::txn(const etcdserverpb::TxnRequest& request) const {
  return impl_->run<etcdserverpb::TxnResponse>(
      "etcd transaction", false, [&](const Impl::Member& member, grpc::ClientContext& context, auto& response) {
        return member.kv->Txn(&context, request, &response);
      });
}

Status EtcdClient::compact(std::int64_t revision) const {
  etcdserverpb::CompactionRequest request;
  request.set_revision(revision);
  PLACEMENT_TRY(impl_->run<etcdserverpb::CompactionResponse>(
      "etcd compaction", false, [&](const Impl::Member& member, grpc::ClientContext& context, auto& response) {
        return member.kv->Compact(&context, request, &response);
      }));
  return ok();
}

Result<etcdserverpb::StatusResponse> EtcdClient::status() const {
  return impl_->run<etcdserverpb::StatusResponse>(
      "etcd status", true, [&](const Impl::Member& member, grpc::ClientContext& context, auto& response) {
        return member.maintenance->Status(&context, etcdserverpb::StatusRequest(), &response);
      });
}

}  // namespace placement::storage

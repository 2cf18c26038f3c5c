#pragma once
// A client of an etcd 3.4 cluster over its gRPC API (protos/etcd/), for the etcd log: the calls it
// needs (Range, Txn, Status), over one channel per endpoint, with TLS and etcd's user/password
// authentication. grpc::Status becomes our Error here and nowhere else (to_error).
//
// Failover: calls go to one endpoint at a time. A read that fails because the member cannot
// answer (unavailable, timed out, no leader) is tried on the next endpoint, each endpoint once per
// call. A transaction is never retried here: after such a failure its outcome is unknown, and only
// the caller can find out what was written (EtcdEventLog re-reads the head). The next call then
// starts at the next endpoint.
//
// Thread-safe: every call may come from any thread.

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "services/base/result.h"

namespace etcdserverpb {
class RangeRequest;
class RangeResponse;
class TxnRequest;
class TxnResponse;
class StatusResponse;
}  // namespace etcdserverpb

namespace placement::storage {

struct EtcdConnection {
  std::vector<std::string> endpoints;  // host:port of the members' client listeners; at least one
  // TLS to every endpoint when ca_file is set: the members' certificates are checked against it
  // (and the host names in endpoints against theirs). cert_file and key_file (PEM, both or
  // neither) are the client certificate for etcd's --client-cert-auth. Without ca_file the
  // connection is plaintext, for loopback only.
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  // etcd's authentication (etcdctl user add, auth enable): a token is asked for at connect and
  // again when etcd says it expired. Empty user: none.
  std::string user;
  std::string password;
  // The deadline of one call to one member.
  std::chrono::milliseconds call_timeout{5000};
};

class EtcdClient {
 public:
  // Reads the TLS files and, with a user, authenticates; does not wait for a member otherwise
  // (the first call does). invalid_argument for a configuration that cannot work (no endpoint,
  // unreadable file, a certificate without its key).
  static Result<std::unique_ptr<EtcdClient>> connect(const EtcdConnection& connection);
  ~EtcdClient();
  EtcdClient(const EtcdClient&) = delete;
  EtcdClient& operator=(const EtcdClient&) = delete;

  Result<etcdserverpb::RangeResponse> range(const etcdserverpb::RangeRequest& request) const;
  // Not retried (see above): unavailable or deadline_exceeded mean the outcome is unknown.
  Result<etcdserverpb::TxnResponse> txn(const etcdserverpb::TxnRequest& request) const;
  // Compacts etcd's history up to `revision`: older versions of keys (each batch's earlier heads)
  // are dropped; the current version of every key stays. Not retried.
  Status compact(std::int64_t revision) const;
  // The status of the member calls go to now (its id, the leader's, the database size).
  Result<etcdserverpb::StatusResponse> status() const;

  const std::vector<std::string>& endpoints() const { return endpoints_; }

 private:
  struct Impl;
  explicit EtcdClient(std::unique_ptr<Impl> impl, std::vector<std::string> endpoints);
  std::unique_ptr<Impl> impl_;
  std::vector<std::string> endpoints_;
};

}  // namespace placement::storage

#pragma once
// The composition root: the only place where the log, the ledger, the services and gRPC meet.

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <grpcpp/server.h>

#include "services/base/clock.h"
#include "services/base/result.h"
#include "services/placementd/config.h"
#include "services/privacy/pseudonymizer.h"

namespace rocksdb {
class Env;
}  // namespace rocksdb

namespace placement::storage {
class RocksDbEventLog;
class EtcdEventLog;
class EtcdArchivedLog;
struct IntegrityBreak;
}  // namespace placement::storage

namespace placement::ledger {
class CommitFeed;
class Ledger;
class ReservationExpiry;
class SnapshotTaker;
}  // namespace placement::ledger

namespace placement::privacy {
class CitizenErasure;
class CitizenKeys;
}  // namespace placement::privacy

namespace placement::auth {
class RevokedTokens;
}  // namespace placement::auth

namespace placement::api {
class AdminServiceImpl;
class AuditServiceImpl;
class Authenticator;
class OfferServiceImpl;
class PlacementServiceImpl;
class PlanningServiceImpl;
class OrganisationServiceImpl;
class ProofServiceImpl;
}  // namespace placement::api

namespace placement::web {
class DashboardApi;
class WebServer;
}  // namespace placement::web
namespace placement::transparency {
class Checkpointer;
}  // namespace placement::transparency

namespace placement::placementd {

class AdminHttp;
class LedgerMetrics;
class LogIntegrity;
struct Metrics;

class Server {
 public:
  // Opens the data folder, loads reference data on first start, replays the log, and serves.
  // Every RocksDB it opens (the log with its snapshots, the citizen key store) does its file I/O
  // through `storage_env`; nullptr for the real one (tests pass a fault-injecting one).
  //
  //
  // The log's integrity is verified first (storage/integrity_check.h): a broken log fails the
  // start with Errc::data_loss under --on-corruption refuse, and under read-only starts a server
  // that serves the events before the break and refuses every write.
  //
  // `must_stop` is called at most once per reason, on any thread, when the server cannot go on:
  // the log's disk failed for good (RocksDbOptions::on_disk_failed; writes are refused from then
  // on), or the scrub found the log broken under --on-corruption refuse (the server has stopped
  // serving). The owner is expected to shut the server down. It must not block and must not call
  // into the server.
  // log_failed: the etcd log cannot append any more (another writer took its place, or an
  // outcome could not be learnt): restarting rereads the log from etcd.
  enum class StopReason { disk_failed, log_broken, log_failed };
  using MustStop = std::function<void(StopReason reason, const std::string& why)>;
  static Result<std::unique_ptr<Server>> start(const Config& config, rocksdb::Env* storage_env = nullptr,
                                               MustStop must_stop = {});
  ~Server();

  // host:port actually bound (the chosen port when the config asked for port 0).
  const std::string& address() const { return address_; }
  // host:port of the admin HTTP endpoint; empty when disabled.
  std::string admin_address() const;
  // URL of the planners' dashboard; empty when disabled.
  std::string web_url() const;

  // Before a shutdown the server did not choose (MustStop): health and /readyz say at once that it
  // is not serving, and for `how_long` the calls still arriving are answered (writes refused) before
  // shutdown closes the listener, so that callers learn why instead of seeing their call cancelled.
  void drain(std::chrono::milliseconds how_long);

  // Stops taking calls, lets in-flight calls finish (at most `grace`), drains the writer and
  // closes the database. Nothing acknowledged before is lost. Idempotent.
  void shutdown(std::chrono::seconds grace);

  // SIGHUP: re-reads the identity provider's key set (--jwks-file) and logs what it found; on a
  // bad file the keys in use stay (logged as an error). Nothing without a provider.
  void reload_identity_keys();

 private:
  Server();
  Status load_reference_data(const Config& config);
  // At start, after the log is replayed: deletes the key-store entries of citizens and households
  // no placement names (a request refused, or cut off by a crash, after its key was issued).
  Status sweep_unnamed_citizens();
  // --log etcd: connects to etcd, catches the archive (log_) up from it, and makes archived_.
  Status open_etcd_log(const Config& config);
  // The mergers of regions shipped as reference data (ledger::builtin_region_mergers_csv), each
  // written once: at the first start after the reference data, and into a data folder an earlier
  // version wrote when it first opens with this one.
  Status load_region_mergers();
  // The checkpointer (its key, witnesses, interval thread) and the ProofService over it.
  Status start_checkpoints(const Config& config);
  // On the scrub's thread: the log is broken while serving. Writes stop; under refuse, serving stops.
  void log_broken_while_serving(const storage::IntegrityBreak& found);
  // Health of each service: all serving, only the read services, or none.
  void set_health();

  SystemClock clock_;
  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<LedgerMetrics> ledger_metrics_;  // reports to metrics_
  std::atomic<bool> ready_{false};
  // The embedded log; with --log etcd, the node's archive of the etcd log, which every read uses.
  std::unique_ptr<storage::RocksDbEventLog> log_;
  // With --log etcd only: the etcd log, and the log the ledger appends through (etcd, then the archive).
  std::unique_ptr<storage::EtcdEventLog> etcd_log_;
  std::unique_ptr<storage::EtcdArchivedLog> archived_;
  std::unique_ptr<LogIntegrity> integrity_;  // stops its scrub before log_ closes
  MustStop must_stop_;
  std::unique_ptr<ledger::CommitFeed> feed_;
  std::unique_ptr<ledger::Ledger> ledger_;
  std::unique_ptr<ledger::SnapshotTaker> snapshots_;
  std::unique_ptr<privacy::Pseudonymizer> pseudonymizer_;
  std::unique_ptr<privacy::CitizenKeys> citizen_keys_;
  std::unique_ptr<privacy::CitizenErasure> erasure_;
  std::shared_ptr<auth::RevokedTokens> revoked_tokens_;  // shared with the verifier
  std::unique_ptr<api::Authenticator> authenticator_;    // outlives the services that hold it
  bool identity_provider_ = false;
  std::unique_ptr<api::AuditServiceImpl> audit_;
  std::unique_ptr<api::AdminServiceImpl> admin_service_;
  std::unique_ptr<api::OfferServiceImpl> offers_;
  std::unique_ptr<api::PlacementServiceImpl> placements_;
  std::unique_ptr<api::PlanningServiceImpl> planning_;
  std::unique_ptr<api::OrganisationServiceImpl> organisation_;  // reads planning_'s views
  std::unique_ptr<transparency::Checkpointer> checkpointer_;
  std::unique_ptr<api::ProofServiceImpl> proofs_;
  std::unique_ptr<ledger::ReservationExpiry> expiry_;
  std::unique_ptr<grpc::Server> grpc_;
  std::unique_ptr<AdminHttp> admin_;
  std::unique_ptr<web::DashboardApi> dashboard_;  // outlives web_
  std::unique_ptr<web::WebServer> web_;
  std::string address_;
  bool stopped_ = false;
};

}  // namespace placement::placementd

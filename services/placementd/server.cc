#include "services/placementd/server.h"

#include <openssl/rand.h>

#include <fstream>
#include <sstream>
#include <thread>
#include <unordered_set>

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>
#include <spdlog/spdlog.h>

#include "services/api/admin_service.h"
#include "services/api/audit_service.h"
#include "services/api/caller.h"
#include "services/api/limits.h"
#include "services/api/offer_service.h"
#include "services/api/organisation_service.h"
#include "services/api/placement_service.h"
#include "services/api/planning_service.h"
#include "services/api/proof_service.h"
#include "services/api/transport_security.h"
#include "services/auth/revoked_tokens.h"
#include "services/auth/token_secrets.h"
#include "services/auth/token_verifier.h"
#include "services/files/backup_root.h"
#include "services/files/secret_file.h"
#include "services/ledger/commit_feed.h"
#include "services/ledger/ledger.h"
#include "services/ledger/reference_data.h"
#include "services/ledger/reservation_expiry.h"
#include "services/ledger/snapshots.h"
#include "services/placementd/admin_http.h"
#include "services/placementd/ledger_metrics.h"
#include "services/placementd/log_integrity.h"
#include "services/placementd/metrics.h"
#include "services/privacy/citizen_erasure.h"
#include "services/privacy/citizen_keys.h"
#include "services/transparency/checkpointer.h"
#include "services/web/dashboard_api.h"
#include "services/web/web_server.h"
#include "storage/etcd_archived_log.h"
#include "storage/etcd_event_log.h"
#include "storage/integrity_check.h"
#include "storage/rocksdb_event_log.h"

namespace placement::placementd {

Server::Server() : metrics_(std::make_unique<Metrics>()), ledger_metrics_(std::make_unique<LedgerMetrics>(*metrics_)) {}

namespace {

// True when `path` is `folder` or lies under it (both need not exist yet).
bool is_inside(const std::filesystem::path& path, const std::filesystem::path& folder) {
  namespace fs = std::filesystem;
  const auto relative = fs::weakly_canonical(path).lexically_relative(fs::weakly_canonical(folder));
  return !relative.empty() && *relative.begin() != "..";
}

// The token secret file: made on first start (one secret of 32 random bytes, as hex) with
// files::create_secret_file, and refused when anyone but the server's user may read it.
Status prepare_token_secret_file(const std::filesystem::path& path) {
  constexpr std::string_view what = "token secret file";
  if (auto present = files::check_secret_file(path, what); present || present.error().code != Errc::not_found)
    return present;
  unsigned char secret[32];
  if (RAND_bytes(secret, sizeof secret) != 1)
    return fail(Errc::internal, "cannot draw random bytes for a token secret");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string line;
  for (unsigned char b : secret) {
    line.push_back(kHex[b >> 4]);
    line.push_back(kHex[b & 0xf]);
  }
  line.push_back('\n');
  if (path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
  }
  PLACEMENT_TRY(files::create_secret_file(path, line, what));
  spdlog::info("created {} {} (mode 0600)", what, path.string());
  return ok();
}

Status make_private(const std::filesystem::path& folder, std::string_view what) {
  PLACEMENT_TRY(tightened, files::make_private_folder(folder, what));
  if (tightened) spdlog::warn("{} {} was open to group or others; made it 0700", what, folder.string());
  return ok();
}

}  // namespace

Status Server::open_etcd_log(const Config& config) {
  storage::EtcdConnection connection;
  connection.endpoints = config.etcd.endpoints;
  if (config.etcd.ca_file) connection.ca_file = config.etcd.ca_file->string();
  if (config.etcd.cert_file) connection.cert_file = config.etcd.cert_file->string();
  if (config.etcd.key_file) connection.key_file = config.etcd.key_file->string();
  connection.user = config.etcd.user;
  if (config.etcd.password_file) {
    std::ifstream file(*config.etcd.password_file);
    if (!file || !std::getline(file, connection.password))
      return fail(Errc::invalid_argument, "cannot read the etcd password from " + config.etcd.password_file->string());
  }
  connection.call_timeout = config.etcd.call_timeout;
  auto on_failed = [this](const std::string& why) {
    if (must_stop_) must_stop_(StopReason::log_failed, why);
  };
  storage::EtcdLogOptions options;
  options.prefix = config.etcd.prefix;
  options.max_txn_ops = config.etcd.max_txn_ops;
  options.max_request_bytes = config.etcd.max_request_bytes;
  options.on_failed = on_failed;
  PLACEMENT_TRY(etcd, storage::EtcdEventLog::open(connection, options));
  etcd_log_ = std::move(etcd);
  std::string endpoints;
  for (const std::string& endpoint : config.etcd.endpoints) endpoints += (endpoints.empty() ? "" : ",") + endpoint;
  const auto catching_up = std::chrono::steady_clock::now();
  PLACEMENT_TRY(copied, storage::EtcdArchivedLog::catch_up(*etcd_log_, *log_));
  spdlog::info(
      "the log is in etcd ({}, prefix '{}'); this node's archive in {} caught up {} event(s) to position {} in {} ms",
      endpoints, config.etcd.prefix, config.data_dir.string(), copied, log_->head().position.value,
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - catching_up).count());
  archived_ = std::make_unique<storage::EtcdArchivedLog>(*etcd_log_, *log_, on_failed);
  return ok();
}

std::string Server::admin_address() const { return admin_ ? admin_->address() : std::string(); }

std::string Server::web_url() const { return web_ ? web_->url() : std::string(); }

Server::~Server() { shutdown(std::chrono::seconds(0)); }

Result<std::unique_ptr<Server>> Server::start(const Config& config, rocksdb::Env* storage_env, MustStop must_stop) {
  std::unique_ptr<Server> server(new Server());
  server->must_stop_ = std::move(must_stop);
  auto on_disk_failed = [self = server.get()](const std::string& why) {
    if (self->must_stop_) self->must_stop_(StopReason::disk_failed, "the log's disk failed: " + why);
  };

  const auto opening = std::chrono::steady_clock::now();
  PLACEMENT_TRY(make_private(config.data_dir, "data folder"));
  PLACEMENT_TRY(log, storage::RocksDbEventLog::open(config.data_dir.string(), {.create_if_missing = true,
                                                                               .min_free_bytes = config.min_free_bytes,
                                                                               .env = storage_env,
                                                                               .on_disk_failed = on_disk_failed}));
  server->log_ = std::move(log);
  spdlog::info(
      "opened data folder {} at log position {} in {} ms", config.data_dir.string(),
      server->log_->head().position.value,
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - opening).count());
  if (config.log == LogKind::etcd) {
    PLACEMENT_TRY(server->open_etcd_log(config));
  }

  const auto verifying = std::chrono::steady_clock::now();
  PLACEMENT_TRY(verified, storage::verify_since_mark(*server->log_));
  server->integrity_ = std::make_unique<LogIntegrity>(config.on_corruption, verified);
  const std::optional<storage::IntegrityBreak> broken = verified.broken;
  if (broken) {
    spdlog::critical("the log is broken {} (the start verified the chain from position {})", broken->describe(),
                     verified.from.value);
    if (config.on_corruption == OnCorruption::refuse)
      return fail(Errc::data_loss, "the log is broken " + broken->describe() +
                                       "; refusing to serve (--on-corruption refuse). Restore the data folder from a "
                                       "backup (docs/OPERATIONS.md, \"The log is reported broken\"), or start with "
                                       "--on-corruption read-only to serve reads of the events before it");
    spdlog::critical(
        "serving reads only (--on-corruption read-only): the views reflect positions 1..{}; every "
        "write is refused",
        broken->position.value == 0 ? 0 : broken->position.value - 1);
  } else {
    spdlog::info(
        "verified the log's hash chain from position {} to {} ({} events) in {} ms", verified.from.value,
        server->log_->head().position.value, verified.checked,
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - verifying).count());
  }
  // Under read-only, what is served: the events before the break (a table file's break names its
  // first event; one outside the events family names none and leaves the whole log).
  const Position served_up_to =
      broken && broken->position.value > 0 ? Position{broken->position.value - 1} : server->log_->head().position;

  PLACEMENT_TRY(key, privacy::Pseudonymizer::from_key_file(pseudonym_key_path(config), /*create_if_missing=*/true));
  server->pseudonymizer_ = std::make_unique<privacy::Pseudonymizer>(std::move(key));
  const auto key_store = citizen_key_store_path(config);
  if (is_inside(key_store, config.data_dir))
    return fail(Errc::invalid_argument,
                "the citizen key store " + key_store.string() +
                    " must not be inside the data folder (erasure destroys keys, never events)");
  PLACEMENT_TRY(make_private(key_store, "citizen key store"));
  PLACEMENT_TRY(keys, privacy::CitizenKeys::open(key_store, storage_env));
  server->citizen_keys_ = std::move(keys);

  PLACEMENT_TRY(prepare_token_secret_file(token_secret_path(config)));
  PLACEMENT_TRY(secrets, auth::TokenSecrets::from_file(token_secret_path(config), /*create_if_missing=*/false));
  spdlog::info("bearer tokens verified with {} secret(s) from {}", secrets.all().size(),
               token_secret_path(config).string());
  PLACEMENT_TRY(verifier, [&]() -> Result<auth::TokenVerifier> {
    if (!config.jwks_file) return auth::TokenVerifier(std::move(secrets));
    return auth::TokenVerifier::with_provider(std::move(secrets), {.jwks_file = *config.jwks_file,
                                                                   .issuer = config.jwt_issuer,
                                                                   .audience = config.jwt_audience,
                                                                   .role_claim = config.jwt_role_claim,
                                                                   .municipality_claim = config.jwt_municipality_claim,
                                                                   .operator_claim = config.jwt_operator_claim});
  }());
  if (const auto provider_keys = verifier.provider_keys()) {
    server->identity_provider_ = true;
    spdlog::info("identity provider {}: {} key(s) from {}", config.jwt_issuer, provider_keys->keys().size(),
                 config.jwks_file->string());
    for (const auto& skipped : provider_keys->skipped())
      spdlog::warn("{}: skipped {}", config.jwks_file->string(), skipped);
  }
  PLACEMENT_TRY(revoked, auth::RevokedTokens::open(revoked_tokens_path(config), server->clock_.now()));
  server->revoked_tokens_ = std::move(revoked);
  spdlog::info("{} revoked token(s) in {}", server->revoked_tokens_->size(), revoked_tokens_path(config).string());
  verifier.use_revocations(server->revoked_tokens_);
  server->authenticator_ = std::make_unique<api::Authenticator>(std::move(verifier), server->clock_);
  PLACEMENT_TRY(credentials, api::server_credentials({config.tls_cert, config.tls_key, config.tls_client_ca},
                                                     config.listen, is_loopback_address(config.listen)));

  server->feed_ = std::make_unique<ledger::CommitFeed>(server->log_->head().position);
  const auto replay_started = std::chrono::steady_clock::now();
  ledger::Ledger::Start start;
  if (config.ignore_snapshots) {
    spdlog::info("ignoring snapshots (--ignore-snapshots): replaying the whole log");
  } else if (auto snapshot = ledger::load_snapshot_for_ledger(*server->log_, served_up_to)) {
    spdlog::info("starting from the snapshot at position {}", snapshot->published.position.value);
    start = std::move(*snapshot);
  }
  if (broken) start.up_to = served_up_to;
  const Position snapshot_position = start.published.position;
  PLACEMENT_TRY(ledger, ledger::Ledger::open(
                            server->archived_ ? static_cast<storage::EventLog&>(*server->archived_) : *server->log_,
                            server->clock_, [feed = server->feed_.get()](Position head) { feed->publish(head); },
                            server->ledger_metrics_.get(), std::move(start),
                            // A batch may seal citizens under keys issued since the last batch: those keys become
                            // durable first, with one sync for the whole batch that overlaps deciding it.
                            server->citizen_keys_.get()));
  server->ledger_ = std::move(ledger);
  if (broken) server->ledger_->refuse_writes(Error{Errc::data_loss, server->integrity_->describe()});
  spdlog::info(
      "replayed {} events after position {} in {} ms", server->ledger_->position().value - snapshot_position.value,
      snapshot_position.value,
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - replay_started).count());
  if (!broken) {
    PLACEMENT_TRY(server->load_reference_data(config));
    PLACEMENT_TRY(server->load_region_mergers());
  }
  // No snapshot of a broken log: it would stand for a log that is not there.
  server->snapshots_ = std::make_unique<ledger::SnapshotTaker>(
      *server->ledger_, *server->log_, broken ? 0 : config.snapshot_every_events, snapshot_position);

  server->erasure_ =
      std::make_unique<privacy::CitizenErasure>(*server->ledger_, *server->citizen_keys_, *server->pseudonymizer_);
  // An erasure recorded in a broken log may be forged: no key is destroyed on its word.
  if (broken) {
    spdlog::warn("not finishing recorded erasures: the log is broken");
  } else {
    PLACEMENT_TRY(server->erasure_->finish_recorded(*server->log_));
    PLACEMENT_TRY(server->sweep_unnamed_citizens());
  }

  std::optional<files::BackupRoot> backup_root;
  if (config.backup_root) {
    PLACEMENT_TRY(root, files::BackupRoot::open(*config.backup_root, {config.data_dir, key_store}));
    spdlog::info("backups only below {}", root.path().string());
    backup_root = std::move(root);
  }
  const api::Authenticator& authenticator = *server->authenticator_;
  server->audit_ =
      std::make_unique<api::AuditServiceImpl>(*server->log_, *server->feed_, authenticator, config.audit_streams);
  server->admin_service_ =
      std::make_unique<api::AdminServiceImpl>(*server->log_, *server->ledger_, authenticator, *server->erasure_,
                                              *server->revoked_tokens_, server->clock_, std::move(backup_root));
  server->offers_ = std::make_unique<api::OfferServiceImpl>(*server->ledger_, authenticator);
  server->placements_ = std::make_unique<api::PlacementServiceImpl>(
      *server->ledger_, authenticator, *server->pseudonymizer_, *server->citizen_keys_, config.hold_period);
  server->planning_ = std::make_unique<api::PlanningServiceImpl>(
      *server->ledger_, *server->log_, authenticator, config.ignore_snapshots ? nullptr : server->log_.get());

  server->organisation_ =
      std::make_unique<api::OrganisationServiceImpl>(*server->ledger_, server->planning_->views(), authenticator);

  PLACEMENT_TRY(server->start_checkpoints(config));

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int bound_port = 0;
  builder.AddListeningPort(config.listen, credentials, &bound_port);
  builder.SetMaxReceiveMessageSize(api::kMaxRequestBytes);  // limits.h: refused before any handler runs
  builder.RegisterService(server->audit_.get());
  builder.RegisterService(server->admin_service_.get());
  builder.RegisterService(server->offers_.get());
  builder.RegisterService(server->placements_.get());
  builder.RegisterService(server->planning_.get());
  builder.RegisterService(server->proofs_.get());
  builder.RegisterService(server->organisation_.get());
  server->grpc_ = builder.BuildAndStart();
  if (!server->grpc_ || bound_port == 0)
    return fail(Errc::unavailable, "cannot listen on " + config.listen + " (address in use or not local?)");
  server->address_ = config.listen.substr(0, config.listen.rfind(':')) + ":" + std::to_string(bound_port);
  if (!broken)
    server->expiry_ =
        std::make_unique<ledger::ReservationExpiry>(*server->ledger_, server->clock_, config.expiry_interval);

  Server* self = server.get();
  self->metrics_->add_sampler([self](std::string& out) { self->integrity_->render_metrics(out); });
  self->metrics_->add_sampler([self](std::string& out) {
    const auto head = self->log_->head().position.value;
    const auto projected = self->ledger_->position().value;
    render_gauge(out, "placement_log_head_position", "Position of the last durable event.", static_cast<double>(head));
    render_gauge(out, "placement_projection_position", "Log position the served state reflects.",
                 static_cast<double>(projected));
    render_gauge(out, "placement_projection_lag_events", "Durable events not yet in the served state.",
                 static_cast<double>(head - std::min(head, projected)));
    render_gauge(out, "placement_planning_view_full_builds",
                 "Planning views built by copying the whole model (two at start; more means readers held "
                 "old views while commits arrived).",
                 static_cast<double>(self->planning_->views().full_builds()));
    for (const auto& [property, metric] : std::initializer_list<std::pair<const char*, const char*>>{
             {"rocksdb.total-sst-files-size", "placement_rocksdb_sst_bytes"},
             {"rocksdb.cur-size-all-mem-tables", "placement_rocksdb_memtable_bytes"},
             {"rocksdb.estimate-num-keys", "placement_rocksdb_estimated_keys"},
             {"rocksdb.num-running-compactions", "placement_rocksdb_running_compactions"},
             {"rocksdb.estimate-pending-compaction-bytes", "placement_rocksdb_pending_compaction_bytes"},
             {"rocksdb.background-errors", "placement_rocksdb_background_errors"}}) {
      if (auto value = self->log_->aggregated_property(property))
        render_gauge(out, metric, std::string("RocksDB ") + property + ".", static_cast<double>(*value));
    }
  });
  if (!config.admin_listen.empty()) {
    PLACEMENT_TRY(admin,
                  AdminHttp::start(config.admin_listen,
                                   {.ready = [self] { return self->ready_.load() && !self->integrity_->broken(); },
                                    .metrics = [self] { return self->metrics_->render(); },
                                    .not_ready_detail = [self] { return self->integrity_->describe(); }}));
    server->admin_ = std::move(admin);
  }
  if (!config.web_listen.empty()) {
    server->dashboard_ = std::make_unique<web::DashboardApi>(server->planning_->views(), *server->log_, authenticator);
    PLACEMENT_TRY(web, web::WebServer::start({.listen = config.web_listen,
                                              .loopback = is_loopback_address(config.web_listen),
                                              .tls_cert = config.tls_cert,
                                              .tls_key = config.tls_key},
                                             *server->dashboard_, *server->feed_));
    server->web_ = std::move(web);
  }
  // Ready only once the planning views are built: the first view after a start costs what the next does.
  server->planning_->views().warm();
  server->ready_ = true;
  server->set_health();
  if (!broken && config.scrub_events_per_second > 0)
    server->integrity_->start_scrub(
        *server->log_,
        {.events_per_second = config.scrub_events_per_second,
         .bytes_per_second = config.scrub_bytes_per_second,
         .pause = config.scrub_pause},
        [self](const storage::IntegrityBreak& found) { self->log_broken_while_serving(found); });
  return server;
}

void Server::set_health() {
  auto* health = grpc_->GetHealthCheckService();
  const bool serving = ready_.load();
  if (!integrity_->broken()) {
    health->SetServingStatus(serving);
    return;
  }
  // The overall status ("") says the server is not whole; under read-only each service still
  // serves (its reads; its writes are refused with DATA_LOSS).
  health->SetServingStatus(false);
  const bool reads = serving && integrity_->mode() == OnCorruption::read_only;
  for (const char* name : {"placement.v1.AuditService", "placement.v1.PlanningService", "placement.v1.ProofService",
                           "placement.v1.PlacementService", "placement.v1.OfferService", "placement.v1.AdminService",
                           "placement.v1.OrganisationService"})
    health->SetServingStatus(name, reads);
}

void Server::log_broken_while_serving(const storage::IntegrityBreak& found) {
  integrity_->set_broken(found);
  const std::string what = integrity_->describe();
  spdlog::critical("{}", what);
  // The next start recomputes the whole chain, so it finds the break again rather than trust a mark.
  if (auto forgot = storage::forget_verified_mark(*log_); !forgot)
    spdlog::error("cannot reset the verified mark: {}", forgot.error().message);
  ledger_->refuse_writes(Error{Errc::data_loss, what});
  if (checkpointer_) checkpointer_->refuse_signing(Error{Errc::data_loss, what});
  set_health();
  if (integrity_->mode() == OnCorruption::refuse && must_stop_) must_stop_(StopReason::log_broken, what);
}

Status Server::start_checkpoints(const Config& config) {
  PLACEMENT_TRY(key, transparency::Ed25519Key::load_or_create(checkpoint_key_path(config).string()));
  transparency::CheckpointerOptions options{config.checkpoint_origin, config.checkpoint_interval, {}};
  for (const auto& text : config.witness_keys) {
    PLACEMENT_TRY(witness, transparency::parse_verifier_key(text));
    if (witness.type != transparency::kCosignatureV1Type)
      return fail(Errc::invalid_argument, "--witness-key " + witness.name + " is not a cosignature/v1 key (type 4)");
    options.witnesses.push_back(std::move(witness));
  }
  checkpointer_ = std::make_unique<transparency::Checkpointer>(
      *log_, log_->merkle(), *log_, transparency::NoteSigner{config.checkpoint_origin, std::move(key)},
      std::move(options));
  spdlog::info("checkpoints signed as {} every {} s", transparency::format_verifier_key(checkpointer_->log_key()),
               config.checkpoint_interval.count());
  // Nothing signed on a broken log's word.
  if (integrity_->broken()) checkpointer_->refuse_signing(Error{Errc::data_loss, integrity_->describe()});
  else checkpointer_->start();
  proofs_ = std::make_unique<api::ProofServiceImpl>(*log_, log_->merkle(), *log_, *checkpointer_, planning_->views(),
                                                    *authenticator_);
  return ok();
}

Status Server::load_reference_data(const Config& config) {
  if (!ledger_->read([](const domain::State& state) { return state.regions.empty(); })) return ok();  // loaded once

  std::string csv;
  if (config.reference_data) {
    std::ifstream in(*config.reference_data, std::ios::binary);
    if (!in) return fail(Errc::invalid_argument, "cannot read reference data " + config.reference_data->string());
    std::ostringstream text;
    text << in.rdbuf();
    csv = text.str();
  } else {
    csv = std::string(ledger::builtin_municipalities_csv());
  }
  PLACEMENT_TRY(data, ledger::parse_reference_data(csv));
  const std::size_t municipalities = data.municipalities.size();
  v1::Actor system;
  system.set_subject("placementd");
  system.set_role(v1::ROLE_SYSTEM);
  PLACEMENT_TRY(written, ledger_->execute_and_wait(system, ledger::reference_data_command_id(csv), std::move(data)));
  spdlog::info("loaded reference data: {} municipalities (positions {}..{})", municipalities, written.first.value,
               written.last.value);
  return ok();
}

Status Server::sweep_unnamed_citizens() {
  const auto named = ledger_->read([](const domain::State& state) {
    std::unordered_set<std::string> ids;
    for (const auto& [id, placement] : state.placements) {
      ids.insert(placement.citizen.citizen_id);
      if (!placement.citizen.household_id.empty()) ids.insert(placement.citizen.household_id);
    }
    return ids;
  });
  PLACEMENT_TRY(swept, citizen_keys_->sweep([&](std::string_view id) { return named.contains(std::string(id)); }));
  if (swept > 0) spdlog::info("deleted {} key-store entries that no placement names", swept);
  return ok();
}

Status Server::load_region_mergers() {
  PLACEMENT_TRY(mergers, ledger::parse_region_mergers(ledger::builtin_region_mergers_csv()));
  for (domain::MergeRegions& merger : mergers) {
    const std::int32_t code = merger.code;
    // Once the new region is registered the merger is in the log (MergeRegions refuses it again);
    // reference data of other regions (--reference-data) does not take it.
    const bool applies = ledger_->read([&merger](const domain::State& state) {
      if (state.regions.contains(merger.code)) return false;
      for (std::int32_t merged : merger.merged)
        if (!state.regions.contains(merged)) return false;
      return true;
    });
    if (!applies) continue;
    v1::Actor system;
    system.set_subject("placementd");
    system.set_role(v1::ROLE_SYSTEM);
    const std::string id = ledger::region_merger_command_id(merger);
    const std::string what = merger.name + " (" + std::to_string(code) + ") from " + domain::to_string(merger.from);
    auto written = ledger_->execute_and_wait(system, id, std::move(merger));
    if (!written) {
      // The data contradicts the merger (an offer passing back to a merged region later, say): the
      // server serves what the log says, and the merger waits for an administrator.
      spdlog::error("the region merger into {} was refused: {}", what, written.error().message);
      continue;
    }
    spdlog::info("loaded the region merger into {} (positions {}..{})", what, written.value().first.value,
                 written.value().last.value);
  }
  return ok();
}

void Server::reload_identity_keys() {
  if (!identity_provider_) {
    spdlog::info("SIGHUP: no identity provider is configured (--jwks-file); nothing to reload");
    return;
  }
  auto keys = authenticator_->reload_provider_keys();
  if (!keys) {
    spdlog::error("SIGHUP: the identity provider's keys stay as they were: {}", keys.error().message);
    return;
  }
  spdlog::info("SIGHUP: identity provider keys reloaded: {} key(s)", keys.value());
}

void Server::drain(std::chrono::milliseconds how_long) {
  ready_ = false;
  if (grpc_) set_health();
  std::this_thread::sleep_for(how_long);
}

void Server::shutdown(std::chrono::seconds grace) {
  if (stopped_) return;
  stopped_ = true;
  ready_ = false;
  if (integrity_) integrity_->stop_scrub();  // joins the scrub's thread, which may call back into the server
  web_.reset();                              // before the feed and the views it reads
  expiry_.reset();
  if (grpc_) {
    grpc_->GetHealthCheckService()->SetServingStatus(false);
    // Followers of the live tail end cleanly instead of holding shutdown until the deadline.
    feed_->close();
    grpc_->Shutdown(std::chrono::system_clock::now() + grace);
    grpc_->Wait();
  }
  if (checkpointer_) checkpointer_->stop();
  if (ledger_) ledger_->stop();  // every command submitted before this point is written and answered
  // So the next start replays (almost) nothing; not on a failed disk, where nothing more is written,
  // nor of a broken log.
  if (snapshots_ && !log_->disk_failure() && !integrity_->broken()) snapshots_->stop_and_take_last();
  snapshots_.reset();
  admin_.reset();
  proofs_.reset();
  checkpointer_.reset();
  organisation_.reset();
  planning_.reset();
  placements_.reset();
  offers_.reset();
  audit_.reset();
  admin_service_.reset();  // waits for a running backup
  erasure_.reset();        // waits for an erasure in progress
  ledger_.reset();
  citizen_keys_.reset();
  feed_.reset();
  log_.reset();  // closes RocksDB
}

}  // namespace placement::placementd

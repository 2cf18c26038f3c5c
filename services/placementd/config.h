#pragma once
// placementd's settings, from the command line. Every setting has a default that runs the
// embedded server on loopback, so `placementd` alone starts a working ledger in ./data.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "services/api/limits.h"
#include "services/base/result.h"

namespace placement::placementd {

enum class LogFormat { text, json };

// What the server does when its log's hash chain or a table file does not verify (at start, or
// found by the scrub): refuse (do not serve at all; exit with kExitLogBroken) or serve reads only.
enum class OnCorruption { refuse, read_only };

// Which log orders the events: the embedded RocksDB log in the data folder (the default), or an
// etcd cluster, with the data folder as the node's archive of it (storage/etcd_archived_log.h).
enum class LogKind { rocksdb, etcd };

// The etcd log's connection and limits (--etcd-*); used with --log etcd only.
struct EtcdSettings {
  std::vector<std::string> endpoints;  // host:port, at least one
  std::string prefix = "placement/";
  std::optional<std::filesystem::path> ca_file;    // TLS to etcd when set
  std::optional<std::filesystem::path> cert_file;  // client certificate (with key_file)
  std::optional<std::filesystem::path> key_file;
  std::string user;                                    // etcd authentication; empty: none
  std::optional<std::filesystem::path> password_file;  // the user's password, first line
  std::size_t max_txn_ops = 128;                       // etcd's --max-txn-ops
  std::size_t max_request_bytes = 1572864;             // etcd's --max-request-bytes
  std::chrono::milliseconds call_timeout{5000};
};

struct Config {
  std::filesystem::path data_dir = "data";
  LogKind log = LogKind::rocksdb;
  EtcdSettings etcd;
  std::string listen = "127.0.0.1:50051";
  // Admin HTTP (/healthz, /readyz, /metrics); empty disables it.
  std::string admin_listen = "127.0.0.1:9464";
  // The planners' dashboard (services/web); empty disables it. Plaintext only on loopback,
  // elsewhere TLS with tls_cert and tls_key (the same certificate as gRPC).
  std::string web_listen;
  // When set, the bound gRPC address (host:port) is written here once the server is ready to
  // serve, and the admin HTTP address on the second line, the dashboard's on the third.
  // With --listen 127.0.0.1:0 this is how a caller learns the port the system chose.
  std::optional<std::filesystem::path> ready_file;
  // Reference data CSV; the copy built into the binary when empty.
  std::optional<std::filesystem::path> reference_data;
  LogFormat log_format = LogFormat::text;
  std::string log_level = "info";
  // Seconds that in-flight calls get to finish at shutdown before they are cancelled.
  int shutdown_grace_seconds = 10;
  // Key of the CPR pseudonyms (HMAC-SHA-256). Default: <data>/../<data name>.pseudonym-key,
  // created on first start; keep it out of the data folder and out of its backups.
  std::optional<std::filesystem::path> pseudonym_key_file;
  // The citizen key store (citizen_keys.h): a RocksDB folder of its own. Default:
  // <data>.citizen-keys beside the data folder, created on first start. Never inside the data
  // folder: erasing a citizen destroys their key here while the log stays as it is.
  std::optional<std::filesystem::path> citizen_key_store;
  // The only folder (and its subfolders) AdminService.CreateBackup writes to; none: backups are
  // refused. Apart from the data folder and the key store (files/backup_root.h).
  std::optional<std::filesystem::path> backup_root;
  // How long an allocated or reserved place is held for admission before it lapses.
  std::chrono::seconds hold_period = std::chrono::hours(24 * 14);
  // Writes are refused while the data folder's disk has less free space than this.
  std::uint64_t min_free_bytes = 64ull << 20;
  // How often lapsed reservations are looked for.
  std::chrono::milliseconds expiry_interval = std::chrono::seconds(60);
  // A snapshot of the read model each time the log grows by this many events, and at shutdown
  // (snapshots.h); 0: none. A crash costs at most this many events of extra replay at restart.
  std::uint64_t snapshot_every_events = 100'000;
  // Start from the first event even when a snapshot exists (to rule a snapshot out).
  bool ignore_snapshots = false;
  // AuditService streams: how many at once (server-wide, per caller) and for how long.
  api::StreamLimits audit_streams;
  // Secrets of the bearer tokens (services/auth/token_secrets.h). Default: <data>.token-secret
  // beside the data folder, created on first start; keep it out of the data folder and its backups.
  std::optional<std::filesystem::path> token_secret_file;
  // A municipality's identity provider (docs/SECURITY.md, "Tokens from an identity provider"):
  // its public keys (a JWKS file, re-read on SIGHUP), the issuer and audience its tokens carry,
  // and the claims that hold the role, municipality and operator. None: local tokens only.
  std::optional<std::filesystem::path> jwks_file;
  std::string jwt_issuer;
  std::string jwt_audience;
  std::string jwt_role_claim = "role";
  std::string jwt_municipality_claim = "municipality";
  std::string jwt_operator_claim = "operator";
  // Tokens revoked by their jti (services/auth/revoked_tokens.h). Default: <data>.revoked-tokens
  // beside the data folder, created on first start.
  std::optional<std::filesystem::path> revoked_tokens_file;
  // TLS on the gRPC port: the server's certificate chain and key (PEM). Both or neither.
  std::optional<std::filesystem::path> tls_cert;
  std::optional<std::filesystem::path> tls_key;
  // With a CA (PEM), clients must present a certificate it signed (mutual TLS).
  std::optional<std::filesystem::path> tls_client_ca;
  // Signed checkpoints (services/transparency): the Ed25519 key file (default <data>.checkpoint-key
  // beside the data folder, created 0600 on first start), the origin line, how often one is made
  // when the log grew (0: only on request), and the witnesses whose cosignatures are accepted
  // (C2SP verifier keys of type 4).
  std::optional<std::filesystem::path> checkpoint_key_file;
  std::string checkpoint_origin = "placement-ledger.local/log";
  std::chrono::seconds checkpoint_interval{300};
  std::vector<std::string> witness_keys;
  // A broken log (integrity_check.h, chain_scrub.h): refuse to serve, or serve reads only.
  OnCorruption on_corruption = OnCorruption::refuse;
  // The background scrub: the whole chain at most this many events a second, then every table
  // file's checksums at most this many bytes a second, a pass every scrub_pause after the last
  // ended. scrub_events_per_second 0 disables the scrub.
  std::uint64_t scrub_events_per_second = 20'000;
  std::uint64_t scrub_bytes_per_second = 16ull << 20;
  std::chrono::seconds scrub_pause{3600};
  // Allows plaintext gRPC on an address other than loopback. Tokens are still required.
  bool insecure = false;
};

// Parses argv. Returns nullopt-with-exit-code semantics through ParsedArgs: `--help` prints
// usage and asks the caller to exit 0; a bad flag is an invalid_argument Error.
struct ParsedArgs {
  Config config;
  bool help_requested = false;
  std::string help_text;
};

Result<ParsedArgs> parse_args(int argc, const char* const* argv);

// The pseudonym key file in effect: the configured one, or the default beside the data folder.
std::filesystem::path pseudonym_key_path(const Config& config);
// The citizen key store folder in effect: the configured one, or the default beside the data folder.
std::filesystem::path citizen_key_store_path(const Config& config);
// The token secret file in effect: the configured one, or the default beside the data folder.
std::filesystem::path token_secret_path(const Config& config);
// The revoked tokens file in effect: the configured one, or the default beside the data folder.
std::filesystem::path revoked_tokens_path(const Config& config);

// The checkpoint signing key file in effect: the configured one, or the default beside the data folder.
std::filesystem::path checkpoint_key_path(const Config& config);

// True when host:port can be reached only from this machine: 127.0.0.0/8 and ::1 (and
// ::ffff:127.x.y.z) in the strict forms inet_pton reads, localhost, or a unix: socket. Anything
// else needs TLS or --insecure.
bool is_loopback_address(const std::string& listen);

}  // namespace placement::placementd

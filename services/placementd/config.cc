#include "services/placementd/config.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include <boost/program_options.hpp>

namespace placement::placementd {

namespace po = boost::program_options;

Result<ParsedArgs> parse_args(int argc, const char* const* argv) {
  ParsedArgs parsed;
  Config& config = parsed.config;
  std::string data_dir = config.data_dir.string();
  std::string ready_file;
  std::string reference_data;
  std::string log_format = "text";
  std::string pseudonym_key_file;
  std::string citizen_key_store;
  std::string backup_root;
  std::string token_secret_file, tls_cert, tls_key, tls_client_ca, jwks_file, revoked_tokens_file;
  std::int64_t hold_seconds = config.hold_period.count();
  std::int64_t expiry_interval_ms = config.expiry_interval.count();
  // Signed, so that "-1" is refused instead of wrapping to "never".
  std::int64_t snapshot_every_events = static_cast<std::int64_t>(config.snapshot_every_events);
  std::int64_t audit_stream_max_seconds = config.audit_streams.max_duration.count();
  std::uint64_t min_free_mb = config.min_free_bytes >> 20;
  std::string checkpoint_key_file;
  std::int64_t checkpoint_interval = config.checkpoint_interval.count();
  std::string on_corruption = "refuse";
  std::int64_t scrub_events_per_second = static_cast<std::int64_t>(config.scrub_events_per_second);
  std::int64_t scrub_bytes_per_second = static_cast<std::int64_t>(config.scrub_bytes_per_second);
  std::int64_t scrub_pause_seconds = config.scrub_pause.count();
  std::string log_kind = "rocksdb";
  std::string etcd_endpoints, etcd_ca, etcd_cert, etcd_key, etcd_password_file;
  std::int64_t etcd_max_txn_ops = static_cast<std::int64_t>(config.etcd.max_txn_ops);
  std::int64_t etcd_max_request_bytes = static_cast<std::int64_t>(config.etcd.max_request_bytes);
  std::int64_t etcd_timeout_ms = config.etcd.call_timeout.count();

  po::options_description options("placementd: the placement ledger server\n\nOptions");
  // One option per line, as the table it is.
  // clang-format off
  options.add_options()
      ("help,h", "show this help and exit")
      ("config", po::value<std::string>(), "read settings from this file (key = value, same names as the flags); flags win")
      ("data", po::value(&data_dir)->default_value(data_dir), "data folder (RocksDB); created when missing")
      ("listen", po::value(&config.listen)->default_value(config.listen), "gRPC address, host:port (port 0 picks one)")
      ("admin-listen", po::value(&config.admin_listen)->default_value(config.admin_listen),
       "admin HTTP address for /healthz /readyz /metrics (port 0 picks one; empty disables)")
      ("web-listen", po::value(&config.web_listen)->default_value(config.web_listen),
       "planners' dashboard address, host:port (loopback, or TLS with --tls-cert/--tls-key; empty disables)")
      ("ready-file", po::value(&ready_file), "write the bound host:port to this file once serving")
      ("reference-data", po::value(&reference_data), "municipalities CSV to load at first start (default: built in)")
      ("log-format", po::value(&log_format)->default_value(log_format), "text or json")
      ("log-level", po::value(&config.log_level)->default_value(config.log_level), "trace, debug, info, warn, error")
      ("shutdown-grace", po::value(&config.shutdown_grace_seconds)->default_value(config.shutdown_grace_seconds),
       "seconds in-flight calls get to finish at shutdown")
      ("pseudonym-key-file", po::value(&pseudonym_key_file),
       "key of the CPR pseudonyms; default <data>.pseudonym-key beside the data folder, created when missing")
      ("citizen-key-store", po::value(&citizen_key_store),
       "folder of the per-citizen keys (erasure destroys them); default <data>.citizen-keys beside the data "
       "folder, created when missing; back it up separately from the log")
      ("backup-root", po::value(&backup_root),
       "absolute folder below which AdminService.CreateBackup may write (created 0700); never the data folder "
       "or the key store, nor inside or around them; without it backups are refused")
      ("hold-seconds", po::value(&hold_seconds)->default_value(hold_seconds),
       "how long a reserved place is held for admission (default 14 days)")
      ("min-free-mb", po::value(&min_free_mb)->default_value(min_free_mb),
       "refuse writes (UNAVAILABLE) while the data folder's disk has less free space; 0 disables")
      ("expiry-interval-ms", po::value(&expiry_interval_ms)->default_value(expiry_interval_ms),
       "how often lapsed reservations are looked for")
      ("snapshot-every-events", po::value(&snapshot_every_events)->default_value(snapshot_every_events),
       "snapshot the read model each time the log grows by this many events, and at shutdown, so a restart "
       "replays only the events after it; 0 disables snapshots")
      ("ignore-snapshots", po::bool_switch(&config.ignore_snapshots),
       "start by replaying the whole log, whatever snapshots there are (they are still taken)")
      ("audit-max-streams", po::value(&config.audit_streams.max_streams)->default_value(config.audit_streams.max_streams),
       "AuditService streams open at once, server-wide; more are refused (RESOURCE_EXHAUSTED)")
      ("audit-max-streams-per-role",
       po::value(&config.audit_streams.max_streams_per_role)->default_value(config.audit_streams.max_streams_per_role),
       "AuditService streams the callers of one role may have open at once, together")
      ("audit-max-streams-per-caller",
       po::value(&config.audit_streams.max_streams_per_caller)->default_value(config.audit_streams.max_streams_per_caller),
       "AuditService streams one caller may have open at once")
      ("audit-stream-max-seconds", po::value(&audit_stream_max_seconds)->default_value(audit_stream_max_seconds),
       "an AuditService stream ends (DEADLINE_EXCEEDED) after this long; the client continues from where it was")
      ("checkpoint-key-file", po::value(&checkpoint_key_file),
       "Ed25519 key that signs checkpoints; default <data>.checkpoint-key beside the data folder, created 0600")
      ("checkpoint-origin", po::value(&config.checkpoint_origin)->default_value(config.checkpoint_origin),
       "the checkpoints' origin line (and the log key's name): name this log uniquely")
      ("checkpoint-interval", po::value(&checkpoint_interval)->default_value(checkpoint_interval),
       "seconds between signed checkpoints while the log grows; 0: only on request")
      ("witness-key", po::value(&config.witness_keys)->composing(),
       "a witness whose cosignatures are accepted: C2SP verifier key <name>+<id>+<base64>, type 4 (repeatable)")
      ("token-secret-file", po::value(&token_secret_file),
       "secrets of the bearer tokens, one hex secret per line (the first signs, all verify); "
       "default <data>.token-secret beside the data folder, created when missing")
      ("revoked-tokens-file", po::value(&revoked_tokens_file),
       "tokens revoked by their jti (AdminService.RevokeToken), one line each; default <data>.revoked-tokens "
       "beside the data folder, created 0600 when missing")
      ("jwks-file", po::value(&jwks_file),
       "also accept RS256/ES256 tokens of an identity provider, verified with the public keys of this JWKS file "
       "(re-read on SIGHUP); needs --jwt-issuer and --jwt-audience")
      ("jwt-issuer", po::value(&config.jwt_issuer), "with --jwks-file: the iss the provider's tokens carry")
      ("jwt-audience", po::value(&config.jwt_audience),
       "with --jwks-file: the aud the provider's tokens for placementd carry")
      ("jwt-role-claim", po::value(&config.jwt_role_claim)->default_value(config.jwt_role_claim),
       "with --jwks-file: the claim holding the role")
      ("jwt-municipality-claim",
       po::value(&config.jwt_municipality_claim)->default_value(config.jwt_municipality_claim),
       "with --jwks-file: the claim holding the municipality code")
      ("jwt-operator-claim", po::value(&config.jwt_operator_claim)->default_value(config.jwt_operator_claim),
       "with --jwks-file: the claim holding the operator code")
      ("tls-cert", po::value(&tls_cert), "TLS certificate chain of the gRPC port (PEM); needs --tls-key")
      ("tls-key", po::value(&tls_key), "private key of --tls-cert (PEM)")
      ("tls-client-ca", po::value(&tls_client_ca),
       "require client certificates signed by this CA (PEM): mutual TLS; needs --tls-cert")
      ("on-corruption", po::value(&on_corruption)->default_value(on_corruption),
       "when the log's hash chain or a table file does not verify (at start or by the scrub): refuse (do not "
       "serve; exit code 65) or read-only (serve reads, refuse writes)")
      ("scrub-events-per-second", po::value(&scrub_events_per_second)->default_value(scrub_events_per_second),
       "the background scrub recomputes the whole hash chain at most this fast; 0 disables the scrub")
      ("scrub-bytes-per-second", po::value(&scrub_bytes_per_second)->default_value(scrub_bytes_per_second),
       "then reads every table file to check its block checksums at most this fast; 0: unbounded")
      ("scrub-pause-seconds", po::value(&scrub_pause_seconds)->default_value(scrub_pause_seconds),
       "seconds between the end of one scrub pass and the start of the next")
      ("log", po::value(&log_kind)->default_value(log_kind),
       "which log orders the events: rocksdb (embedded, in --data) or etcd (an etcd 3.4 cluster; --data is then this node's archive of it)")
      ("etcd-endpoints", po::value(&etcd_endpoints), "with --log etcd: the members' client addresses, host:port,host:port,...")
      ("etcd-prefix", po::value(&config.etcd.prefix)->default_value(config.etcd.prefix), "with --log etcd: the prefix of every key of the log")
      ("etcd-ca", po::value(&etcd_ca), "with --log etcd: TLS to etcd, the members' certificates checked against this CA (PEM)")
      ("etcd-cert", po::value(&etcd_cert), "with --etcd-ca: this node's client certificate for etcd (PEM, with --etcd-key)")
      ("etcd-key", po::value(&etcd_key), "with --etcd-cert: its private key (PEM)")
      ("etcd-user", po::value(&config.etcd.user), "with --log etcd: the etcd user (etcd's auth enabled), with --etcd-password-file")
      ("etcd-password-file", po::value(&etcd_password_file), "the etcd user's password, the file's first line (keep it 0600)")
      ("etcd-max-txn-ops", po::value(&etcd_max_txn_ops)->default_value(etcd_max_txn_ops),
       "etcd's --max-txn-ops: the most operations in one transaction (a larger command is refused)")
      ("etcd-max-request-bytes", po::value(&etcd_max_request_bytes)->default_value(etcd_max_request_bytes),
       "etcd's --max-request-bytes: the largest request a member takes (a larger command is refused)")
      ("etcd-timeout-ms", po::value(&etcd_timeout_ms)->default_value(etcd_timeout_ms), "deadline of one call to one etcd member")
      ("insecure", po::bool_switch(&config.insecure),
       "allow plaintext gRPC on an address other than loopback (bearer tokens are still required)");
  // clang-format on

  po::variables_map vars;
  try {
    po::store(po::command_line_parser(argc, argv).options(options).run(), vars);
    if (vars.count("config")) {
      const std::string path = vars["config"].as<std::string>();
      std::ifstream file(path);
      if (!file) return fail(Errc::invalid_argument, "cannot read config file " + path);
      // Values already given on the command line win over the file's.
      po::store(po::parse_config_file(file, options), vars);
    }
    po::notify(vars);
  } catch (const po::error& e) {
    return fail(Errc::invalid_argument, std::string(e.what()) + " (see placementd --help)");
  }
  if (vars.count("help")) {
    std::ostringstream text;
    text << options << "\nExample:\n  placementd --data ./data --listen 127.0.0.1:50051\n";
    parsed.help_requested = true;
    parsed.help_text = text.str();
    return parsed;
  }
  if (data_dir.empty()) return fail(Errc::invalid_argument, "--data must name a folder");
  config.data_dir = data_dir;
  if (!ready_file.empty()) config.ready_file = ready_file;
  if (!reference_data.empty()) config.reference_data = reference_data;
  if (log_format == "text") config.log_format = LogFormat::text;
  else if (log_format == "json") config.log_format = LogFormat::json;
  else return fail(Errc::invalid_argument, "--log-format must be text or json, not '" + log_format + "'");
  if (config.listen.rfind(':') == std::string::npos)
    return fail(Errc::invalid_argument, "--listen must be host:port, e.g. 127.0.0.1:50051");
  if (!pseudonym_key_file.empty()) config.pseudonym_key_file = pseudonym_key_file;
  if (!citizen_key_store.empty()) config.citizen_key_store = citizen_key_store;
  if (!backup_root.empty()) {
    if (!std::filesystem::path(backup_root).is_absolute())
      return fail(Errc::invalid_argument, "--backup-root must be an absolute path");
    config.backup_root = backup_root;
  }
  if (!token_secret_file.empty()) config.token_secret_file = token_secret_file;
  if (!revoked_tokens_file.empty()) config.revoked_tokens_file = revoked_tokens_file;
  if (!jwks_file.empty()) {
    if (config.jwt_issuer.empty() || config.jwt_audience.empty())
      return fail(Errc::invalid_argument,
                  "--jwks-file needs --jwt-issuer and --jwt-audience: the iss and aud of the provider's tokens");
    config.jwks_file = jwks_file;
  } else if (!config.jwt_issuer.empty() || !config.jwt_audience.empty()) {
    return fail(Errc::invalid_argument, "--jwt-issuer and --jwt-audience go with --jwks-file");
  }
  if (tls_cert.empty() != tls_key.empty())
    return fail(Errc::invalid_argument, "--tls-cert and --tls-key go together: give both or neither");
  if (!tls_cert.empty()) {
    config.tls_cert = tls_cert;
    config.tls_key = tls_key;
  }
  if (!tls_client_ca.empty()) {
    if (tls_cert.empty()) return fail(Errc::invalid_argument, "--tls-client-ca needs --tls-cert and --tls-key");
    config.tls_client_ca = tls_client_ca;
  }
  if (!config.tls_cert && !config.insecure && !is_loopback_address(config.listen))
    return fail(Errc::invalid_argument,
                "refusing to serve plaintext gRPC on " + config.listen +
                    ": bearer tokens and citizens' data would cross the network unencrypted. Give --tls-cert and "
                    "--tls-key, listen on 127.0.0.1, or pass --insecure if something else encrypts the link");
  if (hold_seconds <= 0) return fail(Errc::invalid_argument, "--hold-seconds must be positive");
  config.hold_period = std::chrono::seconds(hold_seconds);
  if (expiry_interval_ms <= 0) return fail(Errc::invalid_argument, "--expiry-interval-ms must be positive");
  if (snapshot_every_events < 0)
    return fail(Errc::invalid_argument, "--snapshot-every-events must be ≥ 0 (0: no snapshots)");
  config.snapshot_every_events = static_cast<std::uint64_t>(snapshot_every_events);
  config.expiry_interval = std::chrono::milliseconds(expiry_interval_ms);
  if (config.audit_streams.max_streams == 0 || config.audit_streams.max_streams_per_role == 0 ||
      config.audit_streams.max_streams_per_caller == 0)
    return fail(
        Errc::invalid_argument,
        "--audit-max-streams, --audit-max-streams-per-role and --audit-max-streams-per-caller must be positive");
  if (audit_stream_max_seconds <= 0) return fail(Errc::invalid_argument, "--audit-stream-max-seconds must be positive");
  config.audit_streams.max_duration = std::chrono::seconds(audit_stream_max_seconds);
  config.min_free_bytes = min_free_mb << 20;
  if (config.shutdown_grace_seconds < 0) return fail(Errc::invalid_argument, "--shutdown-grace must be ≥ 0");
  if (!checkpoint_key_file.empty()) config.checkpoint_key_file = checkpoint_key_file;
  if (checkpoint_interval < 0) return fail(Errc::invalid_argument, "--checkpoint-interval must be ≥ 0 (0: on request)");
  config.checkpoint_interval = std::chrono::seconds(checkpoint_interval);
  if (config.checkpoint_origin.empty() || config.checkpoint_origin.find_first_of(" +\n") != std::string::npos)
    return fail(Errc::invalid_argument, "--checkpoint-origin must be non-empty, without spaces, '+' or newlines");
  if (on_corruption == "refuse") config.on_corruption = OnCorruption::refuse;
  else if (on_corruption == "read-only") config.on_corruption = OnCorruption::read_only;
  else return fail(Errc::invalid_argument, "--on-corruption must be refuse or read-only, not '" + on_corruption + "'");
  if (scrub_events_per_second < 0 || scrub_bytes_per_second < 0 || scrub_pause_seconds < 0)
    return fail(Errc::invalid_argument,
                "--scrub-events-per-second, --scrub-bytes-per-second and --scrub-pause-seconds must be ≥ 0");
  config.scrub_events_per_second = static_cast<std::uint64_t>(scrub_events_per_second);
  config.scrub_bytes_per_second = static_cast<std::uint64_t>(scrub_bytes_per_second);
  config.scrub_pause = std::chrono::seconds(scrub_pause_seconds);
  if (log_kind == "rocksdb") config.log = LogKind::rocksdb;
  else if (log_kind == "etcd") config.log = LogKind::etcd;
  else return fail(Errc::invalid_argument, "--log must be rocksdb or etcd, not '" + log_kind + "'");
  const bool any_etcd_flag = !etcd_endpoints.empty() || !etcd_ca.empty() || !etcd_cert.empty() || !etcd_key.empty() ||
                             !config.etcd.user.empty() || !etcd_password_file.empty();
  if (config.log == LogKind::rocksdb) {
    if (any_etcd_flag) return fail(Errc::invalid_argument, "the --etcd-* settings go with --log etcd");
    return parsed;
  }
  for (std::size_t start = 0; start <= etcd_endpoints.size();) {
    const std::size_t comma = std::min(etcd_endpoints.find(',', start), etcd_endpoints.size());
    const std::string endpoint = etcd_endpoints.substr(start, comma - start);
    if (endpoint.empty() || endpoint.rfind(':') == std::string::npos)
      return fail(
          Errc::invalid_argument,
          "--etcd-endpoints must be host:port[,host:port...], e.g. 127.0.0.1:2379, not '" + etcd_endpoints + "'");
    config.etcd.endpoints.push_back(endpoint);
    start = comma + 1;
  }
  if (etcd_cert.empty() != etcd_key.empty())
    return fail(Errc::invalid_argument, "--etcd-cert and --etcd-key go together: give both or neither");
  if (!etcd_cert.empty() && etcd_ca.empty())
    return fail(Errc::invalid_argument, "--etcd-cert needs --etcd-ca (a client certificate is for TLS)");
  if (!etcd_ca.empty()) config.etcd.ca_file = etcd_ca;
  if (!etcd_cert.empty()) {
    config.etcd.cert_file = etcd_cert;
    config.etcd.key_file = etcd_key;
  }
  if (config.etcd.user.empty() != etcd_password_file.empty())
    return fail(Errc::invalid_argument, "--etcd-user and --etcd-password-file go together");
  if (!etcd_password_file.empty()) config.etcd.password_file = etcd_password_file;
  if (etcd_max_txn_ops < 3) return fail(Errc::invalid_argument, "--etcd-max-txn-ops must be at least 3");
  if (etcd_max_request_bytes <= 64 * 1024)
    return fail(Errc::invalid_argument, "--etcd-max-request-bytes must be more than 65536");
  if (etcd_timeout_ms <= 0) return fail(Errc::invalid_argument, "--etcd-timeout-ms must be positive");
  config.etcd.max_txn_ops = static_cast<std::size_t>(etcd_max_txn_ops);
  config.etcd.max_request_bytes = static_cast<std::size_t>(etcd_max_request_bytes);
  config.etcd.call_timeout = std::chrono::milliseconds(etcd_timeout_ms);
  return parsed;
}

namespace {

// <data>.<suffix> beside the data folder, e.g. /var/lib/placement/data.token-secret.
std::filesystem::path beside_data(const Config& config, const char* suffix) {
  auto data = config.data_dir.lexically_normal();
  if (!data.has_filename()) data = data.parent_path();
  return data.string() + suffix;
}

}  // namespace

std::filesystem::path citizen_key_store_path(const Config& config) {
  return config.citizen_key_store ? *config.citizen_key_store : beside_data(config, ".citizen-keys");
}

std::filesystem::path pseudonym_key_path(const Config& config) {
  return config.pseudonym_key_file ? *config.pseudonym_key_file : beside_data(config, ".pseudonym-key");
}

std::filesystem::path checkpoint_key_path(const Config& config) {
  return config.checkpoint_key_file ? *config.checkpoint_key_file : beside_data(config, ".checkpoint-key");
}

std::filesystem::path token_secret_path(const Config& config) {
  return config.token_secret_file ? *config.token_secret_file : beside_data(config, ".token-secret");
}

std::filesystem::path revoked_tokens_path(const Config& config) {
  return config.revoked_tokens_file ? *config.revoked_tokens_file : beside_data(config, ".revoked-tokens");
}

bool is_loopback_address(const std::string& listen) {
  if (listen.rfind("unix:", 0) == 0) return true;
  std::string host = listen.substr(0, listen.rfind(':'));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host == "localhost") return true;
  // inet_pton takes only the strict forms (four decimal parts of 0..255 for IPv4), so numbers
  // that wrap around ("4294967423.0.0.1") or other spellings a resolver might widen are not loopback.
  in_addr v4{};
  if (::inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;  // 127.0.0.0/8
  in6_addr v6{};
  if (::inet_pton(AF_INET6, host.c_str(), &v6) == 1)
    return IN6_IS_ADDR_LOOPBACK(&v6) || (IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127);
  return false;
}

}  // namespace placement::placementd

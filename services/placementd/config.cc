#include "services/placementd/config.h"

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
  std::int64_t hold_seconds = config.hold_period.count();
  std::int64_t expiry_interval_ms = config.expiry_interval.count();
  std::uint64_t min_free_mb = config.min_free_bytes >> 20;

  po::options_description options("placementd: the placement ledger server\n\nOptions");
  options.add_options()
      ("help,h", "show this help and exit")
      ("config", po::value<std::string>(), "read settings from this file (key = value, same names as the flags); flags win")
      ("data", po::value(&data_dir)->default_value(data_dir), "data folder (RocksDB); created when missing")
      ("listen", po::value(&config.listen)->default_value(config.listen), "gRPC address, host:port (port 0 picks one)")
 ("admin-listen", po::value(&config.admin_listen)->default_value(config.admin_listen),
       "admin HTTP address for /healthz /readyz /metrics (port 0 picks one; empty disables)")
      ("ready-file", po::value(&ready_file), "write the bound host:port to this file once serving")
      ("reference-data", po::value(&reference_data), "municipalities CSV to load at first start (default: built in)")
      ("log-format", po::value(&log_format)->default_value(log_format), "text or json")
      ("log-level", po::value(&config.log_level)->default_value(config.log_level), "trace, debug, info, warn, error")
      ("shutdown-grace", po::value(&config.shutdown_grace_seconds)->default_value(config.shutdown_grace_seconds),
       "seconds in-flight calls get to finish at shutdown")
      ("pseudonym-key-file", po::value(&pseudonym_key_file),
       "key of the CPR pseudonyms; default <data>.pseudonym-key beside the data folder, created when missing")
      ("hold-seconds", po::value(&hold_seconds)->default_value(hold_seconds),
       "how long a reserved place is held for admission (default 14 days)")
      ("min-free-mb", po::value(&min_free_mb)->default_value(min_free_mb),
       "refuse writes (UNAVAILABLE) while the data folder's disk has less free space; 0 disables")
      ("expiry-interval-ms", po::value(&expiry_interval_ms)->default_value(expiry_interval_ms),
       "how often lapsed reservations are looked for")
      ("snapshot-every-events", po::value(&config.snapshot_every_events)->default_value(config.snapshot_every_events),
       "snapshot the read model each time the log grows by this many events, and at shutdown, so a restart "
       "replays only the events after it; 0 disables snapshots")
      ("ignore-snapshots", po::bool_switch(&config.ignore_snapshots),
       "start by replaying the whole log, whatever snapshots there are (they are still taken)");

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
  if (hold_seconds <= 0) return fail(Errc::invalid_argument, "--hold-seconds must be positive");
  config.hold_period = std::chrono::seconds(hold_seconds);
  if (expiry_interval_ms <= 0) return fail(Errc::invalid_argument, "--expiry-interval-ms must be positive");
  config.expiry_interval = std::chrono::milliseconds(expiry_interval_ms);
  config.min_free_bytes = min_free_mb << 20;
  if (config.shutdown_grace_seconds < 0) return fail(Errc::invalid_argument, "--shutdown-grace must be ≥ 0");
  return parsed;
}

std::filesystem::path pseudonym_key_path(const Config& config) {
  if (config.pseudonym_key_file) return *config.pseudonym_key_file;
  auto data = config.data_dir.lexically_normal();
  if (!data.has_filename()) data = data.parent_path();
  return data.string() + ".pseudonym-key";
}

}  // namespace placement::placementd

#include "services/placementd/config.h"

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

  po::options_description options("placementd: the placement ledger server\n\nOptions");
  options.add_options()
      ("help,h", "show this help and exit")
      ("data", po::value(&data_dir)->default_value(data_dir), "data folder (RocksDB); created when missing")
      ("listen", po::value(&config.listen)->default_value(config.listen), "gRPC address, host:port (port 0 picks one)")
      ("ready-file", po::value(&ready_file), "write the bound host:port to this file once serving")
      ("reference-data", po::value(&reference_data), "municipalities CSV to load at first start (default: built in)")
      ("log-format", po::value(&log_format)->default_value(log_format), "text or json")
      ("log-level", po::value(&config.log_level)->default_value(config.log_level), "trace, debug, info, warn, error")
      ("shutdown-grace", po::value(&config.shutdown_grace_seconds)->default_value(config.shutdown_grace_seconds),
       "seconds in-flight calls get to finish at shutdown");

  po::variables_map vars;
  try {
    po::store(po::command_line_parser(argc, argv).options(options).run(), vars);
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
  if (config.shutdown_grace_seconds < 0) return fail(Errc::invalid_argument, "--shutdown-grace must be ≥ 0");
  return parsed;
}

}  // namespace placement::placementd

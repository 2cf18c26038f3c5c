// placementd's process: flags, signals and the restore subcommand, on a given storage environment.
#include "services/placementd/run.h"

#include <sys/stat.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/spdlog.h>

#include "services/placementd/config.h"
#include "services/placementd/logging.h"
#include "services/placementd/server.h"
#include "storage/backup.h"
#include "storage/hash_chain.h"
#include "storage/rocksdb_event_log.h"

namespace {

constexpr int kExitUsage = 2;
constexpr int kExitStartFailed = 1;
// The log's disk failed while serving (EX_TEMPFAIL): systemd's Restart=on-failure starts it
// again, on a disk that works by then or not (deploy/systemd, docs/OPERATIONS.md).
constexpr int kExitDiskFailed = 75;
// The log does not verify (EX_DATAERR), at start or found by the scrub under --on-corruption
// refuse: restarting cannot help, so the systemd unit does not (RestartPreventExitStatus=65).
constexpr int kExitLogBroken = 65;

// placementd restore --backup DIR --data DIR: restores the latest backup into a new data folder
// and verifies the restored log's hash chain before saying it worked.
int restore(int argc, char** argv) {
  std::string backup, data;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--backup") backup = argv[i + 1];
    else if (flag == "--data") data = argv[i + 1];
    else backup.clear(), data.clear(), i = argc;
  }
  if (backup.empty() || data.empty() || argc % 2 != 0) {
    std::cerr << "usage: placementd restore --backup BACKUP_DIR --data NEW_DATA_DIR\n";
    return kExitUsage;
  }
  if (auto restored = placement::storage::restore_latest_backup(backup, data); !restored) {
    std::cerr << "placementd restore: " << restored.error().message << "\n";
    return kExitStartFailed;
  }
  auto log = placement::storage::RocksDbEventLog::open(data, {.create_if_missing = false});
  if (!log) {
    std::cerr << "placementd restore: the restored folder does not open: " << log.error().message << "\n";
    return kExitStartFailed;
  }
  auto report = log.value()->verify_chain(placement::Position{1}, placement::Position{0});
  if (!report || !report.value().ok) {
    std::cerr << "placementd restore: the restored log does not verify: "
              << (report ? report.value().problem : report.error().message) << "\n";
    return kExitStartFailed;
  }
  std::cout << "restored " << report.value().checked << " events into " << data << "; chain verified, head hash "
            << placement::storage::to_hex(report.value().head_hash) << "\n";
  return 0;
}

}  // namespace

namespace placement::placementd {

int run_placementd(int argc, char** argv, rocksdb::Env* storage_env) {
  // Everything the server creates (RocksDB's files, backups, secrets) is its user's alone.
  ::umask(077);
  if (argc >= 2 && std::string_view(argv[1]) == "restore") return restore(argc, argv);
  auto parsed = parse_args(argc, argv);
  if (!parsed) {
    std::cerr << "placementd: " << parsed.error().message << "\n";
    return kExitUsage;
  }
  if (parsed.value().help_requested) {
    std::cout << parsed.value().help_text;
    return 0;
  }
  const Config& config = parsed.value().config;
  if (auto logging = setup_logging(config.log_format, config.log_level); !logging) {
    std::cerr << "placementd: " << logging.error().message << "\n";
    return kExitUsage;
  }

  // Signals are handled on this thread only, through Asio; block them first so no other
  // thread (gRPC's, RocksDB's) is picked to receive them.
  boost::asio::io_context signals_context;
  boost::asio::signal_set signals(signals_context, SIGINT, SIGTERM, SIGHUP);

  // A failed disk, or a log the scrub found broken, ends the serving loop below from whichever
  // thread found it; the shutdown then answers what is in flight (UNAVAILABLE for writes) and the
  // process exits with the reason's code. The first reason wins.
  std::atomic<int> stop_code{0};
  auto must_stop = [&](Server::StopReason reason, const std::string& why) {
    const int code = reason == Server::StopReason::log_broken ? kExitLogBroken : kExitDiskFailed;
    int none = 0;
    if (!stop_code.compare_exchange_strong(none, code)) return;
    if (reason == Server::StopReason::disk_failed)
      spdlog::critical("{}; exiting so that systemd restarts the service", why);
    else if (reason == Server::StopReason::log_failed)
      spdlog::critical("{}; exiting so that systemd restarts the service, which rereads the log from etcd", why);
    else spdlog::critical("{}; exiting (--on-corruption refuse): restore the data folder from a backup", why);
    signals_context.stop();
  };
  auto server = Server::start(config, storage_env, must_stop);
  if (!server && stop_code != 0) return stop_code;
  if (!server) {
    spdlog::critical("placementd cannot start: {}", server.error().message);
    std::cerr << "placementd: cannot start: " << server.error().message << "\n";
    return server.error().code == Errc::data_loss ? kExitLogBroken : kExitStartFailed;
  }
  spdlog::info("placementd listening on {} (data folder {}); admin HTTP on {}", server.value()->address(),
               config.data_dir.string(),
               server.value()->admin_address().empty() ? "-" : server.value()->admin_address());
  if (!server.value()->web_url().empty())
    spdlog::info("planners' dashboard on {} (sign in with a planner, auditor or admin token)",
                 server.value()->web_url());
  if (config.ready_file) {
    // Written to a temporary name and renamed, so a reader never sees half an address.
    const auto temporary = config.ready_file->string() + ".tmp";
    std::ofstream(temporary) << server.value()->address() << "\n"
                             << server.value()->admin_address() << "\n"
                             << server.value()->web_url() << "\n";
    std::filesystem::rename(temporary, *config.ready_file);
  }

  // SIGHUP re-reads the identity provider's keys and waits on; SIGINT and SIGTERM end the wait.
  std::function<void(const boost::system::error_code&, int)> on_signal = [&](const boost::system::error_code& error,
                                                                             int signal) {
    if (error) return;
    if (signal == SIGHUP) {
      server.value()->reload_identity_keys();
      signals.async_wait(on_signal);
      return;
    }
    spdlog::info("received signal {}; shutting down", signal);
  };
  signals.async_wait(on_signal);
  signals_context.run();

  if (stop_code != 0) server.value()->drain(std::chrono::seconds(1));
  server.value()->shutdown(std::chrono::seconds(config.shutdown_grace_seconds));
  if (const int code = stop_code; code != 0) {
    spdlog::critical("placementd stopped; exit code {}", code);
    return code;
  }
  spdlog::info("placementd stopped; database closed");
  return 0;
}

}  // namespace placement::placementd

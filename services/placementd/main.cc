// placementd: the placement ledger server.

#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/spdlog.h>

#include "services/placementd/config.h"
#include "services/placementd/logging.h"
#include "services/placementd/server.h"

namespace {

constexpr int kExitUsage = 2;
constexpr int kExitStartFailed = 1;

}  // namespace

int main(int argc, char** argv) {
  using namespace placement::placementd;
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
  boost::asio::signal_set signals(signals_context, SIGINT, SIGTERM);

  auto server = Server::start(config);
  if (!server) {
    spdlog::critical("placementd cannot start: {}", server.error().message);
    std::cerr << "placementd: cannot start: " << server.error().message << "\n";
    return kExitStartFailed;
  }
  spdlog::info("placementd listening on {} (data folder {}); admin HTTP on {}", server.value()->address(),
               config.data_dir.string(), server.value()->admin_address().empty() ? "-" : server.value()->admin_address());
  if (config.ready_file) {
    // Written to a temporary name and renamed, so a reader never sees half an address.
    const auto temporary = config.ready_file->string() + ".tmp";
    std::ofstream(temporary) << server.value()->address() << "\n" << server.value()->admin_address() << "\n";
    std::filesystem::rename(temporary, *config.ready_file);
  }

  signals.async_wait([&](const boost::system::error_code&, int signal) {
    spdlog::info("received signal {}; shutting down", signal);
  });
  signals_context.run();

  server.value()->shutdown(std::chrono::seconds(config.shutdown_grace_seconds));
  spdlog::info("placementd stopped; database closed");
  return 0;
}

#pragma once
// The dashboard's HTTP server (Boost.Beast) on its own listener: the embedded static files, the
// JSON API (dashboard_api.h) and the live stream.
//
//   GET /, /index.html, /app.js, …   the static files; public (they hold no data)
//   GET /api/live                    a chunked stream of application/x-ndjson lines, one
//                                    {"position":N,"recorded_at":"…"} at once, then one each time
//                                    events commit (ledger::CommitFeed) and every 10 s as a
//                                    heartbeat. Needs Authorization: Bearer like every /api/ path.
//   GET /api/…                       DashboardApi
//
// Transport: plaintext only on a loopback address; anywhere else TLS with the given certificate
// and key, and start() refuses a non-loopback address without them.
//
// Threads: two threads of its own run every connection (each on its own strand) and the views
// they compute; commit wake-ups arrive on the feed's thread and are posted onto them. The
// destructor stops both and cancels the feed wait; it must run before the feed and the views are
// destroyed.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "services/base/result.h"
#include "services/ledger/commit_feed.h"
#include "services/web/dashboard_api.h"

namespace placement::web {

struct WebOptions {
  std::string listen;    // host:port, an IP address (port 0 picks one)
  bool loopback = true;  // the host can be reached only from this machine
  // PEM files of the server's certificate chain and key; required unless loopback. When given,
  // the dashboard speaks only TLS (1.2 or later), on loopback too.
  std::optional<std::filesystem::path> tls_cert;
  std::optional<std::filesystem::path> tls_key;
};

class WebServer {
 public:
  // Binds and starts serving. invalid_argument for a bad address or a non-loopback address
  // without TLS files; unavailable when the port cannot be bound or a PEM file cannot be read.
  static Result<std::unique_ptr<WebServer>> start(const WebOptions& options, const DashboardApi& api,
                                                  ledger::CommitFeed& feed);
  ~WebServer();

  // host:port actually bound.
  const std::string& address() const;
  // "http://host:port/" or "https://host:port/".
  std::string url() const;

  class Impl;

 private:
  explicit WebServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace placement::web

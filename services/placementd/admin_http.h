#pragma once
// The admin HTTP endpoint, on its own port (Boost.Asio + Beast, one thread):
//   GET /healthz  200 while the process serves at all
//   GET /readyz   200 once the log is replayed and gRPC is serving, 503 before, while stopping and
//                 while the log is broken (the body then says where)
//   GET /metrics  Prometheus text format
// It carries no citizen data and changes nothing.

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "services/base/result.h"

namespace placement::placementd {

class AdminHttp {
 public:
  struct Handlers {
    std::function<bool()> ready;
    std::function<std::string()> metrics;
    // Why the server is not ready, added to /readyz's 503 body when not empty (may be unset).
    std::function<std::string()> not_ready_detail = nullptr;
  };

  // Binds host:port (port 0 picks one) and starts serving on its own thread.
  static Result<std::unique_ptr<AdminHttp>> start(const std::string& listen, Handlers handlers);
  ~AdminHttp();  // stops serving and joins the thread

  const std::string& address() const { return address_; }

 private:
  AdminHttp(Handlers handlers);
  void accept();

  Handlers handlers_;
  boost::asio::io_context context_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::thread thread_;
  std::string address_;
};

}  // namespace placement::placementd

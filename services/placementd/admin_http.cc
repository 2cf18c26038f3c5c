#include "services/placementd/admin_http.h"

#include <boost/asio/ip/address.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

namespace placement::placementd {

namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

// One request, one response, then close: the callers are probes and scrapers.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const AdminHttp::Handlers& handlers) : stream_(std::move(socket)), handlers_(handlers) {}

  void run() {
    stream_.expires_after(std::chrono::seconds(10));
    http::async_read(stream_, buffer_, request_, [self = shared_from_this()](beast::error_code error, std::size_t) {
      if (!error) self->respond();
    });
  }

 private:
  void respond() {
    response_.version(request_.version());
    response_.keep_alive(false);
    response_.set(http::field::server, "placementd");
    const auto target = request_.target();
    if (request_.method() != http::verb::get) {
      reply(http::status::method_not_allowed, "text/plain", "only GET\n");
    } else if (target == "/healthz") {
      reply(http::status::ok, "text/plain", "ok\n");
    } else if (target == "/readyz") {
      const bool ready = handlers_.ready && handlers_.ready();
      std::string detail = ready || !handlers_.not_ready_detail ? std::string() : handlers_.not_ready_detail();
      reply(ready ? http::status::ok : http::status::service_unavailable, "text/plain",
            ready            ? "ready\n"
            : detail.empty() ? "not ready\n"
                             : "not ready: " + detail + "\n");
    } else if (target == "/metrics") {
      reply(http::status::ok, "text/plain; version=0.0.4", handlers_.metrics ? handlers_.metrics() : "");
    } else {
      reply(http::status::not_found, "text/plain", "not found: try /healthz, /readyz or /metrics\n");
    }
  }

  void reply(http::status status, const char* content_type, std::string body) {
    response_.result(status);
    response_.set(http::field::content_type, content_type);
    response_.body() = std::move(body);
    response_.prepare_payload();
    http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code, std::size_t) {
      beast::error_code ignored;
      self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    });
  }

  beast::tcp_stream stream_;
  const AdminHttp::Handlers& handlers_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
};

}  // namespace

AdminHttp::AdminHttp(Handlers handlers) : handlers_(std::move(handlers)), acceptor_(context_) {}

Result<std::unique_ptr<AdminHttp>> AdminHttp::start(const std::string& listen, Handlers handlers) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) return fail(Errc::invalid_argument, "--admin-listen must be host:port");
  boost::system::error_code error;
  const auto address = boost::asio::ip::make_address(listen.substr(0, colon), error);
  if (error) return fail(Errc::invalid_argument, "--admin-listen host must be an IP address: " + listen);
  int port = 0;
  try {
    port = std::stoi(listen.substr(colon + 1));
  } catch (...) {
    return fail(Errc::invalid_argument, "--admin-listen port must be a number: " + listen);
  }
  if (port < 0 || port > 65535) return fail(Errc::invalid_argument, "--admin-listen port must be 0..65535");

  std::unique_ptr<AdminHttp> server(new AdminHttp(std::move(handlers)));
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
  server->acceptor_.open(endpoint.protocol(), error);
  if (!error) server->acceptor_.set_option(boost::asio::socket_base::reuse_address(true), error);
  if (!error) server->acceptor_.bind(endpoint, error);
  if (!error) server->acceptor_.listen(boost::asio::socket_base::max_listen_connections, error);
  if (error) return fail(Errc::unavailable, "cannot listen for admin HTTP on " + listen + ": " + error.message());
  server->address_ = listen.substr(0, colon) + ":" + std::to_string(server->acceptor_.local_endpoint().port());
  server->accept();
  server->thread_ = std::thread([raw = server.get()] { raw->context_.run(); });
  return server;
}

AdminHttp::~AdminHttp() {
  context_.stop();
  if (thread_.joinable()) thread_.join();
}

void AdminHttp::accept() {
  acceptor_.async_accept([this](beast::error_code error, tcp::socket socket) {
    if (error) {
      if (error != boost::asio::error::operation_aborted) spdlog::warn("admin HTTP accept failed: {}", error.message());
    } else {
      std::make_shared<Session>(std::move(socket), handlers_)->run();
    }
    if (acceptor_.is_open()) accept();
  });
}

}  // namespace placement::placementd

#include "services/web/web_server.h"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <spdlog/spdlog.h>

#include <array>
#include <deque>
#include <mutex>

#include "services/web/static_files.h"

namespace placement::web {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;

namespace {

constexpr auto kRequestTimeout = std::chrono::seconds(30);
constexpr auto kHeartbeat = std::chrono::seconds(10);
constexpr std::size_t kMaxLiveQueue = 64;  // lines waiting for a slow reader before it is dropped

// What a live stream session offers the hub. push() may be called on any thread.
class LiveSink {
 public:
  virtual ~LiveSink() = default;
  virtual void push(std::shared_ptr<const std::string> line) = 0;
};

// Fans each commit out to the open live streams. Owns the one feed wait of the server.
class LiveHub : public std::enable_shared_from_this<LiveHub> {
 public:
  LiveHub(net::io_context& context, const DashboardApi& api, ledger::CommitFeed& feed)
      : strand_(net::make_strand(context)), heartbeat_(strand_), api_(api), feed_(feed) {}

  void start() {
    net::post(strand_, [self = shared_from_this()] {
      self->arm(self->feed_.head());
      self->beat();
    });
  }

  // After stop() returns, no wake-up touches the io_context any more.
  void stop() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    if (waiting_) feed_.cancel(wait_id_);
  }

  Position head() const { return feed_.head(); }

  void add(std::weak_ptr<LiveSink> sink) {
    net::post(strand_, [self = shared_from_this(), sink = std::move(sink)] { self->sinks_.push_back(sink); });
  }

 private:
  void arm(Position after) {
    std::lock_guard lock(mutex_);
    if (stopped_ || feed_.closed()) return;
    waiting_ = true;
    wait_id_ = feed_.wait_beyond(after, [weak = weak_from_this()] {
      auto self = weak.lock();
      if (!self) return;
      std::lock_guard held(self->mutex_);
      self->waiting_ = false;
      if (self->stopped_) return;
      net::post(self->strand_, [self] { self->commit(); });
    });
  }

  // On the strand.
  void commit() {
    const Position head = feed_.head();
    broadcast(head);
    arm(head);
  }

  void beat() {
    heartbeat_.expires_after(kHeartbeat);
    heartbeat_.async_wait([self = shared_from_this()](beast::error_code error) {
      if (error) return;
      self->broadcast(self->feed_.head());
      self->beat();
    });
  }

  void broadcast(Position head) {
    auto line = std::make_shared<const std::string>(api_.live_line(head));
    std::erase_if(sinks_, [&](const std::weak_ptr<LiveSink>& weak) {
      auto sink = weak.lock();
      if (sink) sink->push(line);
      return !sink;
    });
  }

  net::strand<net::io_context::executor_type> strand_;
  net::steady_timer heartbeat_;
  const DashboardApi& api_;
  ledger::CommitFeed& feed_;
  std::vector<std::weak_ptr<LiveSink>> sinks_;  // on the strand
  std::mutex mutex_;                            // guards the three below
  bool stopped_ = false;
  bool waiting_ = false;
  std::uint64_t wait_id_ = 0;
};

void set_common_headers(http::response_header<>& header, bool secure) {
  header.set(http::field::server, "placementd");
  header.set("X-Content-Type-Options", "nosniff");
  header.set("X-Frame-Options", "DENY");
  header.set("Referrer-Policy", "no-referrer");
  header.set("Content-Security-Policy",
             "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
             "frame-ancestors 'none'");
  if (secure) header.set(http::field::strict_transport_security, "max-age=31536000");
}

// One connection: requests in turn (keep-alive), or one live stream that lasts until the client
// goes or the server stops. Everything runs on the connection's strand.
template <class Stream> class Session : public std::enable_shared_from_this<Session<Stream>>, public LiveSink {
 public:
  Session(Stream stream, const DashboardApi& api, std::shared_ptr<LiveHub> hub, bool secure)
      : stream_(std::move(stream)), api_(api), hub_(std::move(hub)), secure_(secure) {}

  void run() {
    if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
      beast::get_lowest_layer(stream_).expires_after(kRequestTimeout);
      stream_.async_handshake(ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code error) {
        if (!error) self->read();
      });
    } else {
      read();
    }
  }

  void push(std::shared_ptr<const std::string> line) override {
    net::post(stream_.get_executor(), [self = this->shared_from_this(), line = std::move(line)] {
      if (self->live_closed_) return;
      if (self->live_queue_.size() >= kMaxLiveQueue) return self->close();
      self->live_queue_.push_back(line);
      if (self->live_queue_.size() == 1) self->write_live();
    });
  }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(0);  // GET only: no body
    parser_->header_limit(16 * 1024);
    beast::get_lowest_layer(stream_).expires_after(kRequestTimeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code error, std::size_t) {
                       if (error) return self->close();
                       self->respond(parser_result(*self));
                     });
  }

  static http::request<http::empty_body> parser_result(Session& self) { return self.parser_->release(); }

  void respond(http::request<http::empty_body> request) {
    const std::string target(request.target());
    const std::string authorization(request[http::field::authorization]);
    const bool keep_alive = request.keep_alive();
    if (request.method() != http::verb::get)
      return reply(http::status::method_not_allowed, "text/plain; charset=utf-8", "only GET\n", keep_alive, true);
    const std::string_view path(target.data(), std::min(target.find('?'), target.size()));
    if (path == "/api/live") return open_live(authorization);
    if (path.substr(0, 5) == "/api/") {
      Reply answer = api_.handle(target, authorization);
      return reply(static_cast<http::status>(answer.status), answer.content_type, std::move(answer.body), keep_alive,
                   true);
    }
    if (const StaticFile* file = find_static_file(path))
      return reply(http::status::ok, file->content_type, std::string(file->bytes), keep_alive, false);
    reply(http::status::not_found, "text/plain; charset=utf-8", "not found\n", keep_alive, true);
  }

  void reply(http::status status, std::string_view content_type, std::string body, bool keep_alive, bool no_store) {
    auto response = std::make_shared<http::response<http::string_body>>(status, 11);
    set_common_headers(response->base(), secure_);
    response->set(http::field::content_type, beast::string_view(content_type.data(), content_type.size()));
    response->set(http::field::cache_control, no_store ? "no-store" : "no-cache");
    if (status == http::status::unauthorized) response->set(http::field::www_authenticate, "Bearer");
    response->body() = std::move(body);
    response->keep_alive(keep_alive);
    response->prepare_payload();
    http::async_write(stream_, *response,
                      [self = this->shared_from_this(), response, keep_alive](beast::error_code error, std::size_t) {
                        if (error || !keep_alive) return self->close();
                        self->read();
                      });
  }

  void open_live(const std::string& authorization) {
    auto caller = api_.caller(authorization);
    if (!caller) {
      const auto status = static_cast<http::status>(http_status(caller.error().code));
      return reply(status, "application/json; charset=utf-8", "{\"error\":\"refused\"}", false, true);
    }
    live_header_ = std::make_shared<http::response<http::empty_body>>(http::status::ok, 11);
    set_common_headers(live_header_->base(), secure_);
    live_header_->set(http::field::content_type, "application/x-ndjson; charset=utf-8");
    live_header_->set(http::field::cache_control, "no-store");
    live_header_->chunked(true);
    live_serializer_ = std::make_shared<http::response_serializer<http::empty_body>>(*live_header_);
    beast::get_lowest_layer(stream_).expires_never();
    http::async_write_header(
        stream_, *live_serializer_, [self = this->shared_from_this()](beast::error_code error, std::size_t) {
          if (error) return self->close();
          self->hub_->add(std::static_pointer_cast<LiveSink>(self));
          self->push(std::make_shared<const std::string>(self->api_.live_line(self->hub_->head())));
          self->watch_client();
        });
  }

  // A read that stays pending while the stream is open: it holds the session (the hub holds it
  // only weakly) and ends when the client goes, which closes the stream. It reads through the
  // stream's own layer (TLS included) and drops what the client sends; a client sends nothing on
  // a live request but its close. Only one such read is outstanding at a time, beside at most
  // one write (write_live), as Asio allows on one stream.
  void watch_client() {
    stream_.async_read_some(net::buffer(watch_buffer_),
                            [self = this->shared_from_this()](beast::error_code error, std::size_t) {
                              if (error || self->live_closed_) return self->close();
                              self->watch_client();
                            });
  }

  void write_live() {
    live_chunk_ = live_queue_.front();
    net::async_write(stream_, http::make_chunk(net::buffer(*live_chunk_)),
                     [self = this->shared_from_this()](beast::error_code error, std::size_t) {
                       if (error) return self->close();
                       self->live_queue_.pop_front();
                       if (!self->live_queue_.empty()) self->write_live();
                     });
  }

  void close() {
    live_closed_ = true;
    live_queue_.clear();
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
  }

  Stream stream_;
  const DashboardApi& api_;
  std::shared_ptr<LiveHub> hub_;
  bool secure_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::empty_body>> parser_;
  std::shared_ptr<http::response<http::empty_body>> live_header_;
  std::shared_ptr<http::response_serializer<http::empty_body>> live_serializer_;
  std::deque<std::shared_ptr<const std::string>> live_queue_;
  std::shared_ptr<const std::string> live_chunk_;
  std::array<char, 256> watch_buffer_{};
  bool live_closed_ = false;
};

}  // namespace

class WebServer::Impl {
 public:
  Impl(const DashboardApi& api, ledger::CommitFeed& feed)
      : api_(api), acceptor_(context_), hub_(std::make_shared<LiveHub>(context_, api, feed)) {}

  ~Impl() {
    hub_->stop();
    context_.stop();
    for (auto& thread : threads_)
      if (thread.joinable()) thread.join();
  }

  Status open(const WebOptions& options) {
    const auto colon = options.listen.rfind(':');
    if (colon == std::string::npos) return fail(Errc::invalid_argument, "--web-listen must be host:port");
    const std::string host = options.listen.substr(0, colon);
    boost::system::error_code error;
    const auto address =
        net::ip::make_address(host.size() > 1 && host.front() == '[' ? host.substr(1, host.size() - 2) : host, error);
    if (error) return fail(Errc::invalid_argument, "--web-listen host must be an IP address: " + options.listen);
    unsigned port = 0;
    const std::string port_text = options.listen.substr(colon + 1);
    if (port_text.empty() || port_text.size() > 5 || port_text.find_first_not_of("0123456789") != std::string::npos ||
        (port = std::stoul(port_text)) > 65535)
      return fail(Errc::invalid_argument, "--web-listen port must be 0..65535: " + options.listen);
    const bool certified = options.tls_cert && options.tls_key;
    if (!options.loopback && !certified)
      return fail(Errc::invalid_argument, "--web-listen " + options.listen +
                                              " is not a loopback address: the dashboard then needs TLS "
                                              "(--tls-cert and --tls-key)");
    if (certified) {
      tls_.emplace(ssl::context::tls_server);
      tls_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                        ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
      if (SSL_CTX_set_min_proto_version(tls_->native_handle(), TLS1_2_VERSION) != 1)
        return fail(Errc::internal, "cannot require TLS 1.2 or later on the dashboard");
      tls_->use_certificate_chain_file(options.tls_cert->string(), error);
      if (error) return fail(Errc::unavailable, "cannot use " + options.tls_cert->string() + ": " + error.message());
      tls_->use_private_key_file(options.tls_key->string(), ssl::context::pem, error);
      if (error) return fail(Errc::unavailable, "cannot use " + options.tls_key->string() + ": " + error.message());
    }
    const tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
    acceptor_.open(endpoint.protocol(), error);
    if (!error) acceptor_.set_option(net::socket_base::reuse_address(true), error);
    if (!error) acceptor_.bind(endpoint, error);
    if (!error) acceptor_.listen(net::socket_base::max_listen_connections, error);
    if (error)
      return fail(Errc::unavailable, "cannot listen for the dashboard on " + options.listen + ": " + error.message());
    address_ = host + ":" + std::to_string(acceptor_.local_endpoint().port());
    hub_->start();
    accept();
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { context_.run(); });
    return ok();
  }

  const std::string& address() const { return address_; }
  bool secure() const { return tls_.has_value(); }

 private:
  void accept() {
    acceptor_.async_accept(net::make_strand(context_), [this](beast::error_code error, tcp::socket socket) {
      if (error) {
        if (error == net::error::operation_aborted) return;
        spdlog::warn("dashboard accept failed: {}", error.message());
      } else if (tls_) {
        std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
            beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(socket)), *tls_), api_, hub_, true)
            ->run();
      } else {
        std::make_shared<Session<beast::tcp_stream>>(beast::tcp_stream(std::move(socket)), api_, hub_, false)->run();
      }
      accept();
    });
  }

  const DashboardApi& api_;
  std::optional<ssl::context> tls_;  // before context_: outlives the connections that use it
  net::io_context context_;
  tcp::acceptor acceptor_;
  std::shared_ptr<LiveHub> hub_;
  std::vector<std::thread> threads_;
  std::string address_;
};

WebServer::WebServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WebServer::~WebServer() = default;

Result<std::unique_ptr<WebServer>> WebServer::start(const WebOptions& options, const DashboardApi& api,
                                                    ledger::CommitFeed& feed) {
  auto impl = std::make_unique<Impl>(api, feed);
  PLACEMENT_TRY(impl->open(options));
  return std::unique_ptr<WebServer>(new WebServer(std::move(impl)));
}

const std::string& WebServer::address() const { return impl_->address(); }

std::string WebServer::url() const { return (impl_->secure() ? "https://" : "http://") + impl_->address() + "/"; }

}  // namespace placement::web

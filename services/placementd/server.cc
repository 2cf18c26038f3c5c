#include "services/placementd/server.h"

#include <fstream>
#include <sstream>

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>
#include <spdlog/spdlog.h>

#include "services/placementd/audit_service.h"
#include "services/placementd/commit_feed.h"
#include "services/placementd/reference_data.h"
#include "storage/group_commit_writer.h"
#include "storage/rocksdb_event_log.h"

namespace placement::placementd {

Server::Server() = default;

Server::~Server() { shutdown(std::chrono::seconds(0)); }

Result<std::unique_ptr<Server>> Server::start(const Config& config) {
  std::unique_ptr<Server> server(new Server());

  auto log = storage::RocksDbEventLog::open(config.data_dir.string());
  if (!log) return outcome::failure(log.error());
  server->log_ = std::move(log).value();
  const auto head = server->log_->head();
  spdlog::info("opened data folder {} at log position {}", config.data_dir.string(), head.position.value);

  server->feed_ = std::make_unique<CommitFeed>(head.position);
  CommitFeed* feed = server->feed_.get();
  server->writer_ = std::make_unique<storage::GroupCommitWriter>(
      *server->log_, storage::GroupCommitWriter::Hooks{
                         .on_committed = [feed](std::span<const storage::LoggedEvent> events) {
                           if (!events.empty()) feed->publish(events.back().position());
                         },
                         .on_write_failed = [] { spdlog::error("a batch could not be written; its commands were refused"); },
                         .on_refused_after_prepare = {}});

  if (auto loaded = server->load_reference_data(config); !loaded) return outcome::failure(loaded.error());

  server->audit_ = std::make_unique<AuditServiceImpl>(*server->log_, *server->feed_);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int bound_port = 0;
  builder.AddListeningPort(config.listen, grpc::InsecureServerCredentials(), &bound_port);
  builder.RegisterService(server->audit_.get());
  server->grpc_ = builder.BuildAndStart();
  if (!server->grpc_ || bound_port == 0)
    return fail(Errc::unavailable, "cannot listen on " + config.listen + " (address in use or not local?)");
  server->address_ = config.listen.substr(0, config.listen.rfind(':')) + ":" + std::to_string(bound_port);
  server->grpc_->GetHealthCheckService()->SetServingStatus(true);
  return server;
}

Status Server::load_reference_data(const Config& config) {
  auto version = log_->stream_version(std::string(kReferenceStream));
  if (!version) return outcome::failure(version.error());
  if (version.value().value > 0) return ok();  // loaded once, at first start

  std::string csv;
  if (config.reference_data) {
    std::ifstream in(*config.reference_data, std::ios::binary);
    if (!in) return fail(Errc::invalid_argument, "cannot read reference data " + config.reference_data->string());
    std::ostringstream text;
    text << in.rdbuf();
    csv = text.str();
  } else {
    csv = std::string(builtin_municipalities_csv());
  }
  auto rows = parse_municipalities_csv(csv);
  if (!rows) return outcome::failure(rows.error());
  auto appended = writer_->append(reference_data_request(rows.value(), csv));
  if (!appended) return outcome::failure(appended.error());
  spdlog::info("loaded reference data: 5 regions, {} municipalities (positions {}..{})", rows.value().size(),
               appended.value().first.value, appended.value().last.value);
  return ok();
}

void Server::shutdown(std::chrono::seconds grace) {
  if (stopped_) return;
  stopped_ = true;
  if (grpc_) {
    grpc_->GetHealthCheckService()->SetServingStatus(false);
    // Followers of the live tail end cleanly instead of holding shutdown until the deadline.
    feed_->close();
    grpc_->Shutdown(std::chrono::system_clock::now() + grace);
    grpc_->Wait();
    spdlog::debug("gRPC calls drained");
  }
  if (writer_) writer_->stop();  // every job submitted before this point is written and answered
  audit_.reset();
  writer_.reset();
  feed_.reset();
  log_.reset();  // closes RocksDB
}

}  // namespace placement::placementd

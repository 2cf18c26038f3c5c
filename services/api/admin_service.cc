#include "services/api/admin_service.h"

#include <filesystem>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "services/api/caller.h"
#include "services/api/command_call.h"
#include "services/api/grpc_status.h"
#include "services/api/request_screen.h"
#include "storage/backup.h"

namespace placement::api {

AdminServiceImpl::~AdminServiceImpl() { backups_.join(); }

grpc::ServerUnaryReactor* AdminServiceImpl::CreateBackup(grpc::CallbackServerContext* context,
                                                         const v1::CreateBackupRequest* request,
                                                         v1::CreateBackupResponse* response) {
  auto* reactor = context->DefaultReactor();
  auto caller = authenticator_.authorized_caller(*context, Rpc::create_backup, *request);
  if (!caller) {
    reactor->Finish(to_grpc_status(caller.error()));
    return reactor;
  }
  if (!backup_root_) {
    reactor->Finish(grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                                 "backups are off: start placementd with --backup-root FOLDER"));
    return reactor;
  }
  // The part below the configured root is the caller's choice, logged and kept as folder names: held
  // to the CPR screen like every string of a write (the root itself is the operator's, and a random
  // temporary folder's digits may look like one).
  auto folder = backup_root_->resolve(request->destination());
  if (folder) {
    v1::CreateBackupRequest chosen;
    chosen.set_destination(folder.value().lexically_relative(backup_root_->path()).string());
    if (auto clean = refuse_cpr_numbers(chosen, ledger_); !clean) folder = outcome::failure(clean.error());
  }
  if (folder) folder = backup_root_->create(folder.value());
  if (!folder) {
    reactor->Finish(to_grpc_status(folder.error()));
    return reactor;
  }
  const std::filesystem::path destination = folder.value();
  boost::asio::post(backups_, [this, reactor, response, destination, subject = caller.value().subject()] {
    const auto head = log_.head().position.value;
    auto backup = storage::create_backup(log_, destination.string());
    if (!backup) {
      spdlog::error("backup into {} by {} failed: {}", destination.string(), subject, backup.error().message);
      reactor->Finish(to_grpc_status(backup.error()));
      return;
    }
    response->set_backup_id(backup.value().backup_id);
    response->set_size_bytes(backup.value().size_bytes);
    response->set_files(backup.value().files);
    response->set_position_at_start(head);
    spdlog::info("backup {} into {} by {}: {} bytes, log position ≥ {}", backup.value().backup_id, destination.string(),
                 subject, backup.value().size_bytes, head);
    reactor->Finish(grpc::Status::OK);
  });
  return reactor;
}

grpc::ServerUnaryReactor* AdminServiceImpl::EraseCitizen(grpc::CallbackServerContext* context,
                                                         const v1::EraseCitizenRequest* request,
                                                         v1::EraseCitizenResponse* response) {
  auto* reactor = context->DefaultReactor();
  if (auto gave_up = caller_gave_up(*context)) {
    reactor->Finish(*gave_up);
    return reactor;
  }
  auto caller = authenticator_.authorized_caller(*context, Rpc::erase_citizen, *request);
  if (!caller) {
    reactor->Finish(to_grpc_status(caller.error()));
    return reactor;
  }
  if (auto clean = refuse_cpr_numbers(*request, ledger_); !clean) {
    reactor->Finish(to_grpc_status(clean.error()));
    return reactor;
  }
  erasure_.erase(caller.value(), *request, [reactor, response](Result<privacy::ErasedCitizen> erased) {
    if (!erased) return reactor->Finish(to_grpc_status(erased.error()));
    fill_result(erased.value().outcome, response->mutable_result());
    response->set_citizen_id(erased.value().citizen_id);
    reactor->Finish(grpc::Status::OK);
  });
  return reactor;
}

}  // namespace placement::api

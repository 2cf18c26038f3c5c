#pragma once
// AdminService: operations on the service itself. Backups run one at a time on their own thread,
// so a long copy never holds a gRPC thread, and only into folders below the configured backup root. Erasing a citizen is citizen_erasure.h's.

#include <optional>

#include <boost/asio/thread_pool.hpp>

#include "placement/v1/admin_service.grpc.pb.h"
#include "services/api/caller.h"
#include "services/files/backup_root.h"
#include "services/privacy/citizen_erasure.h"
#include "storage/rocksdb_event_log.h"

namespace placement::api {

class AdminServiceImpl final : public v1::AdminService::CallbackService {
 public:
  AdminServiceImpl(storage::RocksDbEventLog& log, const ledger::Ledger& ledger, const Authenticator& authenticator,
                   privacy::CitizenErasure& erasure, std::optional<files::BackupRoot> backup_root)
      : log_(log),
        ledger_(ledger),
        authenticator_(authenticator),
        erasure_(erasure),
        backup_root_(std::move(backup_root)) {}
  ~AdminServiceImpl() override;

  grpc::ServerUnaryReactor* CreateBackup(grpc::CallbackServerContext* context, const v1::CreateBackupRequest* request,
                                         v1::CreateBackupResponse* response) override;
  grpc::ServerUnaryReactor* EraseCitizen(grpc::CallbackServerContext* context, const v1::EraseCitizenRequest* request,
                                         v1::EraseCitizenResponse* response) override;

 private:
  storage::RocksDbEventLog& log_;
  const ledger::Ledger& ledger_;  // for the CPR screen's references to existing placements
  const Authenticator& authenticator_;
  privacy::CitizenErasure& erasure_;
  std::optional<files::BackupRoot> backup_root_;  // none: backups are refused
  boost::asio::thread_pool backups_{1};
};

}  // namespace placement::api

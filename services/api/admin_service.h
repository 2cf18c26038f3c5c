#pragma once
// AdminService: operations on the service itself. Backups and revocations (which sync a file)
// run one at a time on their own thread, so neither holds a gRPC thread; backups go only into
// folders below the configured backup root. Erasing a citizen is citizen_erasure.h's; the revoked
// tokens are auth::RevokedTokens.

#include <optional>

#include <boost/asio/thread_pool.hpp>

#include "placement/v1/admin_service.grpc.pb.h"
#include "services/api/caller.h"
#include "services/auth/revoked_tokens.h"
#include "services/files/backup_root.h"
#include "services/privacy/citizen_erasure.h"
#include "storage/rocksdb_event_log.h"

namespace placement::api {

class AdminServiceImpl final : public v1::AdminService::CallbackService {
 public:
  AdminServiceImpl(storage::RocksDbEventLog& log, const ledger::Ledger& ledger, const Authenticator& authenticator,
                   privacy::CitizenErasure& erasure, auth::RevokedTokens& revoked, const Clock& clock,
                   std::optional<files::BackupRoot> backup_root)
      : log_(log),
        ledger_(ledger),
        authenticator_(authenticator),
        erasure_(erasure),
        revoked_(revoked),
        clock_(clock),
        backup_root_(std::move(backup_root)) {}
  ~AdminServiceImpl() override;

  grpc::ServerUnaryReactor* CreateBackup(grpc::CallbackServerContext* context, const v1::CreateBackupRequest* request,
                                         v1::CreateBackupResponse* response) override;
  grpc::ServerUnaryReactor* EraseCitizen(grpc::CallbackServerContext* context, const v1::EraseCitizenRequest* request,
                                         v1::EraseCitizenResponse* response) override;
  grpc::ServerUnaryReactor* RevokeToken(grpc::CallbackServerContext* context, const v1::RevokeTokenRequest* request,
                                        v1::RevokeTokenResponse* response) override;

 private:
  storage::RocksDbEventLog& log_;
  const ledger::Ledger& ledger_;  // for the CPR screen's references to existing placements
  const Authenticator& authenticator_;
  privacy::CitizenErasure& erasure_;
  auth::RevokedTokens& revoked_;
  const Clock& clock_;
  std::optional<files::BackupRoot> backup_root_;  // none: backups are refused
  boost::asio::thread_pool backups_{1};
};

}  // namespace placement::api

#pragma once
// AdminService: operations on the service itself. Backups run one at a time on their own thread,
// so a long copy never holds a gRPC thread.

#include <boost/asio/thread_pool.hpp>

#include "placement/v1/admin_service.grpc.pb.h"
#include "storage/rocksdb_event_log.h"

namespace placement::placementd {

class AdminServiceImpl final : public v1::AdminService::CallbackService {
 public:
  explicit AdminServiceImpl(storage::RocksDbEventLog& log) : log_(log) {}
  ~AdminServiceImpl() override;

  grpc::ServerUnaryReactor* CreateBackup(grpc::CallbackServerContext* context, const v1::CreateBackupRequest* request,
                                         v1::CreateBackupResponse* response) override;

 private:
  storage::RocksDbEventLog& log_;
  boost::asio::thread_pool backups_{1};
};

}  // namespace placement::placementd

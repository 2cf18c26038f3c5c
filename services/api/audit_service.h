#pragma once
// AuditService: the auditor's read access to the whole log (streaming, live tail, chain
// verification). Reads go to the log directly and never wait for the writer.

#include <boost/asio/thread_pool.hpp>

#include "placement/v1/audit_service.grpc.pb.h"
#include "services/api/caller.h"
#include "services/api/limits.h"
#include "services/api/stream_slots.h"
#include "services/ledger/commit_feed.h"
#include "storage/event_log.h"

namespace placement::api {

class AuditServiceImpl final : public v1::AuditService::CallbackService {
 public:
  AuditServiceImpl(const storage::EventLog& log, ledger::CommitFeed& feed, const Authenticator& authenticator,
                   StreamLimits limits = {});

  grpc::ServerWriteReactor<v1::StoredEvent>* StreamEvents(grpc::CallbackServerContext* context,
                                                          const v1::StreamEventsRequest* request) override;
  grpc::ServerUnaryReactor* VerifyChain(grpc::CallbackServerContext* context, const v1::VerifyChainRequest* request,
                                        v1::VerifyChainResponse* response) override;
  grpc::ServerUnaryReactor* GetHead(grpc::CallbackServerContext* context, const v1::GetHeadRequest* request,
                                    v1::GetHeadResponse* response) override;

 private:
  const storage::EventLog& log_;
  ledger::CommitFeed& feed_;
  const Authenticator& authenticator_;
  StreamLimits limits_;
  StreamSlots slots_;
  // Runs the streams' maximum-duration timers; never the writer's or gRPC's threads.
  boost::asio::thread_pool timers_{1};
};

}  // namespace placement::api

#pragma once
// AuditService: the auditor's read access to the whole log (streaming, live tail, chain
// verification). Reads go to the log directly and never wait for the writer.

#include "placement/v1/audit_service.grpc.pb.h"
#include "services/placementd/commit_feed.h"
#include "storage/event_log.h"

namespace placement::placementd {

struct StreamLimits {
  std::size_t read_chunk = 256;  // events read from the log per step of a stream
};

class AuditServiceImpl final : public v1::AuditService::CallbackService {
 public:
  AuditServiceImpl(const storage::EventLog& log, CommitFeed& feed, StreamLimits limits = {});

  grpc::ServerWriteReactor<v1::StoredEvent>* StreamEvents(grpc::CallbackServerContext* context,
                                                          const v1::StreamEventsRequest* request) override;
  grpc::ServerUnaryReactor* VerifyChain(grpc::CallbackServerContext* context, const v1::VerifyChainRequest* request,
                                        v1::VerifyChainResponse* response) override;
  grpc::ServerUnaryReactor* GetHead(grpc::CallbackServerContext* context, const v1::GetHeadRequest* request,
                                    v1::GetHeadResponse* response) override;

 private:
  const storage::EventLog& log_;
  CommitFeed& feed_;
  StreamLimits limits_;
};

}  // namespace placement::placementd

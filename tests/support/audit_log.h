#pragma once
// Reads a server's whole log over AuditService, as an auditor.

#include <memory>
#include <vector>

#include <grpcpp/channel.h>
#include <gtest/gtest.h>

#include "placement/v1/audit_service.grpc.pb.h"
#include "tests/support/grpc_client.h"

namespace placement::testing {

inline std::vector<v1::StoredEvent> read_log(const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = v1::AuditService::NewStub(channel);
  auto context = as_auditor();
  auto reader = stub->StreamEvents(context.get(), v1::StreamEventsRequest());
  std::vector<v1::StoredEvent> events;
  v1::StoredEvent event;
  while (reader->Read(&event)) events.push_back(event);
  EXPECT_TRUE(reader->Finish().ok());
  return events;
}

}  // namespace placement::testing

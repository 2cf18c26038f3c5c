#include "storage/etcd_status.h"

#include <string>

namespace placement::storage {

bool etcd_member_cannot_answer(const grpc::Status& status) {
  // etcd answers UNAVAILABLE for "no leader", "leader changed", "request timed out", "server
  // stopped" and "unhealthy cluster" (etcdserver/api/v3rpc/rpctypes); gRPC for a member it cannot
  // reach; DEADLINE_EXCEEDED for one that does not answer (paused, partitioned, overloaded).
  return status.error_code() == grpc::StatusCode::UNAVAILABLE ||
         status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED;
}

Error from_etcd(const grpc::Status& status, std::string_view what) {
  std::string message = std::string(what) + ": " + status.error_message();
  if (etcd_member_cannot_answer(status)) return Error{Errc::unavailable, std::move(message)};
  // etcd with authentication enabled, asked without a user: a setting to fix, not a bad request.
  if (status.error_message().find("user name is empty") != std::string::npos)
    return Error{Errc::unavailable,
                 message + " (etcd has authentication enabled: give --etcd-user and --etcd-password-file)"};
  switch (status.error_code()) {
    case grpc::StatusCode::RESOURCE_EXHAUSTED:  // "mvcc: database space exceeded"
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::FAILED_PRECONDITION:  // e.g. "authentication is not enabled"
      return Error{Errc::unavailable, std::move(message)};
    case grpc::StatusCode::OUT_OF_RANGE:  // "mvcc: required revision has been compacted"
      return Error{Errc::out_of_range, std::move(message)};
    case grpc::StatusCode::INVALID_ARGUMENT:  // "too many operations in txn request", "request is too large"
      return Error{Errc::invalid_argument, std::move(message)};
    case grpc::StatusCode::DATA_LOSS: return Error{Errc::data_loss, std::move(message)};
    default: return Error{Errc::internal, std::move(message)};
  }
}

}  // namespace placement::storage

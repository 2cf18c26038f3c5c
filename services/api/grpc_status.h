#pragma once
// The one place where our error codes become gRPC status codes.

#include <grpcpp/support/status.h>

#include "services/base/result.h"

namespace placement::api {

grpc::Status to_grpc_status(const Error& error);

}  // namespace placement::api

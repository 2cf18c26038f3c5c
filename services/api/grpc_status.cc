#include "services/api/grpc_status.h"

namespace placement::api {

grpc::Status to_grpc_status(const Error& error) {
  grpc::StatusCode code = grpc::StatusCode::INTERNAL;
  switch (error.code) {
    case Errc::invalid_argument: code = grpc::StatusCode::INVALID_ARGUMENT; break;
    case Errc::failed_precondition: code = grpc::StatusCode::FAILED_PRECONDITION; break;
    case Errc::conflict: code = grpc::StatusCode::ABORTED; break;
    case Errc::already_exists: code = grpc::StatusCode::ALREADY_EXISTS; break;
    case Errc::not_found: code = grpc::StatusCode::NOT_FOUND; break;
    case Errc::permission_denied: code = grpc::StatusCode::PERMISSION_DENIED; break;
    case Errc::unauthenticated: code = grpc::StatusCode::UNAUTHENTICATED; break;
    case Errc::unavailable: code = grpc::StatusCode::UNAVAILABLE; break;
    case Errc::internal: code = grpc::StatusCode::INTERNAL; break;
    case Errc::data_loss: code = grpc::StatusCode::DATA_LOSS; break;
    case Errc::deadline_exceeded: code = grpc::StatusCode::DEADLINE_EXCEEDED; break;
    case Errc::out_of_range: code = grpc::StatusCode::OUT_OF_RANGE; break;
  }
  return grpc::Status(code, error.message);
}

}  // namespace placement::api

#pragma once
// The gRPC port's transport: TLS from the configured certificate and key, mutual TLS when a
// client CA is configured, plaintext otherwise (config.cc allows that only on loopback or with
// --insecure). Authentication of the caller is separate: every call needs a bearer token either way.

#include <memory>

#include <grpcpp/security/server_credentials.h>

#include "services/base/result.h"
#include "services/placementd/config.h"

namespace placement::placementd {

// Reads the PEM files; unavailable when one cannot be read, invalid_argument when one is empty.
Result<std::shared_ptr<grpc::ServerCredentials>> server_credentials(const Config& config);

}  // namespace placement::placementd

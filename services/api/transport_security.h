#pragma once
// The gRPC port's transport: TLS from the configured certificate and key, mutual TLS when a
// client CA is configured, plaintext otherwise (config.cc allows that only on loopback or with
// --insecure). Authentication of the caller is separate: every call needs a bearer token either way.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <grpcpp/security/server_credentials.h>

#include "services/base/result.h"

namespace placement::api {

// The PEM files of the port's TLS; none: plaintext. cert and key come together.
struct TlsFiles {
  std::optional<std::filesystem::path> cert;
  std::optional<std::filesystem::path> key;
  std::optional<std::filesystem::path> client_ca;  // when set, clients must present a certificate it signed
};

// Reads the PEM files; unavailable when one cannot be read, invalid_argument when one is not PEM.
// `listen` and `loopback` only word the log line.
Result<std::shared_ptr<grpc::ServerCredentials>> server_credentials(const TlsFiles& tls, const std::string& listen,
                                                                    bool loopback);

}  // namespace placement::api

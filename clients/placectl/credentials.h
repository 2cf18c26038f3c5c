#pragma once
// How placectl proves who it is and protects the link: the bearer token sent with every call
// (given with --token, or minted here with the server's secret for --as on the server's own
// machine), and the channel credentials (TLS with --tls-ca, mutual TLS with --tls-cert/--tls-key).
// Problems are UsageErrors (exit 2): nothing was sent.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <grpcpp/security/credentials.h>

#include "clients/placectl/cli.h"

namespace placement::placectl {

// Tokens minted for --as live this long: one run of placectl, with room for a slow stream start.
inline constexpr std::chrono::minutes kAsTokenLifetime{10};

// Plaintext, or TLS when --tls-ca or --tls-cert is given; reads the PEM files.
std::shared_ptr<grpc::ChannelCredentials> channel_credentials(const Globals& globals);

// The token of this run: --token, or one minted for --as/--subject/--municipality.
std::string bearer_token(const Globals& globals);

// A token for any identity, signed with the first secret of `secret_file`.
std::string mint_token(const std::string& secret_file, const std::string& role, const std::string& subject,
                       std::uint32_t municipality, std::chrono::seconds lifetime, std::uint32_t operator_code = 0);

}  // namespace placement::placectl

#pragma once
// Bearer tokens for tests: one random token secret per test process, written beside each test
// server's data folder (ServerProcess) and used to sign the tokens of grpc_client.h's helpers.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include "services/auth/claims.h"

namespace placement::testing {

// This process's token secret, as a line of a token secret file (64 hex digits).
const std::string& test_token_secret_line();

// Writes a token secret file (mode 0600) holding `lines` (default: this process's secret).
void write_token_secret_file(const std::filesystem::path& path, const std::string& lines = test_token_secret_line());

// A token for the identity, signed with this process's secret: sub, role, aud, iat, exp, and the
// scope when not 0: the `operator` claim for the role "operator", the `municipality` claim for any
// other. Made with libjwt directly, not the issuer, so a test can also send an identity the server
// must refuse (a caseworker without municipality, a planner naming one, an unknown role).
std::string token_for(const std::string& role, std::uint32_t scope, const std::string& subject,
                      std::chrono::seconds lifetime = std::chrono::hours(1));

// A token with exactly these claims, signed with the first secret of `secret_lines` (default: this
// process's). Aborts when the issuer refuses the claims.
std::string token_with(const auth::Claims& claims, const std::string& secret_lines = test_token_secret_line());

}  // namespace placement::testing

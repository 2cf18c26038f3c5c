#pragma once
// Who a benchmark client calls placementd as, and the one place that knows how a caller proves it:
// a bearer token (JWT) minted with the server's token secret file (services/auth), sent as
// `authorization: Bearer …`, as placectl does on the server's own machine. Every benchmark call
// goes through attach_credentials, so a change of the scheme is a change here only.

#include <chrono>
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>

#include <grpcpp/client_context.h>

#include "services/auth/token_issuer.h"
#include "services/auth/token_secrets.h"

namespace placement::bench {

struct BenchCaller {
  auth::Role role = auth::Role::admin;
  std::uint32_t municipality = 0;  // caseworkers and finance only
  std::string subject;
  std::string token;                // filled by mint()
  std::uint32_t operator_code = 0;  // operators only

  static BenchCaller admin() { return {auth::Role::admin, 0, "bench-admin", {}}; }
  static BenchCaller planner() { return {auth::Role::planner, 0, "bench-planner", {}}; }
  static BenchCaller caseworker(std::uint32_t code) {
    return {auth::Role::caseworker, code, "bench-caseworker-" + std::to_string(code), {}};
  }
  static BenchCaller offer_operator(std::uint32_t code) {
    return {auth::Role::offer_operator, 0, "bench-operator-" + std::to_string(code), {}, code};
  }

  // Signs a token for this caller with the first secret of the server's secret file, valid for a
  // day (longer than any run). Prints why and returns false when it cannot.
  bool mint(const std::string& secret_file) {
    auto secrets = auth::TokenSecrets::from_file(secret_file, /*create_if_missing=*/false);
    if (!secrets) {
      std::cerr << "cannot read the token secret file " << secret_file << ": " << secrets.error().message << "\n";
      return false;
    }
    const auto now = std::chrono::system_clock::now();
    auto issued = auth::issue_token(auth::Claims{.subject = subject,
                                                 .role = role,
                                                 .municipality = municipality,
                                                 .operator_code = operator_code,
                                                 .issued_at = now - std::chrono::seconds(5),
                                                 .expires_at = now + std::chrono::hours(24)},
                                    secrets.value().signing());
    if (!issued) {
      std::cerr << "cannot mint a token for " << subject << ": " << issued.error().message << "\n";
      return false;
    }
    token = std::move(issued).value();
    return true;
  }
};

inline void attach_credentials(grpc::ClientContext& context, const BenchCaller& caller) {
  context.AddMetadata("authorization", "Bearer " + caller.token);
}

}  // namespace placement::bench

#pragma once
// Client-side helpers for integration tests: who the call is made as (a bearer token signed with
// the test process's secret, which ServerProcess gives every test server), and short deadlines so
// a hung server fails a test instead of hanging it.

#include <chrono>
#include <memory>
#include <string>

#include <grpcpp/client_context.h>

#include "tests/support/test_tokens.h"

namespace placement::testing {

inline std::unique_ptr<grpc::ClientContext> as(const std::string& role, std::uint32_t municipality = 0,
                                               const std::string& subject = "tester") {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", "Bearer " + token_for(role, municipality, subject));
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return context;
}

inline std::unique_ptr<grpc::ClientContext> as_admin() { return as("admin", 0, "admin-1"); }
inline std::unique_ptr<grpc::ClientContext> as_auditor() { return as("auditor", 0, "auditor-1"); }
inline std::unique_ptr<grpc::ClientContext> as_caseworker(std::uint32_t municipality) {
  return as("caseworker", municipality, "caseworker-" + std::to_string(municipality));
}

}  // namespace placement::testing

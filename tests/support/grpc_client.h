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

// `scope` is the operator code for the role "operator", the municipality code for any other role.
inline std::unique_ptr<grpc::ClientContext> as(const std::string& role, std::uint32_t scope = 0,
                                               const std::string& subject = "tester") {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", "Bearer " + token_for(role, scope, subject));
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return context;
}

inline std::unique_ptr<grpc::ClientContext> as_admin() { return as("admin", 0, "admin-1"); }
inline std::unique_ptr<grpc::ClientContext> as_auditor() { return as("auditor", 0, "auditor-1"); }
inline std::unique_ptr<grpc::ClientContext> as_planner() { return as("planner", 0, "planner-1"); }
inline std::unique_ptr<grpc::ClientContext> as_caseworker(std::uint32_t municipality) {
  return as("caseworker", municipality, "caseworker-" + std::to_string(municipality));
}
inline std::unique_ptr<grpc::ClientContext> as_finance(std::uint32_t municipality) {
  return as("finance", municipality, "finance-" + std::to_string(municipality));
}
// The operator of offers (a region 1081..1085 or a municipality code); tests' offers default to 1084.
inline std::unique_ptr<grpc::ClientContext> as_operator(std::uint32_t operator_code = 1084) {
  return as("operator", operator_code, "operator-" + std::to_string(operator_code));
}
// The operator a RegisterOfferRequest names, so a test registers the offer as its own operator.
template <class Request> std::unique_ptr<grpc::ClientContext> as_operator_of(const Request& request) {
  return as_operator(request.operator_code());
}

}  // namespace placement::testing

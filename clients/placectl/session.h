#pragma once
// One run of placectl: the channel to placementd, who the calls are made as, where output goes,
// and how a failed call becomes an exit code.

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "clients/placectl/cli.h"
#include "clients/placectl/output.h"
#include "placement/v1/audit_service.grpc.pb.h"
#include "placement/v1/offer_service.grpc.pb.h"
#include "placement/v1/placement_service.grpc.pb.h"

namespace placement::placectl {

class Session {
 public:
  explicit Session(Globals globals, std::ostream& out = std::cout, std::ostream& err = std::cerr);

  const Globals& globals() const { return globals_; }
  Output& out() { return output_; }
  std::ostream& stdout_stream() { return out_; }
  std::ostream& err() { return err_; }

  // Sets the caller's municipality when neither --municipality nor the environment named one
  // (a caseworker requesting for a citizen acts for the paying municipality).
  void default_municipality(const std::string& code);
  // Sets the caller's operator code when neither the global --operator nor the environment named
  // one (an operator registering an offer registers it as its own).
  void default_operator(const std::string& code);

  // A context carrying the caller's bearer token; with a deadline of --timeout unless streaming.
  // Throws UsageError when there is no token and none can be minted (bearer_token()).
  std::unique_ptr<grpc::ClientContext> context(bool streaming = false) const;
  // The same, carrying another token (the demo acts as several people).
  std::unique_ptr<grpc::ClientContext> context_with_token(const std::string& token, bool streaming = false) const;

  // The one channel of this run, with its TLS credentials, for every stub.
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }

  v1::OfferService::Stub& offers();
  v1::PlacementService::Stub& placements();
  v1::AuditService::Stub& audit();

  // --command-id, or a new random id shaped like a UUID (version 4).
  std::string command_id() const;

  // Text that must never be printed (the CPR numbers of this run); replaced by "[redacted]" in
  // anything placectl writes about a failed call.
  void keep_secret(std::string text) { secrets_.push_back(std::move(text)); }

  // Prints why a call failed on stderr and returns the exit code: 4 when the server could not be
  // reached, 1 for any answer that refuses.
  int failed(const std::string& what, const grpc::Status& status);

 private:
  Globals globals_;
  std::ostream& out_;
  std::ostream& err_;
  Output output_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::OfferService::Stub> offers_;
  std::unique_ptr<v1::PlacementService::Stub> placements_;
  std::unique_ptr<v1::AuditService::Stub> audit_;
  std::vector<std::string> secrets_;
  mutable std::optional<std::string> bearer_;  // this run's token, made on first use
};

// The gRPC status code's name, e.g. "FAILED_PRECONDITION".
std::string status_code_name(grpc::StatusCode code);

}  // namespace placement::placectl

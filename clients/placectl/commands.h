#pragma once
// The command groups; each file registers its commands with their help and examples.

#include <string>
#include <vector>

#include <grpcpp/support/status.h>

#include "clients/placectl/cli.h"

namespace placement::placectl {

std::vector<CommandSpec> placement_commands();  // placement_commands.cc: caseworkers
std::vector<CommandSpec> offer_commands();      // offer_commands.cc: operator admins
std::vector<CommandSpec> audit_commands();      // audit_commands.cc: auditors
std::vector<CommandSpec> proof_commands();      // proof_commands.cc: auditors (checkpoints, proofs, receipts)
std::vector<CommandSpec> demo_commands();       // demo_commands.cc: everyone (a demo scenario)
std::vector<CommandSpec>
planning_view_commands();                       // planning_view_commands.cc: planners (capacity, occupancy, waiting)
std::vector<CommandSpec> financing_commands();  // financing_commands.cc: planners (financing, what-if, settlement)
std::vector<CommandSpec> planning_admin_commands();  // planning_admin_commands.cc: admins (planning inputs)
std::vector<CommandSpec> replay_commands();          // planning_view_commands.cc: auditors (audit replay)
std::vector<CommandSpec> token_commands();           // token_commands.cc: operators (token issue), offline
std::vector<CommandSpec> organisation_commands();    // organisation_commands.cc: everyone (regions), admins (changes)

}  // namespace placement::placectl

#include "clients/placectl/output.h"
#include "placement/v1/common.pb.h"
#include "placement/v1/placement_service.pb.h"

namespace placement::placectl {

class Session;

// Shared by the placement commands of caseworkers and of operator admins (allocate, reject).
Record placement_record(const v1::Placement& placement);
// Appends the log positions a command wrote and whether it was a retry.
void add_command_result(Record& record, const v1::CommandResult& result);
// Prints the placement and the command result, or the refusal; returns the exit code.
int print_placement_answer(Session& session, const std::string& what, const grpc::Status& status,
                           const v1::PlacementResponse& response);

}  // namespace placement::placectl

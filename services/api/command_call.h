#pragma once
// The shape every command RPC shares: who is calling (the verified token), may they, is the request well formed
// (no CPR number in any field, a valid command id), then decide and write through the ledger, and answer once the
// events are durable.

#include <chrono>
#include <optional>

#include <grpcpp/support/server_callback.h>
#include <spdlog/spdlog.h>

#include "services/api/caller.h"
#include "services/api/grpc_status.h"
#include "services/api/request_screen.h"
#include "services/codec/api_mapping.h"
#include "services/codec/organisation_mapping.h"
#include "services/codec/planning_mapping.h"
#include "services/ledger/ledger.h"

namespace placement::api {

// Answers a unary call at once with `status` (a read, or a refusal before anything was queued).
inline grpc::ServerUnaryReactor* finish(grpc::CallbackServerContext* context, const grpc::Status& status) {
  auto* reactor = context->DefaultReactor();
  reactor->Finish(status);
  return reactor;
}

// Work for a call the client has given up on (deadline passed, or cancelled) is not started:
// nobody would get its answer, and a retry must not find it half done by a call it never saw end.
inline std::optional<grpc::Status> caller_gave_up(const grpc::CallbackServerContext& context) {
  if (context.IsCancelled())
    return grpc::Status(grpc::StatusCode::CANCELLED, "the call was cancelled; nothing was done");
  if (context.deadline() <= std::chrono::system_clock::now())
    return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                        "the call's deadline passed before it started; nothing was done");
  return std::nullopt;
}

// `request`: the call's message (its command_id, and every string screened for CPR numbers).
// make_body(actor) → Result<domain::CommandBody>: authorization that needs the state, and mapping.
// respond(outcome) fills the response; it runs after the published state includes the events.
// refused(error) learns of a command the ledger refused (or failed to write) after make_body made it.
struct IgnoreRefusal {
  void operator()(const Error&) const {}
};
template <class Request, class MakeBody, class Respond, class Refused = IgnoreRefusal>
grpc::ServerUnaryReactor* command_call(grpc::CallbackServerContext* context, const Authenticator& authenticator,
                                       ledger::Ledger& ledger, Rpc rpc, const Request& request, MakeBody&& make_body,
                                       Respond&& respond, Refused refused = {}) {
  const std::string& command_id = request.command_id();
  auto* reactor = context->DefaultReactor();
  auto refuse = [&](const Error& error) {
    reactor->Finish(to_grpc_status(error));
    return reactor;
  };
  if (auto gave_up = caller_gave_up(*context)) {
    reactor->Finish(*gave_up);
    return reactor;
  }
  auto caller = authenticator.authorized_caller(*context, rpc, request);
  if (!caller) return refuse(caller.error());
  if (auto clean = refuse_cpr_numbers(request, ledger); !clean) return refuse(clean.error());
  if (auto valid = codec::validate_command_id(command_id); !valid) return refuse(valid.error());
  auto body = make_body(caller.value());
  if (!body) return refuse(body.error());
  ledger.execute(
      caller.value(), command_id, std::move(body).value(),
      [reactor, command_id, respond = std::forward<Respond>(respond),
       refused = std::move(refused)](Result<ledger::CommandOutcome> outcome) {
        if (!outcome) {
          refused(outcome.error());
          spdlog::info("command {} refused: {}", command_id, outcome.error().message);
          reactor->Finish(to_grpc_status(outcome.error()));
          return;
        }
        respond(outcome.value());
        reactor->Finish(grpc::Status::OK);
      },
      context->deadline());
  return reactor;
}

inline void fill_result(const ledger::CommandOutcome& outcome, v1::CommandResult* result) {
  result->set_first_position(outcome.first.value);
  result->set_last_position(outcome.last.value);
  result->set_duplicate(outcome.duplicate);
}

template <class Command> Result<domain::CommandBody> as_body(Result<Command> command) {
  PLACEMENT_TRY(mapped, std::move(command));
  return domain::CommandBody{std::move(mapped)};
}

// The common shape: the request maps to its command (codec::to_command) without the state, and the
// answer is the command's positions.
template <class Request>
grpc::ServerUnaryReactor* mapped_command_call(grpc::CallbackServerContext* context, const Authenticator& authenticator,
                                              ledger::Ledger& ledger, Rpc rpc, const Request& request,
                                              v1::CommandResult* response) {
  return command_call(
      context, authenticator, ledger, rpc, request,
      [&request](const v1::Actor&) { return as_body(codec::to_command(request)); },
      [response](const ledger::CommandOutcome& outcome) { fill_result(outcome, response); });
}

}  // namespace placement::api

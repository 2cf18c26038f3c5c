#include "services/api/proof_service.h"

#include "services/api/grpc_status.h"
#include "services/api/planning_queries.h"
#include "services/codec/cpr_screen.h"
#include "services/codec/planning_mapping.h"
#include "services/codec/vocabulary_codec.h"
#include "services/domain/events.h"

namespace placement::api {
namespace {

constexpr const char* kReceiptFormat = "placement-receipt/1";

// Authenticate, authorize, answer: compute() → Status fills the response.
template <class Compute>
grpc::ServerUnaryReactor* proof_call(grpc::CallbackServerContext* context, const Authenticator& authenticator, Rpc rpc,
                                     const google::protobuf::Message& request, Compute&& compute) {
  auto* reactor = context->DefaultReactor();
  Status status = ok();
  if (auto caller = authenticator.authorized_caller(*context, rpc, request); !caller)
    status = outcome::failure(caller.error());
  else status = compute();
  reactor->Finish(status ? grpc::Status::OK : to_grpc_status(status.error()));
  return reactor;
}

}  // namespace

Status ProofServiceImpl::fill_checkpoint(const storage::StoredCheckpoint& stored, v1::CheckpointResponse& out) const {
  PLACEMENT_TRY(note, transparency::parse_note(stored.note));
  PLACEMENT_TRY(checkpoint, transparency::parse_checkpoint_body(note.text));
  out.set_tree_size(stored.tree_size);
  out.set_root_hash(checkpoint.root_hash);
  out.set_note(stored.note);
  out.set_log_key(transparency::format_verifier_key(checkpointer_.log_key()));
  for (const auto& witness : checkpointer_.witnesses())
    out.add_witness_keys(transparency::format_verifier_key(witness));
  return ok();
}

Result<std::uint64_t> ProofServiceImpl::tree_size_of(std::uint64_t asked) const {
  if (asked == 0) {
    PLACEMENT_TRY(latest, checkpoints_.latest_checkpoint());
    if (!latest) return fail(Errc::not_found, "no checkpoint is stored yet (ProofService.CreateCheckpoint makes one)");
    return latest->tree_size;
  }
  const std::uint64_t head = log_.head().position.value;
  if (asked > head)
    return fail(Errc::out_of_range, "tree size " + std::to_string(asked) + " is beyond the log's head: it has " +
                                        std::to_string(head) + " events");
  return asked;
}

Result<storage::StoredCheckpoint> ProofServiceImpl::stored_checkpoint(std::uint64_t asked) const {
  PLACEMENT_TRY(size, tree_size_of(asked));
  PLACEMENT_TRY(stored, checkpoints_.checkpoint_at(size));
  if (!stored) return fail(Errc::not_found, "no checkpoint is stored for tree size " + std::to_string(size));
  return std::move(*stored);
}

Status ProofServiceImpl::start_receipt(std::uint64_t asked, v1::Receipt& receipt) const {
  PLACEMENT_TRY(stored, stored_checkpoint(asked));
  receipt.set_format(kReceiptFormat);
  receipt.set_tree_size(stored.tree_size);
  receipt.set_checkpoint(stored.note);
  receipt.set_log_key(transparency::format_verifier_key(checkpointer_.log_key()));
  for (const auto& witness : checkpointer_.witnesses())
    receipt.add_witness_keys(transparency::format_verifier_key(witness));
  return ok();
}

Status ProofServiceImpl::add_event(std::uint64_t position, std::uint64_t tree_size, v1::Receipt& receipt) const {
  PLACEMENT_TRY(events, log_.read_forward(Position{position}, 1));
  if (events.empty() || events[0].position().value != position)
    return fail(Errc::not_found, "no event at position " + std::to_string(position));
  PLACEMENT_TRY(path, tree_.inclusion_proof(position - 1, tree_size));
  auto* event = receipt.add_events();
  event->set_position(position);
  event->set_leaf(events[0].envelope_bytes);
  for (auto& hash : path) event->add_inclusion_path(std::move(hash));
  event->set_stream_id(events[0].envelope.stream_id());
  event->set_event_type(events[0].envelope.event_type());
  return ok();
}

grpc::ServerUnaryReactor* ProofServiceImpl::GetLatestCheckpoint(grpc::CallbackServerContext* context,
                                                                const v1::GetLatestCheckpointRequest* request,
                                                                v1::CheckpointResponse* response) {
  return proof_call(context, authenticator_, Rpc::get_latest_checkpoint, *request, [&]() -> Status {
    PLACEMENT_TRY(stored, stored_checkpoint(0));
    return fill_checkpoint(stored, *response);
  });
}

grpc::ServerUnaryReactor* ProofServiceImpl::GetCheckpoint(grpc::CallbackServerContext* context,
                                                          const v1::GetCheckpointRequest* request,
                                                          v1::CheckpointResponse* response) {
  return proof_call(context, authenticator_, Rpc::get_checkpoint, *request, [&]() -> Status {
    if (request->tree_size() == 0) return fail(Errc::invalid_argument, "tree_size: required (≥ 1)");
    PLACEMENT_TRY(stored, stored_checkpoint(request->tree_size()));
    return fill_checkpoint(stored, *response);
  });
}

grpc::ServerUnaryReactor* ProofServiceImpl::CreateCheckpoint(grpc::CallbackServerContext* context,
                                                             const v1::CreateCheckpointRequest* request,
                                                             v1::CheckpointResponse* response) {
  return proof_call(context, authenticator_, Rpc::create_checkpoint, *request, [&]() -> Status {
    PLACEMENT_TRY(stored, checkpointer_.checkpoint_now());
    return fill_checkpoint(stored, *response);
  });
}

grpc::ServerUnaryReactor* ProofServiceImpl::AddCosignature(grpc::CallbackServerContext* context,
                                                           const v1::AddCosignatureRequest* request,
                                                           v1::CheckpointResponse* response) {
  return proof_call(context, authenticator_, Rpc::add_cosignature, *request, [&]() -> Status {
    PLACEMENT_TRY(codec::refuse_cpr_numbers(*request));
    if (request->tree_size() == 0) return fail(Errc::invalid_argument, "tree_size: required (≥ 1)");
    PLACEMENT_TRY(stored, checkpointer_.add_cosignature(request->tree_size(), request->signature_line()));
    return fill_checkpoint(stored, *response);
  });
}

grpc::ServerUnaryReactor* ProofServiceImpl::GetInclusionProof(grpc::CallbackServerContext* context,
                                                              const v1::InclusionProofRequest* request,
                                                              v1::InclusionProofResponse* response) {
  return proof_call(context, authenticator_, Rpc::get_inclusion_proof, *request, [&]() -> Status {
    if (request->position() == 0) return fail(Errc::invalid_argument, "position: required (the first event is 1)");
    PLACEMENT_TRY(size, tree_size_of(request->tree_size()));
    if (request->position() > log_.head().position.value)
      return fail(Errc::out_of_range, "position " + std::to_string(request->position()) + " is beyond the log's head");
    if (request->position() > size)
      return fail(Errc::invalid_argument, "position " + std::to_string(request->position()) +
                                              " is not in the tree of size " + std::to_string(size));
    v1::Receipt one;
    PLACEMENT_TRY(add_event(request->position(), size, one));
    response->set_position(request->position());
    response->set_tree_size(size);
    response->set_leaf(std::move(*one.mutable_events(0)->mutable_leaf()));
    *response->mutable_path() = std::move(*one.mutable_events(0)->mutable_inclusion_path());
    return ok();
  });
}

grpc::ServerUnaryReactor* ProofServiceImpl::GetConsistencyProof(grpc::CallbackServerContext* context,
                                                                const v1::ConsistencyProofRequest* request,
                                                                v1::ConsistencyProofResponse* response) {
  return proof_call(context, authenticator_, Rpc::get_consistency_proof, *request, [&]() -> Status {
    if (request->from_size() == 0) return fail(Errc::invalid_argument, "from_size: required (≥ 1)");
    PLACEMENT_TRY(to, tree_size_of(request->to_size()));
    if (request->from_size() > log_.head().position.value)
      return fail(Errc::out_of_range,
                  "from_size " + std::to_string(request->from_size()) + " is beyond the log's head");
    if (request->from_size() > to)
      return fail(Errc::invalid_argument, "from_size " + std::to_string(request->from_size()) +
                                              " is larger than to_size " + std::to_string(to));
    PLACEMENT_TRY(proof, tree_.consistency_proof(request->from_size(), to));
    response->set_from_size(request->from_size());
    response->set_to_size(to);
    for (auto& hash : proof) response->add_proof(std::move(hash));
    return ok();
  });
}

grpc::ServerUnaryReactor* ProofServiceImpl::GetEventReceipt(grpc::CallbackServerContext* context,
                                                            const v1::EventReceiptRequest* request,
                                                            v1::Receipt* response) {
  return proof_call(context, authenticator_, Rpc::get_event_receipt, *request, [&]() -> Status {
    if (request->position() == 0) return fail(Errc::invalid_argument, "position: required (the first event is 1)");
    if (request->position() > log_.head().position.value)
      return fail(Errc::out_of_range, "position " + std::to_string(request->position()) + " is beyond the log's head");
    PLACEMENT_TRY(start_receipt(request->tree_size(), *response));
    if (request->position() > response->tree_size())
      return fail(Errc::invalid_argument, "position " + std::to_string(request->position()) +
                                              " is not in the checkpoint's tree of size " +
                                              std::to_string(response->tree_size()));
    return add_event(request->position(), response->tree_size(), *response);
  });
}

grpc::ServerUnaryReactor* ProofServiceImpl::GetSettlementReceipt(grpc::CallbackServerContext* context,
                                                                 const v1::SettlementReceiptRequest* request,
                                                                 v1::Receipt* response) {
  return proof_call(context, authenticator_, Rpc::get_settlement_receipt, *request, [&]() -> Status {
    if (request->placement_id().empty()) return fail(Errc::invalid_argument, "placement_id: required");
    // Bad input is refused before the checkpoint is looked up.
    PLACEMENT_TRY(codec::to_year_month(request->month()));
    if (!request->has_as_of()) return fail(Errc::invalid_argument, "as_of: missing");
    PLACEMENT_TRY(codec::from_proto(request->as_of(), "as_of"));
    if (request->paying_municipality_code() == 0)
      return fail(Errc::invalid_argument, "paying_municipality_code: required");
    PLACEMENT_TRY(codec::code_from_proto(request->paying_municipality_code(), "paying_municipality_code"));
    PLACEMENT_TRY(start_receipt(request->tree_size(), *response));
    const std::uint64_t size = response->tree_size();
    // The line as GetSettlement computes it from the log as of the checkpoint's tree size.
    v1::SettlementRequest settlement_request;
    *settlement_request.mutable_month() = request->month();
    *settlement_request.mutable_as_of() = request->as_of();
    settlement_request.set_paying_municipality_code(request->paying_municipality_code());
    PLACEMENT_TRY(model, views_.at(size));
    PLACEMENT_TRY(computed, settlement_view(*model, settlement_request));
    bool found = false;
    for (const auto& statement : computed.statements())
      for (const auto& line : statement.lines())
        if (line.placement_id() == request->placement_id()) {
          *response->mutable_settlement_line() = line;
          response->set_operator_code(statement.operator_code());
          found = true;
        }
    if (!found)
      return fail(Errc::not_found, "placement " + request->placement_id() + " has no line in that settlement");
    *response->mutable_settlement_request() = *request;
    response->mutable_settlement_request()->set_tree_size(size);
    // The events the line rests on: its placement's stream, up to the checkpoint.
    PLACEMENT_TRY(events,
                  log_.read_stream(domain::placement_stream(request->placement_id()), StreamVersion{1}, 100'000));
    for (const auto& event : events) {
      if (event.position().value > size) break;
      PLACEMENT_TRY(add_event(event.position().value, size, *response));
    }
    return ok();
  });
}

}  // namespace placement::api

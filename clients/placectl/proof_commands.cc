// Auditor commands over ProofService: signed checkpoints, inclusion and consistency proofs, and
// receipts (docs/AUDIT.md). What the server hands out is checked here too, with the same code as
// the server's proofs (storage/merkle_proof.h) and the C2SP formats (services/transparency), against
// the log key given with --log-key (the key the server names when none is given: it then proves
// only that the server is consistent with itself). Files are protobuf JSON with the proto's field
// names, which tools/verify_proofs.py reads.

#include <fstream>
#include <memory>

#include <google/protobuf/util/json_util.h>

#include "clients/placectl/cli.h"
#include "clients/placectl/commands.h"
#include "clients/placectl/encoding.h"
#include "clients/placectl/planning_support.h"
#include "clients/placectl/session.h"
#include "clients/placectl/values.h"
#include "placement/v1/proof_service.grpc.pb.h"
#include "services/transparency/checkpoint.h"
#include "storage/merkle_hash.h"
#include "storage/merkle_proof.h"

namespace placement::placectl {
namespace {

namespace tp = transparency;

std::string json_of(const google::protobuf::Message& message) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.add_whitespace = true;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
}

// Writes text to --output, or to standard output.
int emit(Session& session, const Args& args, const std::string& text) {
  if (auto path = args.find("output")) {
    std::ofstream out(*path, std::ios::binary);
    out << text;
    if (!out) {
      session.err() << "cannot write " << *path << "\n";
      return kExitUsage;
    }
    return kExitOk;
  }
  session.stdout_stream() << text;
  return kExitOk;
}

// The trust the checks here use: --log-key (and --witness-key, --witnesses-required), else the
// log key the server names.
tp::CheckpointTrust trust_of(const Args& args, const std::string& served_log_key) {
  tp::CheckpointTrust trust;
  const std::string log_key = args.find("log-key").value_or(served_log_key);
  auto parsed = tp::parse_verifier_key(log_key);
  if (!parsed) throw UsageError("--log-key: " + parsed.error().message);
  trust.log = parsed.value();
  for (const auto& text : args.all("witness-key")) {
    auto witness = tp::parse_verifier_key(text);
    if (!witness) throw UsageError("--witness-key: " + witness.error().message);
    trust.witnesses.push_back(witness.value());
  }
  trust.witnesses_required =
      args.has("witnesses-required") ? parse_position("witnesses-required", args.get("witnesses-required")) : 0;
  return trust;
}

// The verified checkpoint, or nullopt after saying why it does not verify.
std::optional<tp::VerifiedCheckpoint> verified(Session& session, const Args& args, const std::string& note,
                                               const std::string& served_log_key) {
  auto checked = tp::verify_checkpoint(note, trust_of(args, served_log_key));
  if (!checked) {
    session.err() << "BROKEN: " << checked.error().message << "\n";
    return std::nullopt;
  }
  if (!args.has("log-key"))
    session.err() << "note: checked against the log key the server names; pass --log-key to check against yours\n";
  return std::move(checked).value();
}

std::unique_ptr<v1::ProofService::Stub> stub(Session& session) { return v1::ProofService::NewStub(session.channel()); }

std::uint64_t size_of(const Args& args) { return args.has("size") ? parse_position("size", args.get("size")) : 0; }

int checkpoint(Session& session, const Args& args) {
  auto proofs = stub(session);
  v1::CheckpointResponse response;
  grpc::Status status;
  if (args.has("create")) {
    status = proofs->CreateCheckpoint(session.context().get(), v1::CreateCheckpointRequest(), &response);
  } else if (const std::uint64_t size = size_of(args); size != 0) {
    v1::GetCheckpointRequest request;
    request.set_tree_size(size);
    status = proofs->GetCheckpoint(session.context().get(), request, &response);
  } else {
    status = proofs->GetLatestCheckpoint(session.context().get(), v1::GetLatestCheckpointRequest(), &response);
  }
  if (!status.ok()) return session.failed("audit checkpoint", status);
  if (!verified(session, args, response.note(), response.log_key())) return kExitVerifyFailed;
  return emit(session, args, response.note());
}

// The stored checkpoint of a size (0: the latest), verified.
std::optional<tp::VerifiedCheckpoint> checkpoint_of(Session& session, const Args& args, std::uint64_t size,
                                                    int& exit_code) {
  auto proofs = stub(session);
  v1::CheckpointResponse response;
  grpc::Status status;
  if (size == 0) {
    status = proofs->GetLatestCheckpoint(session.context().get(), v1::GetLatestCheckpointRequest(), &response);
  } else {
    v1::GetCheckpointRequest request;
    request.set_tree_size(size);
    status = proofs->GetCheckpoint(session.context().get(), request, &response);
  }
  if (!status.ok()) {
    exit_code = session.failed("audit checkpoint", status);
    return std::nullopt;
  }
  auto checked = verified(session, args, response.note(), response.log_key());
  if (!checked) exit_code = kExitVerifyFailed;
  return checked;
}

int prove(Session& session, const Args& args) {
  v1::InclusionProofRequest request;
  request.set_position(parse_position("POSITION", args.positional(0)));
  request.set_tree_size(size_of(args));
  v1::InclusionProofResponse proof;
  if (auto status = stub(session)->GetInclusionProof(session.context().get(), request, &proof); !status.ok())
    return session.failed("audit prove", status);
  int code = kExitOk;
  auto checkpoint = checkpoint_of(session, args, proof.tree_size(), code);
  if (!checkpoint) return code;
  const std::vector<std::string> path(proof.path().begin(), proof.path().end());
  const std::string problem =
      storage::inclusion_problem(proof.position() - 1, proof.tree_size(), storage::merkle_leaf_hash(proof.leaf()), path,
                                 checkpoint->checkpoint.root_hash);
  if (!problem.empty()) {
    session.err() << "BROKEN: position " << proof.position() << ": " << problem << "\n";
    return kExitVerifyFailed;
  }
  session.err() << "OK: position " << proof.position() << " is in the signed tree of size " << proof.tree_size()
                << "\n";
  return emit(session, args, json_of(proof));
}

int consistency(Session& session, const Args& args) {
  v1::ConsistencyProofRequest request;
  request.set_from_size(parse_position("FROM", args.positional(0)));
  if (args.has("to")) request.set_to_size(parse_position("to", args.get("to")));
  v1::ConsistencyProofResponse proof;
  if (auto status = stub(session)->GetConsistencyProof(session.context().get(), request, &proof); !status.ok())
    return session.failed("audit consistency", status);
  int code = kExitOk;
  auto old_checkpoint = checkpoint_of(session, args, proof.from_size(), code);
  if (!old_checkpoint) return code;
  auto new_checkpoint = checkpoint_of(session, args, proof.to_size(), code);
  if (!new_checkpoint) return code;
  const std::vector<std::string> hashes(proof.proof().begin(), proof.proof().end());
  const std::string problem =
      storage::consistency_problem(proof.from_size(), proof.to_size(), old_checkpoint->checkpoint.root_hash,
                                   new_checkpoint->checkpoint.root_hash, hashes);
  if (!problem.empty()) {
    session.err() << "BROKEN: " << problem << "\n";
    return kExitVerifyFailed;
  }
  session.err() << "OK: the tree of size " << proof.to_size() << " extends the tree of size " << proof.from_size()
                << "\n";
  return emit(session, args, json_of(proof));
}

int receipt(Session& session, const Args& args) {
  v1::Receipt receipt;
  grpc::Status status;
  if (auto position = args.find("position")) {
    v1::EventReceiptRequest request;
    request.set_position(parse_position("position", *position));
    request.set_tree_size(size_of(args));
    status = stub(session)->GetEventReceipt(session.context().get(), request, &receipt);
  } else if (auto placement = args.find("placement")) {
    v1::SettlementReceiptRequest request;
    request.set_placement_id(*placement);
    if (!args.has("month") || !args.has("as-of") || !args.has("paying"))
      throw UsageError("a settlement receipt needs --month, --as-of and --paying");
    *request.mutable_month() = parse_month("month", args.get("month"));
    *request.mutable_as_of() = parse_date("as-of", args.get("as-of"));
    request.set_paying_municipality_code(static_cast<std::uint32_t>(parse_position("paying", args.get("paying"))));
    request.set_tree_size(size_of(args));
    status = stub(session)->GetSettlementReceipt(session.context().get(), request, &receipt);
  } else {
    throw UsageError("give --position N (an event) or --placement ID (a settlement line)");
  }
  if (!status.ok()) return session.failed("audit receipt", status);
  auto checkpoint = verified(session, args, receipt.checkpoint(), receipt.log_key());
  if (!checkpoint) return kExitVerifyFailed;
  for (const auto& event : receipt.events()) {
    const std::vector<std::string> path(event.inclusion_path().begin(), event.inclusion_path().end());
    const std::string problem =
        storage::inclusion_problem(event.position() - 1, receipt.tree_size(), storage::merkle_leaf_hash(event.leaf()),
                                   path, checkpoint->checkpoint.root_hash);
    if (!problem.empty()) {
      session.err() << "BROKEN: position " << event.position() << ": " << problem << "\n";
      return kExitVerifyFailed;
    }
  }
  session.err() << "OK: " << receipt.events_size() << " event(s) proven in the signed tree of size "
                << receipt.tree_size() << "\n";
  return emit(session, args, json_of(receipt));
}

const char* const kWho = "auditor";

std::vector<OptionSpec> with_trust(std::vector<OptionSpec> options) {
  options.push_back({"log-key", "VKEY", "the log's verifier key to check against (default: the one the server names)"});
  options.push_back({"witness-key", "VKEY", "a witness's cosignature/v1 verifier key", false, true});
  options.push_back({"witnesses-required", "K", "how many of the witnesses must have cosigned (default 0)"});
  options.push_back({"output", "FILE", "write to FILE instead of stdout"});
  return options;
}

}  // namespace

std::vector<CommandSpec> proof_commands() {
  return {
      {"audit checkpoint",
       kWho,
       "the latest signed checkpoint (C2SP tlog-checkpoint), checked here; exit 3 when it does not verify",
       {},
       with_trust({{"size", "N", "the checkpoint of this tree size"}, {"create", "", "sign one of the head now"}}),
       {"placectl --as auditor audit checkpoint --output today.checkpoint"},
       false,
       checkpoint},
      {"audit prove",
       kWho,
       "the inclusion proof of an event in a signed tree, checked here",
       {"POSITION"},
       with_trust({{"size", "N", "the tree size of a stored checkpoint (default: the latest)"}}),
       {"placectl --as auditor audit prove 117 --output p117.json"},
       false,
       prove},
      {"audit consistency",
       kWho,
       "proof that the signed tree of --to (default: the latest) extends the signed tree of FROM",
       {"FROM"},
       with_trust({{"to", "N", "the larger tree size (default: the latest checkpoint)"}}),
       {"placectl --as auditor audit consistency 1200 --output since-1200.json"},
       false,
       consistency},
      {"audit receipt",
       kWho,
       "a receipt file: an event, or a settlement line with its placement's events, proven in a signed tree",
       {},
       with_trust({{"position", "N", "an event's position"},
                   {"placement", "ID", "a settlement line's placement"},
                   {"month", "YYYY-MM", "the settlement month"},
                   {"as-of", "DATE", "the billing limit's date"},
                   {"paying", "CODE", "the paying municipality's code"},
                   {"size", "N", "the tree size of a stored checkpoint (default: the latest)"}}),
       {"placectl --as auditor audit receipt --placement p-17 --month 2031-03 --as-of 2031-04-01 --paying 101 "
        "--output p-17-2031-03.receipt.json"},
       false,
       receipt},
  };
}

}  // namespace placement::placectl

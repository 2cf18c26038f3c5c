#pragma once
// ProofService: signed checkpoints, inclusion and consistency proofs, and receipts of the log's
// Merkle tree (storage/merkle_tree.h, services/transparency). Reads go to the log's store
// directly and never wait for the writer; a proof is only served for tree sizes up to the
// published head.

#include "placement/v1/proof_service.grpc.pb.h"
#include "services/api/caller.h"
#include "services/ledger/planning_views.h"
#include "services/transparency/checkpointer.h"
#include "storage/checkpoint_store.h"
#include "storage/event_log.h"
#include "storage/merkle_tree.h"

namespace placement::api {

class ProofServiceImpl final : public v1::ProofService::CallbackService {
 public:
  // views: the planning models PlanningService answers from (PlanningServiceImpl::views()), shared
  // so a settlement line in a receipt is the one GetSettlement gives as of the same position, and
  // a past position is replayed once for both. It must outlive this service.
  ProofServiceImpl(const storage::EventLog& log, const storage::MerkleTree& tree,
                   const storage::CheckpointStore& checkpoints, transparency::Checkpointer& checkpointer,
                   ledger::PlanningViews& views, const Authenticator& authenticator)
      : log_(log),
        tree_(tree),
        checkpoints_(checkpoints),
        checkpointer_(checkpointer),
        authenticator_(authenticator),
        views_(views) {}

  grpc::ServerUnaryReactor* GetLatestCheckpoint(grpc::CallbackServerContext*, const v1::GetLatestCheckpointRequest*,
                                                v1::CheckpointResponse*) override;
  grpc::ServerUnaryReactor* GetCheckpoint(grpc::CallbackServerContext*, const v1::GetCheckpointRequest*,
                                          v1::CheckpointResponse*) override;
  grpc::ServerUnaryReactor* CreateCheckpoint(grpc::CallbackServerContext*, const v1::CreateCheckpointRequest*,
                                             v1::CheckpointResponse*) override;
  grpc::ServerUnaryReactor* AddCosignature(grpc::CallbackServerContext*, const v1::AddCosignatureRequest*,
                                           v1::CheckpointResponse*) override;
  grpc::ServerUnaryReactor* GetInclusionProof(grpc::CallbackServerContext*, const v1::InclusionProofRequest*,
                                              v1::InclusionProofResponse*) override;
  grpc::ServerUnaryReactor* GetConsistencyProof(grpc::CallbackServerContext*, const v1::ConsistencyProofRequest*,
                                                v1::ConsistencyProofResponse*) override;
  grpc::ServerUnaryReactor* GetEventReceipt(grpc::CallbackServerContext*, const v1::EventReceiptRequest*,
                                            v1::Receipt*) override;
  grpc::ServerUnaryReactor* GetSettlementReceipt(grpc::CallbackServerContext*, const v1::SettlementReceiptRequest*,
                                                 v1::Receipt*) override;

 private:
  Status fill_checkpoint(const storage::StoredCheckpoint& stored, v1::CheckpointResponse& out) const;
  // The tree size asked for: 0 is the latest checkpoint's; beyond the head is out_of_range.
  Result<std::uint64_t> tree_size_of(std::uint64_t asked) const;
  Result<storage::StoredCheckpoint> stored_checkpoint(std::uint64_t asked) const;
  Status add_event(std::uint64_t position, std::uint64_t tree_size, v1::Receipt& receipt) const;
  Status start_receipt(std::uint64_t asked, v1::Receipt& receipt) const;

  const storage::EventLog& log_;
  const storage::MerkleTree& tree_;
  const storage::CheckpointStore& checkpoints_;
  transparency::Checkpointer& checkpointer_;
  const Authenticator& authenticator_;
  ledger::PlanningViews& views_;
};

}  // namespace placement::api

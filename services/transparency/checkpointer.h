#pragma once
// Makes the log's signed checkpoints and keeps them in the log's store: at the log's head on
// request, every interval on a thread of its own when the log grew, and takes witnesses'
// cosignatures of stored ones after verifying them against the configured witness keys.
//
// Threads: checkpoint_now and add_cosignature from any thread (one at a time, under mutex_); the
// interval thread ("checkpointer") only calls checkpoint_now. stop (or the destructor) ends it.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "services/transparency/checkpoint.h"
#include "storage/checkpoint_store.h"
#include "storage/event_log.h"
#include "storage/merkle_tree.h"

namespace placement::transparency {

struct CheckpointerOptions {
  std::string origin;                  // the checkpoint's first line, e.g. "placement.example.dk/ledger"
  std::chrono::seconds interval{0};    // 0: only on request
  std::vector<VerifierKey> witnesses;  // whose cosignatures add_cosignature accepts
};

class Checkpointer {
 public:
  Checkpointer(const storage::EventLog& log, const storage::MerkleTree& tree, storage::CheckpointStore& store,
               NoteSigner signer, CheckpointerOptions options);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Starts the interval thread when the interval is not 0.
  void start();
  void stop();

  // A checkpoint of the tree at the log's head, signed and stored durably before it is returned;
  // the stored one when the head has one already. failed_precondition while the log is empty;
  // `why` (refuse_signing) once signing is refused.
  Result<storage::StoredCheckpoint> checkpoint_now();

  // From now on nothing is signed, on request or by the interval thread: checkpoint_now answers
  // `why` (a log found broken: a signature would vouch for it). Checkpoints stored before stay
  // readable. Any thread.
  void refuse_signing(Error why);

  // Adds one cosignature line ("— <name> <base64>") to the stored checkpoint of tree_size, after
  // checking it is a cosignature/v1 of that checkpoint by a configured witness; a witness's
  // earlier line on it is replaced. not_found without a checkpoint of that size,
  // invalid_argument for a malformed line, permission_denied for an unknown witness or a
  // signature that does not verify. Nothing changes unless it verifies.
  Result<storage::StoredCheckpoint> add_cosignature(std::uint64_t tree_size, std::string_view signature_line);

  // The log's verifier key (signed-note Ed25519) and the witnesses', to publish.
  VerifierKey log_key() const { return signer_.verifier_key(kEd25519NoteType); }
  const std::vector<VerifierKey>& witnesses() const { return options_.witnesses; }
  const std::string& origin() const { return options_.origin; }

 private:
  void run();

  const storage::EventLog& log_;
  const storage::MerkleTree& tree_;
  storage::CheckpointStore& store_;
  const NoteSigner signer_;
  const CheckpointerOptions options_;

  std::mutex mutex_;              // one checkpoint or cosignature at a time
  std::optional<Error> refused_;  // under mutex_
  std::mutex wake_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // under wake_mutex_
  std::thread thread_;
};

}  // namespace placement::transparency

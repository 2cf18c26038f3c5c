#pragma once
// Signed checkpoints of the log (C2SP tlog-checkpoint notes, services/transparency), kept in the
// log's own store under the tree size they commit to. Unlike snapshots they are not a cache: a
// checkpoint handed to an auditor must be found again, so they are written synced and never
// dropped. The store keeps the note's text as given (body and signature lines); it checks nothing
// of it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "services/base/result.h"

namespace placement::storage {

struct StoredCheckpoint {
  std::uint64_t tree_size = 0;
  std::string note;  // the signed note, signature lines included
};

class CheckpointStore {
 public:
  virtual ~CheckpointStore() = default;

  // Stores (or replaces, when a cosignature was added) the note for tree_size, durably (fsync).
  // Safe from any thread; callers serialise read-modify-write of one size themselves.
  virtual Status put_checkpoint(std::uint64_t tree_size, std::string_view note) = 0;
  // The note stored for exactly tree_size; nullopt when none.
  virtual Result<std::optional<StoredCheckpoint>> checkpoint_at(std::uint64_t tree_size) const = 0;
  // The note of the largest tree size stored; nullopt when none.
  virtual Result<std::optional<StoredCheckpoint>> latest_checkpoint() const = 0;
  // The note of the smallest stored tree size at or above tree_size; nullopt when none.
  virtual Result<std::optional<StoredCheckpoint>> checkpoint_at_or_after(std::uint64_t tree_size) const = 0;
};

}  // namespace placement::storage

#pragma once
// Snapshots of the read model, kept beside the log as a cache: opaque bytes (services/codec's
// snapshot codec) tagged with the log position they reflect. A snapshot is never the source of
// truth: losing one, or refusing a damaged one, costs a longer replay and nothing else.

#include <optional>
#include <string>
#include <string_view>

#include "services/base/result.h"
#include "services/base/types.h"

namespace placement::storage {

struct StoredSnapshot {
  Position position{0};
  std::string bytes;
};

class SnapshotStore {
 public:
  virtual ~SnapshotStore() = default;

  // Stores the snapshot of the model as of `position` (an event of the log) and drops all but the
  // newest few. Refused (unavailable) when the disk is short of space for it; errors otherwise
  // only when the store cannot be written.
  virtual Status put_snapshot(Position position, std::string_view bytes) = 0;

  // The newest intact snapshot at or before `at_or_before`: bound to this log (it names the hash
  // of the event at its position) and unaltered. Damaged ones are skipped. nullopt when none.
  virtual Result<std::optional<StoredSnapshot>> snapshot_at_or_before(Position at_or_before) const = 0;

  // For a start: the newest snapshot at or before `at_or_before` when it matches the log at its
  // position (the hash it recorded is the log's hash there, its bytes unaltered). When it does
  // not (a stale snapshot: the log at its position is not the one it was taken from, or a
  // damaged one), it is deleted and named in `discarded`, and no snapshot is returned: the
  // caller rebuilds from the log's first event rather than trust an older one of the same store.
  struct NewestSnapshot {
    std::optional<StoredSnapshot> snapshot;
    std::optional<Position> discarded;
  };
  virtual Result<NewestSnapshot> newest_snapshot_or_discard(Position at_or_before) = 0;
};

}  // namespace placement::storage

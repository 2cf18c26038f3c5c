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
};

}  // namespace placement::storage

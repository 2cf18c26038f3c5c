#pragma once
// The log's integrity at start: the hash chain verified from the verified mark (the last event
// checked before, meta "verified") to the head, so each start recomputes only what was appended
// since. The mark moves only after a verification succeeded, and never past an unverified event.

#include <cstdint>
#include <optional>
#include <string>

#include "services/base/result.h"
#include "services/base/types.h"

namespace placement::storage {

class RocksDbEventLog;

// Where the log is broken and how. position 0 when the damage is in a table file of a family
// other than the events (it then names no event).
struct IntegrityBreak {
  Position position{0};
  std::string problem;
  std::string describe() const;  // "at position 17: hash does not match the stored bytes"
};

struct StartVerification {
  Position from{1};           // the first position recomputed (the mark + 1)
  std::uint64_t checked = 0;  // events recomputed
  std::optional<IntegrityBreak> broken;
};

// Verifies the chain from the mark to the head and, when it holds, moves the mark to the head
// (synced). A break: the event at the mark no longer carries the hash it had when verified, the
// log ends before the mark, or a hash or link after it does not verify (verify_chain's problems,
// an unreadable block included). Errors only when the log cannot be read at all.
// Runs before the log is shared (at open, before the writer starts).
Result<StartVerification> verify_since_mark(RocksDbEventLog& log);

// After a break was found while serving: the mark goes back to the first event, so the next
// start recomputes the whole chain and finds the break again.
Status forget_verified_mark(RocksDbEventLog& log);

}  // namespace placement::storage

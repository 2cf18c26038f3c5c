#include "storage/integrity_check.h"

#include "storage/hash_chain.h"
#include "storage/rocksdb_event_log.h"

namespace placement::storage {

std::string IntegrityBreak::describe() const {
  if (position.value == 0) return problem;
  return "at position " + std::to_string(position.value) + ": " + problem;
}

Result<StartVerification> verify_since_mark(RocksDbEventLog& log) {
  StartVerification result;
  const Head head = log.head();
  PLACEMENT_TRY(mark, log.verified_mark());
  if (mark && mark->position.value > 0) {
    if (mark->position > head.position) {
      result.broken = IntegrityBreak{Position{head.position.value + 1},
                                     "the log ends at position " + std::to_string(head.position.value) +
                                         " but was verified up to " + std::to_string(mark->position.value)};
      return result;
    }
    auto stored = log.stored_hash_at(mark->position);
    if (!stored && stored.error().code != Errc::not_found && stored.error().code != Errc::data_loss &&
        stored.error().code != Errc::unavailable)
      return outcome::failure(stored.error());
    if (!stored || stored.value() != mark->hash) {
      result.broken = IntegrityBreak{mark->position,
                                     stored ? "the event's stored hash is not the one verified before (" +
                                                  to_hex(stored.value()).substr(0, 16) + "… instead of " +
                                                  to_hex(mark->hash).substr(0, 16) + "…)"
                                            : "the event verified before cannot be read: " + stored.error().message};
      return result;
    }
    result.from = Position{mark->position.value + 1};
  }
  if (result.from > head.position) return result;  // nothing appended since
  auto verified = log.verify_chain(result.from, head.position);
  if (!verified && verified.error().code == Errc::data_loss) {
    // The event before the range (the mark's) cannot be read back: broken there.
    result.broken = IntegrityBreak{Position{result.from.value - 1}, verified.error().message};
    return result;
  }
  PLACEMENT_TRY(report, std::move(verified));
  result.checked = report.checked;
  if (!report.ok) {
    result.broken = IntegrityBreak{report.first_bad, report.problem};
    return result;
  }
  PLACEMENT_TRY(log.put_verified_mark(head));
  return result;
}

Status forget_verified_mark(RocksDbEventLog& log) { return log.put_verified_mark(Head{Position{0}, genesis_hash()}); }

}  // namespace placement::storage

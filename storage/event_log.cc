#include "storage/event_log.h"

#include <algorithm>
#include <string>

namespace placement::storage {
namespace {

// Events materialised at a time by the default scan: large enough that a read's fixed cost is
// spread thin, small enough to bound the memory of one chunk.
constexpr std::size_t kDefaultScanChunk = 4096;

}  // namespace

Status EventLog::visit_forward(Position from, Position up_to, const StoredEventVisitor& visit) const {
  const std::uint64_t last = up_to.value == 0 ? head().position.value : up_to.value;
  std::uint64_t next = std::max<std::uint64_t>(from.value, 1);
  while (next <= last) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(kDefaultScanChunk, last - next + 1));
    PLACEMENT_TRY(chunk, read_forward(Position{next}, want));
    if (chunk.empty()) return ok();
    for (const LoggedEvent& logged : chunk) {
      // A position that does not move forward would make the next chunk start over.
      if (logged.position().value < next)
        return fail(Errc::data_loss, "the log returned position " + std::to_string(logged.position().value) +
                                         " where " + std::to_string(next) + " or later was due");
      if (logged.position().value > last) return ok();
      PLACEMENT_TRY(visit(StoredEventView{logged.position(), logged.envelope_bytes}));
      next = logged.position().value + 1;
    }
  }
  return ok();
}

}  // namespace placement::storage

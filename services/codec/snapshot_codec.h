#pragma once
// The snapshot codec: the whole read model (the domain State and the planners' PlanningInputs) as
// of one log position, to bytes and back, so a restart can start from it instead of the first event.
//
// A snapshot is a cache of the log, never a source of truth: anything wrong with one (another
// format, truncated, unreadable) is refused here with Errc::data_loss and the caller replays the
// log instead. The bytes are a compact private format (varints, length-prefixed strings), not
// protobuf: nothing outside this server reads them, and they are thrown away rather than migrated.
//
// kSnapshotFormat names both the byte layout and the meaning of the model: bump it whenever a field
// is added to the State or the inputs, or whenever apply() (domain or planning) changes what an
// event does to the model. Snapshots of another format are then ignored and rebuilt from the log.
// Stateless and thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

#include "services/base/result.h"
#include "services/base/types.h"
#include "services/domain/state.h"

namespace placement::codec {

// 2: CitizenRef holds citizen_id, household_id and sealed instead of the pseudonyms.
// 3: OfferState holds active_ids and ended_stays (offer_index.h) instead of every placement id.
// 4: PlanningInputs hold the refund amounts by budget year with their price level, and case costs.
// 5: Region holds its establishment, ceasing and successor; Municipality its region_changes and
//    OfferState its operator_changes (the organisation over time, domain/organisation.h).
inline constexpr std::uint32_t kSnapshotFormat = 5;

struct SnapshotContents {
  domain::State state;   // its planning inputs included
  Position position{0};  // the last event the model includes
};

std::string encode_snapshot(const domain::State& state, Position position);

// decode_snapshot(encode_snapshot(s, p)) gives back s and p exactly.
Result<SnapshotContents> decode_snapshot(std::string_view bytes);

}  // namespace placement::codec

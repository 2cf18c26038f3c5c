#pragma once
// Which placements an offer has to look at when it counts its places, kept beside the offer so a
// decision reads only the placements that can still matter, not the offer's whole history.
//
// For every offer (OfferState::active_ids and ::ended_stays):
//   - active: placements requested, waitlisted, reserved or admitted in it now;
//   - ended stays: (end, placement) for each stay in it that has ended, by discharge or by a
//     transfer out, held over [start, end) as holds_of says.
// A placement that ended without holding a place (withdrawn, rejected, expired) is in neither.
// A hold that overlaps [from, ∞) therefore belongs to an active placement or to an ended stay
// with end > from, which is what placements_to_count() returns.

#include <boost/container/small_vector.hpp>

#include <optional>
#include <string>
#include <vector>

#include "services/domain/dates.h"
#include "services/domain/state.h"

namespace placement::domain {

// What one placement contributes to the offers' indexes.
struct OfferIndexEntry {
  std::string offer_id;
  std::optional<Date> ended;  // nullopt: active in the offer; else the end of a stay there
  friend auto operator<=>(const OfferIndexEntry&, const OfferIndexEntry&) = default;
};
// Sorted. Inline for the usual one or two entries: apply builds these for many events.
using OfferIndexEntries = boost::container::small_vector<OfferIndexEntry, 3>;

// The entries of a placement as it stands.
OfferIndexEntries offer_index_entries(const PlacementState& placement);

// Brings the offers' indexes from `before` (the placement's entries before a change; empty for a
// new placement) to what `placement`, which is in state.placements, contributes now. apply() calls
// it after every event that can change them.
void reindex_placement(State& state, const PlacementState& placement, const OfferIndexEntries& before);

// The placements that may hold a place in `offer` on some date from `from` on, or are waiting or
// requested there: each once, in id order.
std::vector<const PlacementState*> placements_to_count(const State& state, const OfferState& offer, Date from);

}  // namespace placement::domain

#pragma once
// Waiting lists (ventelister): one per offer, ordered by request time, then by sequence.

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "services/domain/events.h"
#include "services/domain/state.h"

namespace placement::domain {

// Inserts keeping the order (requested_at, sequence).
void insert_waiting(OfferState& offer, WaitingEntry entry);
// Returns whether the placement was on the list.
bool remove_waiting(OfferState& offer, std::string_view placement_id);
// 0 for the head; nullopt when not on the list.
std::optional<std::size_t> waiting_position(const OfferState& offer, std::string_view placement_id);

// After a place frees up in `offer` (given as it will be after the freeing event, with
// `replacement` standing in for a placement the event changes): one PlaceProposed for each of the
// first waiting placements that the places free on every date from `from` on can take, head first.
std::vector<PlaceProposed> proposals_after_freeing(const State& state, const OfferState& offer, Date from,
                                                   const PlacementState* replacement = nullptr);

}  // namespace placement::domain

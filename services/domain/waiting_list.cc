#include "services/domain/waiting_list.h"

#include <algorithm>

#include "services/domain/occupancy.h"

namespace placement::domain {
namespace {

bool comes_before(const WaitingEntry& a, const WaitingEntry& b) {
  if (a.requested_at != b.requested_at) return a.requested_at < b.requested_at;
  return a.sequence < b.sequence;
}

}  // namespace

void insert_waiting(OfferState& offer, WaitingEntry entry) {
  auto it = std::upper_bound(offer.waiting_list.begin(), offer.waiting_list.end(), entry, comes_before);
  offer.waiting_list.insert(it, std::move(entry));
}

bool remove_waiting(OfferState& offer, std::string_view placement_id) {
  auto it = std::find_if(offer.waiting_list.begin(), offer.waiting_list.end(),
                         [&](const WaitingEntry& e) { return e.placement_id == placement_id; });
  if (it == offer.waiting_list.end()) return false;
  offer.waiting_list.erase(it);
  return true;
}

std::optional<std::size_t> waiting_position(const OfferState& offer, std::string_view placement_id) {
  for (std::size_t i = 0; i < offer.waiting_list.size(); ++i) {
    if (offer.waiting_list[i].placement_id == placement_id) return i;
  }
  return std::nullopt;
}

std::vector<PlaceProposed> proposals_after_freeing(const State& state, const OfferState& offer, Date from,
                                                   const PlacementState* replacement) {
  std::vector<PlaceProposed> proposals;
  if (offer.waiting_list.empty() || offer.closed_from) return proposals;
  const std::int64_t free = min_free_from(state, offer, from, replacement).places;
  for (const WaitingEntry& entry : offer.waiting_list) {
    if (static_cast<std::int64_t>(proposals.size()) >= free) break;
    const PlacementState* waiting = find_placement(state, entry.placement_id);
    const Date proposed_from = waiting ? std::max(from, waiting->requested_start) : from;
    proposals.push_back(PlaceProposed{offer.id, entry.placement_id, proposed_from});
  }
  return proposals;
}

}  // namespace placement::domain

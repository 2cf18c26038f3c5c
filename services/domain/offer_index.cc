#include "services/domain/offer_index.h"

#include <algorithm>

namespace placement::domain {

OfferIndexEntries offer_index_entries(const PlacementState& placement) {
  OfferIndexEntries entries;
  // The same stays holds_of() reports, so the index never misses a hold.
  for (const Stay& stay : placement.previous_stays) entries.push_back({stay.offer_id, stay.range.to});
  if (is_active(placement.status)) {
    entries.push_back({placement.offer_id, std::nullopt});
  } else if (placement.status == PlacementStatus::discharged && placement.hold_from && placement.discharged_on &&
             *placement.hold_from < *placement.discharged_on) {
    entries.push_back({placement.offer_id, *placement.discharged_on});
  }
  std::sort(entries.begin(), entries.end());
  return entries;
}

namespace {

void change_entry(State& state, const std::string& placement_id, const OfferIndexEntry& entry, bool add) {
  auto offer = state.offers.find(entry.offer_id);
  if (offer == state.offers.end()) return;
  if (entry.ended) {
    std::pair<Date, std::string> key{*entry.ended, placement_id};
    if (add) {
      offer->second.ended_stays.insert(std::move(key));
    } else {
      offer->second.ended_stays.erase(key);
    }
  } else if (add) {
    offer->second.active_ids.insert(placement_id);
  } else {
    offer->second.active_ids.erase(placement_id);
  }
}

}  // namespace

void reindex_placement(State& state, const PlacementState& placement, const OfferIndexEntries& before) {
  const std::string& placement_id = placement.id;
  const OfferIndexEntries after = offer_index_entries(placement);
  if (after == before) return;  // most events: a status change within the same offer
  for (const auto& entry : before) {
    if (!std::binary_search(after.begin(), after.end(), entry)) change_entry(state, placement_id, entry, false);
  }
  for (const auto& entry : after) {
    if (!std::binary_search(before.begin(), before.end(), entry)) change_entry(state, placement_id, entry, true);
  }
}

std::vector<const PlacementState*> placements_to_count(const State& state, const OfferState& offer, Date from) {
  std::vector<const std::string*> ids;
  ids.reserve(offer.active_ids.size());
  for (const std::string& id : offer.active_ids) ids.push_back(&id);
  // Stays that ended on or before `from` hold nothing from `from` on.
  for (auto it = offer.ended_stays.upper_bound({from, std::string()}); it != offer.ended_stays.end(); ++it) {
    if (it->first > from) ids.push_back(&it->second);
  }
  std::sort(ids.begin(), ids.end(), [](const std::string* a, const std::string* b) { return *a < *b; });
  ids.erase(std::unique(ids.begin(), ids.end(), [](const std::string* a, const std::string* b) { return *a == *b; }),
            ids.end());
  std::vector<const PlacementState*> placements;
  placements.reserve(ids.size());
  for (const std::string* id : ids) {
    if (const PlacementState* placement = find_placement(state, *id)) placements.push_back(placement);
  }
  return placements;
}

}  // namespace placement::domain

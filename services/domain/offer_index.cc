#include "services/domain/offer_index.h"

#include <algorithm>
#include <utility>

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

// Adds `key` to a sorted set, trying the end first: stays end, and placements are created, mostly
// in log order, so a replay appends there without searching the (cold) set.
template <class Set, class Key> void insert_mostly_at_end(Set& set, Key&& key) {
  set.insert(set.end(), std::forward<Key>(key));
}

// Changes the index entries of one placement, finding each offer once: a discharge moves the
// placement from the active ids to the ended stays of the same offer.
class EntryChanges {
 public:
  EntryChanges(State& state, const std::string& placement_id) : state_(state), placement_id_(placement_id) {}

  void apply(const OfferIndexEntry& entry, bool add) {
    OfferState* offer = offer_named(entry.offer_id);
    if (!offer) return;
    if (entry.ended) {
      std::pair<Date, std::string> key{*entry.ended, placement_id_};
      if (add) {
        insert_mostly_at_end(offer->ended_stays, std::move(key));
      } else {
        offer->ended_stays.erase(key);
      }
    } else if (add) {
      insert_mostly_at_end(offer->active_ids, placement_id_);
    } else {
      offer->active_ids.erase(placement_id_);
    }
  }

 private:
  OfferState* offer_named(const std::string& offer_id) {
    if (last_ && last_->id == offer_id) return last_;
    auto it = state_.offers.find(offer_id);
    last_ = it == state_.offers.end() ? nullptr : &it->second;
    return last_;
  }

  State& state_;
  const std::string& placement_id_;
  OfferState* last_ = nullptr;
};

}  // namespace

void reindex_placement(State& state, const PlacementState& placement, const OfferIndexEntries& before) {
  const OfferIndexEntries after = offer_index_entries(placement);
  if (after == before) return;  // most events: a status change within the same offer
  EntryChanges changes(state, placement.id);
  for (const auto& entry : before) {
    if (!std::binary_search(after.begin(), after.end(), entry)) changes.apply(entry, false);
  }
  for (const auto& entry : after) {
    if (!std::binary_search(before.begin(), before.end(), entry)) changes.apply(entry, true);
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

#include "services/projections/planning_index.h"

#include <algorithm>
#include <limits>
#include <map>

#include "services/domain/offer_index.h"
#include "services/domain/organisation.h"

namespace placement::projections {

domain::PlaceCounts OfferIndex::counts_on(domain::Date date) const {
  domain::PlaceCounts counts;
  auto open_step = std::upper_bound(open.begin(), open.end(), date,
                                    [](domain::Date d, const OpenStep& step) { return d < step.from; });
  if (open_step != open.begin()) counts.open = std::prev(open_step)->places;
  auto it = std::upper_bound(steps.begin(), steps.end(), date,
                             [](domain::Date d, const HeldStep& step) { return d < step.from; });
  if (it != steps.begin()) {
    counts.occupied = std::prev(it)->occupied;
    counts.reserved = std::prev(it)->reserved;
  }
  counts.vacant = counts.open - counts.occupied - counts.reserved;
  counts.waiting = waiting;
  return counts;
}

const OrganisationStep& OfferIndex::organisation_on(domain::Date date) const {
  auto it = std::upper_bound(organisation.begin(), organisation.end(), date,
                             [](domain::Date d, const OrganisationStep& step) { return d < step.from; });
  return *std::prev(it);  // the first step starts at kEarliestDate
}

namespace {

// The offer's operator and its region at every date either may change: the offer's own operator
// changes and the dates the regions' structure changes (a municipality operator's region).
std::vector<OrganisationStep> organisation_of(const domain::State& state, const domain::OfferState& offer,
                                              const std::vector<domain::Date>& structure_changes) {
  std::vector<domain::Date> dates{kEarliestDate};
  for (const auto& [from, code] : offer.operator_changes.entries()) dates.push_back(from);
  dates.insert(dates.end(), structure_changes.begin(), structure_changes.end());
  std::sort(dates.begin(), dates.end());
  std::vector<OrganisationStep> steps;
  for (domain::Date date : dates) {
    const std::int32_t operator_code = domain::operator_on(offer, date);
    const OrganisationStep step{date, operator_code, domain::region_of_operator_on(state, operator_code, date)};
    if (steps.empty() || steps.back().operator_code != step.operator_code ||
        steps.back().region_code != step.region_code) {
      steps.push_back(step);
    }
  }
  return steps;
}

// An entry with the offer's own facts copied (OfferIndex::open and after) and nothing held yet.
// The open steps give what domain::open_places_on gives on every date.
OfferIndex new_entry(const domain::State& state, const domain::OfferState& offer,
                     const std::vector<domain::Date>& structure_changes) {
  OfferIndex entry;
  entry.offer = &offer;
  entry.organisation = organisation_of(state, offer, structure_changes);
  for (const auto& [from, places] : offer.capacity.entries()) {
    if (offer.closed_from && from >= *offer.closed_from) break;
    entry.open.push_back(OpenStep{from, places});
  }
  if (offer.closed_from) entry.open.push_back(OpenStep{*offer.closed_from, 0});
  entry.waiting = static_cast<std::int64_t>(offer.waiting_list.size());
  entry.level = offer.level;
  // Sorted and unique (OfferState), so at most kTargetGroupCount.
  for (domain::TargetGroup group : offer.target_groups) {
    if (entry.target_group_count == entry.target_groups.size()) break;
    entry.target_groups[entry.target_group_count++] = group;
  }
  return entry;
}

std::vector<HeldStep> steps_of(const std::vector<IndexedHold>& holds) {
  struct Delta {
    std::int64_t occupied = 0;
    std::int64_t reserved = 0;
  };
  std::map<domain::Date, Delta> deltas;
  for (const IndexedHold& hold : holds) {
    const std::int64_t sign_occupied = hold.kind == domain::HoldKind::occupied ? 1 : 0;
    const std::int64_t sign_reserved = 1 - sign_occupied;
    Delta& start = deltas[hold.range.from];
    start.occupied += sign_occupied;
    start.reserved += sign_reserved;
    if (!hold.range.open_ended()) {
      Delta& end = deltas[hold.range.to];
      end.occupied -= sign_occupied;
      end.reserved -= sign_reserved;
    }
  }
  std::vector<HeldStep> steps;
  steps.reserve(deltas.size());
  HeldStep current;
  for (const auto& [date, delta] : deltas) {
    current.from = date;
    current.occupied += delta.occupied;
    current.reserved += delta.reserved;
    steps.push_back(current);
  }
  return steps;
}

// Placements in id order, each one's holds in holds_of's order, then a stable sort by start: the
// constructor and update() both leave the holds in this order, so ties always break alike.
void sort_and_step(OfferIndex& entry) {
  std::stable_sort(entry.holds.begin(), entry.holds.end(),
                   [](const IndexedHold& a, const IndexedHold& b) { return a.range.from < b.range.from; });
  entry.steps = steps_of(entry.holds);
}

// One offer's entry from the domain's own per-offer index (offer_index.h): from the earliest date,
// placements_to_count returns every placement that is active in the offer or had a stay there that
// ended, which is every placement with a hold in it, in id order. The cost follows the offer's
// placements, not the State's.
OfferIndex index_offer(const domain::State& state, std::string_view id, const domain::OfferState& offer,
                       const std::vector<domain::Date>& structure_changes) {
  OfferIndex entry = new_entry(state, offer, structure_changes);
  for (const domain::PlacementState* placement : domain::placements_to_count(state, offer, kEarliestDate)) {
    for (const domain::Hold& hold : domain::holds_of(*placement)) {
      if (hold.range.empty() || hold.offer_id != id) continue;
      entry.holds.push_back(IndexedHold{hold.range, hold.kind, placement});
    }
  }
  sort_and_step(entry);
  return entry;
}

}  // namespace

PlanningIndex::PlanningIndex(const domain::State& state)
    : state_(&state), structure_changes_(domain::region_structure_changes(state)) {
  offers_.reserve(state.offers.size());
  for (const auto& [id, offer] : state.offers) {
    position_.emplace(std::string_view(id), offers_.size());
    offers_.push_back(new_entry(state, offer, structure_changes_));
  }
  // One pass over every placement: cheaper than index_offer per offer when every offer is built.
  for (const auto& [id, placement] : state.placements) {
    for (const domain::Hold& hold : domain::holds_of(placement)) {
      if (hold.range.empty()) continue;
      auto it = position_.find(hold.offer_id);
      if (it == position_.end()) continue;
      offers_[it->second].holds.push_back(IndexedHold{hold.range, hold.kind, &placement});
    }
  }
  for (OfferIndex& entry : offers_) sort_and_step(entry);
}

void PlanningIndex::update(const TouchedOffers& touched) {
  const domain::State& state = *state_;
  if (touched.regions_changed()) structure_changes_ = domain::region_structure_changes(state);
  // Apply never removes an offer, so the entries kept are the State's offers less those added
  // since; both lists are in id order, so one merge places the new ones.
  if (offers_.size() != state.offers.size()) {
    std::vector<OfferIndex> merged;
    merged.reserve(state.offers.size());
    position_.clear();
    auto kept = offers_.begin();
    for (const auto& [id, offer] : state.offers) {
      position_.emplace(std::string_view(id), merged.size());
      if (kept != offers_.end() && kept->offer == &offer) {
        merged.push_back(std::move(*kept++));
      } else {
        merged.push_back(index_offer(state, id, offer, structure_changes_));
      }
    }
    offers_ = std::move(merged);
  }
  for (const std::string& id : touched.offers()) {
    auto it = position_.find(id);
    if (it == position_.end()) continue;  // an event named an offer apply did not know
    offers_[it->second] = index_offer(state, id, *offers_[it->second].offer, structure_changes_);
  }
  if (touched.regions_changed()) {
    for (OfferIndex& entry : offers_) entry.organisation = organisation_of(state, *entry.offer, structure_changes_);
  }
}

const OfferIndex* PlanningIndex::find(std::string_view offer_id) const {
  auto it = position_.find(offer_id);
  return it == position_.end() ? nullptr : &offers_[it->second];
}

}  // namespace placement::projections

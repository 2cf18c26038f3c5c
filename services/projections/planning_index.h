#pragma once
// A read index over one domain State for the planners' views: every offer with its holds (from
// domain::holds_of, so the counts agree with domain::count_places_on) and its held places as a
// piecewise-constant step function, so "counts on a date" is one binary search per offer.
//
// Contract: the index points into the State it was built from; that State must outlive it and must
// not change while it is used. Building one costs O(P log P) for P placements. When that State
// changes by applying events (never by assignment or erasure: State's maps keep every node, and
// with it every pointer, for as long as the State lives), update() brings the index up to date by
// rebuilding only the entries of the offers the events touched (touched_offers.h): the result is
// the index PlanningIndex(state) would build, entry for entry and pointer for pointer.

#include <array>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "services/domain/dates.h"
#include "services/domain/occupancy.h"
#include "services/domain/state.h"
#include "services/projections/touched_offers.h"

namespace placement::projections {

struct IndexedHold {
  domain::DateRange range;
  domain::HoldKind kind;
  const domain::PlacementState* placement;
};

// Held places from `from` until the next step's date.
struct HeldStep {
  domain::Date from;
  std::int64_t occupied = 0;
  std::int64_t reserved = 0;
};

// How many target groups there are (numbered from 1), so an offer's fit inline.
inline constexpr std::size_t kTargetGroupCount =
    static_cast<std::size_t>(domain::TargetGroup::children_with_complex_difficulties);

// Open places from `from` until the next step's date: the offer's capacity entries, then none
// from its closing date.
struct OpenStep {
  domain::Date from;
  std::int32_t places = 0;
};

// Who operates an offer and in which region, from `from` until the next step's date
// (domain/organisation.h: the operator's region on those dates, 0 if unknown).
struct OrganisationStep {
  domain::Date from;
  std::int32_t operator_code = 0;
  std::int32_t region_code = 0;
  friend bool operator==(const OrganisationStep&, const OrganisationStep&) = default;
};

// The first step of every offer starts here, so a step is in force on every date.
inline constexpr domain::Date kEarliestDate = domain::Date::from_days(std::numeric_limits<std::int32_t>::min());

struct OfferIndex {
  const domain::OfferState* offer = nullptr;
  // Ordered by date, the first from kEarliestDate; a new step only where operator or region changes.
  std::vector<OrganisationStep> organisation;
  std::vector<IndexedHold> holds;  // ordered by (range.from, placement id)
  std::vector<HeldStep> steps;     // ordered by date; nothing held before the first

  // What a view reads of the offer itself, for every offer on every call, copied from it when the
  // entry is built. A national view then walks this array and two short vectors per offer instead
  // of 5 000 OfferStates and their capacity trees, each a cache miss: that was most of its time.
  std::vector<OpenStep> open;  // ordered by date; no places before the first
  std::int64_t waiting = 0;    // the length of the offer's waiting list
  domain::SpecialisationLevel level{};
  std::array<domain::TargetGroup, kTargetGroupCount> target_groups{};  // the first target_group_count: those it serves
  std::size_t target_group_count = 0;

  std::span<const domain::TargetGroup> served_groups() const { return {target_groups.data(), target_group_count}; }

  // Same numbers as domain::count_places_on(state, *offer, date).
  domain::PlaceCounts counts_on(domain::Date date) const;
  // The operator and region in force on `date`.
  const OrganisationStep& organisation_on(domain::Date date) const;
};

class PlanningIndex {
 public:
  explicit PlanningIndex(const domain::State& state);

  // After events were applied to state(), with `touched` noted and settled over exactly those
  // events: rebuilds the touched offers' entries (from the domain's per-offer index,
  // domain::placements_to_count), adds new offers, and recomputes regions when they changed.
  // Costs what the events touched, plus O(offers) when offers were added or regions changed.
  void update(const TouchedOffers& touched);

  const domain::State& state() const { return *state_; }
  // Every offer, in offer id order.
  const std::vector<OfferIndex>& offers() const { return offers_; }
  // domain::region_structure_changes of the State: the regions' membership is constant between them.
  const std::vector<domain::Date>& region_structure_changes() const { return structure_changes_; }
  const OfferIndex* find(std::string_view offer_id) const;

 private:
  const domain::State* state_;
  std::vector<domain::Date> structure_changes_;
  std::vector<OfferIndex> offers_;
  // Keys view the State's map keys, which (unlike OfferState::id) no event ever reassigns.
  std::unordered_map<std::string_view, std::size_t> position_;
};

}  // namespace placement::projections

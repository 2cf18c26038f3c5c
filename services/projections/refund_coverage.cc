#include "services/projections/refund_coverage.h"

#include <algorithm>
#include <optional>
#include <vector>

namespace placement::projections {
namespace {

domain::Date end_of_help(const domain::PlacementState& placement) {
  if (placement.status == domain::PlacementStatus::discharged && placement.discharged_on) {
    return *placement.discharged_on;
  }
  return domain::Date::max();
}

// Admitted, or discharged after at least one day.
bool gives_help(const domain::PlacementState& placement) {
  const bool stayed =
      placement.status == domain::PlacementStatus::admitted || placement.status == domain::PlacementStatus::discharged;
  return stayed && placement.admitted_on && *placement.admitted_on < end_of_help(placement);
}

}  // namespace

bool RefundCoverage::counts(const domain::PlacementState& placement) const {
  if (placement.age_at_start < kRefundAgeLimit) return true;
  if (!built_) build();
  return continued_.contains(&placement);
}

void RefundCoverage::build() const {
  built_ = true;
  std::unordered_set<std::string_view> older;  // citizens with a placement begun at 67 or older
  for (const auto& [id, placement] : state_->placements) {
    if (placement.age_at_start >= kRefundAgeLimit && gives_help(placement)) older.insert(placement.citizen.citizen_id);
  }
  if (older.empty()) return;
  std::unordered_map<std::string_view, std::vector<const domain::PlacementState*>> by_citizen;
  for (const auto& [id, placement] : state_->placements) {
    if (gives_help(placement) && older.contains(placement.citizen.citizen_id)) {
      by_citizen[placement.citizen.citizen_id].push_back(&placement);
    }
  }
  for (auto& [citizen, placements] : by_citizen) {
    // By admission, then id (the map's order): a placement can continue only help that began before it.
    std::stable_sort(placements.begin(), placements.end(),
                     [](const auto* a, const auto* b) { return *a->admitted_on < *b->admitted_on; });
    std::optional<domain::Date> covered_until;  // the end of the counting help so far
    for (const domain::PlacementState* p : placements) {
      const bool counting = p->age_at_start < kRefundAgeLimit || (covered_until && *p->admitted_on <= *covered_until);
      if (!counting) continue;
      if (p->age_at_start >= kRefundAgeLimit) continued_.insert(p);
      const domain::Date end = end_of_help(*p);
      if (!covered_until || end > *covered_until) covered_until = end;
    }
  }
}

}  // namespace placement::projections

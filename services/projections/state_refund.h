#pragma once
// State refund for particularly expensive single cases (statsrefusion; serviceloven § 176, barnets
// lov § 198), DOMAIN.md's rules:
// - marginal tiers per year (planning_inputs.h): each percentage applies to the part of the yearly
//   cost above its threshold and below the next one;
// - cost is counted per calendar month against 1/12 of the yearly thresholds: a month with net cost
//   c refunds Σ_i p_i × (min(12c, T_{i+1}) − T_i)⁺ ÷ 12. The numerators of a year are summed exactly
//   and divided once, rounded half away from zero to whole øre, per refund case;
// - income (user payments, other refunds) recorded against the placement for the month is deducted
//   first; a month's net cost is never below 0 (income beyond the month's cost does not carry over);
// - cost financed through an objective key never counts: only what the paying municipality pays per
//   occupied place-day counts (TAKST rate, OBJEKTIV and MIXED usage parts, BASIS co-payments);
//   vacancy shares and MIXED objective parts are not a citizen's cost;
// - a refund case is (unit, paying municipality, year), each municipality's own cost assessed. The
//   unit is the citizen (citizen_id); for a child under 18 with a household (household_id) it is
//   the household, so the children of one household are summed. The ids are opaque and survive a
//   citizen's erasure, so the refund is the same before and after. Age in a month = age_at_start + whole
//   years from the requested start to the month's first day;
// - only citizens under 67, or covered just before turning 67: refund_coverage.h, by citizen (a
//   placement begun under 67, and one begun later that continues its help without a gap).

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "services/base/types.h"
#include "services/domain/money.h"
#include "services/domain/planning_inputs.h"
#include "services/domain/state.h"
#include "services/projections/refund_coverage.h"

namespace placement::projections {

// What a placement costs its paying municipality per occupied day over a range (part of the period).
struct PlacementCost {
  const domain::PlacementState* placement = nullptr;
  domain::DateRange days;  // finite
  Ore daily{0};
};

// 12 × 10000 × the refund of one month with net cost `net_month`, exactly.
domain::Int128 refund_numerator(Ore net_month, const std::vector<domain::RefundTier>& tiers);

// The refund of a case from its months' net costs, rounded once (half away from zero).
Ore refund_of_months(std::span<const Ore> net_months, const std::vector<domain::RefundTier>& tiers);

// "citizen:<citizen_id>" or, for a child under 18 in the month with a household, "household:<household_id>".
std::string refund_unit(const domain::PlacementState& placement, domain::YearMonth month);

// Begun under 67 (the placement's own part of the rule; RefundCoverage adds the continuation).
bool counts_for_refund(const domain::PlacementState& placement);

// One run of months of one cost entry that belongs to one refund case (state_refund.cc). One
// cache line, with everything the grouping needs, so that it never goes back to the placement.
struct RefundSegment {
  std::uint64_t hash = 0;                             // of the case's key
  std::string_view unit;                              // household_id or citizen_id, viewing the placement's string
  const domain::PlacementState* placement = nullptr;  // for its income
  Ore daily{0};
  domain::DateRange days;  // the entry's
  std::int32_t municipality = 0;
  std::int16_t year = 0;
  std::uint8_t first_month = 0;  // 1..12, inclusive
  std::uint8_t last_month = 0;
  bool household = false;
};

// The refund cases of a set of placement costs, gathered one entry at a time, so that a caller who
// walks the placements anyway (compute_financing) reads each placement once, for both purposes.
// add() reads the placement's node and its citizen's or household's id; at national scale those lie
// scattered in memory, so a caller adding many should call prefetch_placement for the entry a few
// ahead and prefetch_ids for one nearer, as state_refunds does. The placements must outlive refunds().
// Cost: O(1) per entry and calendar year it touches (a segment each), with no string hashed twice;
// refunds() a bucket sort of the segments by their key's hash, then one sequential pass.
class RefundCases {
 public:
  // Without a coverage, only placements begun under 67 count (counts_for_refund). The coverage
  // must outlive add().
  explicit RefundCases(std::size_t expected_entries = 0, const RefundCoverage* coverage = nullptr);

  void add(const PlacementCost& cost);

  // Refund per paying municipality: every municipality with a case in a year with tiers, its sum
  // over those cases (0 included). Months of a year without tiers refund nothing.
  std::map<std::int32_t, Ore> refunds(const domain::PlanningInputs& inputs) const;

  // Hints (no effect on results): ask for the node's fields add() reads, and for the ids' heap
  // blocks (this one reads the node, so call it once the node has had time to come).
  static void prefetch_placement(const domain::PlacementState* placement);
  static void prefetch_ids(const domain::PlacementState* placement);

 private:
  std::vector<RefundSegment> segments_;
  const RefundCoverage* coverage_;
};

// Refund per paying municipality from the placements' costs (any order; overlapping entries for one
// placement are summed): RefundCases over `costs`, with `coverage` if given.
std::map<std::int32_t, Ore> state_refunds(const domain::PlanningInputs& inputs, std::span<const PlacementCost> costs,
                                          const RefundCoverage* coverage = nullptr);

}  // namespace placement::projections

#include "services/projections/state_refund.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "services/projections/intervals.h"

namespace placement::projections {

using domain::Int128;

namespace {
constexpr std::int64_t kMonthsPerYear = 12;
}  // namespace

Int128 refund_numerator(Ore net_month, const std::vector<domain::RefundTier>& tiers) {
  const Int128 yearly = static_cast<Int128>(std::max<std::int64_t>(net_month.value, 0)) * kMonthsPerYear;
  Int128 numerator = 0;
  for (std::size_t i = 0; i < tiers.size(); ++i) {
    const Int128 lower = tiers[i].threshold_per_year.value;
    if (yearly <= lower) break;
    const Int128 upper =
        i + 1 < tiers.size() ? std::min<Int128>(yearly, tiers[i + 1].threshold_per_year.value) : yearly;
    numerator += (upper - lower) * tiers[i].percent_bp;
  }
  return numerator;
}

namespace {

// refund_of_months in 64 bits, when that is exact: tiers as planning_events validates them
// (thresholds >= 0 and strictly increasing, percentages 0..10000), at most 12 months and none above kSmallMonth. Then a
// month's numerator is at most 12 × net × 10000, and twelve of them, doubled and rounded, stay below 2^63.
// The 128-bit path was most of the per-case work (most national cases do refund).
constexpr std::int64_t kSmallMonth =
    std::numeric_limits<std::int64_t>::max() / (4 * kMonthsPerYear * kMonthsPerYear * domain::kBasisPointsWhole);

std::optional<Ore> refund_of_small_months(std::span<const Ore> net_months,
                                          const std::vector<domain::RefundTier>& tiers) {
  if (net_months.size() > static_cast<std::size_t>(kMonthsPerYear)) return std::nullopt;
  std::int64_t previous = -1;
  for (const domain::RefundTier& tier : tiers) {
    if (tier.threshold_per_year.value <= previous || tier.percent_bp < 0 ||
        tier.percent_bp > domain::kBasisPointsWhole) {
      return std::nullopt;
    }
    previous = tier.threshold_per_year.value;
  }
  std::int64_t numerator = 0;
  for (Ore net : net_months) {
    if (net.value > kSmallMonth) return std::nullopt;
    const std::int64_t yearly = std::max<std::int64_t>(net.value, 0) * kMonthsPerYear;
    for (std::size_t i = 0; i < tiers.size(); ++i) {
      const std::int64_t lower = tiers[i].threshold_per_year.value;
      if (yearly <= lower) break;
      const std::int64_t upper =
          i + 1 < tiers.size() ? std::min(yearly, tiers[i + 1].threshold_per_year.value) : yearly;
      numerator += (upper - lower) * tiers[i].percent_bp;
    }
  }
  // divide_round_half_away for a numerator >= 0
  constexpr std::int64_t kDenominator = kMonthsPerYear * domain::kBasisPointsWhole;
  return Ore{(2 * numerator + kDenominator) / (2 * kDenominator)};
}

}  // namespace

Ore refund_of_months(std::span<const Ore> net_months, const std::vector<domain::RefundTier>& tiers) {
  if (auto small = refund_of_small_months(net_months, tiers)) return *small;
  Int128 numerator = 0;
  for (Ore net : net_months) numerator += refund_numerator(net, tiers);
  if (numerator == 0) return Ore{0};
  return Ore{static_cast<std::int64_t>(
      domain::divide_round_half_away(numerator, static_cast<Int128>(kMonthsPerYear) * domain::kBasisPointsWhole))};
}

bool counts_for_refund(const domain::PlacementState& placement) { return placement.age_at_start < kRefundAgeLimit; }

namespace {

bool is_household_child(const domain::PlacementState& placement, domain::YearMonth month) {
  if (placement.citizen.household_id.empty()) return false;
  const std::int32_t age = placement.age_at_start + whole_years_between(placement.requested_start, month.first_day());
  return age < domain::kAdultAge;
}

// How refund cases are grouped (docs/BENCHMARKS.md §3). At national scale a year's financing has
// ~150 000 cost entries and ~100 000 refund cases, keyed by (paying municipality, year, household?,
// unit id), the unit id a 32-character string in a heap block of the placement's. Hashing those ids
// into a node-based unordered_map was three quarters of the financing view: each entry waited in
// turn for its placement's node, then its id, then a bucket and a node of the map, and destroying
// the map walked every node again. Now:
//   1. add(): read the placement (the caller prefetches it), cut the entry's months into segments of
//      one case each (a calendar year, or a run of months with one unit for a child of a household,
//      who leaves the household's unit at 18), and hash each segment's key once;
//   2. refunds(): bucket-sort the segments by the hash's top bits (two sequential passes), sort each
//      small bucket by (hash, key), so each case's segments lie next to each other;
//   3. walk the sorted segments once: a run of equal keys is a case; deduct income, refund it, sum
//      per municipality. No table, no case array, no random access after step 1.
// The order compares the ids themselves where hashes are equal (a hash only orders), so the cases,
// and with them every øre, are those of a map keyed by the ids.

std::uint64_t mix(std::uint64_t h) {  // MurmurHash3's finaliser: every key bit reaches the top bits
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

std::uint64_t hash_of(std::string_view unit, std::int32_t municipality, int year, bool household) {
  const std::uint64_t rest = (static_cast<std::uint64_t>(static_cast<std::uint32_t>(municipality)) << 32) ^
                             (static_cast<std::uint64_t>(static_cast<std::uint32_t>(year)) << 1) ^
                             static_cast<std::uint64_t>(household);
  return mix(std::hash<std::string_view>{}(unit) ^ mix(rest));
}

bool same_unit(std::string_view a, std::string_view b) {
  return (a.data() == b.data() && a.size() == b.size()) || a == b;  // mostly one placement's own id
}

bool same_case(const RefundSegment& a, const RefundSegment& b) {
  return a.hash == b.hash && a.municipality == b.municipality && a.year == b.year && a.household == b.household &&
         same_unit(a.unit, b.unit);
}

// A strict order with equal keys adjacent: by hash, then the key itself (hashes may collide).
bool case_order(const RefundSegment& a, const RefundSegment& b) {
  if (a.hash != b.hash) return a.hash < b.hash;
  if (a.municipality != b.municipality) return a.municipality < b.municipality;
  if (a.year != b.year) return a.year < b.year;
  if (a.household != b.household) return a.household < b.household;
  if (same_unit(a.unit, b.unit)) return false;
  return a.unit < b.unit;
}

// A month whose yearly equivalent is at most the first threshold refunds nothing (refund_numerator):
// when no month of a case passes it, the case refunds 0 without more arithmetic. Months without
// cost hold 0, which passes no threshold (thresholds are non-negative; were one negative, the case
// would just take the exact path).
bool below_first_tier(const std::array<std::int64_t, 12>& months, const std::vector<domain::RefundTier>& tiers) {
  if (tiers.empty()) return true;
  const std::int64_t highest = *std::max_element(months.begin(), months.end());
  return static_cast<Int128>(highest) * kMonthsPerYear <= tiers.front().threshold_per_year.value;
}

}  // namespace

std::string refund_unit(const domain::PlacementState& placement, domain::YearMonth month) {
  return is_household_child(placement, month) ? "household:" + placement.citizen.household_id
                                              : "citizen:" + placement.citizen.citizen_id;
}

RefundCases::RefundCases(std::size_t expected_entries, const RefundCoverage* coverage) : coverage_(coverage) {
  segments_.reserve(expected_entries + expected_entries / 8);
}

void RefundCases::prefetch_placement(const domain::PlacementState* placement) {
  __builtin_prefetch(&placement->citizen);       // the ids' addresses and sizes
  __builtin_prefetch(&placement->age_at_start);  // with paying_municipality
  // (requested_start is read only for children with a household: not worth a prefetch each)
}

void RefundCases::prefetch_ids(const domain::PlacementState* placement) {
  __builtin_prefetch(placement->citizen.citizen_id.data());
  __builtin_prefetch(placement->citizen.household_id.data());
}

void RefundCases::add(const PlacementCost& entry) {
  const domain::PlacementState& placement = *entry.placement;
  if (entry.days.empty()) return;
  if (!counts_for_refund(placement) && !(coverage_ && coverage_->counts(placement))) return;
  // A child with a household may change unit at 18, so ask per month; others are one unit per year.
  const bool per_month = !placement.citizen.household_id.empty() && placement.age_at_start < domain::kAdultAge;
  const domain::YearMonth first = domain::YearMonth::of(entry.days.from);
  const domain::YearMonth last = domain::YearMonth::of(domain::add_days(entry.days.to, -1));
  auto emit = [&](int year, unsigned from_month, unsigned to_month, bool household) {
    RefundSegment s;
    s.unit =
        household ? std::string_view(placement.citizen.household_id) : std::string_view(placement.citizen.citizen_id);
    s.placement = &placement;
    s.daily = entry.daily;
    s.days = entry.days;
    s.municipality = placement.paying_municipality;
    s.year = static_cast<std::int16_t>(year);  // dates are of years 1..9999
    s.first_month = static_cast<std::uint8_t>(from_month);
    s.last_month = static_cast<std::uint8_t>(to_month);
    s.household = household;
    s.hash = hash_of(s.unit, s.municipality, year, s.household);
    segments_.push_back(s);
  };
  for (int year = first.year; year <= last.year; ++year) {
    const unsigned from_month = year == first.year ? first.month : 1;
    const unsigned to_month = year == last.year ? last.month : 12;
    if (!per_month) {
      emit(year, from_month, to_month, false);
      continue;
    }
    unsigned run_from = from_month;
    bool run_household = is_household_child(placement, domain::YearMonth{year, from_month});
    for (unsigned month = from_month + 1; month <= to_month; ++month) {
      const bool household = is_household_child(placement, domain::YearMonth{year, month});
      if (household == run_household) continue;
      emit(year, run_from, month - 1, run_household);
      run_from = month;
      run_household = household;
    }
    emit(year, run_from, to_month, run_household);
  }
}

std::map<std::int32_t, Ore> RefundCases::refunds(const domain::PlanningInputs& inputs) const {
  // Step 2: buckets of ~16 segments by the hash's top bits, then each bucket sorted.
  const std::size_t n = segments_.size();
  unsigned bits = 1;
  while (bits < 24 && (std::size_t{1} << bits) * 16 < n) ++bits;
  const unsigned shift = 64 - bits;
  std::vector<std::uint32_t> starts((std::size_t{1} << bits) + 1, 0);
  for (const RefundSegment& s : segments_) ++starts[(s.hash >> shift) + 1];
  for (std::size_t b = 1; b < starts.size(); ++b) starts[b] += starts[b - 1];
  std::vector<RefundSegment> sorted(n);
  {
    std::vector<std::uint32_t> next(starts.begin(), starts.end() - 1);
    for (const RefundSegment& s : segments_) sorted[next[s.hash >> shift]++] = s;
  }
  for (std::size_t b = 0; b + 1 < starts.size(); ++b) {
    std::sort(sorted.begin() + starts[b], sorted.begin() + starts[b + 1], case_order);
  }

  // Step 3: one case per run of equal keys.
  const bool any_income = !inputs.income.empty();  // else no placement need be looked at again
  std::vector<std::pair<unsigned, const domain::PlacementState*>> income_uses;  // (month, placement) of a case
  std::unordered_map<std::int32_t, Ore> by_municipality;                        // ~100 codes: hot, unlike a map's nodes
  bool looked_up = false;  // the cases of one call are almost all of one or two years
  int tiers_year = 0;
  const std::vector<domain::RefundTier>* tiers = nullptr;
  for (std::size_t i = 0; i < n;) {
    const RefundSegment& head = sorted[i];
    std::array<std::int64_t, 12> cost{};  // per month; net of income after the deduction
    std::uint16_t months_with_cost = 0;   // bit m−1 for month m
    income_uses.clear();
    std::size_t j = i;
    for (; j < n && same_case(sorted[j], head); ++j) {
      const RefundSegment& s = sorted[j];
      // Month boundaries by day arithmetic: one civil conversion per segment, not per month.
      domain::Date month_start = domain::Date::from_civil(s.year, s.first_month, 1);
      for (unsigned month = s.first_month; month <= s.last_month; ++month) {
        const domain::Date month_end = domain::add_days(month_start, domain::days_in_month(s.year, month));
        const domain::Date from = std::max(month_start, s.days.from);
        const domain::Date to = std::min(month_end, s.days.to);
        cost[month - 1] += s.daily.value * domain::days_between(from, to);
        months_with_cost = static_cast<std::uint16_t>(months_with_cost | (1U << (month - 1)));
        if (any_income) income_uses.emplace_back(month, s.placement);
        month_start = month_end;
      }
    }
    i = j;
    if (!looked_up || head.year != tiers_year) {
      tiers = tiers_for_year(inputs, head.year);
      tiers_year = head.year;
      looked_up = true;
    }
    if (!tiers) continue;  // months of a year without tiers refund nothing
    // Each placement's income of a month is deducted once from each case it has cost in then.
    std::sort(income_uses.begin(), income_uses.end());
    income_uses.erase(std::unique(income_uses.begin(), income_uses.end()), income_uses.end());
    for (const auto& [month, placement] : income_uses) {
      cost[month - 1] -= income_of(inputs, placement->id, domain::YearMonth{head.year, month}).total().value;
    }
    Ore& refund = by_municipality[head.municipality];
    if (below_first_tier(cost, *tiers)) continue;
    std::array<Ore, 12> nets{};  // the months with cost, as refund_of_months takes them
    std::size_t count = 0;
    for (unsigned m = 0; m < 12; ++m) {
      if (months_with_cost & (1U << m)) nets[count++] = Ore{cost[m]};
    }
    refund += refund_of_months(std::span<const Ore>(nets.data(), count), *tiers);
  }
  return {by_municipality.begin(), by_municipality.end()};
}

std::map<std::int32_t, Ore> state_refunds(const domain::PlanningInputs& inputs, std::span<const PlacementCost> costs,
                                          const RefundCoverage* coverage) {
  RefundCases cases(costs.size(), coverage);
  constexpr std::size_t kAhead = 8;  // a node 16 entries ahead, its ids 8 ahead
  for (std::size_t i = 0; i < costs.size(); ++i) {
    if (i + 2 * kAhead < costs.size()) RefundCases::prefetch_placement(costs[i + 2 * kAhead].placement);
    if (i + kAhead < costs.size()) RefundCases::prefetch_ids(costs[i + kAhead].placement);
    cases.add(costs[i]);
  }
  return cases.refunds(inputs);
}

}  // namespace placement::projections

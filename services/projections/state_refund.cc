#include "services/projections/state_refund.h"

#include <algorithm>
#include <array>
#include <memory_resource>
#include <unordered_map>

#include <boost/container/small_vector.hpp>

#include "services/projections/intervals.h"

namespace placement::projections {

using domain::Int128;

namespace {
constexpr std::int64_t kMonthsPerYear = 12;
}  // namespace

Int128 refund_numerator(Ore net_month, const std::vector<RefundTier>& tiers) {
  const Int128 yearly = static_cast<Int128>(std::max<std::int64_t>(net_month.value, 0)) * kMonthsPerYear;
  Int128 numerator = 0;
  for (std::size_t i = 0; i < tiers.size(); ++i) {
    const Int128 lower = tiers[i].threshold_per_year.value;
    if (yearly <= lower) break;
    const Int128 upper = i + 1 < tiers.size() ? std::min<Int128>(yearly, tiers[i + 1].threshold_per_year.value) : yearly;
    numerator += (upper - lower) * tiers[i].percent_bp;
  }
  return numerator;
}

Ore refund_of_months(std::span<const Ore> net_months, const std::vector<RefundTier>& tiers) {
  Int128 numerator = 0;
  for (Ore net : net_months) numerator += refund_numerator(net, tiers);
  return Ore{static_cast<std::int64_t>(
      domain::divide_round_half_away(numerator, static_cast<Int128>(kMonthsPerYear) * domain::kBasisPointsWhole))};
}

bool counts_for_refund(const domain::PlacementState& placement) { return placement.age_at_start < kRefundAgeLimit; }

namespace {

// A refund case: (paying municipality, year, unit). The unit is an opaque id (household's or citizen's).
struct CaseKey {
  std::int32_t municipality = 0;
  int year = 0;
  bool household = false;
  std::string_view unit;
  friend bool operator==(const CaseKey&, const CaseKey&) = default;
};

struct CaseKeyHash {
  std::size_t operator()(const CaseKey& k) const {
    std::size_t h = std::hash<std::string_view>{}(k.unit);
    h ^= std::hash<std::int64_t>{}((static_cast<std::int64_t>(k.municipality) << 20) ^ (k.year << 1) ^ k.household) +
         0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h;
  }
};

struct Case {
  std::array<std::int64_t, 12> cost{};
  // Placements with cost in the case and the months they have it in (bit m−1 for month m), so each
  // placement's income of a month is deducted once. Almost every case has one placement: kept
  // inline, so building the cases allocates only the hash nodes.
  boost::container::small_vector<std::pair<const domain::PlacementState*, std::uint16_t>, 2> placements;

  void add(const domain::PlacementState* placement, unsigned month, Ore amount) {
    cost[month - 1] += amount.value;
    const auto bit = static_cast<std::uint16_t>(1U << (month - 1));
    for (auto& [p, months] : placements) {
      if (p == placement) {
        months = static_cast<std::uint16_t>(months | bit);
        return;
      }
    }
    placements.emplace_back(placement, bit);
  }
};

bool is_household_child(const domain::PlacementState& placement, YearMonth month) {
  if (placement.citizen.household_id.empty()) return false;
  const std::int32_t age =
      placement.age_at_start + whole_years_between(placement.requested_start, month.first_day());
  return age < domain::kAdultAge;
}

CaseKey key_of(const domain::PlacementState& placement, YearMonth month) {
  const bool household = is_household_child(placement, month);
  return CaseKey{placement.paying_municipality, month.year, household,
                 household ? std::string_view(placement.citizen.household_id)
                           : std::string_view(placement.citizen.citizen_id)};
}

}  // namespace

std::string refund_unit(const domain::PlacementState& placement, YearMonth month) {
  return is_household_child(placement, month) ? "household:" + placement.citizen.household_id
                                              : "citizen:" + placement.citizen.citizen_id;
}

std::map<std::int32_t, Ore> state_refunds(const PlanningInputs& inputs, std::span<const PlacementCost> costs) {
  // One case per unit and year, ~100 000 at national scale: their nodes come from one arena,
  // freed at once, instead of one malloc and one free each.
  std::pmr::monotonic_buffer_resource arena(costs.size() * sizeof(std::pair<const CaseKey, Case>) + 4096);
  std::pmr::unordered_map<CaseKey, Case, CaseKeyHash> cases(&arena);
  cases.reserve(costs.size());
  // The placements lie scattered in the state's map: at national scale, waiting for each one to
  // come from memory was half of the whole financing view. Ask for them a few entries ahead.
  constexpr std::size_t kPrefetchAhead = 8;
  for (std::size_t i = 0; i < costs.size(); ++i) {
    if (i + kPrefetchAhead < costs.size()) {
      const domain::PlacementState* ahead = costs[i + kPrefetchAhead].placement;
      __builtin_prefetch(&ahead->age_at_start);               // counts_for_refund, key_of
      __builtin_prefetch(ahead->citizen.citizen_id.data());  // the case's key, hashed
    }
    const PlacementCost& entry = costs[i];
    const domain::PlacementState& placement = *entry.placement;
    if (!counts_for_refund(placement) || entry.days.empty()) continue;
    // A child with a household may change unit at 18, so look the case up per month; others per year.
    const bool per_month = !placement.citizen.household_id.empty() && placement.age_at_start < domain::kAdultAge;
    Case* current = nullptr;
    // Month boundaries by day arithmetic: one civil conversion per entry, not per month.
    YearMonth month = YearMonth::of(entry.days.from);
    domain::Date month_start = month.first_day();
    while (month_start < entry.days.to) {
      const domain::Date month_end = domain::add_days(month_start, domain::days_in_month(month.year, month.month));
      const domain::Date from = std::max(month_start, entry.days.from);
      const domain::Date to = std::min(month_end, entry.days.to);
      if (!current || per_month || month.month == 1) current = &cases[key_of(placement, month)];
      current->add(&placement, month.month, Ore{entry.daily.value * domain::days_between(from, to)});
      month = month.next();
      month_start = month_end;
    }
  }

  std::map<std::int32_t, Ore> refunds;
  std::array<Ore, 12> nets{};
  const bool any_income = !inputs.income.empty();  // else no placement need be looked at again
  for (const auto& [key, c] : cases) {
    const std::vector<RefundTier>* tiers = tiers_for_year(inputs, key.year);
    if (!tiers) continue;
    std::size_t n = 0;
    for (unsigned month = 1; month <= 12; ++month) {
      const auto bit = 1U << (month - 1);
      bool has_cost = false;
      Ore net{c.cost[month - 1]};
      for (const auto& [placement, months] : c.placements) {
        if ((months & bit) == 0) continue;
        has_cost = true;
        if (any_income) net -= income_of(inputs, placement->id, YearMonth{key.year, month}).total();
      }
      if (has_cost) nets[n++] = net;
    }
    refunds[key.municipality] += refund_of_months(std::span<const Ore>(nets.data(), n), *tiers);
  }
  return refunds;
}

}  // namespace placement::projections

#include "services/projections/financing.h"

#include <algorithm>
#include <limits>
#include <map>
#include <unordered_map>
#include <utility>

#include "services/domain/case_costs.h"
#include "services/domain/money.h"
#include "services/projections/intervals.h"
#include "services/projections/objective_split.h"
#include "services/projections/occupancy_view.h"
#include "services/projections/state_refund.h"

namespace placement::projections {
namespace {

using domain::Date;
using domain::DateRange;
using domain::Int128;

// rate × days in 128 bits; remembers an overflow so the view can refuse instead of wrapping.
struct Checked {
  bool overflow = false;
  Ore times(Ore rate, std::int64_t days) {
    const Int128 product = static_cast<Int128>(rate.value) * days;
    if (product > std::numeric_limits<std::int64_t>::max() || product < std::numeric_limits<std::int64_t>::min()) {
      overflow = true;
      return Ore{0};
    }
    return Ore{static_cast<std::int64_t>(product)};
  }
};

// A sub-range of the period with one rate in force, within one calendar year.
struct Piece {
  DateRange range;
  bool priced = false;
  DailyAmounts amounts;
  std::int64_t open = 0;
  std::int64_t occupied = 0;
};

std::vector<Piece> pieces_of(const OfferIndex& offer, const FinancingTerms& terms, const DateRange& period) {
  std::vector<Piece> pieces;
  terms.for_each_segment(period, [&](const DateRange& segment, const DailyAmounts* amounts) {
    for (Date from = segment.from; from < segment.to;) {
      const Date year_end = Date::from_civil(from.year() + 1, 1, 1);
      const Date to = year_end < segment.to ? year_end : segment.to;
      Piece piece;
      piece.range = DateRange{from, to};
      piece.priced = amounts != nullptr;
      if (amounts) piece.amounts = *amounts;
      piece.open = open_place_days(*offer.offer, piece.range);
      pieces.push_back(piece);
      from = to;
    }
  });
  return pieces;
}

// What one occupied stay's part in a priced piece charges its paying municipality. Gathered per
// offer without reading the placement; charged in one pass afterwards (charge_payers).
struct Charge {
  const domain::PlacementState* placement = nullptr;
  DateRange days;
  std::int64_t day_count = 0;
  Ore usage{0};
  Ore copayments{0};
  Ore billed_daily{0};  // what counts for the state refund, per day
};

struct Computation {
  const PlanningIndex& index;
  const domain::PlanningInputs& inputs;
  const DateRange& period;
  const FinancingOverrides& overrides;

  Checked checked;
  std::map<std::int32_t, MunicipalityFinancing> municipalities;
  std::map<std::pair<std::int32_t, int>, RegionGrant> regions;
  std::vector<Charge> charges;  // see charge_payers
  // By (catchment region as named, 0 = national; the part of the region structure's timeline).
  std::map<std::pair<std::int32_t, std::size_t>, CatchmentKey> keys;

  MunicipalityFinancing& municipality(std::int32_t code) {
    MunicipalityFinancing& m = municipalities[code];
    m.municipality_code = code;
    return m;
  }

  // The catchment's key on `date`; the region structure is constant between its changes, so one
  // key per catchment and part of that timeline.
  const CatchmentKey& key_of(domain::Catchment catchment, Date date) {
    const auto& changes = index.region_structure_changes();
    const auto epoch =
        static_cast<std::size_t>(std::upper_bound(changes.begin(), changes.end(), date) - changes.begin());
    auto it = keys.find({catchment.region_code, epoch});
    if (it == keys.end()) {
      it = keys.emplace(std::pair{catchment.region_code, epoch}, catchment_key(index.state(), inputs, catchment, date))
               .first;
    }
    return it->second;
  }

  // The parts of the period with one operator, one region and one catchment key in force for the
  // offer: a period crossing a change of the organisation is split at its date.
  std::vector<DateRange> segments_of(const OfferIndex& offer, const FinancingTerms& terms) {
    std::vector<Date> cuts;
    for (const OrganisationStep& step : offer.organisation) {
      if (step.from > period.from && step.from < period.to) cuts.push_back(step.from);
    }
    const domain::Catchment catchment = offer.offer->catchment;
    const bool split_by_key = terms.financing().model == domain::FinancingModel::objektiv ||
                              terms.financing().model == domain::FinancingModel::mixed;
    if (split_by_key && !catchment.is_national()) {
      for (Date change : index.region_structure_changes()) {
        if (change <= period.from || change >= period.to) continue;
        if (!(key_of(catchment, domain::add_days(change, -1)) == key_of(catchment, change))) cuts.push_back(change);
      }
    }
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    std::vector<DateRange> segments;
    Date from = period.from;
    for (Date cut : cuts) {
      segments.push_back(DateRange{from, cut});
      from = cut;
    }
    segments.push_back(DateRange{from, period.to});
    return segments;
  }

  // Occupied place-days per piece, and what each stay charges (charged to its payer later).
  // Reads the holds only, never a placement.
  void charge_usage(const OfferIndex& offer, const DateRange& segment, std::vector<Piece>& pieces,
                    OfferFinancing& out) {
    for (const IndexedHold& hold : offer.holds) {
      if (hold.range.from >= segment.to) break;  // ordered by start
      // Most holds of an offer ended before the period (the holds go back to the first placement):
      // skip them before anything else.
      if (hold.range.to <= segment.from || hold.kind != domain::HoldKind::occupied) continue;
      const auto stay = domain::overlap(hold.range, segment);
      if (!stay) continue;
      for (Piece& piece : pieces) {
        const auto part = domain::overlap(piece.range, *stay);
        if (!part) continue;
        const std::int64_t days = part->days();
        piece.occupied += days;
        out.occupied_place_days += days;
        if (!piece.priced) continue;
        charges.push_back(Charge{hold.placement, *part, days, checked.times(piece.amounts.usage_per_occupied_day, days),
                                 checked.times(piece.amounts.copayment_per_occupied_day, days),
                                 piece.amounts.billed_per_occupied_day()});
      }
    }
  }

  // Charges every stay to its paying municipality and gathers the state refund's cases, in one pass
  // over the placements. At national scale these are ~150 000 placement nodes scattered in the
  // State's map (and each an id in a heap block of its own): reading them one after another, each
  // waiting for memory, was most of this view (docs/BENCHMARKS.md §3). So ask for a node 16 charges
  // ahead and for its ids 8 ahead, and read each placement only here, for both purposes.
  std::map<std::int32_t, Ore> charge_payers() {
    const RefundCoverage coverage(index.state());
    RefundCases refund_cases(charges.size(), &coverage);
    // Payers by code: a cache of the map's nodes (which never move), ~100 of them.
    std::unordered_map<std::int32_t, MunicipalityFinancing*> payers;
    constexpr std::size_t kAhead = 8;
    for (std::size_t i = 0; i < charges.size(); ++i) {
      if (i + 2 * kAhead < charges.size()) RefundCases::prefetch_placement(charges[i + 2 * kAhead].placement);
      if (i + kAhead < charges.size()) RefundCases::prefetch_ids(charges[i + kAhead].placement);
      const Charge& charge = charges[i];
      const std::int32_t code = charge.placement->paying_municipality;
      MunicipalityFinancing*& payer = payers[code];
      if (!payer) payer = &municipality(code);
      payer->occupied_place_days += charge.day_count;
      payer->usage_payments += charge.usage;
      payer->copayments += charge.copayments;
      refund_cases.add(PlacementCost{charge.placement, charge.days, charge.billed_daily});
    }
    add_case_costs(refund_cases);
    return refund_cases.refunds(inputs);
  }

  // Case costs recorded for months that touch the period count in full, as income does: each month's
  // amount as one entry of that month (on its first day), charged to the placement's payer.
  void add_case_costs(RefundCases& refund_cases) {
    for (const auto& [placement_id, months] : inputs.case_costs) {
      const domain::PlacementState* placement = domain::find_placement(index.state(), placement_id);
      if (!placement) continue;
      for (const domain::YearMonth month : domain::case_cost_months(inputs, placement_id)) {
        if (month.first_day() >= period.to || month.end() <= period.from) continue;
        const Ore amount = domain::case_cost_in_month(inputs, placement_id, month);
        if (amount.value == 0) continue;
        municipality(placement->paying_municipality).case_costs += amount;
        const Date first = month.first_day();
        refund_cases.add(PlacementCost{placement, DateRange{first, domain::add_days(first, 1)}, amount});
      }
    }
  }

  Status split(Ore amount, const CatchmentKey& key, Ore MunicipalityFinancing::*field) {
    PLACEMENT_TRY(shares, split_by_key(amount, key));
    for (const KeyShare& share : shares) {
      if (share.amount.value != 0) municipality(share.municipality_code).*field += share.amount;
    }
    return ok();
  }

  // One row per segment of the period (segments_of), each split by its own catchment key.
  Status offer_financing(const OfferIndex& offer, std::vector<OfferFinancing>& rows) {
    const FinancingTerms terms(*offer.offer, overrides);
    for (const DateRange& segment : segments_of(offer, terms)) {
      PLACEMENT_TRY(row, segment_financing(offer, terms, segment));
      rows.push_back(std::move(row));
    }
    return ok();
  }

  Result<OfferFinancing> segment_financing(const OfferIndex& offer, const FinancingTerms& terms,
                                           const DateRange& segment) {
    const OrganisationStep& organisation = offer.organisation_on(segment.from);
    OfferFinancing out;
    out.offer_id = offer.offer->id;
    out.period = segment;
    out.operator_code = organisation.operator_code;
    out.region_code = organisation.region_code;
    out.financing = terms.financing();

    std::vector<Piece> pieces = pieces_of(offer, terms, segment);
    charge_usage(offer, segment, pieces, out);
    for (const Piece& piece : pieces) {
      out.open_place_days += piece.open;
      if (!piece.priced) {
        out.unpriced_place_days += piece.open;
        continue;
      }
      const DailyAmounts& a = piece.amounts;
      const std::int64_t vacant = piece.open - piece.occupied;
      out.usage_paid += checked.times(a.usage_per_occupied_day, piece.occupied);
      const Ore copayments = checked.times(a.copayment_per_occupied_day, piece.occupied);
      out.copayments += copayments;
      out.operator_vacancy += checked.times(a.operator_vacancy_per_day, vacant);
      out.vacancy_cost += checked.times(a.key_per_vacant_day, vacant);
      out.objective_part += checked.times(a.key_per_open_day, piece.open);
      if (out.financing.model == domain::FinancingModel::basis) {
        const Ore region_cost = checked.times(a.region_per_open_day, piece.open) - copayments;
        out.region_cost += region_cost;
        RegionGrant& grant = regions[{organisation.region_code, piece.range.from.year()}];
        grant.used += region_cost;
      }
    }
    out.total_cost = out.usage_paid + out.copayments + out.vacancy_cost + out.objective_part + out.region_cost +
                     out.operator_vacancy;

    const CatchmentKey& key = key_of(offer.offer->catchment, segment.from);
    PLACEMENT_TRY(split(out.vacancy_cost, key, &MunicipalityFinancing::objective_share));
    PLACEMENT_TRY(split(out.objective_part, key, &MunicipalityFinancing::mixed_objective_share));
    return out;
  }

  void add_recorded_grants() {
    const int first_year = period.from.year();
    const int last_year = domain::add_days(period.to, -1).year();
    for (const auto& [key, amount] : inputs.block_grants) {
      if (key.second >= first_year && key.second <= last_year) regions[key];
    }
    for (auto& [key, grant] : regions) {
      grant.region_code = key.first;
      grant.year = key.second;
      grant.block_grant = block_grant(inputs, key.first, key.second);
      grant.left = grant.block_grant - grant.used;
    }
  }
};

}  // namespace

Result<FinancingView> compute_financing(const PlanningIndex& index, const domain::PlanningInputs& inputs,
                                        const DateRange& period, const FinancingOverrides& overrides) {
  PLACEMENT_TRY(validate_period(period));
  Computation c{index, inputs, period, overrides, {}, {}, {}, {}, {}};
  FinancingView view;
  view.period = period;
  view.offers.reserve(index.offers().size());
  for (const OfferIndex& offer : index.offers()) {
    PLACEMENT_TRY(c.offer_financing(offer, view.offers));
  }
  if (c.checked.overflow) {
    return fail(Errc::invalid_argument,
                "an amount in the period exceeds the range of øre amounts; choose a shorter period");
  }
  for (const auto& [code, refund] : c.charge_payers()) c.municipality(code).refund += refund;
  c.add_recorded_grants();

  FinancingTotals& t = view.totals;
  for (const OfferFinancing& offer : view.offers) {
    t.total_cost += offer.total_cost;
    t.usage_paid += offer.usage_paid;
    t.copayments += offer.copayments;
    t.vacancy_cost += offer.vacancy_cost;
    t.objective_part += offer.objective_part;
    t.region_cost += offer.region_cost;
    t.operator_vacancy += offer.operator_vacancy;
  }
  for (auto& [code, m] : c.municipalities) {
    m.net = m.usage_payments + m.copayments + m.objective_share + m.mixed_objective_share - m.refund;
    t.refund += m.refund;
    t.municipalities_net += m.net;
    view.municipalities.push_back(m);
  }
  for (const auto& [key, grant] : c.regions) view.regions.push_back(grant);
  for (int year = period.from.year(); year <= domain::add_days(period.to, -1).year(); ++year) {
    view.refund_amounts.push_back(domain::refund_amounts_for_year(inputs, year));
  }
  return view;
}

}  // namespace placement::projections

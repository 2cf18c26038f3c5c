#include "services/projections/financing.h"

#include <limits>
#include <map>
#include <utility>

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

struct Computation {
  const PlanningIndex& index;
  const PlanningInputs& inputs;
  const DateRange& period;
  const FinancingOverrides& overrides;

  Checked checked;
  std::map<std::int32_t, MunicipalityFinancing> municipalities;
  std::map<std::pair<std::int32_t, int>, RegionGrant> regions;
  std::vector<PlacementCost> costs;  // for the state refund
  std::map<std::int32_t, CatchmentKey> keys;  // by catchment region code (0 = national)

  MunicipalityFinancing& municipality(std::int32_t code) {
    MunicipalityFinancing& m = municipalities[code];
    m.municipality_code = code;
    return m;
  }

  const CatchmentKey& key_of(domain::Catchment catchment) {
    auto it = keys.find(catchment.region_code);
    if (it == keys.end()) {
      it = keys.emplace(catchment.region_code, catchment_key(index.state(), inputs, catchment)).first;
    }
    return it->second;
  }

  // Occupied place-days per piece, and what each paying municipality pays for them.
  void charge_usage(const OfferIndex& offer, std::vector<Piece>& pieces, OfferFinancing& out) {
    for (const IndexedHold& hold : offer.holds) {
      if (hold.range.from >= period.to) break;  // ordered by start
      if (hold.kind != domain::HoldKind::occupied) continue;
      const auto stay = domain::overlap(hold.range, period);
      if (!stay) continue;
      const domain::PlacementState& placement = *hold.placement;
      for (Piece& piece : pieces) {
        const auto part = domain::overlap(piece.range, *stay);
        if (!part) continue;
        const std::int64_t days = part->days();
        piece.occupied += days;
        out.occupied_place_days += days;
        if (!piece.priced) continue;
        MunicipalityFinancing& payer = municipality(placement.paying_municipality);
        payer.occupied_place_days += days;
        payer.usage_payments += checked.times(piece.amounts.usage_per_occupied_day, days);
        payer.copayments += checked.times(piece.amounts.copayment_per_occupied_day, days);
        costs.push_back(PlacementCost{&placement, *part, piece.amounts.billed_per_occupied_day()});
      }
    }
  }

  Status split(Ore amount, domain::Catchment catchment, Ore MunicipalityFinancing::*field) {
    auto shares = split_by_key(amount, key_of(catchment));
    if (!shares) return shares.error();
    for (const KeyShare& share : shares.value()) {
      if (share.amount.value != 0) municipality(share.municipality_code).*field += share.amount;
    }
    return ok();
  }

  Result<OfferFinancing> offer_financing(const OfferIndex& offer) {
    const FinancingTerms terms(*offer.offer, overrides);
    OfferFinancing out;
    out.offer_id = offer.offer->id;
    out.operator_code = offer.offer->operator_code;
    out.region_code = offer.region_code;
    out.financing = terms.financing();

    std::vector<Piece> pieces = pieces_of(offer, terms, period);
    charge_usage(offer, pieces, out);
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
        RegionGrant& grant = regions[{offer.region_code, piece.range.from.year()}];
        grant.used += region_cost;
      }
    }
    out.total_cost =
        out.usage_paid + out.copayments + out.vacancy_cost + out.objective_part + out.region_cost + out.operator_vacancy;

    if (auto s = split(out.vacancy_cost, offer.offer->catchment, &MunicipalityFinancing::objective_share); !s) {
      return s.error();
    }
    if (auto s = split(out.objective_part, offer.offer->catchment, &MunicipalityFinancing::mixed_objective_share);
        !s) {
      return s.error();
    }
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

Result<FinancingView> compute_financing(const PlanningIndex& index, const PlanningInputs& inputs,
                                        const DateRange& period, const FinancingOverrides& overrides) {
  if (auto valid = validate_period(period); !valid) return valid.error();
  Computation c{index, inputs, period, overrides, {}, {}, {}, {}, {}};
  FinancingView view;
  view.period = period;
  view.offers.reserve(index.offers().size());
  for (const OfferIndex& offer : index.offers()) {
    auto financed = c.offer_financing(offer);
    if (!financed) return financed.error();
    view.offers.push_back(std::move(financed).value());
  }
  if (c.checked.overflow) {
    return fail(Errc::invalid_argument, "an amount in the period exceeds the range of øre amounts; choose a shorter period");
  }
  for (const auto& [code, refund] : state_refunds(inputs, c.costs)) c.municipality(code).refund += refund;
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
  return view;
}

}  // namespace placement::projections

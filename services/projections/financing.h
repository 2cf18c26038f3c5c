#pragma once
// Financing over a half-open period [from, to): what each paying municipality pays, what each
// region draws from its block grant, and what each offer costs, under each offer's model
// (financing_terms.h gives the per-place-day amounts). All amounts integer øre.
//
// Place-days: occupied place-days are the days admitted placements occupy (domain::holds_of);
// reserved days are not billed, and count as vacant for the vacancy cost (open − occupied, as
// DOMAIN.md states the OBJEKTIV model). Rates are effective-dated: a period crossing a rate change
// uses each rate for its days. Days without a rate cost nothing and are reported as unpriced.
//
// Per offer, per model (O = open, U = occupied place-days, per rate segment):
//   TAKST     usage_paid = rate × U;            operator_vacancy = rate × (O − U)
//   BASIS     copayments = co-payment × U;      region_cost = rate × O − co-payments, drawn from the
//             operating region's (the operator's region's) block grant for the calendar year of the days
//   OBJEKTIV  usage_paid = rate × U;            vacancy_cost = vacancy rate × (O − U), split by the key
//   MIXED     usage_paid = u × U;               objective_part = (rate − u) × O, split by the key;
//             operator_vacancy = u × (O − U)    (u: financing_terms.h)
//   total_cost = usage_paid + copayments + vacancy_cost + objective_part + region_cost + operator_vacancy
//   (= rate × O for TAKST, BASIS and MIXED).
// Granularity of key splits: each offer's vacancy cost (and MIXED objective part) for the whole
// period is split once among its catchment, so each offer's parts add up to its amount exactly.
// Where the organisation changes inside the period (an operator, a region, the municipalities of
// the catchment: domain/organisation.h), the offer's row is split at the date, and each part is
// split among the catchment in force in it; BASIS costs go to the operator's region of their days.
//
// Identities (checked by the tests, to the øre):
//   Σ municipalities.usage_payments        = Σ offers.usage_paid
//   Σ municipalities.copayments            = Σ offers.copayments
//   Σ municipalities.objective_share       = Σ offers.vacancy_cost
//   Σ municipalities.mixed_objective_share = Σ offers.objective_part
//   Σ regions.used                         = Σ offers.region_cost
//   municipality.net = usage_payments + copayments + objective_share + mixed_objective_share − refund
// (case_costs, recorded by the municipality beside the place-days and paid outside them, count for
// the refund but are not in net; a month's case costs count in full when the month touches the period.)

#include <cstdint>
#include <string>
#include <vector>

#include "services/base/result.h"
#include "services/base/types.h"
#include "services/domain/dates.h"
#include "services/domain/planning_inputs.h"
#include "services/domain/vocabulary.h"
#include "services/projections/financing_terms.h"
#include "services/projections/planning_index.h"

namespace placement::projections {

struct MunicipalityFinancing {
  std::int32_t municipality_code = 0;
  std::int64_t occupied_place_days = 0;  // place-days it pays for
  Ore usage_payments{0};                 // TAKST rate, OBJEKTIV usage rate, MIXED usage part
  Ore copayments{0};                     // BASIS
  Ore objective_share{0};                // its share of OBJEKTIV vacancy costs
  Ore mixed_objective_share{0};          // its share of MIXED objective parts
  Ore case_costs{0};  // recorded beside the place-days (case_costs.h): counted for the refund, not in net
  Ore refund{0};      // state refund (state_refund.h), reduces net
  Ore net{0};
  friend bool operator==(const MunicipalityFinancing&, const MunicipalityFinancing&) = default;
};

// One region's block grant for one calendar year against the BASIS costs of the period's days in
// that year. left < 0 is an overrun. For a period shorter than the year, used is the period's part.
struct RegionGrant {
  std::int32_t region_code = 0;
  int year = 0;
  Ore block_grant{0};
  Ore used{0};
  Ore left{0};
  friend bool operator==(const RegionGrant&, const RegionGrant&) = default;
};

// One offer over the part of the period with one operator, region and catchment key in force: a
// period crossing a change of the organisation gives the offer one row per part.
struct OfferFinancing {
  std::string offer_id;
  domain::DateRange period;        // the part of the view's period this row covers
  std::int32_t operator_code = 0;  // in force over `period`
  std::int32_t region_code = 0;    // the operator's region over `period`
  domain::Financing financing;     // as computed (after any what-if override)
  std::int64_t open_place_days = 0;
  std::int64_t occupied_place_days = 0;
  std::int64_t unpriced_place_days = 0;  // open place-days without a rate in force
  Ore total_cost{0};
  Ore usage_paid{0};
  Ore copayments{0};
  Ore vacancy_cost{0};
  Ore objective_part{0};
  Ore region_cost{0};
  Ore operator_vacancy{0};
  friend bool operator==(const OfferFinancing&, const OfferFinancing&) = default;
};

struct FinancingTotals {
  Ore total_cost{0};
  Ore usage_paid{0};
  Ore copayments{0};
  Ore vacancy_cost{0};
  Ore objective_part{0};
  Ore region_cost{0};
  Ore operator_vacancy{0};
  Ore refund{0};
  Ore municipalities_net{0};
  friend bool operator==(const FinancingTotals&, const FinancingTotals&) = default;
};

struct FinancingView {
  domain::DateRange period;
  std::vector<MunicipalityFinancing> municipalities;  // every municipality paying or sharing, by code
  std::vector<RegionGrant> regions;                   // (region, year) with a BASIS cost or a recorded grant, in order
  std::vector<OfferFinancing> offers;                 // every offer, by (id, period)
  FinancingTotals totals;                             // sums over offers (refund and net over municipalities)
  // The refund amounts each calendar year of the period was computed with, in order: a year's own,
  // an earlier year's, or (latest_known) the latest known standing in for a year not loaded yet.
  std::vector<domain::RefundAmounts> refund_amounts;
  friend bool operator==(const FinancingView&, const FinancingView&) = default;
};

// Computes the view from the index's State and the planning inputs; `overrides` makes it a what-if
// (nothing is changed: the State and inputs are read only).
// Errors: invalid_argument for an empty or open-ended period or an amount beyond int64;
// failed_precondition when an amount must be split by an objective key without weight.
Result<FinancingView> compute_financing(const PlanningIndex& index, const domain::PlanningInputs& inputs,
                                        const domain::DateRange& period, const FinancingOverrides& overrides = {});

}  // namespace placement::projections

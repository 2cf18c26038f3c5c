#include "services/projections/settlement.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace placement::projections {

domain::Date billing_limit(domain::Date as_of) {
  const int year = as_of.year() - 1;
  const unsigned month = as_of.month();
  return domain::Date::from_civil(year, month, std::min(as_of.day(), domain::days_in_month(year, month)));
}

namespace {

// `stay` cut where the offer's operator changes.
std::vector<domain::DateRange> operator_parts(const OfferIndex& offer, const domain::DateRange& stay) {
  std::vector<domain::DateRange> parts;
  domain::Date from = stay.from;
  std::int32_t operating = offer.organisation_on(from).operator_code;
  for (const OrganisationStep& step : offer.organisation) {
    if (step.from <= stay.from || step.from >= stay.to || step.operator_code == operating) continue;
    parts.push_back(domain::DateRange{from, step.from});
    from = step.from;
    operating = step.operator_code;
  }
  parts.push_back(domain::DateRange{from, stay.to});
  return parts;
}

}  // namespace

Result<MonthlySettlement> monthly_settlement(const PlanningIndex& index, domain::YearMonth month, domain::Date as_of,
                                             const FinancingOverrides& overrides) {
  if (month.month < 1 || month.month > 12 || month.year < 1 || month.year > 9998) {
    return fail(Errc::invalid_argument, "a settlement month needs a valid year and a month 1 to 12");
  }
  const domain::DateRange range{month.first_day(), month.end()};
  const domain::Date limit = billing_limit(as_of);
  const bool beyond_limit = month.end() <= limit;

  std::map<std::pair<std::int32_t, std::int32_t>, SettlementStatement> statements;
  for (const OfferIndex& offer : index.offers()) {
    const FinancingTerms terms(*offer.offer, overrides);
    for (const IndexedHold& hold : offer.holds) {
      if (hold.range.from >= range.to) break;
      if (hold.kind != domain::HoldKind::occupied) continue;
      const auto stay = domain::overlap(hold.range, range);
      if (!stay) continue;
      // One line per operator: a stay crossing an operator change is billed by each for its days.
      for (const domain::DateRange& part : operator_parts(offer, *stay)) {
        SettlementLine line;
        line.placement_id = hold.placement->id;
        line.offer_id = offer.offer->id;
        line.days = part;
        line.place_days = part.days();
        line.beyond_billing_limit = beyond_limit;
        if (const auto late = domain::overlap(part, domain::DateRange{part.from, limit})) {
          line.place_days_beyond_billing_limit = late->days();
        }
        terms.for_each_segment(part, [&](const domain::DateRange& rated, const DailyAmounts* amounts) {
          if (!amounts) {
            line.unpriced_place_days += rated.days();
            return;
          }
          const Ore daily = amounts->billed_per_occupied_day();
          const Ore amount{daily.value * rated.days()};  // ≤ 31 days: no overflow for any int64 rate below 2^58
          line.rates.push_back(RatePart{rated, daily, amount});
          line.amount += amount;
        });
        const std::int32_t operator_code = offer.organisation_on(part.from).operator_code;
        SettlementStatement& statement = statements[{hold.placement->paying_municipality, operator_code}];
        statement.total += line.amount;
        statement.lines.push_back(std::move(line));
      }
    }
  }

  MonthlySettlement settlement{month, as_of, {}};
  for (auto& [key, statement] : statements) {
    statement.paying_municipality = key.first;
    statement.operator_code = key.second;
    std::sort(statement.lines.begin(), statement.lines.end(), [](const SettlementLine& a, const SettlementLine& b) {
      return std::tie(a.placement_id, a.offer_id, a.days.from) < std::tie(b.placement_id, b.offer_id, b.days.from);
    });
    settlement.statements.push_back(std::move(statement));
  }
  return settlement;
}

}  // namespace placement::projections

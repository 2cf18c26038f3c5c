#include "services/domain/organisation.h"

#include <algorithm>

namespace placement::domain {

bool exists_on(const Region& region, Date date) {
  if (region.established_from && date < *region.established_from) return false;
  return !region.ceased_from || date < *region.ceased_from;
}

std::int32_t region_of_municipality_on(const Municipality& municipality, Date date) {
  const std::int32_t* changed = municipality.region_changes.at(date);
  return changed ? *changed : municipality.region_code;
}

std::int32_t region_of_municipality_on(const State& state, std::int32_t municipality_code, Date date) {
  auto it = state.municipalities.find(municipality_code);
  return it == state.municipalities.end() ? 0 : region_of_municipality_on(it->second, date);
}

std::int32_t operator_on(const OfferState& offer, Date date) {
  const std::int32_t* changed = offer.operator_changes.at(date);
  return changed ? *changed : offer.operator_code;
}

bool may_operate(const OfferState& offer, std::int32_t operator_code, Date today) {
  return operator_code == offer.operator_code || operator_code == operator_on(offer, today);
}

std::int32_t region_of_operator_on(const State& state, std::int32_t operator_code, Date date) {
  if (state.regions.contains(operator_code)) return operator_code;
  return region_of_municipality_on(state, operator_code, date);
}

std::int32_t region_of_offer_on(const State& state, const OfferState& offer, Date date) {
  return region_of_operator_on(state, operator_on(offer, date), date);
}

std::int32_t catchment_region_on(const State& state, Catchment catchment, Date date) {
  std::int32_t code = catchment.region_code;
  // A chain of successors is as long as the mergers a region went through; the bound stops a cycle
  // (which decide refuses) from looping.
  for (std::size_t step = 0; code != 0 && step <= state.regions.size(); ++step) {
    auto it = state.regions.find(code);
    if (it == state.regions.end()) break;
    const Region& region = it->second;
    if (!region.ceased_from || date < *region.ceased_from || region.successor_code == 0) break;
    code = region.successor_code;
  }
  return code;
}

std::vector<std::int32_t> municipalities_of_region_on(const State& state, std::int32_t region_code, Date date) {
  std::vector<std::int32_t> codes;
  for (const auto& [code, municipality] : state.municipalities) {
    if (region_code == 0 || region_of_municipality_on(municipality, date) == region_code) codes.push_back(code);
  }
  return codes;
}

std::vector<Date> region_structure_changes(const State& state) {
  std::vector<Date> dates;
  for (const auto& [code, region] : state.regions) {
    if (region.established_from) dates.push_back(*region.established_from);
    if (region.ceased_from) dates.push_back(*region.ceased_from);
  }
  for (const auto& [code, municipality] : state.municipalities) {
    for (const auto& [from, region] : municipality.region_changes.entries()) dates.push_back(from);
  }
  std::sort(dates.begin(), dates.end());
  dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
  return dates;
}

std::string describe_region(const State& state, std::int32_t region_code) {
  auto it = state.regions.find(region_code);
  if (it == state.regions.end()) return "region " + std::to_string(region_code);
  return "region " + std::to_string(region_code) + " (" + it->second.name + ")";
}

}  // namespace placement::domain

#pragma once
// The organisation on a date: which regions exist, the region a municipality belongs to and the
// operator (driftsherre) of an offer, each effective-dated (DOMAIN.md, "Organisation over time").
// Every view grouped by region asks these with the view's date; nothing here reads a clock.
//
// Model: a region exists over [established_from, ceased_from) (no establishment date: from the
// beginning). A municipality belongs to the region it was registered in until its first
// region_changes entry, then to each entry's region from its date. An offer's operator is the one
// it was registered with until its first operator_changes entry. A ceased region may name a
// successor: a catchment (optageområde) naming the ceased region is the successor's from the date
// on, so an OBJEKTIV offer's catchment follows its region through a merger.

#include <cstdint>
#include <string>
#include <vector>

#include "services/domain/dates.h"
#include "services/domain/state.h"

namespace placement::domain {

bool exists_on(const Region& region, Date date);

// 0 for an unknown municipality.
std::int32_t region_of_municipality_on(const State& state, std::int32_t municipality_code, Date date);
std::int32_t region_of_municipality_on(const Municipality& municipality, Date date);

std::int32_t operator_on(const OfferState& offer, Date date);

// Who may act on the offer as its operator on `today`: the operator it was registered with (as
// always) and the operator in force on that date (the successor of a merged region, say).
bool may_operate(const OfferState& offer, std::int32_t operator_code, Date today);

// Itself for a region, its region on `date` for a municipality; 0 if unknown.
std::int32_t region_of_operator_on(const State& state, std::int32_t operator_code, Date date);

// The region of the offer's operator on `date`.
std::int32_t region_of_offer_on(const State& state, const OfferState& offer, Date date);

// The region whose municipalities a catchment covers on `date`: the named region, or its
// successor (and theirs) once it has ceased; 0 for a national catchment.
std::int32_t catchment_region_on(const State& state, Catchment catchment, Date date);

// The municipalities of a region on `date`, ascending code (every municipality for region 0).
std::vector<std::int32_t> municipalities_of_region_on(const State& state, std::int32_t region_code, Date date);

// Every date on which some region is established or ceases or some municipality changes region,
// ascending: the structure of regions is constant between consecutive dates.
std::vector<Date> region_structure_changes(const State& state);

// "1086 Region Østdanmark" for messages; the code alone when unknown.
std::string describe_region(const State& state, std::int32_t region_code);

}  // namespace placement::domain

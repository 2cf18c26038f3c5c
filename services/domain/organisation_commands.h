#pragma once
// Commands of the organisation over time (organisation.h), part of domain::CommandBody
// (commands.h), decided in decide_organisation.cc. Each takes effect from a date; none rewrites
// what held before it.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "services/domain/dates.h"

namespace placement::domain {

// A new region, from `from` on. The code is a region code (1081..1099) not yet registered.
struct EstablishRegion {
  static constexpr std::string_view kTypeName = "EstablishRegion";
  std::int32_t code = 0;
  std::string name;
  Date from;
};

// The region ceases from `from`. Refused while a municipality would still belong to it then; the
// offers it operates from `from` pass to successor_code, which must exist from `from` on, and
// without a successor such offers refuse the command.
struct CeaseRegion {
  static constexpr std::string_view kTypeName = "CeaseRegion";
  std::int32_t code = 0;
  Date from;
  std::int32_t successor_code = 0;  // 0: none
};

// The municipality belongs to region_code from `from` (until a later change).
struct ChangeMunicipalityRegion {
  static constexpr std::string_view kTypeName = "ChangeMunicipalityRegion";
  std::int32_t municipality_code = 0;
  std::int32_t region_code = 0;
  Date from;
};

// The offer is operated by operator_code (a region or a municipality) from `from`.
struct ChangeOfferOperator {
  static constexpr std::string_view kTypeName = "ChangeOfferOperator";
  std::string offer_id;
  std::int32_t operator_code = 0;
  Date from;
};

// Regions merge into a new one from `from`: the new region is established, the municipalities of
// the merged regions move to it, the offers the merged regions operate pass to it and the merged
// regions cease with it as their successor, as one command (all or nothing). Refused
// (already_exists) once the new region's code is registered, so shipping it as reference data
// writes it once.
struct MergeRegions {
  static constexpr std::string_view kTypeName = "MergeRegions";
  std::int32_t code = 0;
  std::string name;
  Date from;
  std::vector<std::int32_t> merged;  // at least two existing regions
};

}  // namespace placement::domain

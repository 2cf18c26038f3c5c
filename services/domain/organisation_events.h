#pragma once
// Events of the organisation over time (organisation.h): regions established and ceased, a
// municipality's region and an offer's operator changed, each from a date. Part of domain::Event
// (events.h); the region and municipality facts are on stream "reference", an operator change on
// its offer's stream.

#include <cstdint>
#include <string>
#include <string_view>

#include "services/domain/dates.h"

namespace placement::domain {

// A region exists from `from` on (regions of the first reference data have no such event).
struct RegionEstablished {
  static constexpr std::string_view kTypeName = "RegionEstablished";
  std::int32_t code = 0;
  std::string name;
  Date from;
  friend bool operator==(const RegionEstablished&, const RegionEstablished&) = default;
};

// A region exists no longer from `from` on; successor_code (0: none) takes over its catchments.
struct RegionCeased {
  static constexpr std::string_view kTypeName = "RegionCeased";
  std::int32_t code = 0;
  Date from;
  std::int32_t successor_code = 0;
  friend bool operator==(const RegionCeased&, const RegionCeased&) = default;
};

struct MunicipalityRegionChanged {
  static constexpr std::string_view kTypeName = "MunicipalityRegionChanged";
  std::int32_t municipality_code = 0;
  std::int32_t region_code = 0;
  Date from;
  friend bool operator==(const MunicipalityRegionChanged&, const MunicipalityRegionChanged&) = default;
};

struct OfferOperatorChanged {
  static constexpr std::string_view kTypeName = "OfferOperatorChanged";
  std::string offer_id;
  std::int32_t operator_code = 0;
  Date from;
  friend bool operator==(const OfferOperatorChanged&, const OfferOperatorChanged&) = default;
};

}  // namespace placement::domain

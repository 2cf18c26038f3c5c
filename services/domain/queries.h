#pragma once
// Read-side questions the server answers straight from the domain state.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "services/base/result.h"
#include "services/domain/dates.h"
#include "services/domain/occupancy.h"
#include "services/domain/state.h"
#include "services/domain/vocabulary.h"

namespace placement::domain {

// Open, occupied, reserved, vacant places of an offer on a date, and its current waiting list length.
// Errors: not_found for an unknown offer.
Result<PlaceCounts> capacity_at(const State& state, std::string_view offer_id, Date date);

struct VacancyQuery {
  TargetGroup target_group{};
  SpecialisationLevel level{};
  std::int32_t age = 0;               // at the wanted start
  std::int32_t preferred_region = 0;  // 0 = no preference
  Date date;                          // wanted start
};

struct VacancyHit {
  std::string offer_id;
  std::string name;
  std::int32_t operator_code = 0;
  std::int32_t region_code = 0;  // the operator's region
  ServiceType service_type{};
  // Places free on every day from the date on, less the citizens already waiting (who come first).
  std::int64_t free_places = 0;
  std::int64_t waiting = 0;
  bool in_preferred_region = false;
  friend bool operator==(const VacancyHit&, const VacancyHit&) = default;
};

// Open offers of the level that serve the target group (groups 5 and 6 only under 18) with at
// least one free place from the date on. Ranked: preferred region first, then most free places,
// then offer id.
// Errors: invalid_argument for an invalid level, group or a negative age.
Result<std::vector<VacancyHit>> search_vacancies(const State& state, const VacancyQuery& query);

}  // namespace placement::domain

#pragma once
// Waiting lists (ventelister) per offer for planners: length and the age of the oldest request.
// No citizen data: no pseudonyms, no placement ids.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "services/domain/dates.h"
#include "services/domain/vocabulary.h"
#include "services/projections/planning_index.h"

namespace placement::projections {

struct WaitingRow {
  std::string offer_id;
  std::int32_t operator_code = 0;
  std::int32_t region_code = 0;
  domain::SpecialisationLevel level{};
  std::vector<domain::TargetGroup> target_groups;
  std::int64_t length = 0;
  // Days from the oldest request's date to `at` (0 if requested on or after `at`); none when empty.
  std::optional<std::int64_t> oldest_request_age_days;
};

// The date of an instant: its UTC calendar date (the domain has no time-zone database, so a request
// made between midnight Copenhagen time and midnight UTC dates to the previous day).
domain::Date utc_date_of(domain::Instant instant);

// Every offer with a non-empty waiting list, in offer id order. The lists are the current ones: the
// domain keeps no history of a list, so a past `at` only changes the ages (time travel to a past
// list is asking the view as of an earlier log position).
std::vector<WaitingRow> waiting_lists(const PlanningIndex& index, domain::Date at);

}  // namespace placement::projections

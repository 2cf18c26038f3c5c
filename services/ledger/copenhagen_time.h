#pragma once
// Calendar dates in Europe/Copenhagen, where every date of the domain lives. GCC 12's standard
// library has no time-zone database, so the EU summer-time rule is applied directly: CEST (UTC+2)
// from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October, CET
// (UTC+1) otherwise. The rule has held since 1996.

#include <chrono>

#include "services/domain/dates.h"

namespace placement::ledger {

domain::Date copenhagen_date(std::chrono::system_clock::time_point instant);

}  // namespace placement::ledger

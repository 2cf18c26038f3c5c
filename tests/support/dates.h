#pragma once
// Dates for tests, written as a test reads them: day(2031, 2, 1) or d("2031-02-01"). Both stop the
// test process when the date is not a valid one: that is a mistake in the test, not a case to handle.

#include <string_view>

#include "services/domain/dates.h"

namespace placement::testing {

inline domain::Date day(int year, unsigned month, unsigned day_of_month) {
  return domain::make_date(year, month, day_of_month).value();
}

// text is "YYYY-MM-DD".
inline domain::Date d(std::string_view text) { return domain::parse_date(text).value(); }

}  // namespace placement::testing

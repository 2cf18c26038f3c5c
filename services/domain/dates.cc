#include "services/domain/dates.h"

#include <algorithm>
#include <cstdio>

namespace placement::domain {
namespace {

// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's days_from_civil):
// count in 400-year eras that start on 1 March, so the leap day is the last day of an era-year.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(y - era * 400);                 // [0, 399]
  const unsigned day_of_year = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  // [0, 365]
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

struct Civil {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

// The inverse of days_from_civil.
Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto day_of_era = static_cast<unsigned>(z - era * 146097);  // [0, 146096]
  const unsigned year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(year_of_era) + era * 400;
  const unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned mp = (5 * day_of_year + 2) / 153;          // [0, 11]
  const unsigned d = day_of_year - (153 * mp + 2) / 5 + 1;  // [1, 31]
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;             // [1, 12]
  return Civil{m <= 2 ? y + 1 : y, m, d};
}

std::optional<int> parse_fixed_digits(std::string_view text) {
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

Date Date::from_civil(int year, unsigned month, unsigned day) {
  return Date{static_cast<std::int32_t>(days_from_civil(year, month, day))};
}

int Date::year() const { return static_cast<int>(civil_from_days(days_).year); }
unsigned Date::month() const { return civil_from_days(days_).month; }
unsigned Date::day() const { return civil_from_days(days_).day; }

bool is_leap_year(int year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

int days_in_year(int year) { return is_leap_year(year) ? 366 : 365; }

unsigned days_in_month(int year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2 && is_leap_year(year)) return 29;
  return kDays[month - 1];
}

Result<Date> make_date(int year, unsigned month, unsigned day) {
  if (year < 1 || year > 9999) return fail(Errc::invalid_argument, "year must be between 1 and 9999");
  if (month < 1 || month > 12) return fail(Errc::invalid_argument, "month must be between 1 and 12");
  if (day < 1 || day > days_in_month(year, month)) {
    return fail(Errc::invalid_argument, "day " + std::to_string(day) + " does not exist in " + std::to_string(year) +
                                            "-" + (month < 10 ? "0" : "") + std::to_string(month));
  }
  return Date::from_civil(year, month, day);
}

Result<Date> parse_date(std::string_view text) {
  const auto malformed = [&] {
    return fail(Errc::invalid_argument, "date must be written YYYY-MM-DD, e.g. 2024-03-01");
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return malformed();
  const auto year = parse_fixed_digits(text.substr(0, 4));
  const auto month = parse_fixed_digits(text.substr(5, 2));
  const auto day = parse_fixed_digits(text.substr(8, 2));
  if (!year || !month || !day) return malformed();
  return make_date(*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day));
}

std::string to_string(Date date) {
  if (date.is_max()) return "open";
  const Civil c = civil_from_days(date.days_since_epoch());
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02u", static_cast<long long>(c.year), c.month, c.day);
  return buffer;
}

Date add_days(Date date, std::int64_t days) {
  return Date::from_days(static_cast<std::int32_t>(date.days_since_epoch() + days));
}

std::int64_t days_between(Date from, Date to) {
  return static_cast<std::int64_t>(to.days_since_epoch()) - from.days_since_epoch();
}

std::optional<DateRange> overlap(const DateRange& a, const DateRange& b) {
  DateRange common{std::max(a.from, b.from), std::min(a.to, b.to)};
  if (common.empty()) return std::nullopt;
  return common;
}

}  // namespace placement::domain

#pragma once
// Civil calendar dates (proleptic Gregorian, no time zone) and half-open date ranges.
// Dates in the domain are calendar dates in Europe/Copenhagen; the caller converts instants.

#include <compare>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "services/base/result.h"

namespace placement::domain {

class Date {
 public:
  constexpr Date() = default;
  static constexpr Date from_days(std::int32_t days_since_epoch) { return Date{days_since_epoch}; }
  // Precondition: year/month/day form a valid date (use make_date to validate).
  static Date from_civil(int year, unsigned month, unsigned day);
  // The open end of a range that has no end yet (e.g. a placement not yet discharged).
  static constexpr Date max() { return Date{std::numeric_limits<std::int32_t>::max()}; }

  constexpr std::int32_t days_since_epoch() const { return days_; }
  constexpr bool is_max() const { return *this == max(); }
  int year() const;
  unsigned month() const;
  unsigned day() const;

  friend constexpr auto operator<=>(const Date&, const Date&) = default;

 private:
  constexpr explicit Date(std::int32_t days) : days_(days) {}
  std::int32_t days_ = 0;  // days since 1970-01-01
};

bool is_leap_year(int year);
int days_in_year(int year);
// 0 for a month outside 1..12.
unsigned days_in_month(int year, unsigned month);

// Validates the parts; refuses impossible dates (e.g. 2023-02-29) and years outside 1..9999.
Result<Date> make_date(int year, unsigned month, unsigned day);
// Accepts exactly "YYYY-MM-DD".
Result<Date> parse_date(std::string_view text);
// "YYYY-MM-DD"; Date::max() prints as "open".
std::string to_string(Date date);

// Precondition: the result stays within the int32 day range; adding to Date::max() is not allowed.
Date add_days(Date date, std::int64_t days);
// to - from in days.
std::int64_t days_between(Date from, Date to);

// Half-open [from, to). to == Date::max() means open-ended. Empty when to <= from.
struct DateRange {
  Date from;
  Date to = Date::max();

  bool empty() const { return to <= from; }
  bool open_ended() const { return to.is_max(); }
  bool contains(Date date) const { return from <= date && date < to; }
  // Number of days in the range; for an open-ended range, the days up to Date::max().
  std::int64_t days() const { return empty() ? 0 : days_between(from, to); }

  friend bool operator==(const DateRange&, const DateRange&) = default;
};

// The common part of two ranges; nullopt when they do not share a day.
std::optional<DateRange> overlap(const DateRange& a, const DateRange& b);

}  // namespace placement::domain

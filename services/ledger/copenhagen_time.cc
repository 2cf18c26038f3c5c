#include "services/ledger/copenhagen_time.h"

namespace placement::ledger {
namespace {

using namespace std::chrono;

sys_seconds last_sunday_at_one_utc(int year, unsigned month) {
  const sys_days last_day{year_month_day_last{std::chrono::year{year}, month_day_last{std::chrono::month{month}}}};
  const weekday wd{last_day};
  const sys_days sunday = last_day - (wd - Sunday);
  return sunday + hours(1);
}

}  // namespace

domain::Date copenhagen_date(system_clock::time_point instant) {
  const auto utc = floor<seconds>(instant);
  const int year = int(year_month_day{floor<days>(utc)}.year());
  const bool summer = utc >= last_sunday_at_one_utc(year, 3) && utc < last_sunday_at_one_utc(year, 10);
  const auto local = utc + hours(summer ? 2 : 1);
  const auto days_since_epoch = floor<days>(local).time_since_epoch().count();
  return domain::Date::from_days(static_cast<std::int32_t>(days_since_epoch));
}

}  // namespace placement::ledger

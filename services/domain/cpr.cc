#include "services/domain/cpr.h"

namespace placement::domain {
namespace {

constexpr std::string_view kFormatMessage = "CPR number must be 10 digits (DDMMYY-SSSS)";

bool is_digit(char c) { return c >= '0' && c <= '9'; }
int digit(char c) { return c - '0'; }

}  // namespace

int cpr_birth_year(int two_digit_year, int seventh_digit) {
  if (seventh_digit <= 3) return 1900 + two_digit_year;
  if (seventh_digit == 4 || seventh_digit == 9) return (two_digit_year <= 36 ? 2000 : 1900) + two_digit_year;
  return (two_digit_year <= 57 ? 2000 : 1800) + two_digit_year;
}

Result<CprNumber> parse_cpr(std::string_view text) {
  std::string digits;
  if (text.size() == 11) {
    if (text[6] != '-') return fail(Errc::invalid_argument, std::string(kFormatMessage));
    digits.append(text.substr(0, 6)).append(text.substr(7));
  } else if (text.size() == 10) {
    digits.assign(text);
  } else {
    return fail(Errc::invalid_argument, std::string(kFormatMessage));
  }
  for (char c : digits) {
    if (!is_digit(c)) return fail(Errc::invalid_argument, std::string(kFormatMessage));
  }

  const int day = digit(digits[0]) * 10 + digit(digits[1]);
  const int month = digit(digits[2]) * 10 + digit(digits[3]);
  const int two_digit_year = digit(digits[4]) * 10 + digit(digits[5]);
  const int year = cpr_birth_year(two_digit_year, digit(digits[6]));
  auto birth = make_date(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  if (!birth) {
    return fail(Errc::invalid_argument, "CPR number does not start with a valid birth date (DDMMYY)");
  }
  return CprNumber{std::move(digits), birth.value()};
}

int age_on(Date birth, Date on) {
  int age = on.year() - birth.year();
  const unsigned birth_month = birth.month();
  const unsigned birth_day = birth.day();
  const unsigned month = on.month();
  const unsigned day = on.day();
  if (month < birth_month || (month == birth_month && day < birth_day)) --age;
  return age;
}

}  // namespace placement::domain

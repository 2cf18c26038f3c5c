#pragma once
// CPR numbers (Danish personal identification numbers), validated at the edge only.
// The domain never stores a CPR number: callers pseudonymise the normalised digits and keep the
// age at the requested start. Error messages never contain the digits.

#include <string>
#include <string_view>

#include "services/base/result.h"
#include "services/domain/dates.h"

namespace placement::domain {

struct CprNumber {
  std::string digits;  // exactly 10 digits, no separator: the input to the keyed pseudonym
  Date birth_date;
};

// Accepts "DDMMYYSSSS" or "DDMMYY-SSSS", nothing else (no spaces). The century comes from the
// 7th digit and YY: 0–3 → 1900s; 4 and 9 → 2000s if YY ≤ 36, else 1900s; 5–8 → 2000s if YY ≤ 57,
// else 1800s. An impossible date is refused; the modulus-11 check is deliberately not applied
// (numbers issued since 2007 can fail it).
Result<CprNumber> parse_cpr(std::string_view text);

// The century rule alone: the full year for a two-digit year and the 7th digit (0..9).
int cpr_birth_year(int two_digit_year, int seventh_digit);

// Age in whole years on a date; a birthday on 29 February counts on 1 March in common years.
// Precondition: on >= birth (otherwise negative values are returned).
int age_on(Date birth, Date on);

}  // namespace placement::domain
